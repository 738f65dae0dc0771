"""Article in, facts out: the whole analysis for one article (or a stream of them).

    Article -> spaCy Doc -> time expressions + named mentions -> resolver -> events -> merged facts
"""
from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg import timex
from kg.events import extract_events, merge_events
from kg.lexicon import Lexicon, load_lexicon
from kg.mentions import find_mentions
from kg.nlp import load_nlp
from kg.resolve import Resolver
from kg.types import Article, Entity, Event, TimeExpr

EXTRACTOR_VERSION = "kg-extract/1"
T = TypeVar("T")


@dataclass(frozen=True)
class Extraction:
    article: Article
    facts: tuple[Event, ...]  # asserted, merged: what the article says happened
    entities: tuple[Entity, ...]  # every named entity the article mentions
    times: tuple[TimeExpr, ...]

    def participants(self) -> list[Entity]:
        """Every entity a fact involves, descriptions included, each once (by key)."""
        found: dict[str, Entity] = {e.key: e for e in self.entities}
        stack = list(self.facts)
        while stack:
            event = stack.pop()
            for role in ("agent", "theme", "recipient", "place"):
                arg = event.role(role)
                if arg is not None and arg.entity is not None:
                    found.setdefault(arg.entity.key, arg.entity)
                if arg is not None and arg.event is not None:
                    stack.append(arg.event)
        return list(found.values())


def article_id(article: Article) -> str:
    return article.content_hash[:16]


def analyse(article: Article, doc: Doc, lexicon: Lexicon) -> Extraction:
    """The facts of one article from its parsed Doc (pure: no I/O, no model loading)."""
    dct = article.date or dt.date.today()
    times = timex.tag(article.text, dct)
    mentions = find_mentions(doc, lexicon)
    resolver = Resolver(doc=doc, mentions=mentions, lexicon=lexicon, scope=article_id(article))
    events = extract_events(doc, lexicon, resolver, times)
    facts = merge_events(events, lexicon)
    return Extraction(article=article, facts=tuple(facts), entities=tuple(resolver.entities()), times=tuple(times))


def extract(article: Article, nlp: Language | None = None, lexicon: Lexicon | None = None) -> Extraction:
    nlp = nlp or load_nlp()
    return analyse(article, nlp(article.text), lexicon or load_lexicon())


def extract_many(articles: Iterable[Article], nlp: Language | None = None, lexicon: Lexicon | None = None,
                 *, n_process: int = 1, batch_size: int = 8) -> Iterator[Extraction]:
    """Stream articles through `nlp.pipe`, so parsing is batched (and parallel with n_process > 1).

    With one process, spaCy parses ahead in a thread while the caller's thread analyses (and
    stores) the articles already parsed: the parser's matrix products run without the GIL, so
    the two overlap on a second core. `articles` is then consumed in that thread."""
    nlp = nlp or load_nlp()
    lexicon = lexicon or load_lexicon()
    pairs = ((a.text, a) for a in articles)
    parsed = nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size)
    if n_process == 1:
        parsed = read_ahead(parsed, size=2 * batch_size)
    for doc, article in parsed:
        yield analyse(article, doc, lexicon)


_END = object()


def read_ahead(items: Iterator[T], size: int) -> Iterator[T]:
    """The items of `items`, produced by a background thread up to `size` ahead of the consumer.
    An exception in the producer is raised here; closing this generator stops the producer."""
    buffer: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, which raises it
            put(_Failure(exc))

    worker = threading.Thread(target=produce, name="kg-parse", daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not _END:
            if isinstance(item, _Failure):
                raise item.exc
            yield item
    finally:
        stop.set()


@dataclass(frozen=True)
class _Failure:
    exc: BaseException
