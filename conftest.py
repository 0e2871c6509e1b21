"""Shared pytest setup for the unit tests (tests/) and the notebooks (chapters/).

- The course modules live in ``code/``, a plain folder (a package named
  ``code`` would shadow the standard library's ``code`` module, which IPython
  imports first), so the folder itself goes on ``sys.path``.
- nbval normally skips ``image/png`` outputs. Our pins (requirements.txt)
  make matplotlib's PNGs reproducible byte for byte, so we ask nbval to
  compare them too: a stale figure in a stored notebook fails the tests.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "code"))

COMPARED_IMAGES = ("image/png",)


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        parent = getattr(item, "parent", None)
        skip = getattr(parent, "skip_compare", None)
        if skip is not None and type(parent).__name__ == "IPyNbFile":
            parent.skip_compare = tuple(key for key in skip if key not in COMPARED_IMAGES)
