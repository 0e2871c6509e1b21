r"""Sensitivity maps: how the outcome of a run depends on two hyperparameters.

:func:`sensitivity_grid` runs one optimizer on one landscape for every cell of
a grid over two hyperparameters (say :math:`\alpha` and :math:`\beta_1`) and
from every one of several start points, as **one batch** of
``n_cells * n_starts`` runs (:func:`runner.run` with ``keep_path=False``),
and returns, per cell, the **median over the starts** of

- the final loss :math:`f(x_T)` (``inf`` for a diverged run), and
- with ``tol``, the number of steps until :math:`f(x_t) \le` ``tol`` first
  held (``inf`` if it never did within ``n_iter`` steps).

The median, not the mean, so that one unlucky start does not decide a cell.
Numerics only: drawing is :func:`plotting.draw_heatmap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from objectives import Objective
from optimizers import Optimizer, get_optimizer
from runner import run
from sweeps import get_problem
from validation import check_array, check_int, check_real

__all__ = ["SensitivityGrid", "sensitivity_grid", "axis_scale", "axis_position", "AXIS_VALUES", "LANDSCAPES", "fraction_within"]

#: Default values along each axis: α log-spaced; β as 1 - 10^-k with k evenly spaced,
#: so that β = 0, 0.9, 0.99, 0.999 are evenly spaced (the "memory length" scale).
AXIS_VALUES = {
    "alpha": np.geomspace(1e-4, 1.0, 25),
    "beta1": 1.0 - 10.0 ** -np.linspace(0.0, 3.0, 25),
    "beta2": 1.0 - 10.0 ** -np.linspace(0.5, 4.0, 22),
}

#: Per landscape: the step budget and the tolerance for "steps to reach tol".
LANDSCAPES = {
    "sphere": {"n_iter": 200, "tol": 1e-6},
    "stretched bowl": {"n_iter": 200, "tol": 1e-6},
    "rotated bowl": {"n_iter": 200, "tol": 1e-6},
    "rosenbrock": {"n_iter": 1000, "tol": 1e-4},
    "beale": {"n_iter": 1000, "tol": 1e-4},
}


@dataclass(frozen=True)
class SensitivityGrid:
    r"""The outcome of :func:`sensitivity_grid`.

    The first axis named in ``axes`` runs along the columns (horizontal), the
    second along the rows (vertical): ``final[i, j]`` is the cell with
    ``names[1] = values[1][i]`` and ``names[0] = values[0][j]``.

    Attributes
    ----------
    names : (str, str)
        The two hyperparameters (horizontal, vertical).
    values : (ndarray, ndarray)
        Their values along each axis.
    scales : (str, str)
        How to draw each axis: ``"log"``, ``"memory"`` (for a decay rate
        :math:`\beta \in [0, 1)`: evenly spaced in :math:`-\log_{10}(1-\beta)`)
        or ``"linear"``.
    final : ndarray, shape (len(values[1]), len(values[0]))
        Median over the starts of the final loss (``inf`` for diverged runs).
    steps : ndarray or None
        Median over the starts of the steps to reach ``tol`` (``inf`` = never).
    final_runs, steps_runs : ndarray
        The same per start, shape ``(rows, cols, n_starts)``.
    fixed : dict
        The other hyperparameters, as given (defaults for the rest).
    problem, optimizer : str
        Names of the landscape and the optimizer.
    n_iter : int
    tol : float or None
    starts : ndarray, shape (n_starts, 2)
    """

    names: tuple[str, str]
    values: tuple[np.ndarray, np.ndarray]
    scales: tuple[str, str]
    final: np.ndarray
    steps: np.ndarray | None
    final_runs: np.ndarray
    steps_runs: np.ndarray | None
    fixed: dict
    problem: str
    optimizer: str
    n_iter: int
    tol: float | None
    starts: np.ndarray

    def cell(self, **values) -> tuple[int, int]:
        """The (row, column) of the cell whose values are nearest to the given ones (in the axis scale)."""
        if set(values) != set(self.names):
            raise ValueError(f"give a value for each axis {list(self.names)}, got {sorted(values)}")
        index = []
        for name, grid, scale in zip(self.names, self.values, self.scales):
            index.append(int(np.argmin(np.abs(axis_position(grid, scale) - axis_position(values[name], scale)))))
        return index[1], index[0]


def axis_scale(optimizer: Optimizer, name: str) -> str:
    """How to space a hyperparameter's axis: ``"log"`` if declared log, ``"memory"`` for a decay rate in [0, 1)."""
    h = optimizer.hyperparameter(name)
    if h.log:
        return "log"
    if h.low == 0.0 and h.high == 1.0 and not h.high_inclusive:
        return "memory"
    return "linear"


def axis_position(values, scale: str) -> np.ndarray:
    """Where ``values`` sit on an axis of the given scale (see :func:`axis_scale`): ``log10`` for
    ``"log"``, ``-log10(1 - value)`` (the memory length's decade) for ``"memory"``, as is for ``"linear"``."""
    values = np.asarray(values, dtype=float)
    if scale == "log":
        return np.log10(values)
    if scale == "memory":
        return -np.log10(1.0 - values)
    return values


