# verify notes: a derivation in Markdown with LaTeX, formula by formula.
# The whole reports of tests/notes/*.md are pinned in tests/golden/notes;
# these cases are the mutations, bad input and the command line.

# Mutated copies of the corrected notes are each caught at their line.
# A term dropped from the forward table:
$ sed '128s/+x_{22}k_{11}//' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A3 '^<stdin>:128:'
> <stdin>:128: ✗ a_{11} = x_{11}k_{22}+x_{12}k_{21} +x_{21} k_{12}
>     read in a convolution layer l
>     fails at (1,1): x₁₁k₂₂ + x₁₂k₂₁ + x₂₁k₁₂ + x₂₂k₁₁ ≠ x₁₁k₂₂ + x₁₂k₂₁ + x₂₁k₁₂
>     no standard repair makes it hold
? 0

# k22 swapped for k21:
$ sed '129s/x_{12}k_{22}/x_{12}k_{21}/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A2 '^<stdin>:129:'
> <stdin>:129: ✗ a_{12} = x_{12}k_{21}+x_{13}k_{21} +x_{22} k_{12}+x_{23}k_{11}
>     read in a convolution layer l
>     fails at (1,1): x₁₂k₂₂ + x₁₃k₂₁ + x₂₂k₁₂ + x₂₃k₁₁ ≠ x₁₂k₂₁ + x₁₃k₂₁ + x₂₂k₁₂ + x₂₃k₁₁
? 0

# 'full' changed to 'valid', and the repair found:
$ sed '189s/,full)/,valid)/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A3 '^<stdin>:189:'
> <stdin>:189: ✗ \frac {\partial E} {\partial net_i^l } = f'(net_i^l) \circ \sum_j conv2( …
>     read in a pooling layer l, convolution layer l+1; one feature map per layer
>     fails at (1,1): δ₁₁k₂₂f′(n₁₁) ≠ δ₁₁k₁₁f′(n₁₁) + δ₁₂k₁₂f′(n₁₁) + δ₂₁k₂₁f′(n₁₁) + δ₂₂k₂₂f′(n₁₁)
>     holds with another mode ('valid' and 'full' exchanged, 'full' for 'same'): \frac{\partial E}{\partial net_{i}^{l}} = f'(net_{i}^{l}) \circ \sum_{j} conv2(\delta_{j}^{l + 1}, rot180(K_{i,j}^{l + 1}), full)
? 0

# 'full' changed to 'same':
$ sed '189s/,full)/,same)/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A3 '^<stdin>:189:' | tail -1
>     holds with another mode ('valid' and 'full' exchanged, 'full' for 'same'): \frac{\partial E}{\partial net_{i}^{l}} = f'(net_{i}^{l}) \circ \sum_{j} conv2(\delta_{j}^{l + 1}, rot180(K_{i,j}^{l + 1}), full)
? 0

# Two indices of an entry swapped, and the swap found:
$ sed '129s/x_{13}k_{21}/x_{13}k_{12}/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A3 '^<stdin>:129:' | tail -1
>     holds with the two indices of an entry swapped: a_{12} = x_{12} k_{22} + x_{13} k_{21} + x_{22} k_{12} + x_{23} k_{11}
? 0

# A transpose in place of rot180:
$ sed '189s/rot180(K_{i,j}^{l+1})/(K_{i,j}^{l+1})^T/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - | grep -A3 '^<stdin>:189:' | tail -1
>     holds with a transpose replaced by rot180: \frac{\partial E}{\partial net_{i}^{l}} = f'(net_{i}^{l}) \circ \sum_{j} conv2(\delta_{j}^{l + 1}, rot180(\left(K_{i,j}^{l + 1}\right)), full)
? 0

