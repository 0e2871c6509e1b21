r"""Sweeps: many runs of one optimizer as one batch, and what to read off them.

Every function here is numerics only (no plotting). Each sweep is **one
call** of :func:`runner.run` on a batch of runs (``x0`` of shape
``(n_runs, 2)``, hyperparameters of shape ``(n_runs, 1)``), so thousands of
runs cost about as much Python time as one.

- :func:`best_alpha`: a small grid search over the step size :math:`\alpha`
  from one start, scored by the final loss :math:`f(x_T)` (a diverged run
  scores :math:`+\infty`).
- :func:`nearest_minimum`: which known minimum each point is (within a
  distance ``tol``), or ``-1``.
- :func:`grid_starts` and :func:`basin_map`: for a grid of start points,
  which minimum an optimizer reaches from each.
- :func:`steps_to_escape`: on a landscape without a minimum (the saddle),
  the first step at which a coordinate's size reaches a radius.
- :func:`random_starts`: seeded start points inside a window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from objectives import OBJECTIVES, Objective
from optimizers import Optimizer, get_optimizer
from runner import run
from validation import check_array, check_bounds, check_int, check_real

__all__ = [
    "AlphaSearch",
    "get_problem",
    "best_alpha",
    "nearest_minimum",
    "grid_starts",
    "basin_map",
    "steps_to_escape",
    "random_starts",
]


def get_problem(problem: str | Objective) -> Objective:
    """An :class:`objectives.Objective` from itself or its name in :data:`objectives.OBJECTIVES`."""
    if isinstance(problem, Objective):
        return problem
    if isinstance(problem, str):
        if problem in OBJECTIVES:
            return OBJECTIVES[problem]
        raise ValueError(f"unknown problem {problem!r}; the problems are {', '.join(map(repr, OBJECTIVES))}")
    raise TypeError(f"problem must be a name or an Objective, got {type(problem).__name__}")


@dataclass(frozen=True)
class AlphaSearch:
    """The outcome of :func:`best_alpha`.

    Attributes
    ----------
    alphas : ndarray
        The step sizes tried.
    scores : ndarray
        The final loss :math:`f(x_T)` of each (``inf`` for a diverged run).
    diverged : ndarray of bool
        Which runs diverged.
    index : int
        The position of the best step size (the smallest one among ties).
    alpha, score : float
        The best step size and its final loss.
    at_edge : bool
        Whether the best step size is the first or last of the grid (then a
        wider grid might do better).
    """

    alphas: np.ndarray
    scores: np.ndarray
    diverged: np.ndarray
    index: int
    alpha: float
    score: float
    at_edge: bool


def best_alpha(
    optimizer: str | Optimizer,
    problem: str | Objective,
    start,
    n_iter: int,
    alphas,
    **hyper,
) -> AlphaSearch:
    r"""The step size of ``alphas`` whose run from ``start`` ends lowest, as one batch.

    Runs ``optimizer`` from ``start`` for ``n_iter`` steps once per value of
    ``alphas`` (one batch: ``x0 = np.tile(start, (k, 1))``,
    ``alpha = alphas[:, None]``), the other hyperparameters at ``hyper`` or
    their defaults, and scores each run by its final loss :math:`f(x_T)`;
    a diverged run scores :math:`+\infty`. Ties go to the smaller step size.
    """
    optimizer = get_optimizer(optimizer)
    problem = get_problem(problem)
    start = check_array("start", start)
    if start.shape != (2,):
        raise ValueError(f"start must be one point (x, y) of shape (2,), got shape {start.shape}")
    alphas = check_array("alphas", alphas)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-D array of step sizes, got shape {alphas.shape}")
    if "alpha" in hyper:
        raise TypeError("best_alpha chooses alpha itself; pass the step sizes to try as alphas, not alpha=")
    result = run(optimizer, problem.gradient, np.tile(start, (alphas.size, 1)), n_iter, objective=problem.f,
                 alpha=alphas[:, None], keep_path=False, **hyper)
    scores = np.where(result.diverged, np.inf, result.score)
    index = int(np.argmin(scores))
    return AlphaSearch(alphas=alphas.copy(), scores=scores, diverged=result.diverged.copy(), index=index,
                       alpha=float(alphas[index]), score=float(scores[index]),
                       at_edge=index in (0, alphas.size - 1))


def nearest_minimum(points, minima, tol: float) -> np.ndarray:
    r"""For each point, the index of the nearest minimum if it lies within ``tol``, else ``-1``.

    ``points`` has shape ``(..., 2)`` and ``minima`` shape ``(k, 2)``; the
    result has the shape of ``points`` without its last axis. Distances are
    Euclidean, :math:`\lVert p - m_j \rVert_2`. A point that is not finite
    (a diverged run) gets ``-1``.
    """
    points = check_array("points", points, finite=False)
    minima = check_array("minima", minima)
    if minima.ndim != 2 or minima.shape[0] == 0 or points.shape[-1:] != minima.shape[1:]:
        raise ValueError(
            f"minima must have shape (k, d) with k >= 1 and points shape (..., d); got minima {minima.shape}, "
            f"points {points.shape}"
        )
    tol = check_real("tol", tol, low=0.0)
    with np.errstate(invalid="ignore"):
        distance = np.linalg.norm(points[..., None, :] - minima, axis=-1)
    distance = np.where(np.isfinite(distance), distance, np.inf)
    nearest = np.argmin(distance, axis=-1)
    close = np.take_along_axis(distance, nearest[..., None], axis=-1)[..., 0] <= tol
    return np.where(close, nearest, -1)


def grid_starts(bounds, num: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``num`` x ``num`` grid of start points over ``bounds`` (both ends included).

    Returns ``(xs, ys, starts)``: the grid's x and y values and the starts
    as one batch of shape ``(num * num, 2)``, row by row (``y`` slow, ``x``
    fast), so that ``labels.reshape(num, num)`` is an image whose row ``i``
    is ``y = ys[i]``.
    """
    bounds = check_bounds(bounds)
    if bounds.shape != (2, 2):
        raise ValueError(f"bounds must have shape (2, 2), got {bounds.shape}")
    num = check_int("num", num, low=2)
    xs = np.linspace(bounds[0, 0], bounds[0, 1], num)
    ys = np.linspace(bounds[1, 0], bounds[1, 1], num)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, np.stack([X.ravel(), Y.ravel()], axis=1)


