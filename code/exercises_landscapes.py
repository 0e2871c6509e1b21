"""Checks for the exercises of the chapter "Send every optimizer over hard ground".

Each check prints one ✓/✗ line (through :mod:`checks`) and returns a
:class:`checks.Verdict`; none raises on a wrong answer. The expected answers
are computed here by running the optimizers, never stored.
"""

from __future__ import annotations

import math

import numpy as np

from checks import Verdict, check_number, is_missing, say
from objectives import OBJECTIVES
from runner import run
from sweeps import best_alpha, nearest_minimum, steps_to_escape

__all__ = [
    "HIMMELBLAU_STARTS",
    "ADAM_SETTINGS",
    "MOMENTUM_SETTINGS",
    "reached_minima",
    "check_reached_minima",
    "check_start_reaches",
    "check_best_alpha",
    "check_escape_steps",
]

#: Exercise 1: the starts, and Adam's settings (300 steps).
HIMMELBLAU_STARTS = np.array([[1.0, -1.0], [-1.0, 1.0]])
ADAM_SETTINGS = {"alpha": 0.05, "n_iter": 300}
#: Exercise 2: momentum's settings, the target minimum (index in OBJECTIVES["himmelblau"].minima).
MOMENTUM_SETTINGS = {"alpha": 0.002, "mu": 0.9, "n_iter": 300}
TARGET = 2
TOL = 0.05


def _final_points(optimizer: str, starts: np.ndarray, settings: dict) -> np.ndarray:
    problem = OBJECTIVES["himmelblau"]
    hyper = {k: v for k, v in settings.items() if k != "n_iter"}
    result = run(optimizer, problem.gradient, starts, settings["n_iter"], keep_path=False, **hyper)
    return np.where(result.diverged[:, None], np.nan, result.x)


def reached_minima(optimizer: str = "adam", starts=HIMMELBLAU_STARTS, settings=ADAM_SETTINGS) -> np.ndarray:
    """The minimum (coordinates) each start reaches on Himmelblau, or nan where it reaches none."""
    minima = OBJECTIVES["himmelblau"].minima
    labels = nearest_minimum(_final_points(optimizer, np.asarray(starts, dtype=float), settings), minima, TOL)
    return np.where(labels[:, None] >= 0, minima[labels], np.nan)


def check_reached_minima(answer) -> Verdict:
    """Exercise 1: the minima Adam reaches from each of :data:`HIMMELBLAU_STARTS`, to 2 decimals.

    ``answer`` is a list of two (x, y) pairs, one per start, in order.
    """
    name = "the minima Adam reaches"
    if is_missing(answer):
        return say(False, f"{name}: no answer yet; give one (x, y) pair per start.")
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return say(False, f"{name}: expected numbers, got {type(answer).__name__}.")
    expected = reached_minima()
    if answer.shape != expected.shape:
        return say(False, f"{name}: expected {len(expected)} pairs (x, y), shape {expected.shape}, got {answer.shape}.")
    right = np.all(np.abs(answer - expected) <= 0.006, axis=1)
    if right.all():
        return say(True, f"{name}: both are right.")
    wrong = ", ".join(f"start ({HIMMELBLAU_STARTS[i, 0]:g}, {HIMMELBLAU_STARTS[i, 1]:g})" for i in np.flatnonzero(~right))
    return say(False, f"{name}: not right for {wrong}. Hint: run Adam from each start (batch of 2) and "
                       "round its final point; the nearest minimum is not always the one reached.")


