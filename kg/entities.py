"""One node per real-world entity across articles.

When an article is ingested, each of its named entities is linked to an entity the store already
knows, or becomes a new one:

1. a user's correction wins: `kg merge A B` makes B's names mean A; `kg split` forbids a link;
2. the same type and name is the same entity (the same key, so the same IRI);
3. otherwise a known entity of the same type whose name matches, if exactly one does. The rules
   are stricter than inside one article, where context makes short names safe: one of the
   names is the same, or an acronym of the other ("UN General Assembly", "United Nations
   General Assembly"), or the new article only ever gives a surname and it is the surname of
   one known person ("Putin" joins "Vladimir Putin"; "Johnson", with two known Johnsons,
   joins neither). "Supreme Court" never joins "Puerto Rico Supreme Court".

A linked entity keeps the IRI and label it first had, so IRIs never change as articles arrive;
the new name becomes one of its other names. Why an entity was linked is recorded in the
article's graph (`kg:EntityLink`), so it can be inspected and undone.

Descriptions ("200 protesters") stay scoped to their article and are never linked.
A link table (`data/links.csv`: type, name, wikidata) adds `owl:sameAs` Wikidata IRIs.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.phrases import fold
from kg.resolve import name_match
from kg.resources import data_file
from kg.store import GraphStore
from kg.types import Entity
from kg.vocab import CLASS_KINDS, ENTITY

WIKIDATA = "http://www.wikidata.org/entity/"
_LOCAL_KEY = re.compile(r"^[0-9a-f]{16}/")
_SAFE_ACROSS_ARTICLES = {"same name", "acronym"}


@dataclass(frozen=True)
class Link:
    """Where one of an article's entities goes: which key (IRI), under which label, and why."""

    key: str
    label: str
    reason: str | None = None  # None: the entity is new, or already known under this very key
    same_as: str | None = None  # a Wikidata IRI from the link table
    kind: str | None = None  # the known entity's kind, which wins over this article's reading


@dataclass
class _Known:
    key: str
    label: str
    kind: str
    names: set[str] = field(default_factory=set)


@dataclass
class EntityIndex:
    """The named entities a store knows, with the corrections users made; grows as articles
    are ingested in one run."""

    known: dict[str, _Known] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    merged_into: dict[str, str] = field(default_factory=dict)  # key -> key it was merged into
    kept_apart: set[tuple[str, str]] = field(default_factory=set)  # (name lower, key)
    wikidata: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name lower) -> QID IRI

    def add(self, key: str, label: str, kind: str, names: set[str]) -> None:
        entry = self.known.setdefault(key, _Known(key, label, kind))
        entry.names |= names | {label}
        for name in entry.names:
            for word in re.findall(r"[\w&]+", fold(name).lower()):
                self.by_word[word].add(key)

    def link(self, entity: Entity) -> Link:
        key = entity.key
        while key in self.merged_into:  # a user's merge applies to descriptions too
            key = self.merged_into[key]
        if entity.local and key == entity.key:
            return Link(entity.key, entity.name)
        names = {entity.name, *entity.aliases}
        if key in self.known:
            reason = None if key == entity.key else "merged by a user"
            known = self.known[key]
            return self._with_wikidata(Link(key, known.label, reason, kind=known.kind), entity)
        matches = {}
        for candidate in self._candidates(entity):
            if any((n.lower(), candidate.key) in self.kept_apart for n in names):
                continue
            reason = self._match(entity, candidate)
            if reason:
                matches[candidate.key] = reason
        if len(matches) == 1:
            (found, reason), = matches.items()
            known = self.known[found]
            return self._with_wikidata(Link(found, known.label, reason, kind=known.kind), entity)
        return self._with_wikidata(Link(entity.key, entity.name), entity)

    def _candidates(self, entity: Entity) -> list[_Known]:
        words = {w for n in (entity.name, *entity.aliases) for w in re.findall(r"[\w&]+", fold(n).lower())}
        keys = set().union(*(self.by_word.get(w, set()) for w in words)) if words else set()
        return [self.known[k] for k in sorted(keys) if self.known[k].kind == entity.type]

    def _surname_unique(self, surname: str, key: str) -> bool:
        others = [self.known[k] for k in self.by_word.get(surname, ()) if k != key]
        return not any(o.kind == "Person" and fold(o.label).lower().split()[-1:] == [surname] for o in others)

    def _match(self, entity: Entity, known: _Known) -> str | None:
        """The new entity's name is compared with the known entity's label. Other names count
        only as acronyms, since short forms ("Supreme Court", "Trump") name many entities."""
        surname_only = len(re.findall(r"[\w&]+", entity.name)) == 1
        if not surname_only and entity.type == "Person" and len(re.findall(r"[\w&]+", known.label)) == 1:
            # a full name joins an entity that was only ever called by this surname ("Biden",
            # then "Joe Biden"), unless another known person has that surname too
            surname = re.findall(r"[\w&]+", fold(entity.name).lower())[-1]
            if fold(known.label).lower() == surname and self._surname_unique(surname, known.key):
                return f"full name of a surname: {entity.name!r} ~ {known.label!r}"
        pairs = [(new, old) for new in (entity.name, *entity.aliases) for old in sorted(known.names)]
        for new, old in pairs:
            why = name_match(new, entity.type, old, known.kind) or name_match(old, known.kind, new, entity.type)
            if (new != entity.name or old != known.label) and why != "acronym":
                continue
            if why in _SAFE_ACROSS_ARTICLES or (why == "surname" and surname_only and new == entity.name
                                                 and len(new) < len(old)):
                return f"{why}: {new!r} ~ {old!r}"
        return None

    def _with_wikidata(self, link: Link, entity: Entity) -> Link:
        for name in (link.label, entity.name, *entity.aliases):
            qid = self.wikidata.get((entity.type, name.lower()))
            if qid:
                return Link(link.key, link.label, link.reason, qid, link.kind)
        return link


