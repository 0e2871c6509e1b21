"""Plotting helpers: grids include their bounds, plots follow the course's conventions."""

import matplotlib

matplotlib.use("Agg")

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from adam import adam, gradient_descent
from experiment import ARTICLE_BOUNDS, ARTICLE_START
from objectives import sphere, sphere_derivative
from plotting import (
    COLOR_NAMES,
    PATH_COLORS,
    add_zoom_inset,
    animate_paths,
    draw_runs,
    figure_to_png,
    make_grid,
    plot_contour,
    plot_surface,
    png_img_tag,
    rgba_to_png,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_grid_includes_both_bounds_unlike_arange():
    X, Y, P = make_grid(ARTICLE_BOUNDS, 21)
    assert X[0, 0] == -1.0 and X[0, -1] == 1.0 and Y[-1, 0] == 1.0
    assert np.allclose(np.diff(X[0]), 0.1)
    assert np.arange(-1.0, 1.0, 0.1)[-1] < 0.95  # the article's grid stops short
    np.testing.assert_array_equal(P[..., 0], X)
    np.testing.assert_array_equal(sphere(P), X**2 + Y**2)


def test_grid_rejects_bad_input():
    with pytest.raises(ValueError, match=r"bounds must describe 2 variables"):
        make_grid(np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"num must be an integer >= 2, got 1"):
        make_grid(ARTICLE_BOUNDS, 1)


def test_contour_uses_equal_axes_viridis_and_labels():
    ax = plot_contour(sphere, ARTICLE_BOUNDS)
    assert ax.get_aspect() == 1.0
    assert ax.get_xlabel() == "$x$" and ax.get_ylabel() == "$y$"
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-1.0, 1.0)
    filled = ax.collections[0]
    assert filled.get_cmap().name == "viridis"
    assert len(filled.levels) >= 40


def test_surface_uses_a_3d_axes():
    ax = plot_surface(sphere, ARTICLE_BOUNDS)
    assert ax.name == "3d"
    assert ax.get_zlabel() == "$f(x, y)$"


def test_surface_has_few_z_ticks_so_they_do_not_crowd():
    ax = plot_surface(sphere, ARTICLE_BOUNDS)
    ax.figure.canvas.draw()
    low, high = ax.get_zlim()
    shown = [z for z in ax.get_zticks() if low - 1e-9 <= z <= high + 1e-9]
    assert 3 <= len(shown) <= 5, shown


def test_draw_runs_draws_each_path_and_loss():
    runs = {
        "alpha 0.02": adam(sphere_derivative, ARTICLE_START, 60, 0.02, 0.8, 0.999, objective=sphere),
        "alpha 0.1": adam(sphere_derivative, ARTICLE_START, 60, 0.1, 0.8, 0.999, objective=sphere),
    }
    fig, (ax_path, ax_loss) = draw_runs(sphere, ARTICLE_BOUNDS, runs)
    paths = [line for line in ax_path.lines if line.get_label().startswith("alpha")]
    assert [line.get_label() for line in paths] == list(runs)
    for line, result in zip(paths, runs.values()):
        np.testing.assert_array_equal(line.get_xydata(), result.path)
    losses = [line for line in ax_loss.lines if line.get_label().startswith("alpha")]
    for line, result in zip(losses, runs.values()):
        np.testing.assert_array_equal(line.get_ydata(), result.scores)
    assert ax_loss.get_yscale() == "log"


def test_each_loss_curve_takes_the_colour_of_its_path():
    runs = {f"alpha {a}": adam(sphere_derivative, ARTICLE_START, 30, a, objective=sphere) for a in (0.01, 0.05, 0.1)}
    fig, (ax_path, ax_loss) = draw_runs(sphere, ARTICLE_BOUNDS, runs)
    paths = {line.get_label(): line.get_color() for line in ax_path.lines if line.get_label().startswith("alpha")}
    losses = {line.get_label(): line.get_color() for line in ax_loss.lines if line.get_label().startswith("alpha")}
    assert paths == losses
    assert len(set(paths.values())) == 3


def test_chosen_colours_keep_an_optimizer_in_its_colour_and_bad_choices_are_refused():
    runs = {f"alpha {a}": adam(sphere_derivative, ARTICLE_START, 10, a, objective=sphere) for a in (0.01, 0.1)}
    chosen = [PATH_COLORS[4], PATH_COLORS[1]]
    fig, (ax_path, ax_loss) = draw_runs(sphere, ARTICLE_BOUNDS, runs, colors=chosen)
    for ax in (ax_path, ax_loss):
        drawn = {line.get_label(): line.get_color() for line in ax.lines if line.get_label().startswith("alpha")}
        assert drawn == dict(zip(runs, chosen))
    plt.close(fig)
    for bad in ([PATH_COLORS[1]], [PATH_COLORS[1], PATH_COLORS[1]], ["red", PATH_COLORS[1]]):
        with pytest.raises(ValueError, match=r"colors must give each of the 2 runs its own colour of PATH_COLORS"):
            draw_runs(sphere, ARTICLE_BOUNDS, runs, colors=bad)


