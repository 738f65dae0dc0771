"""The plain data that flows through the pipeline: article -> mentions/times -> frames -> events.

Only `kg.rdf` turns these into triples; everything before it works on these frozen dataclasses.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: kg.types stays importable without spaCy or the lexicon
    from spacy.tokens import Token

    from kg.lexicon import Trigger


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
    def headline_end(self) -> int:
        """Where the headline ends in `text` (0 when the text does not start with one)."""
        return len(self.title) if self.title and self.text.startswith(self.title) else 0

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
class TimeBound:
    """What is known of the time of a fact the text does not date: told in the past, it happened
    by the article's date (`latest`); told as still to come ("will meet"), not before it
    (`earliest`)."""

    latest: dt.date | None = None
    earliest: dt.date | None = None


QUANTITY_ROLES = ("by", "to", "from", "amount")  # what words.json's quantity_preps may map a preposition to


@dataclass(frozen=True)
class Quantity:
    """An amount an event states: "fell *3.2%* to *11,234*", "bought X *for $2.1 billion*"."""

    role: str  # by (the change), to (the level reached), from (the level left), amount (a sum, a price)
    value: float
    unit: str | None  # "percent", an ISO 4217 currency code ("USD"), or None for a bare number
    text: str  # the words in the sentence


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
    via: str = "name"  # how the entity was found: name, pronoun, description, own (kg.resolve.Resolution)
    contested: bool = False  # another entity of its kind was nearly as likely

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
    bound: TimeBound | None = None  # when `time` is None: what the article's date says of it
    confidence: float = 0.5
    asserted: bool = True  # False for events that are only the content of a call, hope, plan
    mentions: tuple[tuple[int, int], ...] = field(default=())  # every (start, end) merged in
    predicate: str | None = None  # a generic event's verb lemma ("own"); None for a typed event
    quantities: tuple[Quantity, ...] = ()  # the amounts it states (kg.quantities)

    def role(self, name: str) -> Argument | None:
        return getattr(self, name)


@dataclass(frozen=True)
class Mention:
    """A named mention in a parsed article (`kg.mentions`); `kg.resolve` groups them into entities."""

    start: int  # token indices into the Doc, end exclusive
    end: int
    text: str
    kind: str  # Person, Organization, Place, Group, Event, Legislation, CreativeWork, Thing
    sent_start: int  # token index where the mention's sentence starts

    def covers(self, token: Token) -> bool:
        return self.start <= token.i < self.end


@dataclass(frozen=True)
class Participants:
    """What fills each role of a frame (`kg.referents`): an entity, a text, or nobody."""

    agent: Argument | None = None
    theme: Argument | None = None
    recipient: Argument | None = None
    place: Argument | None = None


@dataclass(frozen=True)
class Frame:
    """One reading of a trigger word: the lexicon entry it is read as and what fills its roles,
    as the event stages find them in turn. Each stage fills only its own fields (the rest stay
    as it found them); token fields are indices into the article's Doc.

    A frame whose `entry` is None is a word the lexicon lists whose participants fit none of its
    entries ("passed the ball": "pass" is Enact only for laws, bills, budgets...), or a speech
    verb that names a source ("as reported by"): it gives no event, but it is still a trigger, so
    a date on it dates it and not the verb above, and a verb it governs is its content, not a
    fact. Merging happens after the stages (`kg.facts`): one real event may be several frames.
    """

    # kg.frames
    trigger: int  # the trigger word
    entry: Trigger | None = None
    agent: int | None = None  # the head word of each role's filler, if any
    theme: int | None = None
    recipient: int | None = None
    place: int | None = None
    governor: int | None = None  # the trigger whose xcomp this one is: "urged X to *repeal*" -> urged
    # kg.referents
    participants: Participants = Participants()
    # kg.modality
    asserted: bool = False
    # kg.anchoring
    time: TimeExpr | None = None
    bound: TimeBound | None = None  # for an undated frame: before or after the article's date


@dataclass(frozen=True)
class Extraction:
    """What one article says: its facts and the entities and times it mentions, and which
    extractor and lexicon read it (`kg.pipeline.extractor_name`)."""

    article: Article
    facts: tuple[Event, ...]  # asserted, merged: what the article says happened
    entities: tuple[Entity, ...]  # every named entity the article mentions
    times: tuple[TimeExpr, ...]
    extractor: str

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
    return short_hash(article.content_hash)


def short_hash(content_hash: str) -> str:
    """An article's id: enough of its content hash to tell any two articles apart."""
    return content_hash[:16]


@dataclass(frozen=True)
class Link:
    """Where one of an article's entities goes: which key (IRI), under which label, and why."""

    key: str
    label: str
    reason: str | None = None  # None: the entity is new, or already known under this very key
    same_as: str | None = None  # a Wikidata IRI from the link table
    kind: str | None = None  # the known entity's kind, which wins over this article's reading
