"""Benchmark of bulk ingest: kg's whole pipeline beside spaCy's bare `nlp.pipe` on the same texts.

    .venv/bin/python benchmarks/bench_ingest.py                    # embedded store, 1 process
    .venv/bin/python benchmarks/bench_ingest.py --jobs 2
    .venv/bin/python benchmarks/bench_ingest.py --store http://127.0.0.1:7878/query   # a server

The corpus is ../shared/corpus/wikinews/*.txt. "bare" is `spacy.load(MODEL).pipe(texts)` with the
same model, batch size and process count, consuming every Doc; "kg" is `kg.ingest.ingest` from
reading the files to the last article committed to the store (kg's news-adapted tokenizer and
sentence rule, analysis, RDF, store writes). Both run with the model already loaded; the best of
--repeat runs of each counts. The target is kg <= 1.25x bare. The time of the whole `kg ingest`
command (interpreter and model start-up included) is printed too, once.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from kg.articles import load_path
from kg.ingest import ingest
from kg.lexicon import load_lexicon
from kg.nlp import DEFAULT_MODEL, load_nlp
from kg.rdf import article_iri
from kg.store import is_endpoint, open_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews"
TARGET = 1.25


def bare(texts: list[str], model: str, jobs: int) -> float:
    nlp = spacy.load(model)
    list(nlp.pipe(texts[:2]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=jobs, batch_size=8):
        pass
    return time.perf_counter() - start


def pipeline(files: list[Path], store_location: str, model: str, jobs: int) -> tuple[float, str]:
    nlp, lexicon = load_nlp(model), load_lexicon()
    list(nlp.pipe(["Warm up."]))
    start = time.perf_counter()
    articles = (a for f in files for a in load_path(f))
    store = open_store(store_location)
    try:
        report = ingest(articles, store, nlp=nlp, lexicon=lexicon, n_process=jobs)
    finally:
        store.close()
    return time.perf_counter() - start, report.summary()


def fresh(store: str, files: list[Path]) -> None:
    """Empty the store of this corpus's articles, so that every run writes all of them."""
    if is_endpoint(store):
        server = open_store(store)
        for iri in {article_iri(a) for f in files for a in load_path(f)}:
            server.remove_graph(iri)
    else:
        shutil.rmtree(store, ignore_errors=True)


def whole_command(files: list[Path], store: str, model: str, jobs: int) -> float:
    fresh(store, files)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "ingest", *map(str, files), "--store", store, "--jobs", str(jobs),
                    "--model", model],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--jobs", type=int, default=1, help="processes for nlp.pipe (both sides)")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--store", help="a SPARQL endpoint URL (default: a fresh embedded store)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    files = sorted(args.corpus.glob("*.txt"))
    texts = [a.text for f in files for a in load_path(f)]
    words = sum(len(t.split()) for t in texts)
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store = args.store or str(scratch / "kg-store")
    print(f"corpus: {len(texts)} articles, {words:,} words; model {args.model}; jobs {args.jobs}; "
          f"store {'server ' + store if args.store else 'embedded'}; {os.cpu_count()} CPUs")

    bare_times, kg_times = [], []
    for _ in range(args.repeat):  # alternate, so that a slow spell of the machine hits both
        bare_times.append(bare(texts, args.model, args.jobs))
        fresh(store, files)
        seconds, summary = pipeline(files, store, args.model, args.jobs)
        kg_times.append(seconds)
    b, k = min(bare_times), min(kg_times)
    print(f"kg ingest: {summary}")
    for name, t in (("bare nlp.pipe", b), ("kg pipeline", k)):
        print(f"{name:14} {t:7.2f} s  {words / t:8,.0f} words/s  {len(texts) / t:6.2f} articles/s")
    verdict = "ok" if k / b <= TARGET else f"above the {TARGET}x target"
    print(f"ratio kg / bare: {k / b:.2f} ({verdict}); runs: bare {', '.join(f'{t:.2f}' for t in bare_times)}, "
          f"kg {', '.join(f'{t:.2f}' for t in kg_times)}")
    print(f"whole `kg ingest` command (start-up and model load included): {whole_command(files, store, args.model, args.jobs):.2f} s")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
