"""Kernel-free twins of the explorers: precompute in Python, replay in the page.

A reader of the static book has no Python kernel, so the ipywidgets explorer's
callbacks cannot run there. Its twin is plain HTML, SVG and a few lines of
JavaScript (``twin.js``) built from **the explorer's own declaration of its
controls**: for a lattice of control values (a few values per control, chosen
by the chapter), Python runs every optimizer through the same
:meth:`explorers.Explorer.run` the live explorer uses, and stores the runs in
the page. Moving a control in the page looks the runs up and draws them; the
browser does no optimization math. Each control snaps to the lattice values
and shows the value it is at.

What is exact and what is drawn: the readout under the figure (the final
``f``, the point, divergence messages) is the text Python formatted for
exactly that run, so it equals the live explorer's readout for the same
values. The paths and loss curves are drawn from coordinates rounded to
1/1023 of the window and 1/255 of the loss axis: less than a pixel as drawn.

:func:`show` displays an explorer so that JupyterLab (and Binder) get the
live widget and the static book gets the twin: one output carries both, and
the book's configuration prefers the twin's ``text/html``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import pathlib
import zlib
from typing import Any, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from explorers import KERNEL_NOTE, Explorer, run_words
from objectives import OBJECTIVES
from plotting import COLOR_NAMES, LOSS_FLOOR, PATH_COLORS, clip_to_window, loss_scale, plot_contour, symlog, symlog_threshold
from runner import SearchResult

__all__ = ["Twin", "build_twin", "show", "read_twins", "build_picture_twin", "show_pictures", "TWIN_NOTE"]

TWIN_NOTE = (
    "This explorer runs in the page: every control snaps to values whose runs were computed "
    "in Python when the book was built. Launch the page (rocket icon) for the live version with "
    "every value."
)
_JS = (pathlib.Path(__file__).with_name("twin.js")).read_text(encoding="utf-8")
_LOSS_BOX = (385.0, 12.0, 245.0, 240.0)  # x, y, width, height of the loss panel, in SVG units
_WIDTH, _HEIGHT = 640.0, 300.0
#: Path coordinates are stored as integers 0..PATH_LEVELS across the window (a 320-unit
#: panel: a third of a unit per level), losses as 0..LOSS_LEVELS over the loss axis's
#: decades (a 240-unit panel: about one unit per level). Both are under a pixel as drawn.
PATH_LEVELS = 1023
LOSS_LEVELS = 255


class Twin:
    """The twin's data and HTML. ``lattice`` maps each control to its values in the page."""

    def __init__(self, html_text: str, data: dict, lattice: dict[str, list]) -> None:
        self.html = html_text
        self.data = data
        self.lattice = lattice

    def _repr_html_(self) -> str:
        return self.html

    @property
    def size(self) -> int:
        """The twin's HTML size in bytes (what it adds to the page)."""
        return len(self.html.encode("utf-8"))


def _background(problem, dpi: int) -> tuple[str, list[float]]:
    """The contour panel as a PNG data URI, and where its axes sit in SVG units."""
    figure = Figure(figsize=(_WIDTH / 2 / 72, _HEIGHT / 72), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.16, 0.16, 0.62, 0.78))
    plot_contour(problem.f, problem.bounds, ax, log=problem.log_levels, num=81)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    width, height = figure.get_size_inches() * 72  # SVG units are points of this figure
    x0, y0, w, h = ax.get_position().bounds  # axes in figure fractions (equal aspect may shrink it)
    box = [x0 * width, (1 - y0 - h) * height, w * width, h * height]
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), box


def _values_text(control, values) -> list[str]:
    if control.kind == "choice":
        return [str(v) for v in values]
    if control.kind == "toggle":
        return ["off", "on"]
    if control.kind == "int":
        return [str(int(v)) for v in values]
    return [format(float(v), control.readout_format) for v in values]


