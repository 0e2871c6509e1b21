"""Objectives typed as text or written as Python functions (code/user_objective.py).

Expected values are written out by hand in NumPy, gradients by hand
calculus; the finite differences are compared against those, never against
themselves.
"""

import builtins
import math
import os
import warnings

import numpy as np
import pytest

from adam import adam
from objectives import Objective
from user_objective import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    ObjectiveError,
    check_gradient,
    compile_formula,
    explain,
    finite_difference_gradient,
    objective_from_function,
    objective_from_text,
    try_objective,
)

RNG = np.random.default_rng(20240611)
POINTS = RNG.uniform(-2.0, 2.0, size=(7, 2))
GRID = RNG.uniform(-2.0, 2.0, size=(3, 4, 2))

# (text, value by hand, gradient by hand), each a function of x and y arrays.
FORMULAS = [
    ("x**2 + y**2", lambda x, y: x * x + y * y, lambda x, y: (2 * x, 2 * y)),
    ("sin(x)*cos(y)", lambda x, y: np.sin(x) * np.cos(y), lambda x, y: (np.cos(x) * np.cos(y), -np.sin(x) * np.sin(y))),
    ("np.exp(-x**2) + 0*y", lambda x, y: np.exp(-x * x), lambda x, y: (-2 * x * np.exp(-x * x), 0 * y)),
    ("numpy.hypot(x, y) + 1", lambda x, y: np.sqrt(x * x + y * y) + 1, lambda x, y: (x / np.sqrt(x * x + y * y), y / np.sqrt(x * x + y * y))),
    ("(1 - x)**2 + 100*(y - x**2)**2", lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
     lambda x, y: (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))),
    ("-x/2 + +y*pi - e", lambda x, y: -x / 2 + y * 3.141592653589793 - 2.718281828459045, lambda x, y: (-0.5 + 0 * x, 3.141592653589793 + 0 * y)),
    ("tanh(x*y) + log1p(x**2) + maximum(x, y)", lambda x, y: np.tanh(x * y) + np.log(1 + x * x) + np.where(x > y, x, y),
     lambda x, y: (y / np.cosh(x * y) ** 2 + 2 * x / (1 + x * x) + (x > y), x / np.cosh(x * y) ** 2 + (y > x))),
]


