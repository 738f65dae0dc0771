"""The streaming parts of the pipeline: parsing ahead in a thread."""
from __future__ import annotations

import threading

import pytest

from kg.pipeline import read_ahead


def test_read_ahead_keeps_order_and_ends():
    assert list(read_ahead(iter(range(1000)), size=4)) == list(range(1000))
    assert list(read_ahead(iter([]), size=4)) == []


def test_read_ahead_raises_the_producers_error_after_its_items():
    def items():
        yield 1
        yield 2
        raise ValueError("bad article")

    got = []
    with pytest.raises(ValueError, match="bad article"):
        for item in read_ahead(items(), size=1):
            got.append(item)
    assert got == [1, 2]


def test_closing_read_ahead_stops_the_producer():
    produced = []

    def items():
        for k in range(10_000):
            produced.append(k)
            yield k

    stream = read_ahead(items(), size=2)
    assert next(stream) == 0
    stream.close()  # returns once the producer has stopped: no timer to wait on, even under load
    assert not [t for t in threading.enumerate() if t.name == "kg-parse" and t.is_alive()]
    assert len(produced) < 100  # a few items ahead at most


# --- long articles: parsed in pieces, analysed whole ------------------------------------------
from kg.nlp import pieces  # noqa: E402


@pytest.mark.parametrize("text", [
    "One paragraph.\n\nAnother one here.\n\nA third one, longer than the others.",
    "no breaks at all " * 40,
    "x" * 1000,  # one word longer than a piece: cut anywhere
    "short",
])
def test_pieces_join_back_and_stay_under_the_limit(text):
    parts = pieces(text, limit=64)
    assert "".join(parts) == text
    assert all(0 < len(p) <= 64 for p in parts)


def test_pieces_end_at_paragraphs_where_they_can():
    text = "\n\n".join(f"Paragraph {i} is here." for i in range(20))
    assert all(p.endswith("\n\n") for p in pieces(text, limit=100)[:-1])


@pytest.mark.slow
def test_an_article_longer_than_spacys_limit_is_analysed_whole(nlp, lexicon, monkeypatch):
    """spaCy refuses a text over its max_length (1,000,000 characters by default): kg parses such
    an article in pieces at paragraph breaks and analyses the joined Doc, with the article's
    offsets. The limits are made small here so the test parses a few kilobytes, not a megabyte."""
    import datetime as dt

    import kg.nlp
    from kg.pipeline import extract, extract_many
    from kg.types import Article

    paragraph = ("The Parliament of Freedonia passed the budget law on Friday. "
                 "Prime Minister Rufus Firefly said the law would help.")
    text = "Freedonia\n\n" + "\n\n".join(paragraph.replace("budget", f"budget {i}") for i in range(60))
    monkeypatch.setattr(nlp, "max_length", 3000)
    monkeypatch.setattr(kg.nlp, "PIECE_CHARS", 2000)
    assert len(text) > 2 * nlp.max_length
    with pytest.raises(ValueError, match="E088"):
        nlp(text)  # what happened before: the whole run aborted
    article = Article(text=text, title="Freedonia", date=dt.date(2020, 5, 1))
    bounds, at = [], 0
    for piece in pieces(text):
        bounds.append((at, at + len(piece)))
        at += len(piece)
    assert len(bounds) >= 4
    for extraction in (extract(article, nlp, lexicon), next(extract_many([article], nlp, lexicon))):
        enacted = [f for f in extraction.facts if f.type == "Enact"]
        assert all(text[f.start:f.end] == f.sentence for f in enacted)  # offsets into the whole text
        assert all(any(a <= f.start < b for f in enacted) for a, b in bounds)  # facts from every piece
        assert "passed the budget 59 law" in enacted[-1].sentence
