"""The checks of "Meet Adam's family" catch the mistakes they teach, and pass a right answer.

Expected values are derived by hand here (a literal transcription of the
equations, or arithmetic), never taken from the code under test.
"""

import math

import numpy as np
import pytest

import exercises_family as ex


# ---------------------------------------------------------------- momentum
def right_momentum(x, g, b, alpha, mu):
    new_b = mu * b + g  # b_t = mu b_{t-1} + g_t
    return x - alpha * new_b, new_b


def forgot_mu(x, g, b, alpha, mu):
    new_b = b + g
    return x - alpha * new_b, new_b


def alpha_inside_b(x, g, b, alpha, mu):
    new_b = mu * b + alpha * g
    return x - new_b, new_b


def old_b_in_step(x, g, b, alpha, mu):
    return x - alpha * b, mu * b + g


def only_x(x, g, b, alpha, mu):
    return x - alpha * (mu * b + g)


def mutates_b(x, g, b, alpha, mu):
    b *= mu
    b += g
    return x - alpha * b, b


def stub(x, g, b, alpha, mu):
    return None


def not_written(x, g, b, alpha, mu):
    raise NotImplementedError


def placeholders(x, g, b, alpha, mu):
    new_b = ...
    new_x = ...
    return new_x, new_b


def half_written(x, g, b, alpha, mu):
    return x - alpha * (mu * b + g), ...


@pytest.mark.parametrize("wrong", [forgot_mu, alpha_inside_b, old_b_in_step, only_x, stub, not_written, placeholders, half_written])
def test_momentum_check_rejects_the_typical_mistakes(wrong, capsys):
    assert not ex.check_momentum(wrong)
    assert capsys.readouterr().out.startswith("✗")


def test_momentum_check_says_a_stub_is_not_written_yet(capsys):
    assert not ex.check_momentum(placeholders)
    assert "not written yet" in capsys.readouterr().out


def test_momentum_check_accepts_a_right_step_and_an_in_place_one(capsys):
    assert ex.check_momentum(right_momentum)
    assert ex.check_momentum(mutates_b)  # the check passes copies, so in-place updates are fine
    assert capsys.readouterr().out.count("✓") == 2


@pytest.mark.parametrize("wrong, words", [(forgot_mu, "mu b_{t-1}"), (alpha_inside_b, "alpha multiplies b only"),
                                          (old_b_in_step, "new b")])
def test_momentum_hints_name_the_mistake(wrong, words, capsys):
    ex.check_momentum(wrong)
    assert words in capsys.readouterr().out


def test_each_momentum_mistake_differs_from_the_right_step_on_some_case():
    for name, (wrong, _) in ex.MOMENTUM_MISTAKES.items():
        differs = [
            not all(np.allclose(a, b) for a, b in zip(wrong(*case), right_momentum(*case)))
            for case in ex.MOMENTUM_CASES
        ]
        assert any(differs), name


def test_momentum_reference_matches_the_hand_step():
    x, g, b = np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([2.0, -1.0])
    new_x, new_b = ex.momentum_reference(x, g, b, 0.1, 0.9)
    # b = 0.9 * (2, -1) + (0.5, 4) = (2.3, 3.1); x = (1, -2) - 0.1 * (2.3, 3.1)
    np.testing.assert_allclose(new_b, [2.3, 3.1])
    np.testing.assert_allclose(new_x, [0.77, -2.31])


# ---------------------------------------------------------------- AdaGrad
def test_adagrad_step_four_is_half_alpha_by_hand():
    # G_4 = 4 * 3² = 36, step = 0.1 * 3 / 6 = 0.05 (eps = 1e-10 is negligible)
    assert ex.adagrad_step_length(3.0, 0.1, 4) == pytest.approx(0.05, rel=1e-9)
    assert ex.adagrad_step_length(2.0, 0.3, 9) == pytest.approx(0.1, rel=1e-9)  # alpha / sqrt(9)


@pytest.mark.parametrize(
    "wrong",
    [0.1 * 3 / 36, 0.1 / 4, 0.1 * 3 / math.sqrt(12), 0.1, 0.1 / math.sqrt(3), 0.3, 0.025, None, "0.05 m", -0.05],
)
def test_adagrad_check_rejects_typical_wrong_answers(wrong, capsys):
    assert not ex.check_adagrad_step(wrong)
    assert capsys.readouterr().out.startswith("✗")


def test_adagrad_check_accepts_half_alpha(capsys):
    assert ex.check_adagrad_step(0.05)
    assert ex.check_adagrad_step(0.1 * 3 / math.sqrt(4 * 9))
    assert capsys.readouterr().out.count("✓") == 2


def test_adagrad_hint_names_the_missing_square_root(capsys):
    ex.check_adagrad_step(0.1 / 4)
    assert "square root" in capsys.readouterr().out


