# Two commands: `make demo` (install, ingest the sample articles, query, view) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= demo-store

.PHONY: demo test install install-test browser clean readme snapshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

# Debian's Chromium for the browser tests (root or sudo; skipped when it is already there)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

demo: install
	rm -rf $(STORE)
	$(BIN)/kg ingest data/articles --store $(STORE)
	$(BIN)/kg query who-enacted --store $(STORE)
	$(BIN)/kg query who-called-for --store $(STORE)
	$(BIN)/kg query timeline --store $(STORE)
	$(BIN)/kg view -o graph.html --store $(STORE)

test: install-test browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(STORE) graph.html .pytest_cache

readme: install-test
	$(BIN)/cog -r README.md

# what kg extracts from every corpus article, so that a rule change shows as a diff (by hand)
CORPUS ?= ../shared/corpus/wikinews
snapshot: install
	$(BIN)/python snapshot/make_snapshot.py $(CORPUS) > snapshot/wikinews.jsonl
