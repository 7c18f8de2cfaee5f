# Fieldwork: every target sets up .venv itself (created or refreshed when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test soak bench lint format clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/fieldwork

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

FUZZ_RUNS ?= 100000
FUZZ_TARGETS ?= form expression cases_csv reviews_csv

soak: $(STAMP)
	-$(BIN)/python -m pip install --quiet -e '.[soak]' || echo "atheris unavailable: fuzzing with hypothesis"
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow
	for t in $(FUZZ_TARGETS); do $(BIN)/python -m tests.fuzz $$t $(FUZZ_RUNS) || exit 1; done

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check fieldwork tests bench
	$(BIN)/ruff format --check fieldwork tests bench
	$(BIN)/mypy fieldwork/core

format: $(STAMP)
	$(BIN)/ruff format fieldwork tests bench
	$(BIN)/ruff check --fix fieldwork tests bench

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m fieldwork.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
