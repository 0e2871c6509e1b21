"""The explorers' kernel-free twins in the built book (headless Chromium, no network).

For every twin on every page: move each control to several of its values and
check that the readout is what ``code/`` computes for those values (numbers,
not pixels: the runs are made here with ``runner.run`` and put into words by
``explorers.summary``), that the figure and its alt text follow, and that no
visible, enabled control leaves the page unchanged when moved. Picture twins
(figure explorers) are checked for a different picture per combination. The
redraw times the page measured are written to ``_build/twin_timings.txt``.
"""

from __future__ import annotations

import statistics
import sys

import numpy as np
import pytest

from conftest import PAGES, ROOT, SITE

sys.path.insert(0, str(ROOT / "code"))

from explorers import summary  # noqa: E402
from objectives import OBJECTIVES  # noqa: E402
from runner import run  # noqa: E402
from twin import read_twins  # noqa: E402
from user_objective import objective_from_text  # noqa: E402

TWIN_PAGES = [name for name in PAGES if 'class="twin"' in (SITE / f"{name}.html").read_text(encoding="utf-8")] \
    if SITE.exists() else []
TIMINGS: list[tuple[str, float]] = []


def positions(n: int) -> list[int]:
    """A few positions along a control: the ends and the middle (all of them when few)."""
    return list(range(n)) if n <= 4 else sorted({0, 1, n // 2, n - 1})


def set_control(twin, name, kind, index):
    control = twin.locator(f"[data-control='{name}']")
    if kind == "toggle":
        control.set_checked(bool(index))
    elif control.evaluate("e => e.tagName") == "SELECT":
        control.select_option(str(index))
    else:
        control.fill(str(index))


def expected_summary(data, state):
    """What code/ computes for the twin's current values: run every shown optimizer here."""
    p = state["problem"]
    name = data["problemNames"][p]
    # a problem of the registry, or a learner's formula (chapter 11), rebuilt from its text
    problem = OBJECTIVES[name] if name in OBJECTIVES else objective_from_text(name)
    start = np.array(data["starts"][p][state["start"]])
    n_iter = data["steps"][state["n_iter"]]
    values = {c["name"]: c["values"] for c in data["controls"]}
    labels, results = [], []
    for r in data["runs"]:
        if r["toggle"] is not None and not state.get(r["toggle"], 0):
            continue
        hyper = dict(r["fixed"])
        for control, name in r["targets"].items():
            hyper[name] = values[control][state.get(control, 0)]
        labels.append(r["label"])
        results.append(run(r["optimizer"], problem.gradient, start, n_iter, objective=problem.f, **hyper))
    return summary(labels, results)


@pytest.fixture(scope="module")
def twin_page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield lambda name: _open(context, site_url, name)
    context.close()
    if TIMINGS:
        times = [ms for _, ms in TIMINGS]
        lines = [f"{len(times)} redraws; median {statistics.median(times):.2f} ms, max {max(times):.2f} ms"]
        lines += [f"{page}: {ms:.2f} ms" for page, ms in TIMINGS]
        (SITE.parent / "twin_timings.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n" + lines[0])


def _open(context, site_url, name):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site_url}/{name}.html")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.querySelectorAll('.twin')].every(t => t.dataset.drawn)", timeout=20_000)
    return page, errors


