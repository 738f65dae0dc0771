"""One node per real-world entity across articles.

When an article is ingested, each of its named entities is linked to an entity the store already
knows, or becomes a new one:

1. a user's correction wins: `kg merge A B` makes B's names mean A; `kg split` forbids a link;
2. the entity's kind is read from all the mentions of its name, not from the model's label in
   one article: a name the store has used for a Person in more articles than for this
   article's kind, this article included, is read as a Person ("Biden", tagged a place in one
   article, is the Person the store knows by that name);
3. the same kind and name is the same entity (the same key, so the same IRI);
4. otherwise a known entity of that kind whose name matches, if exactly one does (or, for the
   rules that can only name one entity, the best attested of several). Matches, strongest first:
   - the same name once written alike: "U.S." and "US", "Biden's" and "Biden";
   - the same country (ISO 3166-1, from pycountry): "US", "U.S.", "USA", "United States",
     "United States of America", "America" (a place or an organisation, never a person);
   - the same company without its legal form or a company word (data/names.json): "Apple",
     "Apple Inc." and "Apple Computer" (but not "Apple Corps");
   - an acronym or initialism of the other name: "GM" and "General Motors", "UN General
     Assembly" and "United Nations General Assembly";
   - a person's surname, when the new article only ever gives the surname ("Putin" joins
     "Vladimir Putin"), or its plural ("the Trumps"); when several known people have the
     surname, the one the store has called by it alone, in at least two articles and four
     times as many as all the others ("Johnson", used for two known Johnsons, joins neither);
   - a full name joins an entity only ever called by its surname, in at least two articles,
     unless another known person has that surname too.
   The rules are stricter than inside one article, where context makes short names safe: other
   names count only as acronyms or countries, and the end of a name never joins ("Supreme
   Court" never joins "Puerto Rico Supreme Court").
5. when the store holds one entity twice (two of its names were new in one article, or were
   stored by older rules), a name of the less attested node goes to the better attested one.

A linked entity keeps the IRI and label it first had, so IRIs never change as articles arrive;
the new name becomes one of its other names. Why an entity was linked is recorded in the
article's graph (`kg:EntityLink`), so it can be inspected and undone. `candidates` lists the
likely duplicates these rules did not join, for a user to merge (`kg entity --candidates`).

Descriptions ("200 protesters") stay scoped to their article and are never linked.
A link table (`data/links.csv`: type, name, wikidata) adds `owl:sameAs` Wikidata IRIs.
"""
from __future__ import annotations

import csv
import functools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.phrases import fold, slug
from kg.resolve import name_match
from kg.resources import data_file
from kg.store import GraphStore
from kg.types import Entity, Link
from kg.vocab import CLASS_KINDS, ENTITY

WIKIDATA = "http://www.wikidata.org/entity/"
_LOCAL_KEY = re.compile(r"^[0-9a-f]{16}/")
_COUNTRY_KINDS = frozenset({"Place", "Organization"})
# the rules, strongest first; the first three only ever find the same entity under two names, so
# several entities they find are duplicates of one another, and the best attested is taken
_RANK = {"same name": 0, "same country": 1, "corporate suffix": 2, "acronym": 3,
         "surname": 4, "plural of a surname": 4, "full name of a surname": 4}
_DUPLICATES_RANK = 2
# a surname several known people have goes to the one the store has called by it alone in at
# least this many articles, and this many times as many as all the others together
_SURNAME_MIN_ARTICLES = 2
_SURNAME_DOMINANCE = 4