def sensitivity_grid(
    objective: str | Objective,
    optimizer: str | Optimizer,
    axes: dict,
    fixed: dict | None = None,
    starts=None,
    n_iter: int = 200,
    tol: float | None = None,
) -> SensitivityGrid:
    r"""Median final loss (and steps to ``tol``) over ``starts`` for every cell of a 2-D grid, as one batch.

    Parameters
    ----------
    objective : str or Objective
        The landscape (a name in :data:`objectives.OBJECTIVES`).
    optimizer : str or Optimizer
        The optimizer (a name in :data:`optimizers.OPTIMIZERS`).
    axes : dict
        Exactly two hyperparameters of the optimizer, each mapped to its
        1-D array of values (or to None for :data:`AXIS_VALUES`). The
        first runs along the columns, the second along the rows.
    fixed : dict, optional
        Values of other hyperparameters (the rest take their defaults).
    starts : array of shape (n_starts, 2)
        The start points; every cell runs from each of them.
    n_iter : int
        Steps per run.
    tol : float, optional
        Also record the steps until the loss first is <= ``tol``.

    Returns
    -------
    SensitivityGrid

    Raises
    ------
    ValueError
        For axes that are not two of the optimizer's hyperparameters (the
        message lists the allowed names), a hyperparameter both fixed and on an
        axis, or values outside a hyperparameter's valid range.
    """
    problem = get_problem(objective)
    optimizer = get_optimizer(optimizer)
    fixed = dict(fixed or {})
    if not isinstance(axes, dict) or len(axes) != 2:
        raise ValueError(
            f"axes must be a dict of exactly two hyperparameters of {optimizer.title}, chosen from "
            f"{list(optimizer.names)}, got {axes!r}"
        )
    names = tuple(axes)
    for name in names:
        if name not in optimizer.names:
            raise ValueError(
                f"axes names {name!r}, which is not a hyperparameter of {optimizer.title}; "
                f"the allowed names are {list(optimizer.names)}"
            )
    if names[0] == names[1]:
        raise ValueError(f"axes must name two different hyperparameters, got {list(names)}")
    both = sorted(set(fixed) & set(names))
    if both:
        raise ValueError(f"{both} cannot be both fixed and an axis of the map")
    values = []
    for name in names:
        grid = AXIS_VALUES.get(name) if axes[name] is None else axes[name]
        if grid is None:
            raise ValueError(f"axes[{name!r}] needs values; defaults exist only for {list(AXIS_VALUES)}")
        grid = check_array(f"axes[{name!r}]", grid)
        if grid.ndim != 1 or grid.size == 0:
            raise ValueError(f"axes[{name!r}] must be a non-empty 1-D array, got shape {grid.shape}")
        values.append(grid.copy())
    if starts is None:
        raise ValueError("starts must be given: an array of shape (n_starts, 2)")
    starts = check_array("starts", starts)
    if starts.ndim != 2 or starts.shape[1] != 2 or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (n_starts, 2), got {starts.shape}")
    n_iter = check_int("n_iter", n_iter, low=1)
    if tol is not None:
        tol = check_real("tol", tol)

    n_starts = starts.shape[0]
    columns, rows = np.meshgrid(values[0], values[1])  # shape (rows, cols)
    n_cells = columns.size
    # Run k = cell * n_starts + s starts at starts[s] with the cell's values.
    x0 = np.tile(starts, (n_cells, 1))
    hyper = dict(fixed)
    hyper[names[0]] = np.repeat(columns.ravel(), n_starts)[:, None]
    hyper[names[1]] = np.repeat(rows.ravel(), n_starts)[:, None]
    result = run(optimizer, problem.gradient, x0, n_iter, objective=problem.f, keep_path=False, tol=tol, **hyper)
    shape = (*columns.shape, n_starts)
    final_runs = np.where(result.diverged, np.inf, result.score).reshape(shape)
    steps_runs = None
    if tol is not None:
        steps_runs = np.where(result.steps_to_tol >= 0, result.steps_to_tol, np.inf).reshape(shape).astype(float)
    return SensitivityGrid(
        names=names,
        values=(values[0], values[1]),
        scales=(axis_scale(optimizer, names[0]), axis_scale(optimizer, names[1])),
        final=np.median(final_runs, axis=-1),
        steps=None if steps_runs is None else np.median(steps_runs, axis=-1),
        final_runs=final_runs,
        steps_runs=steps_runs,
        fixed=fixed,
        problem=problem.name,
        optimizer=optimizer.name,
        n_iter=n_iter,
        tol=tol,
        starts=starts.copy(),
    )


def fraction_within(values, factor: float) -> float:
    r"""The fraction of cells whose value is at most ``factor`` times the smallest finite value.

    For a map of final losses: how much of the grid is "nearly as good as
    the best" (within a factor of 10, say). Non-finite cells count as outside.
    """
    values = check_array("values", values, finite=False)
    factor = check_real("factor", factor, low=1.0)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0
    best = finite.min()
    return float(np.mean(np.isfinite(values) & (values <= factor * best)))