def test_a_legend_below_replaces_the_panels_legends_and_keeps_where_a_path_leaves():
    runs = {"Adam": adam(sphere_derivative, ARTICLE_START, 20, 0.1, objective=sphere),
            "GD": gradient_descent(sphere_derivative, np.array([0.5, 0.25]), 20, 1.1, objective=sphere)}
    fig, (ax_path, ax_loss) = draw_runs(sphere, ARTICLE_BOUNDS, runs, legend="below")
    assert ax_path.get_legend() is None and ax_loss.get_legend() is None
    (below,) = fig.legends
    assert [t.get_text() for t in below.get_texts()] == ["Adam", "GD, leaves the plot at step 4"]
    plt.close(fig)
    with pytest.raises(ValueError, match=r"legend must be 'inside' or 'below', got 'above'"):
        draw_runs(sphere, ARTICLE_BOUNDS, runs, legend="above")


def test_a_path_leaving_the_window_stops_at_the_edge_with_a_cross():
    # gradient descent with alpha = 1.1 on x^2 + y^2: x is multiplied by -1.2 each step
    start = np.array([0.5, 0.25])
    result = gradient_descent(sphere_derivative, start, 40, 1.1, objective=sphere)
    fig, (ax_path, _) = draw_runs(sphere, ARTICLE_BOUNDS, {"GD": result})
    (line,) = [line for line in ax_path.lines if line.get_label().startswith("GD")]
    xy = line.get_xydata()
    # 0.5 * 1.2^t first exceeds 1 at t = 4 (0.5 * 1.2^4 = 1.04): points 0..3, then the edge point
    assert "leaves the plot at step 4" in line.get_label()
    np.testing.assert_allclose(xy[:4], result.path[:4])
    assert np.all(np.abs(xy) <= 1.0 + 1e-12) and np.isclose(np.abs(xy[-1]).max(), 1.0)
    crosses = [line for line in ax_path.lines if line.get_marker() == "X"]
    assert len(crosses) == 1


def test_more_runs_than_distinct_colours_is_refused():
    runs = {str(i): adam(sphere_derivative, ARTICLE_START, 2, objective=sphere) for i in range(len(PATH_COLORS) + 1)}
    with pytest.raises(ValueError, match=r"at most 8 runs can be drawn in colours that stay distinct, got 9"):
        draw_runs(sphere, ARTICLE_BOUNDS, runs)
    assert len(set(PATH_COLORS)) == len(PATH_COLORS) == len(COLOR_NAMES)


def test_a_batch_is_drawn_one_run_at_a_time():
    batch = adam(sphere_derivative, np.array([ARTICLE_START, -ARTICLE_START]), 5, objective=sphere)
    with pytest.raises(ValueError, match=r"is a batch of 2 runs; pass result.run\(i\)"):
        draw_runs(sphere, ARTICLE_BOUNDS, {"both": batch})
    draw_runs(sphere, ARTICLE_BOUNDS, {"first": batch.run(0), "second": batch.run(1)})


def test_draw_runs_needs_scores():
    with pytest.raises(ValueError, match=r"has no scores; pass objective="):
        draw_runs(sphere, ARTICLE_BOUNDS, {"x": adam(sphere_derivative, ARTICLE_START, 3)})


def test_png_round_trip_and_img_tag():
    pixels = np.zeros((3, 4, 4), dtype=np.uint8)
    pixels[1, 2] = (255, 0, 0, 255)
    png = rgba_to_png(pixels)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), pixels)
    tag = png_img_tag(png, 'a "red" dot')
    assert tag.startswith('<img src="data:image/png;base64,') and 'alt="a &quot;red&quot; dot"' in tag
    with pytest.raises(ValueError, match="alt must describe the image"):
        png_img_tag(png, " ")


def test_figure_png_is_reproducible():
    fig = draw_runs(sphere, ARTICLE_BOUNDS, {"a": adam(sphere_derivative, ARTICLE_START, 5, objective=sphere)})[0]
    assert figure_to_png(fig) == figure_to_png(fig)