@pytest.mark.parametrize("text, value, grad", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_values_match_hand_written_numpy_for_one_point_a_batch_and_a_grid(text, value, grad):
    obj = objective_from_text(text)
    for points in (POINTS[0], POINTS, GRID):
        got = obj.f(points)
        assert got.shape == points.shape[:-1]
        np.testing.assert_allclose(got, value(points[..., 0], points[..., 1]), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("text, value, grad", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_finite_difference_gradient_matches_the_calculus_to_1e_7(text, value, grad):
    """Stated tolerance: |fd - exact| <= 1e-7 * max(1, |exact|) per component (the error is O(h^2), h ~ 6e-6)."""
    obj = objective_from_text(text)
    points = POINTS[np.abs(POINTS[:, 0] - POINTS[:, 1]) > 1e-3]  # away from the kink of maximum(x, y)
    got = obj.gradient(points)
    want = np.stack(grad(points[:, 0], points[:, 1]), axis=-1)
    assert got.shape == points.shape
    assert np.all(np.abs(got - want) <= 1e-7 * np.maximum(1.0, np.abs(want)))


def test_finite_differences_scale_the_step_with_the_point():
    """Far from the origin a fixed step of 6e-6 would drown in rounding; the scaled step does not."""
    f = lambda p: np.sum(p**3, axis=-1)  # noqa: E731  gradient 3 p^2
    for scale in (1e-3, 1.0, 1e3, 1e6):
        p = np.array([scale, -2 * scale])
        got, want = finite_difference_gradient(f, p), 3 * p**2
        assert np.all(np.abs(got - want) <= 1e-7 * np.maximum(1.0, np.abs(want)))


def test_a_constant_formula_broadcasts_to_one_value_per_point():
    obj = objective_from_text("3")
    assert obj.f(np.array([0.5, 0.5])).shape == ()
    np.testing.assert_array_equal(obj.f(GRID), np.full((3, 4), 3.0))
    np.testing.assert_array_equal(obj.gradient(POINTS), np.zeros_like(POINTS))


def test_the_result_is_an_objective_with_the_documented_defaults():
    obj = objective_from_text("  x**2 + y**2 ")
    assert isinstance(obj, Objective)
    assert obj.name == obj.formula == "x**2 + y**2"
    np.testing.assert_array_equal(obj.bounds, [[-3, 3], [-3, 3]])
    np.testing.assert_allclose(obj.start, [-3 + 0.8 * 6, -3 + 0.7 * 6])
    assert obj.minima.shape == (0, 2) and obj.minimum_value is None
    named = objective_from_text("x + y", name="plane", bounds=[[0, 1], [2, 3]], start=[0.5, 2.5])
    assert named.name == "plane" and named.formula == "x + y"
    np.testing.assert_array_equal(named.start, [0.5, 2.5])


def test_points_must_hold_two_coordinates_on_the_last_axis():
    obj = objective_from_text("x + y")
    with pytest.raises(ValueError, match="last axis"):
        obj.f(np.zeros(3))
    with pytest.raises(ValueError, match="last axis"):
        obj.f(1.0)


def test_bad_bounds_and_start_are_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="start"):
        objective_from_text("x", start=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="bounds"):
        objective_from_text("x", bounds=[[1, 0], [0, 1]])


def test_no_runtime_warning_escapes_and_non_finite_values_pass_through():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = objective_from_text("log(x) + sqrt(y)", start=[1.0, 1.0])
        values = obj.f(np.array([[-1.0, 1.0], [1.0, -1.0], [1.0, 4.0]]))
        grads = obj.gradient(np.array([[-1.0, 1.0], [1e308, 1e308]]))
    assert caught == []
    assert np.isnan(values[0]) and np.isnan(values[1]) and values[2] == 2.0
    assert not np.all(np.isfinite(grads))


def test_an_overflow_during_a_run_is_reported_by_the_runner_as_divergence():
    obj = objective_from_text("log(3 - x) + y**2", start=[1.0, 0.5])  # Adam walks into x > 3
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = adam(obj.gradient, obj.start, 500, 0.1, objective=obj.f)
    assert caught == []
    assert result.diverged and "diverged at step" in result.message
    assert np.all(np.isfinite(result.scores))


def test_adam_finds_the_minimum_of_a_typed_bowl():
    obj = objective_from_text("(x - 1)**2 + (y + 2)**2")
    result = adam(obj.gradient, obj.start, 500, 0.1, objective=obj.f)
    assert not result.diverged
    assert np.max(np.abs(result.x - np.array([1.0, -2.0]))) < 1e-2


# --------------------------------------------------------------------------
# Bad input: one exception type, one sentence naming what is wrong and what is allowed
# --------------------------------------------------------------------------
BAD = [
    ("", ["empty"]),
    ("   ", ["empty"]),
    ("x" * (MAX_LENGTH + 1), [f"{MAX_LENGTH + 1} characters", f"at most {MAX_LENGTH}"]),
    ("x +* y", ["syntax error", "column 4"]),
    ("sin(x", ["syntax error", "never closed"]),
    ("x^2", ["operator ^", "x**2"]),
    ("z + 1", ["Unknown name 'z'", "x, y, pi, e"]),
    ("X**2", ["Unknown name 'X'", "did you mean x"]),
    ("sinn(x)", ["Unknown function 'sinn'", "did you mean sin"]),
    ("import os", ["statement", "one expression"]),
    ("x = 3", ["statement"]),
    ("np.lib", ["attribute .lib", "np.NAME"]),
    ("np.load(x)", ["np.load", "not allowed", "sin, cos"]),
    ("x.real", ["attribute .real"]),
    ("(x + 1)(y)", ["Calling anything but a listed function"]),
    ("lambda: 1", ["lambda"]),
    ("[x][0]", ["Indexing"]),
    ("x[0]", ["Indexing"]),
    ("x < y", ["comparison"]),
    ("x and y", ["'and' / 'or'"]),
    ("not x", ["operator not"]),
    ("x if y else 0", ["conditional expression"]),
    ("f'{x}'", ["f-string"]),
    ("sin(x=1)", ["keyword argument"]),
    ("sin(*x)", ["starred argument"]),
    ("(y := 1)", ["walrus"]),
    ("[x for x in y]", ["list comprehension"]),
    ("sum(x for x in y)", ["Unknown function 'sum'"]),
    ("{x: 1}", ["dict"]),
    ("x, y", ["tuple"]),
    ("'a' * 10**9", ["text string"]),
    ("1j * x", ["complex number"]),
    ("True * x", ["constant True"]),
    ("x % 2", ["operator %"]),
    ("x // 2", ["operator //"]),
    ("x @ y", ["operator @"]),
    ("~x", ["operator ~"]),
    ("sin", ["is a function", "sin(x)"]),
    ("np.sin", ["is a function", "np.sin(x)"]),
    ("sin(x, y)", ["sin takes 1 argument, got 2"]),
    ("hypot(x)", ["hypot takes 2 arguments, got 1"]),
    ("1" + "0" * 400, ["too large"]),
    ("-" * (MAX_DEPTH + 5) + "x", ["nested", f"at most {MAX_DEPTH}"]),
    ("(" * 210 + "x" + ")" * 210, ["nested"]),
    ("log(-1 - x**2)", ["nan at the start", "log and sqrt"]),
    ("1/(x - x)", ["at the start"]),
    ("9**9**9 + x", ["inf at the start"]),
]


@pytest.mark.parametrize("text, words", BAD, ids=[repr(b[0][:30]) for b in BAD])
def test_bad_text_raises_objective_error_with_a_message_naming_the_problem(text, words):
    with pytest.raises(ObjectiveError) as info:
        objective_from_text(text)
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)
    first_line = message.splitlines()[0]
    assert first_line.rstrip().endswith(".") and "Traceback" not in message
    if "syntax error" not in message:
        assert "\n" not in message  # one sentence, one line


def test_object_error_is_a_value_error():
    assert issubclass(ObjectiveError, ValueError)


def test_a_syntax_error_shows_the_text_with_a_caret_under_the_column():
    with pytest.raises(ObjectiveError) as info:
        objective_from_text("x + * y")
    lines = str(info.value).splitlines()
    assert "column 5" in lines[0]
    assert lines[1].strip() == "x + * y"
    assert lines[2].index("^") == lines[1].index("*")


@pytest.mark.parametrize("text", ["x + args", "x.T", "x < 1", "lambda: x"])
def test_unknown_names_and_disallowed_constructs_list_every_allowed_function(text):
    with pytest.raises(ObjectiveError) as info:
        objective_from_text(text)
    for function in FUNCTIONS:
        assert function in str(info.value)


def test_a_non_string_is_refused_with_a_pointer_to_objective_from_function():
    with pytest.raises(ObjectiveError, match="objective_from_function"):
        objective_from_text(lambda x, y: x)
    with pytest.raises(ObjectiveError, match="string"):
        objective_from_text(3)


INJECTIONS = [
    "__import__('os').system('echo hi')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "open('f')",
    "open('f').read()",
    "np.lib",
    "np.load('f')",
    "numpy.load('f')",
    "np.save('f', x)",
    "getattr(x, 'real')",
    "eval('1')",
    "exec('1')",
    "lambda: 0",
    "[x for x in y]",
    "x if y else 0",
    "[x][0]",
    "'a'*10**9",
    "np.sin.__self__",
    "np.sin.__globals__",
    "sin.__call__(x)",
    "np.sin(x).__class__",
    "globals()",
    "__builtins__",
    "x.__array_interface__",
    "np.testing",
    "np.sin(x, out=y)",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_attempts_are_refused_before_anything_runs(text, monkeypatch, capfd):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(("system", a)))
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: calls.append(("open", a)) or real_open(*a, **k))
    real_load = np.load
    monkeypatch.setattr(np, "load", lambda *a, **k: calls.append(("load", a)) or real_load(*a, **k))
    with pytest.raises(ObjectiveError) as info:
        compile_formula(text)  # parsing and checking alone: nothing is evaluated
    assert "not allowed" in str(info.value) or "Unknown" in str(info.value)
    with pytest.raises(ObjectiveError):
        objective_from_text(text)
    assert calls == []
    assert "hi" not in capfd.readouterr().out


