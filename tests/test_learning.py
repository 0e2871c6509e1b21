"""learning.py: data, models, backpropagation, gradient checks, mini-batches, training.

Expected values come from elsewhere than the code under test: literal loops over
examples with the textbook formulas, hand computations, central differences, the
data set's published description (569 masses, 212 malignant, 30 features), and the
optimizers' steps written out below.
"""

import math

import numpy as np
import pytest

from learning import (
    LogisticRegression,
    OneHiddenLayerNet,
    gradient_check,
    load_data,
    minibatches,
    numerical_gradient,
    sigmoid,
    train,
)


# --------------------------------------------------------------------------
# The optimizers' steps, written out here (not imported) as pure step functions
# --------------------------------------------------------------------------
def sgd_step(x, g, state, t, alpha=0.1):
    return x - alpha * g, state


def momentum_step(x, g, velocity, t, alpha=0.1, mu=0.9):
    velocity = mu * velocity + g
    return x - alpha * velocity, velocity


def adam_step(x, g, state, t, alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = state
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return x - alpha * m_hat / (np.sqrt(v_hat) + eps), (m, v)


def adam_init(x):
    return (np.zeros_like(x), np.zeros_like(x))


@pytest.fixture(scope="module")
def data():
    return load_data()


def random_problem(n=40, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (rng.uniform(size=n) < 0.4).astype(float)
    return X, y


MODELS = [
    LogisticRegression(),
    LogisticRegression(weight_decay=0.3),
    OneHiddenLayerNet(n_hidden=7),
    OneHiddenLayerNet(n_hidden=16, weight_decay=0.05),
]


# --------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------
def test_data_has_the_published_size_and_class_counts(data):
    # UCI / scikit-learn description: 569 instances, 30 features, 212 malignant, 357 benign.
    assert data.X_train.shape[1] == data.X_test.shape[1] == 30 == len(data.feature_names)
    assert data.X_train.shape[0] + data.X_test.shape[0] == 569
    assert data.y_train.shape == (data.X_train.shape[0],) and data.y_test.shape == (data.X_test.shape[0],)
    assert data.y_train.dtype == float and set(np.unique(np.r_[data.y_train, data.y_test])) == {0.0, 1.0}
    assert data.y_train.sum() + data.y_test.sum() == 212  # y = 1 means malignant
    # 25 % of each class held out: round(0.25 * 212) = 53, round(0.25 * 357) = 89.
    assert data.y_test.sum() == 53 and (data.y_test == 0).sum() == 89


def test_label_one_means_malignant_as_documented(data):
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer()
    malignant = bunch.data[bunch.target == list(bunch.target_names).index("malignant")]
    raw_positive = data.X_train[data.y_train == 1] * data.std + data.mean
    # Every training example labelled 1 is one of the malignant rows of the raw data.
    distances = np.abs(raw_positive[:, None, :] - malignant[None, :, :]).max(axis=2).min(axis=1)
    assert distances.max() < 1e-9


def test_standardization_uses_the_training_split_only(data):
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer().data
    raw_train = data.X_train * data.std + data.mean
    raw_test = data.X_test * data.std + data.mean

    def row_index(rows):
        distance = np.abs(rows[:, None, :] - raw[None, :, :]).max(axis=2)
        assert distance.min(axis=1).max() < 1e-9  # every row is a row of the raw data
        return distance.argmin(axis=1)

    train_rows, test_rows = row_index(raw_train), row_index(raw_test)
    assert sorted(np.r_[train_rows, test_rows].tolist()) == list(range(569))  # a partition
    np.testing.assert_allclose(data.mean, raw[train_rows].mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(data.std, raw[train_rows].std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.X_train.std(axis=0), 1, rtol=1e-12)
    # The held-out split was not used: its own mean is not zero.
    assert np.abs(data.X_test.mean(axis=0)).max() > 0.01


def test_split_is_seeded_and_stratified():
    a, b, c = load_data(seed=3), load_data(seed=3), load_data(seed=4)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert a.X_train.shape == c.X_train.shape and not np.array_equal(a.X_train, c.X_train)
    small = load_data(seed=0, test_fraction=0.1)
    assert small.y_test.sum() == round(0.1 * 212) and (small.y_test == 0).sum() == round(0.1 * 357)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"test_fraction": 0.0}, ValueError, "test_fraction"),
    ({"test_fraction": 1.0}, ValueError, "test_fraction"),
    ({"test_fraction": "a quarter"}, TypeError, "test_fraction"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"test_fraction": 0.0001}, ValueError, "empty split"),
])
def test_load_data_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        load_data(**kwargs)


