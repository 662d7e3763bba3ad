# factcheck: `make demo` runs the sample report, `make test` runs the tests.
# Both create and fill .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml plugins/factcheck-quotes/pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e plugins/factcheck-quotes
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/factcheck check rules/libya.fc --sources 'seeds/*.txt'; test $$? -le 1

test: $(STAMP)  # import contracts and mypy (pyproject.toml), then every test (`pytest -m "not nlp" tests`: the fast inner loop)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -q tests

bench: $(STAMP)  # N=200 and 2,000; `make bench BENCH_ARGS=--full` adds 10,000
	$(BIN)/python bench/scale.py $(BENCH_ARGS)
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(VENV) .factcheck .pytest_cache .mypy_cache .hypothesis *.egg-info plugins/*/*.egg-info
