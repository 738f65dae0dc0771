"""What kg extracts from every article of a corpus, one JSON line per fact, so that a rule
change shows as a diff in review (`make snapshot` writes both; tests/test_snapshot.py checks them).

    python snapshot/make_snapshot.py ../shared/corpus/wikinews > snapshot/wikinews.jsonl
    python snapshot/make_snapshot.py data/articles > snapshot/samples.jsonl
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.articles import iter_paths, load_path
from kg.cli.ingest import fact_record
from kg.lexicon import load_lexicon
from kg.nlp import load_nlp
from kg.pipeline import extract_many

_SKIP = {"sentence", "start", "end"}  # the trigger and the article already say where


def snapshot(folder: Path) -> Iterator[str]:
    """One JSON line per fact of every article in `folder`, in file order."""
    articles = []
    for path in iter_paths([folder]):
        try:
            articles.extend(load_path(path))
        except Exception:  # not an article (a manifest, an attribution): not ours to snapshot
            continue
    for extraction in extract_many(articles, load_nlp(), load_lexicon()):
        name = Path(extraction.article.source or "-").name
        for fact in extraction.facts:
            record = {k: v for k, v in fact_record(fact).items()
                      if k not in _SKIP and not (k in ("predicate", "quantities") and not v)}  # most facts have none
            yield json.dumps({"article": name, **record}, ensure_ascii=False, sort_keys=False)


if __name__ == "__main__":
    for line in snapshot(Path(sys.argv[1])):
        print(line)
