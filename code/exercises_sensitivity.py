"""Checks for the exercises of the chapter "Map how sensitive Adam is".

Each check prints one ✓/✗ line and returns a :class:`checks.Verdict`; the
expected answers are recomputed here with :func:`heatmaps.sensitivity_grid`
(one batch), never stored.
"""

from __future__ import annotations

import numpy as np

from checks import Verdict, check_number
from heatmaps import AXIS_VALUES, LANDSCAPES, fraction_within, sensitivity_grid
from objectives import OBJECTIVES
from sweeps import random_starts

__all__ = ["STARTS", "EXERCISE_ALPHAS", "sphere_starts", "check_best_median_alpha", "check_steps_at_defaults",
           "check_fraction_within"]

#: How many seeded starts every cell runs from (seed 0, as the chapter's maps).
STARTS = 8
#: Exercise 1: the step sizes to try (Adam, beta1 = 0.9, beta2 = 0.999, sphere, 100 steps).
EXERCISE_ALPHAS = np.geomspace(1e-3, 1.0, 10)


def sphere_starts(problem: str = "sphere") -> np.ndarray:
    """The chapter's seeded starts for a landscape: ``random_starts(bounds, 8, seed=0)``."""
    return random_starts(OBJECTIVES[problem].bounds, STARTS, seed=0)


def best_median_alpha() -> float:
    """The alpha of :data:`EXERCISE_ALPHAS` with the lowest median final loss (recomputed)."""
    grid = sensitivity_grid("sphere", "adam", {"alpha": EXERCISE_ALPHAS, "beta1": np.array([0.9])},
                            starts=sphere_starts(), n_iter=100)
    return float(EXERCISE_ALPHAS[int(np.argmin(grid.final[0]))])


def check_best_median_alpha(answer) -> Verdict:
    """Exercise 1: the step size whose median final loss over the 8 starts is lowest."""
    return check_number("the best alpha", answer, best_median_alpha(), rtol=1e-6,
                        hint="one sensitivity_grid with axes alpha = EXERCISE_ALPHAS and beta1 = [0.9], then the "
                             "alpha of the smallest grid.final")


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
