r"""Checks for the exercises of the chapter "Meet Adam's family".

Each check prints one line, ✓ or ✗ with a hint, and returns a
:class:`checks.Verdict`; it never raises on a wrong answer. Where a typical
mistake is recognised (momentum without :math:`\mu`, AdaGrad without the
square root, ...), the hint names it.

The expected values come from the registry :data:`optimizers.OPTIMIZERS`, so
the exercises grade against the very code the chapter prints;
``tests/test_exercises_family.py`` checks them against hand computations.

>>> import numpy as np
>>> bool(check_adagrad_step(0.05))
✓ AdaGrad's step 4: 0.05 is right.
True
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from checks import Verdict, check_function, check_number
from optimizers import OPTIMIZERS, adagrad_update, adam_update, momentum_update

__all__ = [
    "momentum_reference",
    "MOMENTUM_CASES",
    "MOMENTUM_MISTAKES",
    "check_momentum",
    "adagrad_step_length",
    "check_adagrad_step",
    "state_counts",
    "check_state_counts",
    "bias_factor",
    "BIAS_BETA1",
    "BIAS_BETA2",
    "BIAS_RTOL",
    "check_bias_factor",
]


# --------------------------------------------------------------------------
# 1. Momentum by hand
# --------------------------------------------------------------------------
def momentum_reference(x, g, b, alpha, mu):
    """One momentum step through the registry's ``momentum_update``: returns ``(new_x, new_b)``."""
    new_x, state = momentum_update(x, g, {"b": b}, 1, alpha=alpha, mu=mu)
    return new_x, state["b"]


#: ``(x, g, b, alpha, mu)``: a first step (b = 0), then steps with a non-zero b,
#: with mu and alpha away from 0 and 1, so that each mistake below gives another answer.
MOMENTUM_CASES = [
    (np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([0.0, 0.0]), 0.1, 0.9),
    (np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([2.0, -1.0]), 0.1, 0.9),
    (np.array([-0.3]), np.array([2.0]), np.array([-3.0]), 0.05, 0.5),
]

#: The typical wrong versions, each with the hint it deserves.
MOMENTUM_MISTAKES: dict[str, tuple[Callable, str]] = {
    "forgot mu": (
        lambda x, g, b, alpha, mu: (x - alpha * (b + g), b + g),
        "b_t = mu b_{t-1} + g_t: the old b is multiplied by mu before the gradient is added",
    ),
    "alpha inside b": (
        lambda x, g, b, alpha, mu: (x - (mu * b + alpha * g), mu * b + alpha * g),
        "b accumulates the gradients themselves (b_t = mu b_{t-1} + g_t); alpha multiplies b only in the step",
    ),
    "old b in the step": (
        lambda x, g, b, alpha, mu: (x - alpha * b, mu * b + g),
        "update b first, then step with the new b: x_t = x_{t-1} - alpha b_t",
    ),
    "wrong sign": (
        lambda x, g, b, alpha, mu: (x + alpha * (mu * b + g), mu * b + g),
        "the step goes against the gradient: x_t = x_{t-1} - alpha b_t",
    ),
}


def _same(got, want) -> bool:
    try:
        return all(np.allclose(np.asarray(a, dtype=float), np.asarray(w, dtype=float)) for a, w in zip(got, want))
    except (TypeError, ValueError):
        return False


def _diagnose(candidate: Callable, cases, mistakes: dict[str, tuple[Callable, str]], default: str) -> str:
    """The hint of the first known mistake the candidate reproduces on every case (else ``default``)."""
    for wrong, hint in mistakes.values():
        try:
            if all(_same(candidate(*[np.array(a) if isinstance(a, np.ndarray) else a for a in case]), wrong(*case))
                   for case in cases):
                return hint
        except Exception:  # the learner's code raised; check_function reports it
            return default
    return default


