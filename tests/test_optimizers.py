"""Every optimizer against a literal transcription of its paper, and the identities between them.

The references below are written from the papers (and, where we follow a
framework's form, from that framework's documented update), one coordinate at
a time with Python floats and ``math``: they share no code with
``code/optimizers.py``.
"""

import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, Hyperparameter, Optimizer, get_optimizer
from runner import run


# --------------------------------------------------------------------------
# Literal transcriptions, one coordinate at a time
# --------------------------------------------------------------------------
def ref_gradient_descent(grads, x, alpha):
    for g in grads:
        x = [xi - alpha * gi for xi, gi in zip(x, g)]
        yield x


def ref_momentum_sutskever(grads, x, alpha, mu):
    """Sutskever et al. (2013), eq. 1-2 with the gradient at the iterate (classical momentum)."""
    u = [0.0] * len(x)
    for g in grads:
        u = [mu * ui - alpha * gi for ui, gi in zip(u, g)]
        x = [xi + ui for xi, ui in zip(x, u)]
        yield x


def ref_adagrad(grads, x, alpha, eps):
    G = [0.0] * len(x)
    for g in grads:
        G = [Gi + gi * gi for Gi, gi in zip(G, g)]
        x = [xi - alpha * gi / (math.sqrt(Gi) + eps) for xi, gi, Gi in zip(x, g, G)]
        yield x


def ref_rmsprop(grads, x, alpha, rho, eps):
    s = [0.0] * len(x)
    for g in grads:
        s = [rho * si + (1 - rho) * gi * gi for si, gi in zip(s, g)]
        x = [xi - alpha * gi / (math.sqrt(si) + eps) for xi, gi, si in zip(x, g, s)]
        yield x


def ref_adam(grads, x, alpha, beta1, beta2, eps):
    """Kingma & Ba (2014), Algorithm 1."""
    m = [0.0] * len(x)
    v = [0.0] * len(x)
    for t, g in enumerate(grads, start=1):
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
        v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
        x = [
            xi - alpha * (mi / (1 - beta1**t)) / (math.sqrt(vi / (1 - beta2**t)) + eps)
            for xi, mi, vi in zip(x, m, v)
        ]
        yield x


def ref_adamax_paper(grads, x, alpha, beta1, beta2):
    """Kingma & Ba (2014), Algorithm 2: no epsilon."""
    m = [0.0] * len(x)
    u = [0.0] * len(x)
    for t, g in enumerate(grads, start=1):
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
        u = [max(beta2 * ui, abs(gi)) for ui, gi in zip(u, g)]
        x = [xi - (alpha / (1 - beta1**t)) * mi / ui for xi, mi, ui in zip(x, m, u)]
        yield x


def ref_amsgrad_torch(grads, x, alpha, beta1, beta2, eps):
    """torch.optim.Adam(amsgrad=True): the max of the raw v, then bias correction."""
    m = [0.0] * len(x)
    v = [0.0] * len(x)
    vmax = [0.0] * len(x)
    for t, g in enumerate(grads, start=1):
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
        v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
        vmax = [max(a, b) for a, b in zip(vmax, v)]
        x = [
            xi - alpha * (mi / (1 - beta1**t)) / (math.sqrt(wi / (1 - beta2**t)) + eps)
            for xi, mi, wi in zip(x, m, vmax)
        ]
        yield x


def ref_adamw_torch(grads, x, alpha, beta1, beta2, eps, weight_decay):
    """torch.optim.AdamW: decay x by alpha * lambda first, then the Adam step."""
    m = [0.0] * len(x)
    v = [0.0] * len(x)
    for t, g in enumerate(grads, start=1):
        x = [xi * (1 - alpha * weight_decay) for xi in x]
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
        v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
        x = [
            xi - alpha * (mi / (1 - beta1**t)) / (math.sqrt(vi / (1 - beta2**t)) + eps)
            for xi, mi, vi in zip(x, m, v)
        ]
        yield x


