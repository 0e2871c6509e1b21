"""Every bad argument gets a TypeError/ValueError that names it and says what is allowed."""

import numpy as np
import pytest

from adam import adam, adam_step, adam_step_efficient, gradient_descent, gradient_descent_step
from experiment import random_start
from objectives import sphere, sphere_derivative

Z = np.zeros(2)
G = np.ones(2)


def step(**kwargs):
    args = dict(x=Z, g=G, m=Z, v=Z, t=1)
    args.update(kwargs)
    return adam_step(**args)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"alpha": 0.0}, ValueError, r"alpha must be > 0.0, got 0.0"),
        ({"alpha": -0.1}, ValueError, r"alpha must be > 0.0, got -0.1"),
        ({"alpha": "0.1"}, TypeError, r"alpha must be a real number or an array of real numbers, got str '0.1'"),
        ({"alpha": True}, TypeError, r"alpha must be .* got the boolean True"),
        ({"alpha": float("nan")}, ValueError, r"alpha must be finite, got nan"),
        ({"beta1": 1.0}, ValueError, r"beta1 must be < 1.0, got 1.0"),
        ({"beta1": -0.1}, ValueError, r"beta1 must be >= 0.0, got -0.1"),
        ({"beta2": 1.0}, ValueError, r"beta2 must be < 1.0, got 1.0"),
        ({"beta2": 1.5}, ValueError, r"beta2 must be < 1.0, got 1.5"),
        ({"beta2": -1e-9}, ValueError, r"beta2 must be >= 0.0"),
        ({"eps": 0.0}, ValueError, r"eps must be > 0.0, got 0.0"),
        ({"eps": -1e-8}, ValueError, r"eps must be > 0.0, got -1e-08"),
        ({"eps": np.array([1e-8, 1e-8, 1e-8])}, ValueError, r"eps of shape \(3,\) must broadcast against x of shape \(2,\)"),
        ({"t": 0}, ValueError, r"t must be an integer >= 1, got 0"),
        ({"t": 1.0}, TypeError, r"t must be an integer >= 1, got float 1.0"),
        ({"t": True}, TypeError, r"t must be an integer >= 1, got bool"),
        ({"g": np.ones(3)}, ValueError, r"g must have the same shape as x \(2,\), got shape \(3,\)"),
        ({"m": np.zeros((2, 1))}, ValueError, r"m must have the same shape as x \(2,\), got shape \(2, 1\)"),
        ({"v": np.zeros(1)}, ValueError, r"v must have the same shape as x \(2,\), got shape \(1,\)"),
        ({"v": -np.ones(2)}, ValueError, r"v is an average of squared gradients and must be >= 0"),
        ({"x": np.array([np.nan, 0.0])}, ValueError, r"x must contain only finite numbers \(no nan or inf\)"),
        ({"g": np.array([np.inf, 0.0])}, ValueError, r"g must contain only finite numbers \(no nan or inf\)"),
        ({"x": np.array(["a", "b"])}, TypeError, r"x must be a real number or array of real numbers, got dtype <U1"),
        ({"alpha": np.ones(3)}, ValueError, r"alpha of shape \(3,\) must broadcast against x of shape \(2,\)"),
        ({"beta1": np.full((4, 1), 0.9)}, ValueError, r"beta1 of shape \(4, 1\) must broadcast against x"),
    ],
)
def test_adam_step_rejects(kwargs, error, message):
    with pytest.raises(error, match=message):
        step(**kwargs)


def test_efficient_step_names_eps_hat():
    with pytest.raises(ValueError, match=r"eps_hat must be > 0.0, got 0.0"):
        adam_step_efficient(Z, G, Z, Z, 1, eps_hat=0.0)


def test_gradient_descent_step_checks_shapes_and_alpha():
    with pytest.raises(ValueError, match=r"g must have the same shape as x"):
        gradient_descent_step(Z, np.ones(3), 0.1)
    with pytest.raises(ValueError, match=r"alpha must be > 0.0"):
        gradient_descent_step(Z, G, 0)


@pytest.mark.parametrize("runner", [adam, gradient_descent])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_iter": -1}, ValueError, r"n_iter must be an integer >= 0, got -1"),
        ({"n_iter": 10.0}, TypeError, r"n_iter must be an integer >= 0, got float 10.0"),
        ({"x0": np.array([np.nan, 1.0])}, ValueError, r"x0 must contain only finite numbers"),
        ({"x0": "start"}, TypeError, r"x0 must be a real number or array of real numbers"),
        ({"derivative": "2x"}, TypeError, r"derivative must be a function, got str"),
        ({"objective": 3}, TypeError, r"objective must be a function, got int"),
        ({"max_norm": 0}, ValueError, r"max_norm must be > 0.0, got 0"),
        ({"alpha": 0}, ValueError, r"alpha must be > 0.0, got 0"),
    ],
)
def test_runners_reject(runner, kwargs, error, message):
    args = dict(derivative=sphere_derivative, x0=np.array([0.5, 0.5]), n_iter=5, alpha=0.1, objective=sphere)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        runner(**args)


@pytest.mark.parametrize(
    "bounds, message",
    [
        (np.array([-1.0, 1.0]), r"bounds must have shape \(d, 2\), one \[low, high\] row per variable, got shape \(2,\)"),
        (np.array([[-1.0, 1.0, 0.0]]), r"bounds must have shape \(d, 2\).*got shape \(1, 3\)"),
        (np.array([[1.0, -1.0], [-1.0, 1.0]]), r"bounds must have low < high on every row; rows \[0\] do not"),
        (np.array([[0.0, 0.0]]), r"bounds must have low < high on every row; rows \[0\] do not"),
    ],
)
def test_random_start_checks_bounds(bounds, message):
    with pytest.raises(ValueError, match=message):
        random_start(bounds, 1)


def test_random_start_checks_seed():
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0, got -1"):
        random_start(seed=-1)
    with pytest.raises(TypeError, match=r"seed must be an integer >= 0, got str"):
        random_start(seed="1")


def test_objectives_check_their_points():
    from objectives import rosenbrock, stretched_bowl

    with pytest.raises(ValueError, match=r"p must hold 2 coordinates \(x, y\) on its last axis, got shape \(3,\)"):
        stretched_bowl(np.zeros(3))
    with pytest.raises(ValueError, match=r"p must hold coordinates on its last axis, got a scalar"):
        sphere(1.0)
    with pytest.raises(TypeError, match=r"p must be a real number or array of real numbers"):
        rosenbrock(np.array(["x", "y"]))
