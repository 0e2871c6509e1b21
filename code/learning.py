r"""Learning from data with NumPy only: a real data set, two models, backpropagation
written out, a finite-difference gradient check, mini-batches and a training loop.

Everything a model learns lives in **one flat parameter vector** ``params`` (a 1-D
array), so any optimizer that updates a 1-D array ``x`` from a gradient ``g``
trains any model here without knowing its layers.

The pieces, in the order a chapter uses them:

- :func:`load_data`: the Wisconsin diagnostic breast-cancer data that ships inside
  scikit-learn, split (seeded, stratified) and standardized.
- :class:`LogisticRegression` and :class:`OneHiddenLayerNet`: ``init_params``,
  ``loss``, ``loss_and_gradient`` (backpropagation, line by line), ``predict_proba``
  and ``accuracy``, on the mean binary cross-entropy with an optional L2 term.
- :func:`numerical_gradient` and :func:`gradient_check`: central finite
  differences, the referee of every hand-written gradient.
- :func:`minibatches` and :func:`train`: one optimizer step per mini-batch, the
  step counter ``t`` running on across epochs, and a count of the gradient
  evaluations spent (in examples) so that methods can be compared on one budget.

Notation (as in the course): ``n`` examples, ``d`` features, ``X`` of shape
``(n, d)``, labels ``y`` in {0, 1}, pre-activations ``z``, probabilities
``p = sigmoid(z)``, and the *error delta* ``delta = dL/dz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from validation import check_array, check_callable, check_int, check_real

__all__ = [
    "Dataset",
    "LogisticRegression",
    "OneHiddenLayerNet",
    "TrainResult",
    "binary_cross_entropy",
    "gradient_check",
    "load_data",
    "minibatches",
    "numerical_gradient",
    "sigmoid",
    "stratified_split",
    "train",
]


# --------------------------------------------------------------------------
# Input checks shared by the models and the training loop
# --------------------------------------------------------------------------
def _check_X(X: Any, name: str = "X") -> np.ndarray:
    X = check_array(name, X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_examples, n_features) with at least one "
            f"row and one column, got shape {X.shape}"
        )
    return X


def _check_y(y: Any, n: int, name: str = "y", X_name: str = "X") -> np.ndarray:
    array = np.asarray(y)
    if array.dtype.kind == "b":
        array = array.astype(float)
    y = check_array(name, array)
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels 0 or 1, got shape {y.shape}")
    if y.shape[0] != n:
        raise ValueError(
            f"{name} must have one label per row of {X_name}: {X_name} has {n} rows, "
            f"{name} has {y.shape[0]} labels"
        )
    bad = (y != 0.0) & (y != 1.0)
    if np.any(bad):
        values = np.unique(y[bad])[:5].tolist()
        raise ValueError(f"{name} must contain only the labels 0 and 1, got also {values}")
    return y


def _check_Xy(X: Any, y: Any, X_name: str = "X", y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    X = _check_X(X, X_name)
    return X, _check_y(y, X.shape[0], y_name, X_name)


# --------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Dataset:
    """A train/held-out split with standardized features.

    ``mean`` and ``std`` are the per-feature statistics of the **training**
    split that were used to standardize both splits.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]


