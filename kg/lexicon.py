"""Read and validate the linguist-editable data: event types, triggers and word lists.

A lexicon is a folder of three files (the shipped one is `data/lexicon/`):

`types.jsonl`, one event type per line, its single home (the ontology's classes, the view's
families and the SHACL check of event classes are all derived from it):
    {"type": "Enact", "parent": "LawAndPolicy", "label": "Enact", "description": "...", "agentless": true}
Keys: type (required: a name in CamelCase, the class kg:Enact), label, description, parent (a
type it specialises; a type without one is a family), and behaviour flags: agentless (a fact
even when the actor is unknown: "was arrested"), theme_required (no fact without a theme: "X
agreed"), speech (a speech act: "said", what it reports is its theme), dated_by_theme (an event
named with its date dates the fact: "the 2014 Olympics will be held"), generic (the type of a verb
no trigger covers whose subject or object is a named entity: "Apple sued Cisco" read without a
Sue entry is a kg:Occurrence with the predicate "sue"; at most one type has it), measured (its
facts state amounts: "fell 3.2% to 11,234", "bought for $2 billion", see `kg.quantities`).

`triggers.jsonl`, one trigger per line:
    {"lemma": "call", "prep": "on", "type": "Call", "roles": {"recipient": "prep:on", "theme": "xcomp"}}
Keys: lemma and type (required; type one of types.jsonl); id (defaults to "Type:lemma particle
prep object +requires", with ":noun" for nouns: "Call:call on", "Rule:order +xcomp"); pos (VERB, the default, or NOUN); particle (a required verb
particle, "step down"); prep (a required preposition, "call for"); object (a required object
lemma, for light verbs: "level criticism at", "hold talks with"); object_lemmas (the object, or
what the light verb's noun is of, must be one of these: "won *the primary*"); roles (role -> path, overriding
the defaults, see `kg.frames`; "dobj|ccomp" tries the paths in turn); theme_lemmas /
theme_not_lemmas (the theme's head must / must not be one of these); theme_entity_kinds (a theme
of this entity kind also qualifies); theme_kinds (the theme must be of one of these entity
kinds); agent_lemmas (a word of the agent's name must be one of these: a court "rules");
cause_lemmas (the subject's head must be one of these, a weapon or a disaster, and is then no
agent: "a bomb killed five"); requires (a dependency the trigger must have, e.g. "oprd" for
"named X minister"). A word list may name a list of words.json: "@legislation", or ["@legislation",
"policy"]. When several entries fit a word, the most specific whose participants fit wins.

`words.json`: the named word lists the stages read (pronouns, modals, prepositions, ...).

A user lexicon (`--lexicon DIR`, `$KG_LEXICON`) holds any of the three files; its entries are
added to the shipped ones, and an entry with the same id (a type's name, a trigger's id, a word
list's name) replaces the shipped one. Every mistake is one `[E020] FILE:LINE: ...` at load.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kg.errors import LexiconError
from kg.resources import data_file
from kg.types import QUANTITY_ROLES

FILES = ("types.jsonl", "triggers.jsonl", "words.json")
ROLES = ("agent", "theme", "recipient", "place")
# what a role path may name: the dependencies `kg.frames` follows, "none", or "prep:WORD"
_PATH_KINDS = ("nsubj", "nsubjpass", "dobj", "dative", "agent", "xcomp", "ccomp", "poss", "compound", "none", "attr")
# the dependency labels of spaCy's English parsers (ClearNLP style): what `requires` may name
DEPENDENCIES = frozenset((
    "ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj "
    "csubjpass dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd "
    "parataxis pcomp pobj poss preconj predet prep prt punct quantmod relcl xcomp").split())
_TYPE_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_TYPE_FLAGS = ("agentless", "theme_required", "speech", "dated_by_theme", "generic", "measured")
_TYPE_KEYS = {"type", "label", "description", "parent", *_TYPE_FLAGS}
_WORD_KEYS = ("theme_lemmas", "theme_not_lemmas", "agent_lemmas", "cause_lemmas", "object_lemmas")  # may name @lists
_KIND_KEYS = ("theme_entity_kinds", "theme_kinds")
_TRIGGER_KEYS = {"id", "lemma", "type", "pos", "particle", "prep", "object", "roles", "requires",
                 *_WORD_KEYS, *_KIND_KEYS}
_REQUIRED_WORDS = ("ner_kinds", "kind_nouns", "pronouns", "name_descriptors")


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    description: str = ""
    parent: str | None = None
    family: str = ""  # the label of its top-most ancestor (its own for a family)
    agentless: bool = False
    theme_required: bool = False
    speech: bool = False
    dated_by_theme: bool = False
    generic: bool = False
    measured: bool = False


@dataclass(frozen=True)
class Trigger:
    lemma: str
    type: str
    pos: str = "VERB"
    particle: str | None = None
    prep: str | None = None
    object: str | None = None
    roles: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    theme_lemmas: frozenset[str] = frozenset()
    theme_not_lemmas: frozenset[str] = frozenset()
    theme_entity_kinds: frozenset[str] = frozenset()
    theme_kinds: frozenset[str] = frozenset()
    agent_lemmas: frozenset[str] = frozenset()
    cause_lemmas: frozenset[str] = frozenset()
    object_lemmas: frozenset[str] = frozenset()
    requires: str | None = None
    id: str = ""
    generic: bool = False  # made for a verb no entry covers (`Lexicon.generic_entry`), not read from a file

    @property
    def specificity(self) -> int:
        """Entries with more conditions win over bare lemma entries when both match."""
        return sum(x is not None for x in (self.particle, self.prep, self.object, self.requires)) * 2 \
            + 2 * bool(self.object_lemmas) + bool(
            self.theme_lemmas or self.theme_kinds or self.agent_lemmas
        ) + 2 * bool(self.cause_lemmas)


@dataclass(frozen=True)
class Lexicon:
    types: Mapping[str, EventType]
    triggers: Mapping[tuple[str, str], tuple[Trigger, ...]]  # (lemma, pos) -> entries
    words: Mapping[str, Any]
    digest: str = ""  # a short hash of everything above: which rules made a fact

    def candidates(self, lemma: str, pos: str) -> tuple[Trigger, ...]:
        return self.triggers.get((lemma.lower(), pos), ())

    def word_set(self, name: str) -> frozenset[str]:
        try:
            return self._word_sets[name]
        except KeyError:
            raise LexiconError(f"words.json: no word list {name!r}") from None

    @functools.cached_property
    def _word_sets(self) -> Mapping[str, frozenset[str]]:
        # built once: the extractor asks for these lists for every token it looks at
        return MappingProxyType({k: frozenset(v) for k, v in self.words.items() if isinstance(v, list)})

    @functools.cached_property
    def kind_of_noun(self) -> Mapping[str, str]:
        """Head noun lemma -> entity kind ("country" -> Place); the first kind listed wins."""
        table: dict[str, str] = {}
        for kind, nouns in self.words["kind_nouns"].items():
            for noun in nouns:
                table.setdefault(noun, kind)
        return MappingProxyType(table)

    @functools.cached_property
    def generic_type(self) -> str | None:
        """The type of events no trigger covers (the one with the `generic` flag), if any."""
        return next((name for name, t in self.types.items() if t.generic), None)

    def generic_entry(self, lemma: str) -> Trigger | None:
        """The entry a verb no trigger covers is read as: the generic type, default roles (one
        per lemma, made the first time the lemma is met)."""
        if self.generic_type is None or lemma in self.word_set("generic_stop_lemmas"):
            return None
        if lemma not in self._generic_entries:
            self._generic_entries[lemma] = Trigger(lemma=lemma, type=self.generic_type,
                                                   id=f"{self.generic_type}:{lemma}", generic=True)
        return self._generic_entries[lemma]

    @functools.cached_property
    def _generic_entries(self) -> dict[str, Trigger]:
        return {}

    @property
    def families(self) -> Mapping[str, str]:
        """Event type -> the label of its family ("Enact" -> "Law & policy")."""
        return MappingProxyType({name: t.family for name, t in self.types.items()})

    def __len__(self) -> int:
        return sum(len(v) for v in self.triggers.values())


# -- reading --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    """One line of a .jsonl file, with where it was read for messages."""

    obj: dict[str, Any]
    where: str  # "FILE:LINE"


def _read_jsonl(path: Path) -> list[_Entry]:
    entries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise LexiconError(f"{where}: expected a JSON object")
        entries.append(_Entry(obj, where))
    return entries


def _by_id(entries: Iterable[_Entry], key, merged: dict[str, _Entry]) -> None:
    """Add one file's entries to `merged` by id: a later file's entry replaces an earlier one's,
    but one file may not hold the same id twice."""
    here: dict[str, str] = {}
    for entry in entries:
        ident = key(entry)
        if ident in here:
            raise LexiconError(f"{entry.where}: duplicate id {ident!r} (first on {here[ident]})")
        here[ident] = entry.where
        merged[ident] = entry


def _unknown_keys(entry: _Entry, allowed: set[str]) -> None:
    unknown = set(entry.obj) - allowed
    if unknown:
        raise LexiconError(f"{entry.where}: unknown key(s) {sorted(unknown)} (keys: {', '.join(sorted(allowed))})")


def _string(entry: _Entry, key: str, *, required: bool = False) -> str | None:
    value = entry.obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise LexiconError(f"{entry.where}: {key!r} is required and must be a string" if required
                           else f"{entry.where}: {key!r} must be a string")
    return value


# -- types ----------------------------------------------------------------------------------------
def _type_name(entry: _Entry) -> str:
    name = _string(entry, "type", required=True)
    assert name is not None
    if not _TYPE_NAME.fullmatch(name):
        raise LexiconError(f"{entry.where}: type {name!r} must be a CamelCase name (letters and digits, "
                           f"starting with a capital): it becomes the class kg:{name}")
    return name


def _parse_types(entries: dict[str, _Entry]) -> dict[str, EventType]:
    from kg.vocab import KG_TERMS  # the names kg's own terms take: no type may reuse one

    for name, entry in entries.items():
        _unknown_keys(entry, _TYPE_KEYS)
        if name in KG_TERMS:
            raise LexiconError(f"{entry.where}: type {name!r} is already a kg term; choose another name")
        parent = _string(entry, "parent")
        if parent is not None and parent not in entries:
            raise LexiconError(f"{entry.where}: unknown parent type {parent!r}")
        for flag in _TYPE_FLAGS:
            if not isinstance(entry.obj.get(flag, False), bool):
                raise LexiconError(f"{entry.where}: {flag!r} must be true or false")
        for key in ("label", "description"):
            _string(entry, key)
    generic = [entry for entry in entries.values() if entry.obj.get("generic")]
    if len(generic) > 1:
        raise LexiconError(f"{generic[1].where}: only one type may be generic (the first is on {generic[0].where})")
    types = {}
    for name, entry in entries.items():
        root, seen = name, [name]
        while (up := entries[root].obj.get("parent")) is not None:
            if up in seen:
                raise LexiconError(f"{entry.where}: type {name!r} is its own ancestor ({' -> '.join(seen + [up])})")
            root, seen = up, seen + [up]
        obj = entry.obj
        types[name] = EventType(
            name=name, label=obj.get("label", name), description=obj.get("description", ""),
            parent=obj.get("parent"), family=entries[root].obj.get("label", root),
            **{flag: obj.get(flag, False) for flag in _TYPE_FLAGS},
        )
    return types


# -- words ----------------------------------------------------------------------------------------
def _read_words(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    try:
        words = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(words, dict):
        raise LexiconError(f"{path}:1: expected a JSON object of named word lists")
    return words, text


def _line_of(text: str, key: str) -> int:
    """The line a key of words.json is on (json does not say)."""
    found = re.search(rf'^\s*{re.escape(json.dumps(key))}\s*:', text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _check_quantity_roles(words: Mapping[str, Any], path: Path, text: str) -> None:
    unknown = set(words.get("quantity_preps", {}).values()) - set(QUANTITY_ROLES)
    if unknown:
        raise LexiconError(f"{path}:{_line_of(text, 'quantity_preps')}: unknown quantity role(s) {sorted(unknown)} "
                           f"(roles: {', '.join(QUANTITY_ROLES)})")


def _merge_words(shipped: dict[str, Any], path: Path) -> tuple[dict[str, Any], str]:
    """A user's words.json (and its text, for messages): a list it names replaces the shipped
    list of that name, and must have its shape (a list for a list, a table for a table)."""
    words, text = _read_words(path)
    merged = dict(shipped)
    for key, value in words.items():
        if key.startswith("_"):
            continue  # comments
        old = shipped.get(key)
        if old is not None and type(old) is not type(value):
            raise LexiconError(f"{path}:{_line_of(text, key)}: {key!r} must be a "
                               f"{'list' if isinstance(old, list) else 'table'}, as in the shipped words.json")
        if not isinstance(value, (list, dict)):
            raise LexiconError(f"{path}:{_line_of(text, key)}: {key!r} must be a list of words or a table")
        merged[key] = value
    return merged, text


# -- triggers -------------------------------------------------------------------------------------
def _trigger_id(entry: _Entry) -> str:
    obj = entry.obj
    if "id" in obj:
        return _string(entry, "id", required=True) or ""
    words = [obj.get(k) for k in ("lemma", "particle", "prep", "object")]
    ident = f"{obj.get('type')}:{' '.join(str(w).lower() for w in words if w)}"
    if obj.get("requires"):
        ident += f" +{obj['requires']}"
    return ident + (":noun" if obj.get("pos") == "NOUN" else "")


def _word_list(entry: _Entry, key: str, words: Mapping[str, Any]) -> frozenset[str]:
    value = entry.obj.get(key, [])
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
        raise LexiconError(f"{entry.where}: {key!r} must be a list of words (or \"@name\" of a words.json list)")
    out: set[str] = set()
    for item in items:
        if item.startswith("@"):
            named = words.get(item[1:])
            if not isinstance(named, list):
                raise LexiconError(f"{entry.where}: {key!r} names an unknown word list {item!r} (not a list in words.json)")
            out.update(w.lower() for w in named)
        else:
            out.add(item.lower())
    return frozenset(out)


def _parse_trigger(entry: _Entry, ident: str, types: Mapping[str, EventType], words: Mapping[str, Any]) -> Trigger:
    where, obj = entry.where, entry.obj
    _unknown_keys(entry, _TRIGGER_KEYS)
    lemma, type_ = _string(entry, "lemma", required=True), _string(entry, "type", required=True)
    assert lemma is not None and type_ is not None
    if type_ not in types:
        raise LexiconError(f"{where}: unknown event type {type_!r} (not in types.jsonl)")
    pos = obj.get("pos", "VERB")
    if pos not in ("VERB", "NOUN"):
        raise LexiconError(f"{where}: pos must be VERB or NOUN, not {pos!r}")
    roles = obj.get("roles", {})
    if not isinstance(roles, dict):
        raise LexiconError(f"{where}: 'roles' must be an object of role -> path")
    for role, path in roles.items():
        if role not in ROLES:
            raise LexiconError(f"{where}: unknown role {role!r} (roles: {', '.join(ROLES)})")
        if not isinstance(path, str) or not all(alt in _PATH_KINDS or (alt.startswith("prep:") and alt[5:])
                                                for alt in path.split("|")):
            raise LexiconError(f"{where}: unknown path {path!r} for role {role!r}: it names no dependency "
                               f"(paths: {', '.join(_PATH_KINDS)}, prep:WORD; alternatives joined by |)")
    requires = _string(entry, "requires")
    if requires is not None and requires not in DEPENDENCIES:
        raise LexiconError(f"{where}: 'requires' names no dependency: {requires!r}")
    kinds = {*words["ner_kinds"].values(), *words["kind_nouns"]}
    for key in _KIND_KEYS:
        value = obj.get(key, [])
        if not isinstance(value, list) or not set(value) <= kinds:
            raise LexiconError(f"{where}: {key!r} must list entity kinds ({', '.join(sorted(kinds))})")
    for key in ("particle", "prep", "object"):
        _string(entry, key)
    return Trigger(
        id=ident,
        lemma=lemma.lower(),
        type=type_,
        pos=pos,
        particle=obj.get("particle"),
        prep=obj.get("prep"),
        object=obj.get("object"),
        roles=MappingProxyType(dict(roles)),
        theme_entity_kinds=frozenset(obj.get("theme_entity_kinds", ())),
        theme_kinds=frozenset(obj.get("theme_kinds", ())),
        requires=requires,
        theme_lemmas=_word_list(entry, "theme_lemmas", words),
        theme_not_lemmas=_word_list(entry, "theme_not_lemmas", words),
        agent_lemmas=_word_list(entry, "agent_lemmas", words),
        cause_lemmas=_word_list(entry, "cause_lemmas", words),
        object_lemmas=_word_list(entry, "object_lemmas", words),
    )


# -- the whole lexicon ----------------------------------------------------------------------------
def read_lexicon(directories: Iterable[Path]) -> Lexicon:
    """The lexicon of these folders, the first complete (the shipped one), each later one adding
    to it and replacing entries of the same id."""
    types: dict[str, _Entry] = {}
    triggers: dict[str, _Entry] = {}
    words: dict[str, Any] | None = None
    for directory in directories:
        _check_folder(directory, first=words is None)
        if (path := directory / "types.jsonl").exists():
            _by_id(_read_jsonl(path), _type_name, types)
        if (path := directory / "words.json").exists():
            if words is None:
                words, text = _read_words(path)
                for key in _REQUIRED_WORDS:
                    if key not in words:
                        raise LexiconError(f"{path}:1: missing required list {key!r}")
            else:
                words, text = _merge_words(words, path)
            _check_quantity_roles(words, path, text)
        if (path := directory / "triggers.jsonl").exists():
            _by_id(_read_jsonl(path), _trigger_id, triggers)
    assert words is not None
    parsed_types = _parse_types(types)
    parsed = [_parse_trigger(entry, ident, parsed_types, words) for ident, entry in triggers.items()]
    return build_lexicon(parsed_types, parsed, words)


def _check_folder(directory: Path, *, first: bool) -> None:
    if not directory.is_dir():
        raise LexiconError(f"{directory}: no such lexicon folder")
    present = [name for name in FILES if (directory / name).is_file()]
    if first and len(present) < len(FILES):
        raise LexiconError(f"{directory}: a lexicon needs {', '.join(FILES)}")
    strays = sorted(p.name for p in directory.iterdir() if p.suffix in (".json", ".jsonl") and p.name not in FILES)
    if strays:
        raise LexiconError(f"{directory / strays[0]}: not a lexicon file (a lexicon folder holds {', '.join(FILES)})")
    if not present:
        raise LexiconError(f"{directory}: holds none of the lexicon files {', '.join(FILES)}")


def build_lexicon(types: Mapping[str, EventType], triggers: Iterable[Trigger], words: Mapping[str, Any]) -> Lexicon:
    table: dict[tuple[str, str], list[Trigger]] = {}
    for t in triggers:
        table.setdefault((t.lemma, t.pos), []).append(t)
    frozen = {k: tuple(sorted(v, key=lambda t: -t.specificity)) for k, v in table.items()}
    return Lexicon(types=MappingProxyType(dict(types)), triggers=MappingProxyType(frozen),
                   words=MappingProxyType(dict(words)), digest=_digest(types, table, words))


def _digest(types: Mapping[str, EventType], triggers: Mapping[tuple[str, str], list[Trigger]],
            words: Mapping[str, Any]) -> str:
    """12 hex digits that change whenever anything the extractor reads changes."""
    def plain(item: Any) -> Any:
        return {f.name: _sortable(getattr(item, f.name)) for f in fields(item)}
    content = {
        "types": [plain(t) for _, t in sorted(types.items())],
        "triggers": sorted((plain(t) for entries in triggers.values() for t in entries), key=lambda t: t["id"]),
        "words": words,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _sortable(value: Any) -> Any:
    if isinstance(value, (frozenset, set)):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(sorted(value.items()))
    return value


def load_lexicon(extra: Path | str | None = None) -> Lexicon:
    """The shipped lexicon, with the user's lexicon folder `extra` added, validated."""
    return _load(Path(extra) if extra else None)  # messages name the folder as the user gave it


@functools.lru_cache(maxsize=4)
def _load(extra: Path | None) -> Lexicon:
    return read_lexicon([data_file("lexicon"), *([extra] if extra else [])])
