"""Figures for the course: the objective as a surface or contour, and search paths on it.

Two helpers carry most chapters, in the spirit of d2l.ai's ``train_2d`` /
``show_trace_2d`` pair: :func:`adam` (or :func:`gradient_descent`) runs a
search, and :func:`draw_runs` draws one or more runs on the contour plot
beside their loss curves. The rest are the pieces it is built from.

Conventions, fixing the article's plots:

- grids include both bounds (``linspace``, not ``arange(lo, hi, 0.1)``, which
  stops short of ``hi``);
- the contour axes have equal scales, so a circle looks like a circle;
- the colormap is perceptually uniform (``viridis`` by default), never
  ``jet``, whose uneven brightness draws edges that are not in the data;
- every axis is labelled.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from typing import Callable, Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib import animation, patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator

from heatmaps import axis_position
from optimizers import hyperparameter_latex
from validation import check_bounds, check_callable, check_int

__all__ = [
    "CMAP",
    "PATH_COLORS",
    "COLOR_NAMES",
    "run_colors",
    "clip_to_window",
    "make_grid",
    "plot_surface",
    "plot_contour",
    "plot_gradient_field",
    "plot_path",
    "plot_loss",
    "loss_scale",
    "LOSS_FLOOR",
    "symlog",
    "symlog_threshold",
    "draw_runs",
    "figure_to_png",
    "rgba_to_png",
    "png_img_tag",
    "quantize_png",
    "animate_paths",
    "add_zoom_inset",
    "NO_MINIMUM_COLOR",
    "draw_basins",
    "draw_heatmap",
]

#: The course's colormap: perceptually uniform and readable in grey scale.
CMAP = "viridis"
#: Colours for runs: white, then the Okabe-Ito palette (distinguishable with every common
#: colour-vision deficiency) without its black. Every path and loss line is drawn with a
#: thin black outline, so each colour stands out on viridis and on a white axes alike.
PATH_COLORS = ("white", "#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#F0E442", "#0072B2", "#D55E00")
#: The same colours in words, for alt text and prose.
COLOR_NAMES = ("white", "orange", "sky blue", "pink", "green", "yellow", "blue", "vermillion")
#: The outline drawn under every run's lines.
# The bottom of a log loss axis: smaller values (an exact zero, when gradient descent lands
# on the minimum) are drawn on this floor, along the bottom edge, instead of vanishing.
LOSS_FLOOR = 1e-16

OUTLINE = (patheffects.Stroke(linewidth=2.6, foreground="black"), patheffects.Normal())

Objective = Callable[[np.ndarray], np.ndarray]


def make_grid(bounds: np.ndarray, num: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``num`` x ``num`` grid over ``bounds`` with both ends included.

    Returns ``X``, ``Y`` (as from ``meshgrid``) and ``P``, the same points
    stacked on a last axis of length 2, ready for the objectives
    (``sphere(P)`` has the shape of ``X``).
    """
    bounds = check_bounds(bounds)
    if bounds.shape[0] != 2:
        raise ValueError(f"bounds must describe 2 variables, shape (2, 2), got shape {bounds.shape}")
    num = check_int("num", num, low=2)
    xaxis = np.linspace(bounds[0, 0], bounds[0, 1], num)
    yaxis = np.linspace(bounds[1, 0], bounds[1, 1], num)
    X, Y = np.meshgrid(xaxis, yaxis)
    return X, Y, np.stack([X, Y], axis=-1)


def _new_axes(ax: Axes | None, **subplot_kw) -> Axes:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt  # only here, so that the module imports without a display

    _, ax = plt.subplots(subplot_kw=subplot_kw)
    return ax


def plot_surface(f: Objective, bounds: np.ndarray, ax: Axes | None = None, *, num: int = 41, cmap: str = CMAP):
    """The objective as a 3-D surface (``add_subplot(projection="3d")``, current matplotlib)."""
    check_callable("f", f)
    X, Y, P = make_grid(bounds, num)
    ax = _new_axes(ax, projection="3d")
    ax.plot_surface(X, Y, f(P), cmap=cmap, linewidth=0, antialiased=True)
    ax.set_box_aspect(None, zoom=0.85)  # leave room for the labels
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):  # four ticks per axis, not eight cramped ones
        axis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
    ax.tick_params(axis="z", pad=6)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_zlabel("$f(x, y)$", labelpad=12)
    return ax


