# The two commands a newcomer needs: `make demo` and `make test`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
POSTGRESQL_URL ?= postgres://postgres@127.0.0.1:5432/test

# Development settings; production sets DJANGO_DEBUG=false and a secret key.
export DJANGO_DEBUG ?= true

.PHONY: install demo test test-postgresql lint format bench-import bench-api

$(VENV)/installed.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/installed.stamp

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest

test-postgresql: install
	DATABASE_URL=$(POSTGRESQL_URL) $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-import: install
	$(BIN)/python bench/import.py --orders 20000

bench-api: install
	$(BIN)/python bench/api.py --orders 30000
