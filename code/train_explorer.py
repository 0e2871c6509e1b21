r"""An explorer for mini-batch Adam on the breast-cancer data: batch size, α, β₁, β₂.

The path explorers of :mod:`explorers` draw runs on 2-D landscapes; this one
trains a model of :mod:`learning` instead and draws its training and held-out
loss after every epoch. Its sliders are built from Adam's hyperparameter
declarations (:data:`optimizers.OPTIMIZERS` ``["adam"]``: each declaration's
``explore`` range, ``log`` scale and ``step``) by :func:`explorers.make_widget`;
a dropdown picks the batch size. Moving a control reruns
:func:`learning.train` with the registry's Adam step and redraws.

The figure is a PNG inside an ``<img>`` tag (with alt text) in an
``ipywidgets.HTML``, as in :class:`explorers.Explorer`, so a static page shows
the first figure; moving the controls needs a running kernel.

>>> explorer = TrainExplorer()                 # doctest: +SKIP
>>> explorer.controls["batch_size"].value = 8  # retrains and redraws  # doctest: +SKIP
"""

from __future__ import annotations

import html
from typing import Any, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from explorers import KERNEL_NOTE, hyperparameter_control, make_widget
from learning import Dataset, OneHiddenLayerNet, TrainResult, load_data, train
from optimizers import OPTIMIZERS
from plotting import PATH_COLORS, figure_to_png, png_img_tag, quantize_png
from validation import check_int

__all__ = ["TrainExplorer", "SLIDERS", "train_adam", "result_words"]

#: The Adam hyperparameters that get a slider (eps stays at its default).
SLIDERS = ("alpha", "beta1", "beta2")
TRAIN_COLOR = PATH_COLORS[6]   # blue
TEST_COLOR = PATH_COLORS[1]    # orange


def train_adam(data: Dataset, model: Any, *, batch_size: int, n_epochs: int, seed: int = 0, **hyper) -> TrainResult:
    """Train ``model`` on ``data`` with the registry's Adam (defaults for what ``hyper`` leaves out).

    The step is ``OPTIMIZERS["adam"].update`` (hyperparameters checked once,
    here), the initial state ``OPTIMIZERS["adam"].init``, the initial weights
    ``model.init_params(d, seed)`` and the shuffling seeded with ``seed``.
    """
    adam = OPTIMIZERS["adam"]
    values = adam.check(None, **hyper)
    return train(
        lambda x, g, s, t: adam.update(x, g, s, t, **values),
        adam.init,
        model.init_params(data.n_features, seed=seed),
        data.X_train,
        data.y_train,
        model=model,
        batch_size=batch_size,
        n_epochs=n_epochs,
        seed=seed,
        X_test=data.X_test,
        y_test=data.y_test,
    )


def result_words(result: TrainResult) -> str:
    """The readout: final losses and accuracies, or where the run diverged."""
    if result.diverged:
        return f"The run {result.message}. Try a smaller alpha."
    return (
        f"After {result.n_epochs} epochs ({result.n_steps} steps of B = {result.batch_size}): "
        f"training loss {result.train_loss[-1]:.3g}, held-out loss {result.test_loss[-1]:.3g}; "
        f"training accuracy {100 * result.train_accuracy[-1]:.1f}%, "
        f"held-out accuracy {100 * result.test_accuracy[-1]:.1f}%."
    )


