"""kg.anchoring on hand-written parses, time expressions and frames: when each event happened
(no model; the time expressions are written out too, as kg.timex would give them)."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.anchoring import anchor_times, narrower, times_agree
from kg.types import Argument, Entity, Frame, Participants, TimeExpr, TimeBound
from parses import entry, lexicon, parse, referents_of, time_of


def anchor(doc: Doc, frames: list[Frame], times: list[TimeExpr]) -> list[str | None]:
    """The time value of each frame after anchoring."""
    return [f.time.value if f.time else None for f in anchor_times(doc, frames, times, referents_of(doc), lexicon())]


def test_a_date_dates_the_verb_it_modifies():
    doc = parse("""
        0  Russia      Russia      PROPN NNP  nsubj     1   B-GPE
        1  repealed    repeal      VERB  VBD  ROOT      1
        2  the         the         DET   DT   det       3
        3  law         law         NOUN  NN   dobj      1
        4  on          on          ADP   IN   prep      1
        5  Monday      Monday      PROPN NNP  pobj      4   B-DATE
        6  and         and         CCONJ CC   cc        1
        7  the         the         DET   DT   det       8
        8  UN          UN          PROPN NNP  nsubj     9   B-ORG
        9  criticised  criticise   VERB  VBD  conj      1
        10 it          it          PRON  PRP  dobj      9
        11 on          on          ADP   IN   prep      9
        12 Tuesday     Tuesday     PROPN NNP  pobj      11  B-DATE
        13 .           .           PUNCT .    punct     9
    """)
    times = [time_of(doc, "Monday", "2019-06-10"), time_of(doc, "Tuesday", "2019-06-11")]
    frames = [Frame(trigger=1, entry=entry("Repeal")), Frame(trigger=9, entry=entry("Criticize"))]
    assert anchor(doc, frames, times) == ["2019-06-10", "2019-06-11"]


def test_a_controlled_verb_takes_the_time_of_its_controller():
    doc = parse("""
        0  Germany  Germany  PROPN NNP  nsubj     1   B-GPE
        1  urged    urge     VERB  VBD  ROOT      1
        2  Russia   Russia   PROPN NNP  dobj      1   B-GPE
        3  on       on       ADP   IN   prep      1
        4  Monday   Monday   PROPN NNP  pobj      3   B-DATE
        5  to       to       PART  TO   aux       6
        6  repeal   repeal   VERB  VB   xcomp     1
        7  the      the      DET   DT   det       8
        8  law      law      NOUN  NN   dobj      6
        9  .        .        PUNCT .    punct     1
    """)
    frames = [Frame(trigger=1, entry=entry("Call")), Frame(trigger=6, entry=entry("Repeal"), governor=1)]
    assert anchor(doc, frames, [time_of(doc, "Monday", "2019-06-10")]) == ["2019-06-10", "2019-06-10"]


def test_the_only_date_of_a_sentence_dates_its_events():
    """The parse attaches "on Sunday" to "met"; "resigned" has no time of its own."""
    doc = parse("""
        0  The         the         DET   DT   det       1
        1  minister    minister    NOUN  NN   nsubj     2
        2  resigned    resign      VERB  VBD  ROOT      2
        3  ,           ,           PUNCT ,    punct     2
        4  and         and         CCONJ CC   cc        2
        5  parliament  parliament  NOUN  NN   nsubj     6
        6  met         meet        VERB  VBD  conj      2
        7  on          on          ADP   IN   prep      6
        8  Sunday      Sunday      PROPN NNP  pobj      7   B-DATE
        9  .           .           PUNCT .    punct     6
    """)
    frames = [Frame(trigger=2, entry=entry("Resign")), Frame(trigger=6, entry=entry("Meet"))]
    assert anchor(doc, frames, [time_of(doc, "Sunday", "2019-06-09")]) == ["2019-06-09", "2019-06-09"]
    assert anchor(doc, frames, []) == [None, None]


def test_an_event_named_with_its_year_happens_then():
    doc = parse("""
        0  The       the       DET   DT   det       3
        1  2014      2014      NUM   CD   nummod    3   B-EVENT
        2  Winter    Winter    PROPN NNP  compound  3   I-EVENT
        3  Olympics  Olympics  PROPN NNPS nsubjpass 6   I-EVENT
        4  will      will      AUX   MD   aux       6
        5  be        be        AUX   VB   auxpass   6
        6  held      hold      VERB  VBN  ROOT      6
        7  in        in        ADP   IN   prep      6
        8  Sochi     Sochi     PROPN NNP  pobj      7   B-GPE
        9  .         .         PUNCT .    punct     6
    """)
    times = [time_of(doc, "2014", "2014")]
    assert anchor(doc, [Frame(trigger=6, entry=entry("Host"), theme=3)], times) == ["2014"]
    # only types dated by their theme (dated_by_theme_types): a Release of the Olympics is not
    assert anchor(doc, [Frame(trigger=6, entry=entry("Release"), theme=3)], times) == [None]


def test_facts_are_dated_to_the_day_at_most():
    doc = parse("""
        0  Russia    Russia    PROPN NNP  nsubj     1   B-GPE
        1  repealed  repeal    VERB  VBD  ROOT      1
        2  the       the       DET   DT   det       3
        3  law       law       NOUN  NN   dobj      1
        4  at        at        ADP   IN   prep      1
        5  19:45     19:45     NUM   CD   pobj      4   B-TIME
        6  .         .         PUNCT .    punct     1
    """)
    [frame] = anchor_times(doc, [Frame(trigger=1, entry=entry("Repeal"))],
                           [time_of(doc, "19:45", "2019-06-14T19:45", "TIME")], referents_of(doc), lexicon())
    assert frame.time is not None and (frame.time.value, frame.time.type) == ("2019-06-14", "DATE")


COMMISSION = Entity(key="organization/commission", name="commission", type="Organization")
STORY = """
    0  Commission  commission  NOUN  NN   nsubj     1
    1  criticises  criticise   VERB  VBZ  ROOT      1
    2  move        move        NOUN  NN   dobj      1
    3  ¶           ¶           SPACE _SP  dep       1
    4  On          on          ADP   IN   prep      8
    5  Thursday    Thursday    PROPN NNP  pobj      4   B-DATE
    6  the         the         DET   DT   det       7
    7  commission  commission  NOUN  NN   nsubj     8
    8  criticised  criticise   VERB  VBD  ROOT      8
    9  the         the         DET   DT   det       10
    10 move        move        NOUN  NN   dobj      8
    11 .           .           PUNCT .    punct     8
    12 It          it          PRON  PRP  nsubj     13
    13 released    release     VERB  VBD  ROOT      13
    14 a           a           DET   DT   det       15
    15 statement   statement   NOUN  NN   dobj      13
    16 .           .           PUNCT .    punct     13
