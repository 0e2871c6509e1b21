"""run_online: the paper's Adam and AMSGrad transcribed literally, the runner's equivalence, errors."""

import math

import numpy as np
import pytest

from objectives import sphere_derivative
from online import ADAM_NO_BIAS_CORRECTION, AMSGRAD_NO_BIAS_CORRECTION, run_online
from optimizers import OPTIMIZERS
from runner import run

C = 3.0
BETA2 = 1.0 / (1.0 + C**2)


def counterexample_gradient(t, x):
    """Reddi et al.'s f_t(x) = C x when t mod 3 = 1, -x otherwise: the gradient does not depend on x."""
    return np.full_like(x, C if t % 3 == 1 else -1.0)


def clip(x):
    return np.clip(x, -1.0, 1.0)


def literal_paper_loop(x1, n, alpha, *, amsgrad, bias_correction, eps):
    """Reddi et al.'s Algorithms 1 (Adam) and 2 (AMSGrad) with beta1 = 0, in Python floats, one line each.

    Paper indices: x_1 is the start, g_t = grad f_t(x_t), x_{t+1} = Pi(x_t - alpha_t g_t / sqrt(v_t)).
    With bias_correction (torch's form) v is divided by 1 - beta2^t, after the max for AMSGrad.
    """
    x, v, v_max, xs, vs = x1, 0.0, 0.0, [x1], []
    for t in range(1, n + 1):
        g = C if t % 3 == 1 else -1.0
        alpha_t = alpha / math.sqrt(t)
        v = BETA2 * v + (1 - BETA2) * g * g
        v_max = max(v_max, v)
        denominator = v_max if amsgrad else v
        if bias_correction:
            denominator = denominator / (1 - BETA2**t)
        x = min(1.0, max(-1.0, x - alpha_t * g / (math.sqrt(denominator) + eps)))
        xs.append(x)
        vs.append(v)
    return np.array(xs), np.array(vs)


