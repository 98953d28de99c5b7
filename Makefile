# The two commands of the README: `make demo` and `make test`. Both create .venv and install the
# pinned dependencies when pyproject.toml or constraints.txt changed (pip, not uv: torch==2.13.0's
# CPU build is a local file only pip finds). --no-compile: Python compiles a module when it is first
# imported and keeps the bytecode, so the thousands of installed modules nothing imports are never
# byte-compiled (half the install's time). That needs bytecode to be written: with PYTHONDONTWRITEBYTECODE
# set (some images set it), every process the two commands start (the CLI, dbt, Dagster, a notebook's
# kernel) would compile dbt, Dagster and torch from source again at every start.
PYTHON ?= python3
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-ledger install clean chromium

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fintra demo

# The page tests render reports in headless Chromium (Debian's package), installed here when missing.
chromium:
	@command -v chromium >/dev/null || { \
		echo "installing Debian chromium (headless page tests)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; }

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench-ledger: $(STAMP)
	$(BIN)/python -m bench.ledger_post

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
