"""Read and validate the linguist-editable data: the trigger lexicon and the word lists.

`data/lexicon/triggers.jsonl` has one trigger per line:
    {"lemma": "call", "prep": "on", "type": "Call", "roles": {"recipient": "prep:on", "theme": "xcomp"}}
Keys: lemma and type (required); pos (VERB, the default, or NOUN); particle (a required verb
particle, "step down"); prep (a required preposition, "call for"); object (a required object
lemma, for light verbs: "level criticism at", "hold talks with"); roles (role -> path, overriding
the defaults, see `kg.events`; "dobj|ccomp" tries the paths in turn); theme_lemmas / theme_not_lemmas (the theme's head must / must
not be one of these); theme_entity_kinds (a theme of this entity kind also qualifies);
theme_kinds (the theme must be of one of these entity kinds); agent_lemmas (a word of the
agent's name must be one of these: a court "rules"); cause_lemmas (the subject's head must be
one of these, a weapon or a disaster, and is then no agent: "a bomb killed five"); requires (a dependency the trigger must
have, e.g. "oprd" for "named X minister"). When several entries fit a word, the most specific
whose participants fit wins.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kg.errors import LexiconError
from kg.resources import data_file

ROLES = ("agent", "theme", "recipient", "place")
_PATH_KINDS = ("nsubj", "nsubjpass", "dobj", "dative", "agent", "xcomp", "ccomp", "poss", "none", "attr")
_KEYS = {"lemma", "type", "pos", "particle", "prep", "object", "roles", "theme_lemmas",
         "theme_not_lemmas", "theme_entity_kinds", "theme_kinds", "requires", "agent_lemmas",
         "cause_lemmas"}


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
    requires: str | None = None

    @property
    def specificity(self) -> int:
        """Entries with more conditions win over bare lemma entries when both match."""
        return sum(x is not None for x in (self.particle, self.prep, self.object, self.requires)) * 2 + bool(
            self.theme_lemmas or self.theme_kinds or self.agent_lemmas
        ) + 2 * bool(self.cause_lemmas)


@dataclass(frozen=True)
class Lexicon:
    triggers: Mapping[tuple[str, str], tuple[Trigger, ...]]  # (lemma, pos) -> entries
    words: Mapping[str, Any]

    def candidates(self, lemma: str, pos: str) -> tuple[Trigger, ...]:
        return self.triggers.get((lemma.lower(), pos), ())

    def word_set(self, name: str) -> frozenset[str]:
        return self._word_sets.get(name, frozenset())

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

    def __len__(self) -> int:
        return sum(len(v) for v in self.triggers.values())


def _parse_trigger(obj: Any, where: str) -> Trigger:
    if not isinstance(obj, dict):
        raise LexiconError(f"{where}: expected a JSON object")
    unknown = set(obj) - _KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("lemma", "type"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise LexiconError(f"{where}: {key!r} is required and must be a string")
    pos = obj.get("pos", "VERB")
    if pos not in ("VERB", "NOUN"):
        raise LexiconError(f"{where}: pos must be VERB or NOUN, not {pos!r}")
    roles = obj.get("roles", {})
    for role, path in roles.items():
        if role not in ROLES:
            raise LexiconError(f"{where}: unknown role {role!r} (roles: {', '.join(ROLES)})")
        if not all(alt in _PATH_KINDS or alt.startswith("prep:") for alt in path.split("|")):
            raise LexiconError(f"{where}: unknown path {path!r} for role {role!r}")
    return Trigger(
        lemma=obj["lemma"].lower(),
        type=obj["type"],
        pos=pos,
        particle=obj.get("particle"),
        prep=obj.get("prep"),
        object=obj.get("object"),
        roles=MappingProxyType(dict(roles)),
        theme_lemmas=frozenset(obj.get("theme_lemmas", ())),
        theme_not_lemmas=frozenset(obj.get("theme_not_lemmas", ())),
        theme_entity_kinds=frozenset(obj.get("theme_entity_kinds", ())),
        theme_kinds=frozenset(obj.get("theme_kinds", ())),
        agent_lemmas=frozenset(obj.get("agent_lemmas", ())),
        cause_lemmas=frozenset(obj.get("cause_lemmas", ())),
        requires=obj.get("requires"),
    )


def read_triggers(path: Path) -> list[Trigger]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path.name}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{where}: not valid JSON ({exc.msg})") from None
        entries.append(_parse_trigger(obj, where))
    return entries


def read_words(path: Path) -> dict[str, Any]:
    try:
        words = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path.name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    for key in ("ner_kinds", "kind_nouns", "pronouns", "name_descriptors"):
        if key not in words:
            raise LexiconError(f"{path.name}: missing required list {key!r}")
    return words


def build_lexicon(triggers: list[Trigger], words: dict[str, Any]) -> Lexicon:
    table: dict[tuple[str, str], list[Trigger]] = {}
    for t in triggers:
        table.setdefault((t.lemma, t.pos), []).append(t)
    frozen = {k: tuple(sorted(v, key=lambda t: -t.specificity)) for k, v in table.items()}
    return Lexicon(triggers=MappingProxyType(frozen), words=MappingProxyType(words))


@functools.lru_cache(maxsize=2)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """The shipped lexicon (or the one in `directory`), validated."""
    directory = directory or data_file("lexicon")
    return build_lexicon(read_triggers(directory / "triggers.jsonl"), read_words(directory / "words.json"))
