"""kg.facts: frames become events, and mentions of one event merge into one fact (no model)."""
from __future__ import annotations

from dataclasses import replace

from kg.facts import assemble, merge_events
from kg.types import Argument, Entity, Event, Frame, Participants, TimeExpr
from parses import entry, lexicon, parse, UN_CALLED_ON_RUSSIA

RUSSIA = Entity(key="place/russia", name="Russia", type="Place")
UN = Entity(key="organization/un", name="UN", type="Organization")
LAW = Entity(key="test/legislation/law", name="law", type="Legislation", local=True)
MONDAY = TimeExpr(0, 6, "Monday", "DATE", "2019-06-10")
THIS_WEEK = TimeExpr(0, 9, "this week", "DATE", "2019-W24")


def arg(entity: Entity) -> Argument:
    return Argument(text=entity.name, entity=entity)


def test_a_frame_becomes_an_event_with_its_words_sentence_and_confidence():
    doc = parse(UN_CALLED_ON_RUSSIA)
    call = Frame(trigger=2, entry=entry("Call", "call", prep="on"), governor=None, asserted=True, time=MONDAY,
                 participants=Participants(agent=arg(UN), theme=Argument("repeal the law"), recipient=arg(RUSSIA)))
    repeal = Frame(trigger=6, entry=entry("Repeal", "repeal"), governor=2, asserted=False, time=MONDAY,
                   participants=Participants(agent=arg(RUSSIA), theme=Argument("the law", entity=LAW)))
    events = assemble(doc, [call, Frame(trigger=8), repeal], lexicon())  # a frame with no entry gives no event
    assert [(e.type, e.trigger, e.asserted) for e in events] == [("Call", "called on", True), ("Repeal", "repeal", False)]
    called, repealed = events
    assert (called.sentence, called.start, called.end, called.mentions) == (doc.text, 0, len(doc.text), ((0, len(doc.text)),))
    assert called.time == MONDAY
    # named agent 0.3, a theme with no entity 0.1, named recipient 0.05; a description counts half
    assert (called.confidence, repealed.confidence) == (0.85, 0.8)
    # what the UN called for is the repeal: the Call's theme carries that event
    assert called.theme == Argument("repeal the law", event=repealed)


def test_a_particle_is_part_of_the_trigger():
    doc = parse("""
        0  The       the       DET   DT   det       1
        1  minister  minister  NOUN  NN   nsubj     2
        2  stepped   step      VERB  VBD  ROOT      2
        3  down      down      ADP   RP   prt       2
        4  .         .         PUNCT .    punct     2
    """)
    [event] = assemble(doc, [Frame(trigger=2, entry=entry("Resign", "step", particle="down"), asserted=True)], lexicon())
    assert event.trigger == "stepped down"


def event(type: str = "Repeal", agent: Entity | None = RUSSIA, theme: Argument | None = None,
          time: TimeExpr | None = None, sentence: str = "s1", start: int = 0, asserted: bool = True) -> Event:
    return Event(type=type, trigger="t", sentence=sentence, start=start, end=start + 2,
                 agent=arg(agent) if agent else None, theme=theme, time=time, asserted=asserted,
                 confidence=0.5, mentions=((start, start + 2),))


def test_two_mentions_of_one_event_merge_into_one_fact():
    """The headline and the body: one fact, with every mention, the narrower time and the roles of either."""
    headline = event(theme=Argument("gay propaganda law"), time=THIS_WEEK, sentence="s1", start=0)
    body = event(theme=Argument("the gay propaganda law", entity=LAW), time=MONDAY, sentence="s2", start=10)
    [fact] = merge_events([headline, body], lexicon())
    assert fact.mentions == ((0, 2), (10, 12))
    assert fact.time == MONDAY
    assert fact.theme == body.theme  # the one that names an entity


def test_mentions_with_other_agents_or_other_times_are_other_facts():
    a = event(time=MONDAY)
    assert len(merge_events([a, event(agent=UN, sentence="s2", start=10)], lexicon())) == 2
    assert len(merge_events([a, event(time=TimeExpr(0, 3, "May", "DATE", "2019-05"), start=10)], lexicon())) == 2


def test_only_asserted_events_are_facts():
    assert merge_events([event(asserted=False)], lexicon()) == []


def test_a_fact_needs_its_agent_unless_its_type_is_agentless_and_its_theme_where_it_means_nothing_without():
    victim = Argument("a man")
    facts = merge_events([
        event("Repeal", agent=None, theme=victim),   # who repealed? no fact
        event("Arrest", agent=None, theme=victim),   # "a man was arrested": a fact with no agent
        event("Arrest", agent=UN, theme=None),       # arrested whom? no fact
        replace(event("Host", agent=None), place=Argument("Sochi")),  # "held in Sochi": agentless, no theme needed
        event("Host", agent=None, theme=None),       # "it was held", nothing named: an event word alone
    ], lexicon())
    assert [(f.type, f.agent is None, f.theme is None) for f in facts] == [("Arrest", True, False), ("Host", True, True)]


def test_generic_events_of_different_verbs_are_different_facts():
    owns, leaves = (replace(event("Occurrence", theme=Argument("Apple")), predicate=p) for p in ("own", "leave"))
    assert [f.predicate for f in merge_events([owns, leaves, owns], lexicon())] == ["own", "leave"]


def test_confidence_follows_how_the_actor_was_found():
    from kg.facts import _confidence

    putin = Entity(key="person/vladimir-putin", name="Vladimir Putin", type="Person")
    law = Argument(text="the law", entity=Entity(key="legislation/law", name="law", type="Legislation"))

    def score(**agent: object) -> float:
        return _confidence(Participants(agent=Argument(text="x", entity=putin, **agent), theme=law))  # type: ignore[arg-type]

    named, pronoun, contested = score(), score(via="pronoun"), score(via="pronoun", contested=True)
    assert named > pronoun > contested
    assert named >= 0.8 > contested  # a contested choice is no fact to sign off unread


def test_a_saying_with_nothing_said_takes_in_no_later_saying_of_the_body_but_a_headline_does():
    """"Jobs gave a keynote." / "He announced a switch to Intel.": two sayings, two facts; the
    headline "Jobs speaks at WWDC" sums up the body's saying, one fact."""
    keynote = event(type="Statement", agent=UN, sentence="s1", start=20)
    announced = event(type="Statement", agent=UN, theme=Argument("a switch to Intel"), sentence="s2", start=40)
    assert len(merge_events([keynote, announced], lexicon())) == 2
    headline = event(type="Statement", agent=UN, sentence="s0", start=0)
    [fact] = merge_events([headline, announced], lexicon(), headline_end=10)
    assert fact.mentions == ((0, 2), (40, 42)) and fact.theme == announced.theme
    said_again = event(type="Statement", agent=UN, sentence="s3", start=60)  # "..., he said."
    assert len(merge_events([announced, said_again], lexicon())) == 1
