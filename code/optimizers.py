r"""Adam's family on one protocol.

Every optimizer here is an :class:`Optimizer`: it declares its
hyperparameters **once** (:class:`Hyperparameter`: name, symbol, default,
valid range, the range an explorer offers, log scale or not), and that one
declaration drives argument checks, explorer sliders and the docs. It has

- ``init(x0)``: its state, a dict of arrays of zeros shaped like ``x0``
  (empty for gradient descent);
- ``update(x, g, state, t, **hyper)``: one step, **pure** (the inputs are
  never modified) and vectorized: ``x`` may be one point of shape ``(d,)``
  or a batch of runs of shape ``(n_runs, d)`` whose hyperparameters are
  arrays of shape ``(n_runs, 1)``. It returns ``(new_x, new_state)``. It
  does not check its arguments (the runner checks them once per run);
- ``step(x, g, state, t, **hyper)``: the same step, arguments checked first,
  for calling by hand.

Each update is written one line per equation, with the paper's names, and
its equations and source are in its docstring. Where papers and frameworks
differ, the docstring says which form is used here.

>>> adam = OPTIMIZERS["adam"]
>>> x, state = adam.step(np.array([1.0]), np.array([2.0]), adam.init(np.array([1.0])), 1, alpha=0.1)
>>> x
array([0.9])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from validation import check_array, check_broadcasts_to, check_int, check_real, check_same_shape

__all__ = ["Hyperparameter", "Optimizer", "OPTIMIZERS", "get_optimizer", "hyperparameter_latex"]


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter, declared once.

    Attributes
    ----------
    name : str
        The keyword argument (``"alpha"``, ``"beta1"``, ...).
    symbol : str
        How the text writes it (``"α"``, ``"β₁"``, ...).
    latex : str
        The same in LaTeX (``r"\alpha"``).
    default : float
        The value used when none is given.
    low, high : float
        The valid range; ``low_inclusive`` / ``high_inclusive`` say whether
        the ends are allowed (``high`` may be ``inf``).
    explore : (float, float)
        The range an explorer's slider offers (inside the valid range).
    log : bool
        Whether the slider moves on a log scale.
    step : float
        The slider's resolution: a value step, or a step in decades when ``log``.
    doc : str
        What it does, in a few words.
    """

    name: str
    symbol: str
    latex: str
    default: float
    low: float
    high: float
    explore: tuple[float, float]
    low_inclusive: bool = True
    high_inclusive: bool = True
    log: bool = False
    step: float = 0.01
    doc: str = ""

    def __post_init__(self):
        lo, hi = self.explore
        if not (self.contains(lo) and self.contains(hi) and lo < hi and self.contains(self.default)):
            raise ValueError(f"{self.name}: explore range {self.explore} and default must be valid values")

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the valid range."""
        above = value >= self.low if self.low_inclusive else value > self.low
        below = value <= self.high if self.high_inclusive else value < self.high
        return bool(above and below)

    def check(self, value, shape: tuple[int, ...] | None = None):
        """Check a value (a number, or an array broadcasting against ``shape``)."""
        value = check_real(
            self.name,
            value,
            low=self.low,
            high=None if np.isinf(self.high) else self.high,
            low_inclusive=self.low_inclusive,
            high_inclusive=self.high_inclusive,
            allow_array=True,
        )
        if shape is not None:
            check_broadcasts_to(self.name, value, shape, "x")
        return value

    def describe(self) -> str:
        """The valid range in words, e.g. ``β₁ (beta1, decay rate of the first moment) in [0, 1), default 0.9``."""
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive and np.isfinite(self.high) else ")"
        high = "∞" if np.isinf(self.high) else f"{self.high:g}"
        what = f"{self.name}, {self.doc}" if self.doc else self.name
        return f"{self.symbol} ({what}) in {left}{self.low:g}, {high}{right}, default {self.default:g}"


Update = Callable[..., tuple[np.ndarray, dict]]


@dataclass(frozen=True)
class Optimizer:
    """An optimizer on the course's protocol (see the module docstring).

    Attributes
    ----------
    name : str
        The key in :data:`OPTIMIZERS`.
    title : str
        The name as text shows it ("Adam", "gradient descent", ...).
    hyperparameters : tuple of Hyperparameter
        Declared once, in the order of the update's keyword arguments.
    state_names : tuple of str
        The arrays of the state, each shaped like ``x``.
    update : callable
        The unchecked step ``update(x, g, state, t, **hyper)``.
    citation : str
        Where the update comes from.
    """

    name: str
    title: str
    hyperparameters: tuple[Hyperparameter, ...]
    state_names: tuple[str, ...]
    update: Update
    citation: str
    parent: str | None = None
    changes: str = ""

    @property
    def defaults(self) -> dict[str, float]:
        """The default value of every hyperparameter."""
        return {h.name: h.default for h in self.hyperparameters}

    @property
    def names(self) -> tuple[str, ...]:
        """The hyperparameters' names, in order."""
        return tuple(h.name for h in self.hyperparameters)

    def hyperparameter(self, name: str) -> Hyperparameter:
        """The declaration of one hyperparameter."""
        for h in self.hyperparameters:
            if h.name == name:
                return h
        raise TypeError(f"{self.title} has no hyperparameter {name!r}; it has {', '.join(self.names) or 'none'}")

    def check(self, shape: tuple[int, ...] | None = None, **hyper) -> dict:
        """Check hyperparameters against the declarations; fill in the defaults.

        Returns the full dict of hyperparameters. Raises ``TypeError`` for an
        unknown name and ``TypeError``/``ValueError`` for a bad value, naming
        the valid range.
        """
        unknown = sorted(set(hyper) - set(self.names))
        if unknown:
            allowed = "; ".join(h.describe() for h in self.hyperparameters) or "none"
            raise TypeError(f"{self.title} has no hyperparameter {', '.join(map(repr, unknown))}; it takes: {allowed}")
        values = {}
        for h in self.hyperparameters:
            values[h.name] = h.check(hyper.get(h.name, h.default), shape)
        return values

    def init(self, x0) -> dict[str, np.ndarray]:
        """The state before the first step: one array of zeros shaped like ``x0`` per name."""
        x0 = check_array("x0", x0)
        return {name: np.zeros_like(x0) for name in self.state_names}

    def step(self, x, g, state: dict, t: int, **hyper) -> tuple[np.ndarray, dict]:
        """One checked step: validate everything, then :attr:`update`. Inputs are not modified."""
        x = check_array("x", x)
        g = check_array("g", g)
        check_same_shape("x", x, g=g)
        t = check_int("t", t, low=1)
        if not isinstance(state, dict) or set(state) != set(self.state_names):
            raise ValueError(
                f"state must be a dict with the keys {list(self.state_names)} (from {self.name}.init(x0)), "
                f"got {sorted(state) if isinstance(state, dict) else type(state).__name__}"
            )
        checked_state = {}
        for name in self.state_names:
            checked_state[name] = check_array(f"state[{name!r}]", state[name])
            check_same_shape("x", x, **{f"state[{name!r}]": checked_state[name]})
        return self.update(x, g, checked_state, t, **self.check(x.shape, **hyper))

    def __repr__(self) -> str:
        return f"<optimizer {self.name!r}: {', '.join(f'{k}={v:g}' for k, v in self.defaults.items())}>"