# --------------------------------------------------------------------------
# The models: shapes and forward passes against literal loops
# --------------------------------------------------------------------------
def test_parameter_counts_and_shapes():
    X, y = random_problem(n=9, d=4)
    logistic, net = LogisticRegression(), OneHiddenLayerNet(n_hidden=3)
    assert logistic.init_params(4).shape == (5,)                  # 4 weights + 1 bias
    assert net.init_params(4).shape == (4 * 3 + 3 + 3 + 1,)       # W1, b1, W2, b2
    for model in (logistic, net):
        params = model.init_params(4, seed=2)
        p = model.predict_proba(params, X)
        assert p.shape == (9,) and np.all((p > 0) & (p < 1))
        loss, grad = model.loss_and_gradient(params, X, y)
        assert isinstance(loss, float) and grad.shape == params.shape
        assert isinstance(model.loss(params, X, y), float) and isinstance(model.accuracy(params, X, y), float)


def test_init_is_seeded_and_the_net_starts_with_random_weights_and_zero_biases():
    net = OneHiddenLayerNet(n_hidden=5)
    a, b, c = net.init_params(6, seed=1), net.init_params(6, seed=1), net.init_params(6, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    W1, b1, W2, b2 = net.unpack(a, 6)
    assert W1.shape == (6, 5) and np.all(W1 != 0) and np.all(W2 != 0)
    assert np.all(b1 == 0) and b2 == 0
    np.testing.assert_array_equal(W1.ravel(), a[:30])  # row-major (d, h) at the front


def test_logistic_loss_at_zero_is_log_two():
    # p = 1/2 for every example, whatever the labels.
    X, y = random_problem()
    params = LogisticRegression().init_params(5, scale=0.0)
    assert LogisticRegression().loss(params, X, y) == pytest.approx(math.log(2), rel=1e-14)


def literal_loss(probabilities, y):
    return sum(-(yi * math.log(pi) + (1 - yi) * math.log(1 - pi)) for pi, yi in zip(probabilities, y)) / len(y)


def test_logistic_loss_equals_a_literal_loop_with_the_textbook_formula():
    X, y = random_problem(n=25, d=3, seed=5)
    params = np.array([0.5, -1.2, 0.3, 0.2])
    w, b = params[:3], params[3]
    p = [1 / (1 + math.exp(-(sum(w[j] * X[i, j] for j in range(3)) + b))) for i in range(25)]
    expected = literal_loss(p, y) + 0.5 * 0.7 * sum(wj * wj for wj in w)
    model = LogisticRegression(weight_decay=0.7)
    assert model.loss(params, X, y) == pytest.approx(expected, rel=1e-12)
    assert model.loss_and_gradient(params, X, y)[0] == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(model.predict_proba(params, X), p, rtol=1e-12)


def test_net_forward_pass_equals_a_literal_loop():
    X, y = random_problem(n=12, d=3, seed=6)
    net = OneHiddenLayerNet(n_hidden=4, weight_decay=0.2)
    params = np.random.default_rng(7).normal(size=net.n_params(3))
    W1 = params[:12].reshape(3, 4)
    b1, W2, b2 = params[12:16], params[16:20], params[20]
    p = []
    for i in range(12):
        hidden = [math.tanh(sum(X[i, j] * W1[j, k] for j in range(3)) + b1[k]) for k in range(4)]
        p.append(1 / (1 + math.exp(-(sum(hidden[k] * W2[k] for k in range(4)) + b2))))
    penalty = 0.5 * 0.2 * (float(np.sum(W1**2)) + float(np.sum(W2**2)))
    np.testing.assert_allclose(net.predict_proba(params, X), p, rtol=1e-12)
    assert net.loss(params, X, y) == pytest.approx(literal_loss(p, y) + penalty, rel=1e-12)
    assert net.loss_and_gradient(params, X, y)[0] == pytest.approx(literal_loss(p, y) + penalty, rel=1e-12)


def test_accuracy_by_hand():
    # w = (1, 0), b = 0: predicts 1 exactly when the first feature is >= 0.
    X = np.array([[2.0, 5.0], [-1.0, 0.0], [0.5, -3.0], [-4.0, 1.0]])
    y = np.array([1.0, 1.0, 1.0, 0.0])   # rows 0, 2, 3 right, row 1 wrong
    assert LogisticRegression().accuracy(np.array([1.0, 0.0, 0.0]), X, y) == 0.75


def test_huge_logits_give_exact_losses_and_no_warnings():
    # pytest.ini turns warnings into errors, so an overflow in exp or log(0) would fail here.
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    params = np.array([1000.0, 0.0])     # logits +1000, -1000, +1000, -1000
    model = LogisticRegression()
    # Right with certainty costs 0; wrong with logit 1000 costs log(1 + e^1000) = 1000 (to rounding).
    assert model.loss(params, X, y) == pytest.approx((0 + 0 + 1000 + 1000) / 4, rel=1e-12)
    loss, grad = model.loss_and_gradient(params, X, y)
    assert np.all(np.isfinite(grad)) and loss == pytest.approx(500.0)
    np.testing.assert_allclose(grad, [(0 + 0 + 1 * 1 + (-1) * (0 - 1)) / 4, (0 + 0 + 1 - 1) / 4], atol=1e-12)
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
    net = OneHiddenLayerNet(n_hidden=2)
    big = np.full(net.n_params(1), 500.0)
    assert np.isfinite(net.loss(big, X, y)) and np.all(np.isfinite(net.loss_and_gradient(big, X, y)[1]))


# --------------------------------------------------------------------------
# Gradients: finite differences, then backpropagation against them
# --------------------------------------------------------------------------
def test_central_differences_are_exact_on_a_quadratic():
    rng = np.random.default_rng(11)
    A = rng.normal(size=(6, 6))
    A = A @ A.T
    b = rng.normal(size=6)
    x = rng.normal(size=6)
    numeric = numerical_gradient(lambda z: 0.5 * z @ A @ z + b @ z, x, h=1e-3)
    np.testing.assert_allclose(numeric, A @ x + b, rtol=0, atol=1e-9)


def test_central_differences_have_the_h_squared_error_of_the_taylor_series():
    # ((x+h)^3 - (x-h)^3) / 2h = 3x^2 + h^2 exactly: the error is h^2, not 0 and not h.
    x = np.array([-1.0, 0.5, 2.0])
    for h in (1e-1, 1e-2):
        numeric = numerical_gradient(lambda z: np.sum(z**3), x, h=h)
        np.testing.assert_allclose(numeric - 3 * x**2, h**2, rtol=1e-6)


def test_numerical_gradient_leaves_params_alone():
    x = np.array([1.0, 2.0])
    numerical_gradient(lambda z: float(z @ z), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_gradient_check_is_tiny_for_a_right_gradient_and_large_for_a_wrong_one():
    def right(z):
        return float(z @ z), 2 * z

    def wrong(z):  # the classic slip: d(z^2)/dz taken as z
        return float(z @ z), z

    x = np.array([0.3, -1.0, 2.0])
    assert gradient_check(right, x) < 1e-9
    assert gradient_check(wrong, x) == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("model", MODELS, ids=repr)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backpropagation_matches_finite_differences_on_random_data(model, seed):
    X, y = random_problem(n=30, d=4, seed=seed)
    params = np.random.default_rng(100 + seed).normal(size=model.n_params(4))
    assert gradient_check(lambda p: model.loss_and_gradient(p, X, y), params) < 1e-6


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_backpropagation_matches_finite_differences_on_the_real_data(model, data):
    X, y = data.X_train[:80], data.y_train[:80]
    params = model.init_params(data.n_features, seed=4)
    if isinstance(model, LogisticRegression):
        params = np.random.default_rng(4).normal(scale=0.3, size=params.size)
    assert gradient_check(lambda p: model.loss_and_gradient(p, X, y), params) < 1e-6


def buggy_backprop(params, X, y, bug):
    """The net's backward pass with one typical mistake in it (written out independently)."""
    n, d = X.shape
    h = (params.size - 1) // (d + 2)
    W1 = params[: d * h].reshape(d, h)
    b1, W2, b2 = params[d * h : d * h + h], params[d * h + h : -1], params[-1]
    H = np.tanh(X @ W1 + b1)
    z = H @ W2 + b2
    p = 1 / (1 + np.exp(-z))
    loss = np.mean(np.logaddexp(0, z) - y * z)
    delta_out = (p - y) if bug == "no 1/n" else (p - y) / n
    if bug == "sign":
        delta_out = -delta_out
    delta_hidden = np.outer(delta_out, W2)
    if bug != "no tanh derivative":
        delta_hidden = delta_hidden * ((1 - H) if bug == "1 - H" else (1 - H**2))
    grad_W1 = X.T @ delta_hidden
    return loss, np.concatenate([grad_W1.ravel(), delta_hidden.sum(axis=0), H.T @ delta_out, [delta_out.sum()]])


@pytest.mark.parametrize("bug", ["no 1/n", "sign", "no tanh derivative", "1 - H"])
def test_gradient_check_catches_typical_backpropagation_mistakes(bug):
    X, y = random_problem(n=30, d=4, seed=9)
    params = np.random.default_rng(9).normal(size=OneHiddenLayerNet(n_hidden=5).n_params(4))
    assert gradient_check(lambda p: buggy_backprop(p, X, y, "none"), params) < 1e-6  # the harness is right
    assert gradient_check(lambda p: buggy_backprop(p, X, y, bug), params) > 1e-2


# --------------------------------------------------------------------------
# Mini-batches
# --------------------------------------------------------------------------
def test_every_example_appears_once_per_epoch_and_the_last_batch_is_smaller():
    rng = np.random.default_rng(0)
    for _ in range(3):
        batches = list(minibatches(103, 25, rng))
        assert [b.size for b in batches] == [25, 25, 25, 25, 3]
        np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(103))


def test_shuffling_is_seeded_and_changes_from_epoch_to_epoch():
    first = [list(minibatches(50, 8, np.random.default_rng(5))) for _ in range(2)]
    for a, b in zip(*first):
        np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(5)
    epoch1, epoch2 = np.concatenate(list(minibatches(50, 8, rng))), np.concatenate(list(minibatches(50, 8, rng)))
    assert not np.array_equal(epoch1, epoch2)
    assert not np.array_equal(epoch1, np.arange(50))


def test_a_batch_as_large_as_the_data_is_one_batch():
    for size in (10, 11, 1000):
        batches = list(minibatches(10, size, np.random.default_rng(0)))
        assert len(batches) == 1 and sorted(batches[0]) == list(range(10))


@pytest.mark.parametrize("args, error, words", [
    ((10, 0), ValueError, "batch_size"),
    ((10, -3), ValueError, "batch_size"),
    ((10, 2.0), TypeError, "batch_size"),
    ((0, 2), ValueError, "n must"),
])
def test_minibatches_rejects_bad_arguments(args, error, words):
    with pytest.raises(error, match=words):
        list(minibatches(*args, np.random.default_rng(0)))
    with pytest.raises(TypeError, match="rng"):
        list(minibatches(10, 2, 0))


# --------------------------------------------------------------------------
# The training loop
# --------------------------------------------------------------------------
def test_t_counts_steps_across_epochs_and_the_state_is_never_reset():
    X, y = random_problem(n=50, d=3)
    seen = []

    def recording_step(x, g, state, t):
        seen.append((t, state))
        return x, state + 1

    model = LogisticRegression()
    result = train(recording_step, 100, model.init_params(3), X, y, model=model, batch_size=16, n_epochs=3)
    # ceil(50 / 16) = 4 steps per epoch, 12 in all; t = 1..12, and the state starts from the
    # given one and counts on through the epochs.
    assert [t for t, _ in seen] == list(range(1, 13))
    assert [s for _, s in seen] == list(range(100, 112))
    assert result.state == 112 and result.n_steps == 12
    np.testing.assert_array_equal(result.step_t, np.arange(1, 13))


def test_each_epoch_sees_every_example_once_in_a_seeded_order():
    X, y = random_problem(n=23, d=2)
    X = np.c_[np.arange(23.0), X]   # column 0 names the example

    class Recording(LogisticRegression):
        def loss_and_gradient(self, params, Xb, yb):
            batches.append(Xb[:, 0].astype(int).tolist())
            return super().loss_and_gradient(params, Xb, yb)

    model = Recording()
    runs = []
    for seed in (1, 1, 2):
        batches = []
        train(sgd_step, None, model.init_params(3), X, y, model=model, batch_size=5, n_epochs=2, seed=seed)
        runs.append(batches)
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3] * 2
        for epoch in (batches[:5], batches[5:]):
            assert sorted(sum(epoch, [])) == list(range(23))
    assert runs[0] == runs[1] and runs[0] != runs[2]
    assert runs[0][:5] != runs[0][5:]   # reshuffled for the second epoch


