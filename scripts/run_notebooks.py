"""Re-execute the course notebooks in place, storing outputs and widget state.

Authors run this (``make notebooks``) after changing a chapter or ``code/``;
``make test`` then checks with nbval that the stored outputs are exactly what
the code produces. The kernel runs in the chapter's folder with the Python of
the current environment; timing metadata is not recorded, so a re-run of
unchanged code leaves the files unchanged.

    python scripts/run_notebooks.py                 # every chapters/*.ipynb
    python scripts/run_notebooks.py chapters/01_gradient_descent.ipynb
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream, as the kernel's timing may split them.

    Then re-running unchanged code stores the same file, however the text arrived.
    """
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    return joined


def run(path: pathlib.Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("jupytext", None)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for output in cell.get("outputs", []):
                if output.get("name") == "stderr":
                    raise SystemExit(f"{path}: a cell wrote to stderr:\n{output.get('text')}")
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        run(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
