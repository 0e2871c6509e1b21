"""Chapter 7's exercise checks: typical wrong answers get ✗, right ones ✓ (expected values derived independently)."""

import math

import numpy as np
import pytest

from exercises_landscapes import (
    ROSENBROCK_ALPHAS,
    check_best_alpha,
    check_escape_steps,
    check_reached_minima,
    check_start_reaches,
    reached_minima,
)
from objectives import OBJECTIVES, himmelblau_derivative, rosenbrock, rosenbrock_derivative

MINIMA = OBJECTIVES["himmelblau"].minima


def adam_by_hand(g, x, n, alpha, beta1=0.9, beta2=0.999, eps=1e-8):
    m = v = np.zeros(2)
    for t in range(1, n + 1):
        grad = g(x)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        x = x - alpha * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return x


def test_the_reached_minima_agree_with_a_literal_adam_loop():
    for start, reached in zip([np.array([1.0, -1.0]), np.array([-1.0, 1.0])], reached_minima()):
        final = adam_by_hand(himmelblau_derivative, start, 300, 0.05)
        nearest = MINIMA[np.argmin(np.linalg.norm(MINIMA - final, axis=1))]
        assert np.linalg.norm(final - nearest) < 0.05
        assert np.allclose(reached, nearest)


def test_exercise_1_right_and_wrong_answers(capsys):
    right = [tuple(np.round(p, 2)) for p in reached_minima()]
    assert check_reached_minima(right)
    nearest_to_start = [MINIMA[np.argmin(np.linalg.norm(MINIMA - s, axis=1))] for s in ([1.0, -1.0], [-1.0, 1.0])]
    assert not np.allclose(nearest_to_start, reached_minima())  # so "the nearest one" is a wrong guess
    assert not check_reached_minima(np.round(nearest_to_start, 2))
    assert not check_reached_minima([right[1], right[0]])  # swapped
    assert not check_reached_minima([right[0]])  # one pair only
    assert not check_reached_minima([(3, 2), (3, 2)]) or np.allclose(reached_minima(), [[3, 2], [3, 2]])
    assert not check_reached_minima([right[0], (right[1][0] + 0.05, right[1][1])])  # off in the 2nd decimal
    assert not check_reached_minima(None)
    assert not check_reached_minima("3, 2")
    out = capsys.readouterr().out
    assert out.count("✗") == 7 and out.count("✓") == 1
    assert "not right for start (-1, 1)" in out and "np.float64" not in out  # plain numbers for the learner


def test_exercise_2_right_and_wrong_starts(capsys):
    target = MINIMA[2]
    assert not check_start_reaches(tuple(target))  # the minimum itself is not in the quadrant
    assert not check_start_reaches((3.0, 2.0))  # stays at (3, 2)
    assert not check_start_reaches((1.0, 1.0))
    assert not check_start_reaches((0.0, 3.0))  # x = 0 is not inside
    assert not check_start_reaches(None)
    assert not check_start_reaches([1.0, 2.0, 3.0])
    # a start found by a literal momentum loop over a coarse grid of the quadrant
    found = None
    for x in np.linspace(0.25, 5, 20):
        for y in np.linspace(0.25, 5, 20):
            p, b = np.array([x, y]), np.zeros(2)
            for _ in range(300):
                b = 0.9 * b + himmelblau_derivative(p)
                p = p - 0.002 * b
            if np.linalg.norm(p - target) < 0.05:
                found = (x, y)
                break
        if found:
            break
    assert found is not None
    assert check_start_reaches(found)
    out = capsys.readouterr().out
    assert out.count("✓") == 1


def test_exercise_3_best_alpha_by_a_literal_loop(capsys):
    finals = []
    for a in ROSENBROCK_ALPHAS:
        p, b = np.array([-1.5, 2.0]), np.zeros(2)
        with np.errstate(all="ignore"):
            for _ in range(500):
                b = 0.9 * b + rosenbrock_derivative(p)
                p = p - a * b
        f = rosenbrock(p)
        finals.append(f if np.isfinite(f) and np.max(np.abs(p)) < 1e10 else np.inf)
    best = ROSENBROCK_ALPHAS[int(np.argmin(finals))]
    assert check_best_alpha(best)
    assert check_best_alpha(float(f"{best:.3g}"))  # as printed, to 3 significant digits
    assert check_best_alpha(float(f"{best:.2g}"))  # rounded to 2
    capsys.readouterr()
    assert not check_best_alpha(0.00215)  # the chapter's 13-value grid's best, not this grid's
    assert "the chapter's 13-value grid" in capsys.readouterr().out
    assert not check_best_alpha(ROSENBROCK_ALPHAS[-1])  # the largest: diverges
    assert not check_best_alpha(ROSENBROCK_ALPHAS[0])  # the smallest: too slow
    i = int(np.argmin(finals))
    for j in (i - 1, i + 1):
        if 0 <= j < len(ROSENBROCK_ALPHAS):
            assert not check_best_alpha(ROSENBROCK_ALPHAS[j])
    assert not check_best_alpha(None)


def test_exercise_4_escape_steps(capsys):
    exact = math.log(1 / 1e-3) / math.log(1.2)  # 37.89...
    assert check_escape_steps(math.ceil(exact))
    assert check_escape_steps(float(math.ceil(exact)))
    assert not check_escape_steps(math.floor(exact))  # rounded down: |y| is still below 1
    assert not check_escape_steps(exact)  # not a whole number of steps
    assert not check_escape_steps(math.ceil(math.log(1 / 1e-3) / math.log(1.1)))  # forgot the 2 in 2y
    assert not check_escape_steps(None)