def test_budget_is_counted_in_examples():
    X, y = random_problem(n=50, d=3)
    model = LogisticRegression()
    for batch_size, steps in ((50, 3), (16, 12), (1, 150)):
        result = train(sgd_step, None, model.init_params(3), X, y, model=model, batch_size=batch_size, n_epochs=3)
        assert result.n_steps == steps and result.examples == 150
        np.testing.assert_array_equal(result.epoch_examples, [0, 50, 100, 150])
        np.testing.assert_array_equal(result.step_examples, np.cumsum(result.step_batch_size))


def test_full_batch_training_is_plain_gradient_descent():
    X, y = random_problem(n=40, d=3, seed=2)
    model = LogisticRegression(weight_decay=0.1)
    x = model.init_params(3, seed=1)
    result = train(lambda x, g, s, t: sgd_step(x, g, s, t, alpha=0.5), None, x, X, y,
                   model=model, batch_size=40, n_epochs=25)
    losses = [model.loss(x, X, y)]
    for _ in range(25):
        x = x - 0.5 * model.loss_and_gradient(x, X, y)[1]
        losses.append(model.loss(x, X, y))
    np.testing.assert_allclose(result.params, x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result.train_loss, losses, rtol=1e-10)


def test_minibatch_adam_equals_the_loop_written_out_and_differs_from_resetting_each_epoch():
    X, y = random_problem(n=30, d=3, seed=3)
    model = OneHiddenLayerNet(n_hidden=4)
    x0 = model.init_params(3, seed=0)
    result = train(adam_step, adam_init, x0, X, y, model=model, batch_size=8, n_epochs=3, seed=7)

    def by_hand(reset_each_epoch):
        rng = np.random.default_rng(7)
        x, state, t = x0.copy(), adam_init(x0), 0
        for _ in range(3):
            if reset_each_epoch:
                state, t = adam_init(x0), 0
            order = rng.permutation(30)
            for start in range(0, 30, 8):
                batch = order[start : start + 8]
                t += 1
                x, state = adam_step(x, model.loss_and_gradient(x, X[batch], y[batch])[1], state, t)
        return x

    np.testing.assert_allclose(result.params, by_hand(False), rtol=1e-12, atol=1e-14)
    assert np.abs(result.params - by_hand(True)).max() > 1e-4