class TrainExplorer:
    """Sliders for α, β₁, β₂ and a batch-size dropdown that retrain a model with Adam and redraw its losses.

    Parameters
    ----------
    data : Dataset, optional
        The split to train on (default: ``learning.load_data(seed=0)``).
    model : optional
        A model of :mod:`learning` (default: ``OneHiddenLayerNet(n_hidden=16)``).
    values : dict, optional
        Initial values of ``"alpha"``, ``"beta1"``, ``"beta2"`` (defaults:
        Adam's, except ``alpha = 0.01``) and ``"batch_size"`` (32).
    batch_sizes : sequence of int
        The batch sizes offered; the number of training examples is added
        (full batch).
    n_epochs : int
        The budget of every run, in epochs.
    seed : int
        Initial weights and shuffling.
    dpi, figsize : int, (float, float)
        The picture's resolution and size in inches (pixels = dpi × inches).
    palette : int, optional
        Store each picture with at most this many colours (see
        :func:`plotting.quantize_png`): for a picture twin, which keeps one
        picture per combination of values.
    """

    def __init__(
        self,
        data: Dataset | None = None,
        *,
        model: Any = None,
        values: dict[str, Any] | None = None,
        batch_sizes: Sequence[int] = (8, 16, 32, 64, 128),
        n_epochs: int = 20,
        seed: int = 0,
        dpi: int = 72,
        figsize: tuple[float, float] = (7.2, 3.4),
        palette: int | None = None,
    ) -> None:
        self.data = load_data(seed=0) if data is None else data
        if not isinstance(self.data, Dataset):
            raise TypeError(f"data must be a learning.Dataset such as load_data(), got {type(self.data).__name__}")
        self.model = OneHiddenLayerNet(n_hidden=16) if model is None else model
        self.n_epochs = check_int("n_epochs", n_epochs, low=1)
        self.seed = check_int("seed", seed)
        self.dpi = check_int("dpi", dpi, low=20)
        if (not isinstance(figsize, (tuple, list)) or len(figsize) != 2
                or not all(isinstance(v, (int, float)) and 1 <= v <= 20 for v in figsize)):
            raise ValueError(f"figsize must be (width, height) in inches, each between 1 and 20, got {figsize!r}")
        self.figsize = (float(figsize[0]), float(figsize[1]))
        self.palette = None if palette is None else check_int("palette", palette, low=2)
        n = self.data.y_train.size
        sizes = sorted({check_int("batch_sizes", b, low=1) for b in batch_sizes if b < n} | {n})
        values = {"alpha": 0.01, "batch_size": 32, **(values or {})}
        adam = OPTIMIZERS["adam"]
        unknown = sorted(set(values) - set(SLIDERS) - {"batch_size"})
        if unknown:
            raise ValueError(f"values names no control {unknown}; the controls are {[*SLIDERS, 'batch_size']}")
        if values["batch_size"] not in sizes:
            raise ValueError(f"batch_size must be one of {sizes}, got {values['batch_size']!r}")
        self.declarations = []
        for name in SLIDERS:
            h = adam.hyperparameter(name)
            value = values.get(name, h.default)
            control = hyperparameter_control(name, f"{name} ({h.symbol})", h, value, (("adam", name),))
            control.check(value)
            self.declarations.append(control)
        self.controls: dict[str, widgets.ValueWidget] = {c.name: make_widget(c) for c in self.declarations}
        labels = [(f"{b} (full batch)" if b == n else str(b), b) for b in sizes]
        self.controls["batch_size"] = widgets.Dropdown(
            options=labels, value=values["batch_size"], description="batch size B",
            style={"description_width": "8em"}, layout=widgets.Layout(width="340px"))
        self.result: TrainResult | None = None

        self.view = widgets.HTML()
        self.readout = widgets.HTML()
        self.note = widgets.HTML(f'<p class="explorer-note"><em>{html.escape(KERNEL_NOTE)}</em></p>')
        keys = list(self.controls)
        self.widget = widgets.VBox([
            self.note,
            widgets.HBox([widgets.VBox([self.controls[k] for k in keys[:2]]),
                          widgets.VBox([self.controls[k] for k in keys[2:]])]),
            self.view,
            self.readout,
        ])
        for control in self.controls.values():
            control.observe(lambda change: self.update(), names="value")
        self.update()

    def settings(self) -> dict[str, float]:
        """The hyperparameters now (sliders over Adam's defaults)."""
        chosen = dict(OPTIMIZERS["adam"].defaults)
        for name in SLIDERS:
            chosen[name] = float(self.controls[name].value)
        return chosen

    @property
    def batch_size(self) -> int:
        """The batch size now."""
        return int(self.controls["batch_size"].value)

    def run(self) -> TrainResult:
        """Train once with the current values."""
        return train_adam(self.data, self.model, batch_size=self.batch_size, n_epochs=self.n_epochs,
                          seed=self.seed, **self.settings())

    def update(self) -> None:
        """Retrain, redraw the figure, rewrite the readout and the alt text."""
        self.result = self.run()
        self.view.value = png_img_tag(self.draw(self.result), self.describe())
        self.readout.value = f"<p><strong>{html.escape(self.summary_line())}</strong></p>"

    def summary_line(self) -> str:
        """The readout's sentence for the current run."""
        return result_words(self.result)

    def describe(self) -> str:
        """Alt text for the figure."""
        s = self.settings()
        return (
            f"Training loss (blue) and held-out loss (orange) on a log scale after each of {self.n_epochs} epochs "
            f"of mini-batch Adam with alpha = {s['alpha']:.3g}, beta1 = {s['beta1']:.3g}, beta2 = {s['beta2']:.4g}, "
            f"batch size {self.batch_size}. {self.summary_line()}"
        )

    def draw(self, result: TrainResult) -> bytes:
        """The figure for one run, as PNG bytes."""
        figure = Figure(figsize=self.figsize, dpi=self.dpi)
        FigureCanvasAgg(figure)
        ax = figure.subplots()
        epochs = np.arange(result.train_loss.size)
        ax.semilogy(epochs, np.maximum(result.train_loss, 1e-12), "-o", ms=3, color=TRAIN_COLOR, label="training loss")
        ax.semilogy(epochs, np.maximum(result.test_loss, 1e-12), "-o", ms=3, color=TEST_COLOR, label="held-out loss")
        ax.set_xlabel("epoch (passes over the training set)")
        ax.set_ylabel("mean cross-entropy (log scale)")
        ax.set_xlim(0, self.n_epochs)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower left", fontsize=9)
        figure.tight_layout()
        png = figure_to_png(figure, dpi=self.dpi)
        return png if self.palette is None else quantize_png(png, self.palette)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: {self.summary_line()}\n{KERNEL_NOTE}"
        return bundle