@pytest.mark.parametrize("name", TWIN_PAGES)
def test_the_static_page_shows_twins_not_frozen_widgets(twin_page, name):
    """No frozen ipywidget; every twin control labelled; a control for hidden runs only is disabled."""
    page, errors = twin_page(name)
    assert errors == [], errors
    frozen = page.locator(".jupyter-widgets input, .jupyter-widgets select, .widget-slider")
    assert sum(frozen.nth(i).is_visible() for i in range(frozen.count())) == 0, "a frozen ipywidget control is shown"
    for i in range(page.locator(".twin").count()):
        twin = page.locator(".twin").nth(i)
        assert twin.locator(".twin-readout").inner_text().strip(), "the twin's readout is empty"
        labelled = twin.evaluate(
            "t => [...t.querySelectorAll('input, select')].every(c => t.querySelector(`label[for='${c.id}']`))"
        )
        assert labelled, "a control has no label"
        for box in range(twin.locator("input[type=checkbox]").count()):
            checkbox = twin.locator("input[type=checkbox]").nth(box)
            checkbox.set_checked(False)
            hidden = checkbox.get_attribute("data-control").removeprefix("show ")
            own = twin.locator(f"[data-control^='{hidden}: ']")
            for k in range(own.count()):
                assert own.nth(k).is_disabled(), f"{name}: a control of hidden {hidden} stays enabled"
    page.close()


@pytest.mark.parametrize("name", TWIN_PAGES)
def test_every_control_redraws_what_the_code_computes(twin_page, name):
    page, _ = twin_page(name)
    twins = page.locator(".twin")
    data_by_id = {data["id"]: data for data in read_twins((SITE / f"{name}.html").read_text(encoding="utf-8"))}
    for i in range(twins.count()):
        twin = twins.nth(i)
        data = data_by_id[twin.get_attribute("id")]
        if "views" in data:  # a picture twin
            check_picture_twin(page, twin, data, name)
            continue
        state = {c["name"]: c["start"] for c in data["controls"]}
        # checkboxes first: each is switched off and on, and left on, so that the controls of
        # every optimizer are enabled when their turn comes
        for control in sorted(data["controls"], key=lambda c: c["kind"] != "toggle"):
            element = twin.locator(f"[data-control='{control['name']}']")
            if element.count() == 0:
                continue  # one value only: shown as fixed text, not as a control
            assert element.is_enabled(), f"{name}: {control['name']} is disabled with every optimizer shown"
            n = len(data["startLabels"][state["problem"]]) if control["name"] == "start" else len(control["labels"])
            for index in positions(n):
                before = (twin.locator(".twin-readout").inner_text(), twin.locator("svg").inner_html(),
                          twin.locator("svg").get_attribute("aria-label"))
                set_control(twin, control["name"], control["kind"], index)
                changed = index != state[control["name"]]
                state[control["name"]] = index
                if control["name"] == "problem":
                    state["start"] = min(state["start"], len(data["starts"][index]) - 1)
                readout = twin.locator(".twin-readout").inner_text()
                assert readout == expected_summary(data, state), f"{name}: {control['name']} -> {index}"
                alt = twin.locator("svg").get_attribute("aria-label")
                assert alt.endswith(readout) and data["problems"][state["problem"]]["title"] in alt
                after = (readout, twin.locator("svg").inner_html(), alt)
                if changed:
                    assert after != before, f"{name}: moving {control['name']} to {index} changed nothing"
                TIMINGS.append((name, float(twin.get_attribute("data-draw-ms"))))
    page.close()


def check_picture_twin(page, twin, data, name):
    image = twin.locator("img.twin-image")
    state = {c["name"]: c["start"] for c in data["controls"]}
    seen = {image.get_attribute("src")}
    for control in data["controls"]:
        if twin.locator(f"[data-control='{control['name']}']").count() == 0:
            continue
        for index in positions(len(control["labels"])):
            before = image.get_attribute("src")
            set_control(twin, control["name"], control["kind"], index)
            changed = index != state[control["name"]]
            state[control["name"]] = index
            k = 0
            for c in data["controls"]:
                k = k * len(c["labels"]) + state[c["name"]]
            view = data["views"][k]
            assert image.get_attribute("src") == view["src"] and image.get_attribute("alt") == view["alt"]
            assert twin.locator(".twin-readout").inner_text().strip() == view["readout"]
            if changed:
                assert image.get_attribute("src") != before, f"{name}: {control['name']} -> {index} changed nothing"
            seen.add(image.get_attribute("src"))
            TIMINGS.append((name, float(twin.get_attribute("data-draw-ms"))))
    assert len(seen) > 1
