"""Kernel-free twins: their data is what code/ computes, drawn within a tenth of a pixel.

Expected runs come from ``runner.run`` and ``explorers.summary`` called here
directly, never from the twin's own stored strings.
"""

import json
import pathlib
import re

import numpy as np
import pytest

from experiment import ARTICLE_START
from explorers import AdamExplorer, Explorer, StepSizeExplorer, summary
from objectives import OBJECTIVES
from plotting import clip_to_window
from runner import run
from twin import PATH_LEVELS, build_twin, read_twins

ROOT = pathlib.Path(__file__).resolve().parent.parent
START = tuple(ARTICLE_START)
LATTICE = {
    "problem": ["sphere", "rosenbrock"],
    "alpha": [0.02, 0.3],
    "beta1": [0.0, 0.8],
    "n_iter": [5, 60],
    "start": {"sphere": [START], "rosenbrock": [START, (-1.5, 2.0)]},
}


@pytest.fixture(scope="module")
def small_twin():
    return build_twin(AdamExplorer(compare_gd=False, dpi=30), LATTICE, dpi=30)


def expected_runs(problem, start, n_iter, alpha, beta1, with_gd):
    objective = OBJECTIVES[problem]
    runs = [run("adam", objective.gradient, np.array(start), n_iter, objective=objective.f, alpha=alpha, beta1=beta1,
                beta2=0.999, eps=1e-8)]
    labels = ["Adam"]
    if with_gd:
        runs.append(run("gradient descent", objective.gradient, np.array(start), n_iter, objective=objective.f,
                        alpha=alpha))
        labels.append("Gradient descent")
    return labels, runs


def page_readout(data, problem_index, start_index, values, n_index, with_gd):
    """Compose the readout as twin.js does, from the stored pieces (what the page shows)."""
    texts = []
    for r in data["runs"]:
        if r["toggle"] is not None and not with_gd:
            continue
        sizes = r["sizes"][problem_index]
        position = 0
        for key, size in zip(r["keys"], sizes):
            position = position * size + (start_index if key == "start" else values.get(key, 0))
        entry = r["table"][problem_index][position]
        texts.append((r["label"], entry["text"][n_index], entry["diverged"][n_index], entry))
    if len(texts) == 1:
        _, text, bad, _ = texts[0]
        return (f"The run {text} Try a smaller alpha." if bad else text[0].upper() + text[1:]), texts
    return " ".join(f"{label} {text}" for label, text, _, _ in texts), texts


@pytest.mark.parametrize("with_gd", [False, True])
def test_every_lattice_point_reads_out_what_the_runner_computes(small_twin, with_gd):
    (data,) = read_twins(small_twin.html)
    controls = {c["name"]: c for c in data["controls"]}
    for p_index, problem in enumerate(data["problemNames"]):
        for s_index, start in enumerate(data["starts"][p_index]):
            for a_index, alpha in enumerate(controls["alpha"]["values"]):
                for b_index, beta1 in enumerate(controls["beta1"]["values"]):
                    for n_index, n_iter in enumerate(controls["n_iter"]["values"]):
                        labels, runs = expected_runs(problem, start, n_iter, alpha, beta1, with_gd)
                        shown, texts = page_readout(data, p_index, s_index, {"alpha": a_index, "beta1": b_index},
                                                    n_index, with_gd)
                        assert shown == summary(labels, runs)
                        # the drawn path: within half a level (1/PATH_LEVELS of the window) of the true one
                        entry = texts[0][3]
                        bounds = OBJECTIVES[problem].bounds
                        u = data["sequence"](entry["u"]) / PATH_LEVELS
                        v = data["sequence"](entry["v"]) / PATH_LEVELS
                        truth, _ = clip_to_window(runs[0].path, bounds)
                        truth = np.clip(truth, bounds[:, 0], bounds[:, 1])
                        drawn = bounds[:, 0] + np.column_stack([u, v])[: len(truth)] * (bounds[:, 1] - bounds[:, 0])
                        assert np.all(np.abs(drawn - truth) <= 0.5001 * (bounds[:, 1] - bounds[:, 0]) / PATH_LEVELS)


