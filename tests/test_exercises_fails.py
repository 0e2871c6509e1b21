"""The exercise checks of "See where Adam fails": typical wrong answers get ✗, right ones ✓."""

import math

import numpy as np
import pytest

from exercises_fails import (
    COUNTEREXAMPLE_C,
    FIRST_STEP_BETA1,
    FIRST_STEP_BETA2,
    V_EXERCISE_GRADIENTS,
    WARMUP_ALPHA,
    WARMUP_STEPS,
    check_average_regret,
    check_first_step_factor,
    check_v_after_three,
    check_warmup,
)


def verdict(capsys, check, answer):
    ok = check(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out[:2] in ("✓ ", "✗ ")
    assert bool(ok) == out.startswith("✓ ")
    return bool(ok), out


# --------------------------------------------------------------------------
# 1. v_3 with the chapter's C = 3, beta2 = 1/10, gradients -1, 3, -1
#    (the chapter's table prints the order 3, -1, -1)
# --------------------------------------------------------------------------
# by hand: v1 = 0.9 * 1 = 0.9, v2 = 0.09 + 0.9 * 9 = 8.19, v3 = 0.819 + 0.9 * 1 = 1.719
def test_the_exercise_uses_an_order_the_table_does_not_print():
    assert V_EXERCISE_GRADIENTS == (-1.0, 3.0, -1.0)
    assert COUNTEREXAMPLE_C == 3.0                              # beta2 = 1 / (1 + 9) = 0.1


@pytest.mark.parametrize(
    "answer, words",
    [
        (None, "no answer yet"),
        (1.91, "weight 1 − β₂"),                 # without (1 - beta2): 1 -> 0.1 + 9 = 9.1 -> 0.91 + 1
        (0.991, "other way round"),              # swapped: 0.1 -> 0.09 + 0.9 = 0.99 -> 0.891 + 0.1
        (1.719 / (1 - 0.1**3), "bias-corrected"),  # 1.719 / 0.999 = 1.72072
        (1.7207, "bias-corrected"),              # the same, rounded
        (8.19, "one update short"),              # v2
        (8.19, "AMSGrad"),                       # v2 is also max(v1, v2, v3)
        (1.071, "printed in the table"),         # v3 for 3, -1, -1: 0.9 * 9 = 8.1 -> 0.81 + 0.9 = 1.71 -> 0.171 + 0.9
        (0.9, "three times"),                    # v1
        (1.72, "four significant digits"),       # rounded too coarsely
        ("1.719", "expected one finite number"),
        (float("nan"), "expected one finite number"),
    ],
)
def test_v_wrong_answers(capsys, answer, words):
    ok, out = verdict(capsys, check_v_after_three, answer)
    assert not ok and words in out, out


@pytest.mark.parametrize("answer", [1.719, 0.819 + 0.9, np.float64(1.719), 1.71900])
def test_v_right_answers(capsys, answer):
    assert verdict(capsys, check_v_after_three, answer)[0]


def test_v_for_the_order_of_the_table(capsys):
    """For the table's order 3, -1, -1 the check accepts the table's 1.071 and drops the hint that names it."""
    check = lambda a: check_v_after_three(a, gradients=(3.0, -1.0, -1.0))  # noqa: E731
    assert verdict(capsys, check, 1.071)[0]
    ok, out = verdict(capsys, check, 1.71)                                # v2, one update short
    assert not ok and "one update short" in out
    ok, out = verdict(capsys, check, 8.1)                                 # v1, the largest
    assert not ok and "AMSGrad" in out


# --------------------------------------------------------------------------
# 2. The average regret of a fixed point x: (C - 2)(x + 1) / 3
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "candidate",
    [
        None,
        lambda x, C: (C - 2) * x / 3,             # compared with 0 instead of the best point -1
        lambda x, C: (C - 2) * (x + 1),           # per period, not per step
        lambda x, C: (C - 2) * (1 - x) / 3,       # the wrong best point: +1 favoured
        lambda x, C: (C - 2) * x,                 # the loss of a period, not a regret
        lambda x, C: (C + 2) * (x + 1) / 3,       # the two small losses added with the wrong sign
        lambda x, C: None,
        lambda x, C: 1 / 0,
        "2/3",
    ],
)
def test_regret_wrong_answers(capsys, candidate):
    assert not verdict(capsys, check_average_regret, candidate)[0]


def test_regret_right_answers(capsys):
    assert verdict(capsys, check_average_regret, lambda x, C: (C - 2) * (x + 1) / 3)[0]
    # the same written as the mean of the three losses minus their mean at -1
    assert verdict(capsys, check_average_regret, lambda x, C: (C * x - 2 * x) / 3 - (-C + 2) / 3)[0]


