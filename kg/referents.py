"""Event stage 2, referents: which entity fills each role of a frame.

Reads:   Frame.entry and the role words Frame.agent/theme/recipient/place (`kg.frames`).
Assigns: Frame.participants: for each role, the entity its word stands for (a name, a pronoun's
         antecedent, a description's referent, or a description entity of its own) with the
         words that say it; a clause theme is the clause's text ("urged Russia to *repeal the
         law*"). Frames with no entry are passed on as they are.

`Referents` is the one door from the event stages to entity resolution (`kg.resolve`): the frames
stage asks it what kind of entity a word names when an entry restricts its participants, the
anchoring stage whether a theme is an Event, and this stage which entity fills a role. No other
event stage calls the Resolver.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kg.lexicon import Lexicon
from kg.phrases import clause_text, phrase
from kg.resolve import ACTOR_KINDS, Resolution, Resolver
from kg.syntax import relative_antecedent
from kg.types import Argument, Entity, Frame, Participants

__all__ = ["ACTOR_KINDS", "Referents", "fill_referents", "same_participant"]

_CLAUSE_THEME_DEPS = ("xcomp", "ccomp", "pcomp")  # a theme that is a clause is its words, no entity


@dataclass(frozen=True)
class Referents:
    """What the event stages may ask about the entities of one article."""

    resolver: Resolver

    def entity(self, token: Token, role_kinds: frozenset[str] | None = None) -> Entity | None:
        """The entity a role filler means (a pronoun's antecedent among `role_kinds`, a
        description's referent or a description entity); None for words that name nothing."""
        return self.resolver.resolve(token, role_kinds)

    def resolution(self, token: Token, role_kinds: frozenset[str] | None = None) -> Resolution:
        """`entity`, with how it was found and whether another was nearly as likely."""
        return self.resolver.resolution(token, role_kinds)

    def named(self, token: Token) -> Entity | None:
        """The named entity a word is part of, or that its noun phrase is about."""
        return self.resolver.named(token)

    def description(self, token: Token) -> Entity | None:
        """An entity of the word's own description, never another mention's: "the chancellor"."""
        return self.resolver.describe(token)

    def kind(self, token: Token) -> str | None:
        """The kind of entity a word names: its name's, else its head noun's ("country": Place)."""
        return self.resolver.kind_of(token)

    def counted(self, token: Token) -> Token:
        """What a quantity is of: "a handful of gay activists" is about the activists."""
        return self.resolver.through_quantity(token)

    def theme_kind(self, theme: Token) -> str | None:
        """The kind of entity a theme is, through a quantity; for a pronoun its antecedent's, or
        the only kind it can stand for (an unresolved "she" is still a person)."""
        kind = self.kind(self.counted(theme))
        if kind is None and theme.pos_ == "PRON":
            entity = self.entity(theme)
            kinds = self.resolver.pronoun_kinds(theme)
            kind = entity.type if entity else kinds[0] if len(kinds) == 1 else None
        return kind

    def is_actor(self, token: Token) -> bool:
        """Whether the word stands for someone who can act: a person, organisation, group or place."""
        entity = self.entity(token)
        return entity is not None and entity.type in ACTOR_KINDS


def fill_referents(doc: Doc, frames: list[Frame], referents: Referents, lexicon: Lexicon) -> list[Frame]:
    """Each frame with its participants: the entity (or text) that fills each role."""
    relative = lexicon.word_set("relative_pronouns")
    reflexive = tuple(lexicon.words["reflexive_suffixes"])
    names = frozenset(lexicon.words["ner_kinds"])  # entity labels that are names
    filled = []
    for frame in frames:
        if frame.entry is None:
            filled.append(frame)
            continue
        trigger = doc[frame.trigger]
        agent = theme = recipient = place = None
        if frame.agent is not None:
            agent = _argument(doc[frame.agent], referents, relative, names, ACTOR_KINDS | {"Legislation"})
        if frame.theme is not None:
            t = doc[frame.theme]
            if t.dep_ in _CLAUSE_THEME_DEPS or t.pos_ in ("VERB", "AUX"):
                theme = Argument(text=clause_text(t, without=trigger if t == trigger.head else None))
            else:
                theme = _argument(t, referents, relative, names, None)
        if frame.recipient is not None:
            recipient = _argument(doc[frame.recipient], referents, relative, names, ACTOR_KINDS)
        if frame.place is not None:
            place = _argument(doc[frame.place], referents, relative, names, frozenset({"Place"}))
        if agent and agent.entity is None and agent.text.lower() in relative:
            agent = None  # a relative pronoun whose noun named nobody
        participants = _not_the_agent(Participants(agent, theme, recipient, place), frame, doc, referents, reflexive)
        filled.append(replace(frame, participants=participants))
    return filled


def _argument(token: Token, referents: Referents, relative: frozenset[str], names: frozenset[str],
              kinds: frozenset[str] | None) -> Argument | None:
    token = relative_antecedent(token, relative)
    # "others", "many": nobody in particular ("May" and "Will" are stop words and names)
    if token.is_stop and token.pos_ != "PRON" and token.ent_type_ not in names:
        return None
    found = referents.resolution(token, kinds)
    entity = found.entity
    if entity is None and token.pos_ == "PROPN" and not token.ent_type_ and not token.doc[token.sent.start:token.i].text.strip() and not list(token.children):
        return None  # "Amongst reported incidents ...": a capital that only starts the sentence, read as a name
    if token.pos_ == "PRON":
        # an unresolved pronoun ("I" in a quote) names nobody a reader could find
        return Argument(text=entity.name, entity=entity, via=found.via, contested=found.contested) if entity else None
    return Argument(text=phrase(token), entity=entity, via=found.via, contested=found.contested)


def _not_the_agent(participants: Participants, frame: Frame, doc: Doc, referents: Referents,
                   reflexive: tuple[str, ...]) -> Participants:
    """"Putin met the chancellor": a description beside the agent is someone else, unless the
    text says so ("defended himself"). Resolution chose the most salient person, the agent."""
    agent = participants.agent
    if agent is None or agent.entity is None:
        return participants
    for role, index in (("theme", frame.theme), ("recipient", frame.recipient)):
        arg: Argument | None = getattr(participants, role)
        if arg is None or arg.entity is None or index is None or arg.entity.key != agent.entity.key:
            continue
        token = doc[index]
        if token.lower_.endswith(reflexive):
            continue
        own = referents.description(token) if token.pos_ != "PRON" else None
        participants = replace(participants, **{role: Argument(text=phrase(token), entity=own) if own else None})
    return participants


# -- comparing participants (anchoring carries times between, and facts merge, mentions of one) --
def _name_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in text.lower().replace("\u2019", "'").split() if w not in stopwords}


def same_participant(a: Argument | None, b: Argument | None, stopwords: frozenset[str]) -> bool | None:
    """True/False when both are given; None when either is missing. Two names are one when the
    words of one (less `stopwords`: articles, possessives) are all in the other's."""
    if a is None or b is None:
        return None
    if a.entity is not None and b.entity is not None and a.entity.key == b.entity.key:
        return True
    wa, wb = _name_words(a.name, stopwords), _name_words(b.name, stopwords)
    return bool(wa and wb and (wa <= wb or wb <= wa))