def plot_contour(
    f: Objective,
    bounds: np.ndarray,
    ax: Axes | None = None,
    *,
    levels: int = 50,
    num: int = 101,
    cmap: str = CMAP,
    colorbar: bool = True,
    log: bool = False,
):
    """Filled contours of ``f`` over ``bounds``, equal axes, labelled.

    ``log=True`` spaces the levels on a log scale, for functions such as
    Rosenbrock whose values span many orders of magnitude.
    """
    check_callable("f", f)
    X, Y, P = make_grid(bounds, num)
    Z = f(P)
    ax = _new_axes(ax)
    if log:
        positive = Z[Z > 0]
        low = positive.min() if positive.size else 1e-3
        level_values = np.geomspace(max(low, 1e-3), Z.max(), levels)
        filled = ax.contourf(X, Y, np.maximum(Z, level_values[0]), levels=level_values, cmap=cmap,
                             norm=matplotlib.colors.LogNorm())
    else:
        filled = ax.contourf(X, Y, Z, levels=levels, cmap=cmap)
    ax.set_aspect("equal")
    ax.set_xlim(bounds[0])
    ax.set_ylim(bounds[1])
    ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    if colorbar:
        ticks = LogLocator(base=10, numticks=6) if log else MaxNLocator(5)
        ax.figure.colorbar(filled, ax=ax, label="$f(x, y)$", shrink=0.85, ticks=ticks)
    return ax


def plot_gradient_field(derivative: Objective, bounds: np.ndarray, ax: Axes | None = None, *, num: int = 11):
    """Arrows of the **negative** gradient, the direction gradient descent moves."""
    check_callable("derivative", derivative)
    X, Y, P = make_grid(bounds, num)
    G = derivative(P)
    ax = _new_axes(ax)
    ax.quiver(X, Y, -G[..., 0], -G[..., 1], color="white", alpha=0.9, angles="xy")
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    return ax


def run_colors(n: int) -> tuple[str, ...]:
    """The colours of ``n`` runs, in order; refuses more runs than colours that can be told apart."""
    n = check_int("n", n, low=0)
    if n > len(PATH_COLORS):
        raise ValueError(
            f"at most {len(PATH_COLORS)} runs can be drawn in colours that stay distinct, got {n}; "
            f"draw fewer runs per figure (or summarize a batch, e.g. as a heat map)"
        )
    return PATH_COLORS[:n]


def clip_to_window(path: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, int | None]:
    """A path that leaves ``bounds`` for good, cut where it leaves, ending on the edge; and that step.

    Returns ``(path, None)`` unchanged for a path that ends inside the window
    (it may leave and come back: the axes clip what is outside). A path that
    ends outside is cut after the last point before it first leaves, plus the
    point where that segment crosses the edge; the step it left at is returned.
    """
    path = np.asarray(path, dtype=float)
    outside = (
        (path[:, 0] < bounds[0, 0]) | (path[:, 0] > bounds[0, 1]) | (path[:, 1] < bounds[1, 0]) | (path[:, 1] > bounds[1, 1])
    )
    hits = np.flatnonzero(outside)
    if not hits.size or not outside[-1]:
        return path, None
    left = int(hits[0])
    if left == 0:
        return path[:1], 0
    inside, beyond = path[left - 1], path[left]
    direction = beyond - inside
    fractions = [1.0]
    for axis in (0, 1):
        if direction[axis] != 0:
            for edge in bounds[axis]:
                fraction = (edge - inside[axis]) / direction[axis]
                if 0 <= fraction <= 1:
                    fractions.append(fraction)
    return np.vstack([path[:left], inside + min(fractions) * direction]), left