def read_link_table(path: Path | None = None) -> dict[tuple[str, str], str]:
    """`type,name,wikidata` rows -> {(type, name lower): Wikidata IRI}; a missing file is empty."""
    path = path or data_file("links.csv")
    if not path.is_file():
        return {}
    table = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            qid = (row.get("wikidata") or "").strip()
            if re.fullmatch(r"Q\d+", qid):
                table[(row["type"].strip(), row["name"].strip().lower())] = WIKIDATA + qid
    return table


_KNOWN = """
SELECT DISTINCT ?e ?label ?class ?alt WHERE {
  GRAPH kg:registry { ?e rdfs:label ?label ; a ?class }
  OPTIONAL { ?e skos:altLabel ?alt }
}"""
_CORRECTIONS = """
SELECT ?s ?p ?o WHERE { GRAPH kg:corrections { ?s ?p ?o } }"""


def load_index(store: GraphStore, link_table: dict[tuple[str, str], str] | None = None) -> EntityIndex:
    """Everything the linker needs from the store, in two queries."""
    index = EntityIndex(wikidata=read_link_table() if link_table is None else link_table)
    names: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, tuple[str, str]] = {}
    prefix = str(ENTITY)
    for e, label, cls, alt in store.query(_KNOWN).rows:
        key = str(e)[len(prefix):] if str(e).startswith(prefix) else None
        kind = CLASS_KINDS.get(str(cls))
        if key is None or kind is None or _LOCAL_KEY.match(key):
            continue
        labels.setdefault(key, (str(label), kind))
        names[key].add(str(label))
        if alt is not None:
            names[key].add(str(alt))
    for key, (label_text, kind) in labels.items():
        index.add(key, label_text, kind, names[key])
    for s, p, o in store.query(_CORRECTIONS).rows:
        s_key = str(s)[len(prefix):] if str(s).startswith(prefix) else None
        if s_key is None:
            continue
        if str(p).endswith("#mergedInto"):
            index.merged_into[s_key] = str(o)[len(prefix):]
        elif str(p).endswith("#keptApartFrom"):
            index.kept_apart.add((str(o).lower(), s_key))
    return index
