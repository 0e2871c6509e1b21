r"""The checks of the graded exercises, one function per exercise.

Each function is named after the exercise's label (``gd-ex-step`` becomes
:func:`check_gd_ex_step`), computes the right answer on its own, prints one
✓/✗ line (through :mod:`checks`) and returns the :class:`checks.Verdict`.
A check never raises on a wrong or missing answer.

The cases are chosen so that the typical mistakes change the answer beyond
the tolerance; ``tests/test_exercises.py`` feeds every check those mistakes.
For an Adam step they are: no :math:`\epsilon`; :math:`\epsilon` inside the
square root; :math:`\epsilon` outside the denominator (the misplaced-ε form
``alpha * m_hat / sqrt(v_hat) + eps``, which a reader's comment on the
article quotes); :math:`\beta t` instead of
:math:`\beta^t`; no bias correction; :math:`m` and :math:`v` swapped. Cases
with gradients as small as :math:`\epsilon`, with :math:`v = 0`, with a
large :math:`\epsilon` and with :math:`t > 1` tell them apart.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import objectives
from adam import adam, adam_step, gradient_descent, gradient_descent_step
from checks import Verdict, check_array, check_choice, check_function, check_number, say

__all__ = [
    "ADAM_EX_LONG_STEP_SETTINGS",
    "ADAM_EX_NO_CORRECTION",
    "ADAM_EX_TWO_STEPS",
    "IMPL_EX_ALPHA_GRID",
    "IMPL_EX_ALPHA_TRENDS",
    "impl_ex_vectorize_cases",
    "check_gd_ex_step",
    "check_gd_ex_by_hand",
    "check_gd_ex_limit",
    "check_gd_ex_stretched",
    "check_adam_ex_correct",
    "check_adam_ex_two_steps",
    "check_adam_ex_no_correction",
    "check_adam_ex_alpha_t",
    "check_adam_ex_long_step",
    "check_problem_ex_sphere",
    "check_problem_ex_gradient",
    "check_problem_ex_grid",
    "check_impl_ex_vectorize",
    "check_impl_ex_seed",
    "check_impl_ex_stretched",
    "check_impl_ex_alpha",
    "check_vis_ex_length",
    "check_vis_ex_defaults",
    "check_vis_ex_rosenbrock",
]

#: The article's bounds and start (``experiment`` would pull in the printing runner).
_BOUNDS = np.array([[-1.0, 1.0], [-1.0, 1.0]])
_ARTICLE = {"alpha": 0.02, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}


def _article_start(seed: int = 1) -> np.ndarray:
    """The article's recipe: ``seed(s)``, then ``low + rand(2) * (high - low)``."""
    draws = np.random.RandomState(seed).rand(2)
    return _BOUNDS[:, 0] + draws * (_BOUNDS[:, 1] - _BOUNDS[:, 0])


def _all(verdicts: list[Verdict]) -> Verdict:
    return Verdict(all(bool(v) for v in verdicts))


# --------------------------------------------------------------------------
# Chapter 1: gradient descent
# --------------------------------------------------------------------------
def check_gd_ex_step(candidate: Callable) -> Verdict:
    """``gd_step(x, g, alpha)`` must return :math:`x - \\alpha g`."""
    cases = [
        (np.array([1.0, -2.0]), np.array([2.0, -4.0]), 0.1),
        (np.array([0.5]), np.array([3.0]), 0.01),
    ]
    return check_function("gd_step", candidate, gradient_descent_step, cases, hint="step against the gradient")


def check_gd_ex_by_hand(x_3: Any) -> Verdict:
    """Three steps on :math:`f(x) = x^2` from 1 with :math:`\\alpha = 0.7`, a step size that overshoots."""
    expected = gradient_descent(objectives.sphere_derivative, np.array([1.0]), 3, 0.7).x[0]
    return check_number("x_3", x_3, expected, rtol=1e-3,
                        hint="each step computes x - 0.7 * 2x = -0.4x: keep track of the sign")


