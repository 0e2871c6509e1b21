"""The one runner: batches, divergence run by run, paths kept or not, memory, errors."""

import numpy as np
import pytest

from objectives import OBJECTIVES, sphere, sphere_derivative
from optimizers import OPTIMIZERS
from runner import path_memory_limit, run

X0 = np.array([0.5, 0.5])


def test_one_diverging_run_in_a_batch_stops_alone():
    # gradient descent on x^2 + y^2 multiplies x by (1 - 2 alpha) each step:
    # alpha = 1.5 gives a factor -2, so |x| = 0.5 * 2^t passes 1e10 at t = 35
    batch = run("gradient descent", sphere_derivative, np.array([X0, X0]), 40, objective=sphere,
                alpha=np.array([[0.1], [1.5]]))
    np.testing.assert_array_equal(batch.diverged, [False, True])
    np.testing.assert_array_equal(batch.n_steps, [40, 34])
    assert batch.messages[1] == "diverged at step 35: |x| = 1.72e+10 exceeds max_norm = 1e+10"
    assert batch.messages[0] == "finished 40 steps"
    assert "1 of 2 runs diverged (run 1 diverged at step 35" in batch.message
    # the run that converges is exactly the run made alone
    alone = run("gradient descent", sphere_derivative, X0, 40, objective=sphere, alpha=0.1)
    np.testing.assert_array_equal(batch.path[:, 0], alone.path)
    np.testing.assert_array_equal(batch.scores[:, 0], alone.scores)
    # the diverged run keeps its last good iterate; its path is nan after that
    np.testing.assert_array_equal(batch.x[1], 0.5 * (-2.0) ** 34 * np.ones(2))
    assert np.all(np.isnan(batch.path[35:, 1])) and np.all(np.isfinite(batch.path[:35, 1]))
    one = batch.run(1)
    assert one.diverged and one.n_steps == 34 and one.path.shape == (35, 2)
    np.testing.assert_array_equal(one.path[-1], batch.x[1])


def test_diverging_alone_the_run_stops_and_says_why():
    result = run("gradient descent", sphere_derivative, X0, 40, objective=sphere, alpha=1.5)
    assert result.diverged and result.n_steps == 34 and result.path.shape == (35, 2)
    assert result.message == "diverged at step 35: |x| = 1.72e+10 exceeds max_norm = 1e+10"


@pytest.mark.parametrize(
    "derivative, objective, reason",
    [
        (lambda x: np.where(x < 0.4, np.nan, 2 * x), sphere, "the gradient is not finite"),
        (sphere_derivative, lambda x: np.where(np.sum(x, -1) < 0.9, np.inf, sphere(x)), "the objective is not finite"),
        (lambda x: np.where(x < 0.3, np.inf, 2 * x), None, "the gradient is not finite"),
    ],
)
def test_every_kind_of_divergence_is_named(derivative, objective, reason):
    result = run("adam", derivative, X0, 50, objective=objective, alpha=0.05)
    assert result.diverged and reason in result.message
    step = int(result.message.split("step ")[1].split(":")[0])
    assert result.n_steps == step - 1 and len(result.path) == step


def test_no_warning_escapes_from_an_overflowing_batch():
    # pytest.ini turns warnings into errors: overflow inside the run must not warn
    batch = run("gradient descent", lambda x: x**3, np.array([[1.0, 1.0], [1e3, 1e3]]), 20,
                objective=lambda x: np.sum(x**4, -1), alpha=0.5)
    np.testing.assert_array_equal(batch.diverged, [False, True])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_batch_equals_its_runs_made_one_by_one(name):
    problem = OBJECTIVES["rosenbrock"]
    starts = np.array([[-1.5, 2.0], [0.0, 0.0], [1.2, -0.5]])
    hyper = {"alpha": np.array([[0.001], [0.003], [0.01]])}
    batch = run(name, problem.gradient, starts, 50, objective=problem.f, **hyper)
    for i in range(3):
        alone = run(name, problem.gradient, starts[i], 50, objective=problem.f, alpha=float(hyper["alpha"][i, 0]))
        one = batch.run(i)
        np.testing.assert_allclose(one.path, alone.path, rtol=1e-13, atol=1e-16)
        assert one.diverged == alone.diverged and one.message == alone.message