def _check_lattice(explorer: Explorer, lattice: dict[str, Any]) -> dict[str, Any]:
    """Every control's values in the page; ``full["start"]`` maps each problem to its start points."""
    known = {c.name: c for c in explorer.declarations}
    allowed = (set(known) - {"x0", "y0"}) | {"start"}
    unknown = sorted(set(lattice) - allowed)
    if unknown:
        raise ValueError(
            f"lattice names no control {unknown}; it takes {sorted(allowed)} (the start as (x, y) pairs, "
            f"one list for every problem or a dict by problem)"
        )
    full: dict[str, Any] = {}
    for name, control in known.items():
        if name in ("x0", "y0"):
            continue
        current = explorer.controls[name].value
        if control.kind == "toggle":
            full[name] = [False, True]
            continue
        values = [control.check(v) for v in lattice.get(name, [current])]
        if not values:
            raise ValueError(f"lattice[{name!r}] must hold at least one value")
        if control.kind != "choice":
            values = sorted(set(values))
        if not any(v == current if control.kind == "choice" else np.isclose(float(v), float(current)) for v in values):
            raise ValueError(f"lattice[{name!r}] must include the explorer's current value {current!r}")
        full[name] = values
    current_start = (float(explorer.controls["x0"].value), float(explorer.controls["y0"].value))
    starts = lattice.get("start", [current_start])
    if not isinstance(starts, dict):
        starts = {problem: starts for problem in full["problem"]}
    missing = sorted(set(full["problem"]) - set(starts))
    if missing:
        raise ValueError(f"lattice['start'] gives no start for the problems {missing}")
    full["start"] = {}
    for problem in full["problem"]:
        (x_low, x_high), (y_low, y_high) = explorer.problem_table[problem].bounds
        pairs = [tuple(float(c) for c in pair) for pair in starts[problem]]
        if not pairs or any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"lattice['start'][{problem!r}] must be a list of (x, y) pairs")
        for x, y in pairs:
            if not (x_low <= x <= x_high and y_low <= y <= y_high):
                raise ValueError(f"the start ({x}, {y}) lies outside the window of {problem!r}")
        full["start"][problem] = pairs
    if explorer.controls["problem"].value in full["start"] and not any(
        np.allclose(pair, current_start) for pair in full["start"][explorer.controls["problem"].value]
    ):
        raise ValueError(f"lattice['start'] must include the explorer's current start {current_start}")
    return full


