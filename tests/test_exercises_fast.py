"""The checks of "Make Adam fast" reject the typical wrong answers and accept right ones."""

import numpy as np
import pytest

from exercises_fast import (
    check_bytes_per_parameter,
    check_ema_inplace,
    check_step_time_at_rate,
    check_reordering_fraction,
    reordering_fraction,
)


# --------------------------------------------------------------------------
# Bytes per parameter: 4 arrays read + 3 written, 8 bytes each (counted by hand)
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "wrong, words",
    [
        (32, "reads"),
        (40, "m and v"),
        (24, "writes"),
        (48, "g is read"),
        (64, "never written"),
        (7, "8 bytes"),
        (28, "8 bytes each"),
        (100, "list the arrays"),
        (None, "no answer"),
        ("56", "expected a number"),
    ],
)
def test_bytes_wrong_answers(capsys, wrong, words):
    assert not check_bytes_per_parameter(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗") and words in out


@pytest.mark.parametrize("right", [56, 56.0, np.int64(56), (4 + 3) * 8])
def test_bytes_right_answer(capsys, right):
    assert check_bytes_per_parameter(right)
    assert capsys.readouterr().out.startswith("✓")


# --------------------------------------------------------------------------
# In-place moving average
# --------------------------------------------------------------------------
def ema_right(m, g, beta, scratch):
    np.multiply(m, beta, out=m)
    np.multiply(g, 1.0 - beta, out=scratch)
    np.add(m, scratch, out=m)


def ema_right_returning_m(m, g, beta, scratch):
    ema_right(m, g, beta, scratch)
    return m


def ema_new_array(m, g, beta, scratch):
    return beta * m + (1.0 - beta) * g


def ema_slice_assign(m, g, beta, scratch):
    m[:] = beta * m + (1.0 - beta) * g  # right values, in m, but two temporaries


def ema_augmented(m, g, beta, scratch):
    m *= beta
    m += (1.0 - beta) * g  # one temporary


def ema_clobbers_g(m, g, beta, scratch):
    np.multiply(m, beta, out=m)
    np.multiply(g, 1.0 - beta, out=g)
    np.add(m, g, out=m)


def ema_swapped_weights(m, g, beta, scratch):
    np.multiply(m, 1.0 - beta, out=m)
    np.multiply(g, beta, out=scratch)
    np.add(m, scratch, out=m)


def ema_rebinds(m, g, beta, scratch):
    m = beta * m + (1.0 - beta) * g  # a new local name; the caller's m is untouched  # noqa: F841


def ema_stub(m, g, beta, scratch):
    raise NotImplementedError


def ema_crashes(m, g, beta, scratch):
    np.add(m, g, out=scratch[:10])


@pytest.mark.parametrize(
    "candidate, words",
    [
        (ema_new_array, "returned a new array"),
        (ema_slice_assign, "allocated"),
        (ema_augmented, "allocated"),
        (ema_clobbers_g, "changed g"),
        (ema_swapped_weights, "wrong values"),
        (ema_rebinds, "m is unchanged"),
        (ema_stub, "not written yet"),
        (ema_crashes, "raised ValueError"),
    ],
)
def test_ema_wrong_answers(capsys, candidate, words):
    assert not check_ema_inplace(candidate)
    out = capsys.readouterr().out
    assert out.startswith("✗") and words in out, out


@pytest.mark.parametrize("candidate", [ema_right, ema_right_returning_m])
def test_ema_right_answers(capsys, candidate):
    assert check_ema_inplace(candidate)
    assert capsys.readouterr().out.startswith("✓")


def test_ema_check_leaves_tracemalloc_as_it_found_it():
    import tracemalloc

    assert not tracemalloc.is_tracing()
    check_ema_inplace(ema_right)
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        check_ema_inplace(ema_right)
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


def test_ema_rejects_a_non_function():
    with pytest.raises(TypeError, match="ema_inplace must be a function"):
        check_ema_inplace(3)


# --------------------------------------------------------------------------
# Dividing by c versus multiplying by 1 / c
# --------------------------------------------------------------------------
def literal_fraction():
    """The fraction computed with Python floats, one value at a time."""
    values = np.random.default_rng(0).uniform(1.0, 2.0, 10_000)
    c = 1.0 - 0.9**3
    return sum(1 for m in values.tolist() if m / c != m * (1.0 / c)) / 10_000


def test_the_fraction_is_strictly_between_zero_and_one():
    p = literal_fraction()
    assert p == reordering_fraction()
    assert 0.05 < p < 0.95  # neither a "never" nor an "always": a guess of 0 or 1 fails


@pytest.mark.parametrize(
    "wrong, words",
    [
        (0, "not always equal"),
        (1, "mean of the != mask"),
        (0.5, "mean of the != mask"),
        ("one in three", "expected a number"),
        (None, "no answer"),
    ],
)
def test_fraction_wrong_answers(capsys, wrong, words):
    assert not check_reordering_fraction(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗") and words in out, out


def test_fraction_derived_wrong_answers(capsys):
    p = literal_fraction()
    for wrong, words in ((1 - p, "agree"), (p * 10_000, "count"), (100 * p, "percentage")):
        assert not check_reordering_fraction(wrong)
        assert words in capsys.readouterr().out


def test_fraction_right_answer(capsys):
    assert check_reordering_fraction(literal_fraction())
    assert capsys.readouterr().out.startswith("✓")


# --------------------------------------------------------------------------
# One step's time at the yardstick rate: 56 bytes x 1e7 parameters at 20 GB/s = 0.028 s (by hand)
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "wrong, words",
    [
        (0.008, "a copy"),
        (0.016, "reads only"),
        (0.0035, "bytes"),
        (28.0, "milliseconds"),
        (1 / 0.028, "steps per second"),
        (0.28, "time = bytes moved"),
        (None, "no answer"),
    ],
)
def test_step_time_wrong_answers(capsys, wrong, words):
    assert not check_step_time_at_rate(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗") and words in out, out


def test_step_time_right_answer(capsys):
    assert check_step_time_at_rate(0.028)
    assert check_step_time_at_rate(56 * 10_000_000 / 20e9)
    assert "✓" in capsys.readouterr().out
