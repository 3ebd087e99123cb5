# Operator interface: see README.md. Needs only python3 >= 3.11 on the PATH.
VENV := .venv
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: setup run test lint typecheck unit services bench clean

setup: $(VENV)/.synced

# Bytecode is compiled here, once: without it every `finetune` command (and every test
# subprocess) compiles its imports again whenever PYTHONDONTWRITEBYTECODE is set or the
# environment is read-only, which costs seconds (bench/README.md, CLI startup).
$(VENV)/.synced: pyproject.toml uv.lock Makefile
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install -q --disable-pip-version-check "uv>=0.4"
	$(UV) sync --frozen --inexact --quiet --compile-bytecode
	@$(PY) -m compileall -q src > /dev/null
	@touch $@

run: setup
	$(VENV)/bin/finetune serve --demo

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	$(VENV)/bin/pytest -q

# The test matrix's second leg: the API and database tests again on PostgreSQL + Redis (a
# database and key prefix of their own, dropped afterwards), plus the multi-process scale-out
# and fault tests. Skips with one message when those servers are unreachable, unless
# FINETUNE_REQUIRE_SERVICES=1 (as in .ci/run).
SERVICE_TESTS := tests/api tests/dashboard tests/accounts tests/test_db.py tests/scaleout
services: setup
	FINETUNE_TEST_BACKEND=postgres $(VENV)/bin/pytest -q $(SERVICE_TESTS)

test: lint typecheck unit services

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