def test_a_tower_of_constant_powers_is_computed_in_floats_and_refused_as_infinite():
    """Our choice: every literal is a float, so 9**9**9 overflows to inf at once (no huge integer)."""
    evaluate = compile_formula("9**9**9")
    with np.errstate(all="ignore"):
        assert evaluate({"x": np.zeros(1), "y": np.zeros(1)}) == np.inf
    with pytest.raises(ObjectiveError, match="inf at the start"):
        objective_from_text("9**9**9")
    with pytest.raises(ObjectiveError, match="nan at the start"):
        objective_from_text("0 * 9**9**9 + x")


# --------------------------------------------------------------------------
# A learner's Python function
# --------------------------------------------------------------------------
def test_a_learners_python_function_works_like_a_formula():
    def bumpy(x, y):
        return (x - 1) ** 2 + (y + 0.5) ** 2 + 0.3 * np.sin(3 * x)

    obj = objective_from_function(bumpy)
    assert obj.name == "bumpy" and obj.formula == "bumpy(x, y)"
    x, y = GRID[..., 0], GRID[..., 1]
    np.testing.assert_allclose(obj.f(GRID), (x - 1) ** 2 + (y + 0.5) ** 2 + 0.3 * np.sin(3 * x), rtol=1e-14)
    want = np.stack([2 * (x - 1) + 0.9 * np.cos(3 * x), 2 * (y + 0.5)], axis=-1)
    assert np.all(np.abs(obj.gradient(GRID) - want) <= 1e-7 * np.maximum(1, np.abs(want)))
    result = adam(obj.gradient, obj.start, 300, 0.05, objective=obj.f)
    assert not result.diverged and result.score < obj.f(obj.start)


