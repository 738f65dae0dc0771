"""kg.modality on hand-written parses and frames: does the text assert the event? (no model)"""
from __future__ import annotations

from spacy.tokens import Doc

from kg.lexicon import Lexicon, build_lexicon
from kg.modality import judge_modality
from kg.types import Frame
from parses import entry, lexicon, parse, UN_CALLED_ON_RUSSIA

REPEALED = """
    0  Russia    Russia    PROPN NNP  nsubj     1   B-GPE
    1  repealed  repeal    VERB  VBD  ROOT      1
    2  the       the       DET   DT   det       3
    3  law       law       NOUN  NN   dobj      1
    4  .         .         PUNCT .    punct     1
"""


def asserted(doc: Doc, trigger: int, type: str = "Repeal", governor: int | None = None,
             lex: Lexicon | None = None) -> bool:
    frame = Frame(trigger=trigger, entry=entry(type), governor=governor)
    [judged] = judge_modality(doc, [frame], lex if lex is not None else lexicon())  # an empty Lexicon is falsy
    return judged.asserted


def test_a_plain_past_event_is_asserted():
    assert asserted(parse(REPEALED), 1)


def test_a_negated_event_is_not():
    doc = parse("""
        0  Russia  Russia  PROPN NNP  nsubj     3   B-GPE
        1  did     do      AUX   VBD  aux       3
        2  not     not     PART  RB   neg       3
        3  repeal  repeal  VERB  VB   ROOT      3
        4  the     the     DET   DT   det       5
        5  law     law     NOUN  NN   dobj      3
        6  .       .       PUNCT .    punct     3
    """)
    assert not asserted(doc, 3)


def test_a_bare_conjunct_shares_the_negation_of_its_head():
    """"did not repeal or amend the law": neither happened; "did not repeal it but amended it"
    asserts the amendment (its own tense)."""
    doc = parse("""
        0  Russia  Russia  PROPN NNP  nsubj     3   B-GPE
        1  did     do      AUX   VBD  aux       3
        2  not     not     PART  RB   neg       3
        3  repeal  repeal  VERB  VB   ROOT      3
        4  or      or      CCONJ CC   cc        3
        5  amend   amend   VERB  VB   conj      3
        6  the     the     DET   DT   det       7
        7  law     law     NOUN  NN   dobj      5
        8  .       .       PUNCT .    punct     3
    """)
    assert not asserted(doc, 5)
    own_tense = parse("""
        0  Russia   Russia  PROPN NNP  nsubj     3   B-GPE
        1  did      do      AUX   VBD  aux       3
        2  not      not     PART  RB   neg       3
        3  repeal   repeal  VERB  VB   ROOT      3
        4  it       it      PRON  PRP  dobj      3
        5  but      but     CCONJ CC   cc        3
        6  amended  amend   VERB  VBD  conj      3
        7  it       it      PRON  PRP  dobj      6
        8  .        .       PUNCT .    punct     3
    """)
    assert asserted(own_tense, 6)


def test_would_makes_an_event_hypothetical_but_may_only_hedges_it():
    would = parse("""
        0  Russia  Russia  PROPN NNP  nsubj     2   B-GPE
        1  would   would   AUX   MD   aux       2
        2  repeal  repeal  VERB  VB   ROOT      2
        3  the     the     DET   DT   det       4
        4  law     law     NOUN  NN   dobj      2
        5  .       .       PUNCT .    punct     2
    """)
    may = parse("""
        0  Russia    Russia    PROPN NNP  nsubj     3   B-GPE
        1  may       may       AUX   MD   aux       3
        2  have      have      AUX   VB   aux       3
        3  repealed  repeal    VERB  VBN  ROOT      3
        4  the       the       DET   DT   det       5
        5  law       law       NOUN  NN   dobj      3
        6  .         .         PUNCT .    punct     3
    """)
    assert not asserted(would, 2)
    assert asserted(may, 3)
    can = parse("""
        0  Congress  Congress  PROPN NNP  nsubj     2   B-ORG
        1  can       can       AUX   MD   aux       2
        2  remove    remove    VERB  VB   ROOT      2
        3  him       he        PRON  PRP  dobj      2
        4  .         .         PUNCT .    punct     2
    """)
    assert not asserted(can, 2)  # what Congress is able to do, not what it did