def check_start_reaches(start) -> Verdict:
    """Exercise 2: a start with x > 0 and y > 0 from which momentum ends at minimum :data:`TARGET`, verified by running."""
    name = "your start"
    minima = OBJECTIVES["himmelblau"].minima
    target = minima[TARGET]
    if is_missing(start):
        return say(False, f"{name}: no answer yet; give a start (x, y).")
    try:
        start = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        return say(False, f"{name}: expected two numbers, got {type(start).__name__}.")
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        return say(False, f"{name}: expected one point (x, y), got shape {start.shape}.")
    if not (0 < start[0] <= 5 and 0 < start[1] <= 5):
        return say(False, f"{name}: ({start[0]:.3g}, {start[1]:.3g}) is not in the upper-right quadrant 0 < x, y <= 5.")
    reached = reached_minima("momentum", start[None], MOMENTUM_SETTINGS)[0]
    if np.all(np.isfinite(reached)) and np.allclose(reached, target):
        return say(True, f"{name}: momentum from ({start[0]:.3g}, {start[1]:.3g}) ends at ({target[0]:.2f}, {target[1]:.2f}), "
                          "the opposite corner.")
    where = "no minimum" if not np.all(np.isfinite(reached)) else f"({reached[0]:.2f}, {reached[1]:.2f})"
    return say(False, f"{name}: momentum from ({start[0]:.3g}, {start[1]:.3g}) ends at {where}, not at "
                       f"({target[0]:.2f}, {target[1]:.2f}). Hint: look for its colour in the upper right of the "
                       "momentum basin map.")


#: Exercise 3: momentum on Rosenbrock from its default start, 500 steps, these step sizes.
ROSENBROCK_ALPHAS = np.geomspace(1e-4, 1e-2, 9)
ROSENBROCK_STEPS = 500


def check_best_alpha(answer) -> Verdict:
    """Exercise 3: the step size of :data:`ROSENBROCK_ALPHAS` whose momentum run ends lowest (recomputed).

    The grid's values are 78 % apart, so a relative tolerance of 15 % accepts the value
    rounded as people round it (0.00178, 0.0018) and no neighbour. The best value of the
    chapter's 13-value grid, shown in its Rosenbrock figure, gets its own hint.
    """
    start = OBJECTIVES["rosenbrock"].start
    search = best_alpha("momentum", "rosenbrock", start, ROSENBROCK_STEPS, ROSENBROCK_ALPHAS)
    chapter = best_alpha("momentum", "rosenbrock", start, ROSENBROCK_STEPS, np.geomspace(1e-4, 1.0, 13)).alpha
    known = [(chapter, "that is the best of the chapter's 13-value grid, in its Rosenbrock figure; this exercise "
                       "asks about ROSENBROCK_ALPHAS: run those")]
    return check_number("the best step size", answer, search.alpha, rtol=0.15, known=known,
                        hint="one batch over ROSENBROCK_ALPHAS, then the alpha whose final loss is smallest "
                             "(a diverged run is never the best)")


#: Exercise 4: gradient descent on the saddle.
SADDLE_START = np.array([-0.9, 1e-3])
SADDLE_ALPHA = 0.1


def escape_steps(alpha: float = SADDLE_ALPHA, start=SADDLE_START, radius: float = 1.0) -> int:
    """The first step at which gradient descent on the saddle has |y| >= radius (run, not formula)."""
    problem = OBJECTIVES["saddle"]
    n = 10 * math.ceil(math.log(radius / abs(start[1])) / math.log(1 + 2 * alpha)) + 10
    result = run("gradient descent", problem.gradient, np.asarray(start, dtype=float), n, alpha=alpha)
    return steps_to_escape(result.path, radius)


def check_escape_steps(answer) -> Verdict:
    """Exercise 4: after how many steps gradient descent (α = 0.1) from (-0.9, 0.001) first has |y| >= 1."""
    if isinstance(answer, float) and float(answer).is_integer():
        answer = int(answer)
    if not is_missing(answer) and not isinstance(answer, (int, np.integer)):
        return say(False, f"the number of steps: expected a whole number of steps, got {answer!r}.")
    return check_number("the number of steps", answer, escape_steps(), rtol=0, atol=0.5,
                        hint="y_t = (1 + 2 alpha)^t y_0; find the first whole t with |y_t| >= 1")