def test_the_lattice_offers_what_it_was_given_and_the_page_says_so(small_twin):
    assert small_twin.lattice["alpha"] == [0.02, 0.3]
    assert small_twin.lattice["eps"] == [1e-8]  # not in the lattice: fixed
    assert "Values offered: problem: sphere | rosenbrock; alpha (α): 0.02, 0.3" in small_twin.html
    assert "Fixed in this page: beta2 (β₂) = 0.9990; eps (ε) = 1e-08" in small_twin.html
    assert small_twin.html.count('type="range"') == 3  # alpha, beta1, steps
    assert small_twin.html.count("<select") == 2  # problem, start
    assert 'type="checkbox"' in small_twin.html  # also show gradient descent


def test_every_control_is_labelled_for_keyboards_and_screen_readers(small_twin):
    ids = re.findall(r'<(?:input|select) [^>]*id="([^"]+)"', small_twin.html)
    assert ids
    for ident in ids:
        assert f'<label for="{ident}">' in small_twin.html
    assert 'role="img"' in small_twin.html and 'aria-live="polite"' in small_twin.html


def test_a_twin_is_reproducible_byte_for_byte():
    explorer = StepSizeExplorer(start=(-0.9, 0.6), dpi=30)
    lattice = {"alpha": [0.05, 0.1], "problem": ["sphere"], "start": [(-0.9, 0.6)]}
    assert build_twin(explorer, lattice, dpi=30).html == build_twin(explorer, lattice, dpi=30).html


def test_building_a_twin_leaves_the_explorer_as_it_was():
    explorer = AdamExplorer(dpi=30)
    before = {name: widget.value for name, widget in explorer.controls.items()}
    image = explorer.view.value
    build_twin(explorer, {"alpha": [0.02, 0.1], "problem": ["sphere", "rosenbrock"]}, dpi=30)
    assert {name: widget.value for name, widget in explorer.controls.items()} == before
    assert explorer.view.value == image


@pytest.mark.parametrize(
    "lattice, message",
    [
        ({"lr": [0.1]}, r"lattice names no control \['lr'\]"),
        ({"x0": [0.1]}, r"lattice names no control \['x0'\].*the start as \(x, y\) pairs"),
        ({"alpha": [0.1]}, r"lattice\['alpha'\] must include the explorer's current value 0.02"),
        ({"alpha": [0.02, 50.0]}, r"alpha must lie in \[0.0001, 3.162\] in this explorer, got 50.0"),
        ({"problem": ["sphere", "everest"]}, r"problem must be one of"),
        ({"start": [(3.0, 0.0)]}, r"the start \(3.0, 0.0\) lies outside the window of 'sphere'"),
        ({"problem": ["sphere", "rosenbrock"], "start": {"sphere": [START]}},
         r"lattice\['start'\] gives no start for the problems \['rosenbrock'\]"),
        ({"start": [(0.5, 0.5)]}, r"lattice\['start'\] must include the explorer's current start"),
    ],
)
def test_a_bad_lattice_is_refused_clearly(lattice, message):
    with pytest.raises(ValueError, match=message):
        build_twin(AdamExplorer(dpi=30), lattice, dpi=30)


def test_a_race_twin_runs_each_optimizer_only_over_its_own_controls():
    explorer = Explorer(["momentum", "adam"], "rosenbrock", sliders=["alpha"], shared=(), dpi=30)
    twin = build_twin(explorer, {"momentum: alpha": [0.001, 0.01], "adam: alpha": [0.001, 0.02, 0.1],
                                 "n_iter": [60]}, dpi=30)
    (data,) = read_twins(twin.html)
    momentum, adam = data["runs"]
    assert momentum["keys"] == ["start", "momentum: alpha"] and len(momentum["table"][0]) == 2
    assert adam["keys"] == ["start", "adam: alpha"] and len(adam["table"][0]) == 3
    problem = OBJECTIVES["rosenbrock"]
    expected = run("momentum", problem.gradient, problem.start, 60, objective=problem.f, alpha=0.01, mu=0.9)
    text = momentum["table"][0][1]["text"][0]
    assert text == (f"{expected.message}." if expected.diverged else
                    f"after 60 steps: f = {expected.score:.3g} at (x, y) = ({expected.x[0]:.4g}, {expected.x[1]:.4g}).")


# --------------------------------------------------------------------------
# The chapters' twins cover every value their questions and exercises name
# --------------------------------------------------------------------------
def stored_twins(chapter):
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    html = "".join(
        "".join(output["data"]["text/html"])
        for cell in nb["cells"] if cell["cell_type"] == "code"
        for output in cell["outputs"] if "text/html" in output.get("data", {})
    )
    return read_twins(html)


