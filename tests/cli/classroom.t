# Exercises from the command line: verify exercise, check, grade, progress, reset.
# Each case keeps its progress in a folder of its own.

$ export XDG_STATE_HOME=$(mktemp -d); printf '?\n?\nd11*k11 + d12*k12\nd11*k11 + d12*k12 + d21*k21 + d22*k22\ngiveup\n2: conv2(D, rot180(K), "full")\n' | verify exercise pooling-delta
> pooling-delta: 3 exercises. Answer each on one line; ? gives a hint, giveup shows the answer, skip goes on (prev goes back, #2 to the second).
> 
> Exercise 1 of 3 (dx22): Write ∂E/∂x₂₂ as the notes do, in δ (d) and k. Plain text (d11*k11 + ...) or the notes' LaTeX ((\delta_j^{l+1})_{11} k_{11} + ...) both work.
> hint 1 of 3: x₂₂ enters all four outputs a₁₁, a₁₂, a₂₁, a₂₂.
> hint 2 of 3: In a₁₁, x₂₂ meets k₁₁: the term is δ₁₁k₁₁.
> ✗ not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> ✓ right
> 
> Exercise 2 of 3 (full): Write the whole of ∂E/∂X as one expression of D and K.
> one answer: xcorr(D, K, 'full')
> 
> Exercise 3 of 3 (valid): One line of this derivation uses the wrong size of convolution. Which, and what should its right side be? Answer with the line's number and its right side, such as "2: EXPR" or "line 2 should be EXPR".
>   1. grad(E, X) == xcorr(pad(D, rows(K) - 1, cols(K) - 1), K)
>   2. xcorr(pad(D, rows(K) - 1, cols(K) - 1), K) == conv2(D, rot180(K), 'valid')
>   3. conv2(D, rot180(K), 'full') == xcorr(D, K, 'full')
> ✓ right
> 
> pooling-delta: 2 of 3 exercises solved
? 1

$ export XDG_STATE_HOME=$(mktemp -d); printf 'd11*k11 + d12*k12 + d21*k21 + d22*k22\n' | verify exercise pooling-delta >/dev/null; verify progress
> pooling-delta      dx22           solved    1 attempt, 0 hints
? 0

$ export XDG_STATE_HOME=$(mktemp -d); verify progress --student ann
> no exercises tried yet by ann (verify exercise LESSON)
? 0

$ export XDG_STATE_HOME=$(mktemp -d); printf 'd11*k11 + d12*k12 + d21*k21 + d22*k22\n' | verify exercise pooling-delta >/dev/null; verify reset pooling-delta < /dev/null
! verify: error: reset asks before it forgets; without a terminal, add --yes
? 2

$ export XDG_STATE_HOME=$(mktemp -d); printf 'd11*k11 + d12*k12 + d21*k21 + d22*k22\n' | verify exercise pooling-delta >/dev/null; verify reset pooling-delta --yes; verify progress
> pooling-delta: 1 exercise record forgotten
> no exercises tried yet (verify exercise LESSON)
? 0

# A progress file that is not ours is kept aside, never overwritten.
$ export XDG_STATE_HOME=$(mktemp -d); mkdir -p $XDG_STATE_HOME/verify; echo 'not json' > $XDG_STATE_HOME/verify/progress.json; verify progress 2>&1 | sed 's/corrupt-[0-9]*/corrupt-TIME/; s|/tmp/[^/]*/|STATE/|'; cat $XDG_STATE_HOME/verify/progress.json.corrupt-*
> verify: the progress file was not readable; it is kept as STATE/verify/progress.json.corrupt-TIME
> no exercises tried yet (verify exercise LESSON)
> not json
? 0

# verify check: a file of answers, marked; exit 0 only when all are right.
$ verify check pooling-delta --answers "$TESTS/classroom/right.txt"
> dx22: ✓ right
> full: ✓ right
> valid: ✓ right
> pooling-delta: 3 of 3 right
? 0

$ verify check pooling-delta --answers "$TESTS/classroom/wrong.txt"
> dx22: ✗ not yet: missing δ₂₂k₂₂; extra δ₂₂k₁₁
> full: ✗ not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed
> - valid: not answered
> pooling-delta: 0 of 3 right
? 1

$ verify check pooling-delta --answers "$TESTS/classroom/wrong.txt" --format json
> {
> 	"lesson":	"pooling-delta",
> 	"exercises":	{
> 		"dx22":	false,
> 		"full":	false,
> 		"valid":	null
> 	},
> 	"reasons":	{
> 		"dx22":	"not yet: missing δ₂₂k₂₂; extra δ₂₂k₁₁",
> 		"full":	"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed",
> 		"valid":	"not answered"
> 	},
> 	"unusable_lines":	[],
> 	"all_right":	false
> }
? 1

$ cd "$TESTS/classroom" && verify check pooling-delta --answers unknown.txt
> dx22: ✗ not yet: missing δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₂
> - full: not answered
> - valid: not answered
> pooling-delta: 0 of 3 right (1 line could not be used)
! verify: unknown.txt:2: the lesson pooling-delta has no exercise 'dx23' (did you mean 'dx22'?)
? 1

$ verify check pooling-delta
! verify: error: check needs --answers FILE
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify check no-such --answers x
! verify: error: no lesson 'no-such' (verify --list shows them)
? 2

$ verify exercise pooling-delta --student '=1+2'
! verify: error: --student needs a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@'
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --lesson rot180 --seed 3 --student ann
! verify: error: give --seed or --student, not both: a student's numbers come from the id
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# Each student's numbers come from the id: the same id, the same numbers.
$ [ "$(verify --lesson pooling-forward --student ann)" = "$(verify --lesson pooling-forward --student ann)" ] && [ "$(verify --lesson pooling-forward --student ann)" != "$(verify --lesson pooling-forward --student ben)" ] && echo own numbers
> own numbers
? 0

# verify grade: a folder of submissions; bad files are reported, never stop the batch.
$ d=$(mktemp -d); cp "$TESTS"/classroom/submissions/* "$d"; head -c 70000 /dev/zero | tr '\0' 'x' > "$d/gus.txt"; cd "$d" && verify grade pooling-delta .
> student,dx22,full,valid,total,error
> ann,1,1,1,3,
> ben,0,0,,0,
> cho,,,,0,./cho.txt is empty: no answers
> dev,1,0,0,1,
> eve,,,,0,./eve.bin is not a text file
> fay,,,,0,./fay.txt:1: expected 'EXERCISE: answer' but found 'this is not an answer'
> gus,,,,0,./gus.txt is larger than a file of answers can be (64 KB)
! verify: cho.txt: ./cho.txt is empty: no answers
! verify: eve.bin: ./eve.bin is not a text file
! verify: fay.txt: ./fay.txt:1: expected 'EXERCISE: answer' but found 'this is not an answer'
! verify: gus.txt: ./gus.txt is larger than a file of answers can be (64 KB)
? 0

$ cd "$TESTS/classroom/submissions" && verify grade pooling-delta . --format json 2>/dev/null | head -3
> {"exercises":["dx22","full","valid"],"lesson":"pooling-delta","students":[
> {"student":"ann","answers":{"dx22":true,"full":true,"valid":true},"reasons":{"dx22":"right","full":"right","valid":"right"},"total":3},
> {"student":"ben","answers":{"dx22":false,"full":false,"valid":null},"reasons":{"dx22":"not yet: missing δ₂₂k₂₂; extra δ₂₂k₁₁","full":"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed","valid":"not answered"},"total":0},
? 0

$ verify grade pooling-delta /nonexistent
! verify: error: cannot read the folder /nonexistent: No such file or directory
? 2

# An answer that cannot be decided is marked wrong, and the batch goes on
# (it used to stop the class with exit 2).
$ d=$(mktemp -d); printf 'dx22: 1e-30\n' > "$d/alice.txt"; printf 'dx22: 3^40\n' > "$d/bob.txt"; printf 'full: xcorr(D, K, '"'"'full'"'"')\n' > "$d/carol.txt"; cd "$d" && verify grade pooling-delta .
> student,dx22,full,valid,total,error
> alice,0,,,0,
> bob,0,,,0,
> carol,,1,,1,
? 0
$ d=$(mktemp -d); printf 'dx22: 1e-30\nfull: xcorr(D, K, '"'"'full'"'"')\n' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt"
> dx22: ✗ the answer cannot be decided: the number 1e-30 has no exact form within 64 bits (exact arithmetic keeps fractions of 64-bit integers)
> full: ✓ right
> - valid: not answered
> pooling-delta: 1 of 3 right
? 1

# Hostile folders: names that would be spreadsheet formulas or forge lines,
# links (never followed), FIFOs, folders, hidden files, one student twice,
# a BOM, a bad line beside good ones.
$ d=$(mktemp -d); cd "$d"; for n in '=1+2' '+cmd' '@SUM(A1)' '-2-3'; do printf 'dx22: d11\n' > "$n.txt"; done; printf 'dx22: d11\n' > "$(printf 'x\033[31my')".txt; verify grade pooling-delta .
> student,dx22,full,valid,total,error
> '+cmd,,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
> '-2-3,,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
> '=1+2,,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
> '@SUM(A1),,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
> x?[31my,,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
! verify: +cmd.txt: the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')
! verify: -2-3.txt: the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')
! verify: =1+2.txt: the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')
! verify: @SUM(A1).txt: the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')
! verify: x?[31my.txt: the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')
? 0
$ d=$(mktemp -d); cd "$d"; printf 'secret-token-1234\n' > ../secret-$$; ln -s "../secret-$$" link.txt; ln -s /nonexistent dangling.txt; mkfifo pipe.txt; mkdir sub; printf 'dx22: d11\n' > .hidden.txt; printf 'dx22: d11\n' > "$(printf 'a\nverify: forged')"; printf 'dx22: d11\n' > alice.txt; printf 'dx22: d11\n' > alice.ans; printf '\357\273\277full: xcorr(D, K, "full")\n' > bom.txt; printf 'oops\nfull: xcorr(D, K, "full")\n' > mixed.txt; timeout 10 "$bin" grade pooling-delta . 2>/dev/null; rm -f ../secret-$$
> student,dx22,full,valid,total,error
> a?verify: forged,,,,0,"the file name does not make a student's name (a name of up to 64 printable characters, in any script, with spaces and apostrophes; not starting with a space, '-', '=', '+' or '@')"
> alice,,,,0,alice.ans and alice.txt give the same student id
> alice,,,,0,alice.ans and alice.txt give the same student id
> bom,,1,,1,
> mixed,,1,,1,./mixed.txt:1: expected 'EXERCISE: answer' but found 'oops'
? 0
$ d=$(mktemp -d); cd "$d"; ln -s /etc/hostname link.txt; mkfifo pipe.txt; mkdir sub; printf 'x\n' > .hidden.txt; printf 'dx22: d11\n' > ann.txt; timeout 10 "$bin" grade pooling-delta . 2>&1 >/dev/null | sort
> verify: .hidden.txt: a hidden file, not graded
> verify: link.txt: a symbolic link, not followed
> verify: pipe.txt: not a regular file (a FIFO, a device or a socket), not graded
> verify: sub: a folder, not graded
? 0
$ cd "$(mktemp -d)" && mkdir answers && verify check pooling-delta --answers answers
! verify: error: answers is not a regular file
? 2
$ cd "$(mktemp -d)" && mkfifo p && timeout 5 "$bin" check pooling-delta --answers p; echo "status $?"
! verify: error: p is not a regular file
> status 2

# reset of a lesson that does not exist (and has no saved progress) is an error.
$ XDG_STATE_HOME=$(mktemp -d) verify reset nosuch --yes
! verify: error: no lesson 'nosuch' (verify --list shows them)
? 2

# Progress that cannot be kept: practise all the same, with one warning.
$ S=$(mktemp -d) && touch "$S/verify" && printf 'd11*k11\nskip\nskip\n' | XDG_STATE_HOME=$S verify exercise pooling-delta 2>&1 >/dev/null | sed "s|$S|STATE|"
> verify: warning: progress is not saved: cannot read STATE/verify/progress.json: Not a directory; practising without it
? 0
$ S=$(mktemp -d) && mkdir -p "$S/verify" && mkfifo "$S/verify/progress.json" && timeout 5 env XDG_STATE_HOME=$S "$bin" progress 2>&1 | sed "s|$S|STATE|"
> verify: error: STATE/verify/progress.json is not a regular file; move it away to keep progress
? 0

# A 40 KB answer of D+D+... is an answer too deep to read, not a crash.
$ d=$(mktemp -d); printf 'full: ' > "$d/a.txt"; for i in $(seq 1 8000); do printf 'D+'; done >> "$d/a.txt"; printf 'D\n' >> "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | grep full
> full: ✗ the answer cannot be read: the expression is more than 1000 operations deep (the limit); split a long sum with sum() or a matrix (at character 1998)
? 0
# A gradebook lost to a full disk is an error.
$ d=$(mktemp -d); printf 'dx22: d11\n' > "$d/ann.txt"; verify grade pooling-delta "$d" > /dev/full
! verify: error: cannot write the output: No space left on device
? 2

# Escape bytes in an answer never reach the terminal; an over-long answer
# line is refused, and the session goes on.
$ d=$(mktemp -d); printf 'dx22: \033[31mred\n' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | head -1
> dx22: ✗ the answer cannot be read: unexpected character '?' (at character 1)
? 0
$ { head -c 70000 /dev/zero | tr '\0' 'd'; printf '\nskip\nskip\nskip\n'; } | verify exercise pooling-delta | grep -c 'longer than an answer can be'
> 1
? 0
$ d=$(mktemp -d); printf 'dx22: ' > "$d/a.txt"; for i in $(seq 1 3000); do printf '\\frac{'; done >> "$d/a.txt"; printf '1' >> "$d/a.txt"; for i in $(seq 1 3000); do printf '}{2}'; done >> "$d/a.txt"; printf '\n' >> "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | head -1
> dx22: ✗ the answer cannot be read: the formula nests deeper than verify reads (300 levels of parentheses, braces, fractions and operators) (at character 451)
? 0
# LaTeX answers are read by the same LaTeX reader as `verify notes`, in the
# spellings of the notes; what it cannot read names the student's token.
$ d=$(mktemp -d); printf '%s\n' 'dx22: $\left(\delta_j^{l+1}\right)_{11} k_{11} + \frac{\partial E}{\partial a_{12}} k_{12} + {\delta}_{2,1}k_{21} + \delta^{l+1}_{22}k_{22}$' 'full: \mathrm{xcorr}(\delta, K, '"'full'"')' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | head -2
> dx22: ✓ right
> full: ✓ right
? 0
$ d=$(mktemp -d); printf '%s\n' 'dx22: \delta_{11}k_{11} + \delta_{31}k_{12}' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | head -1
> dx22: ✗ the answer cannot be read: \delta_{31} is not an entry: \delta is 2x2 (at character 21)
? 0
# Two formulas in one LaTeX answer are refused as such (the smoke fuzz's
# use-after-free: the message read the freed block).
$ d=$(mktemp -d); printf '%s\n' 'dx22: a = b \\ c = d' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt" | head -1
> dx22: ✗ the answer cannot be read: the answer is more than one formula
? 0
$ verify check pooling-delta mine.txt
! verify: error: check: unexpected 'mine.txt' (did you mean --answers mine.txt?)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# A teacher's own lesson file serves exercise, check and grade as --lesson-file.
$ d=$(mktemp -d); cp "$TESTS/../lessons/pooling-delta.lesson" "$d/"; printf 'full: xcorr(D, K, "full")\n' > "$d/ann.txt"; mkdir "$d/class"; cp "$d/ann.txt" "$d/class/"; verify check --lesson-file "$d/pooling-delta.lesson" --answers "$d/ann.txt" | tail -1; verify grade "$d/class" --lesson-file "$d/pooling-delta.lesson"; printf 'skip\nskip\nskip\n' | XDG_STATE_HOME=$d verify exercise --lesson-file "$d/pooling-delta.lesson" | tail -1
> pooling-delta: 1 of 3 right
> student,dx22,full,valid,total,error
> ann,,1,,1,
> pooling-delta: 0 of 3 exercises solved
? 0
$ verify check pooling-delta --lesson-file x.lesson --answers a.txt
! verify: error: check: give a lesson's name or --lesson-file, not both
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# A class's derivations in Markdown, graded formula by formula: one row per
# student, the first failing line; a file that cannot be checked is that
# student's error, never the batch's end.
$ d=$(mktemp -d); cp "$TESTS/notes/cnn-backprop-notes-corrected.md" "$d/ann.md"; cp "$TESTS/notes/cnn-backprop-notes.md" "$d/bob.md"; sed '129s/x_{12}k_{22}/x_{12}k_{21}/' "$TESTS/notes/cnn-backprop-notes-corrected.md" > "$d/cat.md"; head -c 3000 /bin/sh > "$d/dan.md"; : > "$d/eve.md"; ln -s /etc/passwd "$d/fay.md"; verify grade --notes "$d"
> student,formulas,hold,fail,undecided,not checked,first failing line,error
> ann,65,45,0,0,20,,
> bob,65,39,6,0,20,83,
> cat,65,44,1,0,20,129,
> dan,,,,,,,not text (it holds a NUL byte)
> eve,,,,,,,"no formula in the file (math goes between $...$, $$...$$, \(...\) or \[...\])"
! verify: fay.md: a symbolic link, not followed
! verify: dan.md: not text (it holds a NUL byte)
! verify: eve.md: no formula in the file (math goes between $...$, $$...$$, \(...\) or \[...\])
? 0

$ d=$(mktemp -d); cp "$TESTS/notes/convolution-in-my-letters.md" "$d/ann.md"; verify grade --notes "$d" --format json | grep -c '"fails":0'
> 1
? 0

$ d=$(mktemp -d); printf 'matrix X = x 3x3\nmatrix K = k 9\n' > "$d/ctx"; mkdir "$d/class"; cd "$d" && verify grade --notes class --context ctx
! ctx:2:14: error: the context: expected a size such as 3x3 (1 to 64 each) or 'like EXPR' but found '9'
!   matrix K = k 9
!                ^
? 2

$ verify grade --notes
! verify: error: --notes needs the folder of the class's notes
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# One exercise by its id; --list gives the ids; a typo is told the near one.
$ verify exercise pooling-delta --list | awk '{print $1, $2, $3}'
> dx22 Write ∂E/∂x₂₂
> full Write the
> valid One line
? 0
$ cd "$(mktemp -d)" && echo "xcorr(D, K, 'full')" | XDG_STATE_HOME=$PWD verify exercise pooling-delta full | tail -1
> pooling-delta: full solved (1 of 3 exercises solved)
? 0
$ cd "$(mktemp -d)" && echo "conv2(D, K, 'full')" | XDG_STATE_HOME=$PWD verify exercise pooling-delta full > out; r=$?; tail -1 out; exit $r
> pooling-delta: full not solved (0 of 3 exercises solved)
? 1
$ verify exercise pooling-delta ful </dev/null
! verify: error: the lesson pooling-delta has no exercise 'ful' (did you mean 'full'? verify exercise pooling-delta --list shows them)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2
$ source "$TESTS/../completion/verify.bash"; COMP_WORDS=(verify exercise pooling-delta ""); COMP_CWORD=3; _verify; echo "${COMPREPLY[*]}"; COMP_WORDS=(verify exercise pooling-delta v); COMP_CWORD=3; _verify; echo "${COMPREPLY[*]}"
> dx22 full valid
> valid
? 0


# An answer must answer: the question, grad, or the quantity itself is refused,
# also hidden in a right answer.
$ export XDG_STATE_HOME=$(mktemp -d); printf "grad(E, X)\nconv2(D, rot180(K), 'full') + 0*grad(E, X)\nE + 0\nconv2(D, rot180(K), 'full')\n" | verify exercise pooling-delta full
> pooling-delta: 3 exercises. Answer each on one line; ? gives a hint, giveup shows the answer, skip goes on (prev goes back, #2 to the second).
> 
> Exercise 2 of 3 (full): Write the whole of ∂E/∂X as one expression of D and K.
> ✗ not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> ✗ not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> ✗ not an answer: E is the quantity being differentiated: write ∂E/∂X with D and K yourself
> ✓ right
> 
> pooling-delta: full solved (1 of 3 exercises solved)
? 0

$ d=$(mktemp -d); printf 'full: grad(E, X)\nvalid: 2: grad(E, X)\n' > "$d/a.txt"; verify check pooling-delta --answers "$d/a.txt"
> - dx22: not answered
> full: ✗ not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> valid: ✗ not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> pooling-delta: 0 of 3 right
? 1

# Students named as people are: any script, spaces, apostrophes; each its own
# numbers (from the name as given) and its own progress, shown as given.
$ export XDG_STATE_HOME=$(mktemp -d); for n in 王小明 'Anna Li' "o'brien"; do printf 'd11*k11 + d12*k12 + d21*k21 + d22*k22\n' | verify exercise pooling-delta dx22 --student "$n" | tail -1; done; verify progress --student 'Anna Li'; ls "$XDG_STATE_HOME/verify" | grep 'json$' | sort
> pooling-delta: dx22 solved (1 of 3 exercises solved)
> pooling-delta: dx22 solved (1 of 3 exercises solved)
> pooling-delta: dx22 solved (1 of 3 exercises solved)
> pooling-delta      dx22           solved    1 attempt, 0 hints
> progress-Anna_20Li.json
> progress-_E7_8E_8B_E5_B0_8F_E6_98_8E.json
> progress-o_27brien.json
? 0

$ verify --lesson rot180 --student 王小明 | grep seed; verify --lesson rot180 --student 'Anna Li' | grep seed
> symbols at K 3x3, X 4x4; numbers at K 2x3, X 4x5 (seed 726466275)
> symbols at K 3x3, X 4x4; numbers at K 2x3, X 4x5 (seed 58077210)
? 0

# A class of 30 generated students (tests/classroom/make-class), each with right,
# wrong, restating and malformed answers: every mark and its reason.
$ d=$(mktemp -d); "$TESTS/classroom/make-class" "$d"; cd "$d" && verify grade pooling-delta . --format csv-long
> student,exercise,mark,reason
> s01,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s01,full,1,right
> s01,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s02,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s02,full,1,right
> s02,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s03,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s03,full,1,right
> s03,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s04,dx22,1,right
> s04,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s04,valid,1,right
> s05,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s05,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s05,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s05,,,./s05.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> s06,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s06,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s06,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s07,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s07,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s07,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s08,dx22,1,right
> s08,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s08,valid,1,right
> s09,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s09,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s09,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s10,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s10,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s10,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s10,,,./s10.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> s11,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s11,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s11,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s12,dx22,1,right
> s12,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s12,valid,1,right
> s13,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s13,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s13,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s14,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s14,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s14,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s15,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s15,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s15,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s15,,,./s15.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> s16,dx22,1,right
> s16,full,1,right
> s16,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s17,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s17,full,1,right
> s17,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s18,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s18,full,1,right
> s18,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s19,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s19,full,1,right
> s19,valid,1,right
> s20,dx22,1,right
> s20,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s20,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s20,,,./s20.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> s21,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s21,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s21,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s22,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s22,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s22,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s23,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s23,full,0,"not yet: at (1,1) your answer gives δ₁₁k₁₁ where δ₁₁k₂₂ is needed"
> s23,valid,1,right
> s24,dx22,1,right
> s24,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s24,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s25,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s25,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s25,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s25,,,./s25.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> s26,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s26,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s26,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s27,dx22,0,"the answer cannot be read: expected a number, a name, '(' or '[' but found end of input (at character 10)"
> s27,full,0,not an answer: grad(…) computes it for you: write ∂E/∂X with D and K yourself
> s27,valid,1,right
> s28,dx22,1,right
> s28,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s28,valid,0,not yet: line 3 holds as it stands; look for the line that does not
> s29,dx22,0,not yet: missing δ₂₁k₂₁ + δ₂₂k₂₂
> s29,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s29,valid,0,not an answer: grad(…) computes it for you: write the right side of line 2 with D and K yourself
> s30,dx22,0,"not an answer: grad(…) computes it for you: write entry (2,2) of ∂E/∂X yourself"
> s30,full,0,"the answer cannot be read: expected ',' or ')' but found end of input (at character 27)"
> s30,valid,0,"the answer cannot be read: answer with the number of the wrong line and its right side: ""2: EXPR"" (lines 1 to 3)"
> s30,,,./s30.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s05.txt: ./s05.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s10.txt: ./s10.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s15.txt: ./s15.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s20.txt: ./s20.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s25.txt: ./s25.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
! verify: s30.txt: ./s30.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
? 0

# Long-running commands stop when no one is listening: a full disk or a
# reader that is gone ends them with one error, exit 2, SIGPIPE ignored or not.
$ export XDG_STATE_HOME=$(mktemp -d); yes skip | timeout 10 "$bin" drill > /dev/full
! verify: error: cannot write the output: No space left on device
? 2

$ export XDG_STATE_HOME=$(mktemp -d); (trap '' PIPE; yes skip 2>/dev/null | timeout 10 "$bin" drill | head -1 > /dev/null; echo "${PIPESTATUS[1]}")
> 2
! verify: error: cannot write the output: Broken pipe
? 0

$ export XDG_STATE_HOME=$(mktemp -d); yes skip | timeout 10 "$bin" exercise pooling-delta > /dev/full
! verify: error: cannot write the output: No space left on device
? 2

# Between exercises: prev goes back, #N and exercise N to the N-th, a
# number past them says how many there are.
$ export XDG_STATE_HOME=$(mktemp -d); printf 'prev\n#3\nexercise 9\nprev\nnext\n' | verify exercise pooling-delta | grep -E '^Exercise|^this|^the lesson'
> Exercise 1 of 3 (dx22): Write ∂E/∂x₂₂ as the notes do, in δ (d) and k. Plain text (d11*k11 + ...) or the notes' LaTeX ((\delta_j^{l+1})_{11} k_{11} + ...) both work.
> this is the first exercise
> Exercise 1 of 3 (dx22): Write ∂E/∂x₂₂ as the notes do, in δ (d) and k. Plain text (d11*k11 + ...) or the notes' LaTeX ((\delta_j^{l+1})_{11} k_{11} + ...) both work.
> Exercise 3 of 3 (valid): One line of this derivation uses the wrong size of convolution. Which, and what should its right side be? Answer with the line's number and its right side, such as "2: EXPR" or "line 2 should be EXPR".
> the lesson has 3 exercises: #1 to #3
> Exercise 3 of 3 (valid): One line of this derivation uses the wrong size of convolution. Which, and what should its right side be? Answer with the line's number and its right side, such as "2: EXPR" or "line 2 should be EXPR".
> Exercise 2 of 3 (full): Write the whole of ∂E/∂X as one expression of D and K.
> Exercise 3 of 3 (valid): One line of this derivation uses the wrong size of convolution. Which, and what should its right side be? Answer with the line's number and its right side, such as "2: EXPR" or "line 2 should be EXPR".
? 0

# An endless answer line is read in pieces and refused, never kept whole.
$ export XDG_STATE_HOME=$(mktemp -d); (head -c 3000000 /dev/zero | tr '\0' 'x'; printf '\nskip\n') | verify exercise pooling-delta dx22 | grep longer
> ✗ the answer is longer than an answer can be (64 KB)
? 0

# One slow answer costs its own verdict, not the class's time.
$ d=$(mktemp -d); { printf 'full: sum(conv(ones(1024), ones(4)))'; for i in $(seq 99); do printf ' + sum(conv(ones(1024), ones(4)))'; done; echo; } > "$d/a.txt"; timeout 30 "$bin" check pooling-delta --answers "$d/a.txt" | grep full
> full: ✗ the answer cannot be decided: conv: too large to decide here (1.63e+08 terms, limit 1.5e+08)
? 0

# A class in worker processes: one that is too slow costs its own row, the
# rows come in the students' order, and one worker or many write the same.
$ d=$(mktemp -d); "$TESTS/classroom/make-class" "$d"; { printf 'full: sum(conv(ones(1024), ones(4)))'; for i in $(seq 99); do printf ' + sum(conv(ones(1024), ones(4)))'; done; echo; } > "$d/slow.txt"; cd "$d" && verify grade pooling-delta . --seconds 1 2>/dev/null | tail -2
> s30,0,0,0,0,./s30.txt:4: expected 'EXERCISE: answer' but found 'oops no colon'
> slow,,,,0,too slow to grade: over 1 s
? 0

$ d=$(mktemp -d); o=$(mktemp -d); "$TESTS/classroom/make-class" "$d"; cd "$d" && verify grade pooling-delta . --jobs 1 > "$o/one.csv" 2>/dev/null && verify grade pooling-delta . --jobs 4 > "$o/four.csv" 2>/dev/null && verify grade pooling-delta . --jobs 2 --format json > "$o/two.json" 2>/dev/null && cmp "$o/one.csv" "$o/four.csv" && grep -c '"student"' "$o/two.json"
> 30
? 0

$ d=$(mktemp -d); verify grade pooling-delta "$d" --jobs 0
! verify: error: --jobs needs a whole number from 1 to 64
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# An answer may be an equation whose left side is what is asked, in the
# spellings a student writes; a left side that names something else says
# what is asked.
$ export XDG_STATE_HOME=$(mktemp -d); printf '%s\n' 'x23 = d11*k11' 'x22 = d11*k11 + d12*k12 + d21*k21 + d22*k22' 'dX = xcorr(D, K, "full")' | verify exercise pooling-delta 2>&1 | grep -E '✓|✗'
> ✗ the answer cannot be read: the left side is not what is asked: write dE/dx22 = ..., or the right side alone
> ✓ right
> ✓ right
? 0

$ export XDG_STATE_HOME=$(mktemp -d); printf '%s\n' '\frac{\partial E}{\partial x_{22}} = d11*k11 + d12*k12 + d21*k21 + d22*k22' | verify exercise pooling-delta dx22 2>&1 | grep -E '✓|✗'; printf '%s\n' '∂E/∂x₂₂ = d11*k11 + d12*k12 + d21*k21 + d22*k22' | verify exercise pooling-delta dx22 2>&1 | grep -E '✓|✗'; printf '%s\n' 'dE/dX = xcorr(D, K, "full")' | verify exercise pooling-delta full 2>&1 | grep -E '✓|✗'
> ✓ right
> ✓ right
> ✓ right
? 0

# A diagnose answer in words around the line and its right side.
$ export XDG_STATE_HOME=$(mktemp -d); for a in "line 2 should be conv2(D, rot180(K), 'full')" "2 -> conv2(D, rot180(K), 'full')" "Line 2 is wrong, it should read conv2(D, rot180(K), 'full')"; do printf '%s\n' "$a" | verify exercise pooling-delta valid 2>&1 | grep -E '✓|✗'; done
> ✓ right
> ✓ right
> ✓ right
? 0

# An answer that cannot be read never advises a form that is then refused.
$ export XDG_STATE_HOME=$(mktemp -d); printf '%s\n' 'x22 == d11*k11' | verify exercise pooling-delta dx22 2>&1 | grep '✗'
> ✗ the answer cannot be read: expected an operator or end of input but found '==' (an answer is an expression, or what is asked = an expression) (at character 5)
? 0

# --list keeps the questions in one column, however long the ids.
$ verify exercise mistakes --list | awk '{print index($0, "What")}' | sort -u
> 22
? 0
