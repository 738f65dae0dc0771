"""Find events in a parsed article: match trigger words from the lexicon on the dependency
parse, fill their roles, decide whether the text asserts them, and give them a time.

Default role paths (a lexicon entry's "roles" override them):
    agent      nsubj, or the by-phrase of a passive; for nouns, the possessor ("Macron's call")
    theme      dobj, or the subject of a passive; for nouns, the of-phrase
    recipient  the dative object or a to-phrase
    place      an in/at phrase naming a place, here or on the verb this one depends on
A verb without its own subject takes its controller's: "urged Russia to repeal" gives repeal the
agent Russia; "X called for ..., imploring Y" gives imploring the agent X; a relative pronoun
stands for the noun its clause modifies ("the Assembly, which called for").
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kg.lexicon import Lexicon, Trigger
from kg.phrases import clause_text, phrase
from kg.resolve import ACTOR_KINDS, Resolver
from kg.timex import bounds, granularity
from kg.types import Argument, Event, TimeExpr

_CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "acl", "pcomp", "csubj"}
# a time or place on this verb also holds for the verb that depends on it this way
_INHERIT_DEPS = {"xcomp", "advcl", "conj"}
_OBJECT_CONTROL = {"dobj", "prep:on", "prep:upon", "prep:to"}  # whose subject an xcomp takes
_TIME_PATH_DEPS = {"pobj", "prep", "npadvmod", "advmod", "nummod", "compound", "amod", "det", "appos",
                   "nmod", "quantmod", "pcomp", "tmod", "obl", "dobj", "attr", "oprd"}
_PLACE_PREPS = ("in", "at", "near", "outside", "inside", "across", "throughout")  # tried in this order


@dataclass(frozen=True)
class Match:
    """A trigger token with the lexicon entries that fit its syntax, most specific first; the
    first whose participants also fit is used ("attacked the church" Attack, "attacked the
    plan" Criticize)."""

    token: Token
    entries: tuple[Trigger, ...]

    @property
    def entry(self) -> Trigger:
        return self.entries[0]


# ---------------------------------------------------------------------------------- triggers --
def _is_passive(token: Token) -> bool:
    """"was elected", and a bare participle modifying a clause or noun: "appeared in court,
    charged with murder" / "a man charged with murder" (the one charged is the head's referent)."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return True
    return token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "nsubj") for c in token.children)


def _children(token: Token, dep: str) -> list[Token]:
    return [c for c in token.children if c.dep_ == dep]


def _objects_of(token: Token, preps: Collection[str] | None = None) -> list[Token]:
    """The objects of the token's prepositions (of these ones only, if given)."""
    return [g for c in token.children if c.dep_ == "prep" and (preps is None or c.lower_ in preps)
            for g in c.children if g.dep_ == "pobj"]


def _prep_objects(token: Token, prep: str) -> list[Token]:
    """Objects of `prep` attached to the token (or to its light-verb object: "fire from X")."""
    out = []
    heads = [token] + [c for c in token.children if c.dep_ in ("dobj", "prep", "pobj")]
    heads += [g for c in heads[1:] for g in c.children if c.dep_ == "prep" and g.dep_ == "pobj"]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
                out += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
    return out


def _object_lemmas(token: Token) -> set[str]:
    objs = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "acomp")]
    objs += _objects_of(token)
    # "(statements of) criticism came from X": the light verb's noun can be its subject
    subjects = _children(token, "nsubj")
    objs += subjects + [g for s in subjects for g in _objects_of(s, ("of",))]
    return {o.lemma_.lower() for o in objs}


def _entry_fits(token: Token, entry: Trigger) -> bool:
    # the small model often tags a particle as an adverb ("stepped down/ADV")
    if entry.particle and not any(c.dep_ in ("prt", "advmod") and c.lower_ == entry.particle for c in token.children):
        return False
    if entry.prep and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ == entry.prep for c in token.children):
        return False
    if entry.object and entry.object not in _object_lemmas(token):
        return False
    if entry.requires and not any(c.dep_ == entry.requires for c in token.children):
        return False
    return True


