"""Sweeps: grid searches, basin maps and escape times, against literal loops and hand computations."""

import math

import numpy as np
import pytest

from objectives import OBJECTIVES, himmelblau, himmelblau_derivative, sphere, sphere_derivative
from sweeps import (
    basin_map,
    best_alpha,
    get_problem,
    grid_starts,
    nearest_minimum,
    random_starts,
    steps_to_escape,
)

MINIMA = np.array([[0.0, 0.0], [3.0, 4.0]])


def test_nearest_minimum_by_hand():
    points = np.array([[0.1, 0.0], [3.0, 3.9], [1.5, 2.0], [np.nan, 1.0], [2.9, 4.0]])
    # distances: 0.1 to m0; 0.1 to m1; 2.5 to both (outside tol); nan; 0.1 to m1
    assert nearest_minimum(points, MINIMA, tol=0.2).tolist() == [0, 1, -1, -1, 1]
    assert nearest_minimum(points, MINIMA, tol=0.05).tolist() == [-1, -1, -1, -1, -1]
    # within tol 3, the tie at (1.5, 2) goes to the first minimum
    assert nearest_minimum(points, MINIMA, tol=3.0).tolist() == [0, 1, 0, -1, 1]


def test_nearest_minimum_keeps_the_shape_of_the_points():
    grid = np.zeros((4, 5, 2))
    grid[..., 0] = 3.0
    grid[..., 1] = 4.0
    labels = nearest_minimum(grid, MINIMA, 0.01)
    assert labels.shape == (4, 5) and np.all(labels == 1)


@pytest.mark.parametrize("bad", [dict(minima=np.zeros((0, 2))), dict(minima=np.zeros((2, 3))), dict(tol=-1.0)])
def test_nearest_minimum_refuses_bad_input(bad):
    args = dict(points=np.zeros((3, 2)), minima=MINIMA, tol=0.1) | bad
    with pytest.raises(ValueError, match="minima|tol"):
        nearest_minimum(**args)


def test_best_alpha_matches_one_run_per_alpha_by_a_literal_loop():
    alphas = np.array([0.01, 0.1, 0.5, 1.2])
    start = np.array([0.8, -0.3])
    search = best_alpha("gradient descent", "sphere", start, 5, alphas)
    for a, score, diverged in zip(alphas, search.scores, search.diverged):
        x = start.copy()
        for _ in range(5):
            x = x - a * 2 * x
        # by hand: x_5 = (1 - 2a)^5 x_0; alpha = 0.5 lands on the minimum in one step
        assert np.allclose(x, (1 - 2 * a) ** 5 * start)
        assert not diverged and score == pytest.approx(float(np.sum(x**2)), abs=1e-15)
    assert search.alpha == 0.5 and search.index == 2 and search.score == 0.0 and not search.at_edge


def test_best_alpha_scores_a_diverged_run_as_infinity_and_breaks_ties_toward_the_smaller_alpha():
    # on the sphere alpha = 0.5 lands on the minimum in one step; 2.0 multiplies x by -3 per step
    # (|x| > 1e10 after 22 steps); 1.0 flips x back and forth (f stays 2); 1e6 explodes at once
    alphas = np.array([2.0, 1.0, 0.5, 0.5, 1e6])
    search = best_alpha("gradient descent", "sphere", np.array([1.0, 1.0]), 40, alphas)
    assert search.diverged.tolist() == [True, False, False, False, True]
    assert np.isinf(search.scores[[0, 4]]).all() and search.scores[1] == 2.0
    assert search.index == 2 and search.alpha == 0.5 and search.score == 0.0 and not search.at_edge


def test_best_alpha_passes_the_other_hyperparameters():
    alphas = np.array([0.01, 0.05])
    heavy = best_alpha("momentum", "sphere", np.array([0.5, 0.5]), 10, alphas, mu=0.0)
    plain = best_alpha("gradient descent", "sphere", np.array([0.5, 0.5]), 10, alphas)
    assert np.allclose(heavy.scores, plain.scores)  # momentum with mu = 0 is gradient descent