# The 1/n² of mean pooling dropped:
$ sed '24s/\\frac{1}{4} //' "$TESTS/notes/mean-pooling-in-my-letters.md" | verify notes - | grep -A3 '^<stdin>:24:'
> <stdin>:24: ✗ \frac{\partial E}{\partial N} = up(\delta^{l+1}) \circ f'(N)
>     read in the file's context; up and down over 2x2 blocks
>     fails at (1,1): (1/4)δ₁₁f′(n₁₁) ≠ δ₁₁f′(n₁₁)
>     holds with the factor 1/n² of mean pooling: \frac{\partial E}{\partial N} = \frac{1}{4} \left(up(\delta^{l + 1}) \circ f'(N)\right)
? 0

# The exit status: 1 when a formula fails.
$ sed '129s/x_{12}k_{22}/x_{12}k_{21}/' "$TESTS/notes/cnn-backprop-notes-corrected.md" | verify notes - >/dev/null
? 1

# JSON: one object per formula, the line it starts on.
$ verify notes "$TESTS/notes/cnn-backprop-notes.md" --format json | grep -c '"verdict":	"fails"'
> 6
? 0

# \[ ... \] and \( ... \) are math as $$ and $ are; in code they are not.
$ printf '```verify\nmatrix X = x 3x3\nmatrix K = k 2x2\ndefine A = conv(X, K)\n```\n\nInline \\( a_{12} = x_{12}k_{22} + x_{13}k_{21} + x_{22}k_{12} + x_{23}k_{11} \\) and\n\\[\na_{21} = x_{21}k_{22}\n\\]\nnot `\\[ a_{11} = 0 \\]`.\n' | verify notes -
> <stdin>:7: ✓ a_{12} = x_{12}k_{22} + x_{13}k_{21} + x_{22}k_{12} + x_{23}k_{11}
>     read in the file's context
> <stdin>:9: ✗ a_{21} = x_{21}k_{22}
>     read in the file's context
>     fails at (1,1): x₂₁k₂₂ + x₂₂k₂₁ + x₃₁k₁₂ + x₃₂k₁₁ ≠ x₂₁k₂₂
>     no standard repair makes it hold
> 2 formulas: 1 hold, 1 fail, 0 not checked
? 1

# Sizes the file does not give are those its entries need: w_{22} makes a
# 2x2 kernel and y_{23} a 3x4 input, so these hold (at sizes verify made
# up, 4x5 and 2x3, each would 'fail' for want of w_{13} and w_{23}); the
# last has x_{33} for x_{34}.
$ printf 'The layer computes $Y = X * W$, where $*$ is the cross-correlation.\n\n$$y_{11} = x_{11}w_{11} + x_{12}w_{12} + x_{21}w_{21} + x_{22}w_{22}$$\n\n$$y_{23} = x_{23}w_{11} + x_{24}w_{12} + x_{33}w_{21} + x_{34}w_{22}$$\n\n$$y_{23} = x_{23}w_{11} + x_{24}w_{12} + x_{33}w_{21} + x_{33}w_{22}$$\n' | verify notes -
> <stdin>:1: – Y = X * W
>     not checked: a definition: what the file's layer computes, and how it names it
> <stdin>:3: ✓ y_{11} = x_{11}w_{11} + x_{12}w_{12} + x_{21}w_{21} + x_{22}w_{22}
>     read in the file's convolution (line 1)
> <stdin>:5: ✓ y_{23} = x_{23}w_{11} + x_{24}w_{12} + x_{33}w_{21} + x_{34}w_{22}
>     read in the file's convolution (line 1)
> <stdin>:7: ✗ y_{23} = x_{23}w_{11} + x_{24}w_{12} + x_{33}w_{21} + x_{33}w_{22}
>     read in the file's convolution (line 1)
>     fails at (1,1): x₂₃w₁₁ + x₂₄w₁₂ + x₃₃w₂₁ + x₃₄w₂₂ ≠ x₂₃w₁₁ + x₂₄w₁₂ + x₃₃w₂₁ + x₃₃w₂₂
>     no standard repair makes it hold
> 4 formulas: 2 hold, 1 fail, 1 not checked
? 1

# Where the entries leave two sizes open (k_{22} says a 2x2 kernel, x_{44}
# and \delta_{22} a 3x3 one), both are read and a formula holds at one of
# them; the report names the sizes it was read at.
$ printf 'The layer computes $A = X * K$, where $*$ is the cross-correlation; the input ends at $x_{44}$.\n\n$$\\frac{\\partial E}{\\partial k_{11}} = \\delta_{11}x_{11} + \\delta_{12}x_{12} + \\delta_{21}x_{21} + \\delta_{22}x_{22}$$\n\n$$\\frac{\\partial E}{\\partial k_{22}} = \\delta_{11}x_{22} + \\delta_{12}x_{23} + \\delta_{21}x_{32} + \\delta_{22}x_{32}$$\n' | verify notes -
> <stdin>:1: – A = X * K
>     not checked: a definition: what the file's layer computes, and how it names it
> <stdin>:3: ✓ \frac{\partial E}{\partial k_{11}} = \delta_{11}x_{11} + \delta_{12}x_{1 …
>     read in the file's convolution (line 1), a 4x4 input and a 3x3 kernel
> <stdin>:5: ✗ \frac{\partial E}{\partial k_{22}} = \delta_{11}x_{22} + \delta_{12}x_{2 …
>     read in the file's convolution (line 1), a 4x4 input and a 2x2 kernel
>     fails at (1,1): δ₁₁x₂₂ + δ₁₂x₂₃ + δ₁₃x₂₄ + δ₂₁x₃₂ + δ₂₂x₃₃ + δ₂₃x₃₄ + δ₃₁x₄₂ + δ₃₂x₄₃ + δ₃₃x₄₄ ≠ δ₁₁x₂₂ + δ₁₂x₂₃ + δ₂₁x₃₂ + δ₂₂x₃₂
>     no standard repair makes it hold
> 3 formulas: 1 hold, 1 fail, 1 not checked
? 1

# Where the file leaves * open, an entry that holds for one reading is
# undecided, and no repair is looked for.
$ printf 'The convolution $A = X * K$ gives\n\n$$a_{11} = x_{11}k_{22} + x_{12}k_{21} + x_{21}k_{12} + x_{22}k_{11}$$\n' | verify notes -
> <stdin>:1: – A = X * K
>     not checked: a definition: what the file's layer computes, and how it names it
> <stdin>:3: ? a_{11} = x_{11}k_{22} + x_{12}k_{21} + x_{21}k_{12} + x_{22}k_{11}
>     read in the file's convolution (line 1), * as convolution
>     holds if * is a convolution, fails if it is a cross-correlation: the file does not say which
> 2 formulas: 0 hold, 0 fail, 1 undecided, 1 not checked
? 1

# A repair that would make the formula say nothing (both sides the same)
# is no repair: rot180(K) = K is not "repaired" as rot180(K) = rot180(K).
$ printf '$$\\mathrm{rot180}(K) = K$$\n' | verify notes -
> <stdin>:1: ✗ \mathrm{rot180}(K) = K
>     read in a convolution layer l
>     fails at (1,1): k₂₂ ≠ k₁₁
>     no standard repair makes it hold
> 1 formulas: 0 hold, 1 fail, 0 not checked
? 1

$ printf 'text\n\nthen \\( a = b\n' | verify notes -
> <stdin>:3: – \(
>     not checked: this \( is never closed (column 6)
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

# The notes as lessons (what `verify tutor --notes` shows): one lesson per
# scene the formulas were read in, each formula a step with its claim; every
# lesson written reads and runs, and fails where the notes fail.
$ cd "$TESTS/notes" && verify notes mean-pooling-in-my-letters.md --format lesson | sed -n '2,6p;13,16p'
> lesson mean-pooling-in-my-letters
> order 1
> title mean-pooling-in-my-letters.md: the file's context
> source mean-pooling-in-my-letters.md
> summary The formulas of the notes read in the file's context: 3 hold, 0 fail.
> step line 17: P_{11} = \frac{1}{4} (f(n_{11}) + f(n_{12}) + f(n_{21}) + f( …
> text Read in the file's context.
> claim entry(P, 1, 1) == 1 / 4 * (f(entry(N, 1, 1)) + f(entry(N, 1, 2)) + f(entry(N, 2, 1)) + f(entry(N, 2, 2)))
> as P_{11} = \frac{1}{4} (f(n_{11}) + f(n_{12}) + f(n_{21}) + f(n_{22}))
? 0

# ... and the tutorial and the lesson report show each claim as the notes
# write it, in Unicode, with what was checked beneath.
$ d=$(mktemp -d); cd "$TESTS/notes" && verify notes mean-pooling-in-my-letters.md --format lesson > "$d/mean-pooling-in-my-letters.lesson" && verify --lesson-file "$d/mean-pooling-in-my-letters.lesson" | grep --no-group-separator -A1 '✓ claim' | head -4
>   ✓ claim P₁₁ = (1/4) (f(n₁₁) + f(n₁₂) + f(n₂₁) + f(n₂₂))
>       checked as entry(P, 1, 1) == 1 / 4 * (f(entry(N, 1, 1)) + f(entry(N, 1, 2)) + f(entry(N, 2, 1)) + f(entry(N, 2, 2)))
>   ✓ claim ∂E/∂N = (1/4) up(δˡ⁺¹) ∘ f′(N)
>       checked as grad(E, N) == 1 / 4 * up(delta_next, 2) .* df(N)
? 0

$ d=$(mktemp -d); verify notes "$TESTS/notes/cnn-backprop-notes.md" --format lesson | awk -v d="$d" '/^# made by verify/ { n++ } { print > (d "/" n ".lesson.txt") }'; for f in "$d"/*.lesson.txt; do name=$(sed -n 's/^lesson //p' "$f"); mv "$f" "$d/$name.lesson"; done; for f in "$d"/*.lesson; do verify --lesson-file "$f" >/dev/null; s=$?; echo "$(basename "$f" .lesson) $s"; done | sort -V
> cnn-backprop-notes-1 1
> cnn-backprop-notes-2 0
> cnn-backprop-notes-3 0
> cnn-backprop-notes-4 0
> cnn-backprop-notes-5 0
> cnn-backprop-notes-6 0
> cnn-backprop-notes-7 1
> cnn-backprop-notes-8 0
> cnn-backprop-notes-9 0
> cnn-backprop-notes-10 1
> cnn-backprop-notes-11 0
> cnn-backprop-notes-12 0
? 0

$ printf 'no math here\n' | verify notes - --format lesson
! verify: error: <stdin>: no formula of the file could be checked, so there is no lesson to show
? 2

$ verify tutor --notes
! verify: error: --notes needs a Markdown file
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify tutor rot180 --notes a.md
! verify: error: tutor takes one of a lesson, --lesson-file PATH and --notes FILE.md
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# A context line that does not run is an error where it was written: in the
# context file, or in the file's own ```verify block.
$ cd "$(mktemp -d)" && printf '# mine\nscene one\nmatrix X = x 3x3\n\nscene two\nmatrix K = k 9\n' > ctx && printf '$$X = X$$\n' | verify notes - --context ctx
! ctx:6:14: error: the context: expected a size such as 3x3 (1 to 64 each) or 'like EXPR' but found '9'
!   matrix K = k 9
!                ^
? 2

$ printf '# T\n\n```verify\nmatrix X = x 3x3\n  matrix K = k 9\n```\n$$X=X$$\n' | verify notes -
! verify: error: <stdin>:5:16: the ```verify block: expected a size such as 3x3 (1 to 64 each) or 'like EXPR' but found '9'
? 2

# Bad input is not checked with a position, never a crash.
$ printf '$$ a_{11 = x_{11} $$\n' | verify notes -
> <stdin>:1: – 
>     not checked: expected '}', found '=' (column 10)
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

$ printf 'text\n$$\na = b\n' | verify notes -
> <stdin>:2: – $$
>     not checked: this $$ is never closed (column 1)
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

$ printf '$$ a_{11} = %s x_{11} %s $$\n' "$(printf '(%.0s' $(seq 300))" "$(printf ')%.0s' $(seq 300))" | verify notes - | tail -2
>     not checked: the formula nests deeper than verify reads (300 levels of parentheses, braces, fractions and operators) (column 113)
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

# A binary on standard input is not notes: one error, exit 2.
$ head -c 30000 /bin/sh | verify notes -
! verify: error: -: not text (it holds a NUL byte)
? 2

# A 10 MB file: read whole, its one formula found at its line.
$ { yes 'Some prose about $x$ and a_{11} in a long lecture, with *emphasis* and `code`.' | head -c 10000000; printf '\n\n$$\nA = B\n$$\n'; } | verify notes - | tail -2
>     not checked: B is not a symbol of the context (column 5)
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

# A formula of 10,000 terms: read, and refused by the expression language's
# depth limit, with the reason.
$ { printf '```verify\nmatrix X = x 3x3\nmatrix K = k 2x2\ndefine P = conv(X, K)\n```\n\n$$\n'; printf 'P_{11} = x_{11}k_{22}'; for i in $(seq 10000); do printf ' + x_{11}k_{22}'; done; echo; echo '$$'; } | verify notes - | tail -2
>     not checked: the expression is more than 1000 operations deep (the limit); split a long sum with sum() or a matrix
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

# The command line.
$ verify notes /nonexistent.md
! verify: error: /nonexistent.md: No such file or directory
? 2

$ verify notes
! verify: error: notes needs a Markdown file (or - for standard input)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

# --format html: one page that stands alone; Markdown's raw HTML is shown as
# text and a javascript: link made inert (the page may go on a course
# site); each formula's verdict is beside it, its note under its block.
$ d=$(mktemp -d); printf '# T\n\nA [link](javascript:alert(1)) and <script>alert(2)</script>.\n\n$$\nrot180(K) = K\n$$\n\nLast $x$ here.' > "$d/a.md"; verify notes "$d/a.md" --format html > "$d/a.html"; echo "$?"; grep -c '<script>' "$d/a.html"; grep -o 'href="#avascript:alert(1)"\|&lt;script&gt;alert(2)\|<span class="math display">\|<li id="f1">\|class="mark [a-z]*"' "$d/a.html" | sort -u
> 1
> 2
> &lt;script&gt;alert(2)
> <li id="f1">
> <span class="math display">
> class="mark fails"
> href="#avascript:alert(1)"
? 0

$ d=$(mktemp -d); printf '$$x = y$$\n' > "$d/a.md"; VERIFY_KATEX=/nonexistent verify notes "$d/a.md" --format html
! verify: error: --format html needs KaTeX, and /nonexistent/katex.min.css is not there (install Debian's libjs-katex: apt install libjs-katex; or set VERIFY_KATEX to a folder with katex.min.js, katex.min.css and fonts/)
? 2

$ verify notes a.md --format tap
! verify: error: unknown format 'tap' for notes (text, json, markdown, html or lesson)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ f=$(mktemp); printf 'scene mine\nmatrix X = 3x3\n' > "$f"; verify notes "$TESTS/notes/cnn-backprop-notes.md" --context "$f" 2>&1 | sed "s|$f|CONTEXT|"; rm -f "$f"
> CONTEXT:2:1: error: expected 'matrix NAME = LETTER RxC', 'scalar NAME' or 'define NAME = EXPR'
>   matrix X = 3x3
>   ^
? 0

# A file that is not text (a NUL byte: a binary) is an error, as a context is.
$ cd "$(mktemp -d)" && printf 'a\000b $x = 1$\n' > bin.md && verify notes bin.md
! verify: error: bin.md: not text (it holds a NUL byte)
? 2
$ cd "$(mktemp -d)" && printf 'a\000b\n' > ctx.txt && printf '$x$\n' > n.md && verify notes n.md --context ctx.txt
! verify: error: ctx.txt: not text (it holds a NUL byte)
? 2

# A FIFO is never waited on: as notes, as a context, in a class's folder.
$ d=$(mktemp -d); mkfifo "$d/f.md"; timeout 5 "$bin" notes "$d/f.md" 2>&1 | sed "s|$d/||"
> verify: error: f.md: not a regular file (a FIFO, a socket or a device is never read)
? 0

$ d=$(mktemp -d); mkfifo "$d/ctx"; printf '$$a = b$$\n' > "$d/n.md"; timeout 5 "$bin" notes "$d/n.md" --context "$d/ctx" 2>&1 | sed "s|$d/||"
> verify: error: ctx: not a regular file (a FIFO, a socket or a device is never read)
? 0

# A cycle in the file's own context is an error of the context, exit 2.
$ d=$(mktemp -d); printf '```verify\nmatrix X = x 3x3\ndefine A = B + X\ndefine B = A + X\n```\n\n$$A = B + X$$\n' > "$d/c.md"; cd "$d" && verify notes c.md
! verify: error: c.md:3:1: the ```verify block: the definition of 'A' uses itself (A → B → A)
? 2

# A tiny file that asks for costly work: the formula is not decided, with the
# reason, within the work one formula may take (docs/limits.md), never
# minutes or gigabytes.  An index-form forward pass too large to write out
# entry by entry leaves its formulas not checked.
$ cd "$TESTS/notes/hostile" && timeout 20 "$bin" notes index-form-too-large.md
> index-form-too-large.md:2: – O(i, j) = \sum_{m=0}^{31} \sum_{n=0}^{31} I(i+m, j+n) K(m, n)
>     not checked: a definition; too large to write out here (about 4.79e+07 characters of terms at the text's sizes, limit 262144): the formulas that use its output are not checked
> index-form-too-large.md:3: – \frac{\partial L}{\partial K} = I \star \frac{\partial L}{\partial O}
>     not checked: O is not a symbol of the context (column 70)
> 2 formulas: 0 hold, 0 fail, 2 not checked
? 0

$ cd "$TESTS/notes/hostile" && timeout 20 "$bin" notes tiny-but-costly.md
> tiny-but-costly.md:8: – \frac{\partial E}{\partial (K)_{r,s}} = \sum_u \sum_v (D)_{u,v} X_{u+r,v …
>     not checked: too large to decide here (1.5e+08 terms, limit 1.5e+08): a smaller size in the file's context would do
> 1 formulas: 0 hold, 0 fail, 1 not checked
? 0

# A file's channels keep their own names in a counterexample: W_1's entries
# are (w₁)₁₁, not a letter verify made up.
$ cd "$TESTS/notes/corpus" && verify notes two-channels.md | grep -A2 '^two-channels.md:26:' | tail -1
>     fails at (1,1): δ₁₁(w₁)₁₁ ≠ δ₁₁(w₂)₁₁
? 0
