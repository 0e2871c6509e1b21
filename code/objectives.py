r"""Test problems for the course: each a function, its gradient, and what is known about it.

Every function takes points as an array whose **last axis holds the
coordinates**: one point ``np.array([x, y])``, a batch of shape ``(n, 2)``,
or a grid of shape ``(rows, cols, 2)`` all work, and the result has the
shape of the input without its last axis. Every gradient returns an array of
the input's shape.

The functions (the names the chapters import):

- :func:`sphere`, the article's test problem :math:`f(x, y) = x^2 + y^2`
  (in any number of dimensions, :math:`f(x) = \sum_i x_i^2`).
- :func:`stretched_bowl`, :math:`f(x, y) = x^2 + 10 y^2`: ten times steeper
  in :math:`y` than in :math:`x`; its valley lies along an axis.
- :func:`rotated_bowl`: the same bowl turned by 45°, so that its valley lies
  along the diagonal :math:`y = x`; per-coordinate step sizes no longer
  line up with it.
- :func:`rosenbrock`, :math:`(1 - x)^2 + 100 (y - x^2)^2`: a curved valley.
- :func:`himmelblau`, :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`: four minima.
- :func:`beale`: a flat plateau and steep walls, one minimum at (3, 0.5).
- :func:`rastrigin`, :math:`20 + \sum_i (x_i^2 - 10 \cos 2\pi x_i)`: a bowl
  covered in local minima.
- :func:`saddle`, :math:`x^2 - y^2`: a saddle point at the origin and no
  minimum at all (unbounded below).

:data:`OBJECTIVES` holds each problem as data (an :class:`Objective`): the
function, its gradient, the window to draw, **all** known minima with their
value, and a default start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from validation import check_array

__all__ = [
    "Objective",
    "OBJECTIVES",
    "MINIMA",
    "sphere",
    "sphere_derivative",
    "stretched_bowl",
    "stretched_bowl_derivative",
    "rotated_bowl",
    "rotated_bowl_derivative",
    "rosenbrock",
    "rosenbrock_derivative",
    "himmelblau",
    "himmelblau_derivative",
    "beale",
    "beale_derivative",
    "rastrigin",
    "rastrigin_derivative",
    "saddle",
    "saddle_derivative",
]


def _points(p, *, two_d: bool) -> np.ndarray:
    if not (isinstance(p, np.ndarray) and p.dtype == np.float64):  # (a float array needs no conversion)
        p = check_array("p", p, finite=False)
    if p.ndim == 0:
        raise ValueError("p must hold coordinates on its last axis, got a scalar; use np.array([x, y])")
    if two_d and p.shape[-1] != 2:
        raise ValueError(f"p must hold 2 coordinates (x, y) on its last axis, got shape {p.shape}")
    return p


def sphere(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x) = \sum_i x_i^2`; for two variables :math:`f(x, y) = x^2 + y^2`. Minimum 0 at the origin."""
    p = _points(p, two_d=False)
    return np.add.reduce(p**2.0, axis=-1)


def sphere_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f(x) = 2x`, i.e. :math:`(2x, 2y)` in two variables."""
    p = _points(p, two_d=False)
    return p * 2.0


def stretched_bowl(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x, y) = x^2 + 10 y^2`. Minimum 0 at the origin."""
    p = _points(p, two_d=True)
    return p[..., 0] ** 2 + 10.0 * p[..., 1] ** 2


def stretched_bowl_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f(x, y) = (2x, 20y)`."""
    p = _points(p, two_d=True)
    return np.stack([2.0 * p[..., 0], 20.0 * p[..., 1]], axis=-1)


_HALF_ROOT = np.sqrt(0.5)


