"""Noisy gradients: seeded, reproducible, the right size, and a batch row equals a single run."""

import numpy as np
import pytest

from noise import noisy, replay
from runner import run


def exact(x):
    return 2 * x


def test_zero_sigma_gives_the_exact_gradient():
    x = np.array([0.3, -1.2])
    np.testing.assert_array_equal(noisy(exact, 0.0, seed=3)(x), 2 * x)


def test_the_noise_is_the_seeded_generator_s_draws_added_to_the_gradient():
    x = np.array([0.5, -0.25, 1.0])
    g = noisy(exact, 0.3, seed=7)
    first, second = g(x), g(x)
    rng = np.random.default_rng(7)  # the draws, taken independently in the same order
    np.testing.assert_allclose(first, 2 * x + 0.3 * rng.standard_normal(3), rtol=0, atol=1e-15)
    np.testing.assert_allclose(second, 2 * x + 0.3 * rng.standard_normal(3), rtol=0, atol=1e-15)
    assert not np.allclose(first, second)  # each call draws afresh


def test_same_seed_same_run_different_seed_different_run():
    x0 = np.array([-0.4, 0.7])
    a = run("adam", noisy(exact, 0.5, seed=1), x0, 30, alpha=0.02)
    b = run("adam", noisy(exact, 0.5, seed=1), x0, 30, alpha=0.02)
    c = run("adam", noisy(exact, 0.5, seed=2), x0, 30, alpha=0.02)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.allclose(a.path, c.path)


def test_noise_has_mean_zero_and_standard_deviation_sigma():
    g = noisy(lambda x: np.zeros_like(x), 2.0, seed=0)
    samples = g(np.zeros(200_000))
    # standard error of the mean 2 / sqrt(2e5) = 0.0045; of the std about 0.0032
    assert abs(samples.mean()) < 0.02
    assert abs(samples.std() - 2.0) < 0.015


def test_a_batch_row_sees_exactly_the_noise_of_a_single_run_with_its_seed():
    seeds = [4, 11, 4]
    x0 = np.array([[-0.4, 0.7], [0.2, 0.1], [0.9, -0.9]])
    batch = run("adam", noisy(exact, 0.8, seed=seeds), x0, 25, alpha=0.05)
    for i, seed in enumerate(seeds):
        single = run("adam", noisy(exact, 0.8, seed=seed), x0[i], 25, alpha=0.05)
        np.testing.assert_allclose(batch.path[:, i], single.path, rtol=0, atol=1e-15)


def test_sigma_per_run_broadcasts_over_the_batch():
    g = noisy(lambda x: np.zeros_like(x), np.array([[0.0], [1.0]]), seed=[0, 0])
    draw = g(np.zeros((2, 3)))
    np.testing.assert_array_equal(draw[0], 0.0)
    np.testing.assert_allclose(draw[1], np.random.default_rng(0).standard_normal(3), rtol=0, atol=1e-15)


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="derivative"):
        noisy(3.0, 0.1)
    with pytest.raises(ValueError, match="sigma"):
        noisy(exact, -1.0)
    with pytest.raises(ValueError, match="seed"):
        noisy(exact, 0.1, seed=[])
    with pytest.raises(ValueError, match=r"one row per seed"):
        noisy(exact, 0.1, seed=[1, 2])(np.zeros((3, 2)))


def test_replay_recovers_adam_s_moments_written_out_by_hand():
    x0 = np.array([-0.4, 0.7])
    hyper = dict(alpha=0.05, beta1=0.8, beta2=0.99, eps=1e-8)
    result = run("adam", noisy(exact, 0.5, seed=5), x0, 12, **hyper)
    trace = replay("adam", noisy(exact, 0.5, seed=5), result.path, **hyper)
    # the moments by a literal loop over the same draws
    rng = np.random.default_rng(5)
    m = v = np.zeros(2)
    for t in range(1, 13):
        g = 2 * result.path[t - 1] + 0.5 * rng.standard_normal(2)
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g * g
        np.testing.assert_allclose(trace["g"][t - 1], g, rtol=1e-14)
        np.testing.assert_allclose(trace["m"][t - 1], m, rtol=1e-12)
        np.testing.assert_allclose(trace["v"][t - 1], v, rtol=1e-12)
    np.testing.assert_array_equal(trace["t"], np.arange(1, 13))


def test_replay_refuses_gradients_that_are_not_the_run_s():
    x0 = np.array([-0.4, 0.7])
    result = run("adam", noisy(exact, 0.5, seed=5), x0, 5, alpha=0.05)
    with pytest.raises(ValueError, match="fresh noisy derivative"):
        replay("adam", noisy(exact, 0.5, seed=6), result.path, alpha=0.05)
