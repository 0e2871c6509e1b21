r"""Gradient descent and Adam, the paper-facing names the chapters use.

:func:`adam_step` is one step of Algorithm 1 of Kingma & Ba, *Adam: A Method
for Stochastic Optimization* (2014), with its arguments checked; its five
lines are :func:`optimizers.adam_update`, the one place Adam's equations are
written. :func:`adam` and :func:`gradient_descent` run a whole search through
the course's one runner, :func:`runner.run`, which drives every optimizer of
:data:`optimizers.OPTIMIZERS` the same way.

Everything works on NumPy arrays: one point ``x`` of shape ``(d,)``, or a
batch of independent runs of shape ``(n_runs, d)`` whose hyperparameters may
be arrays of shape ``(n_runs, 1)``. In a batch, a diverging run stops alone
and is flagged; the others go on (see :mod:`runner`).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from optimizers import OPTIMIZERS, adam_update, gradient_descent_update
from runner import SearchResult, format_step, run
from validation import check_array, check_int, check_real, check_same_shape

__all__ = [
    "PAPER_DEFAULTS",
    "SearchResult",
    "adam",
    "adam_step",
    "adam_step_efficient",
    "format_step",
    "gradient_descent",
    "gradient_descent_step",
]

#: The defaults the paper recommends for machine-learning problems.
PAPER_DEFAULTS = OPTIMIZERS["adam"].defaults

Function = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------
# One step
# --------------------------------------------------------------------------
def _check_state(x, g, m, v, t):
    """Validate the arrays and the step number of one Adam step."""
    x = check_array("x", x)
    g = check_array("g", g)
    m = check_array("m", m)
    v = check_array("v", v)
    check_same_shape("x", x, g=g, m=m, v=v)
    if np.any(v < 0):
        raise ValueError("v is an average of squared gradients and must be >= 0 everywhere")
    t = check_int("t", t, low=1)
    return x, g, m, v, t


def adam_step(
    x: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    alpha: float | np.ndarray = 0.001,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps: float | np.ndarray = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One update of Adam (Kingma & Ba 2014, Algorithm 1).

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v_t / (1 - \beta_2^t) \\
        x_t &= x_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Parameters
    ----------
    x : array
        The current point :math:`x_{t-1}`, any shape.
    g : array
        The gradient :math:`g_t = \nabla f(x_{t-1})`, same shape as ``x``.
    m, v : array
        The first and second moment estimates :math:`m_{t-1}, v_{t-1}`
        (zeros before the first step), same shape as ``x``.
    t : int
        The step number, starting at 1 (it is the exponent in the bias
        corrections :math:`1 - \beta^t`).
    alpha : float or array
        Step size, > 0. An array broadcasts against ``x`` (a batch of runs).
    beta1, beta2 : float or array
        Decay rates of the two moment estimates, each in [0, 1).
    eps : float or array
        Small constant > 0 added to :math:`\sqrt{\hat v_t}`, inside the
        denominator.

    Returns
    -------
    x, m, v : array
        The new point :math:`x_t` and moments :math:`m_t, v_t`. The inputs are
        never modified.

    Raises
    ------
    TypeError, ValueError
        When an argument has the wrong kind, shape or range; the message
        names the argument and what is allowed.
    """
    x, g, m, v, t = _check_state(x, g, m, v, t)
    hyper = OPTIMIZERS["adam"].check(x.shape, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps)
    x, state = adam_update(x, g, {"m": m, "v": v}, t, **hyper)
    return x, state["m"], state["v"]


