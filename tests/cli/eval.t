# verify eval: the notes' 3x3 input and 2x2 kernel, as numbers.

$ verify eval 'conv(X,K)' --let X='[1 2 3;4 5 6;7 8 9]' --let K='[1 2;3 4]'
> 23  33
> 53  63
? 0

$ verify eval 'conv(X,K,"full")' --let X='[1 2 3;4 5 6;7 8 9]' --let K='[1 2;3 4]' --format json
> {"value":[[1,4,7,6],[7,23,33,24],[19,53,63,42],[21,52,59,36]]}
? 0

$ verify eval --format=json 'sum(X)' --let=X='[1 2;3 4]'
> {"value":10}
? 0

# Later --let values see earlier ones; the result is aligned by column.
$ verify eval 'R - K' --let K='[1 -2;30 4]' --let R='rot180(K)'
>   3  32
> -32  -3
? 0

# Full double precision in JSON, so the numbers survive a round trip.
$ verify eval '[1/3 0.1]' --format json
> {"value":[[0.33333333333333331,0.1]]}
? 0

# Random numbers repeat for a seed, and differ between seeds.
$ a=$(verify eval 'rand(2,3)' --seed 7 --format json); b=$(verify eval 'rand(2,3)' --seed 7 --format json); c=$(verify eval 'rand(2,3)' --seed 8 --format json); [ "$a" = "$b" ] && [ "$a" != "$c" ] && echo repeats
> repeats
? 0

$ [ "$(verify eval X --let X='rand(2)' --seed 8)" = "$(verify eval 'rand(2)' --seed 8)" ] && echo same
> same
? 0

# Bad input: one clear error with the spot marked, status 2.
$ verify eval 'conv(X, K' --let X='[1 2 3;4 5 6;7 8 9]' --let K='[1 2;3 4]'
! expression:1:10: error: expected ',' or ')' but found end of input
!   conv(X, K
!            ^
? 2

$ verify eval 'A + B' --let A='[1 2;3 4]' --let B='[1 2 3;4 5 6;7 8 9]'
! expression:1:3: error: '+': the sizes differ: 2x2 and 3x3
!   A + B
!     ^
? 2

$ verify eval 'conv(X, K)' --let X='[1 2;3 4]' --let K='ones(3)'
! expression:1:1: error: conv: the 3x3 kernel is larger than the 2x2 input in 'valid' mode (use 'full')
!   conv(X, K)
!   ^
? 2

$ verify eval 'x' --let x='rand(100000,100000)'
! --let x:1:1: error: rand: the result would be 100000x100000; the limit is 1048576 entries
!   rand(100000,100000)
!   ^
? 2

$ verify eval 'X' --let X='[1 2; 3 x]'
! --let X:1:9: error: unknown name 'x' (bind it with --let x=...)
!   [1 2; 3 x]
!           ^
? 2

$ verify eval 'δ ∘ K' --let K='[1 2]'
! expression:1:1: error: unknown name 'δ' (bind it with --let δ=...)
!   δ ∘ K
!   ^
? 2

$ verify eval '[1 NaN]'
! expression:1:4: error: 'NaN' is not a finite number; verify works with finite numbers
!   [1 NaN]
!      ^
? 2

$ verify eval ''
! expression:1:1: error: expected an expression but found end of input
!   
!   ^
? 2

$ verify eval '1e200 * 1e200'
! verify: error: the result is not finite at (1,1): the numbers overflowed
? 2

$ verify eval "'full'"
! verify: error: the expression is the string 'full', not a matrix
? 2

# Usage errors.
$ verify eval
! verify: error: eval needs an expression
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify eval '1' --let X
! verify: error: --let needs NAME=VALUE but found 'X'
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify eval '1' --seed -3
! verify: error: --seed needs a whole number from 0 to 4294967295 but found '-3'
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify eval '1' --format xml
! verify: error: --format must be text, json, latex or markdown
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify eval '1' --let conv='2'
! verify: error: --let conv: 'conv' is a function and cannot name a matrix
? 2

$ verify --frobnicate
! verify: error: unknown option '--frobnicate'
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify --version
> verify 0.1.0
? 0

$ verify --help | head -1
> usage: verify [tutor [LESSON | --lesson-file PATH | --notes FILE.md]
? 0

# A student's numbers come from the id.
$ [ "$(verify eval 'rand(2)' --student ann)" = "$(verify eval 'rand(2)' --student ann)" ] && [ "$(verify eval 'rand(2)' --student ann)" != "$(verify eval 'rand(2)' --student ben)" ] && echo own numbers
> own numbers
? 0

# Inputs that used to blow up: each is answered, quickly, or refused.
$ verify eval "sum([$(for i in $(seq 1 40000); do printf '1 '; done)])"
> 40000
? 0
$ verify eval 'equal(grad(sum(X .* X), X), 2 * X)' --let X='randn(100,100)'
> holds: the two sides agree in every entry (100x100; max difference 1.78e-15, within their error bound 6.94e-14)
? 0

# An option without its quotes, and '=' for '=='.
$ verify eval 'conv(X,K,full)' --let X='[1 2;3 4]' --let K='[1]'
! expression:1:10: error: unknown name 'full' (an option is a string: 'full')
!   conv(X,K,full)
!            ^
? 2

$ verify eval 'entry([1 2;3 4], 3, 1)'
! expression:1:1: error: entry: entry (3,1) of a 2x2 matrix
!   entry([1 2;3 4], 3, 1)
!   ^
? 2

$ verify eval 'entry([1 2;3 4], 2, 1)'
> 3
? 0