# --------------------------------------------------------------------------
# 3. The first step without bias correction, beta1 = 0.9, beta2 = 0.95:
#    0.1 / sqrt(0.05) = sqrt(0.2) = 0.44721 alpha (by hand: 0.2236 ** 2 = 0.05)
# --------------------------------------------------------------------------
RIGHT_FACTOR = math.sqrt(0.2)


def test_the_exercise_uses_betas_whose_factor_is_not_printed_in_the_chapter():
    assert (FIRST_STEP_BETA1, FIRST_STEP_BETA2) == (0.9, 0.95)
    assert abs(0.1 / math.sqrt(0.05) - RIGHT_FACTOR) < 1e-15


@pytest.mark.parametrize(
    "answer, words",
    [
        (1.0, "with bias correction"),
        (0.1 / 0.05, "square root"),                      # 2.0
        (0.9 / math.sqrt(0.95), "m₀ = v₀ = 0"),           # 0.923
        (math.sqrt(0.05) / 0.1, "not √v₁ / m₁"),          # 2.236
        (2.236, "not √v₁ / m₁"),                          # the same, rounded
        (0.1 / math.sqrt(0.001), "printed above"),        # the default beta2 = 0.999: sqrt(10)
        (3.16, "printed above"),
        (3.1623, "printed above"),
        (0.45, "g₁ cancels"),                             # rounded too coarsely (0.6% off)
        (0.44, "g₁ cancels"),
        (0.1 / math.sqrt(0.95), "g₁ cancels"),            # beta2 in place of 1 - beta2 under the root only
        (None, "no answer yet"),
        ("0.447", "expected one finite number"),
    ],
)
def test_first_step_wrong_answers(capsys, answer, words):
    ok, out = verdict(capsys, check_first_step_factor, answer)
    assert not ok and words in out, out


@pytest.mark.parametrize("answer", [RIGHT_FACTOR, 1 / math.sqrt(5), 0.4472, 0.44721, 0.447, np.float64(0.4472136)])
def test_first_step_right_answers(capsys, answer):
    assert verdict(capsys, check_first_step_factor, answer)[0]


@pytest.mark.parametrize("answer", [3.16, 3.162, 3.1623, math.sqrt(10), 0.1 / 0.001**0.5])
def test_first_step_rounded_answers_pass_for_the_default_betas(capsys, answer):
    """With beta2 = 0.999 the factor is sqrt(10) = 3.16228; four significant digits are enough."""
    assert verdict(capsys, lambda a: check_first_step_factor(a, beta1=0.9, beta2=0.999), answer)[0]


@pytest.mark.parametrize("answer, words", [(1.0, "with bias correction"), (100.0, "square root"),
                                           (3.1, "g₁ cancels"), (math.sqrt(0.001) / 0.1, "not √v₁ / m₁")])
def test_first_step_wrong_answers_for_the_default_betas(capsys, answer, words):
    ok, out = verdict(capsys, lambda a: check_first_step_factor(a, beta1=0.9, beta2=0.999), answer)
    assert not ok and words in out, out


# --------------------------------------------------------------------------
# 4. The warm-up: alpha min(1, t / W), t from 1
# --------------------------------------------------------------------------
A, W = WARMUP_ALPHA, WARMUP_STEPS


@pytest.mark.parametrize(
    "candidate",
    [
        None,
        lambda t: A * min(1, (t - 1) / W),        # off by one: 0 at the first step
        lambda t: A * min(1, (t + 1) / W),        # off by one the other way
        lambda t: A * max(0.0, 1 - t / W),        # ramps to the wrong end (down to 0)
        lambda t: A * max(1 - t / W, 1 / W),      # ramps down, then flat
        lambda t: A * t / W,                      # never stops growing
        lambda t: min(1, t / W),                  # forgot alpha
        lambda t: A,                              # no warm-up
        lambda t: A * min(1, t / (W + 1)),        # ramp one step too long
    ],
)
def test_warmup_wrong_answers(capsys, candidate):
    assert not verdict(capsys, check_warmup, candidate)[0]


def test_warmup_right_answers(capsys):
    assert verdict(capsys, check_warmup, lambda t: A * min(1.0, t / W))[0]
    assert verdict(capsys, check_warmup, lambda t: A * t / W if t < W else A)[0]
    # by hand: alpha_1 = 0.01 / 20 = 0.0005, alpha_20 = 0.01
    assert verdict(capsys, check_warmup, lambda t: 0.0005 * t if t <= 20 else 0.01)[0]