def find_triggers(doc: Doc, lexicon: Lexicon) -> list[Match]:
    matches = []
    for token in doc:
        if token.dep_ == "amod":  # "its widely criticized laws" describes the laws, asserts nothing new
            continue
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
        if pos is None:
            continue
        fitting = tuple(e for e in lexicon.candidates(token.lemma_, pos) if _entry_fits(token, e))
        if fitting:
            matches.append(Match(token, fitting))
    return matches


# ------------------------------------------------------------------------------------- roles --
def _controller(token: Token, role_paths: dict[int, dict[str, str]]) -> list[Token]:
    """Who does an embedded verb's action when it has no subject of its own."""
    head = token.head
    if head == token:
        return []
    if token.dep_ == "xcomp":
        paths = role_paths.get(head.i, {})
        for path in _OBJECT_CONTROL:
            if paths.get("recipient") == path:
                found = _path_tokens(head, path)
                if found:
                    return found
        objs = _children(head, "dobj")
        if objs and head.lemma_.lower() in ("make", "force", "ask", "tell", "urge", "help", "allow", "let"):
            return objs
        if _is_passive(head) and _children(head, "nsubjpass"):
            return _children(head, "nsubjpass")  # "G7 was scheduled to meet": G7 meets
        return _subjects(head, role_paths)
    if token.dep_ in ("conj", "advcl") and token.tag_ in ("VBG", "VBN", "VB", "VBD", "VBZ", "VBP"):
        return _subjects(head, role_paths)
    return []


def _subjects(token: Token, role_paths: dict[int, dict[str, str]]) -> list[Token]:
    subj = _children(token, "nsubj")
    if subj:
        return subj
    if _is_passive(token):
        return _path_tokens(token, "agent")
    return _controller(token, role_paths)


def _path_tokens(token: Token, path: str) -> list[Token]:
    if "|" in path:  # alternatives, the first that is there: "announced X" / "announced that ..."
        return next((found for alt in path.split("|") if (found := _path_tokens(token, alt))), [])
    if path == "none":
        return []
    if path.startswith("prep:"):
        return _prep_objects(token, path[5:])
    if path == "agent":
        return [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if path == "dative":
        return _children(token, "dative") or _prep_objects(token, "to")
    return _children(token, path)


def _default_paths(token: Token, entry: Trigger) -> dict[str, str]:
    if entry.pos == "NOUN":
        paths = {"agent": "poss", "theme": "prep:of", "recipient": "prep:to"}
    elif _is_passive(token):
        paths = {"agent": "agent", "theme": "nsubjpass", "recipient": "dative"}
    else:
        paths = {"agent": "nsubj", "theme": "dobj", "recipient": "dative"}
    paths.update(entry.roles)
    if _is_passive(token) and entry.pos == "VERB":
        # a passive turns the entry's subject path into the by-phrase and its object into the subject
        passive = {"nsubj": "agent", "dobj": "nsubjpass"}
        paths = {r: "|".join(passive.get(alt, alt) for alt in p.split("|")) for r, p in paths.items()}
    return paths


def _relative_antecedent(token: Token, words: frozenset[str]) -> Token:
    """"which"/"who" in a relative clause stands for the noun the clause modifies."""
    if token.lower_ in words:
        clause = token.head
        while clause.dep_ not in ("relcl", "acl") and clause.head != clause:
            clause = clause.head
        if clause.dep_ in ("relcl", "acl"):
            return clause.head
    return token


# ---------------------------------------------------------------------------------- modality --
def _word_forms(token: Token) -> set[str]:
    """The lemma and crude stems of a verb, since the small model mislemmatises ("hopes" -> "hop")."""
    lower = token.lower_
    forms = {token.lemma_.lower(), lower}
    for suffix in ("es", "s", "ed", "d", "ing"):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            forms.add(lower[: -len(suffix)])
    return forms


def _asserted(token: Token, lexicon: Lexicon, speech: bool = False) -> bool:
    """False for negated, hypothetical, conditional or merely wished-for events."""
    negatable = ("nsubj", "nsubjpass") if speech else ("nsubj", "nsubjpass", "dobj")
    negations = lexicon.word_set("negations")
    modals = lexicon.word_set("hypothetical_modals")
    governors = lexicon.word_set("hypothetical_governors")
    marks = lexicon.word_set("conditional_marks")
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and child.lower_ in negations):
            return False
        if child.dep_ in negatable and any(g.dep_ == "det" and g.lower_ in negations for g in child.children):
            return False  # "no votes can be held", "held no talks" (but "reported no casualties" was said)
        if child.dep_ == "aux" and child.lower_ in modals:
            return False
        if child.dep_ == "mark" and child.lower_ in marks:
            return False
    node = token
    while node.dep_ in _CLAUSE_DEPS and node.head != node:
        head = node.head
        if node.dep_ == "pcomp" and head.dep_ == "prep" and _word_forms(head.head) & governors:
            return False  # "tasked with investigating", "aimed at ending"
        if node.dep_ in ("xcomp", "ccomp", "advcl") and _word_forms(head) & governors and not (
            node.dep_ == "advcl" and node.tag_ == "VBG"
        ):
            return False
        if node.dep_ in ("advcl", "conj", "ccomp"):
            if any(c.dep_ == "mark" and c.lower_ in marks for c in node.children):
                return False
        if any(c.dep_ == "neg" for c in head.children) and node.dep_ in ("xcomp",):
            return False
        node = head
    # an event inside a noun phrase of a hypothetical clause ("a bill that would allow removing
    # people who had been accused") is as hypothetical as the clause
    node = token
    while node.head != node and node.dep_ not in ("conj", "parataxis", "ccomp"):  # coordination starts anew
        node = node.head
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in modals for c in node.children):
            return False
    return True