# -- names ----------------------------------------------------------------------------------------
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}(?!\w)")  # "U.S.", "U.K.", "D.C."
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b|(?<=\ws)['\u2019](?!\w)")  # "Biden's", "the Bidens'"


@functools.lru_cache(maxsize=65536)
def name_words(text: str) -> tuple[str, ...]:
    """The words of a name as they are compared: accents folded, dotted initials closed up
    ("U.S." -> "US"), possessives and "the" dropped."""
    text = _POSSESSIVE.sub("", _DOTTED.sub(lambda m: m.group(0).replace(".", ""), fold(text)))
    return tuple(w for w in re.findall(r"[\w&]+", text) if w.lower() != "the")


def norm(text: str) -> str:
    """A name as it is compared: "The U.S.'s" and "US" are both "us"."""
    return " ".join(w.lower() for w in name_words(text))


@dataclass(frozen=True)
class NameData:
    """What data/names.json says about names, and the countries pycountry knows."""

    suffixes: frozenset[str]  # corporate legal forms and company words, lower case, without dots
    skips: frozenset[str]  # words an initialism leaves out ("of": USA)
    countries: dict[str, str]  # a country's name, normalised -> ISO 3166-1 alpha-2
    country_initials: dict[str, str]  # "USA", "UK", "UAE" -> alpha-2

    def bare(self, text: str) -> str:
        """A company's name without its legal form and words like "Computer" ("Apple Computer,
        Inc." -> "apple"), or "" when it ends with none."""
        words = [w.lower() for w in name_words(text)]
        stripped = False
        while len(words) > 1 and words[-1] in self.suffixes:
            words.pop()
            stripped = True
        return " ".join(words) if stripped else ""

    def initialisms(self, words: tuple[str, ...]) -> set[str]:
        """What a name of several words is written as in capitals: all its initials, and those of
        the words an initialism keeps ("United States of America": USOA, USA). A word already in
        capitals stays whole ("US Air Force": USAF)."""
        if len(words) < 2:
            return set()
        def initial(w: str) -> str:
            return w if w.isupper() and len(w) <= 4 else w[0].upper()
        found = {"".join(initial(w) for w in words),
                 "".join(initial(w) for w in words if w.lower() not in self.skips)}
        return {f for f in found if len(f) >= 2}

    def country(self, text: str) -> str | None:
        """The ISO 3166-1 alpha-2 code of the country a name names, or None."""
        words = name_words(text)
        if len(words) == 1 and words[0].isupper() and words[0] in self.country_initials:
            return self.country_initials[words[0]]
        return self.countries.get(" ".join(w.lower() for w in words))


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'AEIOU' else 'a'} {kind}"


def is_acronym(text: str) -> bool:
    """One word in capitals, 2 to 6 letters: "GM", "U.S.", "NATO"."""
    words = name_words(text)
    return len(words) == 1 and words[0].isupper() and words[0].isalpha() and 2 <= len(words[0]) <= 6


@functools.lru_cache(maxsize=1)
def name_data(path: Path | None = None) -> NameData:
    raw = json.loads((path or data_file("names.json")).read_text(encoding="utf-8"))
    suffixes = frozenset(norm(s) for s in raw["corporate_suffixes"] + raw.get("company_words", []))
    skips = frozenset(w.lower() for w in raw["initialism_skips"])
    data = NameData(suffixes, skips, {}, {})
    names: dict[str, set[str]] = defaultdict(set)
    initials: dict[str, set[str]] = defaultdict(set)
    for code, forms in _country_names(raw.get("country_aliases", {})).items():
        for form in forms:
            names[norm(form)].add(code)
            for initialism in data.initialisms(name_words(form)):
                initials[initialism].add(code)
    # a name or initialism two countries share ("Korea", "Congo", "SA") names neither
    data.countries.update({n: next(iter(c)) for n, c in names.items() if len(c) == 1 and n})
    data.country_initials.update({i: next(iter(c)) for i, c in initials.items()
                                  if len(c) == 1 and i.lower() not in names})
    return data


def _country_names(aliases: dict[str, list[str]]) -> dict[str, set[str]]:
    """Each country's names: pycountry's name, official and common names, ISO's inverted forms
    read both ways ("Korea, Republic of" -> "Republic of Korea" and "Korea"), without a
    parenthesis ("Holy See (Vatican City State)" -> "Holy See"), and the aliases of names.json."""
    import pycountry  # ISO 3166-1: 249 countries, read when a name is first compared

    found: dict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        code = country.alpha_2
        for form in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)):
            if not form:
                continue
            form = re.sub(r"\s*\([^)]*\)", "", form).strip()
            found[code].add(form)
            if "," in form:
                head, tail = (part.strip() for part in form.split(",", 1))
                found[code] |= {head, f"{tail} {head}"}
    for code, names in aliases.items():
        found[code.upper()] |= set(names)
    return found


# -- the index ------------------------------------------------------------------------------------
@dataclass
class _Known:
    key: str
    label: str
    kind: str
    names: set[str] = field(default_factory=set)
    articles: int = 0  # how many articles mention it


@dataclass(frozen=True)
class Candidate:
    """Two entities that are likely one, which the linking rules did not join."""

    keep: str  # the key to keep (the better attested)
    other: str
    reason: str
    rank: int  # the rule's strength: lower first


