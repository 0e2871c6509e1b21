"""Checks for the exercises of the chapter "Make Adam fast".

Each check prints one ✓/✗ line (see :mod:`checks`) and returns a
:class:`checks.Verdict`; none of them times anything, so a check gives the
same verdict on a fast machine and on a slow one.
"""

from __future__ import annotations

import numbers
import tracemalloc
from typing import Any, Callable

import numpy as np

from checks import Verdict, check_number, say
from validation import check_callable

__all__ = [
    "BYTES_PER_PARAMETER",
    "check_bytes_per_parameter",
    "check_ema_inplace",
    "check_reordering_fraction",
    "check_step_time_at_rate",
    "reordering_fraction",
]

#: An Adam step reads x, g, m, v and writes x, m, v: seven float64 arrays.
BYTES_PER_PARAMETER = 7 * 8

_BYTES_HINTS = {
    32: "you counted the reads (x, g, m, v); the step also writes x, m and v back",
    24: "you counted the writes (x, m, v); the step first reads x, g, m and v",
    40: "x is not the only array written: m and v are updated too",
    48: "g is read too: the gradient comes from memory",
    64: "g is only read, never written",
    7: "that is the number of array accesses; each float64 is 8 bytes",
    4: "count bytes, not arrays, and count the writes too",
    3: "count bytes, not arrays, and count the reads too",
    28: "float64 numbers take 8 bytes each, not 4",
}


def _is_number(answer: Any) -> bool:
    return isinstance(answer, (numbers.Real, np.floating, np.integer)) and not isinstance(answer, (bool, np.bool_))


def check_bytes_per_parameter(answer: Any) -> Verdict:
    """How many bytes of memory must one Adam step move per float64 parameter, at least?"""
    hint = "list the arrays the step reads and the arrays it writes, 8 bytes each"
    if _is_number(answer) and float(answer) in _BYTES_HINTS:
        hint = _BYTES_HINTS[int(answer)]
    return check_number("bytes per parameter per step", answer, BYTES_PER_PARAMETER, rtol=0, atol=0, hint=hint)


def check_ema_inplace(ema_inplace: Callable[..., Any], n: int = 100_000) -> Verdict:
    """Check ``ema_inplace(m, g, beta, scratch)``: ``m <- beta m + (1 - beta) g``, in place, allocating nothing.

    The candidate is called on arrays of ``n`` float64. It must leave the
    new average in ``m`` itself, return ``None`` or ``m`` (not a new array),
    leave ``g`` as it was, and allocate less than a tenth of one array's
    bytes (measured with :mod:`tracemalloc`, to which NumPy reports its array
    memory), using ``scratch`` for any intermediate result.
    """
    check_callable("ema_inplace", ema_inplace)
    name = "ema_inplace"
    rng = np.random.default_rng(2014)
    m = rng.normal(size=n)
    g = rng.normal(size=n)
    beta = 0.9
    m_before, g_before = m.copy(), g.copy()
    expected = beta * m_before + (1.0 - beta) * g_before
    scratch = np.empty(n)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        returned = ema_inplace(m, g, beta, scratch)
    except NotImplementedError:
        return say(False, f"{name}: not written yet; fill in the function and run the cell again.")
    except Exception as exc:  # a learner's bug: report it, keep the notebook running
        return say(False, f"{name}: raised {type(exc).__name__}: {exc}")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
    allocated = max(0, peak - start)
    if isinstance(returned, np.ndarray) and returned is not m:
        return say(False, f"{name}: returned a new array; write the result into m itself (out=m) and return None.")
    if not np.array_equal(g, g_before):
        return say(False, f"{name}: changed g; g is the caller's gradient: put intermediate results in scratch.")
    if np.array_equal(m, m_before):
        return say(False, f"{name}: m is unchanged; the new average must be written into m.")
    if not np.allclose(m, expected, rtol=1e-12, atol=1e-15):
        return say(False, f"{name}: m holds wrong values; expected beta * m + (1 - beta) * g.")
    if allocated >= 8 * n / 10:
        return say(
            False,
            f"{name}: right values, but it allocated {allocated / 1e6:.2f} MB for arrays of "
            f"{8 * n / 1e6:.1f} MB; use out= with m and scratch so that no temporary is made.",
        )
    return say(True, f"{name}: right values, written into m, and no new array allocated.")


def reordering_fraction(seed: int = 0, size: int = 10_000, beta1: float = 0.9, t: int = 3) -> float:
    """Fraction of ``m`` drawn uniformly in [1, 2) with ``m / c != m * (1 / c)``, ``c = 1 - beta1**t``."""
    m = np.random.default_rng(seed).uniform(1.0, 2.0, size)
    c = 1.0 - beta1**t
    return float(np.mean(m / c != m * (1.0 / c)))


def check_reordering_fraction(answer: Any) -> Verdict:
    """The fraction of the chapter's 10,000 values for which dividing and multiplying by the reciprocal differ."""
    expected = reordering_fraction()
    hint = "compare m / c with m * (1 / c) element by element and take the mean of the != mask"
    if _is_number(answer):
        value = float(answer)
        if value == 0:
            hint = "they are not always equal: 1 / c is rounded once, then the product is rounded again"
        elif np.isclose(value, 1 - expected, rtol=1e-9):
            hint = "that is the fraction where the two agree; the question asks where they differ"
        elif np.isclose(value, expected * 10_000, rtol=1e-9):
            hint = "that is a count; divide by the number of values for a fraction"
        elif np.isclose(value, 100 * expected, rtol=1e-9):
            hint = "give a fraction between 0 and 1, not a percentage"
    return check_number("fraction that differ", answer, expected, rtol=1e-9, atol=0, hint=hint)


def check_step_time_at_rate(answer: Any, n: int = 10_000_000, bandwidth: float = 20e9) -> Verdict:
    """The time (seconds) an Adam step over ``n`` float64 parameters takes if it moves its bytes at ``bandwidth`` bytes/s.

    The yardstick of chapter 12: a measured memory rate, not a law (a step can beat a copy's rate).
    """
    expected = BYTES_PER_PARAMETER * n / bandwidth
    known = [
        (16 * n / bandwidth, "16 bytes per parameter is a copy; an Adam step moves more arrays"),
        (32 * n / bandwidth, "you counted the reads only; x, m and v are written back too"),
        (7 * n / bandwidth, "count bytes (8 per float64), not arrays"),
        (expected * 1e3, "give seconds, not milliseconds"),
        (bandwidth / (BYTES_PER_PARAMETER * n), "that is steps per second; the question asks seconds per step"),
    ]
    return check_number("one step's time at that rate (s)", answer, expected, rtol=1e-6, atol=0, known=known,
                        hint="time = bytes moved / bytes per second, with the bytes of one step over all n parameters")
