"""The in-place Adam step equals the readable reference to the last bit, and its checks speak clearly.

The reference is :func:`adam.adam_step` (a separate implementation, one new
array per operation) and, for a small case, a literal loop over the variables
with Python floats and ``math.sqrt``. Equality is ``np.array_equal``: the
in-place step performs the same IEEE operations in the same order.
"""

import math
import tracemalloc

import numpy as np
import pytest

from adam import adam_step
from fast import AdamScratch, adam_step_inplace, check_inplace_args

SETTINGS = dict(alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8)


def chain(x0, gradients, t0, alpha, beta1, beta2, eps, m0=None, v0=None):
    """Run both versions over the same gradients; return (in-place x, m, v), (reference x, m, v)."""
    x, m, v = x0.copy(), (np.zeros_like(x0) if m0 is None else m0.copy()), (np.zeros_like(x0) if v0 is None else v0.copy())
    xr, mr, vr = x.copy(), m.copy(), v.copy()
    scratch = AdamScratch(x0.shape)
    check_inplace_args(x, gradients[0], m, v, t0, alpha, beta1, beta2, eps, scratch=scratch)
    for k, g in enumerate(gradients):
        adam_step_inplace(x, g, m, v, t0 + k, alpha, beta1, beta2, eps, scratch=scratch)
        xr, mr, vr = adam_step(xr, g, mr, vr, t0 + k, alpha, beta1, beta2, eps)
    return (x, m, v), (xr, mr, vr)


def assert_bit_equal(ours, reference):
    for name, a, b in zip("xmv", ours, reference):
        assert a.dtype == b.dtype == np.float64
        assert np.array_equal(a, b), f"{name} differs: largest gap {np.max(np.abs(a - b)):.3g}"


def random_gradients(rng, shape, n_steps):
    # gradients over many orders of magnitude, both signs
    return [rng.normal(size=shape) * 10.0 ** rng.uniform(-8, 4) for _ in range(n_steps)]


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("n", [1, 2, 7, 1000])
def test_one_dimensional_runs_are_bit_identical_to_adam_step(seed, n):
    rng = np.random.default_rng(seed)
    alpha = float(10.0 ** rng.uniform(-4, 0))
    beta1 = float(rng.uniform(0.0, 0.99))
    beta2 = float(rng.uniform(0.9, 0.9999))
    eps = float(10.0 ** rng.uniform(-12, -4))
    ours, reference = chain(rng.normal(size=n), random_gradients(rng, n, 60), 1, alpha, beta1, beta2, eps)
    assert_bit_equal(ours, reference)


@pytest.mark.parametrize("seed", range(15))
def test_a_batch_with_per_run_hyperparameters_is_bit_identical(seed):
    rng = np.random.default_rng(100 + seed)
    n_runs, d = int(rng.integers(1, 50)), int(rng.integers(1, 5))
    alpha = 10.0 ** rng.uniform(-4, 0, size=(n_runs, 1))
    beta1 = rng.uniform(0.0, 0.99, size=(n_runs, 1))
    beta2 = rng.uniform(0.9, 0.9999, size=(n_runs, 1))
    x0 = rng.normal(size=(n_runs, d))
    ours, reference = chain(x0, random_gradients(rng, (n_runs, d), 40), 1, alpha, beta1, beta2, 1e-8)
    assert_bit_equal(ours, reference)


def test_a_batch_with_scalar_hyperparameters_mixed_with_arrays():
    rng = np.random.default_rng(7)
    x0 = rng.normal(size=(30, 2))
    alpha = np.geomspace(1e-3, 0.5, 30).reshape(30, 1)
    ours, reference = chain(x0, random_gradients(rng, (30, 2), 30), 1, alpha, 0.8, 0.999, 1e-8)
    assert_bit_equal(ours, reference)


@pytest.mark.parametrize("t0", [1, 2, 1000, 10**6, 10**9])
def test_first_and_late_steps(t0):
    # at t = 1 the bias corrections are largest; for large t, beta**t underflows to 0
    rng = np.random.default_rng(t0 % 97)
    m0 = rng.normal(size=20)
    v0 = rng.uniform(0, 2, size=20)
    ours, reference = chain(rng.normal(size=20), random_gradients(rng, 20, 5), t0, m0=m0, v0=v0, **SETTINGS)
    assert_bit_equal(ours, reference)


def test_zero_gradient_with_zero_moments_leaves_x_alone():
    x0 = np.array([0.3, -2.0, 5.0])
    zeros = np.zeros(3)
    ours, reference = chain(x0, [zeros, zeros], 1, **SETTINGS)
    assert_bit_equal(ours, reference)
    # hand computation: m = v = 0, so the step is 0 / (0 + eps) = 0
    assert np.array_equal(ours[0], x0)
    assert np.array_equal(ours[1], zeros) and np.array_equal(ours[2], zeros)


