"""Interactive explorers (ipywidgets) for any optimizers, built from their declarations.

An explorer is three parts with one job each, and a small class that wires them:

- :func:`explorer_controls` declares the controls (:class:`Control`: a slider,
  a dropdown or a checkbox) from the optimizers' hyperparameter declarations
  (:class:`optimizers.Hyperparameter`): nothing about an optimizer is written
  here. :func:`make_widget` turns one declaration into an ipywidget. The same
  declarations are what a kernel-free page can be built from.
- :class:`RunFigure` draws the runs: the contour once per problem (its pixels
  kept), then only the paths and loss curves that moved (blitting), as a PNG.
- :func:`summary` and :func:`describe` put the runs into words: the readout
  under the figure and the figure's alt text.

:class:`Explorer` runs every shown optimizer through :func:`runner.run` when a
control moves and redraws. The figure is an ``<img>`` (with alt text) inside an
``ipywidgets.HTML``, so a static page shows the picture a live kernel drew.
Moving the controls needs a running kernel (Binder, Live Code, JupyterLab).

>>> explorer = Explorer(["adam"], values={"alpha": 0.02})   # doctest: +SKIP
>>> explorer.controls["beta1"].value = 0.99                # reruns and redraws  # doctest: +SKIP
>>> Explorer(["momentum", "adam"], optional=["gradient descent"])  # a race  # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from experiment import ARTICLE_START
from objectives import OBJECTIVES, Objective
from optimizers import Optimizer, get_optimizer
from plotting import (COLOR_NAMES, LOSS_FLOOR, OUTLINE, PATH_COLORS, clip_to_window, loss_scale, plot_contour,
                      png_img_tag, rgba_to_png, run_colors, symlog, symlog_threshold)
from runner import SearchResult, run
from validation import check_int

__all__ = [
    "Control",
    "explorer_controls",
    "make_widget",
    "RunFigure",
    "summary",
    "run_words",
    "describe",
    "Explorer",
    "AdamExplorer",
    "StepSizeExplorer",
    "KERNEL_NOTE",
    "hyperparameter_control",
    "HeatmapExplorer",
]

# Shown above every live explorer. True both in a running notebook and in one opened
# without a kernel (where the saved widgets show, but moving them changes nothing).
KERNEL_NOTE = (
    "Live explorer: every change of a control reruns the optimizer in Python. If moving a control "
    "changes nothing, no kernel is running this notebook: run its cells first (on Binder, with Live Code, "
    "or in a local JupyterLab)."
)
#: The most steps an explorer offers.
MAX_STEPS = 300


# --------------------------------------------------------------------------
# Controls, declared
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Control:
    """One control of an explorer, declared as data.

    ``kind`` is ``"log"`` / ``"linear"`` (float sliders; ``step`` in decades
    for log), ``"int"``, ``"choice"`` (``options``) or ``"toggle"``.
    ``targets`` lists the ``(optimizer, hyperparameter)`` pairs a slider sets.
    """

    name: str
    label: str
    kind: str
    value: Any
    low: float | None = None
    high: float | None = None
    step: float | None = None
    options: tuple = ()
    targets: tuple[tuple[str, str], ...] = ()
    readout_format: str = ".3g"

    def check(self, value: Any) -> Any:
        """Check that ``value`` is one this control offers; return it as the control holds it."""
        if self.kind == "choice":
            if value not in self.options:
                raise ValueError(f"{self.name} must be one of {list(self.options)}, got {value!r}")
            return value
        if self.kind == "toggle":
            if not isinstance(value, bool):
                raise TypeError(f"{self.name} must be True or False, got {value!r}")
            return value
        if self.kind == "int":
            value = check_int(self.name, value, low=int(self.low))
        elif isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{self.name} must be a number, got {type(value).__name__} {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(
                f"{self.name} must lie in [{self.low:.4g}, {self.high:.4g}] in this explorer, got {value!r}"
            )
        return value


def hyperparameter_control(name: str, label: str, h, value: float, targets) -> Control:
    """The slider of one declared hyperparameter ``h``: its explore range, resolution and readout format."""
    low, high = h.explore
    fmt = ".0e" if h.name == "eps" else (".3g" if h.log else f".{max(1, -int(np.floor(np.log10(h.step))))}f")
    return Control(name, label, "log" if h.log else "linear", value, low, high, h.step,
                   targets=tuple(targets), readout_format=fmt)


def explorer_controls(
    optimizers: Sequence[Optimizer],
    *,
    values: dict[str, Any],
    sliders: Sequence[str] | None,
    shared: Sequence[str],
    optional: Sequence[Optimizer],
    problems: Sequence[str],
) -> list[Control]:
    """The controls of an explorer, from the optimizers' hyperparameter declarations.

    A hyperparameter gets one slider named after it (``"alpha"``) when one
    optimizer has it or when it is ``shared``; otherwise each optimizer gets
    its own, named ``"<optimizer>: <name>"``. ``sliders`` limits which
    hyperparameters get sliders (the others stay at their values or defaults).
    Each optional optimizer gets a checkbox ``"show <optimizer>"``.
    """
    everyone = list(optimizers) + list(optional)
    owners: dict[str, list[Optimizer]] = {}
    for optimizer in everyone:
        for h in optimizer.hyperparameters:
            if sliders is None or h.name in sliders:
                owners.setdefault(h.name, []).append(optimizer)
    controls = [Control("problem", "problem", "choice", values.get("problem"), options=tuple(problems))]
    for name, having in owners.items():
        if len(having) == 1 or name in shared:
            h = having[0].hyperparameter(name)
            targets = [(o.name, name) for o in having]
            controls.append(hyperparameter_control(name, f"{name} ({h.symbol})", h, values.get(name, h.default),
                                                    targets))
        else:
            for o in having:
                h = o.hyperparameter(name)
                key = f"{o.name}: {name}"
                controls.append(hyperparameter_control(key, f"{o.title}: {h.symbol}", h,
                                                        values.get(key, h.default), [(o.name, name)]))
    controls.append(Control("n_iter", "steps", "int", values.get("n_iter", 60), 0, MAX_STEPS, 1))
    controls.append(Control("x0", "start x", "linear", values["x0"], *values["x_range"], 0.01, readout_format=".2f"))
    controls.append(Control("y0", "start y", "linear", values["y0"], *values["y_range"], 0.01, readout_format=".2f"))
    for o in optional:
        controls.append(Control(f"show {o.name}", f"also show {o.title}", "toggle", values.get(f"show {o.name}", False)))
    return controls


def make_widget(control: Control) -> widgets.ValueWidget:
    """The ipywidget for one declared control."""
    common = dict(description=control.label, style={"description_width": "8em"},
                  layout=widgets.Layout(width="340px"), continuous_update=False)
    if control.kind == "log":
        return widgets.FloatLogSlider(value=control.value, base=10, min=np.log10(control.low),
                                      max=np.log10(control.high), step=control.step,
                                      readout_format=control.readout_format, **common)
    if control.kind == "linear":
        return widgets.FloatSlider(value=control.value, min=control.low, max=control.high, step=control.step,
                                   readout_format=control.readout_format, **common)
    if control.kind == "int":
        return widgets.IntSlider(value=control.value, min=control.low, max=control.high, step=control.step, **common)
    if control.kind == "choice":
        common.pop("continuous_update")
        return widgets.Dropdown(options=list(control.options), value=control.value, **common)
    if control.kind == "toggle":
        common.pop("continuous_update")
        return widgets.Checkbox(value=control.value, indent=False, **common)
    raise ValueError(f"unknown control kind {control.kind!r}")


# --------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------
class RunFigure:
    """Paths on the contour (left) and losses (right) for a fixed list of runs, blitted.

    The contour, the axes and the legend (under the panels, off the paths) are
    rendered once per problem and set of shown runs; :meth:`draw` sets the
    lines of each run (None hides a run) and renders only them.
    """

    def __init__(self, problem: Objective, labels: Sequence[str], *, colors: Sequence[str] | None = None,
                 dpi: int = 72) -> None:
        self.problem = problem
        self.labels = list(labels)
        self.colors = list(run_colors(len(self.labels)) if colors is None else colors)
        self.figure = Figure(figsize=(9.0, 3.8), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        plot_contour(problem.f, problem.bounds, self.ax_path, log=problem.log_levels, num=81)
        self.paths, self.dots, self.exits, self.starts, self.losses = [], [], [], [], []
        for label, color in zip(self.labels, self.colors):
            # the line outlined in black; its dots edged in black (a path effect on every dot is slow)
            self.paths.append(self.ax_path.plot([], [], "-", color=color, lw=1.2, label=label,
                                                path_effects=OUTLINE)[0])
            self.dots.append(self.ax_path.plot([], [], ".", color=color, ms=5, mec="black", mew=0.4)[0])
            self.exits.append(self.ax_path.plot([], [], "X", color=color, mec="black", ms=9, clip_on=False)[0])
            self.starts.append(self.ax_path.plot([], [], "o", mfc="none", mec=color, ms=9, path_effects=OUTLINE)[0])
            self.losses.append(self.ax_loss.plot([0, 1], [1, 1], color=color, label=label,
                                                 path_effects=OUTLINE)[0])
        # a log axis for losses that stay positive; symmetric log for the saddle or a learner's function
        self.scale = loss_scale(problem.minimum_value is not None and problem.minimum_value >= 0)
        self.ax_loss.set_yscale(self.scale)
        self.ax_loss.set_xlabel("step $t$")
        self.ax_loss.set_ylabel("$f(x_t)$ (log scale)" if self.scale == "log" else "$f(x_t)$ (symmetric log scale)")
        self.ax_loss.grid(True, alpha=0.3)
        # Few ticks: drawing tick labels is most of the cost of an update.
        if self.scale == "log":
            self.ax_loss.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
            self.ax_loss.yaxis.set_minor_locator(NullLocator())
        # says what the bottom line means when a run went below the floor (x in axes, y in data units)
        self.floor_note = self.ax_loss.text(0.99, LOSS_FLOOR, "", transform=self.ax_loss.get_yaxis_transform(),
                                            ha="right", va="bottom", fontsize=8)
        rows = -(-len(self.labels) // 4) if len(self.labels) > 1 else 0  # legend rows of up to 4 runs
        self.figure.tight_layout(rect=(0, 0.02 + 0.065 * rows if rows else 0, 1, 1))
        self.left: list[int | None] = [None] * len(self.labels)
        self._shown: tuple[bool, ...] | None = None  # which runs the background's legend lists
        self._background = None

    def _render_background(self, shown: tuple[bool, ...]) -> None:
        """Render everything but the runs' lines and the loss panel, with a legend of the shown runs."""
        for legend in list(self.figure.legends):
            legend.remove()
        handles = [line for line, on in zip(self.paths, shown) if on]
        if len(self.labels) > 1 and handles:
            self.figure.legend(handles=handles, loc="lower center", ncol=min(4, len(self.labels)), fontsize=8,
                               frameon=False)
        runs = (*self.paths, *self.dots, *self.exits, *self.starts)
        for artist in (*runs, self.ax_loss):
            artist.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in (*runs, self.ax_loss):
            artist.set_visible(True)
        self._shown = shown

    def draw(self, results: Sequence[SearchResult | None]) -> bytes:
        """Set every run's lines (None hides it) and return the figure as PNG bytes."""
        shown = []
        for i, result in enumerate(results):
            if result is None:
                for line in (self.paths[i], self.dots[i], self.exits[i], self.starts[i], self.losses[i]):
                    line.set_data([], [])
                self.left[i] = None
                continue
            path, self.left[i] = clip_to_window(result.path, self.problem.bounds)
            self.paths[i].set_data(path[:, 0], path[:, 1])
            self.dots[i].set_data(path[:, 0], path[:, 1])
            self.exits[i].set_data(path[-1:, 0] if self.left[i] else [], path[-1:, 1] if self.left[i] else [])
            self.starts[i].set_data(path[:1, 0], path[:1, 1])
            # on a log axis, values below the floor (an exact zero) run along the bottom edge, as in the twin
            scores = np.maximum(result.scores, LOSS_FLOOR) if self.scale == "log" else result.scores
            self.losses[i].set_data(np.arange(len(result.scores)), scores)
            shown.append(result.scores)
        self._rescale(shown)
        which = tuple(result is not None for result in results)
        if which != self._shown:  # a run was shown or hidden: the legend changes
            self._render_background(which)
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in (*self.paths, *self.dots, *self.exits, *self.starts):
            artist.draw(renderer)
        self.ax_loss.draw(renderer)
        return rgba_to_png(np.asarray(self.canvas.buffer_rgba()))

    def _rescale(self, shown: list[np.ndarray]) -> None:
        if not shown:
            return
        values = np.concatenate(shown)
        values = values[np.isfinite(values)]
        if self.scale == "symlog":  # linear near 0, logarithmic beyond the start values' size
            linthresh = symlog_threshold(shown)
            self.ax_loss.set_yscale("symlog", linthresh=linthresh)
            self.ax_loss.yaxis.set_minor_locator(NullLocator())
            low, high = float(values.min()), float(values.max())
            pad = 0.05 * (symlog(high, linthresh) - symlog(low, linthresh) + 1e-12)
            self.ax_loss.set_ylim(_unsymlog(symlog(low, linthresh) - pad, linthresh),
                                  _unsymlog(symlog(high, linthresh) + pad, linthresh))
            self.ax_loss.set_xlim(0, max(max(len(s) for s in shown) - 1, 1))
            return
        # Floor at LOSS_FLOOR: an exact zero (gradient descent can land on the minimum) then
        # shows as a drop to the bottom edge instead of vanishing below the axis. Cap at
        # 1000 times the largest start value: a diverging run then leaves through the top
        # instead of squeezing every other curve into the bottom of the panel.
        low = max(values.min(), LOSS_FLOOR)
        high = min(max(values.max(), low * 10), 1e3 * max(max(s[0] for s in shown), low * 10))
        self.ax_loss.set_ylim(low / 3, high * 3)
        self.floor_note.set_text(f"f ≤ {LOSS_FLOOR:.0e} (or 0)"
                                 if values.min() < LOSS_FLOOR else "")
        self.ax_loss.set_xlim(0, max(max(len(s) for s in shown) - 1, 1))