def plot_path(
    path: np.ndarray,
    ax: Axes,
    *,
    color: str = "white",
    label: str | None = None,
    bounds: np.ndarray | None = None,
    **kwargs,
):
    """One search path as dots joined by lines (black-outlined), with its start marked by a ring.

    With ``bounds``, a path that leaves the window is drawn only up to where
    it first leaves, and that point on the edge is marked with a cross: a
    diverging path then shows where it went instead of filling the plot with
    its swings. Returns the line and the step at which it left (or None).
    """
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (n_points, 2), got shape {path.shape}")
    left = None
    if bounds is not None:
        path, left = clip_to_window(path, check_bounds(bounds))
        if left:
            ax.plot(*path[-1], "X", color=color, mec="black", ms=9, zorder=4, clip_on=False)
    (line,) = ax.plot(path[:, 0], path[:, 1], ".-", color=color, label=label, lw=1.2, ms=4,
                      path_effects=OUTLINE, **kwargs)
    ax.plot(path[:1, 0], path[:1, 1], "o", mfc="none", mec=color, ms=9, path_effects=OUTLINE)
    return line, left


def loss_scale(objective_has_nonnegative_minimum: bool, scores: Sequence[np.ndarray] = ()) -> str:
    """``"log"`` for losses that stay positive (a known minimum >= 0), else ``"symlog"``.

    A log axis shows the approach to a minimum of 0 best, but cannot show a
    function that goes negative (the saddle, a learner's own function). A
    symmetric log axis (linear near 0, logarithmic beyond ``linthresh`` on both
    sides) shows such a function, and also a run that escapes to -1e4 beside
    one that stays near 0.
    """
    if not objective_has_nonnegative_minimum:
        return "symlog"
    finite = [np.asarray(s)[np.isfinite(s)] for s in scores]
    return "log" if all(np.all(f >= 0) for f in finite) else "symlog"


def symlog_threshold(scores: Sequence[np.ndarray]) -> float:
    """The linear range of a symmetric log loss axis: the size of the largest start value (at least 1e-3)."""
    firsts = [abs(float(np.asarray(s)[0])) for s in scores if len(s) and np.isfinite(np.asarray(s)[0])]
    return max(firsts + [1e-3])


def symlog(values, linthresh: float) -> np.ndarray:
    """matplotlib's symmetric log transform (base 10, ``linscale`` 1), in units of ``linthresh``."""
    values = np.asarray(values, dtype=float) / linthresh
    k = 1.0 / (1.0 - 1.0 / 10.0)  # linscale / (1 - 1/base): matplotlib's linear stretch
    with np.errstate(divide="ignore", invalid="ignore"):  # (0 takes the linear branch)
        outside = np.sign(values) * (k + np.log10(np.abs(values)))
    return np.where(np.abs(values) <= 1.0, values * k, outside)


def plot_loss(scores: np.ndarray, ax: Axes, *, color: str | None = None, label: str | None = None,
              scale: str = "log", linthresh: float | None = None):
    """The objective at every iterate, black-outlined: on a log scale (zeros clipped to 1e-300), or symlog."""
    if scale not in ("log", "symlog"):
        raise ValueError(f"scale must be 'log' or 'symlog', got {scale!r}")
    scores = np.asarray(scores, dtype=float)
    steps = np.arange(len(scores))
    if scale == "log":
        (line,) = ax.semilogy(steps, np.maximum(scores, 1e-300), color=color, label=label, path_effects=OUTLINE)
        ax.set_ylabel("$f(x_t)$ (log scale)")
    else:
        (line,) = ax.plot(steps, scores, color=color, label=label, path_effects=OUTLINE)
        ax.set_yscale("symlog", linthresh=linthresh or symlog_threshold([scores]))
        ax.set_ylabel("$f(x_t)$ (symmetric log scale)")
    ax.set_xlabel("step $t$")
    ax.grid(True, which="major", alpha=0.3)
    return line