# ------------------------------------------------------------------------------------ times --
def _time_anchors(doc: Doc, times: list[TimeExpr], triggers: set[int]) -> dict[int, TimeExpr]:
    """Token index of the verb or trigger each time expression modifies: "told Reuters last
    month" -> told; "since its release on November 4" -> release."""
    anchors: dict[int, TimeExpr] = {}
    for tx in times:
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None or tx.type not in ("DATE", "TIME"):
            continue
        if _in_a_name(span):
            continue
        node = span.root
        while node.dep_ in _TIME_PATH_DEPS and node.head != node:
            node = node.head
            if node.pos_ in ("VERB", "AUX") or node.i in triggers:
                break
        if node.i not in range(span.start, span.end):
            # "earlier this week on Wednesday": the narrower expression dates the event
            anchors[node.i] = (_narrower(anchors[node.i], tx) or tx) if node.i in anchors else tx
    return anchors


def _in_a_name(span) -> bool:
    """A time word that is part of a name: "the Winter Olympics", "the Spring Festival"."""
    words = [t for t in span if t.dep_ != "det"]
    return bool(words) and all(t.dep_ == "compound" and t.head.pos_ == "PROPN" and t.is_title
                               and t.head not in span for t in words)


def _time_for(token: Token, anchors: dict[int, TimeExpr], concurrent: frozenset[str]) -> TimeExpr | None:
    """The time of the trigger's own clause, or of the clause it depends on: a controlled verb
    ("urged X to repeal"), or a noun in a phrase of what happened meanwhile ("announced it on
    Wednesday despite criticism by Y")."""
    node = token
    for _ in range(4):
        if node.i in anchors:
            return anchors[node.i]
        if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.lower_ in concurrent:
            node = node.head.head
            continue
        if node.dep_ not in _INHERIT_DEPS or node.head == node:
            return None
        node = node.head
    return None


def _day_level(tx: TimeExpr | None) -> TimeExpr | None:
    """Facts are dated in ISO 8601 terms, to the day at most: "yesterday morning" (2019-03-16TMO)
    or "at 19:45 on Friday" (2019-11-08T19:45) dates an event 2019-03-16 or 2019-11-08."""
    if tx is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", tx.value):
        return replace(tx, value=tx.value[:10], type="DATE")
    if tx is not None and re.fullmatch(r"\d{4}-W\d{2}-WE", tx.value):
        return replace(tx, value=tx.value[:8])  # ISO 8601 has weeks, not weekends: "this weekend" is that week
    return tx


