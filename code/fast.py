r"""Adam in place: the same arithmetic as :func:`adam.adam_step`, no new arrays.

:func:`adam.adam_step` is the readable reference: each line is one equation,
and each line makes new arrays (NumPy temporaries) for its intermediate
results. For a large problem, or a batch of many runs, that costs an
allocation (and, for big arrays, fresh memory pages) per operation per step.
:func:`adam_step_inplace` performs exactly the same floating-point operations
in exactly the same order, but writes every intermediate result into one of
two preallocated scratch buffers (an :class:`AdamScratch`) and the results
into ``x``, ``m`` and ``v`` themselves, using NumPy ufuncs with ``out=``.

The checks are split off: :func:`check_inplace_args` validates the arrays and
hyperparameters once per run; the hot function trusts them.

A run with the fast path::

    x, m, v = x0.astype(float), np.zeros_like(x0, dtype=float), np.zeros_like(x0, dtype=float)
    scratch = AdamScratch(x.shape)
    check_inplace_args(x, derivative(x), m, v, 1, alpha, beta1, beta2, eps, scratch=scratch)
    for t in range(1, n_iter + 1):
        adam_step_inplace(x, derivative(x), m, v, t, alpha, beta1, beta2, eps, scratch=scratch)
"""

from __future__ import annotations

import numbers

import numpy as np

from validation import check_broadcasts_to, check_int, check_real

__all__ = ["AdamScratch", "adam_step_inplace", "check_inplace_args"]


class AdamScratch:
    """Two work arrays for :func:`adam_step_inplace`, allocated once for a shape.

    ``a`` holds, in turn, :math:`(1 - \\beta_1) g_t`, :math:`(1 - \\beta_2) g_t^2`,
    :math:`\\hat m_t` and the step; ``b`` holds :math:`\\hat v_t` and the
    denominator :math:`\\sqrt{\\hat v_t} + \\epsilon`. Their contents between
    calls mean nothing.
    """

    __slots__ = ("shape", "a", "b")

    def __init__(self, shape: int | tuple[int, ...]) -> None:
        self.shape = (int(shape),) if isinstance(shape, numbers.Integral) else tuple(int(n) for n in shape)
        self.a = np.empty(self.shape, dtype=np.float64)
        self.b = np.empty(self.shape, dtype=np.float64)

    def __repr__(self) -> str:
        return f"AdamScratch(shape={self.shape})"


def adam_step_inplace(x, g, m, v, t, alpha, beta1, beta2, eps, *, scratch=None) -> None:
    r"""One Adam update (Kingma & Ba 2014, Algorithm 1), written into ``x``, ``m`` and ``v``.

    .. math::

        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t) \\
        \hat v_t &\leftarrow v_t / (1 - \beta_2^t) \\
        x_t &\leftarrow x_{t-1} - \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Parameters
    ----------
    x, m, v : float64 array, C-contiguous, one shape
        :math:`x_{t-1}, m_{t-1}, v_{t-1}` on entry; :math:`x_t, m_t, v_t` on
        return (overwritten).
    g : float64 array of the shape of ``x``
        The gradient :math:`g_t = \nabla f(x_{t-1})`; read, never written. It
        may share memory with ``x`` (``x`` is written only by the last
        operation, after ``g`` was last read), but not with ``m``, ``v`` or
        the scratch buffers.
    t : int
        The step number, from 1.
    alpha, beta1, beta2 : float, or float64 arrays broadcasting against ``x``
        Scalars are the fast case. For a batch of runs, ``x`` of shape
        ``(n_runs, d)`` and hyperparameters of shape ``(n_runs, 1)``.
    eps : float
        Added to :math:`\sqrt{\hat v_t}`.
    scratch : AdamScratch, optional
        Work arrays of the shape of ``x``. Pass one allocated once per run;
        ``None`` allocates a new one (correct, but slower).

    Returns
    -------
    None
        The results are in ``x``, ``m`` and ``v``.

    Notes
    -----
    **Nothing is checked here.** Call :func:`check_inplace_args` once per run:
    wrong dtypes, shapes or aliasing give wrong numbers silently.

    **Bit-identical to** :func:`adam.adam_step`. Each line of ``adam_step``
    is a sequence of elementary IEEE-754 operations (multiply, add, square,
    divide, square root, subtract), each correctly rounded. This function
    performs the same operations on the same operands in the same order;
    only the place where each intermediate result is stored differs, and
    storing a float64 into a float64 array does not round it again. The
    scalars :math:`1 - \beta_1^t` and :math:`1 - \beta_2^t` are computed by
    the same Python expressions. The only rewrites are
    :math:`(1 - \beta_1)\, g = g\, (1 - \beta_1)` and the like, and IEEE
    multiplication is commutative (``g**2`` on a float64 array is NumPy's
    ``square``, that is ``g * g``). Hence ``x``, ``m`` and ``v`` equal the
    arrays ``adam_step`` returns to the last bit (``tests/test_fast.py``
    checks it with ``np.array_equal``, over many steps).
    """
    if scratch is None:
        scratch = AdamScratch(x.shape)
    a, b = scratch.a, scratch.b
    bias1 = 1.0 - beta1**t  # 1 - beta1^t
    bias2 = 1.0 - beta2**t  # 1 - beta2^t
    # m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
    np.multiply(m, beta1, out=m)
    np.multiply(g, 1.0 - beta1, out=a)
    np.add(m, a, out=m)
    # v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
    np.multiply(v, beta2, out=v)
    np.square(g, out=a)
    np.multiply(a, 1.0 - beta2, out=a)
    np.add(v, a, out=v)
    # m_hat_t = m_t / (1 - beta1^t)
    np.divide(m, bias1, out=a)
    # v_hat_t = v_t / (1 - beta2^t)
    np.divide(v, bias2, out=b)
    # x_t = x_{t-1} - (alpha * m_hat_t) / (sqrt(v_hat_t) + eps)
    np.multiply(a, alpha, out=a)
    np.sqrt(b, out=b)
    np.add(b, eps, out=b)
    np.divide(a, b, out=a)
    np.subtract(x, a, out=x)