def test_a_constant_python_function_broadcasts():
    obj = objective_from_function(lambda x, y: 2.5)
    np.testing.assert_array_equal(obj.f(GRID), np.full((3, 4), 2.5))


@pytest.mark.parametrize(
    "func, words",
    [
        (lambda x, y: np.sum(x**2 + y**2), ["for a batch of 3 points", "np.sum"]),
        (lambda x, y: np.max(x) + y, ["its own x and y"]),
        (lambda x, y: math.sin(x) + y, ["TypeError", "math.sin"]),
        (lambda x, y: np.stack([x, y]), ["shape (3,)", "shape (2, 3)"]),
        (lambda x: x, ["two arguments"]),
        (lambda x, y: x[0] + y, ["x[0]"]),
        (lambda x, y: np.log(-1 - x**2), ["nan at the start"]),
        (lambda x, y: "text", ["ValueError"]),
        (3.0, ["needs a Python function"]),
    ],
)
def test_a_bad_python_function_raises_objective_error_naming_the_problem(func, words):
    with pytest.raises(ObjectiveError) as info:
        objective_from_function(func)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


# --------------------------------------------------------------------------
# The gradient check, and messages for notebooks
# --------------------------------------------------------------------------
def test_check_gradient_accepts_the_right_gradient_and_measures_wrong_ones():
    obj = objective_from_text("x**2 * y + cos(y)")
    right = lambda p: np.array([2 * p[0] * p[1], p[0] ** 2 - np.sin(p[1])])  # noqa: E731
    half = lambda p: np.array([p[0] * p[1], p[0] ** 2 - np.sin(p[1])])  # noqa: E731
    good = check_gradient(obj, right, POINTS)
    assert good.ok and good.worst_error < 1e-8
    assert "agree" in str(good)
    bad = check_gradient(obj.f, half, POINTS)
    assert not bad.ok and "disagree" in str(bad)
    x, y = POINTS[:, 0], POINTS[:, 1]
    exact = np.stack([2 * x * y, x**2 - np.sin(y)], axis=-1)
    by_hand = np.abs(x * y) / np.maximum(1, np.abs(exact).max(axis=1))  # only the x component is off by x*y
    assert bad.worst_error == pytest.approx(by_hand.max(), rel=1e-6)


def test_check_gradient_refuses_bad_arguments():
    obj = objective_from_text("x + y")
    with pytest.raises(ValueError, match="points"):
        check_gradient(obj, lambda p: p, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        check_gradient(obj, lambda p: np.zeros(3), POINTS)
    with pytest.raises(TypeError, match="gradient"):
        check_gradient(obj, None, POINTS)


def test_try_objective_prints_one_line_and_returns_none(capsys):
    assert try_objective("x + z") is None
    out = capsys.readouterr().out
    assert out.startswith("✗ Unknown name 'z'") and out.count("\n") == 1
    obj = try_objective("x + y")
    assert obj is not None and capsys.readouterr().out == ""
    assert try_objective(lambda x, y: x * y).formula == "<lambda>(x, y)"


def test_explain_gives_the_sentence_for_our_errors_and_the_type_for_others():
    assert explain(ObjectiveError("The formula is empty.")) == "✗ The formula is empty."
    assert explain(KeyError("k")) == "✗ KeyError: 'k'"
