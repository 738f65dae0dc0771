"""Event stage 5, facts: frames become `Event`s, and the mentions of one real-world event merge
into one fact.

`assemble` reads every field the earlier stages assign (entry, participants, asserted, time,
governor) and the parse for the trigger's words, its sentence and the amounts it states
(`kg.quantities`); it assigns the Event's confidence and nests a frame's event in its governor's
theme ("urged Russia to repeal": the Call's theme carries the Repeal). It returns every event, asserted or not, one per frame with an
entry, in order.

`merge_events` keeps the asserted events, merges mentions of one event (same type, agreeing
participants and times), and keeps the complete facts (an actor, and a theme where the type
needs one).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from kg.anchoring import narrower, times_agree
from kg.lexicon import Lexicon
from kg.quantities import quantities_of
from kg.referents import same_participant
from kg.syntax import text_of
from kg.types import Argument, Event, Frame, Participants

_WEIGHTS = (("agent", 0.3), ("theme", 0.2), ("recipient", 0.05), ("place", 0.05))



# --------------------------------------------------------------------------------- assembling --
def assemble(doc: Doc, frames: list[Frame], lexicon: Lexicon) -> list[Event]:
    """All events of the frames, asserted or not, one per frame with an entry; see `merge_events`."""
    text = text_of(doc)
    events: list[Event] = []
    index_of: dict[int, list[int]] = {}  # trigger -> its events' indices in `events`
    for frame in frames:
        if frame.entry is None:
            continue
        token = doc[frame.trigger]
        sent = token.sent
        sent_text = text[sent.start_char:sent.end_char]
        s_start = sent.start_char + (len(sent_text) - len(sent_text.lstrip()))
        s_end = sent.start_char + len(sent_text.rstrip())
        words = [token.text, *(c.text for c in token.children if c.dep_ == "prt")]
        if frame.entry.prep:
            words.append(frame.entry.prep)
        p = frame.participants
        index_of.setdefault(frame.trigger, []).append(len(events))
        events.append(Event(
            type=frame.entry.type,
            trigger=" ".join(words),
            sentence=sent_text.strip(),
            start=s_start,
            end=s_end,
            agent=p.agent, theme=p.theme, recipient=p.recipient, place=p.place,
            time=frame.time, bound=frame.bound,
            confidence=_confidence(p),
            asserted=frame.asserted,
            mentions=((s_start, s_end),),
            predicate=" ".join([frame.entry.lemma, *(w.lower() for w in words[1:])]) if frame.entry.generic else None,  # "drop out"
            quantities=quantities_of(token, lexicon) if lexicon.types[frame.entry.type].measured else (),
        ))
    # an event that is what another event calls for or agrees to is that event's theme (its
    # first reading, as it stands when its own trigger's turn comes: triggers in text order)
    embedded = dict.fromkeys((f.trigger, f.governor) for f in frames if f.governor is not None)
    for trigger, governor in embedded:
        own = index_of.get(trigger)
        if not own:
            continue  # no entry fitted it: nothing to nest
        for h in index_of.get(governor, []):
            theme = events[h].theme
            if theme is not None and theme.event is None:
                events[h] = replace(events[h], theme=replace(theme, event=events[own[0]]))
    return events


def _confidence(participants: Participants) -> float:
    """How far the fact can be trusted, from how its participants were found: a name in the
    sentence counts fully; a pronoun or description resolved to a named entity counts less, and
    less again when another entity of its kind was nearly as likely (a contested choice); a
    description that names no one counts half. On the dev set, facts at 0.8 or more are right
    about nine times in ten (README, benchmarks/calibration.py)."""
    score = 0.4
    for role, weight in _WEIGHTS:
        arg: Argument | None = getattr(participants, role)
        if arg is None:
            continue
        if arg.entity is None or arg.entity.local:
            score += weight / 2
        elif arg.via in ("pronoun", "description"):
            score += weight * (0.5 if arg.contested else 0.75)
        else:
            score += weight
    return round(min(score, 1.0), 2)


# ------------------------------------------------------------------------------------ merging --
def _mergeable(a: Event, b: Event, stopwords: frozenset[str], speech: bool = False, headline: bool = False) -> bool:
    """Whether two mentions are one event: one type, agreeing times and participants. A saying
    that says nothing in particular does not take in a later one of the body that does ("gave a
    keynote" / "He announced a seamless integration ..." are two); a headline's saying (`a` is
    in the headline) sums up the body's."""
    if a.type != b.type or a.predicate != b.predicate or not times_agree(a.time, b.time):
        return False
    agent, theme = same_participant(a.agent, b.agent, stopwords), same_participant(a.theme, b.theme, stopwords)
    recipient = same_participant(a.recipient, b.recipient, stopwords)
    if agent is False or recipient is False:
        return False
    if agent and a.sentence == b.sentence:
        return True  # one speech act told twice in a sentence ("called for X, imploring Y to ...")
    if theme is False or (speech and a.theme is None and b.theme is not None and not headline):
        return False
    return bool(agent or theme) and not (agent is None and theme is None)


def _merge(a: Event, b: Event) -> Event:
    """One event from two mentions of it: roles filled from either, the narrower time."""
    def pick(x: Argument | None, y: Argument | None) -> Argument | None:
        if x is None or (x.entity is None and y is not None and y.entity is not None):
            return y or x
        return x

    return replace(
        a,
        agent=pick(a.agent, b.agent), theme=pick(a.theme, b.theme), recipient=pick(a.recipient, b.recipient),
        place=pick(a.place, b.place), time=(time := narrower(a.time, b.time)),
        bound=None if time is not None else a.bound or b.bound,
        confidence=max(a.confidence, b.confidence), mentions=a.mentions + b.mentions,
        quantities=a.quantities + tuple(q for q in b.quantities if q.role not in {x.role for x in a.quantities}),
    )


def _complete(event: Event, lexicon: Lexicon) -> bool:
    """A fact needs its actor, except for types whose actor is often unknown ("was held"), and
    its theme where the type means nothing without one ("X agreed", "Y was arrested")."""
    kind = lexicon.types[event.type]  # its agentless and theme_required flags
    if event.agent is None and event.theme is None and event.recipient is None and event.place is None:
        return False  # "loans were discussed": an event word alone says nothing about anyone
    if kind.theme_required and event.theme is None:
        return False
    return event.agent is not None or kind.agentless


def merge_events(events: list[Event], lexicon: Lexicon, headline_end: int = 0) -> list[Event]:
    """The asserted facts of an article, one per real-world event: the headline (the text
    before `headline_end`) and the body, or a verb and its nominalisation ("released ... since
    its release on November 4"), merge."""
    stopwords = lexicon.word_set("participant_stopwords")
    merged: list[Event] = []
    of_type: dict[str, list[int]] = {}  # indexes in `merged`: only events of one type merge
    for event in events:
        if not event.asserted:
            continue
        for k in of_type.get(event.type, ()):
            if _mergeable(merged[k], event, stopwords, lexicon.types[event.type].speech, merged[k].start < headline_end):
                merged[k] = _merge(merged[k], event)
                break
        else:
            of_type.setdefault(event.type, []).append(len(merged))
            merged.append(event)
    return [e for e in merged if _complete(e, lexicon)]
