"""The exercise checks of "Optimize your own function": typical wrong answers get ✗, right ones ✓."""

import numpy as np
import pytest

from adam import adam
from exercises_own import (
    HIMMELBLAU_SETTINGS,
    HIMMELBLAU_TARGET,
    check_formula_minimum,
    check_himmelblau_start,
    check_own_gradient,
)
from objectives import himmelblau, himmelblau_derivative


# --------------------------------------------------------------------------
# 1. A formula with its minimum at (1, -2)
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        None,                                  # the stub
        "(x + 1)**2 + (y - 2)**2",             # both signs flipped: minimum at (-1, 2)
        "(x - 1)**2 + (y - 2)**2",             # one sign flipped
        "x**2 + y**2",                         # minimum at the origin
        "(x - 1)**2",                          # a valley along y: no single minimum
        "(x - 1)**2 - (y + 2)**2",             # a saddle at the target
        "-(x - 1)**2 - (y + 2)**2",            # a maximum at the target
        "0",                                   # flat
        "(x - 1)^2 + (y + 2)^2",               # not Python's power
        "(x - 1)**2 + (y + 2)**2 + z",         # unknown name
        # a local minimum at the target but a deeper well near (-2, 0): f(-2, 0) = 9 + 4 - 20 = -7 < f(1, -2) ~ 0
        "(x - 1)**2 + (y + 2)**2 - 20*exp(-(x + 2)**2 - y**2)",
    ],
)
def test_wrong_formulas_get_a_cross(text, capsys):
    assert not check_formula_minimum(text)
    assert capsys.readouterr().out.startswith("✗ ")


@pytest.mark.parametrize(
    "text",
    [
        "(x - 1)**2 + (y + 2)**2",
        "3*(x-1)**2 + (y+2)**2 + 7",
        "abs(x - 1) + abs(y + 2)",
        "np.hypot(x - 1, y + 2)",
        "(x - 1)**2 + (y + 2)**2 - exp(-(x - 1)**2 - (y + 2)**2)",
    ],
)
def test_formulas_with_the_minimum_at_the_target_get_a_tick(text, capsys):
    assert check_formula_minimum(text)
    assert capsys.readouterr().out.startswith("✓ ")


def test_the_minimum_check_never_raises_on_junk(capsys):
    for junk in ["__import__('os')", "", "x" * 600, 42, "sqrt(x - 5) + y**2"]:
        assert not check_formula_minimum(junk)
    assert capsys.readouterr().out.count("✗ ") == 5


# --------------------------------------------------------------------------
# 2. The gradient of x**2 * y + cos(y)
# --------------------------------------------------------------------------
def right(p):
    x, y = p
    return np.array([2 * x * y, x**2 - np.sin(y)])


def sign_error(p):
    x, y = p
    return np.array([2 * x * y, x**2 + np.sin(y)])


def missing_two(p):
    x, y = p
    return np.array([x * y, x**2 - np.sin(y)])


def swapped(p):
    x, y = p
    return np.array([x**2 - np.sin(y), 2 * x * y])


def stub(p):
    raise NotImplementedError


def wrong_shape(p):
    x, y = p
    return np.array([2 * x * y, x**2 - np.sin(y), 0.0])


def ignores_cos(p):
    x, y = p
    return np.array([2 * x * y, x**2])


@pytest.mark.parametrize("gradient", [None, stub, sign_error, missing_two, swapped, wrong_shape, ignores_cos, "2*x*y"])
def test_wrong_gradients_get_a_cross(gradient, capsys):
    assert not check_own_gradient(gradient)
    assert capsys.readouterr().out.startswith("✗ ")


def test_the_right_gradient_gets_a_tick(capsys):
    assert check_own_gradient(right)
    assert capsys.readouterr().out.startswith("✓ ")


def test_a_gradient_written_for_batches_also_passes(capsys):
    assert check_own_gradient(lambda p: np.stack([2 * p[..., 0] * p[..., 1], p[..., 0] ** 2 - np.sin(p[..., 1])], -1))


# --------------------------------------------------------------------------
# 3. A start with x > 0 that reaches the minimum near (-2.81, 3.13)
# --------------------------------------------------------------------------
def where_adam_ends(start):
    """Adam on the course's hand-derived Himmelblau gradient (independent of the typed formula)."""
    s = HIMMELBLAU_SETTINGS
    return adam(himmelblau_derivative, np.asarray(start, float), s["n_iter"], s["alpha"], s["beta1"], s["beta2"],
                objective=himmelblau).x


@pytest.mark.parametrize(
    "start",
    [
        None,
        [0.0, 0.0],              # x = 0 is not > 0 (and it leads to (3, 2))
        [1.0, 1.0],              # leads elsewhere
        [2.0, -2.0],             # leads elsewhere
        [-3.0, 3.0],             # next to the target, but x < 0
        list(HIMMELBLAU_TARGET), # the target itself
        [0.5, 6.0],              # outside the window
        [1.0],                   # not a point
        [np.nan, 4.0],
        "up",
    ],
)
def test_wrong_starts_get_a_cross(start, capsys):
    assert not check_himmelblau_start(start)
    assert capsys.readouterr().out.startswith("✗ ")


def test_wrong_starts_that_pass_the_rules_really_end_elsewhere():
    for start in ([1.0, 1.0], [2.0, -2.0], [4.0, 4.0]):
        assert np.linalg.norm(where_adam_ends(start) - HIMMELBLAU_TARGET) > 0.5
        assert not check_himmelblau_start(start)


@pytest.mark.parametrize("start", [[0.5, 4.0], [1.0, 5.0], [0.25, 3.5]])
def test_starts_high_up_on_the_right_reach_the_target(start, capsys):
    assert np.linalg.norm(where_adam_ends(start) - HIMMELBLAU_TARGET) < 1e-3
    assert check_himmelblau_start(start)
    assert capsys.readouterr().out.startswith("✓ ")
