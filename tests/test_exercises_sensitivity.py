"""Chapter 8's exercise checks: typical wrong answers get ✗, right ones ✓ (expected values derived independently)."""

import numpy as np
import pytest

from exercises_sensitivity import (
    EXERCISE_ALPHAS,
    check_best_median_alpha,
    check_fraction_within,
    check_steps_at_defaults,
    sphere_starts,
)
from heatmaps import AXIS_VALUES, sensitivity_grid
from objectives import OBJECTIVES, sphere, sphere_derivative
from runner import run


def adam_final(x, n, alpha, beta1=0.9, beta2=0.999, eps=1e-8, tol=None):
    """A literal Adam loop on the sphere; returns the final loss and the first step with f <= tol."""
    m = v = np.zeros(2)
    hit = 0 if tol is not None and sphere(x) <= tol else -1
    for t in range(1, n + 1):
        g = sphere_derivative(x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        x = x - alpha * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        if tol is not None and hit < 0 and sphere(x) <= tol:
            hit = t
    return sphere(x), hit


def test_exercise_1_best_median_alpha_from_literal_loops():
    starts = sphere_starts()
    medians, means, first = [], [], []
    for a in EXERCISE_ALPHAS:
        finals = [adam_final(s, 100, a)[0] for s in starts]
        medians.append(np.median(finals))
        means.append(np.mean(finals))
        first.append(finals[0])
    best = EXERCISE_ALPHAS[int(np.argmin(medians))]
    assert check_best_median_alpha(best)
    assert not check_best_median_alpha(0.001)  # the paper's default
    i = int(np.argmin(medians))
    for j in (i - 1, i + 1):
        if 0 <= j < len(EXERCISE_ALPHAS):
            assert not check_best_median_alpha(EXERCISE_ALPHAS[j])
    assert not check_best_median_alpha(None)


def test_exercise_2_steps_at_defaults_from_literal_loops():
    starts = sphere_starts()
    steps = np.array([adam_final(s, 200, 0.02, 0.9, 0.999, tol=1e-6)[1] for s in starts], dtype=float)
    steps[steps < 0] = np.inf
    median = float(np.median(steps))
    assert check_steps_at_defaults(median)
    mean = float(np.mean(steps[np.isfinite(steps)]))
    assert abs(mean - median) > 0.25 and not check_steps_at_defaults(mean)  # the mean over starts
    assert not check_steps_at_defaults(steps[0]) or steps[0] == median  # one start only
    article = np.median([adam_final(s, 200, 0.02, 0.8, 0.999, tol=1e-6)[1] for s in starts])
    assert article != median and not check_steps_at_defaults(article)  # the article's cell
    assert not check_steps_at_defaults(200)  # the budget
    assert not check_steps_at_defaults(None)


def test_exercise_3_fraction_within_by_hand():
    problem = OBJECTIVES["rosenbrock"]
    grid = sensitivity_grid("rosenbrock", "adam", {"alpha": AXIS_VALUES["alpha"], "beta1": AXIS_VALUES["beta1"]},
                            starts=sphere_starts("rosenbrock"), n_iter=1000)
    # two cells recomputed by single runs, to make sure the grid is what it says
    for row, col in [(8, 6), (0, 24)]:
        finals = [run("adam", problem.gradient, s, 1000, objective=problem.f, alpha=AXIS_VALUES["alpha"][col],
                      beta1=AXIS_VALUES["beta1"][row]).score for s in sphere_starts("rosenbrock")]
        assert grid.final[row, col] == pytest.approx(np.median(finals), rel=1e-12)
    values = grid.final.ravel()
    count = sum(1 for v in values if v <= 10 * min(values))
    fraction = count / len(values)
    assert check_fraction_within(fraction)
    assert not check_fraction_within(count)  # a count, not a fraction
    assert not check_fraction_within(sum(1 for v in values if v <= 100 * min(values)) / len(values))
    mean_map = grid.final_runs.mean(axis=-1).ravel()
    mean_fraction = sum(1 for v in mean_map if v <= 10 * mean_map.min()) / len(mean_map)
    assert mean_fraction == fraction or not check_fraction_within(mean_fraction)
    assert not check_fraction_within(None)
