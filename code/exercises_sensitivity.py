"""Checks for the exercises of the chapter "Map how sensitive Adam is".

Each check prints one ✓/✗ line and returns a :class:`checks.Verdict`; the
expected answers are recomputed here with :func:`heatmaps.sensitivity_grid`
(one batch), never stored.
"""

from __future__ import annotations

import numpy as np

from checks import Verdict, check_number, say
from heatmaps import AXIS_VALUES, LANDSCAPES, fraction_within, sensitivity_grid
from objectives import OBJECTIVES
from sweeps import random_starts

__all__ = ["STARTS", "EXERCISE_ALPHAS", "GOOD_FACTOR", "sphere_starts", "exercise_medians", "good_alpha_range",
           "check_good_alpha_range", "check_steps_at_defaults", "check_fraction_within"]

#: How many seeded starts every cell runs from (seed 0, as the chapter's maps).
STARTS = 8
#: Exercise 1: the step sizes to try (Adam, beta1 = 0.9, beta2 = 0.999, sphere, 100 steps), 1e-3 to 10,
#: three per decade, so that the range of good step sizes ends inside the grid on both sides.
EXERCISE_ALPHAS = np.geomspace(1e-3, 10.0, 13)
#: Exercise 1: a step size counts as good when its median final loss is within this factor of the best.
#: 30 sits in the middle of the gap between the last good alpha (7x the best) and the first bad ones (95x and
#: 266x), so the answer does not hang on a near-tie; a factor 10 would, with 99 instead of 100 steps.
GOOD_FACTOR = 30.0


def sphere_starts(problem: str = "sphere") -> np.ndarray:
    """The chapter's seeded starts for a landscape: ``random_starts(bounds, 8, seed=0)``."""
    return random_starts(OBJECTIVES[problem].bounds, STARTS, seed=0)


def exercise_medians() -> np.ndarray:
    """Exercise 1: the median final loss over the 8 starts for each of :data:`EXERCISE_ALPHAS` (one batch)."""
    grid = sensitivity_grid("sphere", "adam", {"alpha": EXERCISE_ALPHAS, "beta1": np.array([0.9])},
                            starts=sphere_starts(), n_iter=100)
    return grid.final[0]


def good_alpha_range() -> tuple[float, float]:
    """The smallest and the largest alpha of :data:`EXERCISE_ALPHAS` whose median final loss is within
    :data:`GOOD_FACTOR` of the best (recomputed)."""
    medians = exercise_medians()
    good = EXERCISE_ALPHAS[medians <= GOOD_FACTOR * medians.min()]
    return float(good.min()), float(good.max())


def _grid_index(value) -> int | None:
    """The index of the grid value ``value`` names (to the 3 digits the grid prints), else None."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    close = np.flatnonzero(np.isclose(EXERCISE_ALPHAS, value, rtol=5e-3, atol=0))
    return int(close[0]) if close.size else None


def check_good_alpha_range(answer) -> Verdict:
    """Exercise 1: ``(smallest, largest)`` alpha of the grid whose median final loss is within GOOD_FACTOR of the best."""
    name = "the range of good step sizes"
    if answer is None or answer is Ellipsis:
        return say(False, f"{name}: no answer yet; fill in the placeholder and run the cell again.")
    try:
        low, high = answer
    except (TypeError, ValueError):
        return say(False, f"{name}: expected two numbers, (smallest alpha, largest alpha), got {answer!r}.")
    if any(v is None or v is Ellipsis for v in (low, high)):
        return say(False, f"{name}: fill in both ends, (smallest alpha, largest alpha).")
    i, j = _grid_index(low), _grid_index(high)
    if i is None or j is None:
        return say(False, f"{name}: both ends must be values of EXERCISE_ALPHAS (to 3 digits), got {answer!r}.")
    medians = exercise_medians()
    good = np.flatnonzero(medians <= GOOD_FACTOR * medians.min())
    want_i, want_j = int(good.min()), int(good.max())
    if (i, j) == (want_i, want_j):
        return say(True, f"{name}: alpha from {EXERCISE_ALPHAS[i]:.3g} to {EXERCISE_ALPHAS[j]:.3g} is right.")
    if i > j:
        hint = "the smallest alpha first, then the largest"
    elif i == j:
        hint = (f"that is a single step size; the question asks for every alpha whose median is within a factor "
                f"{GOOD_FACTOR:g} of the best median, and there are several")
    else:
        hint = (f"compare every median with {GOOD_FACTOR:g} times the smallest median: alpha counts when "
                f"median <= {GOOD_FACTOR:g} * best; check the ends one grid point inside and outside")
    return say(False, f"{name}: {EXERCISE_ALPHAS[i]:.3g} to {EXERCISE_ALPHAS[j]:.3g} is not right. Hint: {hint}")


def steps_at_defaults() -> float:
    """The median steps to f <= 1e-6 at beta1 = 0.9, beta2 = 0.999 on the sphere's (beta1, beta2) map, alpha = 0.02."""
    budget = LANDSCAPES["sphere"]
    grid = sensitivity_grid("sphere", "adam", {"beta1": AXIS_VALUES["beta1"], "beta2": AXIS_VALUES["beta2"]},
                            fixed={"alpha": 0.02}, starts=sphere_starts(), n_iter=budget["n_iter"], tol=budget["tol"])
    return float(grid.steps[grid.cell(beta1=0.9, beta2=0.999)])


def check_steps_at_defaults(answer) -> Verdict:
    """Exercise 2: read the median steps to tolerance at the defaults' cell off the (beta1, beta2) map."""
    return check_number("the median steps at the defaults", answer, steps_at_defaults(), rtol=0, atol=0.25,
                        hint="grid.steps[grid.cell(beta1=0.9, beta2=0.999)]: rows are beta2, columns beta1")


def fraction_near_best() -> float:
    """The fraction of the Rosenbrock (alpha, beta1) map within 10x of its best median final loss."""
    budget = LANDSCAPES["rosenbrock"]
    grid = sensitivity_grid("rosenbrock", "adam", {"alpha": AXIS_VALUES["alpha"], "beta1": AXIS_VALUES["beta1"]},
                            starts=sphere_starts("rosenbrock"), n_iter=budget["n_iter"])
    return fraction_within(grid.final, 10.0)


def check_fraction_within(answer) -> Verdict:
    """Exercise 3: the fraction (0 to 1) of cells within a factor 10 of the best median final loss."""
    return check_number("the fraction of cells", answer, fraction_near_best(), rtol=1e-9,
                        hint="count the cells with final <= 10 * final.min(), divide by the number of cells")