def offered(data):
    return {c["name"]: c["values"] for c in data["controls"]}


# Values read off the chapters' text by hand (questions, exercises, prose): each must be in the page.
NAMED = {
    "01_gradient_descent": {
        # zigzag above 1/20 and divergence above 1/10 on the stretched bowl: values on both sides
        "alpha": [0.04, 0.05, 0.06, 0.1, 0.11], "problem": ["sphere", "stretched bowl"], "n_iter": [30],
    },
    "05_visualizing_adam": {
        "beta1": [0.99, 0.0, 0.8, 0.9], "beta2": [0.9, 0.5, 0.999], "alpha": [0.3, 0.02, 0.001, 0.1, 0.15],
        "eps": [1e-8, 0.1, 1.0], "n_iter": [59, 60, 61, 300], "problem": ["sphere", "stretched bowl", "rosenbrock"],
    },
}
NAMED_STARTS = {"05_visualizing_adam": {"rosenbrock": [(-1.5, 2.0)], "sphere": [START]}}


@pytest.mark.parametrize("chapter", sorted(NAMED))
def test_the_chapters_twin_offers_every_value_its_questions_name(chapter):
    twins = stored_twins(chapter)
    assert len(twins) == 1, f"{chapter}: expected one twin, found {len(twins)}"
    values = offered(twins[0])
    for name, wanted in NAMED[chapter].items():
        for value in wanted:
            assert any(v == value if isinstance(v, str) else np.isclose(v, value) for v in values[name]), (
                f"{chapter}: {name} = {value} is named in the text but not offered by the twin ({values[name]})"
            )
    for problem, starts in NAMED_STARTS.get(chapter, {}).items():
        offered_starts = twins[0]["starts"][twins[0]["problemNames"].index(problem)]
        for start in starts:
            assert any(np.allclose(s, start) for s in offered_starts), f"{chapter}: start {start} on {problem}"


def test_the_twin_solves_chapter_5s_rosenbrock_exercise_somewhere():
    """'The explorer helps': some offered setting gets below 1e-3 on Rosenbrock from (-1.5, 2)."""
    values = offered(stored_twins("05_visualizing_adam")[0])
    problem = OBJECTIVES["rosenbrock"]
    best = min(
        run("adam", problem.gradient, np.array([-1.5, 2.0]), 300, objective=problem.f, alpha=a, beta1=b1, beta2=b2,
            eps=e).scores.min()
        for a in values["alpha"] for b1 in values["beta1"] for b2 in values["beta2"] for e in values["eps"][:1]
    )
    assert best < 1e-3


def test_chapter_9s_picture_twin_offers_every_value_its_suggestions_name():
    # "B = 8 against B = 427; beta2 = 0.9 against 0.999; beta1 = 0; alpha from the tuned 0.1 to 1 and then 3"
    (twin,) = stored_twins("09_noise_and_minibatches")
    labels = {c["name"]: c["labels"] for c in twin["controls"]}
    assert {"0.1", "1", "3"} <= set(labels["alpha"])
    assert {"0", "0.9"} <= set(labels["beta1"]) and {"0.9", "0.999"} <= set(labels["beta2"])
    assert {"8", "427 (full batch)"} <= set(labels["batch_size"])
    assert len(twin["views"]) == np.prod([len(v) for v in labels.values()])  # one picture per combination


def test_a_twin_labels_its_floor_when_a_run_lands_on_the_minimum_exactly():
    from explorers import StepSizeExplorer

    # gradient descent with alpha = 0.5 on x^2 + y^2 reaches (0, 0) in one step: f = 0 from then on
    twin = build_twin(StepSizeExplorer(start=(-0.9, 0.6), dpi=30), {"alpha": [0.1, 0.5], "problem": ["sphere"]}, dpi=30)
    axis = read_twins(twin.html)[0]["problems"][0]["loss"]
    assert axis["low"] == -16 and axis["ticks"][0] == [0.0, "≤1e-16"]
    plain = build_twin(StepSizeExplorer(start=(-0.9, 0.6), dpi=30), {"alpha": [0.1], "problem": ["sphere"]}, dpi=30)
    assert not read_twins(plain.html)[0]["problems"][0]["loss"]["ticks"][0][1].startswith("≤")
