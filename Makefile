# The two commands a reader needs: `make book` and `make test` (see README.md).
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
CACHE := $(BUILD)/.jupyter_cache

# Tools and kernels come from the project's virtual environment.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: book test lint format sync words install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Chapters missing from the execution cache run first, one kernel per core
# (genrebench.book.execute); Jupyter Book then reads them from the cache.
# A failed build drops Sphinx's environment: otherwise the next run would not
# re-read the failing pages and would pass with their old outputs.
book: $(STAMP)
	$(BIN)/python -m genrebench.book.cache $(CACHE) --also $(BUILD)/.doctrees
	$(BIN)/python -m genrebench.book.execute $(CACHE)
	@mkdir -p figures
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --quiet \
		|| { rm -rf $(BUILD)/.doctrees; exit 1; }
	@echo "Book: $(abspath $(BUILD))/html/index.html"

# The suite runs the smoke protocol (tests/conftest.py): the strict build of a copy of the
# book first, on every core, then the tests on every core, one worker per core and one test
# file per worker at a time, in collection order (not largest file first); the files that
# read the book come last.
test: $(STAMP) lint
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Copy the registered figures' captions into the chapters, then regenerate each
# notebooks/*.ipynb from its .py twin (the .py is the source).
sync: $(STAMP)
	$(BIN)/python -m genrebench.book.figindex notebooks
	$(BIN)/jupytext --sync notebooks/*.py

# Prose words per page of the built book (text outside code cells; see genrebench.book.words).
words: $(STAMP)
	$(BIN)/python -m genrebench.book.words $(BUILD)/html

clean:
	rm -rf $(BUILD) figures .pytest_cache