def _choose_colors(optimizers, chosen: dict[str, str] | None) -> list[str]:
    """Each optimizer's colour: the chosen ones, then the palette's free colours in order."""
    chosen = dict(chosen or {})
    names = {o.name for o in optimizers}
    unknown = sorted(set(chosen) - names)
    if unknown:
        raise ValueError(f"colors names optimizers that are not in the explorer: {unknown}")
    palette = list(run_colors(len(optimizers)))  # refuses more runs than distinct colours
    bad = sorted(c for c in chosen.values() if c not in PATH_COLORS)
    if bad or len(set(chosen.values())) != len(chosen):
        raise ValueError(f"colors must be distinct colours of plotting.PATH_COLORS {PATH_COLORS}, got {chosen}")
    free = [c for c in PATH_COLORS if c not in chosen.values()]
    return [chosen[o.name] if o.name in chosen else free.pop(0) for o in optimizers]


def _unsymlog(level: float, linthresh: float) -> float:
    """The value whose :func:`plotting.symlog` is ``level``."""
    k = 1.0 / (1.0 - 1.0 / 10.0)
    if abs(level) <= k:
        return level / k * linthresh
    return float(np.sign(level) * linthresh * 10.0 ** (abs(level) - k))


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------
def run_words(result: SearchResult) -> str:
    """One run in words: ``after 60 steps: f = ... at (x, y) = (...).`` or its divergence message."""
    if result.diverged:
        return f"{result.message}."
    x, y = result.x
    return f"after {result.n_steps} steps: f = {result.score:.3g} at (x, y) = ({x:.4g}, {y:.4g})."