"""


def by(entity: Entity) -> Participants:
    return Participants(agent=Argument(text=entity.name, entity=entity))


def test_a_date_carries_to_the_headline_and_to_the_same_actor_in_the_next_sentence():
    """"On Thursday the commission criticised the move. It released a statement.": the release
    is that Thursday too; the headline sums up the body's first dated event of its type."""
    doc = parse(STORY)
    assert doc.text.startswith("Commission criticises move\n\nOn Thursday")
    frames = [Frame(trigger=1, entry=entry("Criticize"), participants=by(COMMISSION)),
              Frame(trigger=8, entry=entry("Criticize"), participants=by(COMMISSION)),
              Frame(trigger=13, entry=entry("Release"), participants=by(COMMISSION))]
    thursday = time_of(doc, "Thursday", "2019-06-13")
    assert anchor(doc, frames, [thursday]) == ["2019-06-13"] * 3
    other = Entity(key="organization/council", name="council", type="Organization")
    frames[2] = Frame(trigger=13, entry=entry("Release"), participants=by(other))
    assert anchor(doc, frames, [thursday]) == ["2019-06-13", "2019-06-13", None]


def test_a_date_in_a_relative_clause_is_background_and_does_not_carry():
    """"Trump, who appointed Murphy in 2017, responded. He asserted he had won.": the
    assertion is not of 2017."""
    doc = parse("""
        0  Trump      Trump     PROPN NNP  nsubj     7   B-PERSON
        1  ,          ,         PUNCT ,    punct     0
        2  who        who       PRON  WP   nsubj     3
        3  appointed  appoint   VERB  VBD  relcl     0
        4  Murphy     Murphy    PROPN NNP  dobj      3   B-PERSON
        5  in         in        ADP   IN   prep      3
        6  2017       2017      NUM   CD   pobj      5   B-DATE
        7  responded  respond   VERB  VBD  ROOT      7
        8  .          .         PUNCT .    punct     7
        9  He         he        PRON  PRP  nsubj     10
        10 asserted   assert    VERB  VBD  ROOT      10
        11 he         he        PRON  PRP  nsubj     13
        12 had        have      AUX   VBD  aux       13
        13 won        win       VERB  VBN  ccomp     10
        14 .          .         PUNCT .    punct     10
    """)
    trump = Entity(key="person/trump", name="Trump", type="Person")
    frames = [Frame(trigger=3, entry=entry("Appoint"), participants=by(trump)),
              Frame(trigger=10, entry=entry("Statement"), participants=by(trump))]
    assert anchor(doc, frames, [time_of(doc, "2017", "2017")]) == ["2017", None]


