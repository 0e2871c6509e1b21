"""A Binder-equivalent live test: JupyterLab on 127.0.0.1, a chapter run in Chromium.

The environment is requirements.txt plus the JupyterLab that Binder's base
image provides (requirements-browser.txt), nothing installed by hand. The
server works on a copy of chapters/ and code/ with the stored outputs removed,
so running the cells never touches the repository's notebooks and everything
on screen comes from this session's kernel. For each chapter with an
explorer: run all cells, move a slider as a reader would (type a value into
its readout), and check that the figure changed and that the new readout is
what `adam()` / `gradient_descent()` compute for the new value.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "code"))

from adam import adam, gradient_descent  # noqa: E402
from experiment import ARTICLE_START  # noqa: E402
from objectives import sphere, sphere_derivative  # noqa: E402

# chapter, slider description, new value typed into its readout, what the code computes then
CASES = [
    (
        "05_visualizing_adam",
        "alpha (α)",
        "0.1",
        lambda: adam(sphere_derivative, ARTICLE_START, 60, 0.1, 0.8, 0.999, 1e-8, objective=sphere),
    ),
    (
        "01_gradient_descent",
        "alpha (α)",
        "0.5",
        lambda: gradient_descent(sphere_derivative, np.array([-0.9, 0.6]), 30, 0.5, objective=sphere),
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory, chromium_path):
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "chapters", work / "chapters")
    shutil.copytree(ROOT / "code", work / "code")
    for notebook in (work / "chapters").glob("*.ipynb"):
        strip_outputs(notebook)
    settings = work / ".settings"
    for name in ("config", "data", "runtime", "settings"):
        (settings / name).mkdir(parents=True)
    # No autosave, every cell rendered (no windowing), no news pop-up: the test must not
    # write into the notebooks, miss cells scrolled out of view, or wait on dialogs.
    user_settings = {
        "docmanager-extension/plugin": {"autosave": False},
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for name, values in user_settings.items():
        path = settings / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(settings / "config"),
        JUPYTER_DATA_DIR=str(settings / "data"),
        JUPYTER_RUNTIME_DIR=str(settings / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings / "settings"),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}", "--LabApp.news_url=",
        "--ServerApp.allow_root=True",  # CI runs as root; Binder does not, and needs no such flag
    ]
    log = open(work / "lab.log", "wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (work / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def strip_outputs(path) -> None:
    """Remove stored outputs, execution counts and widget state from a notebook copy.

    Then a numbered prompt can only mean this session ran the cell, and a live
    figure can only come from this session's kernel.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"].pop("widgets", None)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    path.write_text(json.dumps(notebook), encoding="utf-8")


def accept_dialogs(page, seconds: float) -> None:
    """Accept JupyterLab's dialogs (such as "Select Kernel") that appear within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        button = page.locator(".jp-Dialog .jp-mod-accept")
        if button.count():
            button.first.click()
        page.wait_for_timeout(250)


def wait_for_idle_kernel(page, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    status = page.locator(".jp-StatusBar-TextItem", has_text="Idle")
    while not status.count():
        if time.monotonic() > deadline:
            raise AssertionError("the kernel did not start")
        accept_dialogs(page, seconds=0.5)


def run_all_cells(page, attempts: int = 3) -> None:
    """Run > Run All Cells, again if no cell has started after a while.

    The status bar can say Idle before the notebook's kernel is ready; the menu
    command then does nothing. The copies have no stored execution counts, so a
    prompt showing [*] or a number means this session ran the cell.
    """
    started = page.locator(".jp-Notebook .jp-InputPrompt", has_text=re.compile(r"\[(\*|\d+)\]"))
    for _ in range(attempts):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        accept_dialogs(page, seconds=3)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if started.count():
                return
            accept_dialogs(page, seconds=1)
    raise AssertionError("Run All Cells did not start any cell")


@pytest.mark.parametrize("chapter, description, value, compute", CASES, ids=[c[0] for c in CASES])
def test_moving_a_slider_in_jupyterlab_redraws_what_the_code_computes(browser, jupyterlab, chapter, description,
                                                                      value, compute):
    base, token = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # A workspace of its own: JupyterLab must not restore the previous test's notebook
        # beside this one (its kernel, status bar and menus would compete with this one's).
        page.goto(f"{base}/lab/workspaces/live-{chapter}/tree/chapters/{chapter}.ipynb?reset&token={token}")
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        wait_for_idle_kernel(page)
        run_all_cells(page)

        figure = page.locator(".widget-html img[alt^='Left: contour plot']").first
        figure.wait_for(state="attached", timeout=120_000)
        figure.scroll_into_view_if_needed()
        before = figure.get_attribute("src")
        readout_before = figure.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]").inner_text()

        slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=description)).first
        field = slider.locator(".widget-readout")
        field.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Enter")

        # The HTML widget replaces its <img> on every update: look it up afresh.
        page.wait_for_function(
            """old => {
                const img = document.querySelector(".widget-html img[alt^='Left: contour plot']");
                return img !== null && img.getAttribute("src") !== old;
            }""",
            arg=before,
            timeout=30_000,
        )
        after_image = figure.get_attribute("src")
        assert after_image != before
        expected = compute()
        alt = figure.get_attribute("alt")
        assert f"alpha = {float(value):.3g}" in alt
        explorer_text = figure.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]").inner_text()
        assert explorer_text != readout_before
        if expected.diverged:
            assert expected.message in explorer_text
        else:
            x, y = expected.x
            assert f"f = {expected.score:.3g} at (x, y) = ({x:.4g}, {y:.4g})" in explorer_text
        page.screenshot(path=str(ROOT / "_build" / f"live_{chapter}.png"))
    except Exception:
        page.screenshot(path=str(ROOT / "_build" / f"live_{chapter}_failure.png"))
        raise
    finally:
        page.close()