def fixed_gradients(n_steps=25, d=3, seed=0):
    """A gradient sequence given in advance (so references need no derivative)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_steps, d)) * np.geomspace(1, 1e-3, n_steps)[:, None]


def drive(name, grads, x0, **hyper):
    """Run an optimizer of the registry on a gradient sequence given in advance."""
    optimizer = OPTIMIZERS[name]
    x, state, out = np.array(x0, dtype=float), optimizer.init(np.asarray(x0, dtype=float)), []
    for t, g in enumerate(grads, start=1):
        x, state = optimizer.step(x, g, state, t, **hyper)
        out.append(x)
    return np.array(out)


CASES = [
    ("gradient descent", ref_gradient_descent, dict(alpha=0.3)),
    ("momentum", ref_momentum_sutskever, dict(alpha=0.05, mu=0.9)),
    ("adagrad", ref_adagrad, dict(alpha=0.1, eps=1e-10)),
    ("rmsprop", ref_rmsprop, dict(alpha=0.01, rho=0.9, eps=1e-8)),
    ("adam", ref_adam, dict(alpha=0.02, beta1=0.8, beta2=0.999, eps=1e-8)),
    ("amsgrad", ref_amsgrad_torch, dict(alpha=0.02, beta1=0.9, beta2=0.99, eps=1e-8)),
    ("adamw", ref_adamw_torch, dict(alpha=0.02, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)),
]


@pytest.mark.parametrize("name, reference, hyper", CASES, ids=[c[0] for c in CASES])
def test_each_optimizer_matches_a_literal_transcription(name, reference, hyper):
    grads = fixed_gradients()
    x0 = [0.5, -1.0, 2.0]
    expected = np.array(list(reference(grads, x0, **hyper)))
    np.testing.assert_allclose(drive(name, grads, x0, **hyper), expected, rtol=1e-12, atol=1e-15)


def test_adamax_with_eps_zero_is_the_papers_algorithm_2():
    grads = fixed_gradients()
    expected = np.array(list(ref_adamax_paper(grads, [0.5, -1.0, 2.0], 0.002, 0.9, 0.999)))
    got = drive("adamax", grads, [0.5, -1.0, 2.0], alpha=0.002, beta1=0.9, beta2=0.999, eps=0.0)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_adamax_eps_keeps_a_zero_first_gradient_finite():
    grads = np.array([[0.0, 1.0], [0.0, 1.0]])
    got = drive("adamax", grads, [1.0, 1.0], alpha=0.1)
    assert np.all(np.isfinite(got)) and got[-1, 0] == 1.0
    adamax = OPTIMIZERS["adamax"]
    with np.errstate(all="ignore"):
        paper, _ = adamax.update(np.ones(2), grads[0], adamax.init(np.ones(2)), 1, alpha=0.1, beta1=0.9,
                                 beta2=0.999, eps=0.0)
    assert np.isnan(paper[0])  # 0 / 0: why torch (and we) add eps


def test_nesterov_is_sutskevers_look_ahead_form_shifted():
    """Sutskever et al. (2013), eq. 3-4: the gradient at theta + mu u; our x is theta + mu u."""
    alpha, mu = 0.05, 0.9
    hessian = np.array([[3.0, 0.5], [0.5, 1.0]])
    gradient = lambda p: hessian @ p  # noqa: E731
    theta, u = np.array([1.0, -2.0]), np.zeros(2)
    looked_ahead = []
    for _ in range(30):
        u = mu * u - alpha * gradient(theta + mu * u)
        theta = theta + u
        looked_ahead.append(theta + mu * u)
    optimizer = OPTIMIZERS["nesterov"]
    x, state, ours = np.array([1.0, -2.0]), optimizer.init(np.zeros(2)), []
    for t in range(1, 31):
        x, state = optimizer.step(x, gradient(x), state, t, alpha=alpha, mu=mu)
        ours.append(x)
    np.testing.assert_allclose(ours, looked_ahead, rtol=1e-10, atol=1e-12)


def test_momentum_with_mu_zero_is_gradient_descent():
    grads = fixed_gradients()
    np.testing.assert_array_equal(
        drive("momentum", grads, [0.5, -1.0, 2.0], alpha=0.1, mu=0.0),
        drive("gradient descent", grads, [0.5, -1.0, 2.0], alpha=0.1),
    )


def test_adamw_with_zero_weight_decay_is_adam_bit_for_bit():
    grads = fixed_gradients()
    hyper = dict(alpha=0.02, beta1=0.8, beta2=0.999, eps=1e-8)
    np.testing.assert_array_equal(
        drive("adamw", grads, [0.5, -1.0, 2.0], weight_decay=0.0, **hyper),
        drive("adam", grads, [0.5, -1.0, 2.0], **hyper),
    )


def test_amsgrad_is_adam_while_v_never_decreases_and_differs_after():
    hyper = dict(alpha=0.01, beta1=0.9, beta2=0.99, eps=1e-8)
    growing = np.outer(np.geomspace(1.0, 2.0, 20), [1.0, -3.0])  # |g| grows: v_t grows
    np.testing.assert_array_equal(drive("amsgrad", growing, [1.0, 1.0], **hyper), drive("adam", growing, [1.0, 1.0], **hyper))
    shrinking = np.concatenate([np.ones((5, 2)), np.full((15, 2), 0.01)])  # a burst, then calm: v_t decreases
    a = drive("amsgrad", shrinking, [1.0, 1.0], **hyper)
    b = drive("adam", shrinking, [1.0, 1.0], **hyper)
    assert not np.allclose(a, b)
    # AMSGrad divides by the largest v seen: its steps are the smaller ones
    assert np.all(np.abs(np.diff(a, axis=0)) <= np.abs(np.diff(b, axis=0)) + 1e-15)


def test_adagrad_steps_shrink_and_rmsprop_steps_do_not():
    grads = np.ones((200, 1))
    adagrad = np.abs(np.diff(drive("adagrad", grads, [0.0], alpha=0.1), axis=0))[:, 0]
    rmsprop = np.abs(np.diff(drive("rmsprop", grads, [0.0], alpha=0.1, rho=0.9), axis=0))[:, 0]
    # AdaGrad: alpha / sqrt(t) for a constant gradient of 1
    np.testing.assert_allclose(adagrad, 0.1 / np.sqrt(np.arange(2, 201)), rtol=1e-9)
    # RMSProp: s_t -> 1, so the step tends to alpha
    assert rmsprop[-1] == pytest.approx(0.1, rel=1e-6)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_batch_equals_one_run_at_a_time_and_inputs_are_never_modified(name):
    optimizer = OPTIMIZERS[name]
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, 3))
    grads = rng.normal(size=(10, 4, 3))
    # per-run hyperparameters, every one of them an array of shape (4, 1)
    hyper = {
        h.name: np.linspace(h.explore[0], h.explore[1], 6)[1:5].reshape(4, 1) if not h.log
        else np.geomspace(max(h.explore[0], 1e-3), min(h.explore[1], 0.1), 4).reshape(4, 1)
        for h in optimizer.hyperparameters
    }
    state = optimizer.init(x)
    batch_x = x.copy()
    for t, g in enumerate(grads, start=1):
        before = (batch_x.copy(), g.copy(), {k: s.copy() for k, s in state.items()})
        new_x, new_state = optimizer.step(batch_x, g, state, t, **hyper)
        np.testing.assert_array_equal(batch_x, before[0])
        np.testing.assert_array_equal(g, before[1])
        for k in state:
            np.testing.assert_array_equal(state[k], before[2][k])
        batch_x, state = new_x, new_state
    for i in range(4):
        one = {k: float(v[i, 0]) for k, v in hyper.items()}
        xi, si = x[i].copy(), optimizer.init(x[i])
        for t, g in enumerate(grads, start=1):
            xi, si = optimizer.step(xi, g[i], si, t, **one)
        # equal to the rounding of beta**t: NumPy's power of an array and Python's power of a
        # float may differ in the last bit; every other operation is the same, elementwise
        np.testing.assert_allclose(batch_x[i], xi, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_declarations_are_consistent(name):
    optimizer = OPTIMIZERS[name]
    assert optimizer.name == name and optimizer.citation
    assert optimizer.update.__doc__ and "math::" in optimizer.update.__doc__
    assert set(optimizer.init(np.zeros(2))) == set(optimizer.state_names)
    for h in optimizer.hyperparameters:
        assert h.contains(h.default) and h.contains(h.explore[0]) and h.contains(h.explore[1])
        assert h.symbol and h.latex
    assert optimizer.parent is None or optimizer.parent in OPTIMIZERS


def test_paper_defaults():
    assert OPTIMIZERS["adam"].defaults == {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert OPTIMIZERS["adamax"].defaults["alpha"] == 0.002  # Kingma & Ba, Algorithm 2


@pytest.mark.parametrize(
    "name, hyper, error, message",
    [
        ("adam", {"lr": 0.1}, TypeError, r"Adam has no hyperparameter 'lr'; it takes: α \(alpha, step size\) in \(0, ∞\)"),
        ("momentum", {"beta1": 0.9}, TypeError, r"momentum has no hyperparameter 'beta1'.*μ \(mu, momentum coefficient\) in \[0, 1\)"),
        ("momentum", {"mu": 1.0}, ValueError, r"mu must be < 1.0, got 1.0"),
        ("rmsprop", {"rho": -0.5}, ValueError, r"rho must be >= 0.0, got -0.5"),
        ("adamw", {"weight_decay": -1.0}, ValueError, r"weight_decay must be >= 0.0, got -1.0"),
        ("adagrad", {"eps": 0.0}, ValueError, r"eps must be > 0.0, got 0.0"),
        ("adam", {"alpha": np.ones(3)}, ValueError, r"alpha of shape \(3,\) must broadcast against x of shape \(2,\)"),
        ("adam", {"beta2": "0.9"}, TypeError, r"beta2 must be a real number or an array of real numbers, got str"),
    ],
)
def test_bad_hyperparameters_are_refused_with_the_valid_range(name, hyper, error, message):
    optimizer = OPTIMIZERS[name]
    with pytest.raises(error, match=message):
        optimizer.step(np.zeros(2), np.ones(2), optimizer.init(np.zeros(2)), 1, **hyper)


def test_bad_state_and_step_number_are_refused():
    adam = OPTIMIZERS["adam"]
    with pytest.raises(ValueError, match=r"state must be a dict with the keys \['m', 'v'\]"):
        adam.step(np.zeros(2), np.ones(2), {}, 1)
    with pytest.raises(ValueError, match=r"state\['v'\] must have the same shape as x \(2,\)"):
        adam.step(np.zeros(2), np.ones(2), {"m": np.zeros(2), "v": np.zeros(3)}, 1)
    with pytest.raises(ValueError, match=r"t must be an integer >= 1, got 0"):
        adam.step(np.zeros(2), np.ones(2), adam.init(np.zeros(2)), 0)


def test_get_optimizer_by_name_or_object():
    assert get_optimizer("adam") is OPTIMIZERS["adam"]
    assert get_optimizer(OPTIMIZERS["adamw"]) is OPTIMIZERS["adamw"]
    with pytest.raises(ValueError, match=r"unknown optimizer 'adamm'; the optimizers are 'gradient descent'"):
        get_optimizer("adamm")
    with pytest.raises(TypeError, match=r"optimizer must be a name or an Optimizer, got int"):
        get_optimizer(3)


def test_a_new_optimizer_needs_only_its_declaration_and_update():
    """Sign descent (signSGD): defined here in five lines, then run by the one runner."""

    def sign_update(x, g, state, t, *, alpha):
        return x - alpha * np.sign(g), state

    alpha = Hyperparameter("alpha", "α", r"\alpha", 0.1, 0.0, np.inf, (1e-3, 1.0), low_inclusive=False, log=True)
    sign = Optimizer("sign descent", "sign descent", (alpha,), (), sign_update, "Bernstein et al. (2018)")
    result = run(sign, lambda x: 2 * x, np.array([0.35, -0.25]), 3, alpha=0.1)
    np.testing.assert_allclose(result.path, [[0.35, -0.25], [0.25, -0.15], [0.15, -0.05], [0.05, 0.05]])


def test_a_declaration_with_an_invalid_default_is_refused():
    with pytest.raises(ValueError, match=r"explore range .* and default must be valid values"):
        Hyperparameter("beta", "β", r"\beta", 1.5, 0.0, 1.0, (0.0, 0.9), high_inclusive=False)


def test_the_declared_latex_symbols_label_the_heat_maps_and_an_unknown_name_is_refused():
    from optimizers import hyperparameter_latex

    assert hyperparameter_latex("beta1") == r"\beta_1" and hyperparameter_latex("weight_decay") == r"\lambda"
    with pytest.raises(ValueError, match=r"no optimizer declares a hyperparameter 'lr'; declared: \['alpha', "):
        hyperparameter_latex("lr")
    with pytest.raises(TypeError, match=r"Adam has no hyperparameter 'mu'; it has alpha, beta1, beta2, eps"):
        OPTIMIZERS["adam"].hyperparameter("mu")


def test_optimizers_are_hashable_values():
    # frozen declarations can be dictionary keys and set members (a dict field would forbid it)
    assert len({OPTIMIZERS["adam"], OPTIMIZERS["adam"], OPTIMIZERS["amsgrad"]}) == 2