def build_twin(explorer: Explorer, lattice: dict[str, Any], *, dpi: int = 72) -> Twin:
    """Compute the runs for every combination of lattice values and return the twin.

    ``lattice`` maps control names of ``explorer`` (``"alpha"``, ``"beta1"``,
    ``"n_iter"``, ``"problem"``...) to the values the page offers, and
    ``"start"`` to (x, y) pairs (a list, or a dict giving each problem its
    own). A control left out offers only its current value and is shown as
    fixed text; checkboxes offer both states. The steps control costs nothing:
    one run of the largest step count serves every shorter one. Each optimizer
    is run only over the controls that act on it, one run at a time through
    :meth:`explorers.Explorer.run_one`, exactly as the live explorer runs it.
    """
    full = _check_lattice(explorer, lattice)
    declarations = {c.name: c for c in explorer.declarations}
    everyone = explorer.optimizers + explorer.optional
    colors = explorer.colors
    steps = [int(n) for n in full["n_iter"]]
    problems = full["problem"]
    saved = {name: widget.value for name, widget in explorer.controls.items()}
    explorer._busy = True  # set values without redrawing
    try:
        runs = []
        for i, (optimizer, label) in enumerate(zip(everyone, explorer.labels)):
            targets = [c.name for c in explorer.declarations if any(t[0] == optimizer.name for t in c.targets)]
            table, sizes = [], []
            for problem in problems:
                explorer.controls["problem"].value = problem
                _widen_start_sliders(explorer)
                axes = [full["start"][problem]] + [full[k] for k in targets]
                sizes.append([len(a) for a in axes])
                entries = []
                for (x0, y0), *values in itertools.product(*axes):
                    explorer.controls["x0"].value, explorer.controls["y0"].value = x0, y0
                    for k, v in zip(targets, values):
                        explorer.controls[k].value = v
                    explorer.controls["n_iter"].value = max(steps)
                    entries.append(_entry(explorer.run_one(i), explorer.problem_table[problem].bounds, steps))
                table.append(entries)
            fixed = [name for name in optimizer.names
                     if not any((optimizer.name, name) in c.targets for c in explorer.declarations)]
            setting_text = {k: [f"{t[1]} = {float(v):.3g}" for v in full[k]]
                            for k in targets for t in declarations[k].targets if t[0] == optimizer.name}
            setting_text.update({f"fixed {name}": [f"{name} = {explorer.fixed[optimizer.name][name]:.3g}"]
                                 for name in fixed})
            runs.append({
                "optimizer": optimizer.name, "fixed": {name: explorer.fixed[optimizer.name][name] for name in fixed},
                "targets": {k: t[1] for k in targets for t in declarations[k].targets if t[0] == optimizer.name},
                "label": label, "color": colors[i], "colorName": COLOR_NAMES[PATH_COLORS.index(colors[i])], "keys": ["start"] + targets,
                "sizes": sizes, "toggle": f"show {optimizer.name}" if optimizer in explorer.optional else None,
                "table": table, "settingKeys": targets + [f"fixed {name}" for name in fixed],
                "settingText": setting_text,
            })
    finally:
        explorer.controls["problem"].value = saved["problem"]
        _widen_start_sliders(explorer)
        for name, value in saved.items():
            explorer.controls[name].value = value
        explorer._busy = False
    blob = _Blob()
    loss_axes = _quantize(runs, [explorer.problem_table[p] for p in problems], blob)
    start_problem = saved["problem"] if saved["problem"] in problems else problems[0]
    data = {
        "controls": [
            {"name": name, "kind": declarations[name].kind, "labels": _values_text(declarations[name], full[name]),
             "values": full[name], "start": _position(full[name], saved[name])}
            for name in full if name != "start"
        ],
        "problemNames": list(problems),
        "startLabels": [[f"({x:.3g}, {y:.3g})" for x, y in full["start"][p]] for p in problems],
        "starts": [full["start"][p] for p in problems],
        "problems": [],
        "runs": runs,
        "steps": steps,
        "lossBox": list(_LOSS_BOX),
        "pathWidth": _WIDTH / 2,
        "height": _HEIGHT,
        "levels": {"path": PATH_LEVELS, "loss": LOSS_LEVELS},
    }
    first = full["start"][start_problem]
    data["controls"].append({"name": "start", "kind": "start", "labels": data["startLabels"][problems.index(start_problem)],
                             "values": full["start"][start_problem],
                             "start": int(np.argmin([np.hypot(x - saved["x0"], y - saved["y0"]) for x, y in first]))})
    for problem in problems:
        background, box = _background(explorer.problem_table[problem], dpi)
        data["problems"].append({"title": explorer.problem_table[problem].title, "background": background, "pathBox": box,
                                 "loss": loss_axes[problem]})
    return Twin(_html(explorer, data, blob.encoded()), data, full)


def _widen_start_sliders(explorer: Explorer) -> None:
    """Let the start sliders take any point of the current problem's window."""
    for name, (low, high) in zip(("x0", "y0"), explorer.problem.bounds):
        slider = explorer.controls[name]
        slider.min, slider.max = min(slider.min, low), max(slider.max, high)
        slider.min, slider.max = low, high


def _position(values: list, current) -> int:
    """Where the current value sits in a control's lattice."""
    if isinstance(current, (bool, str)):
        return values.index(current) if not isinstance(current, bool) else int(current)
    return int(np.argmin([abs(float(v) - float(current)) for v in values]))


def _entry(result: SearchResult, bounds: np.ndarray, steps: list[int]) -> dict:
    """One run as the page needs it: the path as drawn, the losses, the readout after each step count."""
    clipped, left = clip_to_window(result.path, bounds)
    texts, diverged = [], []
    for n in steps:
        if n <= result.n_steps:  # the run as it stands after n steps: run(..., n_iter=n)
            texts.append(run_words(_truncated(result, n)))
            diverged.append(False)
        else:
            texts.append(run_words(result))
            diverged.append(True)
    return {"xy": clipped, "scores": result.scores, "bounds": bounds, "n": result.n_steps,
            "left": left, "text": texts, "diverged": diverged}


def _truncated(result: SearchResult, n: int) -> SearchResult:
    """The run as it stands after ``n`` good steps."""
    return SearchResult(path=result.path[: n + 1], scores=result.scores[: n + 1], diverged=False,
                        message=f"finished {n} steps", x=result.path[n], score=float(result.scores[n]),
                        n_steps=n, messages=(f"finished {n} steps",))