def test_keep_path_false_keeps_only_the_final_state_and_the_same_numbers():
    starts = np.random.default_rng(0).uniform(-1, 1, size=(100, 2))
    alphas = np.geomspace(0.001, 2.0, 100)[:, None]
    full = run("adam", sphere_derivative, starts, 200, objective=sphere, alpha=alphas, tol=1e-6)
    light = run("adam", sphere_derivative, starts, 200, objective=sphere, alpha=alphas, tol=1e-6, keep_path=False)
    assert light.path is None and light.scores is None
    np.testing.assert_array_equal(light.x, full.x)
    np.testing.assert_array_equal(light.score, full.score)
    np.testing.assert_array_equal(light.steps_to_tol, full.steps_to_tol)
    # steps_to_tol, recomputed from the kept scores
    below = full.scores <= 1e-6
    expected = np.where(below.any(axis=0), below.argmax(axis=0), -1)
    np.testing.assert_array_equal(full.steps_to_tol, expected)
    assert (expected > 0).sum() > 10 and (expected == -1).sum() > 10  # both kinds present


def test_a_path_too_large_for_memory_is_refused_before_running():
    with pytest.raises(ValueError, match=r"keeping the path of 1000000000 steps .* pass keep_path=False"):
        run("adam", sphere_derivative, X0, 10**9)
    assert path_memory_limit() > 2**20


def test_steps_to_tol_is_zero_when_the_start_is_already_below():
    result = run("adam", sphere_derivative, np.zeros(2), 3, objective=sphere, tol=0.0)
    assert result.steps_to_tol == 0


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"x0": np.zeros((2, 2, 2))}, ValueError, r"x0 must be one point of shape \(d,\) or a batch"),
        ({"x0": np.zeros(0)}, ValueError, r"x0 must be one point of shape \(d,\) or a batch"),
        ({"optimizer": "adamm"}, ValueError, r"unknown optimizer 'adamm'"),
        ({"mu": 0.9}, TypeError, r"Adam has no hyperparameter 'mu'"),
        ({"beta1": 1.0}, ValueError, r"beta1 must be < 1.0"),
        ({"tol": 1e-3, "objective": None}, ValueError, r"tol needs an objective"),
        ({"keep_path": 1}, TypeError, r"keep_path and verbose must be True or False"),
        ({"objective": lambda x: np.zeros(3)}, ValueError, r"objective must return one number per run, shape \(\)"),
        ({"derivative": lambda x: np.zeros(3)}, ValueError, r"derivative must return an array of the shape of x \(2,\)"),
        ({"x0": np.zeros((0, 2))}, ValueError, r"x0 must be one point of shape \(d,\) or a batch"),
        ({"derivative": lambda x: None}, TypeError, r"derivative returned None at step 1; .* return statement missing"),
        ({"objective": lambda x: None}, TypeError, r"objective returned None at the start; .* return statement missing"),
        ({"derivative": lambda x: "2x"}, TypeError, r"derivative must return real numbers, returned str at step 1"),
        ({"derivative": lambda x: 2j * x}, TypeError, r"derivative returned complex numbers at step 1"),
        ({"objective": lambda x: np.log(x.sum() - 5.0)}, ValueError, r"objective\(x0\) must be finite, got nan"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, error, message):
    args = dict(optimizer="adam", derivative=sphere_derivative, x0=X0, n_iter=5, objective=sphere)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        run(**args)


def test_a_derivative_that_changes_its_argument_is_stopped_before_it_corrupts_the_path():
    def doubles_in_place(x):
        x *= 2  # the learner's slip: this would move the iterate itself
        return x

    with pytest.raises(ValueError, match=r"derivative must not change its argument x .* instead of changing x in place"):
        run("gradient descent", doubles_in_place, X0, 3, alpha=0.1)
    with pytest.raises(ValueError, match=r"derivative must not change its argument x"):  # the in-place fast path too
        run("adam", doubles_in_place, np.ones((4096, 2)), 3)


