r"""Checks for the exercises of the chapter "Train with noisy gradients and mini-batches".

Each check prints one line (``✓`` or ``✗`` with a hint) and returns a
:class:`checks.Verdict`; none raises on a wrong answer.

- :func:`check_adam_steps`: how many optimizer steps (so the final ``t``)
  ``E`` epochs of ``n`` examples take with mini-batches of ``B``.
- :func:`check_output_delta`: a function ``delta_out(p, y)`` returning the
  error delta of the output layer, :math:`\partial L / \partial z = (p - y)/n`
  for the mean binary cross-entropy.
- :func:`check_squared_error_gradient`: a function ``grad(w, X, y)``
  returning the gradient of the mean squared error of a sigmoid output,
  compared with central finite differences.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from checks import Verdict, check_function, is_missing, say
from learning import numerical_gradient, sigmoid

__all__ = [
    "STEPS_QUESTION",
    "check_adam_steps",
    "check_output_delta",
    "squared_error_loss",
    "check_squared_error_gradient",
]


# --------------------------------------------------------------------------
# 1. Counting steps
# --------------------------------------------------------------------------
#: The question: epochs E, training examples n, batch size B.
STEPS_QUESTION = {"E": 5, "n": 427, "B": 32}


def check_adam_steps(answer: Any, E: int = STEPS_QUESTION["E"], n: int = STEPS_QUESTION["n"],
                     B: int = STEPS_QUESTION["B"]) -> Verdict:
    r"""Check the number of Adam steps in ``E`` epochs of ``n`` examples with batches of ``B``.

    Each epoch cuts a fresh permutation into :math:`\lceil n / B \rceil`
    batches (the last one smaller, kept), one step each, and ``t`` runs on
    across epochs: :math:`E \lceil n/B \rceil` steps. The hints name the
    typical slips: :math:`E n / B` (no ceiling, or rounded as a whole), ``E``
    (one step per epoch), :math:`\lceil n/B \rceil` or :math:`n/B` (one epoch).
    """
    name = f"Adam steps in {E} epochs of {n} examples with B = {B}"
    expected = E * math.ceil(n / B)
    if is_missing(answer):
        return say(False, f"{name}: no answer yet; fill in the placeholder and run the cell again.")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return say(False, f"{name}: expected a whole number, got {type(answer).__name__} {answer!r}.")
    value = float(answer)
    if value == expected:
        return say(True, f"{name}: {expected} is right (t ends at {expected}).")
    if value == E:
        hint = "t counts steps, not epochs: there is one step per mini-batch."
    elif math.isclose(value, n / B) or value in (math.ceil(n / B), n // B):
        hint = "that is one epoch; t keeps counting across epochs, the moments are not reset."
    elif math.isclose(value, E * n / B) or value in (math.ceil(E * n / B), E * n // B, E * (n // B)):
        hint = (f"{n} is not a multiple of {B}: every epoch ends with a smaller batch that is kept, "
                f"so each epoch has ceil(n / B) steps.")
    else:
        hint = "count the mini-batches of one epoch (the last one is smaller), then the epochs."
    return say(False, f"{name}: {answer!r} is not right. Hint: {hint}")


# --------------------------------------------------------------------------
# 2. The error delta of the output layer
# --------------------------------------------------------------------------
def _reference_delta(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (p - y) / p.shape[0]


def _delta_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(9)
    cases = [(np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 0.0]))]
    for n in (4, 7):
        cases.append((rng.uniform(0.05, 0.95, n), rng.integers(0, 2, n).astype(float)))
    return cases


def check_output_delta(delta_out: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    r"""Check ``delta_out(p, y)``: :math:`\delta_i = \partial L / \partial z_i = (p_i - y_i)/n`.

    :math:`L` is the mean binary cross-entropy of :math:`n` examples,
    :math:`p = \operatorname{sigmoid}(z)`. Cases have n = 3, 4, 7 examples, so a forgotten
    :math:`1/n`, a flipped sign or an extra :math:`p(1-p)` (the sigmoid's
    derivative, which the cross-entropy cancels) all fail.
    """
    if is_missing(delta_out):
        return say(False, "delta_out: no function yet; fill in the placeholder and run the cell again.")
    if not callable(delta_out):
        return say(False, f"delta_out: expected a function of (p, y), got {type(delta_out).__name__}.")
    return check_function(
        "delta_out", delta_out, _reference_delta, _delta_cases(),
        hint="L is a mean over n examples, and d/dz of log(1 + e^z) - y z is sigmoid(z) - y = p - y; "
             "the sigmoid's derivative p(1 - p) cancels.",
    )


# --------------------------------------------------------------------------
# 3. The gradient of another loss, checked by finite differences
# --------------------------------------------------------------------------
def squared_error_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    r"""Mean squared error of a sigmoid output: :math:`L(w) = \frac1n \sum_i (\operatorname{sigmoid}(x_i \cdot w) - y_i)^2`."""
    return float(np.mean((sigmoid(X @ w) - y) ** 2))


def _gradient_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(99)
    cases = []
    for n, d in ((5, 3), (8, 4)):
        X = rng.standard_normal((n, d))
        y = rng.integers(0, 2, n).astype(float)
        w = rng.standard_normal(d)
        cases.append((w, X, y))
    return cases


def check_squared_error_gradient(grad: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> Verdict:
    r"""Check ``grad(w, X, y)`` against central finite differences of :func:`squared_error_loss`.

    At two seeded random problems (5 x 3 and 8 x 4) the largest relative error
    between ``grad`` and :func:`learning.numerical_gradient` must stay below
    1e-5. Forgetting the factor 2, the :math:`p(1-p)` of the sigmoid, the
    :math:`1/n` or the sign each gives an error of order 1.
    """
    name = "grad of the squared error"
    if is_missing(grad):
        return say(False, f"{name}: no function yet; fill in the placeholder and run the cell again.")
    if not callable(grad):
        return say(False, f"{name}: expected a function of (w, X, y), got {type(grad).__name__}.")
    worst = 0.0
    for number, (w, X, y) in enumerate(_gradient_cases(), start=1):
        try:
            got = grad(w.copy(), X.copy(), y.copy())
        except Exception as exc:  # a learner's bug: report it, keep the notebook running
            return say(False, f"{name}: case {number} raised {type(exc).__name__}: {exc}")
        if is_missing(got):
            return say(False, f"{name}: returned None; fill in the placeholder and run the cell again.")
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return say(False, f"{name}: case {number} returned something that is not numbers.")
        if got.shape != w.shape:
            return say(False, f"{name}: case {number} returned shape {got.shape}, expected {w.shape} (one per weight).")
        numeric = numerical_gradient(lambda v: squared_error_loss(v, X, y), w)
        scale = np.maximum(np.maximum(np.abs(got), np.abs(numeric)), 1e-8)
        worst = max(worst, float(np.max(np.abs(got - numeric) / scale)))
    if worst < 1e-5:
        return say(True, f"{name}: agrees with central differences (largest relative error {worst:.1e}).")
    return say(False, f"{name}: differs from central differences (largest relative error {worst:.2g}). "
                       f"Hint: dL/dz_i = 2 (p_i - y_i) p_i (1 - p_i) / n, then the chain rule through z = X w.")