def _unfinished(candidate: Callable, case) -> bool:
    """Whether the candidate still returns a placeholder (``...`` or None) in place of a value."""
    try:
        got = candidate(*[np.array(a) if isinstance(a, np.ndarray) else a for a in case])
    except Exception:  # reported by check_function
        return False
    parts = got if isinstance(got, tuple) else (got,)
    return any(part is None or part is Ellipsis for part in parts)


def check_momentum(candidate: Callable) -> Verdict:
    """Check ``candidate(x, g, b, alpha, mu) -> (new_x, new_b)`` against the registry's momentum step."""
    if _unfinished(candidate, MOMENTUM_CASES[0]):
        print("✗ your momentum step: not written yet; replace each ... with your code and run the cell again.")
        return Verdict(False)
    hint = _diagnose(candidate, MOMENTUM_CASES, MOMENTUM_MISTAKES,
                     "b_t = mu b_{t-1} + g_t, then x_t = x_{t-1} - alpha b_t; return both")
    return check_function("your momentum step", candidate, momentum_reference, MOMENTUM_CASES, hint=hint)


# --------------------------------------------------------------------------
# 2. AdaGrad's step at t = 4 for a constant gradient
# --------------------------------------------------------------------------
def adagrad_step_length(g: float = 3.0, alpha: float = 0.1, t: int = 4, eps: float = 1e-10) -> float:
    """The length of AdaGrad's step ``t`` when every gradient is ``g`` (one variable), from the registry."""
    x, state = np.zeros(1), {"G": np.zeros(1)}
    for step in range(1, t + 1):
        previous = x
        x, state = adagrad_update(x, np.array([g]), state, step, alpha=alpha, eps=eps)
    return float(abs(x[0] - previous[0]))


def check_adagrad_step(answer: Any, g: float = 3.0, alpha: float = 0.1, t: int = 4) -> Verdict:
    """Check the length of AdaGrad's step ``t`` for a constant gradient ``g``."""
    expected = adagrad_step_length(g, alpha, t)
    known = [
        (alpha * g / (t * g**2), "G_t is a sum of squares: divide by its square root, sqrt(G_t)"),
        (alpha / t, "G_t is a sum of squares: divide by its square root, sqrt(G_t)"),
        (alpha * g / np.sqrt(t * g), "G_t sums the squared gradients g², not g"),
        (alpha, "G_t keeps growing: it is the sum of all past g², not an average (that is RMSProp)"),
        (alpha / np.sqrt(t - 1), f"G_{t} already includes g_{t}: G is updated before the step"),
        (alpha * g, "that is gradient descent's step; AdaGrad divides by sqrt(G_t)"),
    ]
    return check_number(f"AdaGrad's step {t}", answer, expected, rtol=1e-6, known=known,
                        hint="G_t = t g² after t equal gradients; the step is alpha g / sqrt(G_t)")


# --------------------------------------------------------------------------
# 3. Which optimizer keeps how much state
# --------------------------------------------------------------------------
def state_counts() -> dict[str, int]:
    """How many arrays the size of x each optimizer of the registry keeps between steps."""
    return {name: len(optimizer.state_names) for name, optimizer in OPTIMIZERS.items()}


def check_state_counts(answer: Any) -> Verdict:
    """Check a dict ``{optimizer name: number of arrays the size of x it keeps}`` for all nine optimizers."""
    expected = state_counts()
    if answer is None or answer is Ellipsis:
        print("✗ the state counts: no answer yet; fill in the placeholder and run the cell again.")
        return Verdict(False)
    if not isinstance(answer, dict):
        print(f"✗ the state counts: expected a dict from optimizer name to a number, got {type(answer).__name__}.")
        return Verdict(False)
    missing = [name for name in expected if name not in answer]
    extra = [name for name in answer if name not in expected]
    if missing or extra:
        print(f"✗ the state counts: the keys must be the nine names {list(expected)}; "
              + (f"missing {missing}" if missing else f"unknown {extra}") + ".")
        return Verdict(False)
    for name, value in answer.items():
        if value is None or value is Ellipsis:
            print(f"✗ the state counts: no number yet for {name!r}; fill in every placeholder.")
            return Verdict(False)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            print(f"✗ the state counts: {name!r} should be a whole number, got {value!r}.")
            return Verdict(False)
    wrong = [name for name in expected if answer[name] != expected[name]]
    if wrong:
        print(f"✗ the state counts: {len(wrong)} of 9 are wrong ({', '.join(wrong)}). Hint: count the arrays "
              "with a subscript t-1 on the right of the update equations; x itself does not count.")
        return Verdict(False)
    print("✓ the state counts: all 9 are right.")
    return Verdict(True)


