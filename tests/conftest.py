from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "articles"
SOCHI = SAMPLES / "sochi-2013-11-09.md"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def lexicon():
    from kg.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def facts_of(nlp, lexicon):
    """Facts of a text written for a test, dated 2019-06-14 unless said otherwise."""
    from kg.pipeline import extract
    from kg.types import Article

    def run(text: str, date: dt.date = dt.date(2019, 6, 14)):
        return list(extract(Article(text=text, date=date), nlp, lexicon).facts)

    return run


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, nlp, lexicon):
    """A store with the shipped sample articles ingested (shared by read-only tests)."""
    from kg.articles import iter_paths, load_path
    from kg.ingest import ingest
    from kg.store import open_store

    path = tmp_path_factory.mktemp("store") / "kg-store"
    articles = [a for p in iter_paths([SAMPLES]) for a in load_path(p)]
    store = open_store(path)
    ingest(articles, store, nlp=nlp, lexicon=lexicon)
    store.close()
    return path
