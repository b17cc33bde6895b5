/*
 * context: what the notes' symbols mean, built in.
 *
 * Each `scene` is one situation the notes derive in, written as lesson
 * header lines (matrix, scalar, define).  A LaTeX symbol is named by its
 * letters and its layer: X^{l-1} is X_prev, \delta^{l+1} is delta_next,
 * net^l is net; feature-map indices (X_j, K_{i,j}) are dropped, since each
 * layer has one map here.  x_{11} is entry (1,1) of the matrix whose
 * symbols are x.  δ is ∂E/∂net: E is linear in each layer's net through
 * its δ, as the lessons have it.
 *
 * F is the convolution's result and d the kernel's size, as the notes name
 * them (假设卷积结果为F, 大小为d*d).
 *
 * A formula is read in every scene that has all of its symbols; it holds
 * if it holds in one of them, and the report names the scene.
 */
#include "notes/notes.h"

const char notes_builtin_context[] =
        "scene a convolution layer l\n"
        "matrix X_prev = x 3x3\n"
        "matrix K = k 2x2\n"
        "scalar b\n"
        "matrix delta = d like conv(X_prev, K)\n"
        "define net = conv(X_prev, K) + b\n"
        "define X = f(net)\n"
        "define E = sum(delta .* net)\n"
        "\n"
        "scene a pooling layer l\n"
        "matrix X_prev = x 4x4\n"
        "scalar beta\n"
        "scalar b\n"
        "matrix delta = d like down(X_prev, 2)\n"
        "define net = beta * down(X_prev, 2) + b\n"
        "define X = f(net)\n"
        "define E = sum(delta .* net)\n"
        "\n"
        "scene a convolution layer l, pooling layer l+1\n"
        "matrix net = n 4x4\n"
        "scalar beta_next = beta\n"
        "scalar b_next = c\n"
        "matrix delta_next = d like down(net, 2)\n"
        "define X = f(net)\n"
        "define net_next = beta_next * down(X, 2) + b_next\n"
        "define E = sum(delta_next .* net_next)\n"
        "define delta = grad(E, net)\n"
        "\n"
        "scene a pooling layer l, convolution layer l+1\n"
        "matrix net = n 3x3\n"
        "matrix K_next = k 2x2\n"
        "scalar b_next = c\n"
        "define x = f(net)\n"
        "define X = x\n"
        "matrix delta_next = d like conv(net, K_next)\n"
        "define net_next = conv(x, K_next) + b_next\n"
        "define E = sum(delta_next .* net_next)\n"
        "define delta = grad(E, net)\n"
        "\n"
        "scene a convolution of an input X by a kernel K\n"
        "matrix X = x 3x3\n"
        "matrix K = k 2x2\n"
        "define F = conv(X, K)\n"
        "define d = rows(K)\n";
