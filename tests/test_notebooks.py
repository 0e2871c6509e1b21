"""The chapters as files: clean, executed in order, with what the HTML book needs.

nbval (run on chapters/ by the same `make test`) checks that the stored
outputs are what the code produces; these tests check the rest: hygiene,
alt text, saved widget state, exercises, and page weight.
"""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
CHAPTERS = [nb for nb in NOTEBOOKS if re.match(r"\d\d_", nb.name) and not nb.name.startswith("00_")]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/root/|/home/\w+/|[A-Z]:\\\\Users)")
SETUP = 'import sys\nsys.path.insert(0, "../code")'


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(output):
    parts = [output.get("text", "")]
    parts += [value for key, value in output.get("data", {}).items() if key.startswith("text/")]
    return "".join("".join(p) if isinstance(p, list) else str(p) for p in parts)


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def test_an_introduction_then_chapters_numbered_without_gaps():
    names = [nb.stem for nb in NOTEBOOKS]
    assert names[0] == "00_introduction"
    numbers = [int(nb.name[:2]) for nb in CHAPTERS]
    assert numbers == list(range(1, len(CHAPTERS) + 1)), names
    assert len(CHAPTERS) >= 5, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_without_errors_warnings_or_paths(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    counts = [cell["execution_count"] for cell in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run `make notebooks` to execute in order"
    for index, cell in enumerate(code_cells(nb)):
        for output in cell["outputs"]:
            where = f"{path.name} code cell {index}"
            assert output["output_type"] != "error", where
            assert output.get("name") != "stderr", f"{where}: stderr output"
            text = text_of(output)
            assert "Warning" not in text, f"{where}: a warning in the output"
            assert not MACHINE_PATH.search(text), f"{where}: a machine path in the output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_puts_code_folder_on_the_path(path):
    assert source(code_cells(load(path))[0]).startswith(SETUP)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(path):
    for index, cell in enumerate(code_cells(load(path))):
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt.strip()) > 20, f"{path.name} code cell {index}: figure without alt text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_explorer_carries_a_kernel_free_twin_for_the_static_book(path):
    """A widget view alone would show frozen controls in the book: each comes with its twin."""
    nb = load(path)
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for index, cell in enumerate(code_cells(nb)):
        for output in cell["outputs"]:
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            where = f"{path.name} code cell {index}"
            html = "".join(data.get("text/html", ""))
            assert '<div class="twin"' in html, f"{where}: an explorer without its twin"
            assert "<script" in html and "Values offered:" in html, where
            # JupyterLab restores the live widget from the saved state until the cell runs again
            assert data[WIDGET_VIEW]["model_id"] in state, f"{where}: no saved widget state (run `make notebooks`)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_skeleton_and_at_least_three_gated_exercises_with_solutions(path):
    markdown = "\n".join(source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown")
    for heading in ("## Exercises", "## Summary", "## Further reading"):
        assert re.search(rf"^{heading}\s*$", markdown, re.M), f"{path.name}: no '{heading}' section"
    labels = re.findall(r"\{exercise-start\}`*\s*\n:label: ([\w-]+)", markdown)
    assert len(labels) >= 3, f"{path.name}: {len(labels)} exercises"
    assert markdown.count("{exercise-end}") == len(labels)
    for label in labels:
        assert re.search(rf"\{{solution-start\}}`*\s*{re.escape(label)}\s*\n:class: dropdown", markdown), label
    assert markdown.count("{solution-end}") == markdown.count("{solution-start}")


def test_equation_labels_are_unique_across_the_book():
    seen = {}
    for path in NOTEBOOKS:
        markdown = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
        for label in re.findall(r"\$\$\s*\(([\w-]+)\)", markdown):
            assert label not in seen, f"equation label {label} in {path.name} and {seen[label]}"
            seen[label] = path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_pages_stay_light(path):
    assert path.stat().st_size < 2_000_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_glued_numbers_are_plain_numbers_the_book_can_format(path):
    """myst-nb formats `{glue:text}` from the stored text/plain: `np.float64(0.5)` fails to format."""
    for index, cell in enumerate(code_cells(load(path))):
        for output in cell["outputs"]:
            if "scrapbook" not in output.get("metadata", {}):
                continue
            for key, value in output.get("data", {}).items():
                text = "".join(value) if key.endswith("text/plain") else ""
                assert not text.startswith("np."), f"{path.name} code cell {index}: glued {text} (glue a float)"