def check_gd_ex_limit(limit: Any, one_step_alpha: Any) -> Verdict:
    """On :math:`f(x) = 4x^2`: the step size above which the search diverges, and the one that lands in one step."""
    # f'(x) = 8x, so x_t = (1 - 8 alpha) x_{t-1}: converges iff |1 - 8 alpha| < 1, i.e. alpha < 2 / 8,
    # and reaches 0 in one step iff 1 - 8 alpha = 0, i.e. alpha = 1 / 8
    return _all([
        check_number("the limit", limit, 2 / 8, rtol=1e-3,
                     hint="here f'(x) = 8x, so each step multiplies x by 1 - 8 alpha; when is |1 - 8 alpha| < 1?"),
        check_number("the one-step alpha", one_step_alpha, 1 / 8, rtol=1e-3, hint="when is 1 - 8 alpha = 0?"),
    ])


def check_gd_ex_stretched(stretched_limit: Any) -> Verdict:
    """The step size above which gradient descent diverges on :math:`x^2 + 25 y^2` (set by :math:`y`).

    The chapter works out the stretched bowl :math:`x^2 + 10 y^2` (limit 0.1) in its text; the
    exercise asks for the same reasoning on a bowl stretched further. At exactly the limit
    :math:`y` bounces between :math:`\\pm y_0` forever: the search converges for every smaller
    step size and diverges for every larger one.
    """
    # y_t = (1 - 50 alpha) y_{t-1}: |1 - 50 alpha| < 1 iff alpha < 2 / 50
    return check_number("the limit on the bowl x^2 + 25 y^2", stretched_limit, 2 / 50, rtol=1e-3,
                        hint="the derivative in y is 50 y, so y is multiplied by 1 - 50 alpha at each step")


# --------------------------------------------------------------------------
# Chapter 2: the Adam algorithm
# --------------------------------------------------------------------------
def check_adam_ex_correct(candidate: Callable) -> Verdict:
    """``bias_correct(moment, beta, t)`` must return ``moment / (1 - beta**t)``."""
    cases = [(np.array([0.05, -0.1]), 0.9, 1), (np.array([0.004]), 0.999, 3), (np.array([1.0, 2.0]), 0.8, 50)]
    return check_function("bias_correct", candidate, lambda moment, beta, t: moment / (1 - beta**t), cases,
                          hint="divide by 1 - beta to the power t (t starts at 1)")


#: The setting of exercise ``adam-ex-two-steps``: a gradient as small as eps, twice.
ADAM_EX_TWO_STEPS = {"g": 1e-8, "alpha": 0.02, "beta1": 0.8, "beta2": 0.999, "eps": 1e-8}


def check_adam_ex_two_steps(m_hat: Any, v_hat: Any, step: Any) -> Verdict:
    r"""Two Adam steps with the gradient :math:`g_1 = g_2 = 10^{-8}`: :math:`\hat m_2`, :math:`\hat v_2`, :math:`x_2 - x_1`."""
    s = ADAM_EX_TWO_STEPS
    x, m, v = np.zeros(1), np.zeros(1), np.zeros(1)
    for t in (1, 2):
        x_before = x
        x, m, v = adam_step(x, np.array([s["g"]]), m, v, t, s["alpha"], s["beta1"], s["beta2"], s["eps"])
    m_hat_2 = m[0] / (1 - s["beta1"] ** 2)
    v_hat_2 = v[0] / (1 - s["beta2"] ** 2)
    # v_hat is about 1e-16: compare relatively, with no absolute floor
    return _all([
        check_number("m_hat_2", m_hat, m_hat_2, rtol=1e-3, atol=0.0, hint="m_2 / (1 - beta1**2)"),
        check_number("v_hat_2", v_hat, v_hat_2, rtol=1e-3, atol=0.0, hint="v_2 / (1 - beta2**2)"),
        check_number("x_2 - x_1", step, (x - x_before)[0], rtol=1e-3, atol=0.0,
                     hint="-alpha * m_hat / (sqrt(v_hat) + eps); here sqrt(v_hat) is as small as eps"),
    ])


#: The setting of exercise ``adam-ex-no-correction``: the article's beta1 with beta2 = 0.99, a setting whose
#: answer the chapter does not print (at the paper's defaults it is 3.16, at the article's 6.32).
ADAM_EX_NO_CORRECTION = {"beta1": 0.8, "beta2": 0.99}


