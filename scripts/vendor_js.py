"""Copy the JavaScript the book serves itself from node_modules/ into _vendor/vendor/.

Run after `npm ci` (the Makefile's `vendor` target does both). The versions
are pinned in package.json and package-lock.json; this script writes what it
copied, with versions, to `_vendor/vendor/VERSIONS.txt`, and copies each
package's license next to its files.

- MathJax 3 (`tex-chtml.js` and the components and fonts it loads lazily;
  the speech-rule engine is left out);
- the ipywidgets HTML manager's standalone bundle `embed.js` (it defines the
  built-in widgets itself and needs no require.js), with the icon fonts its
  CSS refers to.

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
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".eot", ".svg"}


BSD_3_CLAUSE = """@jupyter-widgets/html-manager: BSD 3-Clause License

Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

The bundle's third-party licenses are listed in embed.js.LICENSE.txt.
"""


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

    manager = MODULES / "@jupyter-widgets" / "html-manager"
    dist = manager / "dist"
    copy(dist / "embed.js", TARGET / "html-manager" / "embed.js")
    copy(dist / "embed.js.LICENSE.txt", TARGET / "html-manager" / "embed.js.LICENSE.txt")
    for font in sorted(dist.iterdir()):
        if font.suffix in FONT_SUFFIXES:
            copy(font, TARGET / "html-manager" / font.name)
    # The npm package ships no LICENSE file; its package.json says BSD-3-Clause.
    license_name = json.loads((manager / "package.json").read_text(encoding="utf-8"))["license"]
    if license_name != "BSD-3-Clause":
        raise SystemExit(f"@jupyter-widgets/html-manager's license changed to {license_name}: review it")
    (TARGET / "html-manager" / "LICENSE").write_text(BSD_3_CLAUSE, encoding="utf-8")

    packages = ["mathjax", "@jupyter-widgets/html-manager"]
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