def test_a_frame_with_no_entry_is_passed_on_and_lends_no_date():
    doc = parse(STORY)
    frames = [Frame(trigger=8), Frame(trigger=13, entry=entry("Release"), participants=by(COMMISSION))]
    timed = anchor_times(doc, frames, [time_of(doc, "Thursday", "2019-06-13")], referents_of(doc), lexicon())
    assert timed[0] == frames[0]
    assert timed[1].time is None  # nothing to carry from: the criticism is no event


def test_times_agree_when_one_is_within_the_other_and_the_narrower_wins():
    day = TimeExpr(0, 1, "Monday", "DATE", "2019-06-10")
    week = TimeExpr(0, 1, "this week", "DATE", "2019-W24")
    other = TimeExpr(0, 1, "May", "DATE", "2019-05")
    assert times_agree(day, week) and times_agree(day, None) and not times_agree(day, other)
    assert narrower(week, day) == day and narrower(day, week) == day and narrower(None, week) == week


def test_an_undated_fact_is_bounded_by_the_article_date():
    import datetime as dt

    doc = parse("""
        0  Russia    Russia    PROPN NNP  nsubj     1   B-GPE
        1  repealed  repeal    VERB  VBD  ROOT      1
        2  the       the       DET   DT   det       3
        3  law       law       NOUN  NN   dobj      1
        4  .         .         PUNCT .    punct     1
        5  Russia    Russia    PROPN NNP  nsubj     7   B-GPE
        6  will      will      AUX   MD   aux       7
        7  repeal    repeal    VERB  VB   ROOT      7
        8  the       the       DET   DT   det       9
        9  ban       ban       NOUN  NN   dobj      7
        10 .         .         PUNCT .    punct     7
    """)
    day = dt.date(2019, 6, 14)
    told, coming = anchor_times(doc, [Frame(trigger=1, entry=entry("Repeal")), Frame(trigger=7, entry=entry("Repeal"))],
                                [], referents_of(doc), lexicon(), day)
    assert (told.time, told.bound) == (None, TimeBound(latest=day))  # done by the time it was told
    assert (coming.time, coming.bound) == (None, TimeBound(earliest=day))  # "will": after it
    [unknown] = anchor_times(doc, [Frame(trigger=1, entry=entry("Repeal"))], [], referents_of(doc), lexicon())
    assert unknown.bound is None  # no article date, no bound


