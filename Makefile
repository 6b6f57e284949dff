VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test lint install serve bench bench-web bench-review fuzz model model-check clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PIP) install -q -e .
	touch $(STAMP)

$(TSTAMP): $(STAMP)
	$(PIP) install -q -e '.[test]'
	touch $(TSTAMP)

install: $(STAMP)

# The main job: serve the bundled ledger at http://127.0.0.1:8000
run: $(STAMP)
	$(VENV)/bin/allies status colombia
	$(VENV)/bin/allies members mnna
	$(VENV)/bin/allies serve --host 127.0.0.1 --port 8000

lint: $(TSTAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/mypy

test: $(TSTAMP) lint
	$(VENV)/bin/allies validate
	$(VENV)/bin/pytest

bench: $(TSTAMP)
	$(PY) benchmarks/ledger_speed.py
	$(PY) benchmarks/read_quality.py
	$(PY) benchmarks/read_speed.py
	$(PY) benchmarks/scan_speed.py

# long fuzzing runs: FUZZ_EXAMPLES inputs per target (make test runs a few per target);
# prints the inputs tried and the crashes found, each with a minimal reproducer
FUZZ_EXAMPLES ?= 2000
fuzz: $(TSTAMP)
	ALLIES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest tests/fuzz -p no:cacheprovider -rxXf

# needs wrk (apt-get install wrk) and PyPI access for a throwaway Datasette
bench-web: $(TSTAMP)
	$(PY) benchmarks/web_speed.py

# the review queue: cost against the scan on 1 GB, and replays of the real-news corpora
bench-review: $(TSTAMP)
	$(PY) benchmarks/review_scale.py --mb 1024
	$(PY) benchmarks/replay_real.py

# Retrain the dependency parser from UD English EWT (../shared/treebanks/ud-english-ewt or
# TREEBANK=DIR) into src/allies/data/parser/. About 15-20 minutes on one core; the result is
# committed, so `make test` never retrains.
TREEBANK ?= ../shared/treebanks/ud-english-ewt
model: $(TSTAMP)
	nice -n 19 $(PY) scripts/train_parser.py --treebank $(TREEBANK)

# The shipped parser loads offline and parses (no treebank needed).
model-check: $(TSTAMP)
	$(PY) -c "from allies.read import syntax; p = syntax.parse(['Montenegro joins NATO.'])[0]; print(syntax.model_path(), [(t.text, t.dep, t.head) for t in p.tokens])"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
