"""Event stage 4, anchoring: when each event happened.

Reads:   the parse, the article's time expressions (`kg.timex`), every frame's trigger (a time on
         any trigger dates that trigger, not the verb above it), Frame.entry and .theme, and the
         agent's entity (Frame.participants, `kg.referents`) to carry a date on to the same
         actor's next event; asks `Referents` whether a theme is an Event.
Assigns: Frame.time, to the day at most, or None when the text gives no time. In turn:
         1. the time expression in the trigger's own clause ("told Reuters last month"), or of
            the clause it depends on (a controlled verb; "despite/amid criticism by X");
         2. for an event named with its year ("the 2014 Winter Olympics will be held"), that year;
         3. the sentence's only date, unless it is a deadline ("until April 5");
         4. then what a reader carries over from other sentences (`_carry_times`).
         Frame.bound for a frame still undated: what the article's date says of it (`_bound`).
Frames with no entry are passed on as they are.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon, Trigger
from kg.frames import speech_act
from kg.referents import Referents, same_participant
from kg.syntax import INHERITING_DEPS, in_quotation, objects_of, text_of
from kg.timex import bounds, granularity
from kg.types import Argument, Frame, TimeBound, TimeExpr

_REPORTED_DEPS = ("ccomp", "xcomp", "parataxis", "dobj")  # what a verb of saying says
_TIME_PATH_DEPS = {"pobj", "prep", "npadvmod", "advmod", "nummod", "compound", "amod", "det", "appos",
                   "nmod", "quantmod", "pcomp", "tmod", "obl", "dobj", "attr", "oprd"}


def _dated_by_theme(entry: Trigger, lexicon: Lexicon) -> bool:
    """Whether an event of this type happens when its theme, an event named with its date, does
    ("the 2014 Winter Olympics will be held"): the type's `dated_by_theme` flag."""
    return lexicon.types[entry.type].dated_by_theme


def anchor_times(doc: Doc, frames: list[Frame], times: list[TimeExpr], referents: Referents,
                 lexicon: Lexicon, published: dt.date | None = None) -> list[Frame]:
    """Each frame with its time, or a bound from the article's date `published` (if known)."""
    anchors = _time_anchors(doc, times, {f.trigger for f in frames})
    concurrent = lexicon.word_set("concurrent_preps")
    bound_preps = lexicon.word_set("time_bound_preps")
    own: dict[int, TimeExpr | None] = {}  # by trigger: the frames of one trigger (one per agent) share it
    timed = []
    for frame in frames:
        if frame.entry is None:
            continue
        if frame.trigger not in own:
            token = doc[frame.trigger]
            theme = doc[frame.theme] if frame.theme is not None else None
            time = _time_for(token, anchors, concurrent) or _time_in_name(
                theme, times, referents, frame.entry, lexicon
            ) or _sentence_time(token.sent, times, token, bound_preps, speech_act(frame.entry, lexicon))
            own[frame.trigger] = _day_level(time)
        timed.append(replace(frame, time=own[frame.trigger]))
    future = lexicon.word_set("future_auxiliaries")
    carried = iter(_carry_times(doc, timed, lexicon))
    return [frame if frame.entry is None else _bound(next(carried), doc, published, future) for frame in frames]


def _bound(frame: Frame, doc: Doc, published: dt.date | None, future: frozenset[str]) -> Frame:
    """An undated fact still has a place in time: a news article tells what has happened by its
    date, and what "will" happen after it."""
    if frame.time is not None or published is None:
        return frame
    trigger = doc[frame.trigger]
    if any(c.dep_ == "aux" and c.lower_ in future for c in trigger.children):
        return replace(frame, bound=TimeBound(earliest=published))
    return replace(frame, bound=TimeBound(latest=published))


# -------------------------------------------------------------------- a time on the trigger --
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
            anchors[node.i] = _narrower(anchors[node.i], tx) if node.i in anchors else tx
    return anchors


