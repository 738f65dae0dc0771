"""Benchmark of the named queries on a store of about a million triples.

    .venv/bin/python benchmarks/bench_query.py                 # ~1M triples, rdflib included
    .venv/bin/python benchmarks/bench_query.py --triples 300000 --no-rdflib

The store is synthetic but made of real extractions: the Wikinews corpus (../shared/corpus/
wikinews) is ingested once, its N-Quads are copied with every article id re-labelled (so each copy
is a distinct set of articles, events and local entities, while named entities such as
"Donald Trump" are shared across copies, as in real news), and the copies are bulk-loaded.

For each query in queries/*.rq, with its default parameters (entity: name=Trump), it prints the
median latency through kg (parameter binding, pyoxigraph, rdflib terms: what `kg query` does
after opening the store), of the same SPARQL text run directly on pyoxigraph (solutions read,
no conversion), their ratio, and the time rdflib's in-memory store takes for it (one run; in a
child process).
Each side runs in a child process, and a query still running after --limit seconds (60) is
abandoned and reported so.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.articles import load_path
from kg.ingest import ingest
from kg.lexicon import load_lexicon
from kg.nlp import load_nlp
from kg.query import bind, named_queries
from kg.store import open_store
from kg.vocab import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews"
PARAMS = {"entity": {"name": "Trump"}}
_ARTICLE_ID = re.compile(r"(?<=/article/)[0-9a-f]{16}")


def corpus_nquads(corpus: Path, scratch: Path) -> bytes:
    store = open_store(scratch / "corpus")
    try:
        ingest((a for f in sorted(corpus.glob("*.txt")) for a in load_path(f)), store,
               nlp=load_nlp(), lexicon=load_lexicon())
        return store.export("nquads")
    finally:
        store.close()


def replicate(nquads: bytes, copies: int, path: Path) -> ox.Store:
    """`copies` copies of the dataset, article ids re-labelled: the ids are marked once, then
    each copy is one str.replace of the mark (fast), not a regular expression pass per copy."""
    text = nquads.decode("utf-8")
    ids = set(_ARTICLE_ID.findall(text))
    marked = re.sub("|".join(sorted(ids)), lambda m: m[0] + "\x00", text)
    store = ox.Store(str(path))
    for k in range(copies):
        store.bulk_load(marked.replace("\x00", f"c{k}" if k else "").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    return store


def median_time(run, *, repeat: int, budget: float) -> float:
    times: list[float] = []
    while len(times) < repeat and (sum(times) < budget or not times):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def oxigraph_worker(path: str, repeat: int, conn) -> None:
    """Child: open the store through kg, then time each query it is sent through kg and directly."""
    store = open_store(path, read_only=True)
    conn.send(("ready", 0.0, len(store)))
    while (name := conn.recv()) is not None:
        query = named_queries()[name]
        sparql = bind(query, PARAMS.get(name, {}))
        rows = []

        def through_kg() -> None:
            rows[:] = store.query(bind(query, PARAMS.get(name, {}))).rows

        def direct() -> None:
            solutions = store.native.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                for n in names:
                    solution[n]

        direct()  # warm the caches for both
        kg_t, ox_t = median_time(through_kg, repeat=repeat, budget=20), median_time(direct, repeat=repeat, budget=20)
        conn.send(("done", (kg_t, ox_t), len(rows)))


def rdflib_worker(path: str, repeat: int, conn) -> None:
    """Child: load the N-Quads into rdflib's memory store, then time each query it is sent."""
    from rdflib import Dataset

    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    conn.send(("ready", time.perf_counter() - start, len(dataset)))
    while (name := conn.recv()) is not None:
        sparql = bind(named_queries()[name], PARAMS.get(name, {}))
        seconds = median_time(lambda: list(dataset.query(sparql, initNs=PREFIXES)), repeat=repeat, budget=10)
        conn.send(("done", seconds, 0))


def timed(worker, path: Path, names: list[str], repeat: int, limit: float, what: str) -> dict[str, object]:
    """Each query's answer from `worker` (a child process), or a note that it took over `limit`
    seconds: a query cannot be interrupted in-process, so the child is killed and started anew."""
    out: dict[str, object] = {}
    pending = list(names)
    ctx = mp.get_context("spawn")
    while pending:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=worker, args=(str(path), repeat, child), daemon=True)
        process.start()
        _, setup, size = parent.recv()
        if setup:
            print(f"  ({what} loaded {size:,} triples in {setup:.0f} s)")
        while pending:
            name = pending.pop(0)
            parent.send(name)
            if parent.poll(limit):
                out[name] = parent.recv()[1:]
                continue
            out[name] = None
            process.kill()
            break
        else:
            parent.send(None)
        process.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--source", type=Path, help="replicate this kg store instead of ingesting the corpus")
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many triples")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and side (median)")
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a query is abandoned")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-query-"))
    try:
        start = time.perf_counter()
        if args.source:
            source = open_store(args.source, read_only=True)
            nquads = source.export("nquads")
            source.close()
        else:
            nquads = corpus_nquads(args.corpus, scratch)
        one = nquads.count(b"\n")
        copies = max(1, round(args.triples / one))
        native = replicate(nquads, copies, scratch / "big")
        print(f"store: {len(native):,} triples ({copies} copies of the corpus's {one:,}), built in "
              f"{time.perf_counter() - start:.0f} s")
        (scratch / "big.nq").write_bytes(native.dump(format=ox.RdfFormat.N_QUADS))
        del native  # reopened through kg below

        names = list(named_queries())
        fast = timed(oxigraph_worker, scratch / "big", names, args.repeat, args.limit, "kg")
        slow = {} if args.no_rdflib else timed(rdflib_worker, scratch / "big.nq", names, 1, args.limit, "rdflib")
        print(f"{'query':16} {'rows':>6} {'kg':>11} {'pyoxigraph':>11} {'ratio':>6}  {'rdflib (memory)':>15}")
        for name in names:
            over = f"over {args.limit:.0f} s"
            rdflib = slow.get(name, ("not run",))
            rdflib = over if rdflib is None else rdflib[0] if isinstance(rdflib[0], str) else f"{rdflib[0] * 1000:,.0f} ms"
            if fast[name] is None:
                print(f"{name:16} {'':>6} {over:>11} {over:>11} {'':>6}  {rdflib:>15}")
                continue
            (kg_t, ox_t), rows = fast[name]
            print(f"{name:16} {rows:6,} {kg_t * 1000:8,.1f} ms {ox_t * 1000:8,.1f} ms {kg_t / ox_t:6.2f}  {rdflib:>15}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
