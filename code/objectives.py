r"""Test functions for the course, each with its derivative.

Every function takes points as an array whose **last axis holds the
coordinates**: one point ``np.array([x, y])``, a batch of shape ``(n, 2)``,
or a grid of shape ``(rows, cols, 2)`` all work, and the result has the
shape of the input without its last axis. The derivative returns an array of
the input's shape.

- :func:`sphere`, the article's test problem :math:`f(x, y) = x^2 + y^2`
  (in any number of dimensions, :math:`f(x) = \sum_i x_i^2`).
- :func:`stretched_bowl`, :math:`f(x, y) = x^2 + 10 y^2`: ten times steeper
  in :math:`y` than in :math:`x`, where one step size for both is a poor fit.
- :func:`rosenbrock`, :math:`f(x, y) = (1 - x)^2 + 100 (y - x^2)^2`: a
  curved valley, the harder problem readers of the article asked for.
"""

from __future__ import annotations

import numpy as np

from validation import check_array

__all__ = [
    "sphere",
    "sphere_derivative",
    "stretched_bowl",
    "stretched_bowl_derivative",
    "rosenbrock",
    "rosenbrock_derivative",
    "MINIMA",
]


def _points(p, *, two_d: bool) -> np.ndarray:
    p = check_array("p", p, finite=False)
    if p.ndim == 0:
        raise ValueError("p must hold coordinates on its last axis, got a scalar; use np.array([x, y])")
    if two_d and p.shape[-1] != 2:
        raise ValueError(f"p must hold 2 coordinates (x, y) on its last axis, got shape {p.shape}")
    return p


def sphere(p: np.ndarray) -> np.ndarray:
    r""":math:`f(x) = \sum_i x_i^2`; for two variables :math:`f(x, y) = x^2 + y^2`. Minimum 0 at the origin."""
    p = _points(p, two_d=False)
    return np.sum(p**2.0, axis=-1)


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


#: Where each function has its minimum (in two variables).
MINIMA = {
    "sphere": np.array([0.0, 0.0]),
    "stretched_bowl": np.array([0.0, 0.0]),
    "rosenbrock": np.array([1.0, 1.0]),
}