def _sentence_time(sent, times: list[TimeExpr], trigger: Token, bounds: frozenset[str]) -> TimeExpr | None:
    """A sentence with a single date dates all its events ("On Sunday, bombs killed 20 people
    ... as worshippers attended mass"): the parse often attaches the date to the wrong verb."""
    dates = [t for t in times if sent.start_char <= t.start and t.end <= sent.end_char and t.type in ("DATE", "TIME")
             and t.value[:1].isdigit()]
    if len(dates) != 1:
        return None
    span = sent.doc.char_span(dates[0].start, dates[0].end, alignment_mode="expand")
    if span is not None and span.root.dep_ in ("nummod", "compound", "amod", "poss", "nmod"):
        return None  # part of a name ("the 2014 Winter Olympics"), not when something happened
    if span is not None:
        # a date inside a relative clause ("the proclamation, which was
        # made on Monday") dates that event, not this one
        for clause in (a for a in [span.root, *span.root.ancestors] if a.dep_ in ("relcl", "acl")):
            if trigger not in clause.subtree:
                return None
        # "remain in custody until his next appearance on April 5": a bound, not when it happened
        if any(a.dep_ == "prep" and a.lower_ in bounds for a in span.root.ancestors):
            return None
    return dates[0]


def _paragraphs(text: str) -> Callable[[Token], int]:
    """The paragraph of a token's sentence: paragraphs are separated by blank lines, the
    headline is paragraph 0."""
    breaks = [m.start() for m in re.finditer("\n\n", text)]
    return lambda token: bisect.bisect_right(breaks, token.sent.start_char)


def _quoted(token: Token) -> bool:
    """Inside a quotation, where "today" is the speaker's day, not the article's."""
    return any(t.tag_ in ("``", "''") or t.text in "\"\u201c\u201d" for t in token.sent[: token.i - token.sent.start])


def _narrated_past(token: Token) -> bool:
    """A finite past-tense verb outside quotation marks: "She said", not "we will change"."""
    return token.tag_ == "VBD" and not _quoted(token)


def _other_actor(a: Argument | None, b: Argument | None) -> bool:
    """Two named actors of one kind that are not one ("Ruritania" is "the government of
    Ruritania"; "the governor" a headline names may be the person the body names)."""
    return a is not None and b is not None and a.entity is not None and b.entity is not None \
        and not (a.entity.local or b.entity.local) and a.entity.type == b.entity.type \
        and _same_participant(a, b) is False


def _carry_times(doc: Doc, text: str, events: list[Event], tokens: list[Token],
                 sequel: frozenset[str]) -> list[Event]:
    """Dates that hold beyond their sentence, as a reader carries them:
    - a story goes on about the same actor: "This Thursday the commission criticised the move.
      It released a statement ..." - the release is that Thursday too (same agent, the next
      sentence of the same paragraph, narrated in the past tense);
    - the headline sums up the lead: "Bombs kill 20 at cathedral" is dated by the body's first
      dated event of the same type ("Twin bombings yesterday struck ...");
    - "after the shooting" names an event told elsewhere with its day: the same day."""
    carried = list(events)
    sent_index = {s.start: k for k, s in enumerate(doc.sents)}
    paragraph_of = _paragraphs(text)
    where = [(sent_index[t.sent.start], paragraph_of(t)) for t in tokens]  # (sentence, paragraph)
    for k, (event, token) in enumerate(zip(events, tokens)):
        if event.time is not None:
            continue
        # "arrested 36 minutes after the shooting": the last shooting told, if told with its day
        after = _objects_of(token, sequel)
        told = [e for e, t in zip(events, tokens) if after and t.lemma_ == after[0].lemma_ and t.i < token.i]
        if told and told[-1].time is not None and granularity(told[-1].time.value) == "day":
            carried[k] = replace(event, time=told[-1].time)
            continue
        here, para = where[k]
        if here == 0:  # the headline
            later = [e for e, t, (_, p) in zip(events, tokens, where) if e.type == event.type and e.time is not None
                     and p > 0 and not _quoted(t) and not _other_actor(event.agent, e.agent)]
            if later:
                carried[k] = replace(event, time=later[0].time)
            continue
        if event.agent is None or event.agent.entity is None or not _narrated_past(token):
            continue
        before = [e for e, (s, p) in zip(events[:k], where[:k]) if e.time is not None
                  and 0 <= here - s <= 1 and p == para
                  and e.agent is not None and e.agent.entity is not None and e.agent.entity.key == event.agent.entity.key]
        if before:
            carried[k] = replace(event, time=before[-1].time)
    return carried


