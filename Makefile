# Pilot Scorecard. Every target creates .venv itself on first use (Python >= 3.11 as python3).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck pytest serve benchmarks translations screenshot migration demo-data clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## Run the demo: SQLite in .bsc/, demo data, http://127.0.0.1:8050
	$(BIN)/bsc demo

test: lint typecheck pytest  ## Everything CI checks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

serve: $(STAMP)  ## Serve with gunicorn on DATABASE_URL (run `bsc init` first)
	$(BIN)/bsc serve

benchmarks: $(STAMP)  ## Benchmarks, printing JSON
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

translations: $(STAMP)  ## Add new user-facing strings to bsc/i18n/zh_TW.po for translation
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k Text --no-location --sort-output \
		-o $(VENV)/messages.pot kpi strategy_maps bsc dashboard
	$(BIN)/pybabel update -i $(VENV)/messages.pot -o bsc/i18n/zh_TW.po -l zh_Hant_TW \
		--no-fuzzy-matching --ignore-obsolete --width 100

screenshot: $(STAMP)  ## Refresh docs/screenshot.png from the running demo data
	$(BIN)/python -m docs.screenshot

migration: $(STAMP)  ## New Alembic migration from the models: make migration M="what changed"
	$(BIN)/python -c 'import sys; from bsc.migrate import new_revision; print(new_revision(sys.argv[1]))' "$(M)"

demo-data: $(STAMP)  ## Regenerate data/demo deterministically
	$(BIN)/python -m data.generate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