def _in_a_name(span: Span) -> bool:
    """A time word that is part of a name: "the Winter Olympics", "the Spring Festival", "WWDC 2005"."""
    words = [t for t in span if t.dep_ != "det"]
    return bool(words) and all(t.dep_ in ("compound", "nummod") and t.head.pos_ == "PROPN" and (t.is_title or t.is_digit)
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
        if node.dep_ not in INHERITING_DEPS or node.head == node:
            return None
        if _own_tense(node):
            return None  # "posted a loss for the quarter and will cut jobs": a tense of its own
        node = node.head
    return None


def _time_in_name(theme: Token | None, times: list[TimeExpr], referents: Referents, entry: Trigger,
                  lexicon: Lexicon) -> TimeExpr | None:
    """An event named with its date ("the 2014 Winter Olympics will be held") happens then."""
    if theme is None or not _dated_by_theme(entry, lexicon) or referents.kind(theme) != "Event":
        return None
    start, end = theme.left_edge.idx, theme.idx + len(theme.text)
    # a year or date in the name ("the 2014 Winter Olympics"), not a word of it ("Winter")
    inside = [t for t in times if start <= t.start and t.end <= end and t.type == "DATE"
              and any(ch.isdigit() for ch in t.text)]
    return inside[0] if inside else None


def _sentence_time(sent: Span, times: list[TimeExpr], trigger: Token, bounds: frozenset[str],
                   speech: bool = False) -> TimeExpr | None:
    """A sentence with a single date dates all its events ("On Sunday, bombs killed 20 people
    ... as worshippers attended mass"): the parse often attaches the date to the wrong verb.
    Not a verb of saying, though, when the date is on an event inside what was said: "Boeing has
    announced that development, begun two years ago, ..." was not announced two years ago."""
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
        if speech and _dates_a_reported_event(span, trigger):
            return None
        if _own_tense(trigger) and span.root not in trigger.subtree:
            return None  # "posted a loss for the first quarter and will cut jobs"
    return dates[0]


def _own_tense(token: Token) -> bool:
    """A conjoined verb with an auxiliary of its own is told in its own tense."""
    return token.dep_ == "conj" and any(c.dep_ == "aux" for c in token.children)


def _day_level(tx: TimeExpr | None) -> TimeExpr | None:
    """Facts are dated in ISO 8601 terms, to the day at most: "yesterday morning" (2019-03-16TMO)
    or "at 19:45 on Friday" (2019-11-08T19:45) dates an event 2019-03-16 or 2019-11-08."""
    if tx is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", tx.value):
        return replace(tx, value=tx.value[:10], type="DATE")
    if tx is not None and re.fullmatch(r"\d{4}-W\d{2}-WE", tx.value):
        return replace(tx, value=tx.value[:8])  # ISO 8601 has weeks, not weekends: "this weekend" is that week
    return tx


# ------------------------------------------------------------------ times across sentences --
def _dates_a_reported_event(span: Span, trigger: Token) -> bool:
    """Whether the date is part of what the verb of saying reports: after the reported clause's
    subject ("announced that development, begun *two years ago*, ..."), or on a verb nested in
    that clause. A date between the verb and the clause ("said *yesterday* the laws should
    change") may be the saying's: the parse cannot tell, and it is left to it."""
    verb = next((a for a in [span.root, *span.root.ancestors] if a.pos_ in ("VERB", "AUX")), None)
    if trigger.dep_ == "parataxis" and span.root in trigger.head.subtree and span.root not in trigger.subtree:
        return True  # "This switch, he said, would happen (beginning) next year": the saying is set in what it says
    for clause in (c for c in trigger.children if c.dep_ in _REPORTED_DEPS and span.root in c.subtree):
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if (subjects and span.start > subjects[0].i) or (verb is not None and verb != clause):
            return True
    return False


def _paragraphs(text: str) -> Callable[[Token], int]:
    """The paragraph of a token's sentence: paragraphs are separated by blank lines, the
    headline is paragraph 0."""
    breaks = [m.start() for m in re.finditer("\n\n", text)]
    return lambda token: bisect.bisect_right(breaks, token.sent.start_char)


def _narrated_past(token: Token) -> bool:
    """A finite past-tense verb outside quotation marks: "She said", not "we will change"."""
    return token.tag_ == "VBD" and not in_quotation(token)


def _background(token: Token) -> bool:
    """An event told in a relative clause or a participle ("Trump, who appointed her in 2017,
    ...") is background to the story, not a step of it: its date does not pass on."""
    return any(t.dep_ in ("relcl", "acl") for t in (token, *token.ancestors))


def _goes_on(told: tuple[Frame, Token, int], token: Token, here: int) -> bool:
    """Whether the story told with a date goes on at `token` (sentence `here`), by the same actor:
    in the next sentence, or further on in the paragraph when both are steps of the main story
    (main clauses) and the date is a day ("Jobs gave the keynote on Monday. ... Jobs said ...");
    a year may be a biography's, whose next steps are years apart."""
    frame, source, sentence = told
    assert frame.time is not None
    if here - sentence <= 1:
        return True
    return _main_clause(source) and _main_clause(token) and granularity(frame.time.value) == "day"


def _main_clause(token: Token) -> bool:
    """A verb of the sentence's main clause, conjoined to it or set in it ("This switch, he
    said, would ..."): a step of the story, not an event reported, explained or set in the
    background by a subordinate clause."""
    while token.dep_ == "conj":
        token = token.head
    return token.dep_ == "ROOT" or (token.dep_ == "parataxis" and token.head.dep_ == "ROOT")


def _other_actor(a: Argument | None, b: Argument | None, stopwords: frozenset[str]) -> bool:
    """Two named actors of one kind that are not one ("Ruritania" is "the government of
    Ruritania"; "the governor" a headline names may be the person the body names)."""
    return a is not None and b is not None and a.entity is not None and b.entity is not None \
        and not (a.entity.local or b.entity.local) and a.entity.type == b.entity.type \
        and same_participant(a, b, stopwords) is False


def _carry_times(doc: Doc, frames: list[Frame], lexicon: Lexicon) -> list[Frame]:
    """Dates that hold beyond their sentence, as a reader carries them (`frames`: those with an
    entry, in order, each with its own time):
    - a story goes on about the same actor: "This Thursday the commission criticised the move.
      It released a statement ..." - the release is that Thursday too (same agent, same
      paragraph, narrated in the past tense, not from a relative clause; beyond the next
      sentence only a day, from main clause to main clause: `_goes_on`);
    - the headline sums up the lead: "Bombs kill 20 at cathedral" is dated by the body's first
      dated event of the same type ("Twin bombings yesterday struck ..."; a generic event: of
      the same verb);
    - "after the shooting" names an event told elsewhere with its day: the same day.
    Only a frame's own time is carried, never one it was itself given."""
    sequel = lexicon.word_set("sequel_preps")
    stopwords = lexicon.word_set("participant_stopwords")
    carried = list(frames)
    tokens = [doc[f.trigger] for f in frames]
    sent_index = {s.start: k for k, s in enumerate(doc.sents)}
    paragraph_of = _paragraphs(text_of(doc))
    where = [(sent_index[t.sent.start], paragraph_of(t)) for t in tokens]  # (sentence, paragraph)
    for k, (frame, token) in enumerate(zip(frames, tokens)):
        if frame.time is not None:
            continue
        assert frame.entry is not None
        agent = frame.participants.agent
        # "arrested 36 minutes after the shooting": the last shooting told, if told with its day
        after = objects_of(token, sequel)
        told = [f for f, t in zip(frames, tokens) if after and t.lemma_ == after[0].lemma_ and t.i < token.i]
        if told and told[-1].time is not None and granularity(told[-1].time.value) == "day":
            carried[k] = replace(frame, time=told[-1].time)
            continue
        here, para = where[k]
        if here == 0:  # the headline
            later = [f for f, t, (_, p) in zip(frames, tokens, where)
                     if f.entry is not None and f.entry.type == frame.entry.type and f.time is not None
                     and (not frame.entry.generic or t.lemma_ == token.lemma_)
                     and p > 0 and not in_quotation(t) and not _other_actor(agent, f.participants.agent, stopwords)]
            if later:
                carried[k] = replace(frame, time=later[0].time)
            continue
        if agent is None or agent.entity is None or not _narrated_past(token):
            continue
        before = [(f, t, s) for f, t, (s, p) in zip(frames[:k], tokens[:k], where[:k]) if f.time is not None
                  and not _background(t) and 0 <= s <= here and p == para
                  and (a := f.participants.agent) is not None and a.entity is not None
                  and a.entity.key == agent.entity.key]
        if before and _goes_on(before[-1], token, here):
            carried[k] = replace(frame, time=before[-1][0].time)
    return carried


# ------------------------------------------------------------------- comparing two times --
def times_agree(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    """Whether two times may be of one event: either missing, equal, or one within the other."""
    if a is None or b is None or a.value == b.value:
        return True
    ba, bb = bounds(a.value), bounds(b.value)
    if ba is None or bb is None:
        return False
    return (ba[0] <= bb[0] and bb[1] <= ba[1]) or (bb[0] <= ba[0] and ba[1] <= bb[1])


def narrower(a: TimeExpr | None, b: TimeExpr | None) -> TimeExpr | None:
    """The more precise of two times: a day over its week, a date over "now"; either if one is missing."""
    if a is None or b is None:
        return a or b
    return _narrower(a, b)


def _narrower(a: TimeExpr, b: TimeExpr) -> TimeExpr:
    ba, bb = bounds(a.value), bounds(b.value)
    if (ba is None and bb is not None) or (ba and bb and (bb[1] - bb[0]) < (ba[1] - ba[0])):
        return b
    return a