def _time_in_name(theme: list[Token], times: list[TimeExpr], resolver: Resolver, entry_type: str,
                  dated_types: frozenset[str]) -> TimeExpr | None:
    """An event named with its date ("the 2014 Winter Olympics will be held") happens then."""
    if not theme or resolver.kind_of(theme[0]) != "Event" or entry_type not in dated_types:
        return None
    head = theme[0]
    start, end = head.left_edge.idx, head.idx + len(head.text)
    # a year or date in the name ("the 2014 Winter Olympics"), not a word of it ("Winter")
    inside = [t for t in times if start <= t.start and t.end <= end and t.type == "DATE"
              and any(ch.isdigit() for ch in t.text)]
    return inside[0] if inside else None


# ------------------------------------------------------------------------------------ places --
def _place_tokens(token: Token, resolver: Resolver) -> list[Token]:
    node = token
    for _ in range(4):
        for prep in _PLACE_PREPS:
            for obj in _prep_objects(node, prep) if node == token else _objects_of(node, (prep,)):
                if resolver.kind_of(obj) == "Place":
                    return [obj]
        if node.dep_ not in _INHERIT_DEPS or node.head == node:
            return []
        node = node.head
    return []


# --------------------------------------------------------------------------------- assembling --
def _argument(token: Token, resolver: Resolver, lexicon: Lexicon, kinds: frozenset[str] | None) -> Argument | None:
    token = _relative_antecedent(token, lexicon.word_set("relative_pronouns"))
    if token.is_stop and token.pos_ != "PRON":  # "others", "many": nobody in particular
        return None
    entity = resolver.resolve(token, kinds)
    if token.pos_ == "PRON":
        # an unresolved pronoun ("I" in a quote) names nobody a reader could find
        return Argument(text=entity.name, entity=entity) if entity else None
    return Argument(text=phrase(token), entity=entity)


def _theme_ok(entry: Trigger, theme: Token | None, resolver: Resolver) -> bool:
    if entry.theme_kinds:
        kind = resolver.kind_of(resolver.through_quantity(theme)) if theme is not None else None
        if kind is None and theme is not None and theme.pos_ == "PRON":
            entity = resolver.resolve(theme)
            kinds = resolver.pronoun_kinds(theme)  # an unresolved "she" is still a person
            kind = entity.type if entity else kinds[0] if len(kinds) == 1 else None
        if kind not in entry.theme_kinds:
            return False
    if not (entry.theme_lemmas or entry.theme_not_lemmas):
        return True
    if theme is None:
        return not entry.theme_lemmas
    head = resolver.through_quantity(theme)
    lemma = head.lemma_.lower()
    if lemma in entry.theme_not_lemmas:
        return False
    if entry.theme_lemmas:
        kind = resolver.kind_of(head)
        return lemma in entry.theme_lemmas or (kind is not None and kind in entry.theme_entity_kinds) or any(
            w.lower() in entry.theme_lemmas for w in phrase(head).split()
        )
    return True