def draw_runs(
    f: Objective,
    bounds: np.ndarray,
    runs: Mapping[str, "object"],
    *,
    title: str | None = None,
    log_levels: bool = False,
    figsize: tuple[float, float] = (10.0, 4.2),
    colors: Sequence[str] | None = None,
    legend: str = "inside",
):
    """Draw runs of one problem: paths on the contour (left), losses (right), one colour per run.

    ``runs`` maps a label to a single-run :class:`runner.SearchResult` with
    scores (of any optimizer; ``result.run(i)`` picks run ``i`` of a batch),
    up to ``len(PATH_COLORS)`` of them. ``colors`` gives each run its colour
    of ``PATH_COLORS``, in the order of ``runs`` (distinct; by default the
    palette's first colours), so an optimizer can keep its colour from one
    figure to the next. ``legend="inside"`` puts a legend in each panel;
    ``"below"`` puts one legend under both panels, off the paths (for long
    labels or many runs). The losses are on a log scale unless
    some score is negative (then a symmetric log scale). A path that leaves the window stops
    at the edge, marked with a cross, and its label says at which step.
    Returns the figure and its two axes. This is the one plotting helper
    every chapter reuses, so runs always look the same.
    """
    import matplotlib.pyplot as plt

    if not runs:
        raise ValueError("runs must name at least one run, got an empty mapping")
    bounds = check_bounds(bounds)
    if legend not in ("inside", "below"):
        raise ValueError(f"legend must be 'inside' or 'below', got {legend!r}")
    if colors is None:
        colors = run_colors(len(runs))
    else:
        colors = list(colors)
        if (len(colors) != len(runs) or len(set(colors)) != len(colors)
                or any(c not in PATH_COLORS for c in colors)):
            raise ValueError(f"colors must give each of the {len(runs)} runs its own colour of "
                             f"PATH_COLORS {PATH_COLORS}, got {colors}")
    for label, result in runs.items():
        if getattr(result, "is_batch", False):
            raise ValueError(f"run {label!r} is a batch of {result.n_runs} runs; pass result.run(i) for one of them")
        if result.scores is None:
            raise ValueError(f"run {label!r} has no scores; pass objective= to the runner")
    all_scores = [r.scores for r in runs.values()]
    scale = loss_scale(True, all_scores)
    linthresh = symlog_threshold(all_scores)
    fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.1, 1]})
    plot_contour(f, bounds, ax_path, log=log_levels)
    for (label, result), color in zip(runs.items(), colors):
        text = label + (" (diverged)" if result.diverged else "")
        line, left = plot_path(result.path, ax_path, color=color, label=text, bounds=bounds,
                               zorder=3 + (len(runs) - len(ax_path.lines)) * 1e-3)
        if left is None:  # its end, a square: a run that another one covers still shows where it stopped
            ax_path.plot(*result.path[-1], "s", color=color, mec="black", ms=6, zorder=line.get_zorder())
        if left is not None:
            line.set_label(f"{text}, leaves the plot at step {left}")
        plot_loss(result.scores, ax_loss, color=color, label=text, scale=scale, linthresh=linthresh)
    ax_path.set_xlim(bounds[0])
    ax_path.set_ylim(bounds[1])
    if title:
        fig.suptitle(title)
    if len(runs) > 1 and legend == "below":
        # the path panel's labels (they say where a path leaves the plot); the loss curves share the colours
        handles, labels = ax_path.get_legend_handles_labels()
        ncol = min(3, len(handles))
        rows = -(-len(handles) // ncol)
        fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.04 + 0.045 * rows, 1, 1))
        return fig, (ax_path, ax_loss)
    if len(runs) > 1:
        ax_path.legend(loc="lower left", fontsize=8, framealpha=0.8)
        ax_loss.legend(fontsize=8)
    fig.tight_layout()
    return fig, (ax_path, ax_loss)


