"""The explorers, driven without a browser: set controls in Python, check what is drawn.

Expected runs come from ``adam()`` / ``gradient_descent()`` / ``run()`` called
directly, never from the explorer's own state.
"""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from adam import adam, gradient_descent
from experiment import ARTICLE_START
from explorers import KERNEL_NOTE, AdamExplorer, Explorer, StepSizeExplorer
from objectives import OBJECTIVES, rosenbrock, rosenbrock_derivative, sphere, sphere_derivative
from optimizers import OPTIMIZERS, Hyperparameter, Optimizer
from plotting import PATH_COLORS
from runner import run


def shown_png(explorer) -> bytes:
    return base64.b64decode(explorer.view.value.split("base64,")[1].split('"')[0])


def path_of(explorer, i=0):
    return explorer.figure.paths[i].get_xydata()


def test_initial_state_is_the_articles_run():
    explorer = AdamExplorer()
    expected = adam(sphere_derivative, ARTICLE_START, 60, 0.02, 0.8, 0.999, objective=sphere)
    np.testing.assert_array_equal(path_of(explorer), expected.path)
    np.testing.assert_array_equal(explorer.figure.losses[0].get_ydata(), expected.scores)


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
    np.testing.assert_allclose(path_of(explorer), expected.path, rtol=1e-12)
    np.testing.assert_allclose(explorer.figure.losses[0].get_ydata(), expected.scores, rtol=1e-12)
    assert shown_png(explorer) != before
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
    assert explorer.figure.ax_path.get_xlim() == (-2.0, 2.0)
    expected = adam(rosenbrock_derivative, explorer.start(), 60, 0.02, 0.8, 0.999, objective=rosenbrock)
    np.testing.assert_array_equal(path_of(explorer), expected.path)
    explorer.controls["x0"].value = 1.9
    explorer.controls["problem"].value = "sphere"
    assert explorer.controls["x0"].value == 1.0


def test_gradient_descent_comparison_draws_the_second_path_in_the_second_colour():
    explorer = AdamExplorer(compare_gd=True)
    expected = gradient_descent(sphere_derivative, ARTICLE_START, 60, 0.02, objective=sphere)
    np.testing.assert_array_equal(path_of(explorer, 1), expected.path)
    assert explorer.figure.paths[1].get_color() == explorer.figure.losses[1].get_color() == PATH_COLORS[1]
    explorer.controls["show gradient descent"].value = False
    assert len(path_of(explorer, 1)) == 0 and explorer.results[1] is None


def test_step_size_explorer_runs_gradient_descent_and_reports_divergence():
    explorer = StepSizeExplorer()
    assert "beta1" not in explorer.controls
    explorer.controls["alpha"].value = 1.5
    explorer.controls["n_iter"].value = 300
    expected = gradient_descent(sphere_derivative, ARTICLE_START, 300, explorer.controls["alpha"].value)
    assert expected.diverged
    # drawn up to where it leaves the window, which is marked
    shown = path_of(explorer)
    left = int(np.flatnonzero(np.abs(expected.path).max(axis=1) > 1.0)[0])
    np.testing.assert_array_equal(shown[:left], expected.path[:left])
    assert len(shown) == left + 1 and np.isclose(np.abs(shown[-1]).max(), 1.0)
    assert len(explorer.figure.exits[0].get_xydata()) == 1
    assert expected.message in explorer.readout.value and "smaller alpha" in explorer.readout.value


def test_a_race_gives_each_optimizer_its_own_step_size_from_the_declarations():
    explorer = Explorer(["momentum", "rmsprop", "adam"], "rosenbrock", sliders=["alpha"], shared=(),
                        values={"n_iter": 100}, dpi=30)
    assert [k for k in explorer.controls if "alpha" in k] == ["momentum: alpha", "rmsprop: alpha", "adam: alpha"]
    assert "beta1" not in explorer.controls and "mu" not in explorer.controls
    explorer.controls["momentum: alpha"].value = 0.001
    explorer.controls["adam: alpha"].value = 0.05
    problem = OBJECTIVES["rosenbrock"]
    for i, (name, alpha) in enumerate([("momentum", 0.001), ("rmsprop", 0.01), ("adam", 0.05)]):
        expected = run(name, problem.gradient, problem.start, 100, objective=problem.f,
                       alpha=explorer.controls[f"{name}: alpha"].value)
        assert explorer.controls[f"{name}: alpha"].value == pytest.approx(alpha, rel=0.06)  # the slider's grid
        np.testing.assert_allclose(explorer.results[i].path, expected.path, rtol=1e-12)
        assert f"after 100 steps: f = {expected.score:.3g}" in explorer.readout.value


def test_a_new_optimizer_gets_sliders_with_no_explorer_code():
    def sign_update(x, g, state, t, *, alpha, scale):
        return x - alpha * scale * np.sign(g), state

    declared = (
        Hyperparameter("alpha", "α", r"\alpha", 0.05, 0.0, np.inf, (1e-3, 1.0), low_inclusive=False, log=True, step=0.1),
        Hyperparameter("scale", "s", "s", 1.0, 0.0, 10.0, (0.5, 2.0), step=0.5),
    )
    sign = Optimizer("sign descent", "sign descent", declared, (), sign_update, "Bernstein et al. (2018)")
    explorer = Explorer([sign, "adam"], dpi=30)
    assert explorer.controls["scale"].min == 0.5 and explorer.controls["scale"].max == 2.0
    explorer.controls["scale"].value = 2.0
    expected = run(sign, sphere_derivative, OBJECTIVES["sphere"].start, 60, objective=sphere,
                   alpha=explorer.controls["alpha"].value, scale=2.0)
    np.testing.assert_allclose(explorer.results[0].path, expected.path)