@pytest.mark.parametrize(
    "optimizer, amsgrad, bias_correction, eps",
    [
        (ADAM_NO_BIAS_CORRECTION, False, False, 0.0),  # the paper's Adam exactly (no eps)
        (AMSGRAD_NO_BIAS_CORRECTION, True, False, 0.0),  # the paper's AMSGrad exactly
        ("adam", False, True, 1e-8),  # Kingma & Ba's Adam: bias correction and eps
        ("amsgrad", True, True, 1e-8),  # torch's AMSGrad
    ],
)
def test_run_online_is_the_papers_algorithm_step_by_step(optimizer, amsgrad, bias_correction, eps):
    alpha, n = 1.5, 12  # large enough that the projection acts
    expected, expected_v = literal_paper_loop(0.2, n, alpha, amsgrad=amsgrad, bias_correction=bias_correction, eps=eps)
    result = run_online(optimizer, counterexample_gradient, np.array([0.2]), n,
                        schedule=lambda t: alpha / np.sqrt(t), project=clip, keep_state=("v",),
                        beta1=0.0, beta2=BETA2, eps=eps)
    np.testing.assert_allclose(result.path[:, 0], expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(result.states["v"][1:, 0], expected_v, rtol=1e-13)
    assert result.states["v"][0, 0] == 0.0
    np.testing.assert_allclose(result.alphas, alpha / np.sqrt(np.arange(1, n + 1)))
    # the projection did act: some unprojected step would have left [-1, 1]
    assert np.any(np.abs(expected) == 1.0)


def test_by_hand_the_first_three_steps_of_the_papers_adam():
    # beta2 = 0.1, alpha_t = 0.5 / sqrt(t), x_0 = 0 (our 0-based start):
    # t=1: g=3, v=0.9*9=8.1, x = 0 - 0.5*3/sqrt(8.1)
    # t=2: g=-1, v=0.81+0.9=1.71, x += 0.5/sqrt(2)/sqrt(1.71)
    # t=3: g=-1, v=0.171+0.9=1.071, x += 0.5/sqrt(3)/sqrt(1.071)
    x1 = -1.5 / math.sqrt(8.1)
    x2 = x1 + 0.5 / math.sqrt(2) / math.sqrt(1.71)
    x3 = x2 + 0.5 / math.sqrt(3) / math.sqrt(1.071)
    result = run_online(ADAM_NO_BIAS_CORRECTION, counterexample_gradient, np.array([0.0]), 3,
                        schedule=lambda t: 0.5 / math.sqrt(t), project=clip, beta1=0.0, beta2=0.1, eps=0.0)
    np.testing.assert_allclose(result.path[:, 0], [0.0, x1, x2, x3], rtol=1e-14)


@pytest.mark.parametrize("name", ["gradient descent", "momentum", "adam", "amsgrad", "adamw", "rmsprop"])
def test_without_schedule_or_projection_it_is_the_runner(name):
    x0 = np.array([[0.7, -0.4], [-1.2, 0.3]])
    hyper = {"alpha": 0.05}
    expected = run(name, sphere_derivative, x0, 40, **hyper)
    result = run_online(name, lambda t, x: sphere_derivative(x), x0, 40, **hyper)
    np.testing.assert_array_equal(result.path, expected.path)
    np.testing.assert_array_equal(result.x, expected.x)


def test_a_constant_schedule_is_the_constant_alpha():
    grad = lambda t, x: sphere_derivative(x)  # noqa: E731
    x0 = np.array([0.7, -0.4])
    a = run_online("adam", grad, x0, 30, alpha=0.05)
    b = run_online("adam", grad, x0, 30, schedule=lambda t: 0.05)
    np.testing.assert_array_equal(a.path, b.path)
    np.testing.assert_array_equal(a.alphas, np.full(30, 0.05))


def test_the_schedule_value_of_step_t_is_used_at_step_t():
    # gradient descent on a constant gradient 1: x_t = x_{t-1} - alpha_t, so x_t = -(1 + 2 + ... + t)
    result = run_online("gradient descent", lambda t, x: np.ones_like(x), np.zeros(1), 5, schedule=lambda t: float(t))
    np.testing.assert_array_equal(result.path[:, 0], [0, -1, -3, -6, -10, -15])


def test_the_projection_comes_after_the_step_and_leaves_the_moments_alone():
    # one step of gradient descent from 0.9 with gradient -1 and alpha 0.5 lands at 1.4, projected to 1
    result = run_online("gradient descent", lambda t, x: -np.ones_like(x), np.array([0.9]), 1, alpha=0.5, project=clip)
    assert result.path[1, 0] == 1.0
    # Adam's v sees the raw gradients whatever the projection does
    result = run_online("adam", lambda t, x: np.full_like(x, 2.0), np.array([0.0]), 3, alpha=10.0, project=clip,
                        keep_state=("v",), beta2=0.5)
    np.testing.assert_allclose(result.states["v"][1:, 0], [2.0, 3.0, 3.5])  # 0.5 v + 0.5 * 4
    np.testing.assert_array_equal(result.path[1:, 0], [-1.0, -1.0, -1.0])


def test_teaching_variant_first_step_is_larger_by_the_bias_factor():
    # without bias correction, step 1 is alpha (1 - beta1) / sqrt(1 - beta2) = alpha * 0.1 / sqrt(0.001)
    result = run_online(ADAM_NO_BIAS_CORRECTION, lambda t, x: np.full_like(x, 0.3), np.zeros(1), 1,
                        alpha=0.01, beta1=0.9, beta2=0.999, eps=0.0)
    np.testing.assert_allclose(result.x, [-0.01 * 0.1 / math.sqrt(0.001)], rtol=1e-13)
    adam = run_online("adam", lambda t, x: np.full_like(x, 0.3), np.zeros(1), 1, alpha=0.01, eps=1e-300)
    np.testing.assert_allclose(adam.x, [-0.01], rtol=1e-13)


def test_the_counterexample_in_brief():
    # C = 3, beta1 = 0, beta2 = 1/(1 + C^2), alpha_t = 0.5 / sqrt(t): Adam goes to +1, AMSGrad to -1
    kwargs = dict(schedule=lambda t: 0.5 / np.sqrt(t), project=clip, beta1=0.0, beta2=BETA2, keep_path=False)
    x0 = np.array([[-1.0], [0.0], [1.0]])
    adam = run_online("adam", counterexample_gradient, x0, 3000, **kwargs)
    amsgrad = run_online("amsgrad", counterexample_gradient, x0, 3000, **kwargs)
    assert adam.path is None
    assert np.all(adam.x > 0.95) and np.all(amsgrad.x < -0.95)


def test_a_batch_schedule_gives_one_step_size_per_run():
    alphas = np.array([[0.1], [0.2]])
    result = run_online("gradient descent", lambda t, x: np.ones_like(x), np.zeros((2, 1)), 3,
                        schedule=lambda t: alphas / t)
    np.testing.assert_allclose(result.x[:, 0], -alphas[:, 0] * (1 + 1 / 2 + 1 / 3))
    assert result.alphas.shape == (3, 2, 1)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(alpha=0.1, schedule=lambda t: 0.1), TypeError, "not both"),
        (dict(schedule=lambda t: 0.0), ValueError, "at step 1"),
        (dict(schedule=lambda t: 0.1 if t < 3 else float("nan")), ValueError, "at step 3"),
        (dict(schedule=lambda t: np.ones(5)), ValueError, "shape (5,)"),
        (dict(schedule=0.1), TypeError, "schedule must be a function"),
        (dict(project="clip"), TypeError, "project must be a function"),
        (dict(keep_state=("u",)), ValueError, "does not have"),
        (dict(keep_state="v"), TypeError, "keep_state"),
        (dict(beta2=1.0), ValueError, "beta2"),
        (dict(gamma=1.0), TypeError, "no hyperparameter 'gamma'"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    with pytest.raises(error, match=None) as info:
        run_online("adam", lambda t, x: np.ones_like(x), np.zeros(2), 5, **kwargs)
    assert words in str(info.value)


def test_a_gradient_of_the_wrong_shape_names_the_step():
    with pytest.raises(ValueError, match="at step 2"):
        run_online("adam", lambda t, x: np.ones(2) if t == 1 else np.ones(3), np.zeros(2), 5)


def test_bad_start_and_counts():
    with pytest.raises(ValueError, match="x0"):
        run_online("adam", lambda t, x: x, np.zeros((2, 2, 2)), 5)
    with pytest.raises(TypeError, match="n_iter"):
        run_online("adam", lambda t, x: x, np.zeros(2), 5.0)
    with pytest.raises(ValueError, match="no step size alpha"):
        no_alpha = OPTIMIZERS["adam"].__class__(
            "none", "none", (), (), lambda x, g, s, t: (x, s), "nobody")
        run_online(no_alpha, lambda t, x: x, np.zeros(2), 5, schedule=lambda t: 0.1)


def test_a_diverging_run_stops_and_says_so_instead_of_returning_nan():
    # gradient descent with alpha = 1.5 on x^2 multiplies x by -2 each step: it overflows near step 1024
    result = run_online("gradient descent", lambda t, x: 2 * x, np.array([1.0]), 2000, alpha=1.5)
    assert result.diverged is True
    assert result.message.startswith("diverged at step ") and "is not finite (nan or inf)" in result.message
    step = int(result.message.split()[3].rstrip(":"))
    assert 1000 < step < 1100 and len(result.path) == step  # the path ends at its last good iterate
    assert np.all(np.isfinite(result.path)) and np.isfinite(result.x).all()


def test_in_a_batch_the_diverging_run_stops_alone():
    scale = np.array([[1.0], [1e200]])  # the second run's gradients are too large to square
    batch = run_online("adam", lambda t, x: scale * 2 * x, np.array([[1.0], [1.0]]), 50, alpha=0.1)
    assert batch.diverged.tolist() == [False, True]
    assert batch.message == "1 of 2 runs diverged (run 1 diverged at step 1: the state v is not finite (nan or inf))"
    alone = run_online("adam", lambda t, x: 2 * x, np.array([1.0]), 50, alpha=0.1)
    np.testing.assert_array_equal(batch.path[:, 0], alone.path)
    assert batch.x[1, 0] == 1.0 and np.all(np.isnan(batch.path[1:, 1]))


def test_a_projection_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"project must return an array of the shape of its argument \(2,\); "
                                         r"at step 1 it returned shape \(1,\)"):
        run_online("adam", lambda t, x: x, np.array([0.5, 0.5]), 3, project=lambda x: x[:1])
