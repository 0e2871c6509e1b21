"""Basin maps and heat maps: the right colour in the right place, clear errors."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from plotting import NO_MINIMUM_COLOR, PATH_COLORS, draw_basins, draw_heatmap

BOUNDS = np.array([[-1.0, 1.0], [-1.0, 1.0]])
MINIMA = np.array([[-0.5, -0.5], [0.5, 0.5]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def pixel(fig, ax, x, y):
    """The RGBA colour the rendered figure shows at data point (x, y)."""
    fig.canvas.draw()
    px, py = ax.transData.transform((x, y))
    buffer = np.asarray(fig.canvas.buffer_rgba())
    return buffer[buffer.shape[0] - int(round(py)), int(round(px))] / 255


def test_each_label_is_drawn_in_its_colour_and_no_minimum_in_grey():
    image = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [-1, -1, 1, 1], [-1, -1, 1, 1]])  # row 0 is the bottom
    fig, (ax,) = draw_basins({"test": image}, BOUNDS, MINIMA)
    assert np.allclose(pixel(fig, ax, -0.75, -0.75), to_rgba(PATH_COLORS[1]), atol=0.02)  # orange, bottom left
    assert np.allclose(pixel(fig, ax, 0.75, 0.1), to_rgba(PATH_COLORS[2]), atol=0.02)  # sky blue, right
    assert np.allclose(pixel(fig, ax, -0.75, 0.75), to_rgba(NO_MINIMUM_COLOR), atol=0.02)  # grey, top left
    assert "white" not in [PATH_COLORS[1], PATH_COLORS[2]]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["(-0.50, -0.50)", "(0.50, 0.50)", "no minimum"]
    assert ax.get_xlabel() == "start $x_0$" and ax.get_title() == "test"


def test_several_maps_side_by_side_share_one_legend():
    image = np.zeros((3, 3), dtype=int)
    fig, axes = draw_basins({"a": image, "b": image, "c": image}, BOUNDS, MINIMA)
    assert len(axes) == 3 and len(fig.legends) == 1
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "maps,minima,match",
    [
        ({}, MINIMA, "at least one"),
        ({"x": np.zeros((3, 3))}, MINIMA, "integer"),
        ({"x": np.full((3, 3), 2)}, MINIMA, "outside -1..1"),
        ({"x": np.zeros((3, 3), dtype=int)}, np.zeros((9, 2)), "minima"),
    ],
)
def test_bad_maps_are_refused(maps, minima, match):
    with pytest.raises(ValueError, match=match):
        draw_basins(maps, BOUNDS, minima)


def test_heatmap_cells_sit_on_their_values_with_log_and_memory_axes():
    alphas = np.array([1e-3, 1e-2, 1e-1])
    betas = np.array([0.0, 0.9, 0.99])
    values = np.array([[1.0, 1e-2, 1e-4], [1e-1, 1e-3, np.inf], [1e-2, 1e-4, 1e-6]])
    ax, mesh = draw_heatmap(values, (alphas, betas), ("alpha", "beta1"), ("log", "memory"),
                            marks={"defaults": (1e-3, 0.9)})
    # log axis: alpha = 0.01 is at x = -2; memory axis: beta = 0.9 at y = 1, 0.99 at y = 2
    assert ax.get_xlim() == pytest.approx((-3.5, -0.5)) and ax.get_ylim() == pytest.approx((-0.5, 2.5))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "0.9", "0.99"]
    assert mesh.norm.vmin == pytest.approx(1e-6) and mesh.norm.vmax == pytest.approx(1.0)
    assert mesh.get_array().mask.sum() == 1  # the inf cell is masked (hatched)
    marker = [line for line in ax.lines if line.get_label() == "defaults"][0]
    assert marker.get_xdata()[0] == pytest.approx(-3) and marker.get_ydata()[0] == pytest.approx(1)
    assert "diverged or never reached" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_xlabel() == r"$\alpha$ (log scale)"


def test_heatmap_floor_clips_tiny_values():
    values = np.array([[1e-100, 1e-3], [1e-2, 1e-1]])
    ax, mesh = draw_heatmap(values, (np.array([1e-3, 1e-2]), np.array([0.5, 0.9])), ("alpha", "beta1"),
                            floor=1e-12)
    assert mesh.norm.vmin == pytest.approx(1e-12)
    assert "floor" in ax.figure.axes[-1].get_ylabel()


def test_heatmap_refuses_a_wrong_shape_or_scale():
    with pytest.raises(ValueError, match="shape"):
        draw_heatmap(np.zeros((2, 3)), (np.arange(1.0, 3.0), np.arange(1.0, 4.0)), ("alpha", "beta1"))
    with pytest.raises(ValueError, match="scales"):
        draw_heatmap(np.ones((2, 2)), (np.array([1.0, 2.0]), np.array([0.1, 0.2])), ("a", "b"), ("log", "cubic"))
