"""The exercise checks of the noise and mini-batch chapter: typical wrong answers get ✗, right ones ✓.

Right answers are worked out by hand or written literally here; wrong ones are the slips each
exercise teaches.
"""

import numpy as np
import pytest

from exercises_noise import check_adam_steps, check_output_delta, check_squared_error_gradient


# --------------------------------------------------------------------------
# 1. Steps in 5 epochs of 427 examples with B = 32: 427 = 13 * 32 + 11, so 14 batches per epoch
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer",
    [None, 5 * 427 / 32, 66, 67, 65, 5, 427 / 32, 13, 14, 427 * 5, "70", True, 70.5],
    ids=["stub", "E*n/B", "floor(E*n/B)", "ceil(E*n/B)", "E*floor(n/B)", "E", "n/B", "floor(n/B)",
         "ceil(n/B)", "E*n", "text", "bool", "70.5"],
)
def test_wrong_step_counts_get_a_cross(answer, capsys):
    assert not check_adam_steps(answer)
    assert capsys.readouterr().out.startswith("✗ ")


@pytest.mark.parametrize("answer", [70, 70.0, np.int64(70)])
def test_the_right_step_count_gets_a_tick(answer, capsys):
    assert check_adam_steps(answer)
    assert capsys.readouterr().out.startswith("✓ ")


def test_steps_when_the_batch_divides_n():
    assert check_adam_steps(12, E=3, n=64, B=16)       # 3 * 4, worked by hand
    assert not check_adam_steps(15, E=3, n=64, B=16)


# --------------------------------------------------------------------------
# 2. The output layer's error delta (p - y) / n
# --------------------------------------------------------------------------
WRONG_DELTAS = {
    "stub": None,
    "no 1/n": lambda p, y: p - y,
    "flipped sign": lambda p, y: (y - p) / len(p),
    "flipped sign, no 1/n": lambda p, y: y - p,
    "sigmoid derivative kept": lambda p, y: (p - y) * p * (1 - p),
    "sigmoid derivative kept, with 1/n": lambda p, y: (p - y) * p * (1 - p) / len(p),
    "mean instead of per example": lambda p, y: np.mean(p - y),
    "a number, not a function": 0.1,
    "raises": lambda p, y: p @ np.ones(2),
}


@pytest.mark.parametrize("name", WRONG_DELTAS)
def test_wrong_deltas_get_a_cross(name, capsys):
    assert not check_output_delta(WRONG_DELTAS[name])
    assert capsys.readouterr().out.startswith("✗ ")


def test_the_right_delta_gets_a_tick(capsys):
    # dL/dz_i of L = (1/n) sum [log(1 + e^z) - y z] with p = sigmoid(z): (p - y) / n
    assert check_output_delta(lambda p, y: (p - y) / p.size)
    out = capsys.readouterr().out
    assert out.startswith("✓ ")


def test_a_loop_version_of_the_right_delta_gets_a_tick():
    def delta_out(p, y):
        n = len(p)
        return np.array([(p[i] - y[i]) / n for i in range(n)])

    assert check_output_delta(delta_out)


# --------------------------------------------------------------------------
# 3. Gradient of L(w) = mean (sigmoid(X w) - y)^2, checked by finite differences
# --------------------------------------------------------------------------
def sig(z):
    return 1 / (1 + np.exp(-z))


def right_gradient(w, X, y):
    p = sig(X @ w)
    return X.T @ (2 * (p - y) * p * (1 - p)) / len(y)


WRONG_GRADIENTS = {
    "stub": None,
    "cross-entropy's delta": lambda w, X, y: X.T @ (sig(X @ w) - y) / len(y),
    "no factor 2": lambda w, X, y: right_gradient(w, X, y) / 2,
    "no 1/n": lambda w, X, y: right_gradient(w, X, y) * len(y),
    "flipped sign": lambda w, X, y: -right_gradient(w, X, y),
    "no sigmoid derivative": lambda w, X, y: X.T @ (2 * (sig(X @ w) - y)) / len(y),
    "wrong shape": lambda w, X, y: X @ w,
    "raises": lambda w, X, y: X @ X,
}


@pytest.mark.parametrize("name", WRONG_GRADIENTS)
def test_wrong_gradients_get_a_cross(name, capsys):
    assert not check_squared_error_gradient(WRONG_GRADIENTS[name])
    assert capsys.readouterr().out.startswith("✗ ")


def test_the_right_gradient_gets_a_tick(capsys):
    assert check_squared_error_gradient(right_gradient)
    assert capsys.readouterr().out.startswith("✓ ")


def test_a_per_example_loop_gradient_gets_a_tick():
    def loop(w, X, y):
        total = np.zeros_like(w)
        for x_i, y_i in zip(X, y):
            p = 1 / (1 + np.exp(-(x_i @ w)))
            total += 2 * (p - y_i) * p * (1 - p) * x_i
        return total / len(y)

    assert check_squared_error_gradient(loop)
