"""The test problems: values by hand, gradients against central differences, every minimum."""

import numpy as np
import pytest

from objectives import (
    MINIMA,
    OBJECTIVES,
    beale,
    himmelblau,
    rastrigin,
    rosenbrock,
    rotated_bowl,
    saddle,
    sphere,
    sphere_derivative,
    stretched_bowl,
)

ALL = list(OBJECTIVES.values())


def test_sphere_is_the_articles_function():
    assert sphere(np.array([0.5, -2.0])) == 0.5**2 + 2.0**2
    assert sphere(np.array([3.0])) == 9.0
    np.testing.assert_array_equal(sphere_derivative(np.array([0.5, -2.0])), [1.0, -4.0])


def test_known_values_computed_by_hand():
    assert stretched_bowl(np.array([1.0, 1.0])) == 11.0
    assert rosenbrock(np.array([0.0, 0.0])) == 1.0
    assert rosenbrock(np.array([-1.0, 1.0])) == 4.0
    assert himmelblau(np.array([0.0, 0.0])) == 121.0 + 49.0
    assert beale(np.array([0.0, 0.0])) == 1.5**2 + 2.25**2 + 2.625**2
    assert rastrigin(np.array([0.5, 0.0])) == pytest.approx(0.25 + 10.0 * 2)  # cos(pi) = -1
    assert saddle(np.array([2.0, 3.0])) == 4.0 - 9.0


def test_rotated_bowl_is_the_stretched_bowl_turned_by_45_degrees():
    rng = np.random.default_rng(3)
    c = np.cos(np.pi / 4)
    turn = np.array([[c, c], [-c, c]])  # rotates by -45 degrees: the diagonal y = x onto the x axis
    for p in rng.uniform(-1, 1, size=(10, 2)):
        assert rotated_bowl(p) == pytest.approx(stretched_bowl(turn @ p), rel=1e-12, abs=1e-15)
    # steep along the diagonal y = -x, gentle along y = x
    assert rotated_bowl(np.array([0.5, 0.5])) == pytest.approx(0.5)
    assert rotated_bowl(np.array([-0.5, 0.5])) == pytest.approx(5.0)
    hessian = np.array([[11.0, -9.0], [-9.0, 11.0]])  # R^T diag(2, 20) R, by hand
    p = np.array([0.3, -0.7])
    np.testing.assert_allclose(OBJECTIVES["rotated bowl"].gradient(p), hessian @ p, rtol=1e-12)
    assert np.linalg.cond(hessian) == pytest.approx(10.0)


@pytest.mark.parametrize("problem", ALL, ids=lambda o: o.name)
def test_gradients_match_central_differences(problem):
    rng = np.random.default_rng(0)
    (x_low, x_high), (y_low, y_high) = problem.bounds
    h = 1e-6
    for p in np.column_stack([rng.uniform(x_low, x_high, 20), rng.uniform(y_low, y_high, 20)]):
        numeric = np.array([(problem.f(p + h * e) - problem.f(p - h * e)) / (2 * h) for e in np.eye(2)])
        scale = max(1.0, np.abs(numeric).max())
        np.testing.assert_allclose(problem.gradient(p), numeric, rtol=1e-6, atol=1e-6 * scale)


@pytest.mark.parametrize("problem", ALL, ids=lambda o: o.name)
def test_every_listed_minimum_has_the_stated_value_and_a_vanishing_gradient(problem):
    for point in problem.minima:
        assert problem.f(point) == pytest.approx(problem.minimum_value, abs=1e-10)
        # Himmelblau's minima are given to 6 decimals: the gradient there is ~1e-5
        assert np.abs(problem.gradient(point)).max() < 1e-4
        # and it is a minimum: f is larger a little way off in every direction
        for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
            assert problem.f(point + 1e-2 * np.array([np.cos(angle), np.sin(angle)])) > problem.f(point)
        (x_low, x_high), (y_low, y_high) = problem.bounds
        assert x_low <= point[0] <= x_high and y_low <= point[1] <= y_high


def test_himmelblau_has_four_minima_and_they_are_all_found_by_descent():
    problem = OBJECTIVES["himmelblau"]
    assert len(problem.minima) == 4
    # Gradient descent from a grid of starts ends at one of the four listed points, and at all four.
    xs = np.linspace(-4.5, 4.5, 7)
    p = np.stack(np.meshgrid(xs, xs), axis=-1).reshape(-1, 2)
    for _ in range(4000):
        p = p - 0.005 * problem.gradient(p)
    distance = np.linalg.norm(p[:, None, :] - problem.minima[None], axis=-1)
    assert distance.min(axis=1).max() < 1e-5
    assert set(distance.argmin(axis=1)) == {0, 1, 2, 3}


def test_the_saddle_has_no_minimum_and_a_stationary_point_at_the_origin():
    problem = OBJECTIVES["saddle"]
    assert problem.minima.shape == (0, 2) and problem.minimum_value is None
    np.testing.assert_array_equal(problem.gradient(np.zeros(2)), [0.0, 0.0])
    assert problem.f(np.array([0.0, 10.0])) < problem.f(np.array([0.0, 1.0])) < 0.0


@pytest.mark.parametrize("problem", ALL, ids=lambda o: o.name)
def test_points_grids_and_batches(problem):
    grid = np.random.default_rng(1).normal(size=(4, 5, 2))
    assert problem.f(grid).shape == (4, 5)
    assert problem.gradient(grid).shape == (4, 5, 2)
    np.testing.assert_allclose(problem.f(grid)[2, 3], problem.f(grid[2, 3]))
    np.testing.assert_allclose(problem.gradient(grid)[1, 4], problem.gradient(grid[1, 4]))


@pytest.mark.parametrize("problem", ALL, ids=lambda o: o.name)
def test_default_start_lies_in_the_window(problem):
    (x_low, x_high), (y_low, y_high) = problem.bounds
    assert x_low <= problem.start[0] <= x_high and y_low <= problem.start[1] <= y_high
    assert problem.name in problem.title and problem.formula in problem.title


def test_minima_table_agrees_with_the_objectives():
    for key, point in MINIMA.items():
        problem = OBJECTIVES[key.replace("_", " ")]
        np.testing.assert_array_equal(problem.minima[0], point)
