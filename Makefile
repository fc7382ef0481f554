# Two entry points for a newcomer: `make demo` (main job) and `make test` (whole suite).
# Both build a project-local virtualenv first, from the pins in requirements.txt.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install check-export readme figures

$(BIN)/.installed: requirements.txt settings.ini setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/pip check
	touch $@

install: $(BIN)/.installed

demo: install
	OMP_NUM_THREADS=1 $(BIN)/p2c_demo

# Every table and figure of the paper, on the synthetic world (finished runs in runs/ are reused).
# `make figures EXECUTOR=ray` trains the runs in parallel on a Ray cluster of this machine (p2c.grid).
EXECUTOR ?= local
figures: install
	OMP_NUM_THREADS=1 $(BIN)/p2c_reproduce --executor $(EXECUTOR)

# p2c/ is generated from nbs/: fail when the notebooks would export something else.
check-export: install
	$(BIN)/nbdev_export
	@test -z "$$(git status --porcelain -- p2c)" || { git status --porcelain -- p2c; echo "p2c/ is out of date with nbs/: run nbdev_export and commit"; exit 1; }

# Two pytest workers with one torch thread each fill two cores without oversubscribing them.
test: check-export
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 tests

# README.md is nbs/index.ipynb rendered to Markdown (tests/test_readme.py checks they agree).
readme: install
	$(BIN)/jupyter nbconvert --to markdown nbs/index.ipynb --output-dir . --output README --log-level WARN
