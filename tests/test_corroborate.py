"""kg:sameEventAs: two reports are linked only when a reader would call them one happening."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.corroborate import MAX_SPAN_DAYS_NAMED, _named_theme, _themes_match, _times_match


def event(begin: str | None = None, end: str | None = None, theme: str | None = None, text: str | None = None) -> dict:
    return {"begin": dt.date.fromisoformat(begin) if begin else None, "end": dt.date.fromisoformat(end or begin) if begin else None,
            "theme": theme, "text": text}


STOP = frozenset({"the", "a", "of"})


@pytest.mark.parametrize("a, b, linked", [
    (event("2020-03-13"), event("2020-03-13"), True),
    (event("2020-03-09", "2020-03-15"), event("2020-03-13"), True),  # a week and a day in it
    (event("2020-03-13"), event("2020-10-02"), False),
    (event("2020-03-13"), event(), False),  # an undated fact links to nothing
    (event(), event(), False),
    (event("2019-01-01", "2019-12-31"), event("2019-02-15"), False),  # "in 2019" is no evidence
])
def test_times_must_be_explicit_narrow_and_overlap(a, b, linked):
    assert _times_match(a, b) is linked


def test_a_year_ties_two_reports_only_with_one_named_theme():
    """"Apple launched the iTunes Music Store in 2003", told in two articles: one launch; but
    a description is no named theme, and two themes are not one."""
    store = "https://w3id.org/kg-news/entity/organization/itunes-music-store"
    a, b = event("2003-01-01", "2003-12-31", theme=store), event("2003-04-28", theme=store)
    assert _named_theme(a, b) and _times_match(a, b, MAX_SPAN_DAYS_NAMED)
    assert not _times_match(a, b)  # without the named theme, a year is no evidence
    local = "https://w3id.org/kg-news/entity/0123456789abcdef/thing/store"
    assert not _named_theme(event(theme=local), event(theme=local))
    assert not _named_theme(event(theme=store), event(theme=store + "-uk"))


@pytest.mark.parametrize("a, b, linked", [
    (event(theme="kge:law"), event(theme="kge:law"), True),
    (event(text="the repeal of the law"), event(text="repeal of law"), True),
    (event(text="he"), event(text="he will not approve a budget that does not fund the wall"), False),
    (event(text="responsibility for the attack"), event(), False),
    (event(), event(), True),  # "X resigned", "X resigns": the time decides
])
def test_themes_must_agree(a, b, linked):
    assert _themes_match(a, b, STOP) is linked


def test_reports_of_one_happening_are_linked_and_others_not(tmp_path, nlp, lexicon):
    from kg.ingest import ingest
    from kg.store import open_store
    from kg.types import Article

    def article(text: str, day: int) -> Article:
        return Article(text=text, date=dt.date(2021, 5, day), source=f"story-{day}-{len(text)}.txt")

    store = open_store(str(tmp_path / "s"))
    try:
        ingest([article("Local news\n\nJohn Smith resigned as mayor of Springfield on Monday.", 4)], store,
               nlp=nlp, lexicon=lexicon)
        ingest([article("Local news\n\nJohn Smith resigned as mayor of Springfield on Monday, reports said.", 5),
                article("Local news\n\nJohn Smith resigned as mayor of Springfield.", 6),
                article("Local news\n\nJohn Smith resigned as mayor of Springfield on May 20.", 21)], store,
               nlp=nlp, lexicon=lexicon)
        rows = store.query("SELECT ?a ?b WHERE { ?a kg:sameEventAs ?b }").rows
    finally:
        store.close()
    assert len(rows) == 1  # the same Monday; not the undated report, not the one of May 20