def test_a_verb_of_saying_is_not_dated_by_what_it_reports():
    """"Boeing has announced that development, begun two years ago, is on schedule": the
    sentence's only date is the development's, inside what was said."""
    doc = parse("""
        0  Boeing       Boeing       PROPN NNP  nsubj     2   B-ORG
        1  has          have         AUX   VBZ  aux       2
        2  announced    announce     VERB  VBN  ROOT      2
        3  that         that         SCONJ IN   mark      11
        4  development  development  NOUN  NN   nsubj     11
        5  ,            ,            PUNCT ,    punct     4
        6  begun        begin        VERB  VBN  acl       4
        7  two          two          NUM   CD   nummod    8
        8  years        year         NOUN  NNS  npadvmod  9
        9  ago          ago          ADV   RB   advmod    6
        10 ,            ,            PUNCT ,    punct     4
        11 is           be           AUX   VBZ  ccomp     2
        12 late         late         ADJ   JJ   acomp     11
        13 .            .            PUNCT .    punct     2
    """)
    [announced] = anchor_times(doc, [Frame(trigger=2, entry=entry("Statement"))],
                               [time_of(doc, "two years ago", "2006")], referents_of(doc), lexicon())
    assert announced.time is None


def test_a_conjoined_verb_with_its_own_tense_keeps_its_own_time():
    """"posted a loss for the quarter and will cut jobs": the cut is still to come."""
    doc = parse("""
        0  Norvik   Norvik   PROPN NNP  nsubj     1   B-ORG
        1  posted   post     VERB  VBD  ROOT      1
        2  a        a        DET   DT   det       3
        3  loss     loss     NOUN  NN   dobj      1
        4  for      for      ADP   IN   prep      3
        5  the      the      DET   DT   det       6   B-DATE
        6  quarter  quarter  NOUN  NN   pobj      4   I-DATE
        7  and      and      CCONJ CC   cc        1
        8  will     will     AUX   MD   aux       9
        9  cut      cut      VERB  VB   conj      1
        10 jobs     job      NOUN  NNS  dobj      9
        11 .        .        PUNCT .    punct     1
    """)
    frames = [Frame(trigger=1, entry=entry("ReportResults")), Frame(trigger=9, entry=entry("CutJobs"))]
    assert anchor(doc, frames, [time_of(doc, "the quarter", "2024-Q1")]) == ["2024-Q1", None]


KEYNOTE = """
    0  On         on         ADP   IN   prep      2
    1  Monday     Monday     PROPN NNP  pobj      0   B-DATE
    2  Jobs       Jobs       PROPN NNP  nsubj     3   B-PERSON
    3  gave       give       VERB  VBD  ROOT      3
    4  a          a          DET   DT   det       5
    5  keynote    keynote    NOUN  NN   dobj      3
    6  .          .          PUNCT .    punct     3
    7  Apple      Apple      PROPN NNP  nsubj     8   B-ORG
    8  has        have       VERB  VBZ  ROOT      8
    9  stores     store      NOUN  NNS  dobj      8
    10 .          .          PUNCT .    punct     8
"""  # "On Monday Jobs gave a keynote. Apple has stores.": a dated step, then a sentence of background
LEAD = KEYNOTE + """
    11 Engineers  engineer   NOUN  NNS  nsubj     12
    12 attended   attend     VERB  VBD  ROOT      12
    13 .          .          PUNCT .    punct     12
    14 Jobs       Jobs       PROPN NNP  nsubj     15  B-PERSON
    15 announced  announce   VERB  VBD  ROOT      15
    16 a          a          DET   DT   det       17
    17 switch     switch     NOUN  NN   dobj      15
    18 ,          ,          PUNCT ,    punct     15
    19 which      which      PRON  WDT  nsubj     20
    20 surprised  surprise   VERB  VBD  relcl     17
    21 .          .          PUNCT .    punct     15
"""