@pytest.mark.parametrize("scale", [1e-150, 1e-200, 1e-310, 5e-324])
def test_tiny_gradients_whose_squares_underflow(scale):
    rng = np.random.default_rng(3)
    gradients = [rng.normal(size=10) * scale for _ in range(5)]
    ours, reference = chain(rng.normal(size=10), gradients, 1, **SETTINGS)
    assert_bit_equal(ours, reference)


def test_equals_a_literal_loop_over_the_variables():
    rng = np.random.default_rng(11)
    alpha, beta1, beta2, eps = 0.02, 0.8, 0.999, 1e-8
    x = rng.normal(size=5)
    m, v = np.zeros(5), np.zeros(5)
    xs, ms, vs = [float(a) for a in x], [0.0] * 5, [0.0] * 5
    scratch = AdamScratch(5)
    for t in range(1, 41):
        g = rng.normal(size=5)
        adam_step_inplace(x, g, m, v, t, alpha, beta1, beta2, eps, scratch=scratch)
        for i in range(5):  # Algorithm 1, one variable at a time, Python floats
            ms[i] = beta1 * ms[i] + (1.0 - beta1) * float(g[i])
            vs[i] = beta2 * vs[i] + (1.0 - beta2) * float(g[i]) ** 2
            m_hat = ms[i] / (1.0 - beta1**t)
            v_hat = vs[i] / (1.0 - beta2**t)
            xs[i] = xs[i] - alpha * m_hat / (math.sqrt(v_hat) + eps)
    assert np.array_equal(x, xs) and np.array_equal(m, ms) and np.array_equal(v, vs)


def test_without_scratch_the_result_is_the_same():
    rng = np.random.default_rng(5)
    x, g = rng.normal(size=50), rng.normal(size=50)
    m, v = rng.normal(size=50), rng.uniform(0, 1, size=50)
    expected = adam_step(x, g, m, v, 3, **SETTINGS)
    adam_step_inplace(x, g, m, v, 3, scratch=None, **SETTINGS)
    assert_bit_equal((x, m, v), expected)


def test_updates_in_place_returns_none_and_leaves_g_alone():
    rng = np.random.default_rng(8)
    x, g = rng.normal(size=50), rng.normal(size=50)
    m, v = np.zeros(50), np.zeros(50)
    ids = id(x), id(m), id(v)
    g_before = g.copy()
    x_before = x.copy()
    assert adam_step_inplace(x, g, m, v, 1, scratch=AdamScratch(50), **SETTINGS) is None
    assert (id(x), id(m), id(v)) == ids
    assert np.array_equal(g, g_before)
    assert not np.array_equal(x, x_before) and np.all(m != 0) and np.all(v > 0)


def test_g_may_be_x_itself():
    # derivative(x) = x (f = |x|^2 / 2) may return its argument: x is written last
    rng = np.random.default_rng(9)
    x = rng.normal(size=8)
    m, v = np.zeros(8), np.zeros(8)
    check_inplace_args(x, x, m, v, 1, **SETTINGS)
    expected = adam_step(x, x.copy(), m, v, 1, **SETTINGS)
    adam_step_inplace(x, x, m, v, 1, **SETTINGS)
    assert_bit_equal((x, m, v), expected)


def test_the_step_allocates_no_array_with_scratch():
    n = 100_000
    rng = np.random.default_rng(1)
    x, g = rng.normal(size=n), rng.normal(size=n)
    m, v = np.zeros(n), np.zeros(n)
    scratch = AdamScratch(n)
    tracemalloc.start()  # NumPy reports its array buffers to tracemalloc
    try:
        adam_step_inplace(x, g, m, v, 1, scratch=scratch, **SETTINGS)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        adam_step(x, g, m, v, 1, **SETTINGS)  # the reference, for contrast
        _, peak_reference = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * n / 100, peak
    assert peak_reference > 8 * n, peak_reference


def test_scratch_has_the_shape_and_dtype_asked_for():
    assert AdamScratch(4).a.shape == (4,)
    scratch = AdamScratch((3, 2))
    assert scratch.a.shape == scratch.b.shape == (3, 2)
    assert scratch.a.dtype == scratch.b.dtype == np.float64
    assert not np.may_share_memory(scratch.a, scratch.b)


# --------------------------------------------------------------------------
# check_inplace_args
# --------------------------------------------------------------------------
def good_args(shape=(4,)):
    rng = np.random.default_rng(0)
    return dict(x=rng.normal(size=shape), g=rng.normal(size=shape), m=np.zeros(shape), v=np.zeros(shape),
                t=1, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8)


def test_good_arguments_pass():
    args = good_args()
    assert check_inplace_args(**args, scratch=AdamScratch(4)) is None
    batch = good_args((5, 2))
    batch.update(alpha=np.full((5, 1), 0.01), beta1=np.full((5, 1), 0.9), beta2=np.full((5, 1), 0.99))
    assert check_inplace_args(**batch, scratch=AdamScratch((5, 2))) is None