def summary(labels: Sequence[str], results: Sequence[SearchResult | None]) -> str:
    """The readout: one sentence per shown run (with a hint for a lone diverged run)."""
    shown = [(label, r) for label, r in zip(labels, results) if r is not None]
    if len(shown) == 1:
        result = shown[0][1]
        text = run_words(result)
        return f"The run {text} Try a smaller alpha." if result.diverged else text[:1].upper() + text[1:]
    return " ".join(f"{label} {run_words(r)}" for label, r in shown)


def describe(problem: Objective, labels, results, settings: dict[str, dict], start, colors=None) -> str:
    """Alt text for the figure: what it shows for the current values."""
    colors = dict(zip(labels, COLOR_NAMES if colors is None else [COLOR_NAMES[PATH_COLORS.index(c)] for c in colors]))
    parts = []
    for label, result in zip(labels, results):
        if result is None:
            continue
        values = ", ".join(f"{k} = {v:.3g}" for k, v in settings[label].items())
        parts.append(f"{label} ({values}) in {colors[label]}")
    scale = loss_scale(problem.minimum_value is not None and problem.minimum_value >= 0)
    return (
        f"Left: contour plot of the {problem.title} function with the path of {'; '.join(parts)}, "
        f"from ({start[0]:.3g}, {start[1]:.3g}). Right: the objective at each step on a "
        f"{'log' if scale == 'log' else 'symmetric log'} scale. {summary(labels, results)}"
    )


# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------
class Explorer:
    """Controls that rerun one or more optimizers and redraw their paths and losses.

    Parameters
    ----------
    optimizers : sequence of str or Optimizer
        The optimizers always drawn (names in :data:`optimizers.OPTIMIZERS`).
    problem : str or Objective
        The initial problem: a key of :data:`objectives.OBJECTIVES`, or an
        :class:`objectives.Objective` of your own (such as
        ``user_objective.objective_from_text("x**2 + y**4")``).
    values : dict, optional
        Initial control values by control name (``"alpha"``, ``"beta1"``,
        ``"n_iter"``, ``"show gradient descent"``, ``"momentum: alpha"`` ...).
    start : (float, float), optional
        The initial start point (default: the problem's).
    sliders : sequence of str, optional
        Which hyperparameters get sliders (default: all).
    shared : sequence of str
        Hyperparameters set by one slider for every optimizer that has them.
    optional : sequence of str or Optimizer
        Optimizers drawn only when their "also show" checkbox is ticked.
    problems : sequence of str or Objective, optional
        The problems offered (default: the registry's).
    colors : dict, optional
        A colour of :data:`plotting.PATH_COLORS` for some optimizers, by name
        (to match a chapter's other figures); the others take the palette's
        next free colours, in order.
    dpi : int
        Resolution of the figure.
    """

    def __init__(
        self,
        optimizers: Sequence[str | Optimizer] = ("adam",),
        problem: str | Objective = "sphere",
        *,
        values: dict[str, Any] | None = None,
        start: tuple[float, float] | None = None,
        sliders: Sequence[str] | None = None,
        shared: Sequence[str] = ("alpha",),
        optional: Sequence[str | Optimizer] = (),
        problems: Sequence[str | Objective] | None = None,
        colors: dict[str, str] | None = None,
        dpi: int = 72,
    ) -> None:
        self.optimizers = [get_optimizer(o) for o in optimizers]
        self.optional = [get_optimizer(o) for o in optional]
        everyone = self.optimizers + self.optional
        if not self.optimizers:
            raise ValueError("optimizers must name at least one optimizer")
        names = [o.name for o in everyone]
        if len(set(names)) != len(names):
            raise ValueError(f"each optimizer may appear once, got {names}")
        self.colors = _choose_colors(everyone, colors)
        # problems by name: the registry's, and any Objective given as itself (a learner's own)
        given = [problem] + list(problems or [])
        own = {o.name: o for o in given if isinstance(o, Objective)}
        self.problem_table = {**OBJECTIVES, **own}
        names = list(OBJECTIVES) if problems is None else [o.name if isinstance(o, Objective) else o for o in problems]
        if isinstance(problem, Objective):
            problem = problem.name
            names = names if problem in names else [problem] + names
        if problem not in names or any(n not in self.problem_table for n in names):
            raise ValueError(f"problem must be one of {names}, got {problem!r}")
        problems = names
        self.dpi = check_int("dpi", dpi, low=20)
        objective = self.problem_table[problem]
        start = tuple(objective.start) if start is None else start
        if np.shape(start) != (2,):
            raise ValueError(f"start must be a pair (x, y), got {start!r}")
        values = dict(values or {})
        values.update(problem=problem, x0=float(start[0]), y0=float(start[1]),
                      x_range=tuple(objective.bounds[0]), y_range=tuple(objective.bounds[1]))
        self.declarations = explorer_controls(
            self.optimizers, values=values, sliders=sliders, shared=shared, optional=self.optional, problems=problems
        )
        known = {c.name for c in self.declarations} | {"problem", "x0", "y0", "x_range", "y_range"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"values names no control {unknown}; the controls are {sorted(known - {'x_range', 'y_range'})}")
        for control in self.declarations:
            control.check(control.value)
        self.fixed = {o.name: {k: v for k, v in o.defaults.items()} for o in everyone}
        self.controls: dict[str, widgets.ValueWidget] = {c.name: make_widget(c) for c in self.declarations}
        self.labels = [o.title[:1].upper() + o.title[1:] for o in everyone]
        self.results: list[SearchResult | None] = []
        self._busy = False

        self.view = widgets.HTML()
        self.readout = widgets.HTML()
        self.note = widgets.HTML(f'<p class="explorer-note"><em>{html.escape(KERNEL_NOTE)}</em></p>')
        keys = list(self.controls)
        half = (len(keys) + 1) // 2
        columns = widgets.HBox([widgets.VBox([self.controls[k] for k in keys[:half]]),
                                widgets.VBox([self.controls[k] for k in keys[half:]])])
        self.widget = widgets.VBox([self.note, columns, self.view, self.readout])
        self.figure = RunFigure(self.problem, self.labels, colors=self.colors, dpi=self.dpi)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # ------------------------------------------------------------ state
    @property
    def problem(self) -> Objective:
        """The problem chosen now."""
        return self.problem_table[self.controls["problem"].value]

    def start(self) -> np.ndarray:
        """The start point chosen now."""
        return np.array([self.controls["x0"].value, self.controls["y0"].value], dtype=float)

    def settings(self) -> dict[str, dict[str, float]]:
        """Every optimizer's hyperparameters now, by label (sliders over defaults)."""
        everyone = self.optimizers + self.optional
        chosen = {o.name: dict(self.fixed[o.name]) for o in everyone}
        for control in self.declarations:
            for optimizer, name in control.targets:
                chosen[optimizer][name] = float(self.controls[control.name].value)
        return {label: chosen[o.name] for label, o in zip(self.labels, everyone)}

    def shown(self) -> list[bool]:
        """Which optimizers are drawn now."""
        return [True] * len(self.optimizers) + [bool(self.controls[f"show {o.name}"].value) for o in self.optional]

    def run_one(self, i: int) -> SearchResult:
        """Run optimizer ``i`` (shown or not) for the current values."""
        problem, optimizer = self.problem, (self.optimizers + self.optional)[i]
        return run(optimizer, problem.gradient, self.start(), int(self.controls["n_iter"].value),
                   objective=problem.f, **self.settings()[self.labels[i]])

    def run(self) -> list[SearchResult | None]:
        """Run every shown optimizer for the current values (what :meth:`update` draws)."""
        return [self.run_one(i) if show else None for i, show in enumerate(self.shown())]

    # ------------------------------------------------------------ events
    def _on_change(self, change) -> None:
        if self._busy:
            return
        if change["owner"] is self.controls["problem"]:
            self._busy = True
            try:
                for name, (low, high) in zip(("x0", "y0"), self.problem.bounds):
                    slider = self.controls[name]
                    slider.min, slider.max = min(slider.min, low), max(slider.max, high)
                    slider.value = float(np.clip(slider.value, low, high))
                    slider.min, slider.max = low, high
            finally:
                self._busy = False
            self.figure = RunFigure(self.problem, self.labels, colors=self.colors, dpi=self.dpi)
        self.update()

    def update(self) -> None:
        """Rerun, redraw the picture, and rewrite the readout and the alt text."""
        shown = {o.name for o, show in zip(self.optimizers + self.optional, self.shown()) if show}
        for control in self.declarations:  # a slider for hidden optimizers only is disabled
            if control.targets:
                self.controls[control.name].disabled = not any(name in shown for name, _ in control.targets)
        self.results = self.run()
        png = self.figure.draw(self.results)
        self.view.value = png_img_tag(png, self.describe())
        self.readout.value = f"<p><strong>{html.escape(self.summary_line())}</strong></p>"

    def summary_line(self) -> str:
        """The readout's sentence(s) for the current runs."""
        return summary(self.labels, self.results)

    def describe(self) -> str:
        """Alt text for the figure."""
        return describe(self.problem, self.labels, self.results, self.settings(), self.start(), self.colors)

    # ------------------------------------------------------------ the first run, by name
    @property
    def result(self) -> SearchResult:
        """The first optimizer's run."""
        return self.results[0]

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: {self.summary_line()}\n{KERNEL_NOTE}"
        return bundle


