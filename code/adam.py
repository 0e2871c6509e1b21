r"""Gradient descent and Adam, written to be read beside the paper.

Each line of :func:`adam_step` is one line of Algorithm 1 of Kingma & Ba,
*Adam: A Method for Stochastic Optimization* (2014). The names follow the
paper and the course text: ``m``, ``v``, ``m_hat``, ``v_hat``, ``alpha``,
``beta1``, ``beta2``, ``eps`` and the 1-based step number ``t``.

Everything works on NumPy arrays of any shape: one point ``x`` of shape
``(d,)``, or a batch of independent runs of shape ``(n_runs, d)`` whose
hyperparameters may themselves be arrays of shape ``(n_runs, 1)``.

The runners :func:`gradient_descent` and :func:`adam` return a
:class:`SearchResult` holding the whole path. A run whose gradient, iterate
or score stops being finite (or whose iterate grows beyond ``max_norm``)
does not raise: it stops, keeps the iterates up to the last good one, and
is flagged ``diverged`` with a message that names the step. (We chose a
flagged result over an exception so that a chapter or an explorer can show
a diverging run; a batch of runs stops as a whole when any of its runs
diverges, so run a batch with settings you expect to converge.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from validation import (
    check_array,
    check_broadcasts_to,
    check_callable,
    check_int,
    check_real,
    check_same_shape,
)

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
PAPER_DEFAULTS = {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

Function = Callable[[np.ndarray], np.ndarray]


# --------------------------------------------------------------------------
# One step
# --------------------------------------------------------------------------
def _check_hyperparameters(shape, alpha, beta1=None, beta2=None, eps=None, eps_name="eps"):
    """Validate the hyperparameters of one step against the shape of ``x``."""
    alpha = check_real("alpha", alpha, low=0.0, low_inclusive=False, allow_array=True)
    check_broadcasts_to("alpha", alpha, shape, "x")
    if beta1 is not None:
        beta1 = check_real("beta1", beta1, low=0.0, high=1.0, high_inclusive=False, allow_array=True)
        check_broadcasts_to("beta1", beta1, shape, "x")
    if beta2 is not None:
        beta2 = check_real("beta2", beta2, low=0.0, high=1.0, high_inclusive=False, allow_array=True)
        check_broadcasts_to("beta2", beta2, shape, "x")
    if eps is not None:
        eps = check_real(eps_name, eps, low=0.0, low_inclusive=False)
    return alpha, beta1, beta2, eps


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


def _adam_update(x, g, m, v, t, alpha, beta1, beta2, eps):
    """Algorithm 1, unchecked: the body shared by :func:`adam_step` and :func:`adam`."""
    m = beta1 * m + (1.0 - beta1) * g  # m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
    v = beta2 * v + (1.0 - beta2) * g**2  # v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
    m_hat = m / (1.0 - beta1**t)  # m_hat_t = m_t / (1 - beta1^t)
    v_hat = v / (1.0 - beta2**t)  # v_hat_t = v_t / (1 - beta2^t)
    x = x - alpha * m_hat / (np.sqrt(v_hat) + eps)  # x_t = x_{t-1} - alpha m_hat_t / (sqrt(v_hat_t) + eps)
    return x, m, v


def adam_step(
    x: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    alpha: float | np.ndarray = 0.001,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps: float = 1e-8,
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
    eps : float
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
    alpha, beta1, beta2, eps = _check_hyperparameters(x.shape, alpha, beta1, beta2, eps)
    return _adam_update(x, g, m, v, t, alpha, beta1, beta2, eps)


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
    alpha, beta1, beta2, eps_hat = _check_hyperparameters(
        x.shape, alpha, beta1, beta2, eps_hat, eps_name="eps_hat"
    )
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
    alpha, *_ = _check_hyperparameters(x.shape, alpha)
    return x - alpha * g


# --------------------------------------------------------------------------
# Whole runs
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchResult:
    """The outcome of a run of :func:`gradient_descent` or :func:`adam`.

    Attributes
    ----------
    path : ndarray, shape (n_steps + 1, *x0.shape)
        Every iterate, ``path[0]`` being the start ``x0`` and ``path[t]`` the
        point after step ``t``.
    scores : ndarray or None
        ``objective(path[t])`` for every ``t``, when an objective was given.
    diverged : bool
        True when the run stopped early because a gradient, iterate or score
        stopped being finite or the iterate left the ball of radius
        ``max_norm``.
    message : str
        What happened, in words (and at which step, for a diverged run).
    """

    path: np.ndarray
    scores: np.ndarray | None
    diverged: bool
    message: str

    @property
    def n_steps(self) -> int:
        """How many updates were made (``len(path) - 1``)."""
        return len(self.path) - 1

    @property
    def x(self) -> np.ndarray:
        """The last iterate."""
        return self.path[-1]

    @property
    def score(self) -> float | np.ndarray | None:
        """The objective at the last iterate, or None without an objective."""
        return None if self.scores is None else self.scores[-1]


def _check_run(derivative, x0, n_iter, objective, max_norm):
    check_callable("derivative", derivative)
    if objective is not None:
        check_callable("objective", objective)
    x0 = check_array("x0", x0)
    n_iter = check_int("n_iter", n_iter, low=0)
    max_norm = check_real("max_norm", max_norm, low=0.0, low_inclusive=False)
    return x0, n_iter, max_norm


def _gradient(derivative, x, t):
    """Call the derivative and check what it returns; None means not finite."""
    g = np.asarray(derivative(x), dtype=float)
    if g.shape != x.shape:
        raise ValueError(
            f"derivative must return an array of the shape of x {x.shape}, "
            f"returned shape {g.shape} at step {t}"
        )
    return g


def _run(update, derivative, x0, n_iter, objective, max_norm, verbose):
    """The loop shared by both runners: call ``update``, record, watch for divergence."""
    path = [x0.copy()]
    scores = None if objective is None else [np.asarray(objective(x0), dtype=float)]
    state: dict = {}
    message = f"finished {n_iter} steps"
    diverged = False
    x = x0
    for t in range(1, n_iter + 1):
        g = _gradient(derivative, x, t)
        if not np.all(np.isfinite(g)):
            diverged, message = True, f"diverged at step {t}: the gradient is not finite (nan or inf)"
            break
        x = update(x, g, t, state)
        norm = np.max(np.abs(x)) if x.size else 0.0
        if not np.all(np.isfinite(x)) or norm > max_norm:
            diverged = True
            message = (
                f"diverged at step {t}: the iterate is not finite"
                if not np.isfinite(norm)
                else f"diverged at step {t}: |x| = {norm:.3g} exceeds max_norm = {max_norm:.3g}"
            )
            break
        if scores is not None:
            score = np.asarray(objective(x), dtype=float)
            if not np.all(np.isfinite(score)):
                diverged, message = True, f"diverged at step {t}: the objective is not finite"
                break
            scores.append(score)
        path.append(x)
        if verbose:
            print(format_step(t - 1, x, None if scores is None else scores[-1]))
    if verbose and diverged:
        print(message.capitalize() + "; the run stopped there.")
    return SearchResult(
        path=np.array(path),
        scores=None if scores is None else np.array(scores),
        diverged=diverged,
        message=message,
    )


def format_step(t: int, x: np.ndarray, score: float | None) -> str:
    """One progress line in the article's format, ``>t f([x y]) = score``.

    ``t`` is the article's 0-based loop counter (our step ``t + 1``).
    """
    if score is None:
        return ">%d x = %s" % (t, x)
    return ">%d f(%s) = %.5f" % (t, x, score)


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
        Step size > 0; an array broadcasts against ``x0``.
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
    x0, n_iter, max_norm = _check_run(derivative, x0, n_iter, objective, max_norm)
    alpha, *_ = _check_hyperparameters(x0.shape, alpha)

    def update(x, g, t, state):
        return x - alpha * g  # x_t = x_{t-1} - alpha * g_t

    return _run(update, derivative, x0, n_iter, objective, max_norm, verbose)


def adam(
    derivative: Function,
    x0: np.ndarray,
    n_iter: int,
    alpha: float | np.ndarray = 0.001,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps: float = 1e-8,
    objective: Function | None = None,
    *,
    max_norm: float = 1e10,
    verbose: bool = False,
) -> SearchResult:
    r"""Run Adam from ``x0`` for ``n_iter`` steps (Kingma & Ba 2014, Algorithm 1).

    The moments start at zero and step ``t`` runs from 1 to ``n_iter``; each
    step is :func:`adam_step`. Hyperparameters are as in :func:`adam_step`
    (the defaults are the paper's); the other arguments are as in
    :func:`gradient_descent`.

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
    x0, n_iter, max_norm = _check_run(derivative, x0, n_iter, objective, max_norm)
    alpha, beta1, beta2, eps = _check_hyperparameters(x0.shape, alpha, beta1, beta2, eps)

    def update(x, g, t, state):
        m = state.get("m", np.zeros_like(x0))  # m_0 = 0
        v = state.get("v", np.zeros_like(x0))  # v_0 = 0
        x, state["m"], state["v"] = _adam_update(x, g, m, v, t, alpha, beta1, beta2, eps)
        return x

    return _run(update, derivative, x0, n_iter, objective, max_norm, verbose)
