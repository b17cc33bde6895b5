# The lessons beyond the notes (stride, padding, frameworks, max pooling, the
# output layer): their exercises answered right and wrong, each wrong answer
# told what is wrong.

$ verify check stride --answers "$TESTS/classroom/beyond/stride-right.txt"
> dx33: ✓ right
> dX: ✓ right
> no-dilation: ✓ right
> stride: 3 of 3 right
? 0

$ verify check stride --answers "$TESTS/classroom/beyond/stride-wrong.txt"
> dx33: ✗ not yet: missing δ₂₂k₃₃
> dX: ✗ not yet: your answer is 4x4 where 5x5 is needed
> no-dilation: ✗ not yet: line 2 is the wrong one, but your answer is 1x1 where 5x5 is needed
> stride: 0 of 3 right
? 1

$ verify check padding --answers "$TESTS/classroom/beyond/padding-right.txt"
> dx11: ✓ right
> dX: ✓ right
> even-crop: ✓ right
> padding: 3 of 3 right
? 0

$ verify check padding --answers "$TESTS/classroom/beyond/padding-wrong.txt"
> - dx11: not answered
> dX: ✗ not yet: your answer is 6x6 where 4x4 is needed
> even-crop: ✗ not yet: line 2 is the wrong one, but at (1,1) your answer gives b₁₁j₁₁ + b₁₂j₁₂ + b₂₁j₂₁ + b₂₂j₂₂ where b₁₁j₂₂ is needed
> padding: 0 of 3 right
? 1

$ verify check frameworks --answers "$TESTS/classroom/beyond/frameworks-right.txt"
> dT: ✓ right
> dE: ✓ right
> convention: ✓ right
> frameworks: 3 of 3 right
? 0

$ verify check frameworks --answers "$TESTS/classroom/beyond/frameworks-wrong.txt"
> dT: ✗ not yet: at (1,1) your answer gives δ₁₁k₂₂ where δ₁₁k₁₁ is needed
> dE: ✗ not yet: at (1,1) your answer gives δ₁₁x₁₁ + δ₁₂x₁₂ + δ₂₁x₂₁ + δ₂₂x₂₂ where δ₁₁x₂₂ + δ₁₂x₂₃ + δ₂₁x₃₂ + δ₂₂x₃₃ is needed
> convention: ✗ not yet: line 2 holds as it stands; look for the line that does not
> frameworks: 0 of 3 right
? 1

$ verify check max-pooling --answers "$TESTS/classroom/beyond/max-pooling-right.txt"
> dx-max: ✓ right
> dy-centre: ✓ right
> spread: ✓ right
> max-pooling: 3 of 3 right
? 0