def extract_events(doc: Doc, lexicon: Lexicon, resolver: Resolver, times: list[TimeExpr]) -> list[Event]:
    """All events in the Doc, asserted or not, one per (trigger, agent) pair; see `merge_events`."""
    matches = find_triggers(doc, lexicon)
    role_paths = {m.token.i: _default_paths(m.token, m.entry) for m in matches}
    by_token = {m.token.i: m for m in matches}
    anchors = _time_anchors(doc, times, set(by_token))
    relative = lexicon.word_set("relative_pronouns")
    concurrent = lexicon.word_set("concurrent_preps")
    bound_preps = lexicon.word_set("time_bound_preps")
    dated_by_theme = lexicon.word_set("dated_by_theme_types")
    ent_of = {i: k for k, ent in enumerate(doc.ents) for i in range(ent.start, ent.end)}
    text = doc.text  # built anew on each access
    events: list[Event] = []
    event_tokens: list[Token] = []  # the trigger of each event, same order
    index_of: dict[int, list[int]] = {}

    for m in matches:
        chosen = _choose_entry(m, role_paths, resolver, lexicon)
        if chosen is None:
            continue
        entry, found = chosen
        if entry.type == "Statement" and any(c.dep_ == "mark" and c.lower_ == "as" for c in m.token.children):
            continue  # "(said X) as reported by Reuters" names the source of a report, it says nothing
        m = Match(m.token, (entry,))
        theme_tokens = found.get("theme", [])
        sent = m.token.sent
        sent_text = text[sent.start_char:sent.end_char]
        s_start = sent.start_char + (len(sent_text) - len(sent_text.lstrip()))
        s_end = sent.start_char + len(sent_text.rstrip())
        place = _place_tokens(m.token, resolver)
        time = _time_for(m.token, anchors, concurrent) or _time_in_name(
            theme_tokens, times, resolver, m.entry.type, dated_by_theme
        ) or _sentence_time(sent, times, m.token, bound_preps)
        time = _day_level(time)
        # conjoined agents act each ("France and Germany condemned"), but a name with "and" in
        # it is one agent ("the Islamic State of Iraq and the Levant")
        agents: list[Token | None] = [a for t in found.get("agent", [])[:1]
                  for a in [t, *(c for c in t.conjuncts if ent_of.get(c.i, -1) != ent_of.get(t.i, -2))]] or [None]
        for agent_token in agents:
            args: dict[str, Argument | None] = {"agent": None, "theme": None, "recipient": None, "place": None}
            if agent_token is not None:
                args["agent"] = _argument(agent_token, resolver, lexicon, ACTOR_KINDS | {"Legislation"})
            if theme_tokens:
                t = theme_tokens[0]
                if t.dep_ in ("xcomp", "ccomp", "pcomp") or t.pos_ in ("VERB", "AUX"):
                    args["theme"] = Argument(text=clause_text(t, without=m.token if t == m.token.head else None))
                else:
                    args["theme"] = _argument(t, resolver, lexicon, None)
            if found.get("recipient"):
                args["recipient"] = _argument(found["recipient"][0], resolver, lexicon, ACTOR_KINDS)
            if place:
                args["place"] = _argument(place[0], resolver, lexicon, frozenset({"Place"}))
            if args["agent"] and args["agent"].entity is None and args["agent"].text.lower() in relative:
                args["agent"] = None
            _not_the_agent(args, found, resolver)
            index_of.setdefault(m.token.i, []).append(len(events))
            event_tokens.append(m.token)
            events.append(Event(
                type=m.entry.type,
                trigger=_trigger_text(m),
                sentence=sent_text.strip(),
                start=s_start,
                end=s_end,
                agent=args["agent"], theme=args["theme"], recipient=args["recipient"], place=args["place"],
                time=time,
                confidence=_confidence(args),
                asserted=_asserted(m.token, lexicon, speech=m.entry.type == "Statement"),
                mentions=((s_start, s_end),),
            ))

    events = _carry_times(doc, text, events, event_tokens, lexicon.word_set("sequel_preps"))

    # an event that is what another event calls for or agrees to is that event's theme, not a fact
    for m in matches:
        if m.token.dep_ == "xcomp" and m.token.head.i in by_token:
            head_events = index_of.get(m.token.head.i, [])
            for k in index_of.get(m.token.i, []):
                events[k] = replace(events[k], asserted=False)
            for h in head_events:
                theme = events[h].theme
                if theme is not None and theme.event is None and index_of.get(m.token.i):
                    events[h] = replace(events[h], theme=replace(theme, event=events[index_of[m.token.i][0]]))
    return events


