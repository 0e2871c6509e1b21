"""The test functions: values, shapes, and derivatives checked by finite differences."""

import numpy as np
import pytest

from objectives import (
    MINIMA,
    rosenbrock,
    rosenbrock_derivative,
    sphere,
    sphere_derivative,
    stretched_bowl,
    stretched_bowl_derivative,
)

PAIRS = [(sphere, sphere_derivative), (stretched_bowl, stretched_bowl_derivative), (rosenbrock, rosenbrock_derivative)]


def test_sphere_is_the_articles_function():
    assert sphere(np.array([0.5, -2.0])) == 0.5**2 + 2.0**2
    assert sphere(np.array([3.0])) == 9.0
    np.testing.assert_array_equal(sphere_derivative(np.array([0.5, -2.0])), [1.0, -4.0])


def test_known_values():
    assert stretched_bowl(np.array([1.0, 1.0])) == 11.0
    assert rosenbrock(np.array([0.0, 0.0])) == 1.0
    assert rosenbrock(np.array([-1.0, 1.0])) == 4.0


@pytest.mark.parametrize("f, df", PAIRS)
def test_derivatives_match_central_differences(f, df):
    rng = np.random.default_rng(0)
    h = 1e-6
    for p in rng.uniform(-1.5, 1.5, size=(20, 2)):
        numeric = np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(2)])
        np.testing.assert_allclose(df(p), numeric, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name, f, df", [(name, f, df) for name, (f, df) in zip(MINIMA, PAIRS)])
def test_minima_are_where_the_gradient_vanishes(name, f, df):
    assert f(MINIMA[name]) == 0.0
    np.testing.assert_array_equal(df(MINIMA[name]), [0.0, 0.0])


@pytest.mark.parametrize("f, df", PAIRS)
def test_points_grids_and_batches(f, df):
    grid = np.random.default_rng(1).normal(size=(4, 5, 2))
    assert f(grid).shape == (4, 5)
    assert df(grid).shape == (4, 5, 2)
    np.testing.assert_allclose(f(grid)[2, 3], f(grid[2, 3]))
    np.testing.assert_allclose(df(grid)[1, 4], df(grid[1, 4]))