def test_text_repr_says_a_kernel_is_needed():
    bundle = AdamExplorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("AdamExplorer: After 60 steps")
    assert KERNEL_NOTE in bundle["text/plain"]
    assert "no kernel is running this notebook: run its cells first" in KERNEL_NOTE


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"problem": "everest"}, ValueError, r"problem must be one of \['sphere', 'stretched bowl'"),
        ({"alpha": 100.0}, ValueError, r"alpha must lie in \[0.0001, 3.162\] in this explorer, got 100.0"),
        ({"beta1": 1.0}, ValueError, r"beta1 must lie in \[0, 0.999\] in this explorer, got 1.0"),
        ({"beta1": "0.9"}, TypeError, r"beta1 must be a number, got str"),
        ({"n_iter": 1000}, ValueError, r"n_iter must lie in \[0, 300\] in this explorer, got 1000"),
        ({"start": (3.0, 0.0)}, ValueError, r"x0 must lie in \[-1, 1\] in this explorer, got 3.0"),
        ({"start": (0.0,)}, ValueError, r"start must be a pair \(x, y\)"),
        ({"compare_gd": "yes"}, TypeError, r"show gradient descent must be True or False"),
    ],
)
def test_explorer_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        AdamExplorer(**kwargs)


def test_explorer_rejects_unknown_controls_duplicates_and_too_many_runs():
    with pytest.raises(ValueError, match=r"values names no control \['lr'\]"):
        Explorer(["adam"], values={"lr": 0.1})
    with pytest.raises(ValueError, match=r"each optimizer may appear once"):
        Explorer(["adam", "adam"])
    with pytest.raises(ValueError, match=r"at most 8 runs can be drawn"):
        Explorer(list(OPTIMIZERS), optional=[Optimizer("x", "x", (), (), lambda x, g, s, t: (x, s), "none")])


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_every_problem_draws_from_its_default_start(name):
    explorer = AdamExplorer(problem=name, start=tuple(OBJECTIVES[name].start), dpi=30)
    assert len(explorer.results[0].path) == 61
    assert OBJECTIVES[name].formula in explorer.view.value


def test_a_run_that_lands_exactly_on_the_minimum_keeps_its_loss_curve_in_view():
    explorer = StepSizeExplorer(start=(-0.9, 0.6))
    explorer.controls["alpha"].value = 0.5  # one step of gradient descent lands on (0, 0) exactly
    assert explorer.result.scores[1] == 0.0
    low, high = explorer.figure.ax_loss.get_ylim()
    assert low <= 1e-16 and high >= explorer.result.scores[0]
    # every drawn point inside the panel: the zeros run along the bottom edge instead of vanishing below it
    drawn = explorer.figure.losses[0].get_ydata()
    assert len(drawn) == 31 and np.all((drawn >= low) & (drawn <= high))
    assert "f = 0 at (x, y) = (0, 0)" in explorer.readout.value
    assert explorer.figure.floor_note.get_text() == "f ≤ 1e-16 (or 0)"  # the bottom line is labelled
    explorer.controls["alpha"].value = 0.1  # stays above the floor: no label
    assert explorer.figure.floor_note.get_text() == ""


def test_a_slider_of_a_hidden_optimizer_is_disabled_until_it_is_shown():
    explorer = Explorer(["adam"], optional=["gradient descent"], shared=(), dpi=30)
    own = explorer.controls["gradient descent: alpha"]
    assert own.disabled and not explorer.controls["adam: alpha"].disabled
    explorer.controls["show gradient descent"].value = True
    assert not own.disabled
    own.value = 0.05
    expected = run("gradient descent", sphere_derivative, OBJECTIVES["sphere"].start, 60, objective=sphere, alpha=own.value)
    np.testing.assert_array_equal(explorer.results[1].path, expected.path)


def test_chosen_colours_follow_the_optimizers_and_the_others_fill_in():
    explorer = Explorer(["momentum", "adam"], optional=["gradient descent"], colors={"adam": PATH_COLORS[4]}, dpi=30)
    assert explorer.colors == [PATH_COLORS[0], PATH_COLORS[4], PATH_COLORS[1]]
    assert explorer.figure.paths[1].get_color() == explorer.figure.losses[1].get_color() == PATH_COLORS[4]
    assert "Adam (alpha = " in explorer.view.value and ") in green" in explorer.view.value
    with pytest.raises(ValueError, match=r"colors names optimizers that are not in the explorer: \['rmsprop'\]"):
        Explorer(["adam"], colors={"rmsprop": PATH_COLORS[1]})
    with pytest.raises(ValueError, match=r"colors must be distinct colours of plotting.PATH_COLORS"):
        Explorer(["adam", "momentum"], colors={"adam": "red"})


def test_a_redraw_reusing_the_legend_is_pixel_for_pixel_a_fresh_drawing():
    from explorers import RunFigure
    from objectives import OBJECTIVES
    from runner import run as run_optimizer

    rosenbrock = OBJECTIVES["rosenbrock"]

    def runs(alpha):
        return [run_optimizer(name, rosenbrock.gradient, rosenbrock.start, 300, objective=rosenbrock.f, alpha=alpha)
                for name in ("gradient descent", "adam")]

    labels = ["gradient descent", "Adam"]
    reused = RunFigure(rosenbrock, labels, dpi=40)
    reused.draw(runs(0.001))                 # the legend is drawn, and its pixels kept
    second = reused.draw(runs(0.0005))       # ... and reused here, over other paths
    fresh = RunFigure(rosenbrock, labels, dpi=40).draw(runs(0.0005))
    assert second == fresh
    hidden = reused.draw([runs(0.0005)[0], None])  # hiding a run changes the legend: drawn anew
    assert hidden == RunFigure(rosenbrock, labels, dpi=40).draw([runs(0.0005)[0], None])