# ---------------------------------------------------------------- state counts
RIGHT_COUNTS = {  # from the update equations: arrays carried from step t-1 to step t, x excluded
    "gradient descent": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1,
    "adam": 2, "adamax": 2, "amsgrad": 3, "adamw": 2,
}


def with_changes(**changes):
    answer = dict(RIGHT_COUNTS)
    answer.update({k.replace("_", " "): v for k, v in changes.items()})
    return answer


@pytest.mark.parametrize(
    "wrong",
    [
        with_changes(amsgrad=2),  # forgot v_max
        with_changes(adamw=3),  # thought the decay needs a state
        with_changes(gradient_descent=1),  # counted x
        with_changes(nesterov=2),  # thought the look-ahead needs a second array
        {name: count + 1 for name, count in RIGHT_COUNTS.items()},  # counted x everywhere
        {name: 2 for name in RIGHT_COUNTS},
        {k: v for k, v in RIGHT_COUNTS.items() if k != "adamw"},
        with_changes(adam=2.0),
        with_changes(adam=None),
        None,
        [0, 1, 1, 1, 1, 2, 2, 3, 2],
    ],
)
def test_state_count_check_rejects_wrong_answers(wrong, capsys):
    assert not ex.check_state_counts(wrong)
    assert capsys.readouterr().out.startswith("✗")


def test_state_count_check_accepts_the_right_counts(capsys):
    assert ex.check_state_counts(dict(RIGHT_COUNTS))
    assert capsys.readouterr().out.startswith("✓")


# ---------------------------------------------------------------- bias factor
def test_bias_factor_by_hand():
    # m_1 = 0.1 g, v_1 = 0.001 g²: m_1 / sqrt(v_1) = 0.1 / sqrt(0.001) = sqrt(10) against 1 corrected
    assert ex.bias_factor() == pytest.approx(math.sqrt(10), rel=1e-12)
    assert ex.bias_factor(0.5, 0.75) == pytest.approx(0.5 / 0.5, rel=1e-12)


# The exercise asks for beta1 = 0.95, beta2 = 0.999 (the page prints the factor for the defaults, sqrt(10)):
# m_1 = 0.05 g, v_1 = 0.001 g², so m_1 / sqrt(v_1) = 0.05 / sqrt(0.001) = sqrt(2.5) against 1 corrected.
RIGHT_FACTOR = 0.05 / math.sqrt(0.001)


def test_the_exercise_setting_is_not_the_printed_one():
    assert (ex.BIAS_BETA1, ex.BIAS_BETA2) == (0.95, 0.999)
    assert RIGHT_FACTOR == pytest.approx(math.sqrt(2.5), rel=1e-12)
    assert ex.bias_factor(0.95, 0.999) == pytest.approx(RIGHT_FACTOR, rel=1e-12)


@pytest.mark.parametrize("wrong", [
    1.0,  # "the correction changes nothing"
    1 / 0.05,  # forgot v_1 is uncorrected too
    1 / math.sqrt(0.001),  # forgot m_1 is uncorrected too
    math.sqrt(0.001) / 0.05,  # the inverse
    0.05 / 0.001,  # no square root on v
    0.95 / math.sqrt(0.999),  # beta for 1 - beta
    math.sqrt(10),  # the defaults' factor, printed on the page
    1.6, 1.5,  # too rounded
    0.0, None, "1.58",
])
def test_bias_factor_check_rejects_typical_wrong_answers(wrong, capsys):
    assert not ex.check_bias_factor(wrong)
    assert capsys.readouterr().out.startswith("✗")


@pytest.mark.parametrize("wrong, words", [(math.sqrt(10), "beta1 = 0.9;"), (1.6, "three significant digits"),
                                          (0.05 / 0.001, "square root"), (math.sqrt(0.001) / 0.05, "inverse")])
def test_bias_factor_hints_name_the_mistake(wrong, words, capsys):
    ex.check_bias_factor(wrong)
    assert words in capsys.readouterr().out


@pytest.mark.parametrize("right", [RIGHT_FACTOR, 1.5811, 1.581, 1.58])
def test_bias_factor_check_accepts_three_significant_digits(right, capsys):
    assert ex.check_bias_factor(right)
    assert capsys.readouterr().out.startswith("✓")


def test_bias_factor_check_keeps_the_defaults_setting_available(capsys):
    # with beta1 = 0.9 the factor is sqrt(10); 3.16 and 3.162 pass at the relative tolerance 1e-3
    assert ex.check_bias_factor(3.16, beta1=0.9) and ex.check_bias_factor(3.162, beta1=0.9)
    assert not ex.check_bias_factor(3.1, beta1=0.9) and not ex.check_bias_factor(10.0, beta1=0.9)
    assert capsys.readouterr().out.count("✓") == 2
