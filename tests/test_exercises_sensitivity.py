"""Chapter 8's exercise checks: typical wrong answers get ✗, right ones ✓ (expected values derived independently)."""

import numpy as np
import pytest

from exercises_sensitivity import (
    EXERCISE_ALPHAS,
    check_good_alpha_range,
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


@pytest.fixture(scope="module")
def exercise_1_medians():
    """The median final loss per alpha, from literal Adam loops (not from sensitivity_grid)."""
    starts = sphere_starts()
    return np.array([np.median([adam_final(s, 100, a)[0] for s in starts]) for a in EXERCISE_ALPHAS])


def good_indices(medians, factor=30.0):
    good = [i for i, m in enumerate(medians) if m <= factor * min(medians)]
    return good[0], good[-1]


def test_exercise_1_grid_is_three_per_decade_from_1e_3_to_10():
    np.testing.assert_allclose(EXERCISE_ALPHAS, [10 ** (k / 3) for k in range(-9, 4)], rtol=1e-12)


def test_exercise_1_answer_is_no_near_tie(exercise_1_medians):
    # the answer stays the same for any factor from 10 to 90: no grid point sits near the threshold 30
    assert len({good_indices(exercise_1_medians, f) for f in (10.0, 30.0, 90.0)}) == 1
    i, j = good_indices(exercise_1_medians)
    assert 0 < i < j < len(EXERCISE_ALPHAS) - 1  # both ends inside the grid, so both can be off by one


def test_exercise_1_range_check_accepts_the_right_range(exercise_1_medians, capsys):
    i, j = good_indices(exercise_1_medians)
    assert check_good_alpha_range((EXERCISE_ALPHAS[i], EXERCISE_ALPHAS[j]))
    assert check_good_alpha_range([float(f"{EXERCISE_ALPHAS[i]:.3g}"), float(f"{EXERCISE_ALPHAS[j]:.3g}")])
    assert capsys.readouterr().out.count("✓") == 2


def test_exercise_1_range_check_rejects_typical_wrong_answers(exercise_1_medians, capsys):
    i, j = good_indices(exercise_1_medians)
    a = EXERCISE_ALPHAS
    best = int(np.argmin(exercise_1_medians))
    wrong = [
        (a[best], a[best]),  # the argmin alone
        (a[i - 1], a[j]), (a[i + 1], a[j]),  # the small end off by one grid point
        (a[i], a[j - 1]), (a[i], a[j + 1]),  # the large end off by one grid point
        (a[j], a[i]),  # swapped
        (a[0], a[-1]),  # the whole grid
        good_indices(exercise_1_medians, 2.0),  # indices, not step sizes
        (a[i], None), None, a[best], (0.02, 2.0),
    ]
    for answer in wrong:
        assert not check_good_alpha_range(answer), answer
    out = capsys.readouterr().out
    assert out.count("✗") == len(wrong) and "✓" not in out


def test_exercise_1_hints_name_the_mistake(exercise_1_medians, capsys):
    i, j = good_indices(exercise_1_medians)
    best = int(np.argmin(exercise_1_medians))
    check_good_alpha_range((EXERCISE_ALPHAS[best], EXERCISE_ALPHAS[best]))
    assert "single step size" in capsys.readouterr().out
    check_good_alpha_range((EXERCISE_ALPHAS[j], EXERCISE_ALPHAS[i]))
    assert "smallest alpha first" in capsys.readouterr().out


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