def _roles(token: Token, entry: Trigger, role_paths: dict[int, dict[str, str]], resolver: Resolver,
           lexicon: Lexicon) -> dict[str, list[Token]]:
    """The tokens that fill each role of this trigger read as this entry."""
    relative = lexicon.word_set("relative_pronouns")
    paths = _default_paths(token, entry)
    found: dict[str, list[Token]] = {r: _path_tokens(token, p) for r, p in paths.items()}
    if paths.get("agent") == "nsubj" and not found["agent"]:
        found["agent"] = _controller(token, role_paths)
    if paths.get("theme") == "nsubjpass" and not found.get("theme") and token.dep_ in ("advcl", "acl"):
        # "appeared in court, charged with murder": the one charged is the main clause's subject
        found["theme"] = [token.head] if token.dep_ == "acl" else _subjects(token.head, role_paths)
    if entry.pos == "NOUN" and found.get("agent") and found["agent"][0].ent_type_ in ("DATE", "TIME"):
        found["agent"] = []  # "Monday's attack" says when, not who or what
    if entry.pos == "NOUN" and found.get("agent"):
        # "its release": a possessor that cannot act is what was released, not who released it
        poss = found["agent"][0]
        if resolver.kind_of(_relative_antecedent(poss, relative)) not in ACTOR_KINDS and poss.lower_ not in (
                "his", "her", "their"):
            resolved = resolver.resolve(poss)
            if resolved is None or resolved.type not in ACTOR_KINDS:
                found["theme"] = found.get("theme") or [poss]
                found["agent"] = []
    found["theme"] = [_relative_antecedent(t, relative) for t in found.get("theme", [])]
    if entry.type == "Statement" and not found["theme"] and token.dep_ == "parataxis" and token.head.pos_ in (
            "VERB", "AUX"):
        found["theme"] = [token.head]  # "The economy, the minister said, is weak": said of the clause around it
    if found.get("agent"):
        found["agent"] = _issuer(found["agent"], role_paths, lexicon)
    return found


def _issuer(agents: list[Token], role_paths: dict[int, dict[str, str]], lexicon: Lexicon) -> list[Token]:
    """A document does not speak, its author does: "released a statement which said" and "a
    statement from the ministry said" are said by whoever released or wrote the statement."""
    document = _relative_antecedent(agents[0], lexicon.word_set("relative_pronouns"))
    if document.lemma_.lower() not in lexicon.word_set("document_nouns") or document.ent_type_:
        return agents
    for prep in ("from", "by", "of"):
        if found := _prep_objects(document, prep):
            return found
    if found := _children(document, "poss"):
        return found
    if document.dep_ == "dobj":
        return _subjects(document.head, role_paths)
    return []


def _agent_ok(entry: Trigger, agent: Token | None, resolver: Resolver) -> bool:
    """"ruled" is a Rule only when a court or judge rules."""
    if not entry.agent_lemmas:
        return True
    if agent is None:
        return False
    words = {agent.lemma_.lower(), *(w.lower() for w in phrase(agent).split())}
    entity = resolver.named(agent)
    if entity is not None:
        words |= {w.lower() for w in entity.name.split()}
    return bool(words & entry.agent_lemmas)


def _choose_entry(m: Match, role_paths: dict[int, dict[str, str]], resolver: Resolver,
                  lexicon: Lexicon) -> tuple[Trigger, dict[str, list[Token]]] | None:
    for entry in m.entries:
        found = _roles(m.token, entry, role_paths, resolver, lexicon)
        theme = found["theme"][0] if found.get("theme") else None
        agent = found["agent"][0] if found.get("agent") else None
        if entry.cause_lemmas:
            # "a bomb killed five", "the outbreak has killed 62": what did it is no actor
            cause = _relative_antecedent(agent, lexicon.word_set("relative_pronouns")) if agent is not None else None
            if cause is None or cause.lemma_.lower() not in entry.cause_lemmas:
                continue
            found["agent"], agent = [], None
        if _theme_ok(entry, theme, resolver) and _agent_ok(entry, agent, resolver):
            return entry, found
    return None


def _not_the_agent(args: dict[str, Argument | None], found: dict[str, list[Token]], resolver: Resolver) -> None:
    """"Putin met the chancellor": a description beside the agent is someone else, unless the
    text says so ("defended himself"). Resolution chose the most salient person, the agent."""
    agent = args.get("agent")
    if agent is None or agent.entity is None:
        return
    for role in ("theme", "recipient"):
        arg, tokens = args.get(role), found.get(role) or []
        if arg is None or arg.entity is None or not tokens or arg.entity.key != agent.entity.key:
            continue
        token = tokens[0]
        if token.lower_.endswith(("self", "selves")):
            continue
        own = resolver.describe(token) if token.pos_ != "PRON" else None
        args[role] = Argument(text=phrase(token), entity=own) if own else None