def test_what_someone_hopes_to_do_is_not_done():
    """The small model lemmatises "hopes" as "hop": the governor is also tried by crude stems."""
    doc = parse("""
        0  Russia  Russia  PROPN NNP  nsubj     1   B-GPE
        1  hopes   hop     VERB  VBZ  ROOT      1
        2  to      to      PART  TO   aux       3
        3  repeal  repeal  VERB  VB   xcomp     1
        4  the     the     DET   DT   det       5
        5  law     law     NOUN  NN   dobj      3
        6  .       .       PUNCT .    punct     1
    """)
    assert not asserted(doc, 3)


def test_a_condition_is_not_a_fact():
    doc = parse("""
        0  If       if       SCONJ IN   mark      2
        1  Russia   Russia   PROPN NNP  nsubj     2   B-GPE
        2  repeals  repeal   VERB  VBZ  advcl     8
        3  the      the      DET   DT   det       4
        4  law      law      NOUN  NN   dobj      2
        5  ,        ,        PUNCT ,    punct     8
        6  Europe   Europe   PROPN NNP  nsubj     8   B-LOC
        7  will     will     AUX   MD   aux       8
        8  protest  protest  VERB  VB   ROOT      8
        9  .        .        PUNCT .    punct     8
    """)
    assert not asserted(doc, 2)
    assert asserted(doc, 8, "Protest")  # firmly scheduled: "will" is no hypothetical modal


def test_no_as_a_determiner_negates_an_act_but_not_what_was_said():
    banned = parse("""
        0  Russia  Russia  PROPN NNP  nsubj     1   B-GPE
        1  banned  ban     VERB  VBD  ROOT      1
        2  no      no      DET   DT   det       3
        3  books   book    NOUN  NNS  dobj      1
        4  .       .       PUNCT .    punct     1
    """)
    reported = parse("""
        0  Police      Police      NOUN  NNS  nsubj     1
        1  reported    report      VERB  VBD  ROOT      1
        2  no          no          DET   DT   det       3
        3  casualties  casualty    NOUN  NNS  dobj      1
        4  .           .           PUNCT .    punct     1
    """)
    assert not asserted(banned, 1, "Ban")
    assert asserted(reported, 1, "Statement")


def test_an_event_another_frame_governs_is_its_content_not_a_fact():
    """"called on Russia to repeal": the repeal is what was called for. Without hypothetical
    governors in the lexicon, the governor alone still makes it unasserted."""
    doc = parse(UN_CALLED_ON_RUSSIA)
    no_governors = build_lexicon(lexicon().types, [], {**lexicon().words, "hypothetical_governors": []})
    assert asserted(doc, 6, lex=no_governors)
    assert not asserted(doc, 6, governor=2, lex=no_governors)
    assert asserted(doc, 2, "Call", lex=no_governors)


def test_a_frame_with_no_entry_is_passed_on():
    frame = Frame(trigger=1)
    assert judge_modality(parse(REPEALED), [frame], lexicon()) == [frame]


def test_an_event_inside_a_direct_quotation_is_the_speakers_words():
    """'"We banned the rallies," he said': the ban is what he said (the Statement's theme), the
    saying after the closing mark is told by the article."""
    doc = parse("""
        0  "        "        PUNCT ``   punct     2
        1  We       we       PRON  PRP  nsubj     2
        2  banned   ban      VERB  VBD  ccomp     8
        3  the      the      DET   DT   det       4
        4  rallies  rally    NOUN  NNS  dobj      2
        5  ,        ,        PUNCT ,    punct     8
        6  "        "        PUNCT ''   punct     8
        7  he       he       PRON  PRP  nsubj     8
        8  said     say      VERB  VBD  ROOT      8
        9  .        .        PUNCT .    punct     8
    """)
    assert not asserted(doc, 2, "Ban")
    assert asserted(doc, 8, "Statement")


def test_a_saying_in_a_relative_clause_of_a_hypothetical_is_still_said():
    """"He would declare an emergency, which he said would help": the declaring is
    hypothetical, the saying is not."""
    doc = parse("""
        0  He         he         PRON  PRP  nsubj     2
        1  would      would      AUX   MD   aux       2
        2  declare    declare    VERB  VB   ROOT      2
        3  an         an         DET   DT   det       4
        4  emergency  emergency  NOUN  NN   dobj      2
        5  ,          ,          PUNCT ,    punct     4
        6  which      which      PRON  WDT  nsubj     10
        7  he         he         PRON  PRP  nsubj     8
        8  said       say        VERB  VBD  relcl     4
        9  would      would      AUX   MD   aux       10
        10 help       help       VERB  VB   ccomp     8
        11 .          .          PUNCT .    punct     2
    """)
    assert not asserted(doc, 2, "Statement")
    assert asserted(doc, 8, "Statement")