def check_adam_ex_no_correction(first_step_ratio: Any) -> Verdict:
    """The first step over alpha without bias correction: :math:`(1 - \\beta_1) / \\sqrt{1 - \\beta_2}`."""
    beta1, beta2 = ADAM_EX_NO_CORRECTION["beta1"], ADAM_EX_NO_CORRECTION["beta2"]
    g = 0.7  # any nonzero gradient: m_1 / sqrt(v_1) = (1 - beta1) g / (sqrt(1 - beta2) |g|)
    expected = ((1 - beta1) * g) / np.sqrt((1 - beta2) * g**2)
    return check_number("first step / alpha without correction", first_step_ratio, expected, rtol=1e-3,
                        hint="m_1 = (1 - beta1) g and v_1 = (1 - beta2) g**2, with beta1 = 0.8 and beta2 = 0.99; "
                             "the step is alpha * m_1 / sqrt(v_1)")


def check_adam_ex_alpha_t(alpha_1_ratio: Any) -> Verdict:
    """:math:`\\alpha_1 / \\alpha = \\sqrt{1 - \\beta_2} / (1 - \\beta_1)` at the paper's defaults."""
    return check_number("alpha_1 / alpha", alpha_1_ratio, np.sqrt(1 - 0.999) / (1 - 0.9), rtol=1e-3,
                        hint="sqrt(1 - beta2**1) / (1 - beta1**1)")


