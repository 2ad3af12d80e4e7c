# Two commands do all the set-up on a fresh machine:
#   make demo   - virtual environment, install, build the demo index from datasets/demo, score the seed case
#   make test   - install the test extras (and headless Chromium where apt is available), run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_INDEX := datasets/demo/demo.sqlite

.PHONY: demo test test-all install install-dev system-deps benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,notebook,spark,fast]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	rm -f $(DEMO_INDEX) $(DEMO_INDEX)-wal $(DEMO_INDEX)-shm
	$(BIN)/detector index add $(DEMO_INDEX) datasets/demo/pages
	$(BIN)/detector score datasets/demo/pages/botasot.html datasets/demo/pages/balkanweb.html \
		datasets/demo/pages/kyivpost.html --index $(DEMO_INDEX) --format table

system-deps:
	bash scripts/system-deps.sh

test: $(VENV)/.installed-dev system-deps
	$(BIN)/python -m pytest

test-all: $(VENV)/.installed-dev system-deps
	$(BIN)/python -m pytest -m ''

clean:
	rm -rf $(VENV) $(DEMO_INDEX) $(DEMO_INDEX)-wal $(DEMO_INDEX)-shm .pytest_cache
