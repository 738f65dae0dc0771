"""kg.referents on hand-written parses and frames: which entity fills each role (no model)."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.referents import fill_referents, same_participant
from kg.types import Argument, Entity, Frame
from parses import entry, lexicon, parse, referents_of, ASSEMBLY_WHICH_CALLED, GERMANY_URGED_RUSSIA


def fill(doc: Doc, *frames: Frame) -> list[Frame]:
    return fill_referents(doc, list(frames), referents_of(doc), lexicon())


def names(frame: Frame) -> dict[str, str]:
    p = frame.participants
    return {r: a.name for r in ("agent", "theme", "recipient", "place") if (a := getattr(p, r)) is not None}


def test_a_relative_pronoun_stands_for_the_noun_its_clause_modifies():
    doc = parse(ASSEMBLY_WHICH_CALLED)
    [call] = fill(doc, Frame(trigger=4, entry=entry("Call"), agent=3, theme=7))
    assert call.participants.agent == Argument(text="The Assembly", entity=Entity(
        key="organization/assembly", name="Assembly", type="Organization"))
    assert call.participants.theme is not None and call.participants.theme.entity is not None
    assert call.participants.theme.entity.local  # "the repeal": a description, this article's own


def test_a_pronoun_is_the_entity_it_refers_to():
    doc = parse("""
        0  Russia    Russia    PROPN NNP  nsubj     1   B-GPE
        1  passed    pass      VERB  VBD  ROOT      1
        2  a         a         DET   DT   det       3
        3  law       law       NOUN  NN   dobj      1
        4  .         .         PUNCT .    punct     1
        5  It        it        PRON  PRP  nsubj     6
        6  repealed  repeal    VERB  VBD  ROOT      6
        7  the       the       DET   DT   det       8
        8  ban       ban       NOUN  NN   dobj      6
        9  .         .         PUNCT .    punct     6
    """)
    [repeal] = fill(doc, Frame(trigger=6, entry=entry("Repeal"), agent=5, theme=8))
    assert names(repeal) == {"agent": "Russia", "theme": "ban"}
    agent = repeal.participants.agent
    assert agent is not None and agent.via == "pronoun" and not agent.contested  # no other place to mean


def test_an_unresolved_pronoun_names_nobody():
    doc = parse("""
        0  I         I         PRON  PRP  nsubj     1
        1  repealed  repeal    VERB  VBD  ROOT      1
        2  the       the       DET   DT   det       3
        3  law       law       NOUN  NN   dobj      1
        4  .         .         PUNCT .    punct     1
    """)
    [repeal] = fill(doc, Frame(trigger=1, entry=entry("Repeal"), agent=0, theme=3))
    assert names(repeal) == {"theme": "law"}


def test_a_clause_theme_is_its_words():
    doc = parse(GERMANY_URGED_RUSSIA)
    [urge] = fill(doc, Frame(trigger=1, entry=entry("Call"), agent=0, theme=4, recipient=2))
    assert urge.participants.theme == Argument(text="repeal the law")
    assert names(urge) == {"agent": "Germany", "theme": "repeal the law", "recipient": "Russia"}


def test_a_description_beside_the_agent_is_someone_else():
    """"Putin met the president": resolution would pick the most salient person, Putin himself."""
    doc = parse("""
        0  Putin      Putin      PROPN NNP  nsubj     1   B-PERSON
        1  met        meet       VERB  VBD  ROOT      1
        2  the        the        DET   DT   det       3
        3  president  president  NOUN  NN   dobj      1
        4  .          .          PUNCT .    punct     1
    """)
    [meet] = fill(doc, Frame(trigger=1, entry=entry("Meet"), agent=0, recipient=3))
    recipient = meet.participants.recipient
    assert recipient is not None and recipient.entity is not None
    assert (recipient.name, recipient.entity.type, recipient.entity.local) == ("president", "Person", True)


def test_a_reflexive_is_the_agent():
    doc = parse("""
        0  Putin    Putin    PROPN NNP  nsubj     1   B-PERSON
        1  praised  praise   VERB  VBD  ROOT      1
        2  himself  himself  PRON  PRP  dobj      1
        3  .        .        PUNCT .    punct     1
    """)
    [praise] = fill(doc, Frame(trigger=1, entry=entry("Support"), agent=0, theme=2))
    assert names(praise) == {"agent": "Putin", "theme": "Putin"}


def test_a_frame_with_no_entry_is_passed_on():
    doc = parse("""
        0  I         I         PRON  PRP  nsubj     1
        1  repealed  repeal    VERB  VBD  ROOT      1
    """)
    frame = Frame(trigger=1)
    assert fill(doc, frame) == [frame]


def test_the_kind_of_a_theme_is_the_kind_of_what_a_quantity_counts():
    doc = parse("""
        0  Police     Police     NOUN  NNS  nsubj     1
        1  arrested   arrest     VERB  VBD  ROOT      1
        2  a          a          DET   DT   det       3
        3  handful    handful    NOUN  NN   dobj      1
        4  of         of         ADP   IN   prep      3
        5  activists  activist   NOUN  NNS  pobj      4
        6  .          .          PUNCT .    punct     1
    """)
    referents = referents_of(doc)
    assert referents.counted(doc[3]) == doc[5]
    assert referents.theme_kind(doc[3]) == "Person"
    [arrest] = fill(doc, Frame(trigger=1, entry=entry("Arrest"), agent=0, theme=3))
    assert names(arrest) == {"agent": "Police", "theme": "activists"}


def test_two_participants_are_one_when_the_words_of_one_name_are_in_the_other():
    stop = lexicon().word_set("participant_stopwords")
    assert same_participant(Argument("Ruritania"), Argument("the government of Ruritania"), stop) is True
    assert same_participant(Argument("its government"), Argument("the government"), stop) is True
    assert same_participant(Argument("Ruritania"), Argument("Freedonia"), stop) is False
    assert same_participant(Argument("Ruritania"), None, stop) is None


def _speaker(first: str, head: str) -> Argument | None:
    doc = parse(f"""
        0  {first.split()[0]}  {first.split()[0]}  PROPN NNP  compound  1   B-ORG
        1  {first.split()[1]}  {first.split()[1]}  PROPN NNP  nsubj     2   I-ORG
        2  met       meet      VERB  VBD  ROOT      2
        3  .         .         PUNCT .    punct     2
        4  The       the       DET   DT   det       5
        5  {head}    {head}    NOUN  NN   nsubj     6
        6  said      say       VERB  VBD  ROOT      6
        7  .         .         PUNCT .    punct     6
    """)
    [said] = fill(doc, Frame(trigger=6, entry=entry("Statement"), agent=5))
    return said.participants.agent


def test_a_description_means_a_named_entity_only_when_its_head_allows():
    court = _speaker("Supreme Court", "court")  # the name says court
    assert court is not None and court.name == "Supreme Court" and court.via == "description"
    company = _speaker("Acme Corp", "company")  # any company may be "the company"
    assert company is not None and company.name == "Acme Corp"
    government = _speaker("Liberation Front", "government")  # a government is not the front named last
    assert government is not None and government.entity is not None and government.entity.local
    assert government.name == "government" and government.via == "own"


def test_a_pronoun_is_contested_when_the_story_is_about_someone_else_of_its_kind():
    doc = parse("""
        0  Cummings  Cummings  PROPN NNP  nsubj     1   B-PERSON
        1  spoke     speak     VERB  VBD  ROOT      1
        2  .         .         PUNCT .    punct     1
        3  Cummings  Cummings  PROPN NNP  nsubj     4   B-PERSON
        4  won       win       VERB  VBD  ROOT      4
        5  .         .         PUNCT .    punct     4
        6  Trump     Trump     PROPN NNP  nsubj     7   B-PERSON
        7  wrote     write     VERB  VBD  ROOT      7
        8  .         .         PUNCT .    punct     7
        9  He        he        PRON  PRP  nsubj     10
        10 died      die       VERB  VBD  ROOT      10
        11 .         .         PUNCT .    punct     10
    """)
    [died] = fill(doc, Frame(trigger=10, entry=entry("Die"), theme=9))
    theme = died.participants.theme
    assert theme is not None and theme.via == "pronoun" and theme.contested  # the nearest, but not the story's


_TITLED = """
    0  {title}    {title}    PROPN NNP  compound  1
    1  Trump      Trump      PROPN NNP  nsubj     2   B-PERSON
    2  wrote      write      VERB  VBD  ROOT      2
    3  to         to         ADP   IN   prep      2
    4  Vice       Vice       PROPN NNP  compound  6
    5  President  President  PROPN NNP  compound  6
    6  Pence      Pence      PROPN NNP  pobj      3   B-PERSON
    7  .          .          PUNCT .    punct     2
    8  The        the        DET   DT   det       9
    9  president  president  NOUN  NN   nsubj     10
    10 resigned   resign     VERB  VBD  ROOT      10
    11 .          .          PUNCT .    punct     10