def stratified_split(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)`` of a seeded split that keeps each class's share.

    For each class c with n_c examples, ``round(test_fraction * n_c)`` of them,
    drawn by ``np.random.default_rng(seed)``, go to the held-out split. Both
    index arrays are returned sorted.
    """
    rng = np.random.default_rng(seed)
    test = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n_test = int(round(test_fraction * members.size))
        test.append(rng.permutation(members)[:n_test])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(y.size), test)
    return train, test


def load_data(seed: int = 0, test_fraction: float = 0.25) -> Dataset:
    """The Wisconsin diagnostic breast-cancer data, split and standardized.

    **What it is.** 569 breast masses, each described by 30 real features
    computed from a digitized image of a fine-needle aspirate (mean, standard
    error and "worst" value of ten properties of the cell nuclei: radius,
    texture, perimeter, area, smoothness, compactness, concavity, concave
    points, symmetry, fractal dimension). 212 are malignant, 357 benign.
    Here the label is ``y = 1`` for **malignant** and ``y = 0`` for benign
    (scikit-learn's own ``target`` codes it the other way round).

    **Origin.** W. N. Street, W. H. Wolberg and O. L. Mangasarian, University
    of Wisconsin (1995), via the UCI Machine Learning Repository ("Breast
    Cancer Wisconsin (Diagnostic)"). The copy used is the one bundled inside
    the scikit-learn package (``sklearn.datasets.load_breast_cancer``, a CSV
    file in the installed package): nothing is downloaded at run time.

    **Licence.** scikit-learn itself is BSD-3-Clause licensed. The UCI
    Machine Learning Repository lists this data set under Creative Commons
    Attribution 4.0 (CC BY 4.0): credit the creators above when you use it.

    **Split.** A seeded stratified split (see :func:`stratified_split`): a
    share ``test_fraction`` of each class is held out, so both splits keep the
    class balance. With the defaults: 427 training and 142 held-out examples.

    **Standardization.** Each feature is shifted and scaled by the mean and
    the standard deviation (``ddof=0``) of the **training split only**, and
    the held-out split is transformed with those same numbers: the held-out
    examples play no part in anything the model or the preprocessing learns.
    (A feature that is constant on the training split would be divided by 1;
    this data has none.)

    Returns a :class:`Dataset` with float arrays ``X_train`` (n_train, 30),
    ``y_train`` (n_train,), ``X_test``, ``y_test``, the ``feature_names``
    and the training ``mean`` and ``std``.
    """
    seed = check_int("seed", seed)
    test_fraction = check_real("test_fraction", test_fraction, low=0.0, high=1.0, low_inclusive=False,
                               high_inclusive=False)
    try:  # imported here: only this function needs scikit-learn
        from sklearn.datasets import load_breast_cancer
    except ImportError:
        raise ImportError(
            "load_data needs scikit-learn, which ships the data; install the course's pinned "
            "environment with: pip install -r requirements.txt"
        ) from None

    bunch = load_breast_cancer()
    X = np.asarray(bunch.data, dtype=float)
    y = 1.0 - np.asarray(bunch.target, dtype=float)  # sklearn: 0 = malignant; here 1 = malignant
    train, test = stratified_split(y, test_fraction, seed)
    if train.size == 0 or test.size == 0:
        raise ValueError(f"test_fraction={test_fraction} leaves an empty split; use a value like 0.25")
    mean = X[train].mean(axis=0)
    std = X[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return Dataset(
        X_train=(X[train] - mean) / std,
        y_train=y[train],
        X_test=(X[test] - mean) / std,
        y_test=y[test],
        feature_names=tuple(str(name) for name in bunch.feature_names),
        mean=mean,
        std=std,
    )


# --------------------------------------------------------------------------
# The loss: sigmoid and binary cross-entropy, written to be stable
# --------------------------------------------------------------------------
def sigmoid(z: np.ndarray) -> np.ndarray:
    r"""The logistic function :math:`\operatorname{sigmoid}(z) = 1 / (1 + e^{-z})`.

    Computed as :math:`\exp(-\log(1 + e^{-z}))` with ``np.logaddexp``, which
    never overflows: large positive ``z`` gives 1, large negative ``z`` gives
    a tiny positive number or 0, and no RuntimeWarning either way.
    """
    return np.exp(-np.logaddexp(0.0, -z))


def binary_cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    r"""Mean binary cross-entropy of labels ``y`` for logits ``z`` (probabilities ``sigmoid(z)``).

    .. math::

        L = -\frac{1}{n}\sum_i \big[y_i \log p_i + (1 - y_i)\log(1 - p_i)\big],
        \quad p_i = \operatorname{sigmoid}(z_i).

    Since :math:`\log p = -\log(1 + e^{-z})` and :math:`\log(1 - p) = -z - \log(1 + e^{-z})`,
    each term equals :math:`\log(1 + e^{z}) - y z`, computed here as
    ``np.logaddexp(0, z) - y * z``: exact for any logit, where the textbook
    formula takes ``log(0)`` once ``p`` rounds to 0 or 1.
    """
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _check_params(params: Any, size: int, layout: str) -> np.ndarray:
    params = check_array("params", params)
    if params.shape != (size,):
        raise ValueError(
            f"params must be a flat vector of shape ({size},) for this model and these features "
            f"({layout}), got shape {params.shape}"
        )
    return params


# --------------------------------------------------------------------------
# Model 1: logistic regression
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class LogisticRegression:
    r"""Logistic regression on one flat parameter vector ``params = [w (d), b]``.

    .. math::

        z = X w + b,\qquad p = \operatorname{sigmoid}(z),\qquad
        L(w, b) = \frac{1}{n}\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big]
                  + \frac{\lambda}{2}\lVert w\rVert^2,

    with :math:`\lambda` = ``weight_decay`` (the bias is not penalized).
    """

    weight_decay: float = 0.0

    def __post_init__(self):
        check_real("weight_decay", self.weight_decay, low=0.0)

    def n_params(self, n_features: int) -> int:
        """``d + 1``: one weight per feature and one bias."""
        return check_int("n_features", n_features, low=1) + 1

    def unpack(self, params: np.ndarray, n_features: int) -> tuple[np.ndarray, float]:
        """``(w, b)`` cut from ``params``."""
        params = _check_params(params, self.n_params(n_features), f"d={n_features}: w (d), b")
        return params[:n_features], params[n_features]

    def init_params(self, n_features: int, seed: int = 0, scale: float = 0.01) -> np.ndarray:
        """Weights drawn from N(0, scale²) with ``np.random.default_rng(seed)``, bias 0.

        ``scale=0`` gives the all-zero start, where every p is 1/2 and the loss is log 2.
        """
        size = self.n_params(n_features)
        seed = check_int("seed", seed)
        scale = check_real("scale", scale, low=0.0)
        params = np.zeros(size)
        params[:n_features] = scale * np.random.default_rng(seed).standard_normal(n_features)
        return params

    def logits(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``z = X w + b`` for every row of ``X``."""
        X = _check_X(X)
        w, b = self.unpack(params, X.shape[1])
        return X @ w + b

    def predict_proba(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``p = sigmoid(X w + b)``: the model's probability that y = 1, one per row."""
        return sigmoid(self.logits(params, X))

    def accuracy(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """Share of rows where ``p >= 1/2`` (equivalently ``z >= 0``) matches the label."""
        X, y = _check_Xy(X, y)
        return float(np.mean((self.logits(params, X) >= 0) == (y == 1)))

    def cross_entropy(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """The mean binary cross-entropy alone, without the L2 term."""
        X, y = _check_Xy(X, y)
        return binary_cross_entropy(self.logits(params, X), y)

    def loss(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """The objective L: mean binary cross-entropy plus ``weight_decay / 2 * ||w||²``."""
        X, y = _check_Xy(X, y)
        w, b = self.unpack(params, X.shape[1])
        return binary_cross_entropy(X @ w + b, y) + 0.5 * self.weight_decay * float(w @ w)

    def loss_and_gradient(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        r"""The loss and its gradient with respect to ``params``, in one pass.

        **The error delta.** Per example, :math:`\ell_i = \log(1 + e^{z_i}) - y_i z_i`,
        so :math:`\partial \ell_i / \partial z_i = \operatorname{sigmoid}(z_i) - y_i = p_i - y_i`;
        the mean divides by n:

        .. math:: \delta_i = \frac{\partial L}{\partial z_i} = \frac{p_i - y_i}{n}.

        **The chain rule.** :math:`z_i = x_i \cdot w + b`, so

        .. math:: \frac{\partial L}{\partial w} = X^\top \delta + \lambda w,
                  \qquad \frac{\partial L}{\partial b} = \sum_i \delta_i.
        """
        X, y = _check_Xy(X, y)
        n = X.shape[0]
        w, b = self.unpack(params, X.shape[1])
        # Forward pass.
        z = X @ w + b
        p = sigmoid(z)
        loss = binary_cross_entropy(z, y) + 0.5 * self.weight_decay * float(w @ w)
        # Backward pass.
        delta = (p - y) / n                      # dL/dz, one per example
        grad_w = X.T @ delta + self.weight_decay * w
        grad_b = delta.sum()
        return loss, np.concatenate([grad_w, [grad_b]])


# --------------------------------------------------------------------------
# Model 2: one hidden layer
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class OneHiddenLayerNet:
    r"""A network with one hidden layer of tanh units and one sigmoid output.

    With ``h = n_hidden`` hidden units and ``d`` features, the flat vector is
    ``params = [W1 (d*h, row-major d x h), b1 (h), W2 (h), b2 (1)]``, and

    .. math::

        Z_1 = X W_1 + b_1,\quad H = \tanh(Z_1),\quad z_2 = H W_2 + b_2,\quad p = \operatorname{sigmoid}(z_2),

    .. math::

        L = \frac{1}{n}\sum_i \big[\log(1 + e^{z_{2,i}}) - y_i z_{2,i}\big]
            + \frac{\lambda}{2}\big(\lVert W_1\rVert^2 + \lVert W_2\rVert^2\big),

    with :math:`\lambda` = ``weight_decay`` (biases are not penalized).
    """

    n_hidden: int = 16
    weight_decay: float = 0.0

    def __post_init__(self):
        check_int("n_hidden", self.n_hidden, low=1)
        check_real("weight_decay", self.weight_decay, low=0.0)

    def n_params(self, n_features: int) -> int:
        """``d*h + h + h + 1``."""
        d = check_int("n_features", n_features, low=1)
        h = self.n_hidden
        return d * h + h + h + 1

    def unpack(self, params: np.ndarray, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """``(W1, b1, W2, b2)`` cut from ``params``; W1 has shape (d, h)."""
        d, h = n_features, self.n_hidden
        params = _check_params(params, self.n_params(d), f"d={d}, h={h}: W1 (d*h), b1 (h), W2 (h), b2 (1)")
        W1 = params[: d * h].reshape(d, h)
        b1 = params[d * h : d * h + h]
        W2 = params[d * h + h : d * h + 2 * h]
        b2 = params[-1]
        return W1, b1, W2, b2

    def init_params(self, n_features: int, seed: int = 0) -> np.ndarray:
        """Weights drawn with ``np.random.default_rng(seed)``, biases 0.

        ``W1`` from N(0, 1/d) and ``W2`` from N(0, 1/h): each unit's
        pre-activation then starts with a variance near 1 for standardized
        inputs, where tanh is neither flat nor linear.
        """
        d = check_int("n_features", n_features, low=1)
        seed = check_int("seed", seed)
        h = self.n_hidden
        rng = np.random.default_rng(seed)
        W1 = rng.standard_normal((d, h)) / np.sqrt(d)
        W2 = rng.standard_normal(h) / np.sqrt(h)
        return np.concatenate([W1.ravel(), np.zeros(h), W2, [0.0]])

    def logits(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        """The output pre-activation ``z2`` for every row of ``X``."""
        X = _check_X(X)
        W1, b1, W2, b2 = self.unpack(params, X.shape[1])
        return np.tanh(X @ W1 + b1) @ W2 + b2

    def predict_proba(self, params: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``p = sigmoid(z2)``: the network's probability that y = 1, one per row."""
        return sigmoid(self.logits(params, X))

    def accuracy(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """Share of rows where ``p >= 1/2`` (equivalently ``z2 >= 0``) matches the label."""
        X, y = _check_Xy(X, y)
        return float(np.mean((self.logits(params, X) >= 0) == (y == 1)))

    def _penalty(self, W1: np.ndarray, W2: np.ndarray) -> float:
        return 0.5 * self.weight_decay * (float(np.sum(W1 * W1)) + float(W2 @ W2))

    def cross_entropy(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """The mean binary cross-entropy alone, without the L2 term."""
        X, y = _check_Xy(X, y)
        return binary_cross_entropy(self.logits(params, X), y)

    def loss(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """The objective L: mean binary cross-entropy plus the L2 term on W1 and W2."""
        X, y = _check_Xy(X, y)
        W1, b1, W2, b2 = self.unpack(params, X.shape[1])
        return binary_cross_entropy(np.tanh(X @ W1 + b1) @ W2 + b2, y) + self._penalty(W1, W2)

    def loss_and_gradient(self, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        r"""The loss and its gradient by backpropagation, one line per equation.

        **Output layer.** As for logistic regression, the error delta of the
        output pre-activation is

        .. math:: \delta^{\text{out}}_i = \frac{\partial L}{\partial z_{2,i}} = \frac{p_i - y_i}{n},

        and since :math:`z_2 = H W_2 + b_2`,

        .. math:: \frac{\partial L}{\partial W_2} = H^\top \delta^{\text{out}} + \lambda W_2,
                  \qquad \frac{\partial L}{\partial b_2} = \sum_i \delta^{\text{out}}_i.

        **Back through the hidden layer.** :math:`z_{2,i}` depends on
        :math:`H_{ij}` with weight :math:`W_{2,j}`, and :math:`H_{ij} = \tanh(Z_{1,ij})`
        with :math:`\tanh' = 1 - \tanh^2`, so the error delta of the hidden
        pre-activations is

        .. math:: \delta^{\text{hidden}} = \frac{\partial L}{\partial Z_1}
                  = \big(\delta^{\text{out}} W_2^\top\big) \odot (1 - H^2)

        (an outer product: row i, column j is :math:`\delta^{\text{out}}_i W_{2,j} (1 - H_{ij}^2)`).
        Since :math:`Z_1 = X W_1 + b_1`,

        .. math:: \frac{\partial L}{\partial W_1} = X^\top \delta^{\text{hidden}} + \lambda W_1,
                  \qquad \frac{\partial L}{\partial b_1} = \textstyle\sum_i \delta^{\text{hidden}}_{i,:}.

        The gradient is returned flat, in the layout of ``params``.
        """
        X, y = _check_Xy(X, y)
        n = X.shape[0]
        W1, b1, W2, b2 = self.unpack(params, X.shape[1])
        # Forward pass: keep what the backward pass needs.
        Z1 = X @ W1 + b1                         # (n, h) hidden pre-activations
        H = np.tanh(Z1)                          # (n, h) hidden activations
        z2 = H @ W2 + b2                         # (n,)   output pre-activations (logits)
        p = sigmoid(z2)                          # (n,)   probabilities
        loss = binary_cross_entropy(z2, y) + self._penalty(W1, W2)
        # Backward pass.
        delta_out = (p - y) / n                  # dL/dz2, (n,)
        grad_W2 = H.T @ delta_out + self.weight_decay * W2
        grad_b2 = delta_out.sum()
        delta_hidden = np.outer(delta_out, W2) * (1.0 - H**2)   # dL/dZ1, (n, h)
        grad_W1 = X.T @ delta_hidden + self.weight_decay * W1
        grad_b1 = delta_hidden.sum(axis=0)
        return loss, np.concatenate([grad_W1.ravel(), grad_b1, grad_W2, [grad_b2]])


# --------------------------------------------------------------------------
# Checking a gradient by finite differences
# --------------------------------------------------------------------------
def numerical_gradient(fun: Callable[[np.ndarray], float], params: np.ndarray, h: float = 1e-5) -> np.ndarray:
    r"""The gradient of a scalar function by central differences, one coordinate at a time.

    .. math:: \frac{\partial f}{\partial x_k} \approx \frac{f(x + h e_k) - f(x - h e_k)}{2h},

    whose error is :math:`O(h^2)` (and zero for a quadratic, up to rounding).
    Rounding adds an error of order :math:`\varepsilon |f| / h` with
    :math:`\varepsilon \approx 2.2 \times 10^{-16}`, so ``h`` should be neither
    too large nor too small; ``1e-5`` suits functions of order 1. Costs
    ``2 * params.size`` calls of ``fun``; ``params`` is not modified.
    """
    check_callable("fun", fun)
    x = check_array("params", params)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"params must be a non-empty 1-D array, got shape {x.shape}")
    h = check_real("h", h, low=0.0, low_inclusive=False)
    x = x.copy()
    grad = np.empty_like(x)
    for k in range(x.size):
        saved = x[k]
        x[k] = saved + h
        f_plus = float(fun(x))
        x[k] = saved - h
        f_minus = float(fun(x))
        x[k] = saved
        grad[k] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_check(
    loss_and_gradient: Callable[[np.ndarray], tuple[float, np.ndarray]],
    params: np.ndarray,
    h: float = 1e-5,
    floor: float = 1e-8,
) -> float:
    r"""Largest relative error between a hand-written gradient and finite differences.

    ``loss_and_gradient(params)`` returns ``(loss, gradient)``. For every
    coordinate k, with ``a`` the analytic and ``f`` the numerical gradient,

    .. math:: r_k = \frac{|a_k - f_k|}{\max(|a_k|, |f_k|, \text{floor})},

    and the function returns :math:`\max_k r_k`. The ``floor`` keeps a
    coordinate whose gradient is (nearly) zero from dividing by zero: there
    the error is measured in absolute terms instead. A coordinate whose
    gradient is a near-cancelling sum (a data term plus an L2 term of the
    opposite sign, say) is resolved less well than the others, so a correct
    gradient gives up to about 1e-6. In this module's tests the correct
    gradients give at most 3.2e-7, and the classic backpropagation mistakes
    (a forgotten 1/n, a flipped sign, a missing or wrong tanh derivative)
    give 0.9 or more.
    """
    check_callable("loss_and_gradient", loss_and_gradient)
    floor = check_real("floor", floor, low=0.0, low_inclusive=False)
    x = check_array("params", params)
    _, analytic = loss_and_gradient(x.copy())
    analytic = np.asarray(analytic, dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(
            f"loss_and_gradient must return a gradient of the shape of params {x.shape}, "
            f"got shape {analytic.shape}"
        )
    numeric = numerical_gradient(lambda p: loss_and_gradient(p)[0], x, h)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / scale))


# --------------------------------------------------------------------------
# Mini-batches and the training loop
# --------------------------------------------------------------------------
def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Index arrays of one epoch: a fresh permutation of ``range(n)``, cut in order.

    Draws ``rng.permutation(n)`` once, then yields its consecutive slices of
    ``batch_size`` indices. Every example appears exactly once per epoch.
    When ``batch_size`` does not divide ``n`` the **last batch is smaller**
    (``n % batch_size`` examples); it is kept, not dropped, so an epoch always
    uses all n examples (its gradient is a mean over fewer examples: same
    expected value, more noise). ``batch_size >= n`` gives one batch of all n
    examples (full-batch gradient descent), still in permuted order.
    The shuffling is reproducible: the same generator state gives the same batches.
    """
    n = check_int("n", n, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}"
        )
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


@dataclass
class TrainResult:
    """Everything a training run recorded.

    Per step (one entry per optimizer step, i.e. per mini-batch):
    ``step_t`` (the t passed to ``step_fn``: 1, 2, 3, ... across epochs),
    ``step_loss`` (the objective on that mini-batch, before the step; free,
    since the gradient computation returns it), ``step_batch_size`` and
    ``step_examples`` (gradient evaluations in examples, cumulative, after
    that step).

    Per epoch (entry 0 is the start, before any step; then one per finished
    epoch): ``epoch_examples`` (cumulative gradient evaluations in examples),
    ``train_loss`` (the objective, L2 term included, on the whole training
    set), ``train_cross_entropy`` and ``train_accuracy``, and when held-out
    data was given ``test_loss`` (cross-entropy alone: the L2 term is not a
    property of held-out data) and ``test_accuracy``. These evaluations are
    measurements, not counted in the budget.

    ``params`` and ``state`` are the last ones; ``diverged`` and ``message``
    say whether and where the run stopped early.
    """

    params: np.ndarray
    state: Any
    step_t: np.ndarray
    step_loss: np.ndarray
    step_batch_size: np.ndarray
    step_examples: np.ndarray
    epoch_examples: np.ndarray
    train_loss: np.ndarray
    train_cross_entropy: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray | None
    test_accuracy: np.ndarray | None
    diverged: bool = False
    message: str = "finished"
    batch_size: int = 0
    n_train: int = 0

    @property
    def n_steps(self) -> int:
        return int(self.step_t.size)

    @property
    def n_epochs(self) -> int:
        """Finished epochs."""
        return int(self.epoch_examples.size) - 1

    @property
    def examples(self) -> int:
        """Gradient evaluations spent, in examples (n_train per finished epoch)."""
        return int(self.step_examples[-1]) if self.step_examples.size else 0


def train(
    step_fn: Callable[[np.ndarray, np.ndarray, Any, int], tuple[np.ndarray, Any]],
    init_state: Any,
    params: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    model: Any,
    batch_size: int,
    n_epochs: int,
    seed: int = 0,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    progress: Callable[[int, int, dict], None] | None = None,
) -> TrainResult:
    """Train ``model`` with one optimizer step per mini-batch.

    The optimizer is a pure step function ``step_fn(x, g, state, t) -> (x, state)``
    (for example ``lambda x, g, s, t: adam.step(x, g, s, t, alpha=1e-3)``),
    started from ``init_state`` (a state, or a function ``init_state(params)``
    that returns one, such as an optimizer's ``init``). The loop is::

        t = 0
        for epoch in 1..n_epochs:
            for batch in minibatches(n, batch_size, rng):   # a fresh shuffle each epoch
                t += 1                                      # t counts steps, not epochs
                loss, g = model.loss_and_gradient(params, X[batch], y[batch])
                params, state = step_fn(params, g, state, t)

    The state (Adam's moments m and v, momentum's velocity) is carried from
    one epoch into the next and never reset; ``t`` keeps counting. The
    shuffling uses ``np.random.default_rng(seed)``, so a run is reproducible.

    **Budget.** Each step costs one gradient evaluation per example in its
    batch, so every epoch costs n = ``len(y)`` example-gradients whatever the
    batch size: ``n_epochs`` is the budget. Full-batch gradient descent
    (``batch_size >= n``) makes one step per epoch, mini-batches of size B
    make ``ceil(n / B)``, for the same cost.

    **Recorded** (see :class:`TrainResult`): the mini-batch loss at every
    step, and at the start and after every epoch the loss and accuracy on the
    whole training set and, if ``X_test`` and ``y_test`` are given, on the
    held-out set. ``progress(epoch, n_epochs, metrics)``, if given, is called
    after every epoch with a dict of the latest per-epoch numbers, keyed as
    the fields of :class:`TrainResult` (``examples``, ``train_loss``,
    ``train_cross_entropy``, ``train_accuracy``, ``test_loss``,
    ``test_accuracy``), for a progress bar or a printed line.

    **Divergence.** If a loss, a gradient or the parameters stop being
    finite, the run stops, keeps the last finite parameters and returns with
    ``diverged=True`` and a message naming the epoch and step.
    """
    check_callable("step_fn", step_fn)
    if progress is not None:
        check_callable("progress", progress)
    for method in ("loss_and_gradient", "loss", "cross_entropy", "accuracy"):
        if not callable(getattr(model, method, None)):
            raise TypeError(
                f"model must have a {method}(params, X, y) method, like LogisticRegression() or "
                f"OneHiddenLayerNet(); got {type(model).__name__}"
            )
    X, y = _check_Xy(X, y)
    has_test = X_test is not None or y_test is not None
    if has_test:
        if X_test is None or y_test is None:
            raise ValueError("give both X_test and y_test, or neither")
        X_test, y_test = _check_Xy(X_test, y_test, "X_test", "y_test")
        if X_test.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_test must have the {X.shape[1]} columns of X, got {X_test.shape[1]} columns"
            )
    params = check_array("params", params)
    expected = model.n_params(X.shape[1]) if hasattr(model, "n_params") else params.size
    if params.shape != (expected,):
        raise ValueError(
            f"params must be a flat vector of shape ({expected},) for this model and "
            f"{X.shape[1]} features, got shape {params.shape}"
        )
    batch_size = check_int("batch_size", batch_size, low=1)
    n_epochs = check_int("n_epochs", n_epochs, low=1)
    seed = check_int("seed", seed)

    n = X.shape[0]
    state = init_state(params.copy()) if callable(init_state) else init_state
    rng = np.random.default_rng(seed)
    steps: dict[str, list] = {"t": [], "loss": [], "batch": [], "examples": []}
    epochs: dict[str, list] = {key: [] for key in
                               ("examples", "train_loss", "train_cross_entropy", "train_accuracy", "test_loss",
                                        "test_accuracy")}

    def measure(examples: int) -> dict:
        metrics = {
            "examples": examples,
            "train_loss": model.loss(params, X, y),
            "train_cross_entropy": model.cross_entropy(params, X, y),
            "train_accuracy": model.accuracy(params, X, y),
        }
        if has_test:
            metrics["test_loss"] = model.cross_entropy(params, X_test, y_test)
            metrics["test_accuracy"] = model.accuracy(params, X_test, y_test)
        for key, value in metrics.items():
            epochs[key].append(value)
        return metrics

    t = 0
    examples = 0
    diverged, message = False, f"finished {n_epochs} epochs"
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        measure(0)
        for epoch in range(1, n_epochs + 1):
            for batch in minibatches(n, batch_size, rng):
                t += 1
                loss, g = model.loss_and_gradient(params, X[batch], y[batch])
                if not (np.isfinite(loss) and np.all(np.isfinite(g))):
                    diverged = True
                    message = f"diverged: the loss or gradient stopped being finite at epoch {epoch}, step t={t}"
                    break
                new_params, state = step_fn(params, g, state, t)
                new_params = np.asarray(new_params, dtype=float)
                if new_params.shape != params.shape:
                    raise ValueError(
                        f"step_fn must return (x, state) with x of shape {params.shape}, "
                        f"got shape {new_params.shape}"
                    )
                examples += batch.size
                steps["t"].append(t)
                steps["loss"].append(loss)
                steps["batch"].append(batch.size)
                steps["examples"].append(examples)
                if not np.all(np.isfinite(new_params)):
                    diverged = True
                    message = f"diverged: the parameters stopped being finite at epoch {epoch}, step t={t}"
                    break
                params = new_params
            if diverged:
                break
            metrics = measure(examples)
            if not np.isfinite(metrics["train_loss"]):
                diverged = True
                message = f"diverged: the training loss stopped being finite after epoch {epoch}"
                break
            if progress is not None:
                progress(epoch, n_epochs, dict(metrics))

    def arr(values, dtype=float):
        return np.asarray(values, dtype=dtype)

    return TrainResult(
        params=params,
        state=state,
        step_t=arr(steps["t"], int),
        step_loss=arr(steps["loss"]),
        step_batch_size=arr(steps["batch"], int),
        step_examples=arr(steps["examples"], int),
        epoch_examples=arr(epochs["examples"], int),
        train_loss=arr(epochs["train_loss"]),
        train_cross_entropy=arr(epochs["train_cross_entropy"]),
        train_accuracy=arr(epochs["train_accuracy"]),
        test_loss=arr(epochs["test_loss"]) if has_test else None,
        test_accuracy=arr(epochs["test_accuracy"]) if has_test else None,
        diverged=diverged,
        message=message,
        batch_size=batch_size,
        n_train=n,
    )