def figure_to_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render a figure to PNG bytes (deterministic for one matplotlib version)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def rgba_to_png(pixels: np.ndarray) -> bytes:
    """Encode an RGBA pixel array (rows, cols, 4) of uint8 as PNG bytes."""
    from PIL import Image  # Pillow is a dependency of matplotlib

    pixels = np.asarray(pixels)
    if pixels.ndim != 3 or pixels.shape[2] != 4 or pixels.dtype != np.uint8:
        raise ValueError(f"pixels must be a uint8 array of shape (rows, cols, 4), got {pixels.dtype} {pixels.shape}")
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(buffer, format="png", compress_level=1)  # fast: explorers redraw often
    return buffer.getvalue()


def quantize_png(png: bytes, colors: int) -> bytes:
    """``png`` redrawn with at most ``colors`` colours (a palette PNG).

    Line plots on white use few colours, so this keeps them sharp at a
    fraction of the size: for pictures a page stores many of (a picture twin).
    """
    from PIL import Image

    colors = check_int("colors", colors, low=2)
    if colors > 256:
        raise ValueError(f"colors must be between 2 and 256 (a PNG palette), got {colors}")
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors).save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def png_img_tag(png: bytes, alt: str) -> str:
    """An ``<img>`` tag holding ``png`` inline, with alt text (HTML-escaped)."""
    from html import escape

    if not alt or not alt.strip():
        raise ValueError("alt must describe the image, got an empty string")
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}" style="max-width:100%;height:auto">'


def animate_paths(
    f: Objective,
    bounds: np.ndarray,
    paths: Sequence[np.ndarray],
    titles: Sequence[str],
    *,
    alt: str,
    frames_per_path: int | None = None,
    sweep: bool = False,
    dpi: int = 60,
    interval: int = 200,
    figsize: tuple[float, float] = (4.6, 4.0),
) -> str:
    """An animation on the contour plot that plays in a static page, as HTML.

    Two modes, both kernel-free (``FuncAnimation.to_jshtml``):

    - ``sweep=False``: one path (``paths`` has one element) drawn step by
      step; ``titles`` has one title per frame, and the frames show steps
      ``0, k, 2k, ...`` so that there are ``frames_per_path`` of them.
    - ``sweep=True``: one frame per path, each path drawn whole; the player's
      slider then sweeps a hyperparameter over precomputed runs, with
      ``titles[i]`` naming the value of frame ``i``.

    ``alt`` becomes the alt text of the animation's image. Keep ``dpi`` low
    and frames few: every frame is an embedded PNG.
    """
    import matplotlib.pyplot as plt

    if not alt or not alt.strip():
        raise ValueError("alt must describe the animation, got an empty string")
    paths = [np.asarray(p, dtype=float) for p in paths]
    if not paths:
        raise ValueError("paths must hold at least one path")
    if sweep:
        frames = list(range(len(paths)))
    else:
        if len(paths) != 1:
            raise ValueError(f"without sweep, give exactly one path, got {len(paths)}")
        n_points = len(paths[0])
        count = n_points if frames_per_path is None else check_int("frames_per_path", frames_per_path, low=2)
        frames = sorted(set(np.linspace(0, n_points - 1, min(count, n_points)).round().astype(int).tolist()))
    if len(titles) != len(frames) and not (not sweep and len(titles) == len(paths[0])):
        raise ValueError(f"titles must have one entry per frame ({len(frames)}), got {len(titles)}")

    fig, ax = plt.subplots(figsize=figsize)
    plot_contour(f, bounds, ax, colorbar=False)
    (line,) = ax.plot([], [], ".-", color="white", lw=1.2, ms=4)
    (head,) = ax.plot([], [], "o", color="#ff7f0e", ms=7)
    # lay the figure out around the longest title, so that no frame's title is clipped
    label = ax.set_title(max(titles, key=len), fontsize=9)
    fig.tight_layout()

    def draw(i):
        if sweep:
            path, end, title = paths[i], len(paths[i]), titles[i]
        else:
            path, end = paths[0], frames[i] + 1
            title = titles[frames[i]] if len(titles) == len(paths[0]) else titles[i]
        line.set_data(path[:end, 0], path[:end, 1])
        head.set_data(path[end - 1 : end, 0], path[end - 1 : end, 1])
        label.set_text(title)
        return line, head, label

    anim = animation.FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
    previous_dpi = matplotlib.rcParams["savefig.dpi"]
    try:
        matplotlib.rcParams["savefig.dpi"] = dpi
        fig.set_dpi(dpi)
        html = anim.to_jshtml(default_mode="once")
    finally:
        matplotlib.rcParams["savefig.dpi"] = previous_dpi
        plt.close(fig)
    from html import escape

    # matplotlib links Font Awesome 4 from a CDN for the player's icons; the book
    # (and JupyterLab) already serve Font Awesome, and a page must load nothing remote.
    html = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">\s*', "", html)
    # matplotlib names the player's elements with a random uuid; a name derived from the
    # content keeps the output reproducible (and still unique per animation on a page).
    random_id = re.search(r"_anim_img([0-9a-f]{32})", html).group(1)
    stable_id = hashlib.sha256("\n".join([alt, *titles]).encode("utf-8")).hexdigest()[:32]
    html = html.replace(random_id, stable_id)
    return html.replace("<img id=", f'<img alt="{escape(alt, quote=True)}" id=', 1)