class AdamExplorer(Explorer):
    """Chapter 5's explorer: every Adam hyperparameter, and gradient descent to compare.

    Keyword arguments ``alpha``, ``beta1``, ``beta2``, ``eps``, ``n_iter``
    set the initial values (the article's settings by default);
    ``compare_gd`` ticks "also show gradient descent" (same alpha).
    """

    def __init__(self, problem: str = "sphere", *, alpha=0.02, beta1=0.8, beta2=0.999, eps=1e-8, n_iter=60,
                 start=None, compare_gd=False, **kwargs) -> None:
        values = dict(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, n_iter=n_iter)
        values["show gradient descent"] = compare_gd
        super().__init__(["adam"], problem, values=values, optional=["gradient descent"],
                         start=tuple(ARTICLE_START) if start is None else start, **kwargs)


class StepSizeExplorer(Explorer):
    """Chapter 1's explorer: gradient descent's step size and number of steps."""

    def __init__(self, problem: str = "sphere", *, alpha=0.1, n_iter=30, start=None, **kwargs) -> None:
        super().__init__(["gradient descent"], problem, values=dict(alpha=alpha, n_iter=n_iter),
                         start=tuple(ARTICLE_START) if start is None else start, **kwargs)


# --------------------------------------------------------------------------
# The heat-map explorer
# --------------------------------------------------------------------------
class HeatmapExplorer:
    """Dropdowns that choose a landscape and a pair of Adam's hyperparameters; a heat map redraws.

    Each choice computes :func:`heatmaps.sensitivity_grid` (one batch of
    ``cells x starts`` runs) and draws the median final loss and the median
    steps to reach the landscape's tolerance side by side
    (:func:`plotting.draw_heatmap`), with the paper's defaults and the
    article's settings marked. The figure is an ``<img>`` with alt text in an
    ``ipywidgets.HTML``, as in :class:`Explorer`.

    Parameters
    ----------
    problem : str
        The initial landscape, a key of :data:`heatmaps.LANDSCAPES`.
    pair : str
        The initial axes, a key of :attr:`PAIRS` (``"alpha, beta1"`` or ``"beta1, beta2"``).
    starts : int
        How many seeded start points each cell runs from (the median is over them).
    dpi : int
        Resolution of the figure.
    """

    #: The axis pairs offered, and the values the other hyperparameters keep.
    PAIRS = {
        "alpha, beta1": (("alpha", "beta1"), {}),
        "beta1, beta2": (("beta1", "beta2"), {"alpha": 0.02}),
        "alpha, beta2": (("alpha", "beta2"), {"beta1": 0.9}),
    }
    #: The settings marked on every map.
    MARKS = {
        "paper's defaults": {"alpha": 0.001, "beta1": 0.9, "beta2": 0.999},
        "article's settings": {"alpha": 0.02, "beta1": 0.8, "beta2": 0.999},
    }

    def __init__(self, problem: str = "sphere", pair: str = "alpha, beta1", *, starts: int = 8, dpi: int = 90):
        from heatmaps import LANDSCAPES

        if problem not in LANDSCAPES:
            raise ValueError(f"problem must be one of {list(LANDSCAPES)}, got {problem!r}")
        if pair not in self.PAIRS:
            raise ValueError(f"pair must be one of {list(self.PAIRS)}, got {pair!r}")
        self.n_starts = check_int("starts", starts, low=1)
        self.dpi = check_int("dpi", dpi, low=20)
        self.controls = {
            "problem": widgets.Dropdown(options=list(LANDSCAPES), value=problem, description="landscape",
                                        style={"description_width": "8em"}, layout=widgets.Layout(width="340px")),
            "pair": widgets.Dropdown(options=list(self.PAIRS), value=pair, description="axes",
                                     style={"description_width": "8em"}, layout=widgets.Layout(width="340px")),
        }
        self.view = widgets.HTML()
        self.readout = widgets.HTML()
        self.note = widgets.HTML(f'<p class="explorer-note"><em>{html.escape(KERNEL_NOTE)}</em></p>')
        self.widget = widgets.VBox([self.note, widgets.HBox(list(self.controls.values())), self.view, self.readout])
        self.grid = None
        for control in self.controls.values():
            control.observe(lambda change: self.update(), names="value")
        self.update()

    def compute(self):
        """The sensitivity grid for the current choices (Adam; seeded starts in the landscape's window)."""
        from heatmaps import LANDSCAPES, sensitivity_grid
        from sweeps import random_starts

        problem = OBJECTIVES[self.controls["problem"].value]
        names, fixed = self.PAIRS[self.controls["pair"].value]
        budget = LANDSCAPES[problem.name]
        return sensitivity_grid(problem, "adam", {names[0]: None, names[1]: None}, fixed=fixed,
                                starts=random_starts(problem.bounds, self.n_starts, seed=0),
                                n_iter=budget["n_iter"], tol=budget["tol"])

    def draw(self, grid) -> bytes:
        """The two maps of ``grid`` side by side, as PNG bytes."""
        from plotting import draw_heatmap, figure_to_png

        # 8 inches at 90 dpi by default: as wide in pixels as the page's column, with text that reads at that size
        figure = Figure(figsize=(8.0, 3.7), dpi=self.dpi)
        FigureCanvasAgg(figure)
        left, right = figure.subplots(1, 2)
        marks = {label: (values[grid.names[0]], values[grid.names[1]]) for label, values in self.MARKS.items()}
        draw_heatmap(grid.final, grid.values, grid.names, grid.scales, ax=left, marks=marks, floor=1e-12,
                     label="median final loss", title=f"f after {grid.n_iter} steps")
        draw_heatmap(grid.steps, grid.values, grid.names, grid.scales, ax=right, marks=marks, log_color=False,
                     label="median steps", title=f"steps until f ≤ {grid.tol:g}")
        figure.tight_layout()
        return figure_to_png(figure, dpi=self.dpi)

    def summary_line(self) -> str:
        """The readout: the best cell and the values at the marked settings."""
        grid = self.grid
        row, col = np.unravel_index(np.argmin(grid.final), grid.final.shape)
        parts = [f"Best median final loss {grid.final[row, col]:.2g} at {grid.names[0]} = {grid.values[0][col]:.4g}, "
                 f"{grid.names[1]} = {grid.values[1][row]:.4g}."]
        for label, values in self.MARKS.items():
            r, c = grid.cell(**{name: values[name] for name in grid.names})
            steps = grid.steps[r, c]
            parts.append(f"Nearest cell to the {label}: loss {grid.final[r, c]:.2g}, "
                         f"{'never reached tol' if not np.isfinite(steps) else f'{steps:g} steps to tol'}.")
        return " ".join(parts)

    def describe(self) -> str:
        """Alt text for the figure."""
        grid = self.grid
        return (f"Two heat maps for Adam on the {grid.problem} landscape over {grid.names[0]} (horizontal) and "
                f"{grid.names[1]} (vertical), each cell the median over {len(grid.starts)} starts: left, the "
                f"final loss after {grid.n_iter} steps on a log colour scale; right, the steps to reach "
                f"f <= {grid.tol:g}, hatched grey where the median run never did. {self.summary_line()}")

    def update(self) -> None:
        """Recompute and redraw."""
        self.grid = self.compute()
        self.view.value = png_img_tag(self.draw(self.grid), self.describe())
        self.readout.value = f"<p><strong>{html.escape(self.summary_line())}</strong></p>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: {self.summary_line()}\n{KERNEL_NOTE}"
        return bundle