def _trigger_text(m: Match) -> str:
    words = [m.token.text]
    words += [c.text for c in m.token.children if c.dep_ == "prt"]
    if m.entry.prep:
        words.append(m.entry.prep)
    return " ".join(words)


def _confidence(args: dict[str, Argument | None]) -> float:
    """A rough score: named participants are more trustworthy than descriptions or pronouns."""
    score = 0.4
    for role, weight in (("agent", 0.3), ("theme", 0.2), ("recipient", 0.05), ("place", 0.05)):
        arg = args.get(role)
        if arg is not None:
            score += weight if arg.entity is not None and not arg.entity.local else weight / 2
    return round(min(score, 1.0), 2)


# ------------------------------------------------------------------------------------ merging --
def _words(text: str) -> set[str]:
    return {w for w in text.lower().replace("\u2019", "'").split() if w not in ("the", "a", "an", "its", "their", "his", "her")}


def _same_participant(a: Argument | None, b: Argument | None) -> bool | None:
    """True/False when both are given; None when either is missing."""
    if a is None or b is None:
        return None
    if a.entity is not None and b.entity is not None and a.entity.key == b.entity.key:
        return True
    wa, wb = _words(a.name), _words(b.name)
    return bool(wa and wb and (wa <= wb or wb <= wa))


def _times_agree(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    if a is None or b is None or a.value == b.value:
        return True
    ba, bb = bounds(a.value), bounds(b.value)
    if ba is None or bb is None:
        return False
    return (ba[0] <= bb[0] and bb[1] <= ba[1]) or (bb[0] <= ba[0] and ba[1] <= bb[1])


def _narrower(a: TimeExpr | None, b: TimeExpr | None) -> TimeExpr | None:
    """The more precise of two times: a day over its week, a date over "now"."""
    if a is None or b is None:
        return a or b
    ba, bb = bounds(a.value), bounds(b.value)
    if (ba is None and bb is not None) or (ba and bb and (bb[1] - bb[0]) < (ba[1] - ba[0])):
        return b
    return a


def _mergeable(a: Event, b: Event) -> bool:
    if a.type != b.type or not _times_agree(a.time, b.time):
        return False
    agent, theme = _same_participant(a.agent, b.agent), _same_participant(a.theme, b.theme)
    recipient = _same_participant(a.recipient, b.recipient)
    if agent is False or recipient is False:
        return False
    if agent and a.sentence == b.sentence:
        return True  # one speech act told twice in a sentence ("called for X, imploring Y to ...")
    if theme is False:
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
        place=pick(a.place, b.place), time=_narrower(a.time, b.time),
        confidence=max(a.confidence, b.confidence), mentions=a.mentions + b.mentions,
    )


def _complete(event: Event, agentless: frozenset[str], themed: frozenset[str]) -> bool:
    """A fact needs its actor, except for types whose actor is often unknown ("was held"), and
    its theme where the type means nothing without one ("X agreed", "Y was arrested")."""
    if event.type in themed and event.theme is None:
        return False
    return event.agent is not None or event.type in agentless


def merge_events(events: list[Event], lexicon: Lexicon) -> list[Event]:
    """The asserted facts of an article, one per real-world event: the headline and the body,
    or a verb and its nominalisation ("released ... since its release on November 4"), merge."""
    agentless = lexicon.word_set("agentless_types")
    themed = lexicon.word_set("theme_required_types")
    merged: list[Event] = []
    of_type: dict[str, list[int]] = {}  # indexes in `merged`: only events of one type merge
    for event in events:
        if not event.asserted:
            continue
        for k in of_type.get(event.type, ()):
            if _mergeable(merged[k], event):
                merged[k] = _merge(merged[k], event)
                break
        else:
            of_type.setdefault(event.type, []).append(len(merged))
            merged.append(event)
    return [e for e in merged if _complete(e, agentless, themed)]
