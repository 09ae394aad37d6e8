# Two entry points, both self-installing: `make demo` and `make test` (see README).
VENV ?= .venv
PYTHON ?= python3
# The catalog tests run a second time on the system's PostgreSQL (15 here; 16 is pgserver's).
CATALOG_TESTS = tests/introspect/test_introspect.py tests/test_snapshot.py tests/introspect/test_view_lineage.py tests/lineage/test_lineage.py \
	tests/introspect/test_partitioned_fks.py tests/introspect/test_inheritance.py tests/plan/test_observe.py tests/introspect/test_routine_identity.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

.PHONY: demo test install
install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/schemadocs demo

test: $(VENV)/.installed
	$(VENV)/bin/pytest -n auto --dist loadfile --no-loadscope-reorder --durations=25
	SCHEMADOCS_EMBEDDED=system $(VENV)/bin/pytest -q -n auto --dist loadfile $(CATALOG_TESTS)