def add_zoom_inset(
    ax: Axes,
    f: Objective,
    region: np.ndarray,
    *,
    where: tuple[float, float, float, float] = (0.56, 0.56, 0.42, 0.42),
    levels: int = 30,
    edgecolor: str = "white",
) -> Axes:
    """Magnify ``region`` of a contour plot of paths in an inset, to show what is too small to see.

    The inset draws ``f``'s contours over ``region`` (``[[x_lo, x_hi], [y_lo,
    y_hi]]``, levels spaced for that region alone) and copies every line
    already drawn on ``ax`` (the paths of :func:`draw_runs`, in their own
    colors), labels the inset with the region's width, then outlines the
    region on ``ax`` and joins it to the inset.
    ``where`` is the inset's place as ``(left, bottom, width, height)`` in
    fractions of ``ax``. Returns the inset's axes.
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    region = check_bounds(region, name="region")
    if region.shape[0] != 2:
        raise ValueError(f"region must describe 2 variables, shape (2, 2), got shape {region.shape}")
    where = tuple(float(w) for w in where)
    if len(where) != 4 or not all(0.0 <= w <= 1.0 for w in where):
        raise ValueError(f"where must be 4 fractions (left, bottom, width, height) in [0, 1], got {where}")
    lines = list(ax.get_lines())
    inset = ax.inset_axes(where)
    plot_contour(f, region, inset, levels=levels, colorbar=False)
    for line in lines:
        inset.plot(*line.get_data(), linestyle=line.get_linestyle(), marker=line.get_marker(),
                   color=line.get_color(), lw=line.get_linewidth(), ms=line.get_markersize(),
                   mfc=line.get_markerfacecolor(), mec=line.get_markeredgecolor())
    inset.set_xlim(region[0])
    inset.set_ylim(region[1])
    inset.set_xlabel("")
    inset.set_ylabel("")
    # no tick labels: they would print over the main axes' ones; the region's box on ``ax`` says where it
    # is, and a label in the corner says how wide it is
    inset.tick_params(labelleft=False, labelbottom=False, colors=edgecolor, length=2)
    inset.text(0.04, 0.96, f"{region[0, 1] - region[0, 0]:.2g} wide", transform=inset.transAxes, ha="left",
               va="top", fontsize=7, color="white", bbox={"facecolor": "black", "alpha": 0.6, "pad": 1.5,
                                                          "edgecolor": "none"})
    for spine in inset.spines.values():
        spine.set_edgecolor(edgecolor)
    ax.indicate_inset_zoom(inset, edgecolor=edgecolor, alpha=0.9)
    return inset
# --------------------------------------------------------------------------
# Maps of many runs: basins of attraction and sensitivity heat maps
# --------------------------------------------------------------------------
#: The colour of a start whose run reached no minimum (or diverged) on a basin map.
NO_MINIMUM_COLOR = "#404040"


def draw_basins(
    maps: Mapping[str, np.ndarray],
    bounds: np.ndarray,
    minima: np.ndarray,
    *,
    figsize: tuple[float, float] | None = None,
    title: str | None = None,
):
    """Basin maps side by side: for each start of a grid, the colour of the minimum its run reached.

    ``maps`` maps a panel title to an integer image of shape ``(num, num)``
    (row ``i`` is the i-th y from the bottom, as :func:`sweeps.basin_map`
    returns): ``k`` for ``minima[k]``, ``-1`` for no minimum. Minimum ``k``
    gets ``PATH_COLORS[k + 1]`` (white is skipped), "no minimum" dark grey;
    the minima are marked with white stars. Returns the figure and its axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    bounds = check_bounds(bounds)
    minima = np.asarray(minima, dtype=float)
    if not maps:
        raise ValueError("maps must hold at least one basin map")
    if minima.ndim != 2 or minima.shape[1] != 2 or not 1 <= len(minima) <= len(PATH_COLORS) - 1:
        raise ValueError(f"minima must have shape (k, 2) with 1 <= k <= {len(PATH_COLORS) - 1}, got {minima.shape}")
    k = len(minima)
    cmap = ListedColormap([NO_MINIMUM_COLOR, *PATH_COLORS[1 : k + 1]])
    n = len(maps)
    fig, axes = plt.subplots(1, n, figsize=figsize or (3.3 * n + 0.4, 3.9), squeeze=False)
    axes = axes[0]
    for ax, (label, image) in zip(axes, maps.items()):
        image = np.asarray(image)
        if image.ndim != 2 or not np.issubdtype(image.dtype, np.integer):
            raise ValueError(f"map {label!r} must be a 2-D integer image, got {image.dtype} {image.shape}")
        if image.min() < -1 or image.max() >= k:
            raise ValueError(f"map {label!r} holds labels outside -1..{k - 1}")
        ax.imshow(image + 1, origin="lower", extent=(*bounds[0], *bounds[1]), cmap=cmap, vmin=-0.5,
                  vmax=k + 0.5, interpolation="nearest")
        ax.plot(minima[:, 0], minima[:, 1], "*", color="white", mec="black", ms=13)
        ax.set_title(label, fontsize=10)
        ax.set_aspect("equal")
        ax.set_xlabel("start $x_0$")
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
    axes[0].set_ylabel("start $y_0$")
    handles = [Patch(color=PATH_COLORS[j + 1], label=f"({m[0]:.2f}, {m[1]:.2f})") for j, m in enumerate(minima)]
    handles.append(Patch(color=NO_MINIMUM_COLOR, label="no minimum"))
    fig.legend(handles=handles, loc="lower center", ncol=k + 1, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig, axes


def _edges(values: np.ndarray) -> np.ndarray:
    middle = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]])