"""


def test_the_president_is_the_person_introduced_as_president():
    """"President Trump wrote to Vice President Pence. The president resigned.": the nearest
    person is Pence, but "the president" is the one the text titled president; when nobody
    was ("Senator Trump"), a vice president is not "the president" either."""
    doc = parse(_TITLED.format(title="President"))
    [resigned] = fill(doc, Frame(trigger=10, entry=entry("Resign"), agent=9))
    agent = resigned.participants.agent
    assert agent is not None and agent.name == "Trump" and agent.via == "description" and not agent.contested
    untitled = parse(_TITLED.format(title="Senator"))
    [resigned] = fill(untitled, Frame(trigger=10, entry=entry("Resign"), agent=9))
    agent = resigned.participants.agent
    assert agent is not None and agent.via == "own"


def test_an_untagged_product_name_is_one_node_in_every_article_and_a_description_is_the_articles_own():
    doc = parse("""
        0  Apple    Apple    PROPN NNP  nsubj     1   B-ORG
        1  sold     sell     VERB  VBD  ROOT      1
        2  the      the      DET   DT   det       3
        3  iPhone   iPhone   PROPN NNP  dobj      1
        4  and      and      CCONJ CC   cc        3
        5  Summit   Summit   PROPN NNP  compound  6
        6  phones   phone    NOUN  NNS  conj      3
        7  .        .        PUNCT .    punct     1
    """)
    referents = referents_of(doc)
    iphone, phones = referents.description(doc[3]), referents.description(doc[6])
    assert iphone == Entity(key="thing/iphone", name="iPhone", type="Thing")
    assert phones is not None and phones.local


UK_VOTED = """
        0  The        the        DET   DT   det       2   B-GPE
        1  United     United     PROPN NNP  compound  2   I-GPE
        2  Kingdom    Kingdom    PROPN NNP  nsubj     3   I-GPE
        3  voted      vote       VERB  VBD  ROOT      3
        4  on         on         ADP   IN   prep      3
        5  June       June       PROPN NNP  pobj      4   B-DATE
        6  23         23         NUM   CD   nummod    5   I-DATE
        7  ,          ,          PUNCT ,    punct     5   I-DATE
        8  2016       2016       NUM   CD   nummod    5   I-DATE
        9  ,          ,          PUNCT ,    punct     3
        10 to         to         PART  TO   aux       11
        11 leave      leave      VERB  VB   xcomp     3
        12 the        the        DET   DT   det       14  B-ORG
        13 European   European   PROPN NNP  compound  14  I-ORG
        14 Union      Union      PROPN NNP  dobj      11  I-ORG
        15 in         in         ADP   IN   prep      11
        16 the        the        DET   DT   det       18
        17 Brexit     Brexit     PROPN NNP  compound  18  B-PERSON
        18 referendum referendum NOUN  NN   pobj      15
        19 .          .          PUNCT .    punct     3
