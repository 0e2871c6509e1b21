r"""Checks for the exercises of the chapter "Optimize your own function".

Each check prints one line (``✓`` or ``✗`` with a hint) and returns a
:class:`checks.Verdict`; none raises on a wrong answer.

- :func:`check_formula_minimum`: a formula typed as text whose minimum is at
  a given point.
- :func:`check_own_gradient`: an analytic gradient of
  :data:`GRADIENT_FORMULA`, compared with central finite differences at
  several seeded random points.
- :func:`check_himmelblau_start`: a start with :math:`x > 0` from which Adam
  reaches the Himmelblau minimum near :math:`(-2.81, 3.13)`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from adam import adam
from checks import Verdict, is_missing, say
from objectives import OBJECTIVES
from user_objective import ObjectiveError, check_gradient, objective_from_text

__all__ = [
    "MINIMUM_TARGET",
    "GRADIENT_FORMULA",
    "HIMMELBLAU_TEXT",
    "HIMMELBLAU_SETTINGS",
    "HIMMELBLAU_TARGET",
    "check_formula_minimum",
    "check_own_gradient",
    "check_himmelblau_start",
]


# --------------------------------------------------------------------------
# 1. A formula with its minimum where we ask
# --------------------------------------------------------------------------
#: Where the learner's formula must have its minimum.
MINIMUM_TARGET = np.array([1.0, -2.0])
_WINDOW = np.array([[-4.0, 4.0], [-5.0, 3.0]])  # centred on the target


def check_formula_minimum(text: Any, target: np.ndarray = MINIMUM_TARGET) -> Verdict:
    """Check that the formula ``text`` has its lowest value at ``target``.

    Two tests, both on the formula as :func:`objective_from_text` builds it:

    - global on a grid: no point of an 81 x 81 grid over a window of width 8
      centred on ``target`` is lower than ``f(target)``;
    - strict: every point of a ring of radius 0.05 around ``target`` is
      higher, so a valley (``(x - 1)**2`` alone) or a plateau does not pass.
    """
    name = f"a minimum at ({target[0]:g}, {target[1]:g})"
    if is_missing(text):
        return say(False, f"{name}: no answer yet; type your formula as a string.")
    target = np.asarray(target, dtype=float)
    window = _WINDOW if np.array_equal(target, MINIMUM_TARGET) else target[:, None] + np.array([[-4.0, 4.0]])
    try:
        obj = objective_from_text(text, bounds=window, start=target)
    except ObjectiveError as exc:
        return say(False, f"{name}: {exc}")
    f0 = float(obj.f(target))
    axes = [np.linspace(low, high, 81) for low, high in window]
    grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, 2)
    values = obj.f(grid)
    slack = 1e-12 * max(1.0, abs(f0))
    lower = np.isfinite(values) & (values < f0 - slack)
    if np.any(lower):
        best = grid[np.nanargmin(np.where(np.isfinite(values), values, np.inf))]
        return say(
            False,
            f"{name}: f is lower at ({best[0]:.3g}, {best[1]:.3g}) than at the target. "
            "Hint: a bowl (x - a)**2 + (y - b)**2 has its minimum at (a, b); mind the signs.",
        )
    angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
    ring = target + 0.05 * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    if not np.all(obj.f(ring) > f0):
        return say(
            False,
            f"{name}: f does not rise in every direction around the target, so the minimum is not a "
            "single point. Hint: make f grow in both x and y.",
        )
    return say(True, f"{name}: {text.strip()} is lowest at the target, f = {f0:.6g}.")


# --------------------------------------------------------------------------
# 2. An analytic gradient
# --------------------------------------------------------------------------
#: The formula whose gradient the learner writes.
GRADIENT_FORMULA = "x**2 * y + cos(y)"
_GRADIENT_POINTS = np.random.default_rng(11).uniform(-2.0, 2.0, size=(6, 2))


def check_own_gradient(gradient: Callable | None, *, tolerance: float = 1e-6) -> Verdict:
    """Check ``gradient(p)`` (``p`` of shape ``(2,)``) of :data:`GRADIENT_FORMULA` by finite differences.

    Six seeded random points in :math:`[-2, 2]^2`; the worst error as defined
    in :class:`user_objective.GradientCheck` must be at most ``tolerance``.
    """
    name = f"the gradient of {GRADIENT_FORMULA}"
    if is_missing(gradient):
        return say(False, f"{name}: no answer yet; define the function and run the cell again.")
    if not callable(gradient):
        return say(False, f"{name}: expected a function gradient(p), got {type(gradient).__name__}.")
    obj = objective_from_text(GRADIENT_FORMULA)
    try:
        result = check_gradient(obj, gradient, _GRADIENT_POINTS, tolerance=tolerance)
    except NotImplementedError:
        return say(False, f"{name}: not written yet; fill in the placeholder and run the cell again.")
    except Exception as exc:  # a learner's bug: report it, keep the notebook running
        return say(False, f"{name}: calling it raised {type(exc).__name__}: {exc}")
    if result.ok:
        return say(True, f"{name}: agrees with finite differences at {len(_GRADIENT_POINTS)} points "
                    f"(worst error {result.worst_error:.1e}).")
    k = int(np.argmax(np.all(_GRADIENT_POINTS == result.worst_point, axis=1)))
    got, want = result.analytic[k], result.numeric[k]
    return say(
        False,
        f"{name}: at ({result.worst_point[0]:.3f}, {result.worst_point[1]:.3f}) it gives "
        f"({got[0]:.4g}, {got[1]:.4g}), finite differences give ({want[0]:.4g}, {want[1]:.4g}). "
        "Hint: the first component is the derivative in x, the second in y; d/dy cos(y) = -sin(y).",
    )


# --------------------------------------------------------------------------
# 3. A start that reaches a named Himmelblau minimum
# --------------------------------------------------------------------------
#: Himmelblau's function, typed as text.
HIMMELBLAU_TEXT = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
#: Adam's settings for the exercise (fixed: only the start is the learner's).
HIMMELBLAU_SETTINGS = {"n_iter": 300, "alpha": 0.1, "beta1": 0.9, "beta2": 0.999}
#: The minimum to reach: the one in the upper left quadrant.
HIMMELBLAU_TARGET = OBJECTIVES["himmelblau"].minima[1]


def check_himmelblau_start(start: Any, *, tolerance: float = 1e-3) -> Verdict:
    """Check that Adam, from a ``start`` with ``x > 0`` inside the window, ends at :data:`HIMMELBLAU_TARGET`.

    Adam runs with :data:`HIMMELBLAU_SETTINGS` on the objective
    ``objective_from_text(HIMMELBLAU_TEXT)``; the end must be within
    ``tolerance`` of the target (whose coordinates are known to 6 decimals).
    """
    name = f"a start with x > 0 that reaches ({HIMMELBLAU_TARGET[0]:.2f}, {HIMMELBLAU_TARGET[1]:.2f})"
    if is_missing(start):
        return say(False, f"{name}: no answer yet; fill in the placeholder and run the cell again.")
    try:
        start = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        return say(False, f"{name}: expected two numbers (x, y), got {type(start).__name__}.")
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        return say(False, f"{name}: expected two finite numbers (x, y), got {start!r}.")
    bounds = OBJECTIVES["himmelblau"].bounds
    if not np.all((bounds[:, 0] <= start) & (start <= bounds[:, 1])):
        return say(False, f"{name}: ({start[0]:g}, {start[1]:g}) is outside the window [-5, 5] x [-5, 5].")
    if start[0] <= 0:
        return say(False, f"{name}: x = {start[0]:g} is not > 0; the point is to start on the other side.")
    obj = objective_from_text(HIMMELBLAU_TEXT, bounds=bounds, start=start)
    result = adam(obj.gradient, start, objective=obj.f, **HIMMELBLAU_SETTINGS)
    end = result.x
    if np.linalg.norm(end - HIMMELBLAU_TARGET) <= tolerance:
        return say(True, f"{name}: from ({start[0]:g}, {start[1]:g}) Adam ends at ({end[0]:.4f}, {end[1]:.4f}).")
    return say(
        False,
        f"{name}: from ({start[0]:g}, {start[1]:g}) Adam ends at ({end[0]:.3f}, {end[1]:.3f}). "
        "Hint: the minima's basins are not the four quadrants; try starts high up in the window.",
    )