def test_training_is_reproducible_and_depends_on_the_seed():
    X, y = random_problem(n=60, d=3)
    model = OneHiddenLayerNet(n_hidden=3)
    x0 = model.init_params(3)
    a, b, c = (train(adam_step, adam_init, x0, X, y, model=model, batch_size=10, n_epochs=2, seed=s)
               for s in (0, 0, 1))
    np.testing.assert_array_equal(a.step_loss, b.step_loss)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.step_loss, c.step_loss)


def test_small_steps_of_full_batch_gradient_descent_never_increase_the_loss(data):
    # The logistic loss has a Hessian below X^T X / (4n), so alpha = 1 / L guarantees descent.
    X, y = data.X_train, data.y_train
    L = np.linalg.eigvalsh(X.T @ X / (4 * len(y))).max()
    model = LogisticRegression()
    result = train(lambda x, g, s, t: sgd_step(x, g, s, t, alpha=1 / L), None, model.init_params(30), X, y,
                   model=model, batch_size=len(y), n_epochs=30)
    assert np.all(np.diff(result.train_loss) <= 1e-15)


def xor_blobs(n, seed):
    """Four Gaussian blobs at (+-1, +-1), labelled 1 where the signs differ: not linearly separable."""
    rng = np.random.default_rng(seed)
    centres = rng.choice([-1.0, 1.0], size=(n, 2))
    X = centres + 0.25 * rng.normal(size=(n, 2))
    return X, (centres[:, 0] != centres[:, 1]).astype(float)


