"""The project's promises about itself: layout, pins, links, one repository URL."""

import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_layout_as_designed():
    for name in ("_config.yml", "_toc.yml", "chapters", "code", "requirements.txt", "README.md", "references.bib"):
        assert (ROOT / name).exists(), name
    # A package named `code` would shadow the standard library's `code` module in Jupyter.
    assert not (ROOT / "code" / "__init__.py").exists()
    # Jupyter Book adds every .js under _static to every page; vendored scripts live elsewhere.
    assert not (ROOT / "_static").exists()


def test_every_requirement_is_pinned():
    for path in ("requirements.txt", "requirements-browser.txt"):
        for line in (ROOT / path).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r "):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"{path}: {line!r} is not pinned"
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_toc_lists_every_chapter_and_every_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    for name in files:
        assert list(ROOT.glob(name + ".*")), f"{name} is in _toc.yml but missing"
    for notebook in (ROOT / "chapters").glob("*.ipynb"):
        assert f"chapters/{notebook.stem}" in files, f"{notebook.name} is not in _toc.yml"


def test_repository_is_named_once_and_the_readme_follows_it():
    repository = CONFIG["repository"]
    assert repository["branch"] == "main"
    url = repository["url"]
    slug = url.removeprefix("https://github.com/")
    assert f"https://mybinder.org/v2/gh/{slug}/main" in README
    assert "nbgitpuller" in README and f"repo={url}" in README.replace("%3A", ":").replace("%2F", "/")
    assert f"git clone {url}.git" in README


def test_launch_buttons_offered_are_ones_that_work():
    buttons = CONFIG["launch_buttons"]
    assert buttons["binderhub_url"] == "https://mybinder.org"
    assert not buttons.get("colab_url"), "Colab opens a notebook without the code/ folder it imports"


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    assert "make serve" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^\s*make test\b", ci, re.M)
    assert "book-strict" in ci and "browser-test" in ci