def basin_map(
    optimizer: str | Optimizer,
    problem: str | Objective,
    num: int,
    n_iter: int,
    *,
    tol: float = 0.05,
    **hyper,
) -> np.ndarray:
    """Which minimum ``optimizer`` reaches from each start of a ``num`` x ``num`` grid, as one batch.

    Returns an integer image of shape ``(num, num)`` (row ``i`` is the i-th
    y of :func:`grid_starts`): the index in ``problem.minima`` of the
    minimum within ``tol`` of the final point, or ``-1`` for a run that
    diverged or ended farther than ``tol`` from every minimum.
    """
    problem = get_problem(problem)
    if problem.minima.shape[0] == 0:
        raise ValueError(f"problem {problem.name!r} has no minima to reach")
    _, _, starts = grid_starts(problem.bounds, num)
    result = run(optimizer, problem.gradient, starts, n_iter, keep_path=False, **hyper)
    final = np.where(result.diverged[:, None], np.nan, result.x)
    return nearest_minimum(final, problem.minima, tol).reshape(num, num)


def steps_to_escape(path, radius: float, axis: int = 1):
    r"""The first step :math:`t` at which :math:`|x_t[\text{axis}]| \ge` ``radius``, or -1 if never.

    ``path`` is a kept path: shape ``(n + 1, 2)`` for one run (an int is
    returned) or ``(n + 1, n_runs, 2)`` for a batch (an array, one per run).
    On the saddle :math:`x^2 - y^2`, which has no minimum, escaping is
    :math:`|y|` growing: ``axis=1``.
    """
    path = check_array("path", path, finite=False)
    if path.ndim not in (2, 3) or path.shape[-1] != 2:
        raise ValueError(f"path must have shape (n + 1, 2) or (n + 1, n_runs, 2), got {path.shape}")
    radius = check_real("radius", radius, low=0.0, low_inclusive=False)
    if isinstance(axis, bool) or axis not in (0, 1):
        raise ValueError(f"axis must be 0 (x) or 1 (y), got {axis!r}")
    with np.errstate(invalid="ignore"):
        out = np.abs(path[..., axis]) >= radius
    first = np.where(out.any(axis=0), np.argmax(out, axis=0), -1)
    return int(first) if path.ndim == 2 else first


def random_starts(bounds, n: int, seed: int = 0, *, margin: float = 0.1) -> np.ndarray:
    """``n`` start points drawn uniformly inside ``bounds`` shrunk by ``margin`` of its width, seeded.

    Uses ``np.random.default_rng(seed)``; returns shape ``(n, 2)``.
    """
    bounds = check_bounds(bounds)
    n = check_int("n", n, low=1)
    margin = check_real("margin", margin, low=0.0, high=0.5, high_inclusive=False)
    width = bounds[:, 1] - bounds[:, 0]
    low, high = bounds[:, 0] + margin * width, bounds[:, 1] - margin * width
    return np.random.default_rng(seed).uniform(low, high, size=(n, bounds.shape[0]))