def test_the_net_learns_xor_blobs_that_logistic_regression_cannot():
    X, y = xor_blobs(200, seed=0)
    X_test, y_test = xor_blobs(200, seed=1)
    net, logistic = OneHiddenLayerNet(n_hidden=8), LogisticRegression()
    step = lambda x, g, s, t: adam_step(x, g, s, t, alpha=0.05)  # noqa: E731
    kwargs = dict(X_test=X_test, y_test=y_test, batch_size=20, n_epochs=40)
    net_run = train(step, adam_init, net.init_params(2), X, y, model=net, **kwargs)
    logistic_run = train(step, adam_init, logistic.init_params(2), X, y, model=logistic, **kwargs)
    assert net_run.test_accuracy[-1] >= 0.97 and net_run.train_loss[-1] < 0.1
    assert logistic_run.test_accuracy[-1] < 0.75   # a line cannot separate XOR
    assert net_run.test_accuracy[0] < 0.75         # and the net did not start out knowing it


def test_logistic_regression_with_momentum_learns_the_real_data(data):
    model = LogisticRegression()
    result = train(lambda x, g, v, t: momentum_step(x, g, v, t, alpha=0.05), np.zeros(31),
                   model.init_params(30), data.X_train, data.y_train, model=model, batch_size=32,
                   n_epochs=10, X_test=data.X_test, y_test=data.y_test)
    assert result.train_accuracy[-1] > 0.95 and result.test_accuracy[-1] > 0.9
    assert result.train_loss[-1] < 0.5 * result.train_loss[0]