# --------------------------------------------------------------------------
# Hyperparameter declarations (shared by the optimizers that use them)
# --------------------------------------------------------------------------
def _alpha(default: float) -> Hyperparameter:
    return Hyperparameter(
        "alpha", "α", r"\alpha", default, 0.0, np.inf, (1e-4, 10**0.5),
        low_inclusive=False, log=True, step=0.05, doc="step size",
    )


def _beta(name, symbol, latex, default, doc, *, explore_high, step) -> Hyperparameter:
    return Hyperparameter(
        name, symbol, latex, default, 0.0, 1.0, (0.0, explore_high), high_inclusive=False, step=step, doc=doc
    )


def _eps(default: float, *, zero_allowed: bool = False) -> Hyperparameter:
    return Hyperparameter(
        "eps", "ε", r"\epsilon", default, 0.0, np.inf, (1e-12, 1.0),
        low_inclusive=zero_allowed, log=True, step=0.5, doc="added to the denominator",
    )


BETA1 = _beta("beta1", "β₁", r"\beta_1", 0.9, "decay rate of the first moment (the mean of g)",
              explore_high=0.999, step=0.001)
BETA2 = _beta("beta2", "β₂", r"\beta_2", 0.999, "decay rate of the second raw moment (the mean of g²)",
              explore_high=0.9999, step=0.0001)
