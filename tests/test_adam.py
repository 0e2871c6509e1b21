"""adam.py against Algorithm 1 of Kingma & Ba (2014), transcribed independently."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adam import PAPER_DEFAULTS, adam, adam_step, adam_step_efficient, gradient_descent, gradient_descent_step
from objectives import sphere, sphere_derivative


def algorithm1_loop(x, g, m, v, t, alpha, beta1, beta2, eps):
    """Algorithm 1, one variable at a time, with Python floats and math.sqrt."""
    x, m, v = list(map(float, x)), list(map(float, m)), list(map(float, v))
    for i in range(len(x)):
        m[i] = beta1 * m[i] + (1 - beta1) * float(g[i])
        v[i] = beta2 * v[i] + (1 - beta2) * float(g[i]) * float(g[i])
        m_hat = m[i] / (1 - beta1**t)
        v_hat = v[i] / (1 - beta2**t)
        x[i] = x[i] - alpha * m_hat / (math.sqrt(v_hat) + eps)
    return np.array(x), np.array(m), np.array(v)


def test_vectorized_step_equals_the_loop_transcription_over_1000_random_steps():
    rng = np.random.default_rng(20141222)
    x = rng.uniform(-1, 1, 5)
    m = np.zeros(5)
    v = np.zeros(5)
    xl, ml, vl = x.copy(), m.copy(), v.copy()
    for t in range(1, 1001):
        g = rng.normal(0, rng.uniform(0.01, 10), 5)
        alpha, beta1, beta2 = 0.01, 0.9, 0.999
        x, m, v = adam_step(x, g, m, v, t, alpha, beta1, beta2, 1e-8)
        xl, ml, vl = algorithm1_loop(xl, g, ml, vl, t, alpha, beta1, beta2, 1e-8)
        np.testing.assert_allclose(x, xl, rtol=1e-12, atol=0)
        np.testing.assert_allclose(m, ml, rtol=1e-12, atol=0)
        np.testing.assert_allclose(v, vl, rtol=1e-12, atol=0)


def test_first_step_moves_every_coordinate_by_alpha_against_the_gradient_sign():
    # After one step m_hat = g and v_hat = g**2, so the update is alpha * g / (|g| + eps).
    g = np.array([3.0, -0.5, 1e-3])
    x, m, v = adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), 1, alpha=0.1, eps=1e-8)
    np.testing.assert_allclose(x, -0.1 * g / (np.abs(g) + 1e-8), rtol=1e-14)
    np.testing.assert_allclose(m, 0.1 * g, rtol=1e-14)
    np.testing.assert_allclose(v, 0.001 * g**2, rtol=1e-12)


def test_constant_gradient_bias_correction_recovers_the_gradient_exactly():
    g = np.array([0.7, -2.0])
    x, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    for t in range(1, 20):
        x_prev = x
        x, m, v = adam_step(x, g, m, v, t, alpha=0.01, beta1=0.9, beta2=0.999, eps=0.0 + 1e-300)
        # m_t = (1 - beta1^t) g, so m_hat = g; the step is alpha * sign(g) every time.
        np.testing.assert_allclose(m / (1 - 0.9**t), g, rtol=1e-12)
        np.testing.assert_allclose(x_prev - x, 0.01 * np.sign(g), rtol=1e-12)


def test_step_is_pure():
    x, g, m, v = (np.array([0.5, -0.5]) for _ in range(4))
    v = np.abs(v)
    copies = [a.copy() for a in (x, g, m, v)]
    adam_step(x, g, m, v, 3)
    for before, after in zip(copies, (x, g, m, v)):
        np.testing.assert_array_equal(before, after)


def test_step_works_on_arrays_of_any_shape():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4, 2))
    g = rng.normal(size=(3, 4, 2))
    z = np.zeros_like(x)
    x1, m1, v1 = adam_step(x, g, z, z, 1, alpha=0.5)
    assert x1.shape == m1.shape == v1.shape == x.shape
    flat = adam_step(x.ravel(), g.ravel(), z.ravel(), z.ravel(), 1, alpha=0.5)[0]
    np.testing.assert_array_equal(x1.ravel(), flat)


def test_defaults_are_the_papers():
    assert PAPER_DEFAULTS == {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    x = adam_step(np.zeros(1), np.ones(1), np.zeros(1), np.zeros(1), 1)[0]
    np.testing.assert_allclose(x, [-0.001], rtol=1e-7)


def test_efficient_ordering_equals_standard_form_when_eps_hat_is_scaled():
    rng = np.random.default_rng(7)
    x = xe = rng.normal(size=4)
    m = v = me = ve = np.zeros(4)
    alpha, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-3  # a large eps makes any mismatch visible
    for t in range(1, 200):
        g = rng.normal(size=4)
        x, m, v = adam_step(x, g, m, v, t, alpha, beta1, beta2, eps)
        xe, me, ve = adam_step_efficient(xe, g, me, ve, t, alpha, beta1, beta2, eps * math.sqrt(1 - beta2**t))
        np.testing.assert_allclose(xe, x, rtol=1e-12, atol=1e-15)


def test_efficient_ordering_with_the_same_constant_differs():
    g = np.array([1e-3, -2e-3])
    z = np.zeros(2)
    eps = 1e-3
    standard = adam_step(z, g, z, z, 1, 0.01, 0.9, 0.999, eps)[0]
    efficient = adam_step_efficient(z, g, z, z, 1, 0.01, 0.9, 0.999, eps)[0]
    # With eps_hat = eps the efficient form's effective eps is eps / sqrt(1 - beta2^t): larger, smaller steps.
    assert np.all(np.abs(efficient) < np.abs(standard))
    assert not np.allclose(efficient, standard, rtol=1e-3)


def test_batch_of_100_runs_equals_the_runs_one_by_one():
    rng = np.random.default_rng(3)
    x0 = rng.uniform(-1, 1, size=(100, 2))
    alpha = rng.uniform(0.001, 0.1, size=(100, 1))
    beta1 = rng.uniform(0.0, 0.99, size=(100, 1))
    beta2 = rng.uniform(0.9, 0.9999, size=(100, 1))
    batch = adam(sphere_derivative, x0, 40, alpha, beta1, beta2, objective=sphere)
    assert batch.path.shape == (41, 100, 2)
    assert batch.scores.shape == (41, 100)
    for i in range(100):
        single = adam(sphere_derivative, x0[i], 40, float(alpha[i, 0]), float(beta1[i, 0]), float(beta2[i, 0]),
                      objective=sphere)
        np.testing.assert_allclose(batch.path[:, i], single.path, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(batch.scores[:, i], single.scores, rtol=1e-12, atol=1e-30)


@settings(max_examples=60, deadline=None)
@given(st.floats(-1.0, 1.0), st.floats(-1.0, 1.0))
def test_adam_reaches_1e_minus_6_from_any_start_in_the_square_within_150_steps(x, y):
    # Budget measured on a 41 x 41 grid of starts: the slowest (a corner) first goes below 1e-6 at step 143.
    result = adam(sphere_derivative, np.array([x, y]), 150, alpha=0.02, beta1=0.8, beta2=0.999, objective=sphere)
    assert result.scores.min() < 1e-6


def test_runner_path_matches_repeated_steps():
    x0 = np.array([0.3, -0.9])
    result = adam(sphere_derivative, x0, 25, alpha=0.05, beta1=0.85, beta2=0.99, objective=sphere)
    x, m, v = x0, np.zeros(2), np.zeros(2)
    for t in range(1, 26):
        x, m, v = adam_step(x, 2 * x, m, v, t, 0.05, 0.85, 0.99)
        np.testing.assert_array_equal(result.path[t], x)
    np.testing.assert_allclose(result.scores, np.sum(result.path**2, axis=1), rtol=1e-15)
    assert result.n_steps == 25 and result.message == "finished 25 steps"


def test_zero_iterations_returns_just_the_start():
    result = adam(sphere_derivative, np.array([0.2, 0.1]), 0, objective=sphere)
    assert result.path.shape == (1, 2) and result.n_steps == 0
    assert result.score == pytest.approx(0.05)


def test_gradient_descent_on_the_sphere_follows_the_closed_form():
    # x_t = (1 - 2 alpha)^t x_0 for f = |x|^2.
    x0 = np.array([0.8, -0.4])
    result = gradient_descent(sphere_derivative, x0, 30, 0.1, objective=sphere)
    expected = (1 - 2 * 0.1) ** np.arange(31)[:, None] * x0
    np.testing.assert_allclose(result.path, expected, rtol=1e-12)
    np.testing.assert_allclose(gradient_descent_step(x0, 2 * x0, 0.1), 0.8 * x0)


def test_gradient_descent_with_too_large_a_step_is_stopped_and_says_where():
    result = gradient_descent(sphere_derivative, np.array([1.0]), 500, 1.5, objective=sphere)
    # |x_t| = 2^t: the first iterate beyond max_norm = 1e10 is step 34 (2^34 > 1e10 > 2^33).
    assert result.diverged
    assert result.message.startswith("diverged at step 34")
    assert result.n_steps == 33
    assert np.all(np.isfinite(result.path))


def test_a_derivative_returning_nan_stops_the_run_at_that_step(capsys):
    def derivative(x):
        derivative.calls += 1
        return np.full_like(x, np.nan) if derivative.calls == 3 else 2 * x

    derivative.calls = 0
    result = adam(derivative, np.array([0.5, 0.5]), 10, alpha=0.1, objective=sphere, verbose=True)
    assert result.diverged and result.n_steps == 2
    assert "step 3" in result.message and "gradient is not finite" in result.message
    assert "Diverged at step 3" in capsys.readouterr().out


def test_an_objective_that_is_not_finite_at_the_start_is_a_clear_error():
    with pytest.raises(ValueError, match=r"objective\(x0\) must be finite, got inf: start where the function is defined"):
        adam(sphere_derivative, np.array([0.5]), 5, objective=lambda x: np.inf * x.sum())


def test_an_objective_that_becomes_infinite_is_reported_at_that_step():
    # Adam's first step moves x by alpha = 0.1, from 0.5 to 0.4, where this objective is infinite
    result = adam(sphere_derivative, np.array([0.5]), 5, 0.1,
                  objective=lambda x: np.where(x.sum() < 0.45, np.inf, x.sum() ** 2))
    assert result.diverged and "objective is not finite" in result.message and "step 1" in result.message


def test_a_derivative_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"derivative must return an array of the shape of x \(2,\)"):
        adam(lambda x: np.zeros(3), np.zeros(2), 3)
