# Two commands on a fresh machine: `make serve` and `make test`. Both build on `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

.PHONY: install serve demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: install
	$(BIN)/tm demo

serve: demo
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
