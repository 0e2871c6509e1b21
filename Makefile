# Adam from Scratch: every command a reader, a teacher or CI needs.
#   make serve         set up, build the book and serve it on http://127.0.0.1:8000
#   make test          set up and run the whole test suite (unit tests + every notebook with nbval)
#   make book-strict   build the book with warnings as errors and nitpicky references (CI)
#   make browser-test  check the built book, and a live JupyterLab, in headless Chromium (CI)
#   make notebooks     re-execute the chapters in place, storing outputs and widget state (authors)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: venv browser-venv vendor book book-strict serve test browser-test notebooks bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.browser-installed: $(VENV)/.installed requirements-browser.txt
	$(BIN)/python -m pip install --quiet -r requirements-browser.txt
	touch $@

venv: $(VENV)/.installed
browser-venv: $(VENV)/.browser-installed

# MathJax, pinned in package-lock.json
# and served from the book itself (no CDN at reading time).
_vendor/.installed: package.json package-lock.json scripts/vendor_js.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_js.py
	touch $@

vendor: _vendor/.installed

book: venv vendor
	$(BIN)/jupyter-book build . --builder html

book-strict: venv vendor
	rm -rf _build
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going

serve: book
	@echo "Serving the book on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

test: venv
	$(BIN)/python -m pytest

browser-test: browser-venv
	$(BIN)/python -m pytest browser_tests

notebooks: venv
	$(BIN)/python scripts/run_notebooks.py

bench: venv
	$(BIN)/python benchmarks/bench_explorer.py

clean:
	rm -rf _build _vendor node_modules $(VENV)
