# Two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12+: the first of python3.13, python3.12 (also pyenv's installs) that runs.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12 python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
DEMO_PASSWORD ?= demo-pass-2026
export DEMO_PASSWORD

.PHONY: help run test lint format lock messages clean

help:
	@echo "make run    install, migrate, load demo data, serve web + worker + beat on http://127.0.0.1:$(PORT)/"
	@echo "make test   install test tools, then ruff, check, makemigrations --check, OpenAPI drift, pytest"
	@echo "make lock   re-pin requirements/*.txt from pyproject.toml"
	@echo "make messages  refresh the zh-hans catalogue from the source strings"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (python3.13 or python3.12 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base: requirements/base.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.dev: requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	@touch $@ $(VENV)/.base

run: $(VENV)/.base
	$(MANAGE) compiletranslations
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) serve --port $(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) compiletranslations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml
	diff -u docs/openapi.yaml var/openapi.yaml || { echo "docs/openapi.yaml is stale: run 'make openapi'"; exit 1; }
	$(VENV)/bin/pytest $(PYTEST_ARGS)

openapi: $(VENV)/.dev
	$(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.dev
	$(MANAGE) makemessages --locale zh_Hans --no-obsolete --add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*' --ignore 'tests/*'
	$(MANAGE) makemessages --locale zh_Hans --domain djangojs --no-obsolete --add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*' --ignore 'var/static/*'

lock: $(VENV)/.dev
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes -q -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --universal --python-version 3.12 --generate-hashes -q -o requirements/dev.txt

clean:
	rm -rf $(VENV) var/static var/cache
