# One entry point for set-up, synthesis, tests and checks. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
WHEELS := .build/lambda-wheels
# jsii and the CDK CLI run on the pinned Node.js 22 from package.json, never the machine's node.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
export BC_SKIP_MAPPING := TRUE

.PHONY: setup synth audit test lint check clean demo

setup: $(BIN)/.installed $(CHECKOV_VENV)/.installed node_modules/.installed $(WHEELS)/.downloaded

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-local.txt lambdas/requirements.txt \
		lambdas/requirements-parquet.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps --editable .  # the `mlops` command
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Linux arm64 wheels for the Lambda functions, fetched once so that synthesis itself stays offline.
# The shared layer's and the register function's Parquet layer's (pyarrow) requirements.
$(WHEELS)/.downloaded: lambdas/requirements.txt lambdas/requirements-parquet.txt
	$(BIN)/pip download --quiet --only-binary=:all: --implementation cp --python-version 3.14 \
		--platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 \
		--dest $(WHEELS) -r lambdas/requirements.txt -r lambdas/requirements-parquet.txt
	touch $@

# The whole flow on this machine (no AWS account): push, deploy, approve, traffic, drift.
demo: setup
	$(BIN)/mlops local demo

# Bytecode for the venv's packages, once: a venv built by uv has none (uv compiles nothing unless asked), and with
# PYTHONDONTWRITEBYTECODE set Python never caches it, so every synth recompiled aws_cdk (about 7 s CPU here).
$(BIN)/.bytecode: $(BIN)/.installed
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib
	touch $@

# The CLI straight from node_modules/.bin (on PATH above): npx only adds its own start-up (about 0.5 s).
synth: setup $(BIN)/.bytecode
	cdk synth --quiet
	$(BIN)/python -m mlops_audit cdk.out

audit: synth

# End-to-end tests run on their own: local mode points boto3 at its moto server for the whole session,
# and in-process moto mocks in the other suites would reset that server's state underneath it.
test: setup
	$(BIN)/python -m pytest -n 2 --ignore=tests/e2e
	$(BIN)/python -m pytest tests/e2e

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app.py stacks mlops_config mlops_constructs mlops_audit mlops_manifest mlops_drift mlops_cli mlops_local lambdas scripts

check: lint test synth

clean:
	rm -rf cdk.out .build
