"""Immediate feedback for the exercises.

Each check prints one line: ``✓`` and what was right, or ``✗``, what is
wrong and a hint. A check never raises on a wrong answer (the notebook must
still run top to bottom). It returns a :class:`Verdict`, true or false, which
a test can use and a notebook does not display (the printed line is the
feedback).

>>> bool(check_number("the first step", 0.48, 0.48))
✓ the first step: 0.48 is right.
True
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable

import numpy as np

from validation import check_callable

__all__ = ["Verdict", "say", "is_missing", "check_number", "check_array", "check_function", "check_choice"]

TODO_HINT = "fill in the placeholder and run the cell again"


class Verdict:
    """The outcome of a check: true when the answer was right. Displays as nothing."""

    def __init__(self, ok: bool) -> None:
        self.ok = bool(ok)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Verdict({self.ok})"

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: the check already printed its line."""


def say(ok: bool, text: str) -> Verdict:
    """Print the feedback line, ``✓ text`` or ``✗ text``, and return the verdict."""
    print(("✓ " if ok else "✗ ") + text)
    return Verdict(ok)


def is_missing(answer: Any) -> bool:
    """Whether an answer is still the placeholder (None or ``...``)."""
    return answer is None or answer is Ellipsis


def check_number(
    name: str, answer: Any, expected: float, *, rtol: float = 1e-6, atol: float = 1e-12, hint: str = "",
    known: Iterable[tuple[float, str]] = (),
) -> Verdict:
    """Check a numeric answer against the expected value (relative tolerance ``rtol``).

    ``known`` lists typical wrong values, each with its own hint: an answer that
    matches one (to ``rtol``) and not the expected value gets that hint instead of ``hint``.
    """
    if is_missing(answer):
        return say(False, f"{name}: no answer yet; {TODO_HINT}.")
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.floating, np.integer)):
        if isinstance(answer, np.ndarray) and answer.size == 1:
            answer = float(answer.reshape(()))
        else:
            return say(False, f"{name}: expected a number, got {type(answer).__name__} {answer!r}.")
    if np.isclose(float(answer), expected, rtol=rtol, atol=atol):
        return say(True, f"{name}: {answer:.6g} is right.")
    for wrong, why in known:
        if np.isclose(float(answer), wrong, rtol=rtol, atol=atol):
            hint = why
            break
    message = f"{name}: {float(answer):.6g} is not right."
    return say(False, message + (f" Hint: {hint}" if hint else ""))


def check_array(
    name: str, answer: Any, expected: np.ndarray, *, rtol: float = 1e-6, atol: float = 1e-12, hint: str = ""
) -> Verdict:
    """Check an array answer: its shape, then its values."""
    if is_missing(answer):
        return say(False, f"{name}: no answer yet; {TODO_HINT}.")
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return say(False, f"{name}: expected numbers, got {type(answer).__name__}.")
    expected = np.asarray(expected, dtype=float)
    if answer.shape != expected.shape:
        return say(False, f"{name}: expected shape {expected.shape}, got {answer.shape}.")
    if np.allclose(answer, expected, rtol=rtol, atol=atol):
        return say(True, f"{name}: all {expected.size} values are right.")
    worst = int(np.argmax(np.abs(answer - expected).ravel()))
    message = (
        f"{name}: entry {tuple(int(i) for i in np.unravel_index(worst, expected.shape))} is "
        f"{answer.ravel()[worst]:.6g}, "
        f"expected {expected.ravel()[worst]:.6g}."
    )
    return say(False, message + (f" Hint: {hint}" if hint else ""))


def check_function(
    name: str,
    candidate: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Iterable[tuple],
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    hint: str = "",
) -> Verdict:
    """Call ``candidate`` and ``reference`` on every case and compare the results.

    ``cases`` is a list of argument tuples. Results may be numbers, arrays or
    tuples of them (as :func:`adam.adam_step` returns). A candidate that
    still returns ``None`` (the exercise's stub) is reported as not done yet.
    """
    check_callable("candidate", candidate)
    check_callable("reference", reference)
    cases = list(cases)
    if not cases:
        raise ValueError("cases must hold at least one tuple of arguments")
    for number, args in enumerate(cases, start=1):
        copies = [np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in args]
        try:
            got = candidate(*copies)
        except NotImplementedError:
            return say(False, f"{name}: not written yet; {TODO_HINT}.")
        except Exception as exc:  # a learner's bug: report it, keep the notebook running
            return say(False, f"{name}: case {number} raised {type(exc).__name__}: {exc}")
        if is_missing(got):
            return say(False, f"{name}: returned None; {TODO_HINT}.")
        want = reference(*args)
        got_parts = got if isinstance(want, tuple) else (got,)
        want_parts = want if isinstance(want, tuple) else (want,)
        if len(got_parts) != len(want_parts):
            return say(False, f"{name}: case {number} returned {len(got_parts)} values, expected {len(want_parts)}.")
        for index, (g, w) in enumerate(zip(got_parts, want_parts)):
            try:
                g = np.asarray(g, dtype=float)
            except (TypeError, ValueError):
                return say(False, f"{name}: case {number} returned a non-number ({type(g).__name__}).")
            w = np.asarray(w, dtype=float)
            if g.shape != w.shape or not np.allclose(g, w, rtol=rtol, atol=atol):
                where = f" (value {index + 1} of {len(want_parts)})" if len(want_parts) > 1 else ""
                message = f"{name}: case {number}{where} gives {np.round(g, 8)}, expected {np.round(w, 8)}."
                return say(False, message + (f" Hint: {hint}" if hint else ""))
    return say(True, f"{name}: matches the reference on all {len(cases)} cases.")


def check_choice(name: str, answer: Any, expected: str, options: Iterable[str], *, hint: str = "") -> Verdict:
    """Check a multiple-choice answer given as one of ``options``."""
    options = list(options)
    if expected not in options:
        raise ValueError(f"expected must be one of the options {options}, got {expected!r}")
    if is_missing(answer):
        return say(False, f"{name}: no answer yet; pick one of {options}.")
    if answer not in options:
        return say(False, f"{name}: {answer!r} is not one of the options {options}.")
    if answer == expected:
        return say(True, f"{name}: {answer!r} is right.")
    return say(False, f"{name}: {answer!r} is not right." + (f" Hint: {hint}" if hint else ""))