def adam_step_efficient(
    x: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    alpha: float | np.ndarray = 0.001,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps_hat: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One Adam update in the paper's "more efficient" ordering (end of Section 2).

    .. math::

        \alpha_t &= \alpha \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \\
        x_t &= x_{t-1} - \alpha_t\, m_t / (\sqrt{v_t} + \hat\epsilon)

    The bias corrections are folded into one scalar step size. This equals
    :func:`adam_step` exactly when
    :math:`\hat\epsilon = \epsilon \sqrt{1 - \beta_2^t}`; with the same
    constant in both forms the two differ slightly in the first steps.
    Arguments and return values are as in :func:`adam_step`, with
    ``eps_hat`` in place of ``eps``.
    """
    x, g, m, v, t = _check_state(x, g, m, v, t)
    hyper = OPTIMIZERS["adam"].check(x.shape, alpha=alpha, beta1=beta1, beta2=beta2)
    alpha, beta1, beta2 = hyper["alpha"], hyper["beta1"], hyper["beta2"]
    eps_hat = check_real("eps_hat", eps_hat, low=0.0, low_inclusive=False)
    m = beta1 * m + (1.0 - beta1) * g  # m_t
    v = beta2 * v + (1.0 - beta2) * g**2  # v_t
    alpha_t = alpha * np.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)  # alpha_t
    x = x - alpha_t * m / (np.sqrt(v) + eps_hat)  # x_t
    return x, m, v


def gradient_descent_step(x: np.ndarray, g: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    r"""One step of plain gradient descent, :math:`x_t = x_{t-1} - \alpha\, g_t`.

    ``x`` and ``g`` must have one shape; ``alpha`` > 0 may be an array that
    broadcasts against ``x``. Returns a new array.
    """
    x = check_array("x", x)
    g = check_array("g", g)
    check_same_shape("x", x, g=g)
    hyper = OPTIMIZERS["gradient descent"].check(x.shape, alpha=alpha)
    return gradient_descent_update(x, g, {}, 1, **hyper)[0]


# --------------------------------------------------------------------------
# Whole runs
# --------------------------------------------------------------------------
def gradient_descent(
    derivative: Function,
    x0: np.ndarray,
    n_iter: int,
    alpha: float | np.ndarray,
    objective: Function | None = None,
    *,
    max_norm: float = 1e10,
    verbose: bool = False,
) -> SearchResult:
    r"""Run plain gradient descent, :math:`x_t = x_{t-1} - \alpha \nabla f(x_{t-1})`.

    Parameters
    ----------
    derivative : callable
        ``derivative(x)`` returns the gradient at ``x``, an array of the shape
        of ``x``.
    x0 : array
        The start: one point of shape ``(d,)`` or a batch of shape ``(n, d)``.
    n_iter : int
        How many steps, >= 0.
    alpha : float or array
        Step size > 0; an array of shape ``(n, 1)`` gives each run of a batch its own.
    objective : callable, optional
        ``objective(x)`` gives the score recorded for every iterate.
    max_norm : float
        A run whose iterate has a coordinate larger than this in absolute
        value is stopped and flagged as diverged.
    verbose : bool
        Print one line per step in the article's format.

    Returns
    -------
    SearchResult
        The path (``x0`` included), the scores, and whether it diverged.
    """
    return run("gradient descent", derivative, x0, n_iter, objective=objective, max_norm=max_norm,
               verbose=verbose, alpha=alpha)


def adam(
    derivative: Function,
    x0: np.ndarray,
    n_iter: int,
    alpha: float | np.ndarray = 0.001,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps: float | np.ndarray = 1e-8,
    objective: Function | None = None,
    *,
    max_norm: float = 1e10,
    verbose: bool = False,
) -> SearchResult:
    r"""Run Adam from ``x0`` for ``n_iter`` steps (Kingma & Ba 2014, Algorithm 1).

    The moments start at zero and step ``t`` runs from 1 to ``n_iter``; each
    step is :func:`adam_step`'s update. Hyperparameters are as in
    :func:`adam_step` (the defaults are the paper's); the other arguments are
    as in :func:`gradient_descent`. This is ``runner.run("adam", ...)``.

    Returns
    -------
    SearchResult
        The path (``x0`` included), the scores, and whether it diverged.

    Examples
    --------
    >>> import numpy as np
    >>> result = adam(lambda x: 2 * x, np.array([1.0, -0.5]), 3, alpha=0.1)
    >>> result.path.shape
    (4, 2)
    """
    return run("adam", derivative, x0, n_iter, objective=objective, max_norm=max_norm, verbose=verbose,
               alpha=alpha, beta1=beta1, beta2=beta2, eps=eps)
