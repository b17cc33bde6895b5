# verify eval with symbols: the notes' tables, exactly.

# The forward table of the notes, ordered by x entry as they print it.
$ verify eval --symbolic 'conv(X,K)' --let X='[1 2 3;4 5 6;7 8 9]' --let K='[1 2;3 4]'
> a₁₁ = x₁₁k₂₂ + x₁₂k₂₁ + x₂₁k₁₂ + x₂₂k₁₁
> a₁₂ = x₁₂k₂₂ + x₁₃k₂₁ + x₂₂k₁₂ + x₂₃k₁₁
> a₂₁ = x₂₁k₂₂ + x₂₂k₂₁ + x₃₁k₁₂ + x₃₂k₁₁
> a₂₂ = x₂₂k₂₂ + x₂₃k₂₁ + x₃₂k₁₂ + x₃₃k₁₁
? 0

$ verify eval 'conv(X,K)' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --ascii
> a11 = x11*k22 + x12*k21 + x21*k12 + x22*k11
> a12 = x12*k22 + x13*k21 + x22*k12 + x23*k11
> a21 = x21*k22 + x22*k21 + x31*k12 + x32*k11
> a22 = x22*k22 + x23*k21 + x32*k12 + x33*k11
? 0

$ LC_ALL=C verify eval 'conv(X,K)' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --name P
> P11 = x11*k22 + x12*k21 + x21*k12 + x22*k11
> P12 = x12*k22 + x13*k21 + x22*k12 + x23*k11
> P21 = x21*k22 + x22*k21 + x31*k12 + x32*k11
> P22 = x22*k22 + x23*k21 + x32*k12 + x33*k11
? 0

$ verify eval 'conv(X,K)' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --format json
> {"value":[["x11*k22 + x12*k21 + x21*k12 + x22*k11","x12*k22 + x13*k21 + x22*k12 + x23*k11"],["x21*k22 + x22*k21 + x31*k12 + x32*k11","x22*k22 + x23*k21 + x32*k12 + x33*k11"]]}
? 0

$ verify eval 'conv(X,K)' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --format latex
> $$
> \begin{aligned}
> a_{11} &= x_{11}k_{22} + x_{12}k_{21} + x_{21}k_{12} + x_{22}k_{11} \\
> a_{12} &= x_{12}k_{22} + x_{13}k_{21} + x_{22}k_{12} + x_{23}k_{11} \\
> a_{21} &= x_{21}k_{22} + x_{22}k_{21} + x_{31}k_{12} + x_{32}k_{11} \\
> a_{22} &= x_{22}k_{22} + x_{23}k_{21} + x_{32}k_{12} + x_{33}k_{11}
> \end{aligned}
> $$
? 0

# The nine dE/dx lines of the pooling-layer section, ordered by δ entry.
$ verify eval 'grad(sum(D .* conv(X,K)), X)' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --let D='sym(2,2,"d")' --ascii --name g
> g11 = d11*k22
> g12 = d11*k21 + d12*k22
> g13 = d12*k21
> g21 = d11*k12 + d21*k22
> g22 = d11*k11 + d12*k12 + d21*k21 + d22*k22
> g23 = d12*k11 + d22*k21
> g31 = d21*k12
> g32 = d21*k11 + d22*k12
> g33 = d22*k11
? 0

# The notes' last step holds only with "*" read as cross-correlation.
$ verify eval 'equal(grad(sum(D .* conv(X,K)), X), xcorr(pad(D,1), K))' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --let D='sym(2,2,"d")'
> holds: the two sides are equal in every entry (3x3, exact)
? 0

$ verify eval 'equal(grad(sum(D .* conv(X,K)), X), conv2(D, K, "full"))' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --let D='sym(2,2,"d")'
> fails at (1,1):
>   left:  δ₁₁k₂₂
>   right: δ₁₁k₁₁
? 1

$ verify eval 'equal(grad(sum(D .* conv(X,K)), X), conv2(D, K, "full"))' --let X='sym(3,3,"x")' --let K='sym(2,2,"k")' --let D='sym(2,2,"d")' --format json
> {"holds":false,"verdict":"fails","exact":true,"entry":[1,1],"left":"d11*k22","right":"d11*k11"}
? 1

# Numbers compare by their error bounds; sizes that differ fail.
$ verify eval 'equal(conv(X,K), xcorr(X, rot180(K)))' --let X='rand(4,5)' --let K='rand(2,3)' --format json | sed 's/"max_difference":[^,]*,"max_bound":[^}]*/BOUNDS/'
> {"holds":true,"verdict":"holds","exact":false,BOUNDS}
? 0

$ verify eval 'equal(conv(X,K), conv(X,K,"full"))' --let X='rand(3)' --let K='rand(2)'
> fails: the left side is 2x2, the right side 4x4
? 1