def _loss_axis(problem, entries) -> dict:
    """The loss panel of one problem, shared by all its runs: scale, range and ticks (as in the live figure)."""
    from matplotlib.ticker import MaxNLocator

    finite = np.concatenate([e["scores"][np.isfinite(e["scores"])] for e in entries])
    first = max(abs(float(e["scores"][0])) for e in entries)
    if loss_scale(problem.minimum_value is not None and problem.minimum_value >= 0) == "log":
        low = max(float(finite.min()), LOSS_FLOOR)
        high = min(max(float(finite.max()), low * 10), 1e3 * max(first, low * 10))
        span = [int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))]
        if span[1] - span[0] < 2:
            span[0] = span[1] - 2
        decades = span[1] - span[0]
        every = 1 if decades <= 6 else 2 if decades <= 12 else 4 if decades <= 24 else 8
        ticks = [[(e - span[0]) / decades, f"1e{e}"] for e in range(span[0], span[1] + 1) if (e - span[0]) % every == 0]
        if float(finite.min()) < LOSS_FLOOR:  # the runs below the floor (an exact 0) are drawn on it: say so
            ticks[0][1] = f"≤1e{span[0]}"
        return {"scale": "log", "low": float(span[0]), "high": float(span[1]), "ticks": ticks,
                "label": "f(xₜ) (log scale)"}
    # symmetric log: linear near 0, logarithmic beyond the size of the start values (as the live figure)
    from matplotlib.ticker import SymmetricalLogLocator

    linthresh = symlog_threshold([e["scores"] for e in entries])
    low, high = float(symlog(finite.min(), linthresh)), float(symlog(finite.max(), linthresh))
    pad = 0.05 * max(high - low, 1e-12)
    low, high = low - pad, high + pad
    locator = SymmetricalLogLocator(linthresh=linthresh, base=10)
    values = locator.tick_values(float(finite.min()), float(finite.max()))
    ticks = []
    for t in values:
        level = float(symlog(t, linthresh))
        if low <= level <= high:
            ticks.append([(level - low) / (high - low), format(float(t), ".3g")])
    if len(ticks) > 8:
        ticks = ticks[:: int(np.ceil(len(ticks) / 8))]
    return {"scale": "symlog", "low": low, "high": high, "linthresh": linthresh, "ticks": ticks,
            "label": "f(xₜ) (symmetric log scale)"}


class _Blob:
    """Sequences of uint16 values, delta-encoded, kept as two byte planes (they deflate well)."""

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.size = 0

    def add(self, values: np.ndarray) -> list[int]:
        values = np.asarray(values, dtype=np.int64)
        deltas = np.diff(values, prepend=0) % 65536
        self.parts.append(deltas.astype("<u2"))
        offset, self.size = self.size, self.size + len(values)
        return [offset, len(values)]

    def encoded(self) -> str:
        data = np.concatenate(self.parts) if self.parts else np.zeros(0, "<u2")
        planes = np.concatenate([(data & 0xFF).astype(np.uint8), (data >> 8).astype(np.uint8)])
        return base64.b64encode(zlib.compress(planes.tobytes(), 9)).decode("ascii")


def _quantize(runs: list[dict], problems: list, blob: _Blob) -> dict[str, dict]:
    """Replace each run's coordinates by integer positions in its window and loss axis, in ``blob``.

    Returns each problem's loss axis (shared by all its runs, so the page's
    loss axis stays put while controls move).
    """
    axes = {}
    for p_index, problem in enumerate(problems):
        entries = [e for r in runs for e in r["table"][p_index]]
        axis = axes[problem.name] = _loss_axis(problem, entries)
        for e in entries:
            (x_low, x_high), (y_low, y_high) = e.pop("bounds")
            xy = np.clip(e.pop("xy"), [x_low, y_low], [x_high, y_high])
            scores = e.pop("scores")[: e["n"] + 1]
            with np.errstate(divide="ignore"):
                raw = np.log10(scores) if axis["scale"] == "log" else symlog(scores, axis["linthresh"])
            above = np.flatnonzero(raw > axis["high"])  # a run that leaves the top: drawn up to there
            e["off"] = int(above[0]) if above.size else None
            level = np.clip(raw, axis["low"], axis["high"])
            e["u"] = blob.add(np.round((xy[:, 0] - x_low) / (x_high - x_low) * PATH_LEVELS))
            e["v"] = blob.add(np.round((xy[:, 1] - y_low) / (y_high - y_low) * PATH_LEVELS))
            e["loss"] = blob.add(np.round((level - axis["low"]) / (axis["high"] - axis["low"]) * LOSS_LEVELS))
    return axes


