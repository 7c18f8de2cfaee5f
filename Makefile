# Fieldwork: every target sets up .venv itself (created or refreshed when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test soak bench lint format clean screenshots desktop-libs system-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

# Qt's xcb (X11) platform needs these on Debian/Ubuntu; installed when missing and we can.
DESKTOP_LIBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0

desktop-libs:
	@if [ "$$(uname)" = Linux ] && command -v dpkg-query >/dev/null; then \
	  missing=$$(for p in $(DESKTOP_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq $$missing >/dev/null || { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }; \
	    else echo "Qt needs: sudo apt-get install $$missing"; fi; \
	  fi; \
	fi

run: $(STAMP) desktop-libs
	$(BIN)/fieldwork

# What the tests use beyond Python (age, poppler-utils, Qt's offscreen libraries):
# installed when missing and we can, else one `apt-get install` line and a stop.
system-packages:
	@sh tools/system-packages.sh

test: system-packages $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

FUZZ_RUNS ?= 100000
FUZZ_TARGETS ?= form expression cases_csv reviews_csv bundle

# The slow window tests (tests/ui: 100,000 key presses of review work) run under a real X
# server (Xvfb, Qt's xcb platform) when xvfb-run is installed, else offscreen.
XVFB_RUN := xvfb-run -a -s "-screen 0 1600x1000x24"

soak: $(STAMP) desktop-libs
	-$(BIN)/python -m pip install --quiet -e '.[soak]' || echo "atheris unavailable: fuzzing with hypothesis"
	@if command -v xvfb-run >/dev/null 2>&1; then \
	  echo "soak: window tests under Xvfb (QT_QPA_PLATFORM=xcb)"; \
	  QT_QPA_PLATFORM=xcb $(XVFB_RUN) $(BIN)/python -m pytest -q -m slow tests/ui; \
	else \
	  echo "soak: xvfb-run not installed (apt-get install xvfb): window tests offscreen"; \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow tests/ui; \
	fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow --ignore=tests/ui
	for t in $(FUZZ_TARGETS); do $(BIN)/python -m tests.fuzz $$t $(FUZZ_RUNS) || exit 1; done

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='*.warning=false' $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check fieldwork tests bench tools
	$(BIN)/ruff format --check fieldwork tests bench tools
	$(BIN)/mypy fieldwork

format: $(STAMP)
	$(BIN)/ruff format fieldwork tests bench tools
	$(BIN)/ruff check --fix fieldwork tests bench tools

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots_interop docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots_moderation docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots_evidence docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots_words docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