def test_a_stopped_run_does_not_change_the_runs_that_go_on():
    # gradient descent: alpha = 1.5 and 2.0 multiply x by -2 and -3 each step, and diverge
    alphas = np.array([[0.1], [1.5], [0.3], [2.0]])
    batch = run("gradient descent", sphere_derivative, np.tile(X0, (4, 1)), 60, objective=sphere, alpha=alphas)
    np.testing.assert_array_equal(batch.diverged, [False, True, False, True])
    for i in (0, 2):
        alone = run("gradient descent", sphere_derivative, X0, 60, objective=sphere, alpha=float(alphas[i, 0]))
        np.testing.assert_array_equal(batch.path[:, i], alone.path)
    # Adam on 4 x 2048 runs (in place): the gradients of the odd blocks are 1e200 times too large,
    # so v overflows at step 1; the even blocks must go on exactly as a run made alone
    size = 2048
    scale = np.repeat([[1.0], [1e200], [1.0], [1e200]], size, axis=0)
    x0 = np.tile(X0, (4 * size, 1))
    batch = run("adam", lambda x: scale * 2 * x, x0, 60, objective=sphere, keep_path=False, alpha=0.05)
    assert not batch.diverged[::2 * size].any() and batch.diverged[size::2 * size].all()
    assert batch.messages[size] == ("diverged at step 1: the optimizer's state is not finite "
                                    "(a gradient too large to square, for instance)")
    alone = run("adam", sphere_derivative, X0, 60, objective=sphere, alpha=0.05)
    np.testing.assert_array_equal(batch.x[0], alone.x)
    np.testing.assert_array_equal(batch.x[2 * size], alone.x)
    np.testing.assert_array_equal(batch.x[size], X0)  # the stopped run keeps its start


def test_verbose_batch_reports_each_diverged_run(capsys):
    run("gradient descent", sphere_derivative, np.array([X0, X0, X0]), 40, alpha=np.array([[0.1], [1.5], [2.0]]),
        verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "run 2 diverged at step 22: |x| = 1.57e+10 exceeds max_norm = 1e+10; it stopped there.",
        "run 1 diverged at step 35: |x| = 1.72e+10 exceeds max_norm = 1e+10; it stopped there.",
    ]


def test_an_overflowing_state_is_reported_as_divergence():
    # the gradient is finite, but its square overflows: Adam's v becomes inf and x would stall
    result = run("adam", lambda x: np.full_like(x, 1e200), X0, 10, objective=sphere, alpha=0.1)
    assert result.diverged and result.n_steps == 0
    assert result.message == (
        "diverged at step 1: the optimizer's state is not finite (a gradient too large to square, for instance)"
    )


@pytest.mark.parametrize("with_divergence", [False, True])
def test_the_in_place_fast_path_gives_the_same_runs_to_the_last_bit(monkeypatch, with_divergence):
    import runner

    rng = np.random.default_rng(5)
    starts = rng.uniform(-2, 2, size=(3000, 2))
    alphas = rng.choice([0.01, 0.05, 0.2], size=(3000, 1))
    if with_divergence:
        alphas[::7] = 0.5  # Adam steps about alpha: these runs pass max_norm = 10 within 80 steps
    problem = OBJECTIVES["rosenbrock"]
    # uphill on x^2 + y^2 when diverging: every run moves outward, by about alpha a step
    derivative = (lambda x: -2 * x) if with_divergence else problem.gradient
    objective = (lambda x: -np.sum(x**2, axis=-1)) if with_divergence else problem.f
    assert starts.size >= runner.FAST_PATH_SIZE
    fast = run("adam", derivative, starts, 80, objective=objective, alpha=alphas, beta1=0.8, max_norm=10)
    monkeypatch.setattr(runner, "FAST_PATH_SIZE", 10**9)  # the pure update, step by step
    pure = run("adam", derivative, starts, 80, objective=objective, alpha=alphas, beta1=0.8, max_norm=10)
    np.testing.assert_array_equal(fast.path, pure.path)
    np.testing.assert_array_equal(fast.scores, pure.scores)
    np.testing.assert_array_equal(fast.x, pure.x)
    np.testing.assert_array_equal(fast.diverged, pure.diverged)
    assert fast.messages == pure.messages
    assert fast.diverged.any() == with_divergence


def test_the_fast_path_keeps_a_large_single_runs_last_good_point():
    import runner

    x0 = np.full(runner.FAST_PATH_SIZE, 2.0)
    # uphill: each coordinate moves outward by about alpha = 0.2 a step and passes 2.5 at step 3
    result = run("adam", lambda x: -4 * x**3, x0, 50, objective=lambda x: -np.sum(x**4), alpha=0.2, max_norm=2.5)
    assert result.diverged and result.message.startswith("diverged at step 3: |x| = 2.6 exceeds max_norm = 2.5")
    assert np.abs(result.x).max() <= 2.5 and len(result.path) == result.n_steps + 1
    np.testing.assert_array_equal(result.path[-1], result.x)