# Mean pooling brings exact fractions; the chain rule goes through f.
$ verify eval 'up(D, 2, "mean")' --let D='sym(1,2,"d")' --ascii --name u
> u11 = 1/4*d11
> u12 = 1/4*d11
> u13 = 1/4*d12
> u14 = 1/4*d12
> u21 = 1/4*d11
> u22 = 1/4*d11
> u23 = 1/4*d12
> u24 = 1/4*d12
? 0

$ verify eval 'grad(sum(D .* (beta * down(f(N), 2) + b)), N)' --let N='sym(2,2,"n")' --let D='sym(1,1,"d")' --let beta='sym(1,1,"beta")' --let b='sym(1,1,"b")' --name g
> g₁₁ = βδf′(n₁₁)
> g₁₂ = βδf′(n₁₂)
> g₂₁ = βδf′(n₂₁)
> g₂₂ = βδf′(n₂₂)
? 0

$ verify eval 'sum(X) / 3 + 0.1' --let X='sym(1,2,"x")' --ascii
> 1/3*x11 + 1/3*x12 + 1/10
? 0

# Bad input.
$ verify eval 'X' --let X='sym(3,3,"x")' --let Y='sym(2,2,"x")'
! --let Y:1:1: error: sym: the symbols 'x' already belong to a 3x3 matrix; two matrices cannot share them (use another name)
!   sym(2,2,"x")
!   ^
? 2

$ verify eval 'down(X, 2, "max")' --let X='sym(2,2,"x")'
! expression:1:1: error: down: max pooling has no exact symbolic form: which entry is largest depends on the numbers
!   down(X, 2, "max")
!   ^
? 2

$ verify eval 'drelu(X)' --let X='sym(2,2,"x")'
! expression:1:1: error: drelu: relu's derivative jumps at 0, so it has no exact symbolic form (use numbers)
!   drelu(X)
!   ^
? 2

$ verify eval 'X' --let X='sym(100,100,"x")'
! --let X:1:1: error: sym: a 100x100 matrix of symbols is outside 1x1 to 64x64 (its tables would be too large to read)
!   sym(100,100,"x")
!   ^
? 2

$ verify eval 'grad(X, X)' --let X='sym(2,2,"x")'
! expression:1:6: error: grad: the function must be a number (1x1), not a 2x2 matrix
!   grad(X, X)
!        ^
? 2

$ verify eval 'grad(sum(X), X .* 2)' --let X='sym(2,2,"x")'
! expression:1:14: error: grad: entry (1,1) of the variable is not a single symbol
!   grad(sum(X), X .* 2)
!                ^
? 2

$ verify eval 'f(X)' --let X='[1 2]'
! expression:1:1: error: f: f is an abstract activation with no numbers; use it on symbols, or use sigmoid, tanh, relu or identity
!   f(X)
!   ^
? 2

$ verify eval 'X' --let X='sym(2,2,"x1")'
! --let X:1:1: error: sym: a symbol name has letters only (the indices follow it), not 'x1'
!   sym(2,2,"x1")
!   ^
? 2

# A huge matrix of zeros is refused as a huge matrix is (the fuzzer's
# timeout: pad(D, 998) then a convolution over it, 16 M products of zeros).
$ verify eval --symbolic "conv(pad(D, 498), K')" --let D='[1 2;3 4]' --let K='[1 2;3 4]'
! expression:1:6: error: pad: the symbolic result would take more than 262144 terms (each entry and each product counts; the limit); use numbers, or smaller sizes
!   conv(pad(D, 498), K')
!        ^
? 2

# entry(A, i, j): one entry, through the same plan on symbols and numbers.
$ verify eval --symbolic 'entry(conv(X,K), 1, 2)' --let X='[1 2 3;4 5 6;7 8 9]' --let K='[1 2;3 4]'
> x₁₂k₂₂ + x₁₃k₂₁ + x₂₂k₁₂ + x₂₃k₁₁
? 0

# Numbers become symbols only within the same budget, counted before the
# conversion (the fuzzer's second timeout: 912,025 random numbers added to a
# symbol).
$ verify eval --symbolic 'rand(955) + sum(X)' --let X='[1 2]'
! expression:1:11: error: '+': the symbolic result would take more than 262144 terms (each entry and each product counts; the limit); use numbers, or smaller sizes
!   rand(955) + sum(X)
!             ^
? 2

# Exact means exact: constants are rationals as written, never doubles.
$ verify eval --symbolic "sym(1,1,'x') + (2^60 + 1 - 2^60)"
> 1 + x
? 0

$ verify eval --symbolic "sym(1,1,'x') + (0.1 + 0.2 - 0.3)"
> x
? 0

$ verify eval --symbolic "exp(2) + sym(1,1,'x')"
! expression:1:1: error: exp: no exact symbolic form of exp here (the canonical form holds polynomials of sigmoid and tanh); use numbers
!   exp(2) + sym(1,1,'x')
!   ^
? 2
