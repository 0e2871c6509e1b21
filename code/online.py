r"""Online optimization: a gradient that changes with the step, a step-size schedule, a projection.

The runner (:func:`runner.run`) minimizes one fixed function with a constant
step size. The failure of Adam found by Reddi, Kale & Kumar (2018) needs three
things it does not do, and :func:`run_online` does them for **any** optimizer
of :data:`optimizers.OPTIMIZERS`:

- a **time-varying gradient**: at step :math:`t` the optimizer sees the
  gradient of the :math:`t`-th function :math:`f_t` (an *online* problem),
  ``gradient_at(t, x)``;
- a **step-size schedule** :math:`\alpha_t` (``schedule(t)``), such as the
  paper's :math:`\alpha/\sqrt t`, a warm-up or an exponential decay;
- a **projection** :math:`\Pi` back onto the feasible set (``project(x)``),
  such as ``np.clip(x, -1, 1)`` for the interval :math:`[-1, 1]`.

It also holds two **teaching variants**, not part of the registry:
:data:`ADAM_NO_BIAS_CORRECTION` (Adam as Reddi et al. analyse it, and as
Kingma & Ba's Algorithm 1 would be without its two bias-correction lines)
and :data:`AMSGRAD_NO_BIAS_CORRECTION` (Reddi et al.'s Algorithm 2). They
exist to show what bias correction changes; use the registry's ``"adam"``
and ``"amsgrad"`` for everything else.

Numerics only: nothing here imports matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from optimizers import OPTIMIZERS, Optimizer, get_optimizer
from validation import check_array, check_callable, check_int

__all__ = [
    "OnlineResult",
    "run_online",
    "ADAM_NO_BIAS_CORRECTION",
    "AMSGRAD_NO_BIAS_CORRECTION",
]


@dataclass(frozen=True)
class OnlineResult:
    """What :func:`run_online` recorded.

    Attributes
    ----------
    path : ndarray or None
        ``path[0]`` is ``x0`` and ``path[t]`` the (projected) iterate after
        step ``t``: shape ``(n_iter + 1, *x0.shape)``. None with ``keep_path=False``.
    x : ndarray
        The last iterate.
    alphas : ndarray
        The step size used at every step: ``alphas[t - 1]`` is :math:`\\alpha_t`
        (shape ``(n_iter,)``, or ``(n_iter, n_runs, 1)`` for a schedule that
        returns one value per run).
    states : dict of ndarray
        For each name in ``keep_state``, that state array after every step,
        ``states[name][t]`` after step ``t`` and ``states[name][0]`` the
        initial state (zeros).
    state : dict of ndarray
        The optimizer's last state.
    diverged : bool or ndarray of bool
        Whether the run (each run of a batch) stopped because its gradient,
        iterate or state stopped being finite. A stopped run keeps its last
        good iterate; its path holds ``nan`` after it (a single run's path
        and states end at its last good step).
    message : str
        What happened, naming the step and the reason of any divergence.
    """

    path: np.ndarray | None
    x: np.ndarray
    alphas: np.ndarray
    states: dict = field(default_factory=dict)
    state: dict = field(default_factory=dict)
    diverged: bool | np.ndarray = False
    message: str = ""


def run_online(
    optimizer: str | Optimizer,
    gradient_at: Callable[[int, np.ndarray], np.ndarray],
    x0,
    n_iter: int,
    *,
    schedule: Callable[[int], float] | None = None,
    project: Callable[[np.ndarray], np.ndarray] | None = None,
    keep_path: bool = True,
    keep_state: tuple[str, ...] = (),
    **hyper,
) -> OnlineResult:
    r"""Drive any optimizer's ``update`` on an online problem, with a schedule and a projection.

    Step :math:`t = 1, 2, \dots, n_{\text{iter}}` does, in this order:

    .. math::

        g_t &= \nabla f_t(x_{t-1}) && \text{``gradient_at(t, x)``} \\
        \alpha_t &= \text{``schedule(t)``} && \text{(or the constant ``alpha``)} \\
        y_t &= \text{the optimizer's update from } x_{t-1} \text{ with } g_t,
               \text{ its state, step } t \text{ and } \alpha_t \text{ in place of } \alpha \\
        x_t &= \Pi(y_t) && \text{``project(y)``}

    This is how Reddi, Kale & Kumar (2018) write Adam and AMSGrad (their
    Algorithms 1 and 2, with the paper's 1-based indices shifted by one:
    their :math:`x_t` is our :math:`x_{t-1}`): the step size
    :math:`\alpha_t` **replaces** :math:`\alpha` inside the update at step
    :math:`t` (for AdamW it therefore scales the decay too, as torch's
    schedulers do), and the projection is applied **after** the step, to
    the new iterate only; the moments :math:`m_t, v_t` are computed from the
    unprojected gradients and are not touched by the projection. The paper
    projects in the norm weighted by :math:`\sqrt{\hat v_t}`; for a box such
    as :math:`[-1, 1]^d` and a diagonal weighting that projection is the same
    as clipping each coordinate, so ``project=lambda x: np.clip(x, -1, 1)`` is
    exact there.

    Parameters
    ----------
    optimizer : str or Optimizer
        A name in :data:`optimizers.OPTIMIZERS`, or an :class:`optimizers.Optimizer`
        (such as :data:`ADAM_NO_BIAS_CORRECTION`).
    gradient_at : callable
        ``gradient_at(t, x)``: the gradient of :math:`f_t` at ``x`` (the
        iterate before step ``t``), an array of the shape of ``x``.
    x0 : array
        The start, shape ``(d,)``, or ``(n_runs, d)`` for a batch of runs.
    n_iter : int
        How many steps, >= 0.
    schedule : callable, optional
        ``schedule(t)`` returns :math:`\alpha_t` > 0 (a number, or an array of
        shape ``(n_runs, 1)`` for a batch). Give either ``schedule`` or the
        hyperparameter ``alpha``, not both. Without either, the optimizer's
        default :math:`\alpha` is used at every step.
    project : callable, optional
        ``project(y)`` returns the feasible point for ``y`` (an array of the
        shape of ``y``); without it, no projection.
    keep_path : bool
        Keep every iterate (True) or only the last (False).
    keep_state : tuple of str
        Names of state arrays to record after every step (e.g. ``("v", "v_max")``).
    **hyper
        The optimizer's other hyperparameters (defaults for those not given).

    Returns
    -------
    OnlineResult

    Raises
    ------
    TypeError, ValueError
        For a bad argument, naming it; for ``alpha`` given together with a
        schedule; for a schedule value that is not a positive finite step
        size, or a gradient or projection of the wrong shape, naming the step.
        A run that diverges is not an error: it stops, and the result says so.

    Examples
    --------
    >>> r = run_online("adam", lambda t, x: np.full_like(x, 3.0 if t % 3 == 1 else -1.0),
    ...                np.array([0.0]), 3, schedule=lambda t: 0.1 / np.sqrt(t),
    ...                project=lambda x: np.clip(x, -1, 1), beta1=0.0, beta2=0.1)
    >>> r.path.shape, r.alphas.round(4).tolist()
    ((4, 1), [0.1, 0.0707, 0.0577])
    """
    optimizer = get_optimizer(optimizer)
    check_callable("gradient_at", gradient_at)
    x0 = check_array("x0", x0)
    if x0.ndim not in (1, 2) or x0.shape[-1] == 0:
        raise ValueError(f"x0 must be one point of shape (d,) or a batch of shape (n_runs, d), got shape {x0.shape}")
    n_iter = check_int("n_iter", n_iter, low=0)
    if not isinstance(keep_path, bool):
        raise TypeError(f"keep_path must be True or False, got {keep_path!r}")
    if schedule is not None:
        check_callable("schedule", schedule)
        if "alpha" in hyper:
            raise TypeError(
                "give either alpha (a constant step size) or schedule (alpha_t = schedule(t)), not both; "
                f"got alpha={hyper['alpha']!r} and a schedule"
            )
    if project is not None:
        check_callable("project", project)
    if isinstance(keep_state, str) or not all(isinstance(name, str) for name in keep_state):
        raise TypeError(f"keep_state must be a tuple of state names, got {keep_state!r}")
    unknown = [name for name in keep_state if name not in optimizer.state_names]
    if unknown:
        raise ValueError(
            f"keep_state names {unknown} that {optimizer.title} does not have; its state is "
            f"{list(optimizer.state_names) or 'empty'}"
        )
    checked = optimizer.check(x0.shape, **hyper)  # also fills in the defaults
    uses_alpha = "alpha" in optimizer.names
    if schedule is not None and not uses_alpha:
        raise ValueError(f"{optimizer.title} has no step size alpha for a schedule to replace")

    def alpha_at(t: int):
        a = schedule(t)
        if isinstance(a, (float, np.floating)) and 0.0 < a < np.inf:  # the common case, checked cheaply
            return a
        values = np.asarray(a, dtype=float)
        if not (np.all(np.isfinite(values)) and np.all(values > 0)):
            raise ValueError(f"schedule must return a step size > 0 and finite; at step {t} it returned {a!r}")
        if values.ndim:
            try:
                ok = np.broadcast_shapes(values.shape, x0.shape) == x0.shape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"schedule returned an array of shape {values.shape} at step {t}; it must broadcast "
                    f"against x of shape {x0.shape} (a number, or shape (n_runs, 1) for a batch)"
                )
        return a

    batch = x0.ndim == 2
    n_runs = x0.shape[0] if batch else 1
    x = x0.copy()
    state = optimizer.init(x0)
    path = np.full((n_iter + 1, *x0.shape), np.nan) if keep_path else None
    if keep_path:
        path[0] = x
    states = {name: np.full((n_iter + 1, *x0.shape), np.nan) for name in keep_state}
    for name in keep_state:
        states[name][0] = state[name]
    alphas = []
    active = np.ones(n_runs, dtype=bool)
    reasons: list[str | None] = [None] * n_runs
    last = n_iter
    with np.errstate(all="ignore"):  # a diverging run is reported, not warned about
        for t in range(1, n_iter + 1):
            g = np.asarray(gradient_at(t, x), dtype=float)
            if g.shape != x.shape:
                raise ValueError(f"gradient_at must return an array of the shape of x {x.shape}; at step {t} it "
                                 f"returned shape {g.shape}")
            if schedule is not None:
                checked["alpha"] = alpha_at(t)
            new_x, new_state = optimizer.update(x, g, state, t, **checked)  # alpha_t in place of alpha
            if project is not None:
                projected = np.asarray(project(new_x), dtype=float)  # projected after the step
                if projected.shape != new_x.shape:
                    raise ValueError(f"project must return an array of the shape of its argument {new_x.shape}; "
                                     f"at step {t} it returned shape {projected.shape}")
                new_x = projected
            # one cheap probe per step; only when it is not finite are the runs examined one by one
            probe = float(g.sum()) + float(new_x.sum()) + sum(float(a.sum()) for a in new_state.values())
            if not np.isfinite(probe):
                kinds = ("the gradient", "the iterate", *(f"the state {k}" for k in new_state))
                bad = [~np.all(np.isfinite(a), axis=-1) for a in (g, new_x, *new_state.values())]
                newly = np.atleast_1d(np.logical_or.reduce(bad)) & active
                for i in np.flatnonzero(newly):
                    kind = next(k for k, b in zip(kinds, bad) if np.atleast_1d(b)[i])
                    reasons[i] = f"diverged at step {t}: {kind} is not finite (nan or inf)"
                active &= ~newly
                if not batch and not active[0]:
                    last = t - 1
                    break
            if batch and not active.all():  # stopped runs keep their last good values
                keep = active[:, None]
                new_x = np.where(keep, new_x, x)
                new_state = {k: np.where(keep, new_state[k], state[k]) for k in state}
            if uses_alpha:
                alphas.append(checked["alpha"])
            x, state = new_x, new_state
            if keep_path:
                path[t] = x
                if batch:
                    path[t, ~active] = np.nan
            for name in keep_state:
                states[name][t] = state[name]
    if not batch and last < n_iter:  # a single run ends at its last good step
        path = path[: last + 1] if keep_path else None
        states = {name: values[: last + 1] for name, values in states.items()}
    alphas = np.array([np.asarray(a, dtype=float) for a in alphas]) if alphas else np.zeros(0)
    diverged = ~active
    count = int(diverged.sum())
    if not count:
        message = f"finished {n_iter} steps" + (f": all {n_runs} runs" if batch else "")
    elif not batch:
        message = reasons[0]
    else:
        first = int(np.flatnonzero(diverged)[0])
        message = f"{count} of {n_runs} runs diverged (run {first} {reasons[first]})"
    return OnlineResult(path=path, x=x, alphas=alphas, states=states, state=state,
                        diverged=diverged if batch else bool(diverged[0]), message=message)


# --------------------------------------------------------------------------
# Teaching variants: Adam and AMSGrad without bias correction
# --------------------------------------------------------------------------
def adam_no_bias_correction_update(x, g, state, t, *, alpha, beta1, beta2, eps):
    r"""A teaching variant: Adam **without** its bias correction (Reddi et al. 2018, Adam in their Algorithm 1).

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        x_t &= x_{t-1} - \alpha\, m_t / (\sqrt{v_t} + \epsilon)

    Kingma & Ba's Algorithm 1 divides :math:`m_t` by :math:`1 - \beta_1^t`
    and :math:`v_t` by :math:`1 - \beta_2^t`; this variant does not, so its
    first steps are :math:`(1 - \beta_1^t)/\sqrt{1 - \beta_2^t}` times
    Adam's (with :math:`\epsilon = 0`). ``eps=0`` is allowed (Reddi et al. have none).
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    v = beta2 * state["v"] + (1.0 - beta2) * g**2  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
    x = x - alpha * m / (np.sqrt(v) + eps)  # x_t = x_{t-1} - alpha m_t / (sqrt(v_t) + eps)
    return x, {"m": m, "v": v}


def amsgrad_no_bias_correction_update(x, g, state, t, *, alpha, beta1, beta2, eps):
    r"""A teaching variant: AMSGrad as Reddi, Kale & Kumar (2018) write it (Algorithm 2, constant :math:`\beta_1`).

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        v^{\max}_t &= \max(v^{\max}_{t-1}, v_t) \\
        x_t &= x_{t-1} - \alpha\, m_t / (\sqrt{v^{\max}_t} + \epsilon)

    No bias correction; the registry's ``"amsgrad"`` is torch's form, which
    bias-corrects :math:`v^{\max}_t`. ``eps=0`` is allowed (the paper has none).
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    v = beta2 * state["v"] + (1.0 - beta2) * g**2  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
    v_max = np.maximum(state["v_max"], v)  # v_max_t = max(v_max_{t-1}, v_t)
    x = x - alpha * m / (np.sqrt(v_max) + eps)  # x_t = x_{t-1} - alpha m_t / (sqrt(v_max_t) + eps)
    return x, {"m": m, "v": v, "v_max": v_max}


_ADAM = OPTIMIZERS["adam"]
_EPS_ZERO_ALLOWED = OPTIMIZERS["adamax"].hyperparameter("eps")  # eps >= 0, default 1e-8
_HYPER = (_ADAM.hyperparameter("alpha"), _ADAM.hyperparameter("beta1"), _ADAM.hyperparameter("beta2"),
          _EPS_ZERO_ALLOWED)

#: Teaching variant: Adam without bias correction (not in the registry).
ADAM_NO_BIAS_CORRECTION = Optimizer(
    "adam, no bias correction", "Adam without bias correction", _HYPER, ("m", "v"),
    adam_no_bias_correction_update, "Reddi, Kale & Kumar (2018), Algorithm 1 (teaching variant)",
    parent="adam", changes="no division by 1 - β₁ᵗ and 1 - β₂ᵗ",
)

#: Teaching variant: AMSGrad as in Reddi et al.'s Algorithm 2, without bias correction (not in the registry).
AMSGRAD_NO_BIAS_CORRECTION = Optimizer(
    "amsgrad, no bias correction", "AMSGrad without bias correction (the paper's)", _HYPER, ("m", "v", "v_max"),
    amsgrad_no_bias_correction_update, "Reddi, Kale & Kumar (2018), Algorithm 2 (teaching variant)",
    parent="amsgrad", changes="no bias correction of v_max",
)
