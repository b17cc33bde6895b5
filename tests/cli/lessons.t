# verify --lesson, --list, --all, --lesson-file, and lessons that are wrong.

$ verify --list | head -3
> forward-conv       The forward convolution: a₁₁ = x₁₁k₂₂ + x₁₂k₂₁ + x₂₁k₁₂ + x₂₂k₁₁
> rot180             Rotating the kernel by 180°
> index-formula      The index formula of the convolution
? 0

$ verify --lesson pooling-delta | tail -1
> pooling-delta: 7 checks, 7 as the lesson says ✓
? 0

$ verify --all | tail -1
> all lessons: 115 checks, 115 as the lessons say
? 0

$ LC_ALL=C verify --lesson forward-conv | grep '^    a[0-9]'
>     a11 = x11*k22 + x12*k21 + x21*k12 + x22*k11
>     a12 = x12*k22 + x13*k21 + x22*k12 + x23*k11
>     a21 = x21*k22 + x22*k21 + x31*k12 + x32*k11
>     a22 = x22*k22 + x23*k21 + x32*k12 + x33*k11
? 0

$ LC_ALL=C verify --lesson forward-conv | tail -1
> forward-conv: 8 checks, 8 as the lesson says ok
? 0

# The notes' example numbers: a11 = 23.
$ verify --lesson forward-conv | grep -A2 '^    a with the shown numbers'
>     a with the shown numbers:
>       23  33
>       53  63
? 0

# TAP: one test point per check.
$ verify --lesson conv-bias-grad --format tap
> TAP version 13
> 1..3
> ok 1 - conv-bias-grad step 1: claim grad(E, b) == sum(D)
> ok 2 - conv-bias-grad step 1: gradcheck grad(E, b) == sum(D)
> ok 3 - conv-bias-grad step 2: refute b == sum(D)
? 0

$ verify --lesson conv-bias-grad --format json | grep -c '"passed":	true'
> 4
? 0

# A matrix of single entries is a bmatrix, not a line per entry; the
# shown numbers follow it as another.
$ verify --lesson rot180 --format markdown | sed -n '1,2p;/^K = \\begin{bmatrix}/,/^\\end{bmatrix}/p' | head -12
> # Rotating the kernel by 180°
> 
> K = \begin{bmatrix}
> k_{11} & k_{12} & k_{13} \\
> k_{21} & k_{22} & k_{23} \\
> k_{31} & k_{32} & k_{33}
> \end{bmatrix}
> K = \begin{bmatrix}
> -3 & -5 & -1 \\
> -1 & 4 & 5 \\
> 4 & -5 & 3
> \end{bmatrix}
? 0

# A failing check names its counterexample; a gradient check sums up its table.
$ verify --lesson rot180 --format markdown | grep -F 'rot180(K) == K'"'"'`'
> - ✓ **refute** `rot180(K) == K'` (the transpose instead of the rotation): fails exactly, fails on numbers. At (1,1): $k_{33} \neq k_{11}$.
? 0

$ verify --lesson pooling-delta --format markdown | grep -F 'finite differences on' | head -1
>   - finite differences on the checked numbers (X 4x5, K 2x3, D 3x3, N 4x5; random, seed 1): 20 entries (20 local, 0 whole, 0 at higher precision); worst (4,4): difference 2.2e-16, bound 1e-14 (GSL estimate 1.1e-15).
? 0

# Other sizes and seeds: the checks still come out as the lesson says.
$ verify --lesson pooling-delta --size X=5x4 --size K=3x2 --seed 7 | tail -1
> pooling-delta: 7 checks, 7 as the lesson says ✓
? 0

$ verify --lesson pooling-delta --size X=5x4 | grep -E '^symbols|cannot be evaluated|lesson says'
> symbols at X 5x4, K 2x2, D 4x3, N 5x4; numbers at X 5x4, K 2x3, D 4x2, N 5x4 (seed 1)
>       numbers: fails: it cannot be evaluated at these sizes (conv2: the 2x3 kernel is larger than the 4x2 input in 'valid' mode (use 'full'))
> pooling-delta: 7 checks, 7 as the lesson says ✓
? 0

