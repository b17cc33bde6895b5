# verify drill: the catalogue's mistakes on a student's own numbers, named or
# repaired (the engine checks either), hints, giving up, and the progress
# they leave; a name is checked too: another mistake's name counts only
# if its repair fixes the step.

$ export XDG_STATE_HOME=$(mktemp -d); printf 'missing sum\n' | verify drill --student alice --count 1
> drill: 9 classic mistakes for alice, on your own numbers. Name each one, or write the right side its step needs; ? gives a hint, giveup the answer, skip the next.
>
> Drill 1: What is wrong in this step? Name the mistake, or write the right side it needs.
>   the step:  grad(S, X) == xcorr(D, K, 'full')
>   where S = sum(D .* conv(X, K)) + sum(B .* conv(X, J))
>   on your numbers its right side, xcorr(D, K, 'full'):
>     16  -12    0
>     20  -13   15
>      6    2  -20
>   and the true left side, grad(S, X):
>     4  -15   15
>     4  -35   26
>     6   -6  -18
> ✓ right: a missing Σⱼ
>
> drill: 1 of 1 right
? 0

$ export XDG_STATE_HOME=$(mktemp -d); printf 'a missing dilation\n?\ntranspose\nxcorr(D, K, "full") + xcorr(B, J, "full")\n' | verify drill --student alice --count 1
> drill: 9 classic mistakes for alice, on your own numbers. Name each one, or write the right side its step needs; ? gives a hint, giveup the answer, skip the next.
>
> Drill 1: What is wrong in this step? Name the mistake, or write the right side it needs.
>   the step:  grad(S, X) == xcorr(D, K, 'full')
>   where S = sum(D .* conv(X, K)) + sum(B .* conv(X, J))
>   on your numbers its right side, xcorr(D, K, 'full'):
>     16  -12    0
>     20  -13   15
>      6    2  -20
>   and the true left side, grad(S, X):
>     4  -15   15
>     4  -35   26
>     6   -6  -18
> ✗ not yet: that is a missing dilation, and its repair does not fix this line
> hint 1 of 1: How many maps does x feed?
> ✗ not yet: that is a transpose for rot180, and its repair does not fix this line
> ✓ right
>
> drill: 1 of 1 right
? 0

$ export XDG_STATE_HOME=$(mktemp -d); printf 'missing sum\ngiveup\n' | verify drill --student alice --count 2 | tail -3; verify progress --student alice
> the mistake: the missing 180° rotation; the step should read grad(E, X) == conv2(D, rot180(K), 'full')
>
> drill: 1 of 2 right
> mistakes           missing-sum    solved    1 attempt, 0 hints
> mistakes           missing-rot180 gave up   0 attempts, 0 hints
? 0

$ verify drill --count 0
! verify: error: --count needs a whole number from 1 to 10000
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ verify drill --students x
! verify: error: drill: unexpected '--students' (drill takes --student, --seed and --count)
! usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help tells more)
? 2

$ printf '' | verify drill --seed 3
> drill: 9 classic mistakes, on your own numbers. Name each one, or write the right side its step needs; ? gives a hint, giveup the answer, skip the next, and the end of input stops.
>
> Drill 1: What is wrong in this step? Name the mistake, or write the right side it needs.
>   the step:  grad(F, Q) == xcorr(D .* df(conv(f(Q), K)), K, 'full')
>   where F = sum(D .* conv(f(Q), K))
>   on your numbers its right side, xcorr(D .* df(conv(f(Q), K)), K, 'full'):
>     0.00399135    2.05951        0
>       0.108649  -0.343883  3.43252
>     -0.0742069  -0.496132  1.70412
>   and the true left side, grad(F, Q):
>       0.629962  0.0598325         0
>      -0.104994   0.176627   2.94918
>     -0.0903533  0.0451767  0.451767
>
> drill: 0 of 0 right
? 1


# In the student's own words: a name's words in any order name it; words that
# name nothing get the menu; a negation is never taken for a name. A drill
# answered before the end of input counts.
$ export XDG_STATE_HOME=$(mktemp -d); printf 'the sum is missing\nthe flip\nthe sum is not missing\n' | verify drill --student alice --count 2 | grep -v '^ '
> drill: 9 classic mistakes for alice, on your own numbers. Name each one, or write the right side its step needs; ? gives a hint, giveup the answer, skip the next.
>
> Drill 1: What is wrong in this step? Name the mistake, or write the right side it needs.
> ✓ right: a missing Σⱼ
>
> Drill 2: What is wrong in this step? Name the mistake, or write the right side it needs.
> ✗ the answer cannot be read: that is neither a mistake's name nor a right side: name one of: the missing 180° rotation, a transpose for rot180, 'valid' for 'full', a missing 1/n², a missing β, f′ at the wrong layer, a missing Σⱼ, a missing dilation, max pooling δ spread to every entry; or write the right side the step needs
> ✗ the answer cannot be read: that is neither a mistake's name nor a right side: name one of: the missing 180° rotation, a transpose for rot180, 'valid' for 'full', a missing 1/n², a missing β, f′ at the wrong layer, a missing Σⱼ, a missing dilation, max pooling δ spread to every entry; or write the right side the step needs
>
> drill: 1 of 2 right
? 0
