"""Benchmark of memory: peak RSS while ingesting 10,000 articles (the limit is 1.5 GB).

    .venv/bin/python benchmarks/bench_memory.py                      # 10,000 articles, 2 processes
    .venv/bin/python benchmarks/bench_memory.py --articles 1000 --jobs 1

The articles are the Wikinews corpus (../shared/corpus/wikinews/*.txt) over and over, each copy
with a line of its own at the end so that every article has its own hash and is analysed and
stored. They are made one at a time by a generator and go through `kg.ingest.ingest` (the library:
the CLI command is being made to stream separately), so a flat RSS shows that ingest streams.
RSS is sampled every half second, for this process and for the whole tree (spaCy's worker
processes with --jobs > 1); it is printed every 1,000 articles, then the peaks.
At about 2,500 words/s per process this takes a while: 10,000 articles are 3.6 million words.
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from kg.articles import load_path
from kg.ingest import ingest
from kg.lexicon import load_lexicon
from kg.nlp import load_nlp
from kg.store import open_store
from kg.types import Article

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews"
LIMIT = 1.5 * 1024**3
MB = 1024**2


def synthetic(corpus: Path, count: int) -> Iterator[Article]:
    bases = [a for f in sorted(corpus.glob("*.txt")) for a in load_path(f)]
    for i in range(count):
        base = bases[i % len(bases)]
        # no URL: articles with the same URL are versions of one, each replacing the one before
        yield dataclasses.replace(base, text=f"{base.text}\n\nSynthetic copy {i}.", url=None,
                                  source=f"synthetic/{i:05d}.txt")


class Sampler(threading.Thread):
    """Peak RSS of this process and of it with its children, sampled in the background."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.me = psutil.Process()
        self.peak_self = self.peak_tree = 0
        self.running = True

    def sample(self) -> tuple[int, int]:
        own = self.me.memory_info().rss
        tree = own
        for child in self.me.children(recursive=True):
            try:
                tree += child.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        self.peak_self, self.peak_tree = max(self.peak_self, own), max(self.peak_tree, tree)
        return own, tree

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--every", type=int, default=1000, help="print RSS every N articles")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    sampler = Sampler()
    own, _ = sampler.sample()
    print(f"start: {own / MB:,.0f} MB; {args.articles:,} articles, jobs {args.jobs}")
    nlp, lexicon = load_nlp(), load_lexicon()
    sampler.start()
    done = 0
    start = time.perf_counter()

    def progress(article: Article) -> None:
        nonlocal done
        done += 1
        if done % args.every == 0:
            own, tree = sampler.sample()
            print(f"{done:6,} articles  {time.perf_counter() - start:6.0f} s  RSS {own / MB:6,.0f} MB "
                  f"(with workers {tree / MB:6,.0f} MB)", flush=True)

    store = open_store(scratch / "kg-store")
    try:
        report = ingest(synthetic(args.corpus, args.articles), store, nlp=nlp, lexicon=lexicon,
                        n_process=args.jobs, on_article=progress)
        triples = len(store)
    finally:
        store.close()
    sampler.running = False
    seconds = time.perf_counter() - start
    disk = sum(f.stat().st_size for f in (scratch / "kg-store").rglob("*") if f.is_file())
    print(f"ingest: {report.summary()}")
    print(f"time {seconds:,.0f} s ({args.articles / seconds:.1f} articles/s); store {triples:,} triples, "
          f"{disk / MB:,.0f} MB on disk")
    verdict = "ok" if sampler.peak_tree < LIMIT else "OVER the 1.5 GB limit"
    print(f"peak RSS: {sampler.peak_self / MB:,.0f} MB this process, {sampler.peak_tree / MB:,.0f} MB with "
          f"spaCy's workers ({verdict})")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