$ verify check max-pooling --answers "$TESTS/classroom/beyond/max-pooling-wrong.txt"
> dx-max: ✗ not yet: 3 entries are wrong: (1,6), (3,6), (4,6)
> dy-centre: ✗ not yet: 1 entry is wrong: (3,3)
> spread: ✗ not yet: line 2 is the wrong one, but at (1,1) your answer gives -0.220321 where -0.881284 is needed (on the lesson's random numbers)
> max-pooling: 0 of 3 right
? 1

$ verify check output-layer --answers "$TESTS/classroom/beyond/output-layer-right.txt"
> delta-ce: ✓ right
> delta-se: ✓ right
> keep-fprime: ✓ right
> output-layer: 3 of 3 right
? 0

$ verify check output-layer --answers "$TESTS/classroom/beyond/output-layer-wrong.txt"
> delta-ce: ✗ not yet: at (1,1) your answer gives -0.086972 where -0.890266 is needed (on the lesson's random numbers)
> delta-se: ✗ not yet: at (1,1) your answer gives -t₁₁ + σ(n₁₁) where -t₁₁σ(n₁₁) + t₁₁σ(n₁₁)² + σ(n₁₁)² - σ(n₁₁)³ is needed
> keep-fprime: ✗ not yet: line 1 holds as it stands; look for the line that does not
> output-layer: 0 of 3 right
? 1

# The new functions, and what they refuse.
$ verify eval 'dilate([1 2; 3 4], 2)'
> 1  0  2
> 0  0  0
> 3  0  4
? 0

$ verify eval 'crop(pad([1 2; 3 4], 0, 1, 1, 0), 0, 1, 1, 0)'
> 1  2
> 3  4
? 0

$ verify eval 'crop(ones(3, 4), 2)'
! expression:1:1: error: crop: cropping 4 rows and 4 columns from a 3x4 matrix leaves nothing
!   crop(ones(3, 4), 2)
!   ^
? 2

# Max pooling with overlapping windows: the centre is the largest of all four
# 3x3 windows two apart, so all four deltas reach it; 'assign' is the mistake
# dx[window] = mask * d, which keeps only the last window's.
$ verify eval "unpool([1 2; 3 4], [1 0 2 0 1; 0 3 0 1 0; 2 0 9 0 2; 0 1 0 3 0; 1 0 2 0 1], 3, 'stride', 2)"
> 0  0   0  0  0
> 0  0   0  0  0
> 0  0  10  0  0
> 0  0   0  0  0
> 0  0   0  0  0
? 0

$ verify eval "unpool([1 2; 3 4], [1 0 2 0 1; 0 3 0 1 0; 2 0 9 0 2; 0 1 0 3 0; 1 0 2 0 1], 3, 'stride', 2, 'assign')"
> 0  0  0  0  0
> 0  0  0  0  0
> 0  0  4  0  0
> 0  0  0  0  0
> 0  0  0  0  0
? 0

$ verify eval "equal(grad(sum(D .* down(X, 3, 'max', 'stride', 2)), X), unpool(D, X, 3, 'stride', 2))" --let X='randn(7,9)' --let D='randn(3,4)'
> holds: the two sides agree in every entry (7x9; max difference 2.22e-16, within their error bound 1.68e-14)
? 0

$ verify eval "unpool([1 2], ones(4), 2)"
! expression:1:1: error: unpool: the delta is 1x2, but the 4x4 input has 2x2 windows (2x2, 2 apart)
!   unpool([1 2], ones(4), 2)
!   ^
? 2

$ verify eval "down(ones(4), 2, 'max', 'strides', 2)"
! expression:1:25: error: down: expected the option 'stride' but found the string 'strides'
!   down(ones(4), 2, 'max', 'strides', 2)
!                           ^
? 2

# --size on a matrix whose numbers the lesson gives: drawn at the new size,
# and said so (the lesson's prose is about its own numbers).
$ verify --lesson max-pooling --size X=8x8 | sed -n 4,5p
> symbols at X 8x8, D 4x4, Y 5x5, B 2x2; numbers at X 8x8, D 4x4, Y 11x13, B 5x6 (seed 1)
> X: the lesson's own numbers are 4x6; at 8x8 they are drawn from the seed, so the prose about them may not fit
? 0

$ verify --lesson max-pooling --size X=8x8 --format json | grep -c numbers_drawn
> 1
? 0

# exp and log, numbers only; a division by a computed number is made in the
# field of the divisor (MPFR keeps its precision).
$ verify eval 'log([1 4]) / log(2)'
> 0  2
? 0

$ verify eval 'log([1 -2])'
! expression:1:1: error: log: the logarithm of -2: log needs positive numbers
!   log([1 -2])
!   ^
? 2

$ verify eval "exp(sym(1, 2, 'x'))"
! expression:1:1: error: exp: no exact symbolic form of exp here (the canonical form holds polynomials of sigmoid and tanh); use numbers
!   exp(sym(1, 2, 'x'))
!   ^
? 2

$ verify eval "equal(grad(-sum(T .* log(exp(N) / sum(exp(N)))), N), exp(N) / sum(exp(N)) * sum(T) - T)" --let N='randn(1,7)' --let T='randn(1,7)'
> holds: the two sides agree in every entry (1x7; max difference 4.44e-16, within their error bound 1.39e-13)
? 0

# A pole within the finite-difference step: 1/x at 1e-12 with a step of
# 1e-5 would difference across it (and once said 0); the entry is taken
# again over MPFR with a step that misses it.
$ verify eval "equal(grad(1 / X, X), 0)" --let X=1e-12
> fails at (1,1):
>   left:  -1e+24
>   right: 0
>   they differ by 1e+24, more than their error bound 1.11e+08
? 1

$ verify eval "equal(grad(1 / X, X), -1 / X^2)" --let X=1e-12
> holds: the two sides agree in every entry (1x1; max difference 1.34e+08, within their error bound 2.11e+09)
? 0

# log at 1e-300: even MPFR's smallest step reaches past 0, and the number
# printed says it has no bound.
$ verify eval "grad(sum(log(X)), X)" --let X='[1e-300 2]'
> 0  0.5
! verify: note: entry (1,1) has no error bound (a kink of relu or max pooling, a pole or an overflow lies within the finite-difference step): it is not to be trusted
? 0

# maps: several input and output maps declared in one line each, and a
# table of them with an empty place; what a maps line that is wrong says.

$ verify check maps --answers "$TESTS/classroom/beyond/maps-right.txt"
> dy11: ✓ right
> dX2: ✓ right
> missing-sum-maps: ✓ right
> maps: 3 of 3 right
? 0

$ verify check maps --answers "$TESTS/classroom/beyond/maps-wrong.txt"
> dy11: ✗ not yet: missing (δ₂)₁₁(k₂₂)₂₂
> dX2: ✗ not yet: at (1,1) your answer gives (δ₂)₁₁(k₂₂)₂₂ where (δ₁)₁₁(k₂₁)₂₂ + (δ₂)₁₁(k₂₂)₂₂ is needed
> missing-sum-maps: ✗ not yet: line 1 holds as it stands; look for the line that does not
> maps: 0 of 3 right
? 1

# An entry of a map as the notes write it, (x₂)₁₁: typed, in Unicode, in
# LaTeX and as an equation, each read as the same symbol; another map's
# entry on the left is refused.
$ F=$(mktemp); for a in '(δ₁)₁₁(k₂₁)₂₂ + (δ₂)₁₁(k₂₂)₂₂' '(\delta_1)_{11}(k_{21})_{22} + (\delta_2)_{11}(k_{22})_{22}' '∂E/∂(x₂)₁₁ = d1_11*k21_22 + d2_11*k22_22' 'x2_11 = d1_11*k21_22' 'x1_11 = d1_11*k21_22'; do printf 'dy11: %s\n' "$a" > "$F"; verify check maps --answers "$F" | grep '^dy11'; done
> dy11: ✓ right
> dy11: ✓ right
> dy11: ✓ right
> dy11: ✗ not yet: missing (δ₂)₁₁(k₂₂)₂₂
> dy11: ✗ the answer cannot be read: the left side is not what is asked: write dE/dx2_11 = ..., or the right side alone
? 0

# An entry written without its map, where several maps share the letter,
# is told how to write each map's.
$ F=$(mktemp); for a in 'd11*k22' '\delta_{11} k_{22}'; do printf 'dy11: %s\n' "$a" > "$F"; verify check maps --answers "$F" | grep '^dy11'; done
> dy11: ✗ the answer cannot be read: unknown name 'd11' (several maps share d: d1_11 for (δ₁)₁₁, d2_11 for (δ₂)₁₁) (at character 1)
> dy11: ✗ the answer cannot be read: \delta_{11}: several maps share this letter; write the map's, (\delta_{1})_{11}, (\delta_{2})_{11} (at character 1)
? 0

$ cd "$TESTS/lessons" && verify --lesson-file badmaps.lesson
! badmaps.lesson:3:10: error: expected the maps' symbols and then their size (maps X = x x 3x3, or a table: maps K = k . ; k k 2x2)
!   maps X = 3x3
!            ^
! badmaps.lesson:4:10: error: the symbols' name has 1 to 15 letters, not 'y1'
!   maps Y = y1 y2 2x2
!            ^
! badmaps.lesson:4:13: error: the symbols' name has 1 to 15 letters, not 'y2'
!   maps Y = y1 y2 2x2
!               ^
! badmaps.lesson:5:17: error: expected the maps' symbols and then their size (maps X = x x 3x3, or a table: maps K = k . ; k k 2x2)
!   maps Z = z . ; w
!                   ^
? 2

# The lessons past the notes at other sizes: every check as the lesson says
# (non-square, even and odd kernels, a stride that leaves rows over).

$ verify --lesson stride --size X=9x7 | tail -1
> stride: 8 checks, 8 as the lesson says ✓
? 0

$ verify --lesson stride --size X=6x10 --size K=2x3 | tail -1
> stride: 8 checks, 8 as the lesson says ✓
? 0

$ verify --lesson padding --size X=7x3 --size K=5x3 --size J=4x2 | tail -1
> padding: 10 checks, 10 as the lesson says ✓
? 0

$ verify --lesson frameworks --size X=6x7 --size K=3x2 | tail -1
> frameworks: 9 checks, 9 as the lesson says ✓
? 0

$ verify --lesson max-pooling --size X=6x4 --size Y=9x11 | tail -1
> max-pooling: 9 checks, 9 as the lesson says ✓
? 0

$ verify --lesson maps --size X1=5x6 --size X2=5x6 --size K11=3x2 --size K21=3x2 --size K22=3x2 | tail -1
> maps: 7 checks, 7 as the lesson says ✓
? 0

$ verify --lesson output-layer --size N=2x5 | tail -1
> output-layer: 8 checks, 8 as the lesson says ✓
? 0

$ verify --lesson mistakes --student bob | tail -1
> mistakes: 9 checks, 9 as the lesson says ✓
? 0

# Drills are a lesson's exercises: a file of answers is marked as any is.
$ verify check mistakes --answers "$TESTS/classroom/beyond/mistakes.txt"
> missing-rot180: ✓ right: the missing 180° rotation
> - transpose-for-rot180: not answered
> valid-for-full: ✓ right
> - missing-mean: not answered
> missing-beta: ✗ not yet: that is a transpose for rot180, and its repair does not fix this line
> - fprime-layer: not answered
> - missing-sum: not answered
> - missing-dilation: not answered
> max-spread: ✓ right
> mistakes: 3 of 9 right
? 1

# A refute is an existence claim: numbers that satisfy it by chance are not
# the end of the search (max-pooling at 6x8, seed 26: the 'assign' overwrite
# equals the gradient at the first draw).
$ verify --lesson max-pooling --size Y=6x8 --seed 26 | grep -c 'draw [0-9]* of the search refutes it'; verify --lesson max-pooling --size Y=6x8 --seed 26 | tail -1
> 1
> max-pooling: 9 checks, 9 as the lesson says ✓
? 0

# At a size that cannot show the mistake, the refute is a warning, not a
# failed lesson.
$ verify --lesson pooling-delta --size K=1x1 | grep -c 'warning: true at the sizes --size set'; verify --lesson pooling-delta --size K=1x1 | tail -1
> 3
> pooling-delta: 7 checks, 7 as the lesson says ✓ (3 refutes cannot show their mistake at these sizes)
? 0

# Exact zeros stay exact: max - X is exactly 0 at each block's maximum, with
# bound 0, so a mask written with drelu is decided (it was inconclusive).
$ verify eval "equal(grad(sum(D .* down(X, 2, 'max')), X), up(D, 2) .* (1 - drelu(up(down(X, 2, 'max'), 2) - X)))" --let X='randn(4,6)' --let D='randn(2,3)'
> holds: the two sides agree in every entry (4x6; max difference 2.22e-16, within their error bound 5.97e-15)
? 0

# 0.1 is no double: a literal carries its distance, so 0.1 + 0.2 == 0.3 holds
# and equal numbers subtracted are exactly 0.
$ verify eval "equal(0.1 + 0.2, 0.3)"; verify eval "equal(X - X, zeros(2, 3))" --let X='randn(2,3)'
> holds: the two sides agree in every entry (1x1; max difference 5.55e-17, within their error bound 2.33e-16)
> holds: the two sides agree in every entry (2x3; max difference 0, within their error bound 0)
? 0