def test_a_day_carries_through_the_paragraph_to_the_same_actor_in_a_main_clause():
    """"On Monday Jobs gave a keynote. ... Jobs announced a switch": the announcement, three
    sentences on, is of that Monday (the story goes on); a year would not carry so far (a
    biography's steps are years apart), nor a day to a clause in the background."""
    doc = parse(LEAD)
    jobs = Entity(key="person/jobs", name="Jobs", type="Person")
    frames = [Frame(trigger=3, entry=entry("Statement"), participants=by(jobs)),
              Frame(trigger=15, entry=entry("Statement"), participants=by(jobs)),
              Frame(trigger=20, entry=entry("Statement"), participants=by(jobs))]
    assert anchor(doc, frames, [time_of(doc, "Monday", "2005-06-06")]) == ["2005-06-06", "2005-06-06", None]
    assert anchor(doc, frames, [time_of(doc, "Monday", "2005")]) == ["2005", None, None]
    someone = Entity(key="person/wozniak", name="Wozniak", type="Person")
    frames[1] = Frame(trigger=15, entry=entry("Statement"), participants=by(someone))
    assert anchor(doc, frames, [time_of(doc, "Monday", "2005-06-06")]) == ["2005-06-06", None, None]


def test_a_saying_set_inside_what_it_says_is_not_dated_by_it():
    """"This switch, he said, would happen next year": the year is the switch's."""
    doc = parse("""
        0  This    this    DET   DT   det        1
        1  switch  switch  NOUN  NN   nsubj      7
        2  ,       ,       PUNCT ,    punct      4
        3  he      he      PRON  PRP  nsubj      4
        4  said    say     VERB  VBD  parataxis  7
        5  ,       ,       PUNCT ,    punct      4
        6  would   would   AUX   MD   aux        7
        7  happen  happen  VERB  VB   ROOT       7
        8  next    next    ADJ   JJ   amod       9   B-DATE
        9  year    year    NOUN  NN   npadvmod   7   I-DATE
        10 .       .       PUNCT .    punct      7
    """)
    assert anchor(doc, [Frame(trigger=4, entry=entry("Statement"))], [time_of(doc, "next year", "2006")]) == [None]


def test_a_year_in_a_name_dates_nothing():
    """"Jobs gives keynote to WWDC 2005": the year names the conference."""
    doc = parse("""
        0  Jobs     Jobs     PROPN NNP  nsubj     1   B-PERSON
        1  gives    give     VERB  VBZ  ROOT      1
        2  keynote  keynote  NOUN  NN   dobj      1
        3  to       to       ADP   IN   prep      1
        4  WWDC     WWDC     PROPN NNP  pobj      3   B-EVENT
        5  2005     2005     NUM   CD   nummod    4   I-EVENT
    """)
    assert anchor(doc, [Frame(trigger=1, entry=entry("Statement"))], [time_of(doc, "2005", "2005")]) == [None]


def test_a_saying_after_a_closed_quotation_goes_on_with_the_story():
    """"On Monday Jobs gave a keynote. ... This 'switch', he said, would happen beginning next
    year.": the saying, set in its sentence after a quotation that closed, is of that Monday;
    the year is the switch's."""
    doc = parse(KEYNOTE + """
        11 This       this       DET   DT   det        13
        12 '          '          PUNCT ``   punct      13
        13 switch     switch     NOUN  NN   nsubj      19
        14 '          '          PUNCT ''   punct      13
        15 he         he         PRON  PRP  nsubj      16
        16 said       say        VERB  VBD  parataxis  19
        17 ,          ,          PUNCT ,    punct      16
        18 would      would      AUX   MD   aux        19
        19 happen     happen     VERB  VB   ROOT       19
        20 beginning  begin      VERB  VBG  prep       19
        21 next       next       ADJ   JJ   amod       22  B-DATE
        22 year       year       NOUN  NN   npadvmod   20  I-DATE
        23 .          .          PUNCT .    punct      19
    """)
    jobs = Entity(key="person/jobs", name="Jobs", type="Person")
    frames = [Frame(trigger=3, entry=entry("Statement"), participants=by(jobs)),
              Frame(trigger=16, entry=entry("Statement"), participants=by(jobs))]
    times = [time_of(doc, "Monday", "2005-06-06"), time_of(doc, "next year", "2006")]
    assert anchor(doc, frames, times) == ["2005-06-06", "2005-06-06"]
