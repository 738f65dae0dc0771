"""The plain data that flows through the pipeline: article -> mentions/times -> events.

Only `kg.rdf` turns these into triples; everything before it works on these frozen dataclasses.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


def source_name(source: str | None, record: str | None = None) -> str:
    """Where an article came from, as messages name it: `a.jsonl, line 4`, `<stdin>`."""
    name = "<stdin>" if source in (None, "-") else source
    return f"{name}, {record}" if record else name


@dataclass(frozen=True)
class Article:
    """One news article as loaded from a file, stdin or a URL.

    `text` is what is analysed: the headline, a blank line, then the body, so that character
    offsets in facts point into exactly this string.
    """

    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None  # where it was read from (a path, "-" for stdin)
    notes: tuple[str, ...] = ()  # things the loader had to assume (e.g. "decoded as cp1252")
    record: str | None = None  # which record of a file of several ("line 4", "record 3")

    @property
    def name(self) -> str:
        """How messages name it: the file, and the record for one of several in a file."""
        return source_name(self.source, self.record)

    @property
    def content_hash(self) -> str:
        """Identity of the article: the same text, title and date always give the same hash."""
        key = "\x1f".join([self.title or "", self.date.isoformat() if self.date else "", self.text])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TimeExpr:
    """A TIMEX3 time expression found in text: `value` is normalised against the document date."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value: 2013, 2013-10, 2013-11-04, 2013-W45, P3D, PRESENT_REF, ...


@dataclass(frozen=True)
class Entity:
    """A participant in an event, as resolved within one article.

    `key` is stable across articles (type + normalised canonical name) and becomes the entity IRI.
    """

    key: str
    name: str
    type: str  # Person, Organization, Place, Group, Legislation, CreativeWork, Event, Thing
    aliases: tuple[str, ...] = ()
    local: bool = False  # a description ("200 protesters") that only this article's key may name


@dataclass(frozen=True)
class Argument:
    """What fills one role of an event: an entity, or just a text when it is no entity."""

    text: str  # the words in the sentence
    entity: Entity | None = None
    event: Event | None = None  # an embedded event that is the theme (Call -> Repeal)

    @property
    def name(self) -> str:
        return self.entity.name if self.entity else self.text


@dataclass(frozen=True)
class Event:
    """One fact: who did what to whom, when and where, with the evidence it came from."""

    type: str
    trigger: str  # the word(s) that signal the event ("enacted", "called on")
    sentence: str
    start: int  # character offsets of the sentence in Article.text
    end: int
    agent: Argument | None = None
    theme: Argument | None = None
    recipient: Argument | None = None
    place: Argument | None = None
    time: TimeExpr | None = None
    confidence: float = 0.5
    asserted: bool = True  # False for events that are only the content of a call, hope, plan
    mentions: tuple[tuple[int, int], ...] = field(default=())  # every (start, end) merged in

    def role(self, name: str) -> Argument | None:
        return getattr(self, name)