def test_progress_is_called_after_every_epoch():
    X, y = random_problem()
    calls = []
    model = LogisticRegression()
    train(sgd_step, None, model.init_params(5), X, y, model=model, batch_size=8, n_epochs=4,
          X_test=X, y_test=y, progress=lambda epoch, n, metrics: calls.append((epoch, n, sorted(metrics))))
    assert [(e, n) for e, n, _ in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert calls[-1][2] == sorted(["examples", "train_loss", "train_cross_entropy", "train_accuracy",
                                   "test_loss", "test_accuracy"])


def test_a_diverging_run_stops_with_a_message_and_keeps_finite_parameters():
    X, y = random_problem()
    model = OneHiddenLayerNet(n_hidden=3)
    result = train(lambda x, g, s, t: (x * 1e200, s), None, model.init_params(5), X, y,
                   model=model, batch_size=10, n_epochs=3)
    assert result.diverged and "t=" in result.message
    assert np.all(np.isfinite(result.params)) and result.n_epochs < 3


@pytest.mark.parametrize("change, error, words", [
    ({"y": np.zeros(39)}, ValueError, "one label per row"),
    ({"y": np.r_[np.zeros(39), 2.0]}, ValueError, "only the labels 0 and 1"),
    ({"y": np.zeros((40, 1))}, ValueError, "1-D"),
    ({"X": np.zeros(40)}, ValueError, "2-D"),
    ({"X": np.full((40, 5), np.nan)}, ValueError, "finite"),
    ({"X": [["a"] * 5] * 40}, TypeError, "X must"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"batch_size": 2.5}, TypeError, "batch_size"),
    ({"n_epochs": 0}, ValueError, "n_epochs"),
    ({"step_fn": "adam"}, TypeError, "step_fn"),
    ({"model": "net"}, TypeError, "model must have"),
    ({"params": np.zeros(7)}, ValueError, "params must be a flat vector of shape"),
    ({"X_test": np.zeros((3, 5))}, ValueError, "both X_test and y_test"),
    ({"X_test": np.zeros((3, 4)), "y_test": np.zeros(3)}, ValueError, "columns"),
    ({"X_test": np.zeros((3, 5)), "y_test": np.zeros(4)}, ValueError, "y_test"),
    ({"step_fn": lambda x, g, s, t: (x[:2], s)}, ValueError, "step_fn must return"),
])
def test_train_rejects_bad_input_with_a_clear_message(change, error, words):
    X, y = random_problem()
    model = LogisticRegression()
    kwargs = dict(step_fn=sgd_step, init_state=None, params=model.init_params(5), X=X, y=y,
                  model=model, batch_size=8, n_epochs=2)
    kwargs.update(change)
    step_fn, init_state, params, X, y = (kwargs.pop(k) for k in ("step_fn", "init_state", "params", "X", "y"))
    with pytest.raises(error, match=words):
        train(step_fn, init_state, params, X, y, **kwargs)