def draw_heatmap(
    values: np.ndarray,
    axes_values: tuple[np.ndarray, np.ndarray],
    names: tuple[str, str],
    scales: tuple[str, str] = ("log", "memory"),
    *,
    ax: Axes | None = None,
    log_color: bool = True,
    label: str = "median final loss",
    marks: Mapping[str, tuple[float, float]] | None = None,
    title: str | None = None,
    floor: float | None = None,
    invalid_label: str = "diverged or never reached",
):
    """A heat map of ``values`` (rows: ``axes_values[1]``, columns: ``axes_values[0]``), viridis.

    ``names`` are the hyperparameters on the two axes; their labels are the
    LaTeX symbols declared in :data:`optimizers.OPTIMIZERS`.

    Each axis is drawn on its ``scale``: ``"log"`` (a step size), ``"memory"``
    (a decay rate β in [0, 1), evenly spaced in -log10(1 - β), so 0, 0.9,
    0.99, 0.999 are equally far apart) or ``"linear"``. ``log_color`` puts
    the colours on a log scale (for losses); values below ``floor`` get the
    lowest colour (the colour bar then says "or less"), so that a few cells at
    1e-100 do not wash out the rest. Cells that are ``inf`` or ``nan``
    (diverged, or tolerance never reached) are hatched grey.
    ``marks`` maps a label to a point ``(x, y)`` in hyperparameter values,
    drawn as white markers with a legend. Returns the axes and the mesh.
    """
    from matplotlib.colors import LogNorm

    values = np.asarray(values, dtype=float)
    xs, ys = (np.asarray(a, dtype=float) for a in axes_values)
    if values.shape != (len(ys), len(xs)):
        raise ValueError(f"values must have shape (len(y values), len(x values)) = {(len(ys), len(xs))}, "
                         f"got {values.shape}")
    for scale in scales:
        if scale not in ("log", "memory", "linear"):
            raise ValueError(f"scales must be 'log', 'memory' or 'linear', got {scale!r}")
    ax = _new_axes(ax)
    x_edges = _edges(axis_position(xs, scales[0]))
    y_edges = _edges(axis_position(ys, scales[1]))
    shown = np.ma.masked_invalid(values)
    cmap = matplotlib.colormaps[CMAP].with_extremes(bad=(0.0, 0.0, 0.0, 0.0))  # invalid cells show the hatching
    finite = values[np.isfinite(values)]
    norm = None
    clipped = False
    if log_color and finite.size:
        positive = finite[finite > 0]
        low = positive.min() if positive.size else 1e-300
        if floor is not None:
            clipped = bool(np.any(finite < floor))
            low = max(low, floor)
        norm = LogNorm(vmin=max(low, 1e-300), vmax=max(finite.max(), low * 10))
        shown = np.ma.masked_invalid(np.maximum(values, low))
    ax.add_patch(matplotlib.patches.Rectangle((x_edges[0], y_edges[0]), x_edges[-1] - x_edges[0],
                                              y_edges[-1] - y_edges[0], facecolor="#808080", hatch="//",
                                              edgecolor="#b0b0b0", zorder=0))
    mesh = ax.pcolormesh(x_edges, y_edges, shown, cmap=cmap, norm=norm, shading="flat", zorder=1)
    ax.set_xlim(x_edges[0], x_edges[-1])
    ax.set_ylim(y_edges[0], y_edges[-1])
    for axis, grid, scale in ((ax.xaxis, xs, scales[0]), (ax.yaxis, ys, scales[1])):
        if scale == "log":
            ticks = np.arange(np.ceil(np.log10(grid.min()) - 1e-9), np.floor(np.log10(grid.max()) + 1e-9) + 1)
            axis.set_ticks(ticks, [f"$10^{{{int(t)}}}$" for t in ticks])
        elif scale == "memory":
            ticks = [t for t in (0.0, 0.9, 0.99, 0.999, 0.9999) if grid.min() - 1e-12 <= t <= grid.max() + 1e-12]
            axis.set_ticks(axis_position(np.array(ticks), "memory"), [f"{t:g}" for t in ticks])
    ax.set_xlabel(f"${hyperparameter_latex(names[0])}$" + (" (log scale)" if scales[0] == "log" else ""))
    ax.set_ylabel(f"${hyperparameter_latex(names[1])}$" + (" (log scale)" if scales[1] == "log" else ""))
    ax.figure.colorbar(mesh, ax=ax, label=label + (f" (floor {floor:.0e})" if clipped else ""), shrink=0.9,
                       extend="min" if clipped else "neither")
    handles = []
    if marks:
        markers = ("o", "s", "^", "D")
        for (text, (x, y)), marker in zip(marks.items(), markers):
            (point,) = ax.plot(axis_position(np.array(x), scales[0]), axis_position(np.array(y), scales[1]), marker,
                               mfc="white", mec="black", ms=9, mew=1.5, label=text, linestyle="none", zorder=3)
            handles.append(point)
    if not np.all(np.isfinite(values)):
        handles.append(matplotlib.patches.Patch(facecolor="#808080", hatch="//", edgecolor="#b0b0b0",
                                                label=invalid_label))
    if handles:
        # under the axes, off the cells (inside, it would hide a corner of the map)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(len(handles), 2),
                  fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax, mesh