def _control_markup(ident: str, name: str, label: str, kind: str, labels: list[str], start: int) -> str:
    """One labelled control of a twin: a checkbox, a select, or a range input that snaps to the values."""
    control_id = f"{ident}-{''.join(ch if ch.isalnum() else '-' for ch in name)}"
    label = html.escape(label)
    if kind == "toggle":
        checked = " checked" if start else ""
        return (f'<div class="twin-control"><input type="checkbox" id="{control_id}" data-control="{name}"'
                f'{checked}><label for="{control_id}">{label}</label></div>')
    if kind in ("choice", "start"):
        options = "".join(f'<option value="{k}"{" selected" if k == start else ""}>{html.escape(v)}</option>'
                          for k, v in enumerate(labels))
        return (f'<div class="twin-control"><label for="{control_id}">{label}</label>'
                f'<select id="{control_id}" data-control="{name}">{options}</select></div>')
    return (
        f'<div class="twin-control"><label for="{control_id}">{label}</label>'
        f'<input type="range" id="{control_id}" data-control="{name}" min="0" max="{len(labels) - 1}" '
        f'step="1" value="{start}" aria-valuetext="{html.escape(labels[start])}">'
        f'<output data-shows="{name}" for="{control_id}">{html.escape(labels[start])}</output></div>'
    )


def _html(explorer: Explorer, data: dict, blob: str) -> str:
    """The twin's markup: labelled controls, the figure, the readout, the data and the script."""
    payload = base64.b64encode(zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 9))
    payload = payload.decode("ascii")
    ident = "twin-" + hashlib.sha256((payload + blob).encode("ascii")).hexdigest()[:12]
    rows, fixed = [], []
    labels_of = {c["name"]: c for c in data["controls"]}
    for c in explorer.declarations:
        if c.name == "y0":
            continue
        spec = labels_of["start" if c.name == "x0" else c.name]
        label = "start (x, y)" if c.name == "x0" else c.label
        name = spec["name"]
        labels, start = spec["labels"], spec["start"]
        one_value = len(labels) == 1 and not (name == "start" and any(len(x) > 1 for x in data["startLabels"]))
        if one_value and c.kind != "toggle":
            # (the start differs from problem to problem: the page keeps this text current)
            shown = f'<span data-shows="{name}">{html.escape(labels[start])}</span>' if name == "start" else html.escape(labels[0])
            fixed.append(f"{html.escape(label)} = {shown}")
        else:
            rows.append(_control_markup(ident, name, label, "start" if name == "start" else c.kind, labels, start))
    label_of = {c.name: c.label for c in explorer.declarations}
    offered = "; ".join(
        f"{html.escape(label_of.get(spec['name'], spec['name']))}: "
        + ((" | " if spec["kind"] == "choice" else ", ").join(map(html.escape, spec["labels"]))
           if spec["name"] != "start" else " / ".join(
            f"{', '.join(labels)} ({problem})" for labels, problem in zip(data["startLabels"], data["problemNames"])))
        for spec in data["controls"]
        if spec["kind"] != "toggle" and (len(spec["labels"]) > 1 or spec["name"] == "start")
    )
    fixed_line = f'<p class="twin-fixed">Fixed in this page: {"; ".join(fixed)}.</p>' if fixed else ""
    legend = "".join(
        f'<span class="twin-key" data-run="{i}"><span class="twin-swatch" style="background:{r["color"]}"></span>'
        f'{html.escape(r["label"])}</span>'
        for i, r in enumerate(data["runs"])
    )
    return (
        f'<div class="twin" id="{ident}">'
        f'<p class="twin-note"><em>{html.escape(TWIN_NOTE)}</em> Values offered: {offered}.</p>'
        f'<div class="twin-controls">{"".join(rows)}</div>{fixed_line}'
        f'<p class="twin-legend">{legend}</p>'
        f'<svg class="twin-figure" role="img" aria-label="" viewBox="0 0 {_WIDTH:.0f} {_HEIGHT:.0f}" '
        f'style="width:100%;max-width:{1.5 * _WIDTH:.0f}px;height:auto"></svg>'
        f'<p class="twin-readout" aria-live="polite"></p>'
        f'<script type="application/octet-stream" data-part="meta">{payload}</script>'
        f'<script type="application/octet-stream" data-part="runs">{blob}</script>'
        f"<script>{_JS.replace('__ID__', ident)}</script></div>"
    )