def _check_float64_c(name, value, shape=None):
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array of float64, got {type(value).__name__}")
    if value.dtype != np.float64:
        raise TypeError(
            f"{name} must have dtype float64, got dtype {value.dtype} "
            f"(convert once per run with np.ascontiguousarray({name}, dtype=float))"
        )
    if not value.flags.c_contiguous:
        raise ValueError(
            f"{name} must be C-contiguous, got a non-contiguous view of shape {value.shape} "
            f"(copy it once per run with np.ascontiguousarray({name}))"
        )
    if shape is not None and value.shape != shape:
        raise ValueError(f"{name} must have the shape of x {shape}, got shape {value.shape}")


def check_inplace_args(x, g, m, v, t, alpha, beta1, beta2, eps, *, scratch=None) -> None:
    """Check the arguments of :func:`adam_step_inplace` once, before a run.

    Raises ``TypeError`` (wrong kind or dtype) or ``ValueError`` (shape,
    layout, range or memory overlap) naming the argument, what was given and
    what is allowed; returns None when all is well.

    Checked: ``x``, ``g``, ``m``, ``v`` (and the scratch buffers) are float64,
    C-contiguous arrays of one shape; ``x``, ``m``, ``v`` are writeable and
    share no memory with each other, with ``g`` (except ``g`` with ``x``) or
    with the scratch; every value is finite and ``v >= 0``; ``t`` is an
    integer >= 1; ``alpha > 0``; ``beta1`` and ``beta2`` in [0, 1), each a
    number or a float array broadcasting against ``x`` without changing its
    shape; ``eps > 0`` is a number.
    """
    _check_float64_c("x", x)
    shape = x.shape
    for name, array in (("g", g), ("m", m), ("v", v)):
        _check_float64_c(name, array, shape)
    for name, array in (("x", x), ("m", m), ("v", v)):
        if not array.flags.writeable:
            raise ValueError(f"{name} must be writeable: adam_step_inplace overwrites it")
    buffers = {"x": x, "m": m, "v": v}
    if scratch is not None:
        if not isinstance(scratch, AdamScratch):
            raise TypeError(f"scratch must be an AdamScratch or None, got {type(scratch).__name__}")
        for name, array in (("scratch.a", scratch.a), ("scratch.b", scratch.b)):
            _check_float64_c(name, array, shape)
        buffers.update({"scratch.a": scratch.a, "scratch.b": scratch.b})
    names = list(buffers)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if np.may_share_memory(buffers[first], buffers[second]):
                raise ValueError(
                    f"{first} and {second} share memory; adam_step_inplace writes into them, "
                    "so they must be separate arrays"
                )
    for name in names:
        if name != "x" and np.may_share_memory(g, buffers[name]):
            raise ValueError(f"g shares memory with {name}, which adam_step_inplace overwrites while reading g")
    for name, array in (("x", x), ("g", g), ("m", m), ("v", v)):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must contain only finite numbers (no nan or inf)")
    if np.any(v < 0):
        raise ValueError("v is an average of squared gradients and must be >= 0 everywhere")
    check_int("t", t, low=1)
    for name, value, options in (
        ("alpha", alpha, dict(low=0.0, low_inclusive=False)),
        ("beta1", beta1, dict(low=0.0, high=1.0, high_inclusive=False)),
        ("beta2", beta2, dict(low=0.0, high=1.0, high_inclusive=False)),
    ):
        if isinstance(value, np.ndarray) and value.dtype != np.float64:
            raise TypeError(f"{name} must be a number or a float64 array, got an array of dtype {value.dtype}")
        if isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a number or a float64 array, got a {type(value).__name__}")
        check_real(name, value, allow_array=True, **options)
        check_broadcasts_to(name, value, shape, "x")
    check_real("eps", eps, low=0.0, low_inclusive=False)