def test_step_animation_has_one_frame_per_shown_step_and_alt_text():
    result = adam(sphere_derivative, ARTICLE_START, 60, 0.02, 0.8, 0.999, objective=sphere)
    titles = [f"step {t}" for t in range(61)]
    html = animate_paths(sphere, ARTICLE_BOUNDS, [result.path], titles, alt="Adam's path", frames_per_path=11, dpi=30)
    assert html.count("data:image/png;base64") == 11
    assert 'alt="Adam&#x27;s path"' in html


def test_sweep_animation_has_one_frame_per_run():
    paths = [adam(sphere_derivative, ARTICLE_START, 20, a, objective=sphere).path for a in (0.01, 0.1, 0.3)]
    html = animate_paths(sphere, ARTICLE_BOUNDS, paths, ["a", "b", "c"], alt="sweep", sweep=True, dpi=30)
    assert html.count("data:image/png;base64") == 3
    with pytest.raises(ValueError, match=r"titles must have one entry per frame \(3\), got 2"):
        animate_paths(sphere, ARTICLE_BOUNDS, paths, ["a", "b"], alt="sweep", sweep=True, dpi=30)


def test_animation_html_is_reproducible_and_ids_differ_between_animations():
    paths = [np.zeros((3, 2)), np.ones((3, 2)) * 0.5]
    first = animate_paths(sphere, ARTICLE_BOUNDS, paths, ["a", "b"], alt="one", sweep=True, dpi=20)
    again = animate_paths(sphere, ARTICLE_BOUNDS, paths, ["a", "b"], alt="one", sweep=True, dpi=20)
    other = animate_paths(sphere, ARTICLE_BOUNDS, paths, ["a", "b"], alt="two", sweep=True, dpi=20)
    assert first == again
    assert first != other and "https://" not in first


def first_frame(html):
    import base64
    import re

    data = re.search(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", html).group(1)
    return Image.open(io.BytesIO(base64.b64decode(data.replace("\\\n", "").replace("\\", "")))).convert("RGB")


def test_animation_title_is_not_clipped_at_the_top_of_the_frame():
    paths = [np.zeros((3, 2))]
    long_title = "alpha = 0.00202:  f after 60 steps = 1.9e-01"
    html = animate_paths(sphere, ARTICLE_BOUNDS, paths, [long_title], alt="a long title", sweep=True, dpi=62)
    pixels = np.asarray(first_frame(html))
    assert (pixels[:2] == 255).all(), "text reaches the top edge of the frame: the title is clipped"
    columns = np.flatnonzero((pixels[:40] < 128).any(axis=(0, 2)))
    assert columns.min() > 0 and columns.max() < pixels.shape[1] - 1, "the title runs off the frame's sides"


def test_zoom_inset_copies_the_paths_and_magnifies_the_region():
    result = adam(sphere_derivative, ARTICLE_START, 60, 0.02, 0.8, 0.999, objective=sphere)
    fig, (ax_path, _) = draw_runs(sphere, ARTICLE_BOUNDS, {"Adam": result})
    region = np.array([[-0.01, 0.01], [-0.01, 0.01]])
    inset = add_zoom_inset(ax_path, sphere, region)
    assert inset.get_xlim() == (-0.01, 0.01) and inset.get_ylim() == (-0.01, 0.01)
    assert len(inset.get_lines()) == len(ax_path.get_lines())
    for copied, original in zip(inset.get_lines(), ax_path.get_lines()):
        assert np.array_equal(copied.get_xydata(), original.get_xydata())
        assert copied.get_color() == original.get_color()
    assert [t.get_text() for t in inset.texts] == ["0.02 wide"]  # its scale, since it has no tick labels
    with pytest.raises(ValueError, match="region must have low < high"):
        add_zoom_inset(ax_path, sphere, np.array([[0.01, -0.01], [-0.01, 0.01]]))
    with pytest.raises(ValueError, match="where must be 4 fractions"):
        add_zoom_inset(ax_path, sphere, region, where=(0.5, 0.5, 2.0, 0.3))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        add_zoom_inset(fig, sphere, region)


def test_a_path_that_leaves_and_comes_back_is_drawn_whole():
    from plotting import clip_to_window

    bounds = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    back = np.array([[0.0, 0.0], [0.5, 1.5], [0.2, 0.3]])
    clipped, left = clip_to_window(back, bounds)
    assert left is None and np.array_equal(clipped, back)
    gone = np.array([[0.0, 0.0], [0.5, 0.5], [0.5, 1.5], [0.5, 3.0]])
    clipped, left = clip_to_window(gone, bounds)
    assert left == 2 and np.allclose(clipped[-1], [0.5, 1.0]) and len(clipped) == 3