def show(explorer: Explorer, lattice: dict[str, Any]) -> None:
    """Display ``explorer`` live (JupyterLab) with its twin for the static book, in one output.

    The output carries the widget view (which JupyterLab prefers) and the
    twin's HTML (which the book's ``nb_mime_priority_overrides`` prefers).
    """
    from IPython.display import display

    twin = build_twin(explorer, lattice)
    bundle = explorer.widget._repr_mimebundle_()
    bundle["text/html"] = twin.html
    bundle["text/plain"] = f"{type(explorer).__name__}: {explorer.summary_line()}\n{KERNEL_NOTE}"
    display(bundle, raw=True)


# --------------------------------------------------------------------------
# Twins of figure explorers: one stored picture per combination of values
# --------------------------------------------------------------------------
_IMAGES_JS = (pathlib.Path(__file__).with_name("twin_images.js")).read_text(encoding="utf-8")


def _widget_kind(widget) -> str:
    import ipywidgets as widgets

    if isinstance(widget, widgets.Checkbox):
        return "toggle"
    if isinstance(widget, (widgets.Dropdown, widgets.Select, widgets.RadioButtons, widgets.ToggleButtons)):
        return "choice"
    if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.SelectionSlider)):
        return "range"
    raise TypeError(f"no twin for a control of type {type(widget).__name__}")


def _label(value) -> str:
    if isinstance(value, float):
        return format(value, ".3g")
    return str(value)


def _recompress(src: str) -> str:
    """A PNG data URI compressed harder (the live explorer encodes fast; a page keeps it for good)."""
    from PIL import Image

    prefix = "data:image/png;base64,"
    if not src.startswith(prefix):
        return src
    buffer = io.BytesIO()
    Image.open(io.BytesIO(base64.b64decode(src[len(prefix):]))).save(buffer, format="png", optimize=True)
    return prefix + base64.b64encode(buffer.getvalue()).decode("ascii")