MU = Hyperparameter("mu", "μ", r"\mu", 0.9, 0.0, 1.0, (0.0, 0.99), high_inclusive=False, step=0.01,
                    doc="momentum coefficient")
RHO = Hyperparameter("rho", "ρ", r"\rho", 0.99, 0.0, 1.0, (0.0, 0.9999), high_inclusive=False, step=0.0001,
                     doc="decay rate of the mean of g²")
WEIGHT_DECAY = Hyperparameter("weight_decay", "λ", r"\lambda", 0.01, 0.0, np.inf, (0.0, 1.0),
                              doc="decoupled weight decay, scaled by α")


# --------------------------------------------------------------------------
# The updates: one line per equation
# --------------------------------------------------------------------------
def gradient_descent_update(x, g, state, t, *, alpha):
    r"""Gradient descent (Cauchy 1847).

    .. math:: x_t = x_{t-1} - \alpha\, g_t
    """
    x = x - alpha * g  # x_t = x_{t-1} - alpha g_t
    return x, state


def momentum_update(x, g, state, t, *, alpha, mu):
    r"""Gradient descent with momentum, the heavy ball (Polyak 1964), in torch's form.

    .. math::

        b_t &= \mu\, b_{t-1} + g_t \\
        x_t &= x_{t-1} - \alpha\, b_t

    With a constant :math:`\alpha` this is the same sequence of iterates as
    Sutskever et al.'s :math:`u_t = \mu u_{t-1} - \alpha g_t`,
    :math:`x_t = x_{t-1} + u_t` (:math:`u_t = -\alpha b_t`). With
    :math:`\mu = 0` it is gradient descent.
    """
    b = mu * state["b"] + g  # b_t = mu b_{t-1} + g_t
    x = x - alpha * b  # x_t = x_{t-1} - alpha b_t
    return x, {"b": b}


def nesterov_update(x, g, state, t, *, alpha, mu):
    r"""Nesterov's accelerated gradient (Nesterov 1983; Sutskever et al. 2013), in torch's form.

    .. math::

        b_t &= \mu\, b_{t-1} + g_t \\
        x_t &= x_{t-1} - \alpha\, (g_t + \mu\, b_t)

    Sutskever et al. write it with the gradient taken at a look-ahead point,
    :math:`u_t = \mu u_{t-1} - \alpha \nabla f(\theta_{t-1} + \mu u_{t-1})`,
    :math:`\theta_t = \theta_{t-1} + u_t`. That form needs a gradient
    somewhere other than the iterate; torch (and this course) follow the
    iterate :math:`x_t = \theta_t + \mu u_t` instead, whose update needs only
    :math:`g_t = \nabla f(x_{t-1})`. The two produce the same points, shifted
    by :math:`\mu u_t` (tested).
    """
    b = mu * state["b"] + g  # b_t = mu b_{t-1} + g_t
    x = x - alpha * (g + mu * b)  # x_t = x_{t-1} - alpha (g_t + mu b_t)
    return x, {"b": b}


def adagrad_update(x, g, state, t, *, alpha, eps):
    r"""AdaGrad (Duchi, Hazan & Singer 2011), diagonal form, as torch writes it.

    .. math::

        G_t &= G_{t-1} + g_t^2 \\
        x_t &= x_{t-1} - \alpha\, g_t / (\sqrt{G_t} + \epsilon)

    :math:`G_t` only grows, so every coordinate's step shrinks toward zero.
    """
    G = state["G"] + g**2  # G_t = G_{t-1} + g_t^2
    x = x - alpha * g / (np.sqrt(G) + eps)  # x_t = x_{t-1} - alpha g_t / (sqrt(G_t) + eps)
    return x, {"G": G}


def rmsprop_update(x, g, state, t, *, alpha, rho, eps):
    r"""RMSProp (Tieleman & Hinton 2012, lecture 6e), as torch writes it (no momentum).

    .. math::

        s_t &= \rho\, s_{t-1} + (1 - \rho)\, g_t^2 \\
        x_t &= x_{t-1} - \alpha\, g_t / (\sqrt{s_t} + \epsilon)

    AdaGrad's sum becomes a moving average, so old gradients are forgotten
    and steps do not shrink to zero. There is no bias correction: the first
    steps divide by :math:`\sqrt{(1-\rho)}\,|g|`, and are large.
    """
    s = rho * state["s"] + (1.0 - rho) * g**2  # s_t = rho s_{t-1} + (1 - rho) g_t^2
    x = x - alpha * g / (np.sqrt(s) + eps)  # x_t = x_{t-1} - alpha g_t / (sqrt(s_t) + eps)
    return x, {"s": s}


