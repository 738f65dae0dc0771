# Two commands: `make demo` (install, ingest the sample articles, query, view) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# the default store, so that the README's tour works right after `make demo`
STORE  ?= kg-store

# The locks: exact versions with hashes of everything installed (and of hatchling, the build backend,
# with editables, which its editable install needs),
# resolved from pyproject.toml for every platform and Python >= 3.10 by `make lock`.
# tests/test_install.py fails when pyproject.toml and the locks disagree.
LOCK      := requirements/lock.txt
TEST_LOCK := requirements/lock-test.txt
UV_VERSION := 0.13.8
# the oldest Python the locks cover (pyproject.toml's requires-python): they fork where a package
# dropped an old Python, with environment markers that pip follows
LOCK_PYTHON := 3.10
# `make lock` takes the newest versions pyproject.toml allows; `make lock UPGRADE=` keeps the
# locked ones that still fit (after adding or changing a dependency)
UPGRADE   ?= --upgrade

.PHONY: demo test install install-test lock browser clean readme snapshot screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# exactly the locked versions (a fresh venv's own pip, 23.x, is enough), then kg itself from this
# folder: no dependency of its own (they are all in the lock), no isolated build (hatchling is too).
# --no-deps because the lock is already complete: pip 23.2's resolver, asked to resolve it again,
# takes the newest release for a dependency named with an extra (weasel's smart-open[http]) and then
# refuses it as unpinned; the tests run `pip check` on the result.
install: $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

# refresh the locks from pyproject.toml (needs PyPI and Python >= 3.11; uv, pinned above, is
# installed into the venv). The test lock is the runtime lock plus the test extra.
lock: $(BIN)/python
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"
	mkdir -p requirements
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | { cat; echo editables; } \
	  | $(BIN)/uv pip compile --quiet --universal --python-version $(LOCK_PYTHON) --generate-hashes $(UPGRADE) \
	      --custom-compile-command "make lock" - pyproject.toml -o $(LOCK)
	$(BIN)/uv pip compile --quiet --universal --python-version $(LOCK_PYTHON) --generate-hashes $(UPGRADE) \
	  --custom-compile-command "make lock" $(LOCK) pyproject.toml --extra test -o $(TEST_LOCK)

# Debian's Chromium for the browser tests (root or sudo; skipped when it is already there)
# A failed install (no root, a half-installed package) does not stop `make test`: the browser
# tests skip themselves without /usr/bin/chromium, and this says so.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; } \
	|| echo "note: could not install Debian's chromium (needs root or sudo): the browser tests will be skipped"

demo: install
	rm -rf $(STORE)
	$(BIN)/kg ingest data/articles --store $(STORE)
	$(BIN)/kg query who-enacted --store $(STORE)
	$(BIN)/kg query who-called-for --store $(STORE)
	$(BIN)/kg query timeline --store $(STORE)
	$(BIN)/kg view -o graph.html --store $(STORE)

test: install-test browser
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(STORE) graph.html .pytest_cache

readme: install-test
	$(BIN)/cog -r data/ontology.ttl README.md

# the README's pictures of kg view's explorer, from the sample articles
screenshots: install-test browser
	$(BIN)/python docs/screenshots.py

# what kg extracts from every corpus article and every sample, so that a rule change shows as a
# diff in review (tests/test_snapshot.py fails until this is run)
CORPUS ?= ../shared/corpus/wikinews
snapshot: install
	$(BIN)/python snapshot/make_snapshot.py $(CORPUS) > snapshot/wikinews.jsonl
	$(BIN)/python snapshot/make_snapshot.py data/articles > snapshot/samples.jsonl