@dataclass
class EntityIndex:
    """The named entities a store knows, with the corrections users made; grows as articles
    are ingested in one run."""

    known: dict[str, _Known] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    merged_into: dict[str, str] = field(default_factory=dict)  # key -> key it was merged into
    kept_apart: set[tuple[str, str]] = field(default_factory=set)  # (name lower, key)
    wikidata: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name lower) -> QID IRI
    # how many articles used each name (normalised) for each entity: the evidence for a name's kind
    uses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_norm: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_bare: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_country: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: NameData = field(default_factory=name_data)
    _new_kinds: dict[str, str] = field(default_factory=dict)  # new keys linked under a re-read kind

    def add(self, key: str, label: str, kind: str, names: set[str], articles: int = 1) -> None:
        """One more article mentions `key` (created if new) under `names`."""
        if key not in self.known:
            kind = self._new_kinds.pop(key, kind)
        entry = self.known.setdefault(key, _Known(key, label, kind))
        entry.articles += articles
        for name in names | {label}:
            self._name(entry, name)
        for name in names:
            self.uses[norm(name)][key] += articles

    def _name(self, entry: _Known, name: str) -> None:
        if name in entry.names:
            return
        entry.names.add(name)
        key, words = entry.key, name_words(name)
        self.by_norm[norm(name)].add(key)
        for word in words:
            self.by_word[word.lower()].add(key)
        for initialism in self.names.initialisms(words):
            self.by_initials[initialism].add(key)
        bare = self.names.bare(name)
        if bare:
            self.by_bare[bare].add(key)
        code = self.names.country(name)
        if code:
            self.by_country[code].add(key)

    def _followed(self, key: str) -> str:
        seen = {key}
        while key in self.merged_into and self.merged_into[key] not in seen:  # a user's merge
            key = self.merged_into[key]
            seen.add(key)
        return key

    def _apart(self, entity: Entity, key: str) -> bool:
        return any((n.lower(), key) in self.kept_apart for n in (entity.name, *entity.aliases))

    def link(self, entity: Entity) -> Link:
        key = self._followed(entity.key)  # a user's merge applies to descriptions too
        if entity.local and key == entity.key:
            return Link(entity.key, entity.name)
        if key in self.known and key != entity.key:
            known = self.known[key]
            return self._with_wikidata(Link(key, known.label, "merged by a user", kind=known.kind), entity)
        kind, why_kind = self.reading(entity)
        own = key if kind == entity.type else self._followed(f"{kind.lower()}/{slug(entity.name)}")
        if own in self.known and (own == entity.key or not self._apart(entity, own)):
            better = self._better_duplicate(entity, kind, own)
            if better:
                found, reason = better
                known = self.known[found]
                return self._with_wikidata(Link(found, known.label, reason, kind=known.kind), entity)
            known = self.known[own]
            return self._with_wikidata(Link(own, known.label, why_kind, kind=known.kind), entity)
        chosen = self._choose(entity, self._matches(entity, kind))
        if chosen:
            found, reason = chosen
            known = self.known[found]
            reason = f"{reason}; {why_kind}" if why_kind else reason
            return self._with_wikidata(Link(found, known.label, reason, kind=known.kind), entity)
        if kind != entity.type:  # a new entity, of the kind its name has elsewhere
            self._new_kinds[own] = kind
            return self._with_wikidata(Link(own, entity.name, why_kind, kind=kind), entity)
        return self._with_wikidata(Link(entity.key, entity.name), entity)

    def _better_duplicate(self, entity: Entity, kind: str, own: str) -> tuple[str, str] | None:
        """When the store holds one entity twice (two of its names were new in one article, or
        were stored by older rules), a name of the less attested goes to the better attested:
        the store converges on one node, and `candidates` offers to merge the other."""
        matches = {k: why for k, why in self._matches(entity, kind, identity_only=True).items()
                   if k != own and _RANK[why[0]] <= _DUPLICATES_RANK}
        if not matches:
            return None
        top = max(sorted(matches), key=lambda k: self.known[k].articles)
        if self.known[top].articles <= self.known[own].articles:
            return None
        return top, (f"{matches[top][1]} (the better attested of two entities for one: "
                     f"{self.known[top].articles} articles to {self.known[own].articles})")

    def reading(self, entity: Entity) -> tuple[str, str | None]:
        """The kind of the entity by all the mentions of its name: this article's reading, unless
        the store has used the name for another kind in more articles than for this one, this
        article counted; and why, when that is not this article's reading."""
        tally: Counter[str] = Counter({entity.type: 1})
        name = norm(entity.name)
        if name not in self.uses and " " not in name and name.endswith("s"):
            name = name[:-1]  # "the Bidens" is read as "Biden" is, unless it is a name of its own
        for key, n in self.uses.get(name, Counter()).items():
            if key in self.known and not self._apart(entity, key):
                tally[self.known[key].kind] += n
        kind, n = max(tally.items(), key=lambda kv: (kv[1], kv[0] == entity.type, kv[0]))
        if kind == entity.type or n <= tally[entity.type]:
            return entity.type, None
        return kind, (f"kind: {entity.name!r} names {_a(kind)} in {n} article(s), "
                      f"{_a(entity.type)} in {tally[entity.type]}")

    def _candidate_keys(self, entity: Entity, identity_only: bool = False) -> set[str]:
        """The known entities worth comparing with: those sharing a word, an initialism, a name
        without corporate suffix or a country with one of the entity's names (with
        `identity_only`, only the last two and the same name written alike)."""
        keys: set[str] = set()
        for name in (entity.name, *entity.aliases):
            words = name_words(name)
            for form in {norm(name), self.names.bare(name)} - {""}:
                keys |= self.by_norm.get(form, set()) | self.by_bare.get(form, set())
            code = self.names.country(name)
            if code:
                keys |= self.by_country.get(code, set())
            if identity_only:
                continue
            for word in words:
                keys |= self.by_word.get(word.lower(), set())
                if word.lower().endswith("s") and len(words) == 1:  # "Trumps": the Trumps
                    keys |= self.by_word.get(word.lower()[:-1], set())
            if is_acronym(name):
                keys |= self.by_initials.get(words[0], set())
            for initialism in self.names.initialisms(words):  # "General Motors": a known "GM"
                keys |= self.by_norm.get(initialism.lower(), set())
        return keys

    def _matches(self, entity: Entity, kind: str, identity_only: bool = False) -> dict[str, tuple[str, str]]:
        """The known entities the rules find for an entity read as `kind`: key -> (rule, why)."""
        found: dict[str, tuple[str, str]] = {}
        for key in sorted(self._candidate_keys(entity, identity_only)):
            known = self.known[key]
            if self._apart(entity, key):
                continue
            why = self._match(entity, kind, known)
            if why:
                found[key] = why
        return found

    def _match(self, entity: Entity, kind: str, known: _Known) -> tuple[str, str] | None:
        """Why `known` is the entity, by the strongest rule that says so, or None. The new name
        is compared with the known entity's label; other names count only as acronyms and
        countries, since short forms ("Supreme Court", "Trump") name many entities."""
        name, label = entity.name, known.label
        countries = kind in _COUNTRY_KINDS and known.kind in _COUNTRY_KINDS
        if known.kind != kind and not countries:
            return None
        if known.kind == kind and norm(name) == norm(label):
            return "same name", f"same name: {name!r} ~ {label!r}"
        if countries:
            for new in (name, *entity.aliases):
                code = self.names.country(new)
                for old in sorted(known.names) if code else ():
                    if self.names.country(old) == code:
                        return "same country", f"same country ({code}): {new!r} ~ {label!r}"
        if known.kind != kind:
            return None
        if kind == "Organization":
            bare = self.names.bare(name) or norm(name)
            if bare == (self.names.bare(label) or norm(label)) and norm(name) != norm(label):
                return "corporate suffix", f"corporate suffix: {name!r} ~ {label!r}"
        if kind == "Person":
            return self._person_match(entity, known)
        for new in (name, *entity.aliases):
            for old in sorted(known.names):
                # a known acronym names the entity the new name spells out only when it is that
                # entity's own label: "AU", another name of the African Union, is no "American
                # University"
                if self._acronym(new, old) or (self._acronym(old, new) and (old == label or not is_acronym(old))):
                    return "acronym", f"acronym: {new!r} ~ {old!r}"
        return None

    def _acronym(self, short: str, long: str) -> bool:
        if is_acronym(short) and name_words(short)[0] in self.names.initialisms(name_words(long)):
            return True
        a, b = " ".join(name_words(short)), " ".join(name_words(long))
        return name_match(a, "Organization", b, "Organization") == "acronym"

    def _person_match(self, entity: Entity, known: _Known) -> tuple[str, str] | None:
        words = [w.lower() for w in name_words(entity.name)]
        label = [w.lower() for w in name_words(known.label)]
        if not words or not label:
            return None
        if len(words) == 1 and len(label) > 1:
            if label[-1] == words[0]:
                return "surname", f"surname: {entity.name!r} ~ {known.label!r}"
            if words[0].endswith("s") and label[-1] == words[0][:-1] and not self.uses.get(words[0]):
                return "plural of a surname", f"plural of a surname: {entity.name!r} ~ {known.label!r}"
        if len(words) > 1 and label == words[-1:] and known.articles >= _SURNAME_MIN_ARTICLES \
                and self._surname_unique(words[-1], known.key):
            # a full name joins an entity that was only ever called by this surname ("Biden",
            # then "Joe Biden"), unless another known person has that surname too, or that
            # entity is one article's ("Chan", read from "Prayuth Chan-o-cha", is no Tanya Chan)
            return "full name of a surname", f"full name of a surname: {entity.name!r} ~ {known.label!r}"
        return None

    def _surname_unique(self, surname: str, key: str) -> bool:
        others = [self.known[k] for k in self.by_word.get(surname, ()) if k != key]
        return not any(o.kind == "Person" and [w.lower() for w in name_words(o.label)][-1:] == [surname]
                       for o in others)

    def _choose(self, entity: Entity, matches: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
        if not matches:
            return None
        rank = min(_RANK[rule] for rule, _ in matches.values())
        best = sorted(k for k, (rule, _) in matches.items() if _RANK[rule] == rank)
        if len(best) == 1:
            return best[0], matches[best[0]][1]
        if rank <= _DUPLICATES_RANK:  # one entity the store holds twice: the better attested
            top = max(best, key=lambda k: (self.known[k].articles, [-ord(c) for c in k]))
            return top, matches[top][1]
        if all(matches[k][0] in ("surname", "plural of a surname") for k in best):
            surname = norm(entity.name)
            if matches[best[0]][0] == "plural of a surname":
                surname = surname[:-1]
            used = {k: self.uses.get(surname, Counter()).get(k, 0) for k in best}
            top = max(best, key=lambda k: used[k])
            rest = sum(used.values()) - used[top]
            if used[top] >= _SURNAME_MIN_ARTICLES and used[top] >= _SURNAME_DOMINANCE * rest:
                others = ", ".join(f"{self.known[k].label!r} in {used[k]}" for k in best if k != top)
                return top, (f"{matches[top][1]} (called so alone in {used[top]} article(s); "
                             f"{others})")
        return None

    def _with_wikidata(self, link: Link, entity: Entity) -> Link:
        kind = link.kind or entity.type
        for name in (link.label, entity.name, *entity.aliases):
            qid = self.wikidata.get((kind, name.lower()))
            if qid:
                return Link(link.key, link.label, link.reason, qid, link.kind)
        return link

    # -- likely duplicates ----------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        """Pairs of entities the store holds apart that are likely one, strongest reason first,
        then the better attested: one name read as two kinds; matches the linking rules would
        make now (the same name written alike, the same country, a company's legal form, an
        acronym) that the order of articles or a competitor blocked; a name that is the surname
        of exactly one known person, and less attested than that person."""
        found: dict[tuple[str, str], Candidate] = {}

        def propose(a: str, b: str, rank: int, reason: str) -> None:
            if a == b or self._followed(a) == self._followed(b) or self._kept_apart(a, b):
                return
            keep, other = sorted((a, b), key=self._attested, reverse=True)
            pair = (min(keep, other), max(keep, other))
            if pair not in found or found[pair].rank > rank:
                found[pair] = Candidate(keep, other, reason.format(keep=self.known[keep], other=self.known[other]),
                                        rank)

        entries = [e for k, e in sorted(self.known.items()) if k not in self.merged_into]
        by_norm: dict[str, list[_Known]] = defaultdict(list)
        for entry in entries:
            by_norm[norm(entry.label)].append(entry)
        for group in by_norm.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    propose(a.key, b.key, 0, "same name, read as " + (
                        "{keep.kind} in {keep.articles} article(s) and as {other.kind} in {other.articles}"
                        if a.kind != b.kind else "{keep.kind} twice: {other.label!r} ~ {keep.label!r}"))
        for entry in entries:
            probe = Entity(key=entry.key, name=entry.label, type=entry.kind)
            for key in sorted(self._candidate_keys(probe)):
                other = self.known[key]
                if key == entry.key or key in self.merged_into:
                    continue
                why = self._match(probe, entry.kind, other)
                if why and _RANK[why[0]] < _RANK["surname"]:
                    propose(entry.key, key, _RANK[why[0]], why[1].replace("{", "{{").replace("}", "}}"))
        for entry in entries:
            if any(entry.key in pair for pair in found):
                continue  # a stronger reason already pairs it
            person = self._only_person_with_surname(entry)
            if person is not None and entry.articles <= person.articles:
                plural = norm(entry.label) != name_words(person.label)[-1].lower()
                propose(person.key, entry.key, _RANK["surname"],
                        ("plural of the surname" if plural else "surname") + " of exactly one known person" +
                        ("" if entry.kind == "Person" else f", read as {_a(entry.kind)}") +
                        ": {other.label!r} ~ {keep.label!r}")
        return sorted(found.values(), key=lambda c: (c.rank, -min(self.known[c.keep].articles,
                                                                  self.known[c.other].articles),
                                                     -self.known[c.keep].articles, c.keep, c.other))

    def _only_person_with_surname(self, entry: _Known) -> _Known | None:
        """The one known person of several words whose surname is this one-word name (or its
        plural), if exactly one has it."""
        words = name_words(entry.label)
        if len(words) != 1 or entry.kind not in ("Person", "Organization", "Place", "Group"):
            return None
        word = words[0].lower()
        for surname in (word, word[:-1] if word.endswith("s") and not self.uses.get(word[:-1]) else None):
            if not surname:
                continue
            people = [self.known[k] for k in sorted(self.by_word.get(surname, ()))
                      if k != entry.key and k not in self.merged_into and self.known[k].kind == "Person"
                      and len(name_words(self.known[k].label)) > 1
                      and name_words(self.known[k].label)[-1].lower() == surname]
            if people:
                return people[0] if len(people) == 1 else None
        return None

    def _attested(self, key: str) -> tuple:
        entry = self.known[key]
        return (entry.articles, entry.kind == "Person", len(name_words(entry.label)), [-ord(c) for c in key])

    def _kept_apart(self, a: str, b: str) -> bool:
        return any((n.lower(), b) in self.kept_apart for n in self.known[a].names) or any(
            (n.lower(), a) in self.kept_apart for n in self.known[b].names)

    def handle(self, key: str) -> str:
        """What names the entity for `kg merge`: its label when no other entity has that name,
        else its IRI."""
        label = self.known[key].label
        taken = any(k != key and label.lower() in {n.lower() for n in e.names} for k, e in self.known.items())
        return str(ENTITY[key]) if taken else label


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
SELECT ?e ?label ?class WHERE { GRAPH kg:registry { ?e rdfs:label ?label ; a ?class } }"""
_MENTIONED = """
SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e kg:mentionedIn ?a } GROUP BY ?e"""
_OTHER_NAMES = """
SELECT ?e ?alt (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e skos:altLabel ?alt } } GROUP BY ?e ?alt"""
_CORRECTIONS = """
SELECT ?s ?p ?o WHERE { GRAPH kg:corrections { ?s ?p ?o } }"""


def load_index(store: GraphStore, link_table: dict[tuple[str, str], str] | None = None) -> EntityIndex:
    """Everything the linker needs from the store, in four queries: the entities, how many
    articles mention each, the other names articles gave them (and how many), corrections."""
    index = EntityIndex(wikidata=read_link_table() if link_table is None else link_table)
    prefix = str(ENTITY)

    def key_of(term) -> str | None:
        text = str(term)
        key = text[len(prefix):] if text.startswith(prefix) else None
        return None if key is None or _LOCAL_KEY.match(key) else key

    labels: dict[str, tuple[str, str]] = {}
    for e, label_term, cls in store.query(_KNOWN).rows:
        key, kind = key_of(e), CLASS_KINDS.get(str(cls))
        if key is not None and kind is not None:
            labels.setdefault(key, (str(label_term), kind))
    mentioned = {key_of(e): int(str(n)) for e, n in store.query(_MENTIONED).rows}
    for key, (label, kind) in sorted(labels.items()):
        index.add(key, label, kind, {label}, articles=mentioned.get(key, 1))
    for e, alt, n in store.query(_OTHER_NAMES).rows:
        key = key_of(e)
        if key in index.known and alt is not None:
            index._name(index.known[key], str(alt))
            index.uses[norm(str(alt))][key] += int(str(n))
    for s, p, o in store.query(_CORRECTIONS).rows:
        s_key = str(s)[len(prefix):] if str(s).startswith(prefix) else None
        if s_key is None:
            continue
        if str(p).endswith("#mergedInto"):
            index.merged_into[s_key] = str(o)[len(prefix):]
        elif str(p).endswith("#keptApartFrom"):
            index.kept_apart.add((str(o).lower(), s_key))
    return index