@pytest.mark.parametrize(
    "change, error, words",
    [
        (dict(x=np.zeros(4, dtype=np.float32)), TypeError, ["x", "float64", "float32"]),
        (dict(m=np.zeros(4, dtype=int)), TypeError, ["m", "float64", "int"]),
        (dict(g=[0.0, 0.0, 0.0, 0.0]), TypeError, ["g", "array", "list"]),
        (dict(x=np.zeros(8)[::2]), ValueError, ["x", "C-contiguous"]),
        (dict(v=np.zeros(8)[1::2]), ValueError, ["v", "C-contiguous"]),
        (dict(m=np.zeros(5)), ValueError, ["m", "shape", "(4,)", "(5,)"]),
        (dict(g=np.zeros((4, 1))), ValueError, ["g", "shape", "(4, 1)"]),
        (dict(t=0), ValueError, ["t", ">= 1", "0"]),
        (dict(t=-3), ValueError, ["t", ">= 1"]),
        (dict(t=1.0), TypeError, ["t", "integer"]),
        (dict(beta1=1.0), ValueError, ["beta1", "< 1"]),
        (dict(beta1=-0.1), ValueError, ["beta1", ">= 0"]),
        (dict(beta2=1.5), ValueError, ["beta2", "< 1"]),
        (dict(beta2=np.array([[0.9], [1.0]])), ValueError, ["beta2", "< 1"]),
        (dict(alpha=0.0), ValueError, ["alpha", "> 0"]),
        (dict(alpha=np.full(3, 0.1)), ValueError, ["alpha", "broadcast", "(3,)"]),
        (dict(alpha=np.ones((4, 1), dtype=int)), TypeError, ["alpha", "float64", "int"]),
        (dict(alpha=[0.1, 0.2, 0.3, 0.4]), TypeError, ["alpha", "list"]),
        (dict(eps=0.0), ValueError, ["eps", "> 0"]),
        (dict(eps=np.full(4, 1e-8)), TypeError, ["eps", "real number"]),
        (dict(x=np.array([0.0, np.nan, 0.0, 0.0])), ValueError, ["x", "finite"]),
        (dict(v=np.array([0.0, -1.0, 0.0, 0.0])), ValueError, ["v", ">= 0"]),
    ],
)
def test_bad_arguments_get_clear_errors(change, error, words):
    args = good_args()
    args.update(change)
    with pytest.raises(error) as info:
        check_inplace_args(**args)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_fortran_ordered_batch_is_refused():
    args = good_args((4, 3))
    args["x"] = np.asfortranarray(args["x"])
    with pytest.raises(ValueError, match="x must be C-contiguous"):
        check_inplace_args(**args)


def test_read_only_x_is_refused():
    args = good_args()
    args["x"].flags.writeable = False
    with pytest.raises(ValueError, match="x must be writeable"):
        check_inplace_args(**args)


@pytest.mark.parametrize(
    "alias, words",
    [
        (lambda a, s: a.update(v=a["m"]), ["m", "v", "share memory"]),
        (lambda a, s: a.update(m=a["x"]), ["x", "m", "share memory"]),
        (lambda a, s: a.update(g=a["m"]), ["g", "m"]),
        (lambda a, s: a.update(g=a["v"]), ["g", "v"]),
        (lambda a, s: a.update(g=s.a), ["g", "scratch.a"]),
        (lambda a, s: a.update(m=s.b), ["m", "scratch.b"]),
    ],
)
def test_aliased_arrays_are_refused(alias, words):
    args = good_args()
    scratch = AdamScratch(4)
    alias(args, scratch)
    with pytest.raises(ValueError) as info:
        check_inplace_args(**args, scratch=scratch)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_aliasing_would_really_give_wrong_numbers():
    # why the check exists: m and v as one array is not Adam
    rng = np.random.default_rng(2)
    x, g = rng.normal(size=6), rng.normal(size=6)
    shared = np.zeros(6)
    expected = adam_step(x, g, np.zeros(6), np.zeros(6), 1, **SETTINGS)
    with np.errstate(invalid="ignore"):  # v = m can go negative: sqrt of it is nan
        adam_step_inplace(x, g, shared, shared, 1, **SETTINGS)
    assert not np.array_equal(x, expected[0])


def test_scratch_of_the_wrong_kind_or_shape_is_refused():
    with pytest.raises(TypeError, match="scratch must be an AdamScratch"):
        check_inplace_args(**good_args(), scratch=np.zeros(4))
    with pytest.raises(ValueError, match=r"scratch.a must have the shape of x \(4,\), got shape \(5,\)"):
        check_inplace_args(**good_args(), scratch=AdamScratch(5))