# A lesson that is wrong on purpose exits 1 and says why.
$ cd "$TESTS/lessons" && verify --lesson-file wrong.lesson
> wrong: A false claim and a refute that holds
> symbols at X 2x2, K 2x2; numbers at X 2x3, K 1x2 (seed 1)
>
> Step 1. Wrong on purpose
>
>   ✗ claim rot180(X) == X'
>       exact: fails at (1,1): x₂₂ ≠ x₁₁
>       numbers: fails: the left side is 2x3, the right side 3x2
>       on the shown numbers: fails at (1,1): -1 ≠ -3 (they differ by 2, more than the rounding bound 0)
>       expected to hold, but it fails
>
>   ✗ refute conv(X, K, 'full') == xcorr(X, rot180(K), 'full')
>       this one is true, so refuting it fails
>       exact: holds in every entry (3x3)
>       numbers: holds in every entry (2x4; max difference 0, within the rounding bound 3.4e-15)
>       expected to fail, but it holds
>       instead conv(X, K, 'full') == xcorr(X, rot180(K), 'full')
>           exact: holds in every entry (3x3)
>           numbers: holds in every entry (2x4; max difference 0, within the rounding bound 3.4e-15)
>
>   ✓ claim sum(X) == sum(X')
>       exact: holds in every entry (1x1)
>       numbers: holds in every entry (1x1; max difference 2.2e-16, within the rounding bound 3.7e-15)
>
> wrong: 3 checks, 1 as the lesson says ✗
? 1

$ cd "$TESTS/lessons" && verify --lesson-file wrong.lesson --format tap
> TAP version 13
> 1..3
> not ok 1 - wrong step 1: claim rot180(X) == X'
>   ---
>   expected: holds
>   exact: fails
>   numeric: fails
>   ...
> not ok 2 - wrong step 1: refute conv(X, K, 'full') == xcorr(X, rot180(K), 'full')
>   ---
>   expected: fails
>   exact: holds
>   numeric: holds
>   max_difference: 0
>   max_bound: 3.38e-15
>   instead: holds
>   ...
> ok 3 - wrong step 1: claim sum(X) == sum(X')
? 1

# Malformed lesson files: every error, with its place, then status 2.
$ cd "$TESTS/lessons" && verify --lesson-file bad-syntax.lesson
! bad-syntax.lesson:1:8: error: a lesson name has lower-case letters, digits and '-', not 'Bad Name'
!   lesson Bad Name
!          ^
! bad-syntax.lesson:3:14: error: expected a size such as 3x3 (1 to 64 each) or 'like EXPR' but found '3by3'
!   matrix X = x 3by3
!                ^
! bad-syntax.lesson:5:8: error: 'K' is declared twice
!   matrix K = q 2x2
!          ^
! bad-syntax.lesson:6:1: error: unknown directive 'frobnicate'
!   frobnicate now
!   ^
! bad-syntax.lesson:8:17: error: expected ',' or ')' but found '=='
!   claim conv(X, K == xcorr(X, rot180(K))
!                   ^
! bad-syntax.lesson:9:8: error: a refute needs its corrected form: add 'instead LEFT == RIGHT' after it
!   refute conv(X, K) == xcorr(X, K)
!          ^
! bad-syntax.lesson:10:6: error: expected 'show LABEL = EXPR' (show A = conv(X, K))
!   show = conv(X, K)
!        ^
! bad-syntax.lesson:11:11: error: a gradcheck compares grad(LOSS, X), X a declared matrix, to the gradient the lesson claims
!   gradcheck conv(X, K) == K
!             ^
! bad-syntax.lesson:12:1: error: declare matrices before the first step
!   matrix Y = y 2x2
!   ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-run.lesson
! bad-run.lesson:7:29: error: unknown name 'Q'
!   claim conv(X, K) == conv(X, Q)
!                               ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-numbers.lesson
! bad-numbers.lesson:3:26: error: the numbers of X must be 3x3 numbers, not 2x2
!   matrix X = x 3x3 numbers [1 2; 3 4]
!                            ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file empty.lesson
! empty.lesson: error: the lesson has no 'title'
! empty.lesson: error: the lesson has no step
? 2

$ cd "$TESTS/lessons" && verify --lesson-file binary.lesson
! verify: error: binary.lesson is not a text file
? 2

$ verify --lesson-file /nonexistent/x.lesson
! verify: error: cannot read /nonexistent/x.lesson: No such file or directory
? 2

$ verify --lesson no-such-lesson
! verify: error: no lesson 'no-such-lesson' (verify --list shows them)
? 2

$ verify --lesson ../etc/passwd
! verify: error: '../etc/passwd' is not a lesson name (see verify --list)
? 2

$ verify --lesson pooling-delta --size Q=2x2
! verify: error: pooling-delta: --size Q: the lesson has no matrix Q (it has X, K, D, N)
? 2

$ verify --lesson pooling-delta --size D=2x2
! verify: error: pooling-delta: --size D: the size of D is not set by hand (it follows another)
? 2

$ verify --lesson pooling-delta --size X=0x3
! verify: error: --size needs NAME=RxC with R and C from 1 to 64 but found 'X=0x3'
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --lesson pooling-delta --all
! verify: error: give one of --list, --lesson, --all and --lesson-file
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --lesson pooling-delta --format xml
! verify: error: --format must be text, json, tap, markdown or html
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --lesson
! verify: error: --lesson needs a lesson's name (see --list)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --seed 3
! verify: error: nothing to do: give --lesson NAME, --all, --list or a command
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ VERIFY_LESSONS=/nonexistent verify --list | wc -l
> 17
? 0

# A last line without its newline, ending in a blank, a tab or a CR, is read
# once (it used to loop for ever).
$ cd "$(mktemp -d)" && printf 'lesson x ' > f && timeout 5 "$bin" --lesson-file f
! f: error: the lesson has no 'title'
! f: error: the lesson has no step
? 2
$ cd "$(mktemp -d)" && printf 'lesson x\t' > f && timeout 5 "$bin" --lesson-file f
! f: error: the lesson has no 'title'
! f: error: the lesson has no step
? 2
$ cd "$(mktemp -d)" && printf 'lesson x\r' > f && timeout 5 "$bin" --lesson-file f
! f: error: the lesson has no 'title'
! f: error: the lesson has no step
? 2
$ d=$(mktemp -d) && printf 'lesson x ' > "$d/x.lesson" && VERIFY_LESSONS=$d timeout 5 "$bin" --list >/dev/null 2>&1; echo "status $?"
> status 2

# A FIFO given as a lesson is refused at once; a byte order mark is skipped.
$ cd "$(mktemp -d)" && mkfifo f.lesson && timeout 5 "$bin" --lesson-file f.lesson; echo "status $?"
! verify: error: f.lesson is not a regular file
> status 2
$ cd "$(mktemp -d)" && printf '\357\273\277lesson bom\ntitle t\nmatrix X = x 2x2\nstep s\nclaim X == X\n' > bom.lesson && verify --lesson-file bom.lesson | tail -1
> bom: 1 check, 1 as the lesson says ✓
? 0

# Output that cannot be written is an error, not a silent success.
$ verify --all > /dev/full
! verify: error: cannot write the output: No space left on device
? 2
$ verify eval '1 + 2' > /dev/full
! verify: error: cannot write the output: No space left on device
? 2

# Two model answers, the first unreadable: both lines reported (the first
# answer's text used to leak).
$ cd "$TESTS/lessons" && verify --lesson-file two-answers.lesson
! two-answers.lesson:9:11: error: expected a number, a name, '(' or '[' but found end of input
!   answer X +
!             ^
! two-answers.lesson:10:1: error: 'answer' gives a form exercise its model answer, or a diagnose or mistake exercise the right side its wrong line needs, once
!   answer X
!   ^
? 2

# A lesson past 256 KB is refused before it is read.
$ cd "$(mktemp -d)" && { printf 'lesson big\ntitle t\nmatrix X = x 2x2\nstep s\n'; for i in $(seq 1 25000); do printf 'claim X == X\n'; done; } > big.lesson && verify --lesson-file big.lesson
! verify: error: big.lesson is larger than a lesson can be (256 KB)
? 2
$ verify --lesson pooling-delta --size X=64x64 | tail -1
> pooling-delta: 7 checks, 7 as the lesson says ✓
? 0

# "did you mean" for a lesson run as a command, --lesson all, a typo.
$ verify pooling-delta
! verify: error: unknown command 'pooling-delta' (did you mean --lesson pooling-delta?)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2
$ verify grad
! verify: error: unknown command 'grad' (did you mean 'grade'?)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2
$ verify --lesson all
! verify: error: no lesson 'all' (did you mean --all?)
? 2
$ verify --lesson pooling-delt
! verify: error: no lesson 'pooling-delt' (did you mean 'pooling-delta'? verify --list shows them)
? 2

# A lesson's file is named after it: the name is the key everywhere.
$ cd "$(mktemp -d)" && printf 'lesson mean-pool-delta\ntitle t\nmatrix X = x 2x2\nstep s\nclaim X == X\n' > mean-pool.lesson && verify --lesson-file mean-pool.lesson
! mean-pool.lesson: error: the file is mean-pool.lesson but the lesson is named 'mean-pool-delta': a lesson's file is named after it (rename one of the two)
? 2
$ cd "$(mktemp -d)" && printf 'lesson dym\ntitle t\nmatrix X = x 2x2\nstep s\nclaim X = X\nhints foo\n' > dym.lesson && verify --lesson-file dym.lesson
! dym.lesson:5:9: error: unexpected character '=' (an equation is written with '==')
!   claim X = X
!           ^
! dym.lesson:6:1: error: unknown directive 'hints' (did you mean 'hint'?)
!   hints foo
!   ^
? 2
$ verify --lesson pooling-delta --size X=2x2 2>&1 | head -1 | sed "s|$VERIFY_LESSONS|LESSONS|"
> LESSONS/pooling-delta.lesson:12:19: error: conv: the 2x3 kernel is larger than the 2x2 input in 'valid' mode (use 'full') (at the checked sizes: X 2x2 K 2x3; --size NAME=RxC sets both)
? 0

# A corrected form (or a claim) with no value at the sizes --size set is a
# size the lesson cannot run at: an error of the sizes, exit 2, not a
# check that fails.
$ verify --lesson rot180 --size X=2x3 2>&1 | sed "s|$VERIFY_LESSONS|LESSONS|"
> LESSONS/rot180.lesson:37:9: error: conv: the 3x3 kernel is larger than the 2x3 input in 'valid' mode (use 'full') (at the shown sizes: K 3x3 X 2x3; --size NAME=RxC sets both)
>   instead conv(X, K) == xcorr(X, rot180(K))
>           ^
? 0

# A refute true at one set of sizes --size set (a 1x1 δ is its own
# dilation) and refuted at the other still stands, with a warning.
$ verify --lesson stride --size X=3x3 --no-color | grep -E -m1 -B3 'warning'; verify --lesson stride --size X=3x3 | tail -1
>       the backward step of stride 1, δ not dilated
>       exact: holds in every entry (3x3)
>       numbers: fails: the left side is 3x3, the right side 3x2
>       warning: true exactly at the shown sizes --size set, which are too small to show this mistake; the checked numbers show it
> stride: 8 checks, 8 as the lesson says ✓ (2 refutes cannot show their mistake at these sizes)
? 0

$ verify --lesson stride --size X=3x3 --format json | grep -c '"size_too_small":.*"true exactly at the shown sizes"'
> 2
? 0

$ verify --lesson mistakes --size Y=2x3 --no-color | grep -E 'warning'
>       warning: true on the checked numbers at the sizes --size set, which are too small to show this mistake; the shown sizes show it exactly
? 0

# Prose follows the sizes: {{EXPR}} and {{EXPR in words}} in a text line.
$ verify --lesson pooling-delta | grep -o 'a line for each entry of x, [a-z]* here'
> a line for each entry of x, nine here
? 0
$ verify --lesson pooling-delta --size X=4x4 | grep -o 'a line for each entry of x, [a-z]* here'
> a line for each entry of x, sixteen here
? 0
$ verify --lesson pooling-delta --size X=5x5 --format json | grep -o 'every one of the [a-z-]* lines'
> every one of the twenty-five lines
? 0
$ cd "$(mktemp -d)" && printf 'lesson slots\ntitle t\nmatrix X = x 2x3\nstep s\ntext {{rows(X)}} rows, {{cols(X) in words}} columns, {{sum(X .* 0) + 1.5}}\nclaim X == X\n' > slots.lesson && verify --lesson-file slots.lesson | grep rows
>   2 rows, three columns, 1.5
? 0
# Sizes in the prose: {{EXPR as a size}}, {{checked EXPR}} at the checked
# sizes; an example line is true of the lesson's own sizes, and says so at
# any other.
$ cd "$(mktemp -d)" && printf 'lesson slots\ntitle t\nmatrix X = x 2x3 checked 4x5\nstep s\ntext X is {{X as a size}} shown, {{checked X as a size}} checked, {{checked rows(X) * cols(X)}} entries.\nexample Here x11 is the corner of a 2x3 input.\nclaim X == X\n' > slots.lesson && verify --lesson-file slots.lesson | grep -E 'X is|corner' && verify --lesson-file slots.lesson --size X=3x3 | grep -E 'X is|corner'
>   X is 2x3 shown, 4x5 checked, 20 entries.
>   Here x11 is the corner of a 2x3 input.
>   X is 3x3 shown, 3x3 checked, 9 entries.
>   At the lesson's own sizes (X 2x3): Here x11 is the corner of a 2x3 input.
? 0

$ cd "$(mktemp -d)" && printf 'lesson slots\ntitle t\nmatrix X = x 2x3\nstep s\nexample {{rows(X)}} rows\nclaim X == X\n' > slots.lesson && verify --lesson-file slots.lesson
! slots.lesson:5:9: error: an example line is about the lesson's own sizes: it has no {{...}} (write it as a text line)
!   example {{rows(X)}} rows
!           ^
? 2

$ cd "$(mktemp -d)" && printf 'lesson slots\ntitle t\nmatrix X = x 2x3\nstep s\ntext {{rows(X) +}} and {{cols(X)\nclaim X == X\n' > slots.lesson && verify --lesson-file slots.lesson
! slots.lesson:5:17: error: expected a number, a name, '(' or '[' but found end of input
!   text {{rows(X) +}} and {{cols(X)
!                   ^
! slots.lesson:5:24: error: '{{' without its '}}' (a number of the text is written {{EXPR}} or {{EXPR in words}}, a size {{EXPR as a size}})
!   text {{rows(X) +}} and {{cols(X)
!                          ^
? 2
$ cd "$(mktemp -d)" && printf 'lesson slots\ntitle t\nmatrix X = x 2x3\nstep s\ntext {{X}}\nclaim X == X\n' > slots.lesson && verify --lesson-file slots.lesson
! slots.lesson:5:8: error: a number of the text must be one number, not a 2x3 matrix
!   text {{X}}
!          ^
? 2

# The man page names every command and option that --help names.
$ for w in $(verify --help | grep -o -- '--[a-z][a-z-]*' | sort -u) tutor eval notes exercise drill check grade progress reset; do grep -q -- "$(printf '%s' "$w" | sed 's/-/\\\\-/g')" "$TESTS/../docs/verify.1" || echo "missing: $w"; done; echo checked
> checked
? 0

# Bash completion: commands, lesson names, an exercise's options.
$ source "$TESTS/../completion/verify.bash"; COMP_WORDS=(verify gr); COMP_CWORD=1; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify --lesson pool); COMP_CWORD=2; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify check pooling-delta --an); COMP_CWORD=3; _verify; echo "${COMPREPLY[*]}"
> grade
> pooling-forward pooling-delta pooling-grads
> --answers
? 0
$ source "$TESTS/../completion/verify.bash"; cd "$(mktemp -d)"; COMP_WORDS=(verify no); COMP_CWORD=1; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify grade --no); COMP_CWORD=2; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify tutor --no); COMP_CWORD=2; _verify; echo "${COMPREPLY[*]}"
> notes
> --notes
> --notes
? 0
$ cd "$TESTS/lessons" && verify --lesson-file bad-diagnose-key.lesson
! bad-diagnose-key.lesson:76:8: error: the answer of exercise valid does not repair line 2: xcorr(pad(D, rows(K) - 1, cols(K) - 1), K) == conv2(D, K, 'valid') does not hold
!   answer conv2(D, K, 'valid')
!          ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-form-key.lesson
! bad-form-key.lesson:68:8: error: the answer of exercise full is not equal to its expression grad(E, X) (exactly at (1,1))
!   answer conv2(D, K, 'full')
!          ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-key-grad.lesson
! bad-key-grad.lesson:68:8: error: the answer of exercise full is not an answer: grad(…) computes it for you: write ∂E/∂X with X yourself
!   answer grad(E, X)
!          ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-entry-key.lesson
! bad-entry-key.lesson:62:33: error: unknown name 'Y'
!   exercise dx22 entry 2 2 grad(E, Y)
!                                   ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file bad-allow.lesson
! bad-allow.lesson:67:10: error: exercise full allows 'Q', which is no matrix, scalar or definition of the lesson
!   exercise full form grad(E, X)
!            ^
? 2

$ cd "$TESTS/lessons" && d=$(mktemp -d) && printf 'full: xcorr(D, K, "full")\n' > "$d/a.txt" && verify check --lesson-file bad-form-key.lesson --answers "$d/a.txt"
! bad-form-key.lesson:68:8: error: the answer of exercise full is not equal to its expression grad(E, X) (exactly at (1,1))
!   answer conv2(D, K, 'full')
!          ^
? 2

$ cd "$TESTS/lessons" && export XDG_STATE_HOME=$(mktemp -d) && printf "xcorr(D, K, 'full') + 0*X\nxcorr(D, K, 'full')\n" | verify exercise --lesson-file allow-dk.lesson full
> allow-dk: 3 exercises. Answer each on one line; ? gives a hint, giveup shows the answer, skip goes on (prev goes back, #2 to the second).
> 
> Exercise 2 of 3 (full): Write the whole of ∂E/∂X as one expression of D and K.
> ✗ not an answer: this answer may not use X: write ∂E/∂X with D and K yourself
> ✓ right
> 
> allow-dk: full solved (1 of 3 exercises solved)
? 0

# The practice command printed after a teacher's lesson works as printed.
$ cd "$TESTS/lessons" && verify --lesson-file allow-dk.lesson | grep -c 'answer it with verify exercise --lesson-file allow-dk.lesson)$'
> 3
? 0

$ cd "$TESTS/lessons" && export XDG_STATE_HOME=$(mktemp -d) && cmd=$(verify --lesson-file allow-dk.lesson | grep -m1 -o 'verify exercise --lesson-file [^)]*') && printf 'skip\nskip\nskip\n' | eval "$cmd" | tail -1
> allow-dk: 0 of 3 exercises solved
? 0


# A definition that uses itself is an error where it is written, found when
# the lesson is read; a long chain without a cycle is no cycle.
$ cd "$TESTS/lessons" && verify --lesson-file cyc.lesson
! cyc.lesson:6:1: error: the definition of 'B' uses itself (B → C → B)
!   define B = C + X
!   ^
? 2

$ cd "$TESTS/lessons" && verify --lesson-file chain.lesson | tail -1
> chain: 1 check, 1 as the lesson says ✓
? 0

$ verify eval "equal(1e308, -1e308)"
> fails at (1,1):
>   left:  1e+308
>   right: -1e+308
>   they differ by more than the largest double (1.8e+308), more than their error bound 6.66e+292
? 1

# Large sizes stay quick when a refute needs its search or a claim with
# grad() higher precision: at most 256 entries are differenced over MPFR,
# and fewer draws are searched where each costs more.
$ timeout 20 "$bin" --lesson pooling-delta --size X=64x64 --seed 3 | tail -1
> pooling-delta: 7 checks, 7 as the lesson says ✓
? 0

# Many large matrices in a small file are refused before they are made.
$ cd "$TESTS/lessons" && verify --lesson-file many.lesson
! many.lesson:12:1: error: the lesson's matrices hold more than 65536 entries together here (the limit)
!   matrix M8 = mi 64x64
!   ^
? 2

# A teacher's lesson is checked in one pass: every step's error at once,
# each at its line.
$ cd "$(mktemp -d)" && printf 'lesson two\ntitle two errors\nmatrix X = x 2x2\nmatrix K = k 3x3\nstep one\nshow a = conv(X, K)\nclaim sum(X) == sum(X)\nstep two\nshow b = X * K\nclaim rows(X) == 2\n' > two.lesson && verify --lesson-file two.lesson
! two.lesson:6:10: error: conv: the 3x3 kernel is larger than the 2x2 input in 'valid' mode (use 'full')
!   show a = conv(X, K)
!            ^
! two.lesson:9:12: error: '*': 2x2 times 3x3: the inner sizes 2 and 3 differ (use .* for the element-wise product)
!   show b = X * K
!              ^
? 2

# A check past the work one check may take is not decided, marked ?, never
# "fails"; the lesson goes on with the next check and exits 1 (not confirmed).
$ cd "$TESTS/lessons" && verify --lesson-file too-large.lesson --no-color | grep -v '^  ? claim sum(conv'; echo "${PIPESTATUS[0]}"
> too-large: one claim past the work budget, one within it
> symbols at X 3x3; numbers at X 3x3 (seed 1)
>
> Step 1. Two claims
>
>       exact: not decided (conv: too large to decide here (8.14e+07 terms, limit 7.5e+07))
>       numbers: not decided (conv: too large to decide here (1.63e+08 terms, limit 1.5e+08))
>       expected to hold, but it could not be decided here
>
>   ✓ claim sum(X) == sum(X')
>       exact: holds in every entry (1x1)
>       numbers: holds in every entry (1x1; max difference 2.2e-16, within the rounding bound 1.2e-14)
>
> too-large: 2 checks, 1 as the lesson says ✗ (1 not decided here)
> 1
? 0

# Finite differences count their work as they spread (through a chain of
# convolutions a moved entry reaches most of each stage): past the budget
# the gradient check is not decided, in about a second, not six.
$ cd "$TESTS/lessons" && verify --lesson-file fd-too-large.lesson --no-color | grep -E 'finite differences:|not decided here'
>       finite differences: not decided (too large to decide here (1.5e+08 terms, limit 1.5e+08))
> fd-too-large: 1 check, 0 as the lesson says ✗ (1 not decided here)
? 0

# The prose follows the sizes: the padding pooling-delta describes is K's.
$ verify --lesson pooling-delta --size K=3x3 --no-color | grep 'pads δ'
>   The picture pads δ with zeros because K is 3x3: rows(K) - 1 = 2 of them above and below, cols(K) - 1 = 2 left and right.
? 0

# --format completion offers each command's own formats; notes completes
# Markdown, notebooks and LaTeX documents.
$ source "$TESTS/../completion/verify.bash"; COMP_WORDS=(verify eval 1 --format ""); COMP_CWORD=4; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify grade L D --format ""); COMP_CWORD=5; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify grade --notes D --format ""); COMP_CWORD=5; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify --lesson L --format ""); COMP_CWORD=4; _verify; echo "${COMPREPLY[*]}"; d=$(mktemp -d); touch "$d/a.md" "$d/b.ipynb" "$d/c.tex" "$d/d.txt"; cd "$d"; COMP_WORDS=(verify notes ""); COMP_CWORD=2; _verify; printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '; echo
> text json latex markdown
> csv csv-long json
> csv json
> text json tap markdown html
> a.md b.ipynb c.tex 
? 0

# The man page and the completion know every option --help lists.
$ for o in $(verify --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u); do m=$(printf '%s' "$o" | sed 's/-/\\\\-/g'); grep -q -- "$m" "$TESTS/../docs/verify.1" || echo "the man page lacks $o"; grep -q -- "$o" "$TESTS/../completion/verify.bash" || echo "the completion lacks $o"; done; echo checked
> checked
? 0

# A failure the shown numbers happen to satisfy (at seed 2 the shown b is
# the sum of the shown D) is shown on the checked numbers, which are
# printed beside it.
$ verify --lesson conv-bias-grad --seed 2 | grep -A9 '✓ refute b == sum(D)'
>   ✓ refute b == sum(D)
>       the notes' line as written, "b = Σ δ": it is the derivative, not b
>       exact: fails at (1,1): b ≠ δ₁₁ + δ₁₂ + δ₂₁ + δ₂₂
>       numbers: fails at (1,1): 0.795476 ≠ 1.86412 (they differ by 1.1, more than the rounding bound 9.8e-15)
>       the shown numbers do not show it; the checked ones (random, seed 2) do:
>         X                                                        K                                 D                                 b
>         -1.30311      0.64198  -0.652074  -1.76748  -0.917929    -0.977459  -0.0165881  1.35513    -1.02438   -2.21508  -0.149365    0.795476
>         0.650857    -0.909848  -0.140926  0.780644    1.15856    -0.708618    0.252533  0.39303     1.38294    1.45697    2.11548
>          1.96766  -0.00440961    2.60569  0.585658  -0.696818                                       1.50948  -0.981445  -0.230484
>         0.150269     -2.58991   -0.31664  -1.89795  -0.159628
? 0

# A teacher's lesson checked in one pass: the errors of reading and those
# that running what reads finds, in line order; Q, whose line is wrong, is
# not also an unknown name.
$ cd "$TESTS/lessons" && verify --lesson-file one-pass.lesson
! one-pass.lesson:7:1: error: unknown directive 'matrixx' (did you mean 'matrix'?)
!   matrixx Q = q 2x2
!   ^
! one-pass.lesson:11:29: error: unknown name 'Y'
!   claim conv(X, K) == conv(X, Y)
!                               ^
! one-pass.lesson:12:10: error: the exercise 'e1' has no question: add 'ask TEXT'
!   exercise e1 form grad(sum(X), X)
!            ^
! one-pass.lesson:13:1: error: unknown directive 'askk' (did you mean 'ask'?)
!   askk Write it
!   ^
! one-pass.lesson:15:15: error: unknown name 'Z'
!   text t {{rows(Z)}}
!                 ^
! one-pass.lesson:16:18: error: unknown name 'full' (an option is a string: 'full')
!   claim conv(X, K, full) == conv(X, K)
!                    ^
! one-pass.lesson:17:8: error: a refute needs its corrected form: add 'instead LEFT == RIGHT' after it
!   refute X == X
!          ^
? 2

# 'as' shows a check in a derivation's own notation; it follows a check,
# once, with text.
$ cd "$(mktemp -d)" && printf 'lesson asbad\ntitle t\nmatrix X = x 2x2\nstep s\nas too early\nclaim X == X\nas X = X\nas X = X again\nclaim X == X\nas\n' > asbad.lesson && verify --lesson-file asbad.lesson
! asbad.lesson:5:1: error: 'as' belongs right after a claim, refute or gradcheck (it says how the check is shown)
!   as too early
!   ^
! asbad.lesson:8:1: error: the check has an 'as' already
!   as X = X again
!   ^
! asbad.lesson:10:3: error: expected how to show the check after 'as'
!   as
!     ^
? 2