def _rotate(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates along the two diagonals: u = (x + y)/√2, w = (y - x)/√2."""
    return (p[..., 0] + p[..., 1]) * _HALF_ROOT, (p[..., 1] - p[..., 0]) * _HALF_ROOT


def rotated_bowl(p: np.ndarray) -> np.ndarray:
    r""":math:`f = u^2 + 10 w^2` with :math:`u = (x + y)/\sqrt2`, :math:`w = (y - x)/\sqrt2`.

    The stretched bowl turned by 45°: the same eigenvalues (2 and 20, a
    condition number of 10), but its axes are the diagonals. Minimum 0 at the
    origin.
    """
    p = _points(p, two_d=True)
    u, w = _rotate(p)
    return u**2 + 10.0 * w**2


def rotated_bowl_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f = \big((2u - 20w)/\sqrt2,\; (2u + 20w)/\sqrt2\big)`."""
    p = _points(p, two_d=True)
    u, w = _rotate(p)
    return np.stack([(2.0 * u - 20.0 * w) * _HALF_ROOT, (2.0 * u + 20.0 * w) * _HALF_ROOT], axis=-1)


def rosenbrock(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x, y) = (1 - x)^2 + 100 (y - x^2)^2`. Minimum 0 at :math:`(1, 1)`."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def rosenbrock_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f = \big(-2(1 - x) - 400 x (y - x^2),\; 200 (y - x^2)\big)`."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)], axis=-1)


def himmelblau(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`. Four minima, each with value 0."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def himmelblau_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f = \big(4x a + 2b,\; 2a + 4y b\big)`, :math:`a = x^2 + y - 11`, :math:`b = x + y^2 - 7`."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    a = x**2 + y - 11.0
    b = x + y**2 - 7.0
    return np.stack([4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b], axis=-1)


_BEALE_C = (1.5, 2.25, 2.625)


def beale(p: np.ndarray) -> np.ndarray:
    r""":math:`f = \sum_{k=1}^{3} (c_k - x + x y^k)^2`, :math:`c = (1.5, 2.25, 2.625)`. Minimum 0 at (3, 0.5)."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    return sum((c - x + x * y**k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def beale_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\partial_x f = \sum_k 2 r_k (y^k - 1)`, :math:`\partial_y f = \sum_k 2 r_k\, k x y^{k-1}`, :math:`r_k = c_k - x + x y^k`."""
    p = _points(p, two_d=True)
    x, y = p[..., 0], p[..., 1]
    gx = np.zeros_like(x)
    gy = np.zeros_like(y)
    for k, c in enumerate(_BEALE_C, start=1):
        r = c - x + x * y**k
        gx = gx + 2.0 * r * (y**k - 1.0)
        gy = gy + 2.0 * r * k * x * y ** (k - 1)
    return np.stack([gx, gy], axis=-1)


def rastrigin(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x) = 10 d + \sum_i (x_i^2 - 10 \cos 2\pi x_i)`. Global minimum 0 at the origin."""
    p = _points(p, two_d=False)
    return 10.0 * p.shape[-1] + np.sum(p**2 - 10.0 * np.cos(2.0 * np.pi * p), axis=-1)


def rastrigin_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\partial_i f = 2 x_i + 20 \pi \sin 2\pi x_i`."""
    p = _points(p, two_d=False)
    return 2.0 * p + 20.0 * np.pi * np.sin(2.0 * np.pi * p)


def saddle(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x, y) = x^2 - y^2`: a saddle point at the origin, no minimum (unbounded below)."""
    p = _points(p, two_d=True)
    return p[..., 0] ** 2 - p[..., 1] ** 2


def saddle_derivative(p: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f = (2x, -2y)`."""
    p = _points(p, two_d=True)
    return np.stack([2.0 * p[..., 0], -2.0 * p[..., 1]], axis=-1)


@dataclass(frozen=True)
class Objective:
    """A test problem as data.

    Attributes
    ----------
    name : str
        The key in :data:`OBJECTIVES`.
    formula : str
        The function in plain text (for labels and alt text).
    f, gradient : callable
        The function and its gradient (points on the last axis).
    bounds : ndarray, shape (2, 2)
        The window to draw, one ``[low, high]`` row per variable.
    minima : ndarray, shape (k, 2)
        Every known minimum in the window (global ones only for Rastrigin,
        whose local minima are too many to list; none for the saddle).
    minimum_value : float or None
        The value of ``f`` at the minima; None when there is none.
    start : ndarray, shape (2,)
        A default start point.
    log_levels : bool
        Draw contours on a log scale (values spanning many orders of magnitude).
    note : str
        What makes the problem interesting, in a sentence.
    """

    name: str
    formula: str
    f: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray]
    bounds: np.ndarray
    minima: np.ndarray
    minimum_value: float | None
    start: np.ndarray
    log_levels: bool = False
    note: str = field(default="")

    @property
    def title(self) -> str:
        """Name and formula, as figure titles and dropdowns show them (the formula once if it is the name)."""
        return self.formula if self.name == self.formula else f"{self.name}  {self.formula}"


def _box(x_low, x_high, y_low, y_high) -> np.ndarray:
    return np.array([[x_low, x_high], [y_low, y_high]], dtype=float)


#: The problems, by name. Each minimum is stated to the precision known (Himmelblau's
#: three irrational minima to 6 decimals; tests check the gradient vanishes there).
OBJECTIVES: dict[str, Objective] = {
    o.name: o
    for o in (
        Objective("sphere", "x² + y²", sphere, sphere_derivative, _box(-1, 1, -1, 1),
                  np.array([[0.0, 0.0]]), 0.0, np.array([-0.9, 0.6]),
                  note="round bowl: every direction is equally steep"),
        Objective("stretched bowl", "x² + 10y²", stretched_bowl, stretched_bowl_derivative,
                  _box(-1, 1, -1, 1), np.array([[0.0, 0.0]]), 0.0, np.array([-0.9, 0.6]),
                  note="ill-conditioned (condition number 10), valley along the x axis"),
        Objective("rotated bowl", "u² + 10w², u = (x+y)/√2, w = (y−x)/√2", rotated_bowl,
                  rotated_bowl_derivative, _box(-1, 1, -1, 1), np.array([[0.0, 0.0]]), 0.0,
                  np.array([-0.9, 0.6]),
                  note="the stretched bowl turned by 45°: the valley lies along a diagonal"),
        Objective("rosenbrock", "(1−x)² + 100(y−x²)²", rosenbrock, rosenbrock_derivative,
                  _box(-2, 2, -1, 3), np.array([[1.0, 1.0]]), 0.0, np.array([-1.5, 2.0]),
                  log_levels=True, note="a narrow curved valley with a flat floor"),
        Objective("himmelblau", "(x²+y−11)² + (x+y²−7)²", himmelblau, himmelblau_derivative,
                  _box(-5, 5, -5, 5),
                  np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]),
                  0.0, np.array([0.0, 0.0]), log_levels=True,
                  note="four minima of equal value: where you end depends on where you start"),
        Objective("beale", "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²", beale, beale_derivative,
                  _box(-4.5, 4.5, -4.5, 4.5), np.array([[3.0, 0.5]]), 0.0, np.array([1.0, 1.5]),
                  log_levels=True, note="flat plateaus beside walls whose gradients are huge"),
        Objective("rastrigin", "20 + x² + y² − 10cos 2πx − 10cos 2πy", rastrigin, rastrigin_derivative,
                  _box(-5.12, 5.12, -5.12, 5.12), np.array([[0.0, 0.0]]), 0.0, np.array([2.3, -1.7]),
                  note="a bowl covered in local minima, one near every integer point"),
        Objective("saddle", "x² − y²", saddle, saddle_derivative, _box(-1, 1, -1, 1),
                  np.empty((0, 2)), None, np.array([-0.9, 1e-3]),
                  note="a saddle point at the origin; no minimum (f falls without bound along y)"),
    )
}

#: Where the one-minimum functions have their minimum (kept for the chapters).
MINIMA = {
    "sphere": np.array([0.0, 0.0]),
    "stretched_bowl": np.array([0.0, 0.0]),
    "rotated_bowl": np.array([0.0, 0.0]),
    "rosenbrock": np.array([1.0, 1.0]),
}