"""


def test_a_sentence_of_capitalised_names_is_not_a_title_case_line():
    """Its words that are not names are in lower case: its place names stay places (a Title Case
    headline keeps only people and organisations, as its capitals say nothing)."""
    from kg.mentions import is_title_case

    doc = parse(UK_VOTED)
    assert not is_title_case(doc[0:20])
    assert referents_of(doc).named(doc[2]) == Entity(key="place/united-kingdom", name="United Kingdom", type="Place")


def test_a_name_the_tagger_missed_is_the_one_node_of_that_name():
    """"the United States House of Representatives" untagged here is the named organisation of every
    other article; a capitalised title is still no one's name ("Former US Ambassador")."""
    doc = parse("""
        0  the             the             DET   DT   det       3
        1  United          United          PROPN NNP  compound  2
        2  States          States          PROPN NNP  compound  3
        3  House           House           PROPN NNP  nsubj     6
        4  of              of              ADP   IN   prep      3
        5  Representatives Representatives PROPN NNPS pobj      4
        6  passed          pass            VERB  VBD  ROOT      6
        7  a               a               DET   DT   det       8
        8  resolution      resolution      NOUN  NN   dobj      6
        9  that            that            PRON  WDT  nsubj     10
        10 establishes     establish       VERB  VBZ  relcl     8
        11 procedural      procedural      ADJ   JJ   amod      12
        12 rules           rule            NOUN  NNS  dobj      10
        13 .               .               PUNCT .    punct     6
        14 the             the             DET   DT   det       17
        15 Former          Former          PROPN NNP  compound  17
        16 US              US              PROPN NNP  compound  17
        17 Ambassador      Ambassador      PROPN NNP  nsubj     18
        18 warned          warn            VERB  VBD  ROOT      18
        19 about           about           ADP   IN   prep      18
        20 weakened        weaken          VERB  VBN  amod      21
        21 trust           trust           NOUN  NN   pobj      19
        22 between         between         ADP   IN   prep      21
        23 allies          ally            NOUN  NNS  pobj      22
        24 .               .               PUNCT .    punct     18
    """)
    referents = referents_of(doc)
    assert referents.description(doc[3]) == Entity(
        key="organization/united-states-house-of-representatives",
        name="United States House of Representatives", type="Organization")
    ambassador = referents.description(doc[17])
    assert ambassador is not None and ambassador.local and ambassador.type == "Person"


def test_a_name_used_as_an_adjective_is_no_antecedent():
    doc = parse("""
        0  Officers   officer    NOUN  NNS  nsubj     1
        1  met        meet       VERB  VBD  ROOT      1
        2  her        she        PRON  PRP  dobj      1
        3  at         at         ADP   IN   prep      1
        4  an         an         DET   DT   det       6
        5  Irish      irish      ADJ   JJ   amod      6   B-NORP
        6  pub        pub        NOUN  NN   pobj      3
        7  .          .          PUNCT .    punct     1
        8  They       they       PRON  PRP  nsubj     9
        9  offered    offer      VERB  VBD  ROOT      9
        10 Spanton    Spanton    PROPN NNP  dative    9   B-PERSON
        11 a          a          DET   DT   det       12
        12 tour       tour       NOUN  NN   dobj      9
        13 .          .          PUNCT .    punct     9
    """)
    they = referents_of(doc).entity(doc[8])
    assert they is None or they.name != "Irish"
