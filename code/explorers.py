"""Interactive hyperparameter explorers (ipywidgets), shared by the chapters.

An explorer is a set of sliders, a figure and a one-line readout. Moving a
slider reruns the search (:func:`adam.adam` or :func:`adam.gradient_descent`)
and redraws only the path and the loss curve; the contour plot is drawn once
per problem. The figure is shown as an ``<img>`` (with alt text describing
the run) inside an ``ipywidgets.HTML`` widget, so the page that a static book
shows is the same picture a live kernel draws.

Moving the sliders needs a running kernel (Binder, Live Code, or a local
JupyterLab). In the static HTML book the explorer shows its controls and
its initial figure.

>>> explorer = AdamExplorer()             # doctest: +SKIP
>>> explorer.controls["beta1"].value = 0.99   # reruns and redraws  # doctest: +SKIP
>>> explorer                                # displays it in a notebook  # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

from adam import SearchResult, adam, gradient_descent
from experiment import ARTICLE_START
from objectives import (
    rosenbrock,
    rosenbrock_derivative,
    sphere,
    sphere_derivative,
    stretched_bowl,
    stretched_bowl_derivative,
)
from plotting import PATH_COLORS, plot_contour, png_img_tag, rgba_to_png
from validation import check_int, check_real

__all__ = ["Problem", "PROBLEMS", "Explorer", "AdamExplorer", "StepSizeExplorer"]


@dataclass(frozen=True)
class Problem:
    """A test function with its derivative and the box the explorer shows."""

    name: str
    objective: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    bounds: np.ndarray
    log_levels: bool = False


PROBLEMS = {
    "sphere": Problem("sphere  x² + y²", sphere, sphere_derivative, np.array([[-1.0, 1.0], [-1.0, 1.0]])),
    "stretched bowl": Problem(
        "stretched bowl  x² + 10y²", stretched_bowl, stretched_bowl_derivative, np.array([[-1.0, 1.0], [-1.0, 1.0]])
    ),
    "rosenbrock": Problem(
        "Rosenbrock  (1-x)² + 100(y-x²)²",
        rosenbrock,
        rosenbrock_derivative,
        np.array([[-2.0, 2.0], [-1.0, 3.0]]),
        log_levels=True,
    ),
}

_STYLE = {"description_width": "7em"}
_LAYOUT = widgets.Layout(width="340px")
KERNEL_NOTE = (
    "Interactive explorer: moving the sliders needs a running Python kernel "
    "(Binder, Live Code, or a local JupyterLab). A static page shows the initial figure."
)


class Explorer:
    """Sliders that rerun a search and redraw its path and loss.

    Parameters
    ----------
    method : {"adam", "gradient descent"}
        Which runner the sliders drive.
    problem : str
        A key of :data:`PROBLEMS`.
    alpha, beta1, beta2, eps : float
        Initial slider values (beta1, beta2 and eps only for Adam).
    n_iter : int
        Initial number of steps, 0 to 300.
    start : (float, float)
        Initial start point, inside the problem's bounds.
    compare_gd : bool
        For Adam, also draw gradient descent with the same alpha.
    dpi : int
        Resolution of the drawn figure.
    """

    def __init__(
        self,
        method: str = "adam",
        problem: str = "sphere",
        *,
        alpha: float = 0.02,
        beta1: float = 0.8,
        beta2: float = 0.999,
        eps: float = 1e-8,
        n_iter: int = 60,
        start: tuple[float, float] = tuple(ARTICLE_START),
        compare_gd: bool = False,
        dpi: int = 72,
    ) -> None:
        if method not in ("adam", "gradient descent"):
            raise ValueError(f"method must be 'adam' or 'gradient descent', got {method!r}")
        if problem not in PROBLEMS:
            raise ValueError(f"problem must be one of {sorted(PROBLEMS)}, got {problem!r}")
        check_real("alpha", alpha, low=1e-4, high=10 ** 0.5)
        check_real("beta1", beta1, low=0.0, high=0.999)
        check_real("beta2", beta2, low=0.0, high=0.9999)
        check_real("eps", eps, low=1e-12, high=1.0)
        n_iter = check_int("n_iter", n_iter, low=0)
        if n_iter > 300:
            raise ValueError(f"n_iter must be <= 300 in an explorer, got {n_iter}")
        if np.shape(start) != (2,):
            raise ValueError(f"start must be a pair (x, y), got {start!r}")
        self._check_start(PROBLEMS[problem], start)
        self.method = method
        self.dpi = check_int("dpi", dpi, low=20)
        self.result: SearchResult | None = None
        self.gd_result: SearchResult | None = None
        self._busy = False

        bounds = PROBLEMS[problem].bounds
        c = {}
        c["problem"] = widgets.Dropdown(options=list(PROBLEMS), value=problem, description="problem")
        c["alpha"] = widgets.FloatLogSlider(
            value=alpha, base=10, min=-4, max=0.5, step=0.05, description="alpha (α)", readout_format=".3g"
        )
        if method == "adam":
            c["beta1"] = widgets.FloatSlider(
                value=beta1, min=0.0, max=0.999, step=0.001, description="beta1 (β₁)", readout_format=".3f"
            )
            c["beta2"] = widgets.FloatSlider(
                value=beta2, min=0.0, max=0.9999, step=0.0001, description="beta2 (β₂)", readout_format=".4f"
            )
            c["eps"] = widgets.FloatLogSlider(
                value=eps, base=10, min=-12, max=0, step=0.5, description="eps (ε)", readout_format=".0e"
            )
        c["n_iter"] = widgets.IntSlider(value=n_iter, min=0, max=300, step=1, description="steps")
        c["x0"] = widgets.FloatSlider(
            value=start[0], min=bounds[0, 0], max=bounds[0, 1], step=0.01, description="start x", readout_format=".2f"
        )
        c["y0"] = widgets.FloatSlider(
            value=start[1], min=bounds[1, 0], max=bounds[1, 1], step=0.01, description="start y", readout_format=".2f"
        )
        if method == "adam":
            c["compare_gd"] = widgets.Checkbox(value=compare_gd, description="also show gradient descent")
        for control in c.values():
            control.style = _STYLE
            control.layout = widgets.Layout(width="340px")
            control.continuous_update = False
        self.controls: dict[str, widgets.ValueWidget] = c

        self.view = widgets.HTML()
        self.readout = widgets.HTML()
        self.note = widgets.HTML(f'<p class="explorer-note"><em>{html.escape(KERNEL_NOTE)}</em></p>')
        names = list(c)
        half = (len(names) + 1) // 2
        columns = widgets.HBox(
            [widgets.VBox([c[n] for n in names[:half]]), widgets.VBox([c[n] for n in names[half:]])]
        )
        self.widget = widgets.VBox([self.note, columns, self.view, self.readout])

        self._build_figure()
        for control in c.values():
            control.observe(self._on_change, names="value")
        self.update()

    # ---------------------------------------------------------------- drawing
    @staticmethod
    def _check_start(problem: Problem, start) -> None:
        for value, (low, high), name in zip(start, problem.bounds, ("x", "y")):
            if not low <= value <= high:
                raise ValueError(f"start {name} must lie in [{low}, {high}] for this problem, got {value}")

    @property
    def problem(self) -> Problem:
        return PROBLEMS[self.controls["problem"].value]

    def _build_figure(self) -> None:
        """Draw the contour (once per problem) and create the lines that updates move."""
        self.figure = Figure(figsize=(9.0, 3.8), dpi=self.dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        problem = self.problem
        plot_contour(problem.objective, problem.bounds, self.ax_path, log=problem.log_levels, num=81)
        self.gd_line = self.ax_path.plot([], [], ".-", color=PATH_COLORS[1], lw=1.0, ms=3, label="gradient descent")[0]
        label = "Adam" if self.method == "adam" else "gradient descent"
        self.path_line = self.ax_path.plot([], [], ".-", color=PATH_COLORS[0], lw=1.2, ms=4, label=label)[0]
        self.start_marker = self.ax_path.plot([], [], "o", mfc="none", mec="white", ms=9)[0]
        self.gd_loss_line = self.ax_loss.semilogy([0, 1], [1, 1], color=PATH_COLORS[1], label="gradient descent")[0]
        self.loss_line = self.ax_loss.semilogy([0, 1], [1, 1], color="#440154", label=label)[0]
        self.ax_loss.set_xlabel("step $t$")
        self.ax_loss.set_ylabel("$f(x_t)$ (log scale)")
        self.ax_loss.grid(True, alpha=0.3)
        # Few ticks: drawing tick labels is most of the cost of an update.
        self.ax_loss.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        self.figure.tight_layout()
        # Blitting: render everything but the moving parts once, keep the pixels.
        self.ax_loss.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.ax_loss.set_visible(True)

    def _on_change(self, change) -> None:
        if self._busy:
            return
        if change["owner"] is self.controls["problem"]:
            self._busy = True
            try:
                bounds = self.problem.bounds
                for name, (low, high) in zip(("x0", "y0"), bounds):
                    slider = self.controls[name]
                    slider.min, slider.max = min(slider.min, low), max(slider.max, high)
                    slider.value = float(np.clip(slider.value, low, high))
                    slider.min, slider.max = low, high
            finally:
                self._busy = False
            self._build_figure()
        self.update()

    def values(self) -> dict:
        """The current slider values, as keyword arguments of the runner."""
        c = self.controls
        values = {"alpha": float(c["alpha"].value), "n_iter": int(c["n_iter"].value)}
        if self.method == "adam":
            values.update(beta1=float(c["beta1"].value), beta2=float(c["beta2"].value), eps=float(c["eps"].value))
        return values

    def start(self) -> np.ndarray:
        """The current start point."""
        return np.array([self.controls["x0"].value, self.controls["y0"].value], dtype=float)

    def run(self) -> SearchResult:
        """Run the search for the current slider values (what :meth:`update` draws)."""
        problem = self.problem
        runner = adam if self.method == "adam" else gradient_descent
        return runner(problem.derivative, self.start(), objective=problem.objective, **self.values())

    def update(self) -> None:
        """Rerun the search and redraw the lines, the picture and the readout."""
        problem = self.problem
        self.result = result = self.run()
        show_gd = self.method == "adam" and self.controls["compare_gd"].value
        self.gd_result = (
            gradient_descent(
                problem.derivative,
                self.start(),
                self.values()["n_iter"],
                self.values()["alpha"],
                objective=problem.objective,
            )
            if show_gd
            else None
        )
        path, scores = result.path, result.scores
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.start_marker.set_data(path[:1, 0], path[:1, 1])
        steps = np.arange(len(scores))
        self.loss_line.set_data(steps, np.maximum(scores, 1e-300))
        if self.gd_result is not None:
            gd = self.gd_result
            self.gd_line.set_data(gd.path[:, 0], gd.path[:, 1])
            self.gd_loss_line.set_data(np.arange(len(gd.scores)), np.maximum(gd.scores, 1e-300))
        else:
            self.gd_line.set_data([], [])
            self.gd_loss_line.set_data([], [])
        self._rescale_loss()
        if self.ax_path.get_legend() is not None:
            self.ax_path.get_legend().remove()
        if self.gd_result is not None:
            self.ax_path.legend(loc="lower left", fontsize=8, framealpha=0.8)
        self.view.value = png_img_tag(self._render(), self.describe())
        self.readout.value = f"<p><strong>{html.escape(self.summary_line())}</strong></p>"

    def _render(self) -> bytes:
        """PNG of the figure: the cached contour pixels, then only what moved."""
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in (self.gd_line, self.path_line, self.start_marker, self.ax_path.get_legend()):
            if artist is not None:
                artist.draw(renderer)
        self.ax_loss.draw(renderer)
        return rgba_to_png(np.asarray(self.canvas.buffer_rgba()))

    def _rescale_loss(self) -> None:
        shown = [self.result.scores] + ([self.gd_result.scores] if self.gd_result is not None else [])
        values = np.concatenate(shown)
        # Floor at 1e-16: an exact zero (gradient descent can land on the minimum) then
        # shows as a drop to the bottom edge instead of vanishing below the axis.
        low = max(values.min(), 1e-16)
        high = max(values.max(), low * 10)
        self.ax_loss.set_ylim(low / 3, high * 3)
        self.ax_loss.set_xlim(0, max(max(len(s) for s in shown) - 1, 1))

    # ---------------------------------------------------------------- words
    def summary_line(self) -> str:
        """One sentence about the current run (shown under the figure)."""
        result = self.result
        if result.diverged:
            return f"The run {result.message}. Try a smaller alpha."
        x, y = result.x
        return f"After {result.n_steps} steps: f = {result.score:.3g} at (x, y) = ({x:.4g}, {y:.4g})."

    def describe(self) -> str:
        """Alt text for the figure: what it shows for the current values."""
        v = self.values()
        name = "Adam" if self.method == "adam" else "Gradient descent"
        settings = ", ".join(f"{k} = {val:.3g}" for k, val in v.items() if k != "n_iter")
        x0, y0 = self.start()
        extra = " Gradient descent with the same alpha is drawn in orange." if self.gd_result is not None else ""
        return (
            f"Left: contour plot of the {self.problem.name} function with the path of {name} "
            f"({settings}) from ({x0:.2f}, {y0:.2f}). Right: the objective at each step on a log scale. "
            f"{self.summary_line()}{extra}"
        )

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: {self.summary_line()}\n{KERNEL_NOTE}"
        return bundle


class AdamExplorer(Explorer):
    """The main explorer of chapter 5: every Adam hyperparameter on a slider."""

    def __init__(self, problem: str = "sphere", **kwargs) -> None:
        super().__init__("adam", problem, **kwargs)


class StepSizeExplorer(Explorer):
    """Chapter 1's explorer: gradient descent's step size and number of steps."""

    def __init__(self, problem: str = "sphere", *, alpha: float = 0.1, n_iter: int = 30, **kwargs) -> None:
        super().__init__("gradient descent", problem, alpha=alpha, n_iter=n_iter, **kwargs)
