"""Every graded exercise rejects the mistakes it teaches and accepts a right answer.

The wrong answers are written out literally here, independent of code/adam.py:
each is a mistake a learner makes (or the article made). Right answers are
worked out by hand or with a plain loop.
"""

from math import sqrt

import numpy as np
import pytest

import exercises as ex


# --------------------------------------------------------------------------
# Adam steps, right and wrong, written out literally
# --------------------------------------------------------------------------
def adam_right(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return x - alpha * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_no_eps(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return x - alpha * m_hat / np.sqrt(v_hat), m, v


def adam_eps_in_root(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - alpha * m_hat / np.sqrt(v_hat + eps), m, v


def adam_eps_outside(x, g, m, v, t, alpha, beta1, beta2, eps):  # the misplaced-eps form a reader's comment quotes
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    with np.errstate(divide="ignore", invalid="ignore"):
        return x - (alpha * m_hat / np.sqrt(v_hat) + eps), m, v


def adam_beta_times_t(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1 * t), v / (1 - beta2 * t)
    with np.errstate(invalid="ignore"):
        return x - alpha * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_no_correction(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return x - alpha * m / (np.sqrt(v) + eps), m, v


def adam_swapped(x, g, m, v, t, alpha, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    with np.errstate(invalid="ignore"):
        return x - alpha * v_hat / (np.sqrt(m_hat) + eps), m, v


WRONG_STEPS = [adam_no_eps, adam_eps_in_root, adam_eps_outside, adam_beta_times_t, adam_no_correction, adam_swapped]


def two_steps(step, g, alpha, beta1, beta2, eps):
    """m_hat_2, v_hat_2 and x_2 - x_1 as a learner with this step function would compute them."""
    x, m, v = np.zeros(1), np.zeros(1), np.zeros(1)
    x1, m, v = step(x, np.array([g]), m, v, 1, alpha, beta1, beta2, eps)
    x2, m, v = step(x1, np.array([g]), m, v, 2, alpha, beta1, beta2, eps)
    mistakes = {adam_beta_times_t: 2, adam_no_correction: None}  # how this learner corrects at t = 2
    if step in mistakes and mistakes[step] is None:
        m_hat, v_hat = m[0], v[0]
    elif step in mistakes:
        m_hat, v_hat = m[0] / (1 - beta1 * 2), v[0] / (1 - beta2 * 2)
    else:
        m_hat, v_hat = m[0] / (1 - beta1**2), v[0] / (1 - beta2**2)
    if step is adam_swapped:
        m_hat, v_hat = v_hat, m_hat
    return m_hat, v_hat, (x2 - x1)[0]


# --------------------------------------------------------------------------
# Chapter 1
# --------------------------------------------------------------------------
def test_gd_ex_step():
    assert ex.check_gd_ex_step(lambda x, g, alpha: x - alpha * g)
    assert not ex.check_gd_ex_step(lambda x, g, alpha: x + alpha * g)  # uphill
    assert not ex.check_gd_ex_step(lambda x, g, alpha: x - g)  # forgot alpha
    assert not ex.check_gd_ex_step(lambda x, g, alpha: alpha * g)  # the step, not the point
    assert not ex.check_gd_ex_step(lambda x, g, alpha: None)  # the stub


def test_gd_ex_by_hand():
    # alpha = 0.7: each step multiplies x by 1 - 2 * 0.7 = -0.4, so 1 -> -0.4 -> 0.16 -> -0.064
    assert ex.check_gd_ex_by_hand(-0.064)
    x = 1.0
    for _ in range(3):  # a plain loop of the update rule
        x = x - 0.7 * 2 * x
    assert ex.check_gd_ex_by_hand(x)
    wrong = (
        0.064,  # the sign lost
        0.16,  # two steps
        -0.4,  # one step
        0.3**3,  # derivative x instead of 2x
        2.4**3,  # uphill
        1 - 3 * 1.4,  # the gradient at x_0 used three times
        0.8**3,  # the previous version's alpha = 0.1
        0.64,  # the previous version's answer, x_2 with alpha = 0.1
        None,
    )
    for answer in wrong:
        assert not ex.check_gd_ex_by_hand(answer)


def test_gd_ex_limit():
    # f(x) = 4x^2: f'(x) = 8x, factor 1 - 8 alpha; |1 - 8 alpha| < 1 iff alpha < 1/4; one step at 1/8
    assert ex.check_gd_ex_limit(0.25, 0.125)
    assert ex.check_gd_ex_limit(0.250, 0.125)
    wrong = [
        (1.0, 0.5),  # the list's answers for x^2, copied
        (0.5, 0.25),  # derivative 4x instead of 8x
        (0.125, 0.25),  # swapped
        (0.25, 0.25),
        (0.125, 0.125),
        (0.124, 0.125),  # just below the limit: not the limit
        (None, 0.125),
        (0.25, None),
    ]
    for answer in wrong:
        assert not ex.check_gd_ex_limit(*answer)


def test_gd_ex_stretched():
    # on x^2 + 25 y^2, y is multiplied by 1 - 50 alpha: |1 - 50 alpha| < 1 iff alpha < 0.04
    assert ex.check_gd_ex_stretched(0.04)
    assert ex.check_gd_ex_stretched(0.0400)
    wrong = (
        0.1,  # the stretched bowl x^2 + 10 y^2, worked out in the chapter
        1.0,  # the limit set by x alone
        0.02,  # y in one step
        0.08,  # derivative 25 y instead of 50 y
        0.5,  # x in one step
        0.25,  # the limit on 4x^2, from the previous exercise
        1 / 26,  # the step size that makes x and y shrink equally fast, not the limit
    )
    for answer in wrong:
        assert not ex.check_gd_ex_stretched(answer)


# --------------------------------------------------------------------------
# Chapter 2
# --------------------------------------------------------------------------
def test_adam_ex_correct():
    assert ex.check_adam_ex_correct(lambda moment, beta, t: moment / (1 - beta**t))
    wrong = [
        lambda moment, beta, t: moment / (1 - beta * t),  # beta * t
        lambda moment, beta, t: moment,  # no correction
        lambda moment, beta, t: moment / (1 - beta),  # no power
        lambda moment, beta, t: moment / (1 - beta ** (t - 1)),  # the article's 0-based counter
        lambda moment, beta, t: moment * (1 - beta**t),  # multiplied
    ]
    with np.errstate(divide="ignore"):
        for candidate in wrong:
            assert not ex.check_adam_ex_correct(candidate)


def test_adam_ex_two_steps_right_answer_by_hand():
    # constant g: m_2 = (1 - 0.8^2) g, so m_hat_2 = g; likewise v_hat_2 = g^2;
    # the step is -alpha g / (g + eps) = -alpha / 2 when g = eps.
    assert ex.ADAM_EX_TWO_STEPS["g"] == ex.ADAM_EX_TWO_STEPS["eps"] == 1e-8
    assert ex.check_adam_ex_two_steps(1e-8, 1e-16, -0.01)
    assert ex.check_adam_ex_two_steps(*two_steps(adam_right, **ex.ADAM_EX_TWO_STEPS))


@pytest.mark.parametrize("wrong_step", WRONG_STEPS, ids=lambda f: f.__name__)
def test_adam_ex_two_steps_rejects_each_mistake(wrong_step):
    assert not ex.check_adam_ex_two_steps(*two_steps(wrong_step, **ex.ADAM_EX_TWO_STEPS))


def test_adam_ex_two_steps_rejects_missing_and_tiny_answers():
    assert not ex.check_adam_ex_two_steps(None, None, None)
    assert not ex.check_adam_ex_two_steps(1e-8, 0.0, -0.01)  # v_hat = 0 is not 1e-16


def test_adam_ex_no_correction():
    # beta1 = 0.8, beta2 = 0.99: m_1 / sqrt(v_1) = 0.2 g / (sqrt(0.01) |g|) = 2 sign(g)
    assert ex.ADAM_EX_NO_CORRECTION == {"beta1": 0.8, "beta2": 0.99}
    assert ex.check_adam_ex_no_correction(0.2 / sqrt(0.01))
    assert ex.check_adam_ex_no_correction(2.0)
    wrong = (
        1.0,  # with the correction
        sqrt(0.01) / 0.2,  # inverted
        0.2 / 0.01,  # no square root
        0.2,  # m_1 alone
        0.8 / sqrt(0.99),  # beta for 1 - beta
        0.1 / sqrt(0.001),  # the paper's defaults, printed in the chapter
        0.2 / sqrt(0.001),  # the article's beta2 = 0.999, printed in the chapter
        None,
    )
    for answer in wrong:
        assert not ex.check_adam_ex_no_correction(answer)


def test_adam_ex_alpha_t():
    assert ex.check_adam_ex_alpha_t(sqrt(0.001) / 0.1)
    for wrong in (0.1 / sqrt(0.001), 1.0, 0.001 / 0.1, sqrt(0.999) / 0.9):  # inverted; no root; beta not 1 - beta
        assert not ex.check_adam_ex_alpha_t(wrong)


def test_adam_ex_long_step():
    assert ex.check_adam_ex_long_step([1e-6] * 999 + [1.0])  # a spike after tiny gradients
    assert ex.check_adam_ex_long_step(1.05 ** np.arange(500))  # a steadily growing gradient
    assert not ex.check_adam_ex_long_step([0.5] * 100)  # constant: every step is alpha g / (g + eps) < alpha
    assert not ex.check_adam_ex_long_step([1e-6, 1.0])  # a spike too early: m_hat still shares the weight
    assert not ex.check_adam_ex_long_step([3.0])  # too short
    assert not ex.check_adam_ex_long_step([])
    assert not ex.check_adam_ex_long_step([1.0, np.inf])
    assert not ex.check_adam_ex_long_step([1.0, 1e200])  # its square is not finite
    assert not ex.check_adam_ex_long_step([[1.0, 2.0], [3.0, 4.0]])
    assert not ex.check_adam_ex_long_step("1, 2, 3")
    assert not ex.check_adam_ex_long_step(None)


# --------------------------------------------------------------------------
# Chapter 3
# --------------------------------------------------------------------------
def test_problem_ex_sphere():
    assert ex.check_problem_ex_sphere(lambda p: np.sum(p**2, axis=-1))
    wrong = [
        lambda p: np.sum(p**2),  # sums over everything
        lambda p: p[0] ** 2 + p[1] ** 2,  # indexes the first axis: right for one point only
        lambda p: np.sum(p**2, axis=0),
        lambda p: np.linalg.norm(p, axis=-1),  # not squared
        lambda p: np.sum(p, axis=-1) ** 2,  # square of the sum
    ]
    for candidate in wrong:
        assert not ex.check_problem_ex_sphere(candidate)


def test_problem_ex_gradient():
    angle = np.degrees(np.arctan2(10, 1) - np.arctan2(1, 1))  # by hand: directions (1, 10) and (1, 1)
    assert ex.check_problem_ex_gradient([1.0, 10.0], angle)
    for wrong_gradient in ([1.0, 1.0], [0.5, 5.0], [2.0, 20.0], [10.0, 1.0]):
        assert not ex.check_problem_ex_gradient(wrong_gradient, angle)
    for wrong_angle in (np.radians(angle), np.degrees(np.arctan(10)), 90 - angle, 45.0):
        assert not ex.check_problem_ex_gradient([1.0, 10.0], wrong_angle)


def test_problem_ex_grid():
    assert ex.check_problem_ex_grid(21, 2.0)
    for wrong in [(20, 2.0), (21, 1.0), (21, 4.0), (20, 1.62)]:  # arange's 20 points; an edge; (x + y)^2
        assert not ex.check_problem_ex_grid(*wrong)


# --------------------------------------------------------------------------
# Chapter 4
# --------------------------------------------------------------------------
def test_impl_ex_vectorize_accepts_the_literal_step():
    assert ex.check_impl_ex_vectorize(adam_right)


@pytest.mark.parametrize("wrong_step", WRONG_STEPS, ids=lambda f: f.__name__)
def test_impl_ex_vectorize_rejects_each_mistake(wrong_step):
    assert not ex.check_impl_ex_vectorize(wrong_step)


def test_impl_ex_vectorize_rejects_a_step_that_forgets_to_return_the_moments():
    assert not ex.check_impl_ex_vectorize(lambda *args: adam_right(*args)[0])


def article_start(seed):
    np_state = np.random.get_state()
    np.random.seed(seed)
    start = -1.0 + np.random.rand(2) * 2.0
    np.random.set_state(np_state)
    return start


def test_impl_ex_seed():
    assert ex.check_impl_ex_seed(article_start(7))
    wrong = [
        np.random.default_rng(7).random(2) * 2 - 1,  # the new generator, not the article's
        np.random.RandomState(7).rand(2),  # not mapped onto the bounds
        -1.0 + np.random.RandomState(7).rand(2),  # low + rand * high
        article_start(1),  # the article's own seed
    ]
    for answer in wrong:
        assert not ex.check_impl_ex_seed(answer)


def literal_adam_path(derivative, x0, n_iter, alpha, beta1, beta2, eps):
    x, m, v, path = np.array(x0, dtype=float), 0.0, 0.0, [np.array(x0, dtype=float)]
    for t in range(1, n_iter + 1):
        x, m, v = adam_right(x, derivative(x), m, v, t, alpha, beta1, beta2, eps)
        path.append(x)
    return np.array(path)


def stretched(p):
    return p[0] ** 2 + 10 * p[1] ** 2


def stretched_gradient(p):
    return np.array([2 * p[0], 20 * p[1]])


def test_impl_ex_stretched():
    path = literal_adam_path(stretched_gradient, article_start(1), 60, 0.02, 0.8, 0.999, 1e-8)
    assert ex.check_impl_ex_stretched(stretched(path[-1]))
    sphere_path = literal_adam_path(lambda p: 2 * p, article_start(1), 60, 0.02, 0.8, 0.999, 1e-8)
    wrong = [
        sum(sphere_path[-1] ** 2),  # the sphere's score
        sum(path[-1] ** 2),  # the sphere evaluated on the stretched run
        stretched(path[-2]),  # 59 steps
        stretched(literal_adam_path(stretched_gradient, article_start(1), 60, 0.001, 0.9, 0.999, 1e-8)[-1]),
    ]
    for answer in wrong:
        assert not ex.check_impl_ex_stretched(answer)


def final_scores(alphas, n_iter=60):
    return np.array([sum(literal_adam_path(lambda p: 2 * p, article_start(1), n_iter, a, 0.8, 0.999, 1e-8)[-1] ** 2)
                     for a in alphas])


def test_impl_ex_alpha_grid_and_answer_worked_out_with_literal_runs():
    alphas = ex.IMPL_EX_ALPHA_GRID
    assert np.allclose(alphas, [0.01 * k for k in range(1, 21)])
    finals = final_scores(alphas)
    best = alphas[np.argmin(finals)]
    logs = np.diff(np.log(finals[1:]))
    assert (logs > 0).any() and (logs < 0).any(), "the curve is not monotonic: the right trend is 'jumps'"
    assert ex.check_impl_ex_alpha(finals, best, "jumps up and down")

    worst = alphas[np.argmax(finals[1:]) + 1]
    assert not ex.check_impl_ex_alpha(finals, alphas[-1], "jumps up and down")  # "larger is better"
    assert not ex.check_impl_ex_alpha(finals, 0.02, "jumps up and down")  # the article's choice
    assert not ex.check_impl_ex_alpha(finals, worst, "jumps up and down")  # argmax for argmin
    assert not ex.check_impl_ex_alpha(finals, best, "falls steadily")
    assert not ex.check_impl_ex_alpha(finals, best, "rises steadily")
    assert not ex.check_impl_ex_alpha(final_scores(alphas, 59), best, "jumps up and down")  # 59 steps
    assert not ex.check_impl_ex_alpha(finals[:-1], best, "jumps up and down")  # a value missing
    assert not ex.check_impl_ex_alpha(None, None, None)


def test_impl_ex_alpha_grades_the_best_alpha_and_the_trend_only_with_the_right_scores(capsys):
    alphas = ex.IMPL_EX_ALPHA_GRID
    finals = final_scores(alphas)
    best = alphas[int(np.argmin(finals))]
    capsys.readouterr()
    # a guessed trend and a copied best alpha, with scores for 59 steps: no verdict on the guesses
    assert not ex.check_impl_ex_alpha(final_scores(alphas, 59), best, "jumps up and down")
    out = capsys.readouterr().out
    assert "checked once the final scores are right" in out and "✓" not in out
    assert ex.check_impl_ex_alpha(finals, best, "jumps up and down")


# --------------------------------------------------------------------------
# Chapter 5
# --------------------------------------------------------------------------
def test_vis_ex_length():
    path = literal_adam_path(lambda p: 2 * p, article_start(1), 60, 0.02, 0.8, 0.999, 1e-8)
    steps = path[1:] - path[:-1]
    length = sum(sqrt(dx * dx + dy * dy) for dx, dy in steps)
    assert ex.check_vis_ex_length(length)
    wrong = [
        sqrt(sum(path[0] ** 2)),  # the straight line to the minimum
        sqrt(sum((path[-1] - path[0]) ** 2)),  # start to end
        float(np.abs(steps).sum()),  # |dx| + |dy|
        60 * 0.02 * sqrt(2),  # 60 diagonal steps of alpha
    ]
    for answer in wrong:
        assert not ex.check_vis_ex_length(answer)


def test_vis_ex_defaults():
    run = literal_adam_path(lambda p: 2 * p, article_start(1), 60, 0.001, 0.9, 0.999, 1e-8)
    assert ex.check_vis_ex_defaults(sum(run[-1] ** 2))
    article = literal_adam_path(lambda p: 2 * p, article_start(1), 60, 0.02, 0.8, 0.999, 1e-8)
    for wrong in (sum(article[-1] ** 2), sum(run[0] ** 2), sum(run[-2] ** 2)):  # article's; start; 59 steps
        assert not ex.check_vis_ex_defaults(wrong)


def test_vis_ex_rosenbrock():
    assert ex.check_vis_ex_rosenbrock({"alpha": 0.07, "beta1": 0.9, "beta2": 0.9})
    wrong = [
        {"alpha": 0.02, "beta1": 0.8, "beta2": 0.999},  # the article's settings
        {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999},  # the paper's defaults
        {"alpha": -0.1},  # cannot run
        {"lr": 0.1},  # not Adam's name
        (0.07, 0.9, 0.9),  # not a dict
        None,
    ]
    for settings in wrong:
        assert not ex.check_vis_ex_rosenbrock(settings)
