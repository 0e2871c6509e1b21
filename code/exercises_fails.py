r"""Checks for the exercises of the chapter "See where Adam fails, and how it was fixed".

Each check prints one line (``✓`` or ``✗`` with a hint) and returns a
:class:`checks.Verdict`; none raises on a wrong answer. The expected values
are computed here from the definitions, never typed in.

- :func:`check_v_after_three`: Adam's :math:`v_3` with the :math:`\beta_2` of Reddi et
  al.'s counterexample (:math:`C = 3`) after the gradients ``V_EXERCISE_GRADIENTS``
  (:math:`-1, 3, -1`, an order the chapter's table does not print).
- :func:`check_average_regret`: the long-run average regret per step of
  staying at a fixed point :math:`x`.
- :func:`check_first_step_factor`: the first step of Adam without bias
  correction, as a multiple of :math:`\alpha`, for :math:`\beta_1` =
  ``FIRST_STEP_BETA1`` and :math:`\beta_2` = ``FIRST_STEP_BETA2`` (not the
  default 0.999, whose factor the chapter prints, and chapter 2 asks for).
- :func:`check_warmup`: a linear warm-up schedule :math:`\alpha_t`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from checks import Verdict, check_function, check_number, is_missing, say

__all__ = [
    "COUNTEREXAMPLE_C",
    "V_EXERCISE_GRADIENTS",
    "check_v_after_three",
    "check_average_regret",
    "check_first_step_factor",
    "check_warmup",
    "FIRST_STEP_BETA1",
    "FIRST_STEP_BETA2",
    "WARMUP_ALPHA",
    "WARMUP_STEPS",
]

#: The constant C of the counterexample used in the exercises.
COUNTEREXAMPLE_C = 3.0


def _number(answer: Any) -> float | None:
    if answer is None or answer is Ellipsis or isinstance(answer, (bool, str, bytes)):
        return None
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _diagnose(name: str, answer: Any, expected: float, wrong: dict[str, float], general_hint: str,
              rtol: float = 1e-6) -> Verdict:
    """Compare a number with ``expected`` (relative tolerance ``rtol``); name the mistake when it matches a known wrong value."""
    if _number(answer) is None and not is_missing(answer):
        return say(False, f"{name}: expected one finite number, got {type(answer).__name__} {answer!r}.")
    return check_number(name, None if is_missing(answer) else _number(answer), expected, rtol=rtol,
                        hint=general_hint, known=[(value, hint) for hint, value in wrong.items()])


# --------------------------------------------------------------------------
# 1. v after three gradients, in an order the chapter's table does not print
# --------------------------------------------------------------------------
def _v_sequence(gradients, beta2):
    v, out = 0.0, []
    for g in gradients:
        v = beta2 * v + (1.0 - beta2) * g * g  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
        out.append(v)
    return out


#: The exercise's gradients: the chapter's C = 3 and -1, -1, in an order the chapter's table does
#: not print (the table starts with the period C, -1, -1, whose v_3 is 1.071).
V_EXERCISE_GRADIENTS = (-1.0, 3.0, -1.0)

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TIMES = {1: "once", 2: "twice", 3: "three times"}


def _listed(gradients) -> str:
    """The gradients as the chapter writes them: -1, 3, -1 with a true minus sign."""
    return ", ".join(f"{g:g}".replace("-", "−") for g in gradients)


def check_v_after_three(answer: Any, gradients: tuple[float, ...] = V_EXERCISE_GRADIENTS,
                        C: float = COUNTEREXAMPLE_C) -> Verdict:
    r"""Check :math:`v_3` after ``gradients`` from :math:`v_0 = 0`, with :math:`\beta_2 = 1/(1 + C^2)`.

    With the defaults, :math:`\beta_2 = 1/10` and the gradients :math:`-1, 3, -1`:
    :math:`v_1 = 0.9`, :math:`v_2 = 0.09 + 8.1 = 8.19`, :math:`v_3 = 0.819 + 0.9 = 1.719`.
    Accepted to a relative :math:`10^{-4}` (1.719 typed by hand is right). Known mistakes,
    each with its own hint: leaving out the factor :math:`1 - \beta_2` (1.91); swapping
    :math:`\beta_2` and :math:`1 - \beta_2` (0.991); answering the bias-corrected
    :math:`\hat v_3 = v_3/(1 - \beta_2^3)` (1.72072); answering :math:`v_2` (8.19, one update
    short, and also the largest :math:`v` so far, what AMSGrad keeps); and answering the
    :math:`v_3` of the order :math:`C, -1, -1` that the chapter's table prints (1.071).
    A known value that coincides with the right one (for other gradients) is dropped.
    """
    rtol = 1e-4
    gradients = tuple(float(g) for g in gradients)
    n = len(gradients)
    sub = str(n).translate(_SUBSCRIPTS)
    beta2 = 1.0 / (1.0 + C**2)
    sequence = _v_sequence(gradients, beta2)
    expected = sequence[-1]
    v = 0.0
    for g in gradients:  # without (1 - beta2)
        v = beta2 * v + g * g
    no_factor = v
    swapped = _v_sequence(gradients, 1.0 - beta2)[-1]
    wrong = {
        "the new g² enters with the weight 1 − β₂, not 1.": no_factor,
        "β₂ multiplies the old v and 1 − β₂ the new g², not the other way round.": swapped,
        f"that is the bias-corrected v̂{sub} = v{sub} / (1 − β₂{str(n).translate(_SUPERSCRIPTS)}); "
        f"the question asks for v{sub} itself.": expected / (1.0 - beta2**n),
    }
    if n > 1:
        sub_short = str(n - 1).translate(_SUBSCRIPTS)
        one_short, largest = sequence[-2], max(sequence)
        if np.isclose(one_short, largest, rtol=rtol):
            wrong[f"that is v{sub_short}, one update short, and also the largest v so far (what AMSGrad keeps); "
                  f"apply the update once more."] = one_short
        else:
            wrong[f"that is v{sub_short}, one update short; apply the update once more."] = one_short
            wrong["that is the largest v so far (what AMSGrad keeps), not the last one."] = largest
    printed_order = (C, -1.0, -1.0)
    wrong[f"that is v₃ for the order {_listed(printed_order)}, printed in the table above; "
          f"here the gradients come in the order {_listed(gradients)}."] = _v_sequence(printed_order, beta2)[-1]
    wrong = {hint: w for hint, w in wrong.items() if not np.isclose(w, expected, rtol=2 * rtol)}
    return _diagnose(f"v{sub} after the gradients {_listed(gradients)}", answer, expected, wrong,
                     f"apply v_t = β₂ v_{{t−1}} + (1 − β₂) g_t² {_TIMES.get(n, f'{n} times')}, starting from v₀ = 0, with "
                     f"β₂ = 1/(1 + C²) = {beta2:.6g}; give at least four significant digits.", rtol=rtol)


# --------------------------------------------------------------------------
# 2. The average regret of a fixed point
# --------------------------------------------------------------------------
def _average_regret(x, C):
    """One period of three steps costs (C - 2) x at x, and (C - 2)(-1) at the best point -1."""
    return (C - 2.0) * (x + 1.0) / 3.0


_REGRET_CASES = [(1.0, 3.0), (-1.0, 3.0), (0.0, 3.0), (0.5, 5.0), (-0.25, 2.5), (1.0, 10.0)]


def check_average_regret(candidate: Any) -> Verdict:
    r"""Check ``candidate(x, C)``: the long-run average regret per step of staying at ``x``.

    Over one period of three steps the losses add up to :math:`(C - 2)\,x`,
    which is smallest at :math:`x = -1`, so the regret per period is
    :math:`(C - 2)(x + 1)` and per step a third of it. Compared at six
    :math:`(x, C)` pairs.
    """
    if candidate is None or candidate is Ellipsis:
        return say(False, "the average regret: no answer yet; define average_regret(x, C) and run the cell again.")
    if not callable(candidate):
        return say(False, f"the average regret: expected a function average_regret(x, C), got {type(candidate).__name__}.")
    return check_function(
        "the average regret", candidate, _average_regret, _REGRET_CASES,
        hint="add up f_t(x) over one period (C x − x − x), subtract the same sum at the best fixed point, "
             "which for C > 2 is x = −1, and divide by the 3 steps of a period.",
    )


# --------------------------------------------------------------------------
# 3. The first step without bias correction
# --------------------------------------------------------------------------
#: The betas of the exercise. Not the default beta2 = 0.999: its factor, sqrt(10), is printed in
#: the chapter above the exercise, and chapter 2 asks for it.
FIRST_STEP_BETA1 = 0.9
FIRST_STEP_BETA2 = 0.95
#: The betas whose factor the chapter prints above the exercise.
_PRINTED_BETAS = (0.9, 0.999)


def check_first_step_factor(answer: Any, beta1: float = FIRST_STEP_BETA1, beta2: float = FIRST_STEP_BETA2) -> Verdict:
    r"""Check the first step of Adam without bias correction, in units of :math:`\alpha` (with :math:`\epsilon = 0`).

    :math:`m_1 = (1 - \beta_1) g_1` and :math:`v_1 = (1 - \beta_2) g_1^2`, so
    :math:`|m_1| / \sqrt{v_1} = (1 - \beta_1)/\sqrt{1 - \beta_2}`. Accepted to a
    relative 10⁻³ (four significant digits), as in chapters 2 and 6. Known
    mistakes: 1 (Adam's, with bias correction), no square root, the betas in
    place of one minus the betas, the ratio upside down, and the factor of the
    betas printed in the chapter (0.9, 0.999) instead of the exercise's.
    """
    rtol = 1e-3
    expected = (1.0 - beta1) / np.sqrt(1.0 - beta2)
    wrong = {
        "that is Adam's first step, with bias correction; here m₁ and v₁ are used as they are.": 1.0,
        "v₁ is under a square root.": (1.0 - beta1) / (1.0 - beta2),
        "m₁ = (1 − β₁) g₁ and v₁ = (1 − β₂) g₁², not β₁ g₁ and β₂ g₁² (m₀ = v₀ = 0).": beta1 / np.sqrt(beta2),
        "the step is m₁ / √v₁, not √v₁ / m₁.": 1.0 / expected,
    }
    printed = (1.0 - _PRINTED_BETAS[0]) / np.sqrt(1.0 - _PRINTED_BETAS[1])
    if not np.isclose(printed, expected, rtol=rtol):
        wrong[f"that is the factor for β₁ = {_PRINTED_BETAS[0]}, β₂ = {_PRINTED_BETAS[1]}, printed above; "
              f"use β₁ = {beta1:g} and β₂ = {beta2:g}."] = printed
    # for other betas a "wrong" value may coincide with the right one (beta2 = 0.99 gives 1): drop it
    wrong = {hint: w for hint, w in wrong.items() if not np.isclose(w, expected, rtol=2 * rtol)}
    return _diagnose("the first step without bias correction, in units of α", answer, expected, wrong,
                     "write m₁ and v₁ from m₀ = v₀ = 0 and divide |m₁| by √v₁; g₁ cancels. "
                     "Four significant digits are enough.", rtol=rtol)


# --------------------------------------------------------------------------
# 4. A linear warm-up
# --------------------------------------------------------------------------
#: The target step size and the length of the warm-up in the exercise.
WARMUP_ALPHA = 0.01
WARMUP_STEPS = 20


def _warmup(t):
    return WARMUP_ALPHA * min(1.0, t / WARMUP_STEPS)


def check_warmup(candidate: Any) -> Verdict:
    r"""Check ``candidate(t)``: :math:`\alpha_t = \alpha \min(1, t / W)` with :math:`\alpha` = ``WARMUP_ALPHA``, :math:`W` = ``WARMUP_STEPS``.

    Steps are 1-based: :math:`\alpha_1 = \alpha / W` (not 0), :math:`\alpha_W = \alpha`,
    and :math:`\alpha_t = \alpha` after. Compared at t = 1, 2, 10, 19, 20, 21, 100, 1000.
    """
    if candidate is None or candidate is Ellipsis:
        return say(False, "the warm-up: no answer yet; define warmup(t) and run the cell again.")
    if not callable(candidate):
        return say(False, f"the warm-up: expected a function warmup(t), got {type(candidate).__name__}.")
    return check_function(
        "the warm-up", candidate, _warmup, [(t,) for t in (1, 2, 10, 19, 20, 21, 100, 1000)],
        hint=f"step t = 1 is the first step and gets α/W; the ramp reaches α = {WARMUP_ALPHA} at t = W = "
             f"{WARMUP_STEPS} and stays there.",
    )