# --------------------------------------------------------------------------
# 4. Adam's first step without bias correction
# --------------------------------------------------------------------------
def bias_factor(beta1: float = 0.9, beta2: float = 0.999, g: float = 2.0) -> float:
    r"""How many times longer Adam's first step would be without bias correction.

    Taken from the registry's ``adam_update`` (with :math:`\epsilon = 0`): the
    uncorrected step :math:`\alpha m_1/\sqrt{v_1}` from its state, over the
    step it actually took, :math:`\alpha \hat m_1/\sqrt{\hat v_1}`.
    """
    x0 = np.zeros(1)
    state0 = OPTIMIZERS["adam"].init(x0)
    x1, state = adam_update(x0, np.array([g]), state0, 1, alpha=1.0, beta1=beta1, beta2=beta2, eps=0.0)
    taken = abs(x1[0] - x0[0])
    uncorrected = abs(state["m"][0] / np.sqrt(state["v"][0]))
    return float(uncorrected / taken)


#: The exercise's setting: not the defaults (beta1 = 0.9), whose factor sqrt(10) the chapter prints above it.
BIAS_BETA1, BIAS_BETA2 = 0.95, 0.999
#: Relative tolerance of the answer: 3 significant digits pass (the same in chapters 2 and 10).
BIAS_RTOL = 1e-3


def check_bias_factor(answer: Any, beta1: float = BIAS_BETA1, beta2: float = BIAS_BETA2) -> Verdict:
    """Check the factor by which Adam's first step would grow without bias correction.

    An answer within ``BIAS_RTOL`` (relative) passes; one within 3 % that does not gets a hint to give more
    digits; the typical mistakes get a hint that names them.
    """
    expected = bias_factor(beta1, beta2)
    known = [
        (1.0, "without the correction m_1 = (1 - beta1) g_1 and v_1 = (1 - beta2) g_1²: work out m_1 / sqrt(v_1)"),
        (1 / (1 - beta1), "v_1 is not corrected either: divide by sqrt(v_1) = sqrt(1 - beta2) |g_1|"),
        (1 / np.sqrt(1 - beta2), "m_1 is not corrected either: it is (1 - beta1) g_1"),
        (np.sqrt(1 - beta2) / (1 - beta1), "that is the inverse: the uncorrected step is the longer one"),
        ((1 - beta1) / (1 - beta2), "v enters through its square root"),
        (beta1 / np.sqrt(beta2), "m_1 = beta1 m_0 + (1 - beta1) g_1 with m_0 = 0: the weight of g_1 is 1 - beta1, not beta1"),
    ]
    if beta1 != 0.9:
        known.append(((1 - 0.9) / np.sqrt(1 - beta2), f"that is the factor for beta1 = 0.9; here beta1 = {beta1:g}"))
    hint = "m_1 = (1 - beta1) g_1 and v_1 = (1 - beta2) g_1²; compare m_1 / sqrt(v_1) with the corrected step"
    if isinstance(answer, (int, float, np.floating)) and np.isclose(float(answer), expected, rtol=3e-2, atol=0):
        hint = "right idea, but too rounded: give at least three significant digits"
    return check_number("the factor", answer, expected, rtol=BIAS_RTOL, atol=0, hint=hint, known=known)
