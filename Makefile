# One entry point for set-up, synthesis, tests and checks. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
WHEELS := .build/lambda-wheels
TOOLS := .build/tools
UV := $(TOOLS)/bin/uv
# jsii and the CDK CLI run on the pinned Node.js 22 from package.json, never the machine's node.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
export BC_SKIP_MAPPING := TRUE

.PHONY: setup setup-demo setup-steps synth audit test lint check clean demo

# Set-up in parallel: uv first (it builds the venvs), then the venvs, npm and the Lambda wheels side by side.
# Each step's output is printed together when it ends (-Otarget); a failing step fails make.
SETUP_DEMO := $(BIN)/.installed node_modules/.installed $(WHEELS)/.downloaded $(BIN)/.bytecode
SETUP_ALL := $(SETUP_DEMO) $(CHECKOV_VENV)/.installed

setup:
	@$(MAKE) --no-print-directory -j4 -Otarget setup-steps STEPS="$(SETUP_ALL)"

# What the demo needs: everything but the checkov venv, which only the infrastructure tests use.
setup-demo:
	@$(MAKE) --no-print-directory -j4 -Otarget setup-steps STEPS="$(SETUP_DEMO)"

setup-steps: $(STEPS)
	@:

$(UV): requirements-bootstrap.txt
	rm -rf $(TOOLS)
	$(PYTHON) -m pip install -qq --disable-pip-version-check --target $(TOOLS) -r requirements-bootstrap.txt
	touch $@

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-local.txt lambdas/requirements.txt \
		lambdas/requirements-parquet.txt pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-dev.txt --editable .  # + the `mlops` command
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(CHECKOV_VENV)
	$(UV) pip install --quiet --compile-bytecode --python $(CHECKOV_VENV)/bin/python -r requirements-checkov.txt
	touch $@

# Bytecode for what synthesis and local mode import (uv compiles nothing; see the script). Synthesis's
# modules start jsii, so they wait for npm; local mode's do not.
$(BIN)/.bytecode: $(BIN)/.bytecode-synth $(BIN)/.bytecode-local
	touch $@

$(BIN)/.bytecode-synth: $(BIN)/.installed node_modules/.installed scripts/warm_bytecode.py
	$(BIN)/python scripts/warm_bytecode.py synth
	touch $@

$(BIN)/.bytecode-local: $(BIN)/.installed scripts/warm_bytecode.py
	$(BIN)/python scripts/warm_bytecode.py local
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Linux arm64 wheels for the Lambda functions, fetched once so that synthesis itself stays offline.
# The shared layer's and the register function's Parquet layer's (pyarrow) requirements. The venv's
# pinned pip downloads them, as it installs them at synthesis (mlops_constructs/local_bundling.py);
# -qq because this machine's pip configuration may name index locations that do not exist.
$(WHEELS)/.downloaded: lambdas/requirements.txt lambdas/requirements-parquet.txt | $(BIN)/.installed
	$(BIN)/python -m pip download -qq --only-binary=:all: --implementation cp --python-version 3.14 \
		--platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 \
		--dest $(WHEELS) -r lambdas/requirements.txt -r lambdas/requirements-parquet.txt
	touch $@

# The whole flow on this machine (no AWS account): push, deploy, approve, traffic, drift.
demo: setup-demo
	$(BIN)/mlops local demo

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
	$(BIN)/mypy app.py stacks mlops_config mlops_constructs mlops_audit mlops_manifest mlops_drift mlops_cli mlops_local lambdas scripts mlops_contract mlops_training mlops_api

check: lint test synth

clean:
	rm -rf cdk.out .build
