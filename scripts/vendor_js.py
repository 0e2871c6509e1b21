"""Copy the JavaScript the book serves itself from node_modules/ into _vendor/vendor/.

Run after `npm ci` (the Makefile's `vendor` target does both). The versions
are pinned in package.json and package-lock.json; this script writes what it
copied, with versions, to `_vendor/vendor/VERSIONS.txt`, and copies each
package's license next to its files.

- MathJax 3 (`tex-chtml.js` and the components and fonts it loads lazily;
  the speech-rule engine is left out).

(No ipywidgets manager: the book shows each explorer's kernel-free twin,
`code/twin.py`, instead of the widget, so it loads no widget JavaScript.)

`_vendor/` is a Sphinx static path (`html_static_path` in _config.yml), so
these files end up in `_build/html/_static/vendor/`. It is deliberately not
named `_static`: Jupyter Book adds every .js under `_static` to every page.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
TARGET = ROOT / "_vendor" / "vendor"

MATHJAX_PARTS = ["tex-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors"]


def version(package: str) -> str:
    return json.loads((MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def copy(source: pathlib.Path, destination: pathlib.Path) -> None:
    if not source.exists():
        raise SystemExit(f"missing {source.relative_to(ROOT)}: run `npm ci` first")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, destination)
    else:
        shutil.copy2(source, destination)


def main() -> int:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)

    mathjax = MODULES / "mathjax"
    for part in MATHJAX_PARTS:
        source = mathjax / "es5" / part
        if source.exists() or part == "tex-chtml.js":
            copy(source, TARGET / "mathjax" / part)
    copy(mathjax / "LICENSE", TARGET / "mathjax" / "LICENSE")

    packages = ["mathjax"]
    lines = [f"{name}@{version(name)}" for name in packages]
    (TARGET / "VERSIONS.txt").write_text(
        "# Copied from node_modules by scripts/vendor_js.py (pinned in package-lock.json)\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    size = sum(f.stat().st_size for f in TARGET.rglob("*") if f.is_file())
    print(f"vendored {', '.join(lines)} into {TARGET.relative_to(ROOT)} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
