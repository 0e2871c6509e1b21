"""The explorers, driven without a browser: set sliders in Python, check what is drawn."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from adam import adam, gradient_descent
from experiment import ARTICLE_START
from explorers import KERNEL_NOTE, PROBLEMS, AdamExplorer, StepSizeExplorer
from objectives import rosenbrock, rosenbrock_derivative, sphere, sphere_derivative


def shown_png(explorer) -> bytes:
    return base64.b64decode(explorer.view.value.split("base64,")[1].split('"')[0])


def test_initial_state_is_the_articles_run():
    explorer = AdamExplorer()
    expected = adam(sphere_derivative, ARTICLE_START, 60, 0.02, 0.8, 0.999, objective=sphere)
    np.testing.assert_array_equal(explorer.path_line.get_xydata(), expected.path)
    np.testing.assert_array_equal(explorer.loss_line.get_ydata(), expected.scores)


def test_moving_sliders_redraws_the_path_adam_computes():
    explorer = AdamExplorer()
    before = shown_png(explorer)
    c = explorer.controls
    c["alpha"].value = 0.1
    c["beta1"].value = 0.95
    c["beta2"].value = 0.99
    c["eps"].value = 1e-4
    c["n_iter"].value = 80
    c["x0"].value = 0.7
    c["y0"].value = -0.3
    expected = adam(sphere_derivative, np.array([0.7, -0.3]), 80, c["alpha"].value, 0.95, 0.99, c["eps"].value,
                    objective=sphere)
    np.testing.assert_allclose(explorer.path_line.get_xydata(), expected.path, rtol=1e-12)
    np.testing.assert_allclose(explorer.loss_line.get_ydata(), expected.scores, rtol=1e-12)
    after = shown_png(explorer)
    assert after != before
    assert f"{expected.score:.3g}" in explorer.readout.value


def test_the_picture_is_a_real_png_with_alt_text_describing_the_run():
    explorer = AdamExplorer(dpi=50)
    image = Image.open(io.BytesIO(shown_png(explorer)))
    assert image.format == "PNG" and image.size == (450, 190)
    assert 'alt="Left: contour plot of the sphere' in explorer.view.value
    assert "alpha = 0.02" in explorer.view.value and "beta1 = 0.8" in explorer.view.value


def test_switching_problem_redraws_the_contour_and_keeps_the_start_inside():
    explorer = AdamExplorer()
    explorer.controls["x0"].value = -1.0
    explorer.controls["problem"].value = "rosenbrock"
    assert explorer.controls["x0"].min == -2.0 and explorer.controls["y0"].max == 3.0
    assert explorer.ax_path.get_xlim() == (-2.0, 2.0)
    expected = adam(rosenbrock_derivative, explorer.start(), 60, 0.02, 0.8, 0.999, objective=rosenbrock)
    np.testing.assert_array_equal(explorer.path_line.get_xydata(), expected.path)
    explorer.controls["x0"].value = 1.9
    explorer.controls["problem"].value = "sphere"
    assert explorer.controls["x0"].value == 1.0


def test_gradient_descent_comparison_draws_the_second_path():
    explorer = AdamExplorer(compare_gd=True)
    expected = gradient_descent(sphere_derivative, ARTICLE_START, 60, 0.02, objective=sphere)
    np.testing.assert_array_equal(explorer.gd_line.get_xydata(), expected.path)
    explorer.controls["compare_gd"].value = False
    assert len(explorer.gd_line.get_xydata()) == 0


def test_step_size_explorer_runs_gradient_descent_and_reports_divergence():
    explorer = StepSizeExplorer()
    assert "beta1" not in explorer.controls
    explorer.controls["alpha"].value = 1.5
    explorer.controls["n_iter"].value = 300
    expected = gradient_descent(sphere_derivative, ARTICLE_START, 300, explorer.controls["alpha"].value)
    assert expected.diverged
    np.testing.assert_array_equal(explorer.path_line.get_xydata(), expected.path)
    assert "diverged at step" in explorer.readout.value and "smaller alpha" in explorer.readout.value


def test_text_repr_says_a_kernel_is_needed():
    bundle = AdamExplorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("AdamExplorer: After 60 steps")
    assert KERNEL_NOTE in bundle["text/plain"]
    assert "needs a running Python kernel" in KERNEL_NOTE


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"problem": "himmelblau"}, r"problem must be one of \['rosenbrock', 'sphere', 'stretched bowl'\]"),
        ({"alpha": 100.0}, r"alpha must be <= 3.16"),
        ({"beta1": 1.0}, r"beta1 must be <= 0.999"),
        ({"n_iter": 1000}, r"n_iter must be <= 300 in an explorer, got 1000"),
        ({"start": (3.0, 0.0)}, r"start x must lie in \[-1.0, 1.0\] for this problem, got 3.0"),
        ({"start": (0.0,)}, r"start must be a pair \(x, y\)"),
    ],
)
def test_explorer_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AdamExplorer(**kwargs)


def test_every_problem_draws():
    for name in PROBLEMS:
        explorer = AdamExplorer(problem=name, start=(0.5, 0.5), dpi=30)
        assert len(explorer.path_line.get_xydata()) == 61


def test_a_run_that_lands_exactly_on_the_minimum_keeps_its_loss_curve_in_view():
    explorer = StepSizeExplorer(start=(-0.9, 0.6))
    explorer.controls["alpha"].value = 0.5  # one step of gradient descent lands on (0, 0) exactly
    assert explorer.result.scores[1] == 0.0
    low, high = explorer.ax_loss.get_ylim()
    assert low <= 1e-16 and high >= explorer.result.scores[0]
    assert "f = 0 at (x, y) = (0, 0)" in explorer.readout.value