def adam_update(x, g, state, t, *, alpha, beta1, beta2, eps):
    r"""Adam (Kingma & Ba 2014, Algorithm 1).

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v_t / (1 - \beta_2^t) \\
        x_t &= x_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    This is the course's reference for Adam: ``adam.adam_step`` checks its
    arguments and calls it, and the article's run goes through it.
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    v = beta2 * state["v"] + (1.0 - beta2) * g**2  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
    m_hat = m / (1.0 - beta1**t)  # m_hat_t = m_t / (1 - beta1^t)
    v_hat = v / (1.0 - beta2**t)  # v_hat_t = v_t / (1 - beta2^t)
    x = x - alpha * m_hat / (np.sqrt(v_hat) + eps)  # x_t = x_{t-1} - alpha m_hat_t / (sqrt(v_hat_t) + eps)
    return x, {"m": m, "v": v}


def adamax_update(x, g, state, t, *, alpha, beta1, beta2, eps):
    r"""AdaMax (Kingma & Ba 2014, Section 7.1, Algorithm 2), with torch's ε.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &= \max(\beta_2 u_{t-1},\; |g_t| + \epsilon) \\
        x_t &= x_{t-1} - \frac{\alpha}{1 - \beta_1^t}\, m_t / u_t

    The paper has no :math:`\epsilon` (:math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)`),
    which divides by zero when the first gradient of a coordinate is zero;
    torch puts :math:`\epsilon` inside the max, and so do we. ``eps=0`` gives
    the paper's form exactly. :math:`u_t` is the infinity norm the article's
    text mistakenly gives Adam's :math:`v_t`; it needs no bias correction.
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    u = np.maximum(beta2 * state["u"], np.abs(g) + eps)  # u_t = max(beta2 u_{t-1}, |g_t| + eps)
    x = x - (alpha / (1.0 - beta1**t)) * m / u  # x_t = x_{t-1} - alpha / (1 - beta1^t) m_t / u_t
    return x, {"m": m, "u": u}


def amsgrad_update(x, g, state, t, *, alpha, beta1, beta2, eps):
    r"""AMSGrad (Reddi, Kale & Kumar 2018), in torch's form with bias correction.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        v^{\max}_t &= \max(v^{\max}_{t-1}, v_t) \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v^{\max}_t / (1 - \beta_2^t) \\
        x_t &= x_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Reddi et al.'s Algorithm 2 keeps the maximum of :math:`v_t` and has no
    bias correction and no :math:`\epsilon`; torch (and this course) take the
    maximum of the raw :math:`v_t`, then bias-correct it as Adam does. So
    AMSGrad is Adam exactly as long as :math:`v_t` never decreases (tested),
    and never divides by less than the largest :math:`v` seen so far.
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    v = beta2 * state["v"] + (1.0 - beta2) * g**2  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
    v_max = np.maximum(state["v_max"], v)  # v_max_t = max(v_max_{t-1}, v_t)
    m_hat = m / (1.0 - beta1**t)  # m_hat_t = m_t / (1 - beta1^t)
    v_hat = v_max / (1.0 - beta2**t)  # v_hat_t = v_max_t / (1 - beta2^t)
    x = x - alpha * m_hat / (np.sqrt(v_hat) + eps)  # x_t = x_{t-1} - alpha m_hat_t / (sqrt(v_hat_t) + eps)
    return x, {"m": m, "v": v, "v_max": v_max}


def adamw_update(x, g, state, t, *, alpha, beta1, beta2, eps, weight_decay):
    r"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, Algorithm 2), torch's scaling.

    .. math::

        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v_t / (1 - \beta_2^t) \\
        x_t &= x_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon) - \alpha \lambda\, x_{t-1}

    The decay :math:`\lambda x_{t-1}` bypasses the moments (it is not part of
    :math:`g_t`), which is what "decoupled" means. The paper multiplies both
    terms by a schedule :math:`\eta_t` and the Adam term by its own
    :math:`\alpha`; torch and optax scale the decay by the step size, as here
    (the paper's form with :math:`\eta_t = \alpha` and its :math:`\alpha = 1`).
    With :math:`\lambda = 0` it is Adam, bit for bit.
    """
    m = beta1 * state["m"] + (1.0 - beta1) * g  # m_t = beta1 m_{t-1} + (1 - beta1) g_t
    v = beta2 * state["v"] + (1.0 - beta2) * g**2  # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
    m_hat = m / (1.0 - beta1**t)  # m_hat_t = m_t / (1 - beta1^t)
    v_hat = v / (1.0 - beta2**t)  # v_hat_t = v_t / (1 - beta2^t)
    x = x - alpha * m_hat / (np.sqrt(v_hat) + eps) - alpha * weight_decay * x  # x_t = ... - alpha lambda x_{t-1}
    return x, {"m": m, "v": v}


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("gradient descent", "gradient descent", (_alpha(0.1),), (), gradient_descent_update,
                  "Cauchy (1847)", changes="x moves against the gradient, α times its length"),
        Optimizer("momentum", "momentum", (_alpha(0.01), MU), ("b",), momentum_update, "Polyak (1964)",
                  parent="gradient descent", changes="steps follow a running sum b of gradients"),
        Optimizer("nesterov", "Nesterov momentum", (_alpha(0.01), MU), ("b",), nesterov_update,
                  "Nesterov (1983); Sutskever et al. (2013)", parent="momentum",
                  changes="the step looks ahead: g + μb instead of b"),
        Optimizer("adagrad", "AdaGrad", (_alpha(0.01), _eps(1e-10)), ("G",), adagrad_update,
                  "Duchi, Hazan & Singer (2011)", parent="gradient descent",
                  changes="each coordinate's step is divided by the root of its summed squared gradients"),
        Optimizer("rmsprop", "RMSProp", (_alpha(0.01), RHO, _eps(1e-8)), ("s",), rmsprop_update,
                  "Tieleman & Hinton (2012)", parent="adagrad",
                  changes="the sum of squares becomes a moving average"),
        Optimizer("adam", "Adam", (_alpha(0.001), BETA1, BETA2, _eps(1e-8)), ("m", "v"), adam_update,
                  "Kingma & Ba (2014)", parent="rmsprop",
                  changes="momentum on top (m), and both averages bias-corrected"),
        Optimizer("adamax", "AdaMax", (_alpha(0.002), BETA1, BETA2, _eps(1e-8, zero_allowed=True)), ("m", "u"),
                  adamax_update, "Kingma & Ba (2014), Section 7.1", parent="adam",
                  changes="the root mean square becomes a decaying maximum of |g|"),
        Optimizer("amsgrad", "AMSGrad", (_alpha(0.001), BETA1, BETA2, _eps(1e-8)), ("m", "v", "v_max"),
                  amsgrad_update, "Reddi, Kale & Kumar (2018)", parent="adam",
                  changes="divide by the largest v so far (then bias-corrected), so one large gradient keeps "
                          "the steps small long after it"),
        Optimizer("adamw", "AdamW", (_alpha(0.001), BETA1, BETA2, _eps(1e-8), WEIGHT_DECAY), ("m", "v"),
                  adamw_update, "Loshchilov & Hutter (2019)", parent="adam",
                  changes="weight decay applied to x directly, outside the moments"),
    )
}


def hyperparameter_latex(name: str) -> str:
    """The LaTeX symbol declared for the hyperparameter ``name`` (``r"\\beta_1"`` for ``"beta1"``), from the registry."""
    for optimizer in OPTIMIZERS.values():
        for h in optimizer.hyperparameters:
            if h.name == name:
                return h.latex
    known = sorted({h.name for o in OPTIMIZERS.values() for h in o.hyperparameters})
    raise ValueError(f"no optimizer declares a hyperparameter {name!r}; declared: {known}")


def get_optimizer(optimizer: str | Optimizer) -> Optimizer:
    """An :class:`Optimizer` from itself or its name in :data:`OPTIMIZERS`."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str):
        if optimizer in OPTIMIZERS:
            return OPTIMIZERS[optimizer]
        raise ValueError(f"unknown optimizer {optimizer!r}; the optimizers are {', '.join(map(repr, OPTIMIZERS))}")
    raise TypeError(f"optimizer must be a name or an Optimizer, got {type(optimizer).__name__}")