def build_picture_twin(explorer, lattice: dict[str, Sequence] | None = None) -> Twin:
    """The twin of an explorer that draws one picture: every combination drawn once, in Python.

    ``explorer`` has ``controls`` (a dict of ipywidgets), ``view`` (an
    ``ipywidgets.HTML`` holding one ``<img>`` with alt text) and ``readout``
    (an ``ipywidgets.HTML``), as :class:`explorers.HeatmapExplorer` has. For
    each combination of ``lattice`` values (dropdowns default to all their
    options, checkboxes to both states, any other control to its current
    value), the controls are set, the explorer redraws itself, and its
    picture, alt text and readout are stored. Keep lattices small: each
    combination is one stored picture.
    """
    import re

    lattice = dict(lattice or {})
    unknown = sorted(set(lattice) - set(explorer.controls))
    if unknown:
        raise ValueError(f"lattice names no control {unknown}; the explorer's controls are {sorted(explorer.controls)}")
    controls = []
    for name, widget in explorer.controls.items():
        kind = _widget_kind(widget)
        if kind == "toggle":
            values = [False, True]
        elif name in lattice:
            values = list(lattice[name])
        elif kind == "choice":
            values = [option[1] if isinstance(option, tuple) else option for option in widget.options]
        else:
            values = [widget.value]
        names = {}  # a dropdown's own words for its values
        if kind == "choice":
            names = {(option[1] if isinstance(option, tuple) else option): str(option[0] if isinstance(option, tuple)
                                                                                else option) for option in widget.options}
        if not values:
            raise ValueError(f"lattice[{name!r}] must hold at least one value")
        if widget.value not in values:
            raise ValueError(f"lattice[{name!r}] must include the explorer's current value {widget.value!r}")
        controls.append({"name": name, "label": widget.description or name, "kind": kind, "values": values,
                         "labels": ["off", "on"] if kind == "toggle" else [names.get(v, _label(v)) for v in values],
                         "start": values.index(widget.value)})
    saved = {c["name"]: explorer.controls[c["name"]].value for c in controls}
    views = []
    try:
        for combo in itertools.product(*(c["values"] for c in controls)):
            for c, value in zip(controls, combo):
                if explorer.controls[c["name"]].value != value:
                    explorer.controls[c["name"]].value = value
            tag = explorer.view.value
            src = _recompress(re.search(r'src="([^"]+)"', tag).group(1))
            alt = html.unescape(re.search(r'alt="([^"]*)"', tag).group(1))
            readout = html.unescape(re.sub(r"<[^>]+>", "", explorer.readout.value)).strip()
            views.append({"src": src, "alt": alt, "readout": readout})
    finally:
        for name, value in saved.items():
            if explorer.controls[name].value != value:
                explorer.controls[name].value = value
    data = {"controls": [{k: c[k] for k in ("name", "kind", "labels", "start")} for c in controls], "views": views}
    text = json.dumps(data, separators=(",", ":"))
    ident = "twin-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    rows, fixed = [], []
    for c in controls:
        if len(c["labels"]) == 1 and c["kind"] != "toggle":
            fixed.append(f"{html.escape(c['label'])} = {html.escape(c['labels'][0])}")
        else:
            rows.append(_control_markup(ident, c["name"], c["label"], c["kind"], c["labels"], c["start"]))
    offered = "; ".join(f"{html.escape(c['label'])}: "
                        + (" | " if c["kind"] == "choice" else ", ").join(map(html.escape, c["labels"]))
                        for c in controls if len(c["labels"]) > 1 and c["kind"] != "toggle")
    first = views[int(np.ravel_multi_index([c["start"] for c in controls], [len(c["values"]) for c in controls]))]
    fixed_line = f'<p class="twin-fixed">Fixed in this page: {"; ".join(fixed)}.</p>' if fixed else ""
    markup = (
        f'<div class="twin" id="{ident}">'
        f'<p class="twin-note"><em>{html.escape(TWIN_NOTE)}</em> Values offered: {offered}.</p>'
        f'<div class="twin-controls">{"".join(rows)}</div>{fixed_line}'
        f'<img class="twin-image" src="{first["src"]}" alt="{html.escape(first["alt"], quote=True)}">'
        f'<p class="twin-readout" aria-live="polite">{html.escape(first["readout"])}</p>'
        f'<script type="application/json">{text}</script>'
        f"<script>{_IMAGES_JS.replace('__ID__', ident)}</script></div>"
    )
    full = {c["name"]: c["values"] for c in controls}
    return Twin(markup, data, full)


def show_pictures(explorer, lattice: dict[str, Sequence] | None = None) -> None:
    """Display a figure explorer live (JupyterLab) with its picture twin for the static book."""
    from IPython.display import display

    twin = build_picture_twin(explorer, lattice)
    bundle = explorer.widget._repr_mimebundle_()
    bundle["text/html"] = twin.html
    bundle["text/plain"] = f"{type(explorer).__name__}\n{KERNEL_NOTE}"
    display(bundle, raw=True)


def read_twins(html_text: str) -> list[dict]:
    """The data of every twin in a page or an output, in page order (for tests and for checking by hand).

    A path twin's data gets ``sequence(span)``, which decodes one stored
    sequence; a picture twin's data has ``views`` (one picture per combination).
    """
    import re

    found = []
    for chunk in html_text.split('<div class="twin" id="')[1:]:
        parts = re.search(
            r'<script type="application/octet-stream" data-part="meta">([^<]*)</script>'
            r'<script type="application/octet-stream" data-part="runs">([^<]*)</script>', chunk
        )
        if parts:
            data = json.loads(zlib.decompress(base64.b64decode(parts.group(1))))
            planes = np.frombuffer(zlib.decompress(base64.b64decode(parts.group(2))), dtype=np.uint8)
            half = len(planes) // 2
            deltas = planes[:half].astype(np.int64) | (planes[half:].astype(np.int64) << 8)
            data["sequence"] = lambda span, d=deltas: np.cumsum(d[span[0]: span[0] + span[1]]) % 65536
        else:
            data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', chunk, re.S).group(1))
        data["id"] = chunk.split('"', 1)[0]
        found.append(data)
    return found