def test_best_alpha_refuses_bad_input():
    with pytest.raises(TypeError, match="alphas"):
        best_alpha("adam", "sphere", np.array([1.0, 1.0]), 5, np.array([0.1]), alpha=0.1)
    with pytest.raises(ValueError, match="start"):
        best_alpha("adam", "sphere", np.array([1.0, 1.0, 1.0]), 5, np.array([0.1]))
    with pytest.raises(ValueError, match="alphas"):
        best_alpha("adam", "sphere", np.array([1.0, 1.0]), 5, np.array([]))
    with pytest.raises(ValueError, match="unknown problem 'bowl'"):
        best_alpha("adam", "bowl", np.array([1.0, 1.0]), 5, np.array([0.1]))
    with pytest.raises(TypeError, match="problem"):
        get_problem(3)


def test_grid_starts_row_by_row_with_both_bounds():
    xs, ys, starts = grid_starts(np.array([[-1.0, 1.0], [0.0, 2.0]]), 3)
    assert xs.tolist() == [-1.0, 0.0, 1.0] and ys.tolist() == [0.0, 1.0, 2.0]
    assert starts[:4].tolist() == [[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0], [-1.0, 1.0]]
    assert starts.shape == (9, 2)


def test_basin_map_equals_single_runs_classified_by_hand():
    num = 5
    labels = basin_map("gradient descent", "himmelblau", num, 200, alpha=0.01)
    xs, ys, _ = grid_starts(OBJECTIVES["himmelblau"].bounds, num)
    minima = OBJECTIVES["himmelblau"].minima
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            p = np.array([x, y])
            for _ in range(200):  # literal gradient descent loop
                p = p - 0.01 * himmelblau_derivative(p)
            d = [math.dist(p, m) for m in minima]
            expected = int(np.argmin(d)) if min(d) <= 0.05 else -1
            assert labels[i, j] == expected, (x, y)
    # the minimum itself is a fixed point: (3, 2) is label 0 when it lies on the grid
    assert himmelblau(minima[0]) == 0.0


def test_basin_map_marks_diverged_and_unfinished_runs():
    labels = basin_map("gradient descent", "himmelblau", 4, 50, alpha=1.0)  # far too large: diverges
    assert np.all(labels == -1)
    unfinished = basin_map("gradient descent", "himmelblau", 4, 1, alpha=1e-4)  # one tiny step: nowhere yet
    assert np.all(unfinished == -1)
    with pytest.raises(ValueError, match="no minima"):
        basin_map("adam", "saddle", 4, 10)


def test_steps_to_escape_matches_the_closed_form_for_gradient_descent_on_the_saddle():
    # y_t = (1 + 2 alpha)^t y_0, so |y_t| >= 1 first at t = ceil(log(1 / y0) / log(1 + 2 alpha))
    y0, alpha = 1e-3, 0.05
    saddle = OBJECTIVES["saddle"]
    from runner import run

    result = run("gradient descent", saddle.gradient, np.array([-0.9, y0]), 120, objective=saddle.f, alpha=alpha)
    expected = math.ceil(math.log(1 / y0) / math.log(1 + 2 * alpha))
    assert expected == 73
    assert steps_to_escape(result.path, 1.0) == expected
    assert steps_to_escape(result.path[:expected], 1.0) == -1
    assert steps_to_escape(result.path, 0.5, axis=0) == 0  # |x_0| = 0.9


def test_steps_to_escape_of_a_batch_is_one_per_run():
    path = np.zeros((4, 2, 2))
    path[:, 0, 1] = [0.0, 0.5, 1.5, 3.0]
    path[:, 1, 1] = [0.0, -0.2, -0.4, np.nan]
    assert steps_to_escape(path, 1.0).tolist() == [2, -1]
    with pytest.raises(ValueError, match="axis"):
        steps_to_escape(path, 1.0, axis=2)
    with pytest.raises(ValueError, match="radius"):
        steps_to_escape(path, 0.0)


def test_random_starts_are_seeded_and_inside_the_shrunk_window():
    bounds = np.array([[-2.0, 2.0], [-1.0, 3.0]])
    a = random_starts(bounds, 500, seed=3)
    assert np.array_equal(a, random_starts(bounds, 500, seed=3))
    assert not np.array_equal(a, random_starts(bounds, 500, seed=4))
    assert a.shape == (500, 2)
    assert a[:, 0].min() >= -1.6 and a[:, 0].max() <= 1.6 and a[:, 1].min() >= -0.6 and a[:, 1].max() <= 2.6
