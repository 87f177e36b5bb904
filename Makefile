# The casebook's two set-up-and-go commands:
#   make run    create the locked environment, execute every notebook, write build/index.html
#   make test   create the locked environment, lint, check notebooks are stripped, run pytest
# Both only need Python 3.11+ and make; uv itself is installed from PyPI into .tools/.

PYTHON ?= python3
VENV ?= .venv
TOOLS ?= .tools
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
ARGS ?=

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export MPLBACKEND := Agg

.PHONY: setup run test lint lab bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --extra dev --compile-bytecode --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced  ## create .venv exactly as uv.lock pins it

run: setup  ## execute the whole curriculum headlessly; report in build/index.html
	$(VENV)/bin/casebook run $(ARGS)

lint: setup  ## ruff (lint + format) and nbstripout, through pre-commit's local hooks
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

test: setup lint  ## lint, then unit tests, doctests and the fast notebook smoke test
	$(VENV)/bin/pytest $(ARGS)

# Kernels draw a learner's plt.show() inline (headless targets keep MPLBACKEND=Agg);
# jupyter-config/ switches off the news prompt and update checks, which want the internet.
lab: setup  ## open the notebooks in JupyterLab; ARGS go to `jupyter lab` (e.g. --port=8899)
	MPLBACKEND=module://matplotlib_inline.backend_inline \
	JUPYTER_CONFIG_PATH="$(abspath jupyter-config)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