#: The hyperparameters of exercise ``adam-ex-long-step``: the paper's defaults.
ADAM_EX_LONG_STEP_SETTINGS = {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def check_adam_ex_long_step(gradients: Any) -> Verdict:
    """Run the learner's gradients through Adam; the last step must exceed alpha."""
    name = "the gradient sequence"
    if gradients is None or gradients is Ellipsis:
        return say(False, f"{name}: no answer yet; fill in the placeholder and run the cell again.")
    try:
        g = np.asarray(gradients, dtype=float)
    except (TypeError, ValueError):
        return say(False, f"{name}: expected a list or 1-D array of numbers, got {type(gradients).__name__}.")
    if g.ndim != 1:
        return say(False, f"{name}: expected a 1-D sequence of gradients of one variable, got shape {g.shape}.")
    if g.size < 2:
        return say(False, f"{name}: {g.size} gradient(s); a single step is alpha * g / (|g| + eps), never "
                           f"longer than alpha. Give a history of at least 2 gradients.")
    if not np.all(np.isfinite(g)) or np.abs(g).max() > 1e150:
        return say(False, f"{name}: every gradient must be a finite number below 1e150 in size "
                           "(Adam squares it).")
    s = ADAM_EX_LONG_STEP_SETTINGS
    x, m, v = np.zeros(1), np.zeros(1), np.zeros(1)
    for t, gradient in enumerate(g, start=1):
        x_before = x
        x, m, v = adam_step(x, np.array([gradient]), m, v, t, s["alpha"], s["beta1"], s["beta2"], s["eps"])
    ratio = abs(x - x_before)[0] / s["alpha"]
    if ratio > 1.0:
        return say(True, f"{name}: the last of {g.size} steps moves {ratio:.3g} alpha, longer than alpha.")
    return say(False, f"{name}: the last of {g.size} steps moves {ratio:.9g} alpha, not more than alpha. "
                       "Hint: make the last gradient much larger than the ones before it.")


# --------------------------------------------------------------------------
# Chapter 3: the test problem
# --------------------------------------------------------------------------
def check_problem_ex_sphere(candidate: Callable) -> Verdict:
    """``my_sphere(p)`` on one point, a batch and a grid (coordinates on the last axis)."""
    axis = np.linspace(-1.0, 1.0, 5)
    grid = np.stack(np.meshgrid(axis, axis[:4]), axis=-1)  # shape (4, 5, 2): not square, not 2 x 2
    cases = [(np.array([0.3, -0.4]),), (np.array([[1.0, 1.0], [0.0, 0.5], [-0.2, 0.7]]),), (grid,)]
    reference = lambda p: (p**2).sum(axis=-1)  # noqa: E731
    return check_function("my_sphere", candidate, reference, cases, hint="square, then sum over axis=-1")


def check_problem_ex_gradient(gradient: Any, angle: Any) -> Verdict:
    """The stretched bowl's gradient at (0.5, 0.5), and its angle (degrees) to the direction of the minimum."""
    point = np.array([0.5, 0.5])
    exact = np.array([2 * point[0], 20 * point[1]])  # (2x, 20y), by hand
    toward_minimum, downhill = -point, -exact
    cosine = toward_minimum @ downhill / np.linalg.norm(toward_minimum) / np.linalg.norm(downhill)
    return _all([
        check_array("the gradient at (0.5, 0.5)", gradient, exact, hint="the partial derivatives are 2x and 20y"),
        check_number("the angle", angle, np.degrees(np.arccos(cosine)), rtol=1e-3,
                     hint="the angle, in degrees, between -(0.5, 0.5) and -(1, 10): use the dot product"),
    ])


def check_problem_ex_grid(points_per_axis: Any, largest_value: Any) -> Verdict:
    """Points per axis of a grid from -1 to 1 in steps of 0.1, and the largest value of the sphere on the square."""
    return _all([
        check_number("points per axis", points_per_axis, round(2 / 0.1) + 1, hint="count the gaps, then add one"),
        check_number("the largest value", largest_value, 1.0**2 + 1.0**2,
                     hint="where are x**2 and y**2 both as large as they can be?"),
    ])


# --------------------------------------------------------------------------
# Chapter 4: Adam from scratch
# --------------------------------------------------------------------------
def impl_ex_vectorize_cases() -> list[tuple]:
    """The cases of ``impl-ex-vectorize``, each chosen to expose one kind of mistake.

    1. ``v = m = 0`` at ``t = 1`` with gradients as small as eps: eps decides the step.
    2. ``t = 3``: ``beta * t`` is not ``beta ** t``; nonzero ``m`` and ``v``.
    3. a large eps (0.1): eps inside the root, or outside the denominator, shows.
    """
    return [
        (np.array([1.0, -1.0]), np.array([1e-8, -3e-8]), np.zeros(2), np.zeros(2), 1, 0.01, 0.9, 0.999, 1e-8),
        (np.array([0.5, 2.0]), np.array([0.4, -1.0]), np.array([0.2, -0.3]), np.array([0.05, 0.2]), 3,
         0.01, 0.9, 0.999, 1e-8),
        (np.array([0.0, 1.0]), np.array([0.5, 2.0]), np.array([0.1, 0.0]), np.array([0.01, 0.0]), 2,
         0.1, 0.8, 0.99, 0.1),
    ]


def check_impl_ex_vectorize(candidate: Callable) -> Verdict:
    """``my_adam_step(x, g, m, v, t, alpha, beta1, beta2, eps)`` against :func:`adam.adam_step`."""
    return check_function("my_adam_step", candidate, adam_step, impl_ex_vectorize_cases(), rtol=1e-7, atol=0.0,
                          hint="m and v first, then m_hat = m / (1 - beta1**t), v_hat likewise; "
                               "x - alpha * m_hat / (sqrt(v_hat) + eps)")


def check_impl_ex_seed(start_7: Any) -> Verdict:
    """The article's start for ``seed(7)``."""
    return check_array("the start for seed 7", start_7, _article_start(7),
                       hint="np.random.seed(7), then low + np.random.rand(2) * (high - low), with low = -1, high = 1")


def check_impl_ex_stretched(stretched_score: Any) -> Verdict:
    """f after 60 steps of the article's settings on the stretched bowl, from the article's start."""
    run = adam(objectives.stretched_bowl_derivative, _article_start(1), 60, **_ARTICLE)
    expected = float(objectives.stretched_bowl(run.x))
    return check_number("f after 60 steps on the stretched bowl", stretched_score, expected, rtol=1e-9,
                        hint="adam_loop returns the path; evaluate stretched_bowl at its last point")


#: The step sizes of exercise ``impl-ex-alpha``: 0.01, 0.02, ..., 0.20.
IMPL_EX_ALPHA_GRID = np.round(np.arange(1, 21) * 0.01, 2)
#: The answers offered for the shape of the curve of final f against alpha.
IMPL_EX_ALPHA_TRENDS = ("falls steadily", "rises steadily", "jumps up and down")


def check_impl_ex_alpha(final_scores: Any, best_alpha: Any, trend: Any) -> Verdict:
    """Final f after 60 steps for each alpha of the grid, the best alpha, and the shape of the curve.

    The expected values come from one plain run per step size (no batch). The best alpha and
    the trend are graded only once the scores are right: guessing among three trends, or
    copying an alpha, is no shortcut.
    """
    alphas = IMPL_EX_ALPHA_GRID
    finals = np.array([
        adam(objectives.sphere_derivative, _article_start(1), 60, a, 0.8, 0.999, objective=objectives.sphere).score
        for a in alphas
    ])
    logs = np.diff(np.log(finals[1:]))  # the curve from alpha = 0.02 on
    expected_trend = ("falls steadily" if np.all(logs < 0) else
                      "rises steadily" if np.all(logs > 0) else "jumps up and down")
    scores = check_array("the final scores", final_scores, finals, rtol=1e-6, atol=0.0,
                         hint="one score per alpha of the grid, after 60 steps: the last row of result.scores")
    if not scores:  # the best alpha and the curve are read off the scores: graded once they are right
        return say(False, "the best alpha and the curve: checked once the final scores are right "
                           "(they are read off them).")
    verdicts = [scores, check_number("the best alpha", best_alpha, float(alphas[np.argmin(finals)]),
                                     hint="the alpha at the smallest final score (np.argmin)")]
    verdicts.append(check_choice("the curve from alpha = 0.02 on", trend, expected_trend, IMPL_EX_ALPHA_TRENDS,
                                 hint="plot the final scores against alpha on a log scale"))
    return _all(verdicts)


# --------------------------------------------------------------------------
# Chapter 5: visualizing Adam
# --------------------------------------------------------------------------
def _article_run():
    return adam(objectives.sphere_derivative, _article_start(1), 60, objective=objectives.sphere, **_ARTICLE)


def check_vis_ex_length(path_length: Any) -> Verdict:
    """The length of the article's path: the sum of the Euclidean lengths of its 60 steps."""
    path = _article_run().path
    length = sum(float(np.hypot(*(b - a))) for a, b in zip(path[:-1], path[1:]))
    return check_number("the path length", path_length, length,
                        hint="np.diff(result.path, axis=0) gives the 60 steps; sum their Euclidean lengths")


def check_vis_ex_defaults(default_score: Any) -> Verdict:
    """f after 60 steps with the paper's defaults, from the article's start."""
    expected = adam(objectives.sphere_derivative, _article_start(1), 60, 0.001, 0.9, 0.999, 1e-8,
                    objective=objectives.sphere).score
    return check_number("f after 60 steps with the paper's defaults", default_score, expected, rtol=1e-9,
                        hint="adam(sphere_derivative, ARTICLE_START, 60, objective=sphere, **PAPER_DEFAULTS)")


def check_vis_ex_rosenbrock(my_settings: Any) -> Verdict:
    """Settings with which Adam from (-1.5, 2) gets below f = 1e-3 on Rosenbrock within 300 steps."""
    name = "the best f within 300 steps"
    if my_settings is None or my_settings is Ellipsis:
        return say(False, f"{name}: no answer yet; fill in the placeholder and run the cell again.")
    if not isinstance(my_settings, dict):
        return say(False, f"{name}: expected a dict such as {{'alpha': 0.02, 'beta1': 0.8, 'beta2': 0.999}}, "
                           f"got {type(my_settings).__name__}.")
    allowed = {"alpha", "beta1", "beta2", "eps"}
    unknown = sorted(set(my_settings) - allowed)
    if unknown:
        return say(False, f"{name}: unknown setting(s) {unknown}; use {sorted(allowed)}.")
    try:
        run = adam(objectives.rosenbrock_derivative, np.array([-1.5, 2.0]), 300,
                   objective=objectives.rosenbrock, **my_settings)
    except (TypeError, ValueError) as exc:
        return say(False, f"{name}: these settings cannot run: {exc}")
    if run.diverged:
        return say(False, f"{name}: the run diverged ({run.message}).")
    best = float(np.min(run.scores))
    if best < 1e-3:
        return say(True, f"{name}: {best:.3g} is below 0.001.")
    return say(False, f"{name}: {best:.3g} is not below 0.001 yet. Hint: a shorter memory for the squared "
                       "gradients (beta2 = 0.9) keeps the steps long in the flat valley")