@pytest.mark.parametrize("call, error, words", [
    (lambda: OneHiddenLayerNet(n_hidden=0), ValueError, "n_hidden"),
    (lambda: OneHiddenLayerNet(n_hidden=2.5), TypeError, "n_hidden"),
    (lambda: LogisticRegression(weight_decay=-1), ValueError, "weight_decay"),
    (lambda: LogisticRegression().loss(np.zeros(3), np.zeros((4, 3)), np.zeros(4)), ValueError, r"shape \(4,\)"),
    (lambda: OneHiddenLayerNet(2).loss(np.zeros(5), np.zeros((4, 3)), np.zeros(4)), ValueError, "W1"),
    (lambda: LogisticRegression().accuracy(np.zeros(4), np.zeros((4, 3)), np.zeros(5)), ValueError, "y must"),
    (lambda: numerical_gradient(lambda z: 0.0, np.zeros(2), h=0), ValueError, "h must"),
    (lambda: numerical_gradient("f", np.zeros(2)), TypeError, "fun"),
    (lambda: numerical_gradient(lambda z: 0.0, np.zeros((2, 2))), ValueError, "1-D"),
    (lambda: gradient_check(lambda z: (0.0, np.zeros(3)), np.zeros(2)), ValueError, "shape of params"),
])
def test_models_and_checks_reject_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_boolean_labels_are_accepted_as_zero_and_one():
    X, y = random_problem()
    model = LogisticRegression()
    params = model.init_params(5, seed=3)
    assert model.loss(params, X, y.astype(bool)) == model.loss(params, X, y)
