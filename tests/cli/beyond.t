# The lessons beyond the notes (stride, padding, frameworks): their exercises
# answered right and wrong, each wrong answer told what is wrong.

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
