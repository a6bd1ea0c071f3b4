# One command per job. Everything installs into local virtualenvs; nothing is needed by hand.
PYTHON ?= python3
VENV := .venv
DEMO_VENVS := .venv-target-jsonl/.installed .venv-dbt/.installed

.PHONY: demo test lint sandbox bench bench-memory bench-pacing bench-outage bench-contrary bench-dbt meltano clean

$(VENV)/.installed: setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# target-jsonl pins singer-python 5.8, so it lives in a virtualenv of its own; dbt (with dbt-duckdb) too
$(DEMO_VENVS) &: dbt/requirements.txt
	PYTHON=$(PYTHON) bash scripts/pipelines-setup.sh --demo

demo: $(VENV)/.installed $(DEMO_VENVS)  ## sandbox -> sync every stream -> target-jsonl, and DuckDB -> dbt build -> the answers
	PYTHON=$(PYTHON) bash scripts/demo.sh

test: $(VENV)/.installed  ## the whole suite, real targets, PostgreSQL and Meltano included
	PYTHON=$(PYTHON) bash scripts/pipelines-setup.sh
	$(VENV)/bin/python -m pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check tap_kustomer tests
	$(VENV)/bin/ruff format --check tap_kustomer tests

bench: $(VENV)/.installed  ## CPU, memory and requests against tap-kustomer 1.1.0 and a floor client
	$(VENV)/bin/python benchmarks/bench.py

bench-memory: $(VENV)/.installed  ## peak RSS syncing 30,000 and 300,000 customers
	$(VENV)/bin/python benchmarks/bench.py --skip-compare --memory 30000,300000

bench-pacing: $(VENV)/.installed  ## throughput against a search budget of 100 per 30 s window
	$(VENV)/bin/python benchmarks/pacing.py

bench-outage: $(VENV)/.installed  ## a 2-minute outage mid-sync in real time: waited out; then one past max_retry_seconds
	$(VENV)/bin/python benchmarks/outage.py
	$(VENV)/bin/python benchmarks/outage.py --budget 60

bench-contrary: $(VENV)/.installed  ## requests and outcomes of a full run under each contrary switch, and all
	$(VENV)/bin/python benchmarks/contrary_requests.py

bench-dbt: $(VENV)/.installed  ## dbt build of dbt/ on PostgreSQL and DuckDB at 1x, 10x, 100x and 1,000x the sandbox's conversations
	PYTHON=$(PYTHON) bash scripts/pipelines-setup.sh
	$(VENV)/bin/python benchmarks/dbt_build.py

meltano: $(VENV)/.installed  ## meltano install + meltano run tap-kustomer target-jsonl against the sandbox
	PYTHON=$(PYTHON) bash scripts/pipelines-setup.sh
	$(VENV)/bin/python -m pytest -q tests/test_meltano.py

sandbox: $(VENV)/.installed  ## run the local fake Kustomer API on 127.0.0.1:8765
	$(VENV)/bin/python -m tap_kustomer.sandbox --port 8765 --config-out sandbox_config.json

clean:
	rm -rf .venv .venv-* .demo *.egg-info meltano/.meltano meltano/output
