"""kg.frames on hand-written parses: which entry each trigger is read as, and which words fill
its roles (no model: see parses.py)."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.frames import find_frames
from kg.types import Frame
from parses import lexicon, parse, referents_of, UN_CALLED_ON_RUSSIA, ASSEMBLY_WHICH_CALLED, GERMANY_URGED_RUSSIA


def frames_of(doc: Doc) -> list[Frame]:
    return find_frames(doc, lexicon(), referents_of(doc))


def read(doc: Doc, frame: Frame) -> tuple:
    """(trigger, type, {role: word}) of a frame, as a reader would say it."""
    roles = {r: doc[i].text for r in ("agent", "theme", "recipient", "place") if (i := getattr(frame, r)) is not None}
    return doc[frame.trigger].text, frame.entry.type if frame.entry else None, roles


def test_a_verb_takes_its_subject_as_agent_and_its_object_as_theme():
    doc = parse("""
        0  Russia   Russia   PROPN NNP  nsubj     1   B-GPE
        1  enacted  enact    VERB  VBD  ROOT      1
        2  the      the      DET   DT   det       3
        3  law      law      NOUN  NN   dobj      1
        4  .        .        PUNCT .    punct     1
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("enacted", "Enact", {"agent": "Russia", "theme": "law"})]


def test_a_passive_takes_its_by_phrase_as_agent_and_its_subject_as_theme():
    doc = parse("""
        0  The         the         DET   DT   det       1
        1  law         law         NOUN  NN   nsubjpass 3
        2  was         be          AUX   VBD  auxpass   3
        3  passed      pass        VERB  VBN  ROOT      3
        4  by          by          ADP   IN   agent     3
        5  parliament  parliament  NOUN  NN   pobj      4
        6  .           .           PUNCT .    punct     3
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("passed", "Enact", {"agent": "parliament", "theme": "law"})]


def test_an_entry_that_restricts_its_theme_leaves_a_frame_with_no_entry():
    """"pass" is Enact only for laws and bills: the word still is a trigger, read as nothing."""
    doc = parse("""
        0  The     the     DET   DT   det       1
        1  player  player  NOUN  NN   nsubj     2
        2  passed  pass    VERB  VBD  ROOT      2
        3  the     the     DET   DT   det       4
        4  ball    ball    NOUN  NN   dobj      2
        5  .       .       PUNCT .    punct     2
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("passed", None, {})]


def test_a_particle_entry_needs_its_particle():
    """The small model tags the particle of "stepped down" as an adverb."""
    down = parse("""
        0  The       the       DET   DT   det       1
        1  minister  minister  NOUN  NN   nsubj     2
        2  stepped   step      VERB  VBD  ROOT      2
        3  down      down      ADV   RB   advmod    2
        4  .         .         PUNCT .    punct     2
    """)
    assert [read(down, f) for f in frames_of(down)] == [("stepped", "Resign", {"agent": "minister"})]
    forward = parse("""
        0  The       the       DET   DT   det       1
        1  minister  minister  NOUN  NN   nsubj     2
        2  stepped   step      VERB  VBD  ROOT      2
        3  forward   forward   ADV   RB   advmod    2
        4  .         .         PUNCT .    punct     2
    """)
    assert frames_of(forward) == []


def test_call_on_x_to_do_something_makes_x_the_recipient_and_the_doer():
    doc = parse(UN_CALLED_ON_RUSSIA)
    call, repeal = frames_of(doc)
    assert read(doc, call) == ("called", "Call", {"agent": "UN", "theme": "repeal", "recipient": "Russia"})
    assert read(doc, repeal) == ("repeal", "Repeal", {"agent": "Russia", "theme": "law"})
    assert (call.governor, repeal.governor) == (None, 2)  # the repeal is what the UN called for


def test_the_object_of_a_control_verb_does_what_it_is_urged_to():
    doc = parse(GERMANY_URGED_RUSSIA)
    urge, repeal = frames_of(doc)
    assert read(doc, urge) == ("urged", "Call", {"agent": "Germany", "theme": "repeal", "recipient": "Russia"})
    assert read(doc, repeal) == ("repeal", "Repeal", {"agent": "Russia", "theme": "law"})
    assert repeal.governor == 1


def test_a_relative_pronoun_fills_the_role_its_noun_is_resolved_from_later():
    """The frame keeps "which"; kg.referents resolves it to the Assembly (test_referents)."""
    doc = parse(ASSEMBLY_WHICH_CALLED)
    assert [read(doc, f) for f in frames_of(doc)] == [
        ("called", "Call", {"agent": "which", "theme": "repeal"}),
        ("repeal", "Repeal", {}),
        ("met", "Meet", {"agent": "Assembly"}),
    ]


def test_a_statement_from_an_issuer_is_said_by_the_issuer():
    doc = parse("""
        0  A          a          DET   DT   det       1
        1  statement  statement  NOUN  NN   nsubj     5
        2  from       from       ADP   IN   prep      1
        3  the        the        DET   DT   det       4
        4  ministry   ministry   NOUN  NN   pobj      2
        5  said       say        VERB  VBD  ROOT      5
        6  the        the        DET   DT   det       7
        7  plan       plan       NOUN  NN   nsubj     8
        8  failed     fail       VERB  VBD  ccomp     5
        9  .          .          PUNCT .    punct     5
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("said", "Statement", {"agent": "ministry", "theme": "failed"})]


def test_as_reported_by_names_a_source_and_says_nothing():
    doc = parse("""
        0  Russia    Russia    PROPN NNP  nsubj     1   B-GPE
        1  repealed  repeal    VERB  VBD  ROOT      1
        2  the       the       DET   DT   det       3
        3  law       law       NOUN  NN   dobj      1
        4  ,         ,         PUNCT ,    punct     1
        5  as        as        SCONJ IN   mark      6
        6  reported  report    VERB  VBN  advcl     1
        7  by        by        ADP   IN   agent     6
        8  Reuters   Reuters   PROPN NNP  pobj      7   B-ORG
        9  .         .         PUNCT .    punct     1
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [
        ("repealed", "Repeal", {"agent": "Russia", "theme": "law"}),
        ("reported", None, {}),
    ]


def test_a_parenthetical_statement_is_said_of_the_clause_around_it():
    doc = parse("""
        0  The       the       DET   DT   det       1
        1  economy   economy   NOUN  NN   nsubj     7
        2  ,         ,         PUNCT ,    punct     5
        3  the       the       DET   DT   det       4
        4  minister  minister  NOUN  NN   nsubj     5
        5  said      say       VERB  VBD  parataxis 7
        6  ,         ,         PUNCT ,    punct     5
        7  is        be        AUX   VBZ  ROOT      7
        8  weak      weak      ADJ   JJ   acomp     7
        9  .         .         PUNCT .    punct     7
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("said", "Statement", {"agent": "minister", "theme": "is"})]


def test_conjoined_agents_act_each():
    doc = parse("""
        0  France     France     PROPN NNP  nsubj     3   B-GPE
        1  and        and        CCONJ CC   cc        0
        2  Germany    Germany    PROPN NNP  conj      0   B-GPE
        3  condemned  condemn    VERB  VBD  ROOT      3
        4  the        the        DET   DT   det       5
        5  attack     attack     NOUN  NN   dobj      3
        6  .          .          PUNCT .    punct     3
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [
        ("condemned", "Criticize", {"agent": "France", "theme": "attack"}),
        ("condemned", "Criticize", {"agent": "Germany", "theme": "attack"}),
        ("attack", "Attack", {}),
    ]


def test_titles_conjoined_before_a_name_are_that_person():
    """"CEO and co-founder Steve Jobs" is one agent, not "CEO", "co" and "-" (the parser tore the
    hyphenated title apart); "the president and Vice President Pence" are two people."""
    doc = parse("""
        0  Apple      Apple      PROPN NNP  compound  1   B-ORG
        1  CEO        ceo        NOUN  NN   nsubj     8
        2  and        and        CCONJ CC   cc        1
        3  co         co         NOUN  NN   conj      1
        4  -          -          NOUN  NN   conj      1
        5  founder    founder    NOUN  NN   compound  7
        6  Steve      Steve      PROPN NNP  compound  7   B-PERSON
        7  Jobs       Jobs       PROPN NNP  conj      1   I-PERSON
        8  gave       give       VERB  VBD  ROOT      8
        9  a          a          DET   DT   det       10
        10 keynote    keynote    NOUN  NN   dobj      8
        11 .          .          PUNCT .    punct     8
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("gave", "Statement", {"agent": "Jobs"})]  # its head word
    doc = parse("""
        0  The        the        DET   DT   det       1
        1  president  president  NOUN  NN   nsubj     7
        2  and        and        CCONJ CC   cc        1
        3  Vice       Vice       PROPN NNP  compound  4
        4  President  President  PROPN NNP  compound  6
        5  Mike       Mike       PROPN NNP  compound  6   B-PERSON
        6  Pence      Pence      PROPN NNP  conj      1   I-PERSON
        7  met        meet       VERB  VBD  ROOT      7
        8  the        the        DET   DT   det       9
        9  Pope       Pope       PROPN NNP  dobj      7
        10 .          .          PUNCT .    punct     7
    """)
    assert [read(doc, f)[2]["agent"] for f in frames_of(doc)] == ["president", "Pence"]


def test_leaving_a_workplace_is_resigning_and_only_its_object_says_so():
    doc = parse("""
        0  Mark        Mark        PROPN NNP  compound  1   B-PERSON
        1  Papermaster Papermaster PROPN NNP  nsubj     2   I-PERSON
        2  left        leave       VERB  VBD  ROOT      2
        3  the         the         DET   DT   det       4
        4  company     company     NOUN  NN   dobj      2
        5  .           .           PUNCT .    punct     2
    """)
    assert [read(doc, f)[:2] for f in frames_of(doc)] == [("left", "Resign")]
    # the subject is a light verb's noun only when the verb has no object: a board that leaves
    # a meeting resigns nothing
    doc = parse("""
        0  Apple       Apple       PROPN NNP  poss      2   B-ORG
        1  's          's          PART  POS  case      0
        2  board       board       NOUN  NN   nsubj     3
        3  left        leave       VERB  VBD  ROOT      3
        4  the         the         DET   DT   det       5
        5  meeting     meeting     NOUN  NN   dobj      3
        6  .           .           PUNCT .    punct     3
    """)
    assert "Resign" not in [read(doc, f)[1] for f in frames_of(doc)]


def test_the_kind_of_the_theme_chooses_the_entry():
    """"attacked the church" is an Attack, "attacked the plan" a Criticize: Referents says which
    kind of entity the object names."""
    church = parse("""
        0  Protesters  protester   NOUN  NNS  nsubj     1
        1  attacked    attack      VERB  VBD  ROOT      1
        2  the         the         DET   DT   det       3
        3  church      church      NOUN  NN   dobj      1
        4  .           .           PUNCT .    punct     1
    """)
    plan = parse("""
        0  Critics   critic    NOUN  NNS  nsubj     1
        1  attacked  attack    VERB  VBD  ROOT      1
        2  the       the       DET   DT   det       3
        3  plan      plan      NOUN  NN   dobj      1
        4  .         .         PUNCT .    punct     1
    """)
    assert [read(church, f) for f in frames_of(church)] == [("attacked", "Attack", {"agent": "Protesters", "theme": "church"})]
    assert [read(plan, f) for f in frames_of(plan)] == [("attacked", "Criticize", {"agent": "Critics", "theme": "plan"})]


def test_a_possessor_that_cannot_act_is_what_the_noun_is_about():
    """"its release": the video was released, it released nothing."""
    doc = parse("""
        0  Since    since    SCONJ IN   prep      8
        1  its      its      PRON  PRP$ poss      2
        2  release  release  NOUN  NN   pobj      0
        3  ,        ,        PUNCT ,    punct     8
        4  the      the      DET   DT   det       5
        5  video    video    NOUN  NN   nsubjpass 8
        6  has      have     AUX   VBZ  aux       8
        7  been     be       AUX   VBN  auxpass   8
        8  watched  watch    VERB  VBN  ROOT      8
        9  widely   widely   ADV   RB   advmod    8
        10 .        .        PUNCT .    punct     8
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("release", "Release", {"theme": "its"})]


def test_a_place_is_an_in_phrase_naming_a_place():
    doc = parse("""
        0  Protesters  protester   NOUN  NNS  nsubj     1
        1  attacked    attack      VERB  VBD  ROOT      1
        2  the         the         DET   DT   det       3
        3  church      church      NOUN  NN   dobj      1
        4  in          in          ADP   IN   prep      1
        5  Paris       Paris       PROPN NNP  pobj      4   B-GPE
        6  .           .           PUNCT .    punct     1
    """)
    assert read(doc, frames_of(doc)[0])[2] == {"agent": "Protesters", "theme": "church", "place": "Paris"}


def test_a_finite_clause_with_its_own_conjunction_never_takes_the_main_subject():
    """The small model reads "May" of "after Theresa May stepped down" as the object of "after":
    the one who stepped down is Theresa May, never Johnson, the main clause's subject."""
    doc = parse("""
        0  Johnson  Johnson  PROPN NNP  nsubj     1   B-PERSON
        1  became   become   VERB  VBD  ROOT      1
        2  leader   leader   NOUN  NN   attr      1
        3  after    after    ADP   IN   mark      6
        4  Theresa  Theresa  PROPN NNP  compound  5   B-PERSON
        5  May      May      PROPN NNP  pobj      3   I-PERSON
        6  stepped  step     VERB  VBD  advcl     1
        7  down     down     ADV   RB   advmod    6
        8  .        .        PUNCT .    punct     1
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("stepped", "Resign", {"agent": "May"})]
    no_subject = parse("""
        0  Johnson  Johnson  PROPN NNP  nsubj     1   B-PERSON
        1  became   become   VERB  VBD  ROOT      1
        2  leader   leader   NOUN  NN   attr      1
        3  after    after    SCONJ IN   mark      4
        4  stepped  step     VERB  VBD  advcl     1
        5  down     down     ADV   RB   advmod    4
        6  .        .        PUNCT .    punct     1
    """)
    assert [read(no_subject, f) for f in frames_of(no_subject)] == [("stepped", "Resign", {})]


def test_a_headline_with_a_bare_title_as_object_says_who_was_elected():
    """"Boris Johnson elected Conservative leader": Johnson was elected; "The party elected
    Johnson leader" (a name before the title) keeps its agent."""
    headline = parse("""
        0  Boris         Boris         PROPN NNP  compound  1   B-PERSON
        1  Johnson       Johnson       PROPN NNP  nsubj     2   I-PERSON
        2  elected       elect         VERB  VBD  ROOT      2
        3  Conservative  conservative  ADJ   JJ   amod      4   B-NORP
        4  leader        leader        NOUN  NN   dobj      2
    """)
    assert [read(headline, f) for f in frames_of(headline)] == [("elected", "Elect", {"theme": "Johnson"})]
    prose = parse("""
        0  The      the      DET   DT   det       1
        1  party    party    NOUN  NN   nsubj     2
        2  elected  elect    VERB  VBD  ROOT      2
        3  Johnson  Johnson  PROPN NNP  compound  4   B-PERSON
        4  leader   leader   NOUN  NN   dobj      2
        5  .        .        PUNCT .    punct     2
    """)
    assert [read(prose, f) for f in frames_of(prose)] == [("elected", "Elect", {"agent": "party", "theme": "leader"})]


def test_accusing_is_a_charge_only_from_a_prosecutor_or_in_the_passive():
    def accused(subject: str, lemma: str, tag: str = "NNS") -> Doc:
        return parse(f"""
            0  {subject}  {lemma}  NOUN  {tag}  nsubj     1
            1  accused    accuse   VERB  VBD    ROOT      1
            2  him        he       PRON  PRP    dobj      1
            3  of         of       ADP   IN     prep      1
            4  fraud      fraud    NOUN  NN     pobj      3
            5  .          .        PUNCT .      punct     1
        """)
    prosecutors, critics = accused("Prosecutors", "prosecutor"), accused("Critics", "critic")
    assert [frames_of(prosecutors)[0].entry.type, frames_of(critics)[0].entry.type] == ["Charge", "Criticize"]
    passive = parse("""
        0  He       he       PRON  PRP  nsubjpass  2
        1  is       be       AUX   VBZ  auxpass    2
        2  accused  accuse   VERB  VBN  ROOT       2
        3  of       of       ADP   IN   prep       2
        4  fraud    fraud    NOUN  NN   pobj       3
        5  .        .        PUNCT .    punct      2
    """)
    assert [read(passive, f) for f in frames_of(passive)] == [("accused", "Charge", {"theme": "He"})]


def test_a_to_phrase_inside_a_prepositional_phrase_is_no_recipient():
    """"In addition to stepping down, X announced ...": nobody was told "stepping down"."""
    doc = parse("""
        0  In         in         ADP   IN   prep     7
        1  addition   addition   NOUN  NN   pobj     0
        2  to         to         ADP   IN   prep     1
        3  stepping   step       VERB  VBG  pcomp    2
        4  down       down       ADP   RP   prt      3
        5  ,          ,          PUNCT ,    punct    7
        6  Rosselló   Rosselló   PROPN NNP  nsubj    7   B-PERSON
        7  announced  announce   VERB  VBD  ROOT     7
        8  plans      plan       NOUN  NNS  dobj     7
        9  .          .          PUNCT .    punct    7
    """)
    announced = [read(doc, f) for f in frames_of(doc) if doc[f.trigger].text == "announced"]
    assert announced == [("announced", "Statement", {"agent": "Rosselló", "theme": "plans"})]


def test_a_possessor_that_names_a_day_says_when_not_who():
    doc = parse("""
        0  People    people    NOUN  NNS  nsubj  1
        1  voted     vote      VERB  VBD  ROOT   1
        2  in        in        ADP   IN   prep   1
        3  Sunday    Sunday    PROPN NNP  poss   5
        4  's        's        PART  POS  case   3
        5  election  election  NOUN  NN   pobj   2
        6  .         .         PUNCT .    punct  1
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("election", "Elect", {})]


def test_a_verb_no_entry_covers_is_a_generic_event_when_it_is_about_a_named_entity():
    doc = parse("""
        0  Apple      Apple      PROPN NNP  nsubj     1   B-ORG
        1  bought     buy        VERB  VBD  ROOT      1
        2  shares     share      NOUN  NNS  dobj      1
        3  and        and        CCONJ CC   cc        1
        4  owns       own        VERB  VBZ  conj      1
        5  Beats      Beats      PROPN NNP  dobj      4   B-ORG
        6  .          .          PUNCT .    punct     1
    """)
    read_as = [(read(doc, f), f.entry.generic) for f in frames_of(doc)]
    assert read_as == [(("bought", "Buy", {"agent": "Apple", "theme": "shares"}), False),
                       (("owns", "Occurrence", {"agent": "Apple", "theme": "Beats"}), True)]
    nobody = parse("""
        0  Prices   price   NOUN  NNS  nsubj  1
        1  doubled  double  VERB  VBD  ROOT   1
        2  .        .       PUNCT .    punct  1
    """)
    assert frames_of(nobody) == []  # no named entity: no event
    copula = parse("""
        0  Apple  Apple  PROPN NNP  nsubj  1   B-ORG
        1  seems  seem   VERB  VBZ  ROOT   1
        2  calm   calm   ADJ   JJ   acomp  1
        3  .      .      PUNCT .    punct  1
    """)
    assert frames_of(copula) == []  # a linking verb is never an event


def test_what_a_generic_verb_governs_is_a_fact_of_its_own():
    """"G7 was scheduled to meet": the meeting is told as happening, not as what someone called for."""
    doc = parse("""
        0  G7         G7         PROPN NNP  nsubjpass  2   B-ORG
        1  was        be         AUX   VBD  auxpass    2
        2  scheduled  schedule   VERB  VBN  ROOT       2
        3  to         to         PART  TO   aux        4
        4  meet       meet       VERB  VB   xcomp      2
        5  .          .          PUNCT .    punct      2
    """)
    meet = [f for f in frames_of(doc) if doc[f.trigger].text == "meet"]
    assert [(read(doc, f), f.governor) for f in meet] == [(("meet", "Meet", {"agent": "G7"}), None)]


def test_according_to_names_a_source_not_a_recipient():
    doc = parse("""
        0  According  accord     VERB  VBG  prep   5
        1  to         to         ADP   IN   prep   0
        2  reports    report     NOUN  NNS  pobj   1
        3  ,          ,          PUNCT ,    punct  5
        4  Iran       Iran       PROPN NNP  nsubj  5   B-GPE
        5  backed     back       VERB  VBD  ROOT   5
        6  rebels     rebel      NOUN  NNS  dobj   5
        7  .          .          PUNCT .    punct  5
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("backed", "Support", {"agent": "Iran", "theme": "rebels"})]


def test_a_headline_participle_with_a_subject_and_no_auxiliary_is_passive():
    """"Navalny poisoned with Novichok" and "Suspect arrested": the subject is what was done to."""
    doc = parse("""
        0  Suspect   suspect   NOUN  NN   nsubj  1
        1  arrested  arrest    VERB  VBN  ROOT   1
        2  on        on        ADP   IN   prep   1
        3  Monday    Monday    PROPN NNP  pobj   2   B-DATE
    """)
    assert [read(doc, f) for f in frames_of(doc)] == [("arrested", "Arrest", {"theme": "Suspect"})]


def test_what_was_won_chooses_the_entry():
    """"won the primary": the winner is elected (Elect's theme); "won the match" is a Win."""
    def won(obj: str) -> Doc:
        return parse(f"""
            0  Sanders  Sanders  PROPN NNP  nsubj  1   B-PERSON
            1  won      win      VERB  VBD  ROOT   1
            2  the      the      DET   DT   det    3
            3  {obj}    {obj}    NOUN  NN   dobj   1
            4  .        .        PUNCT .    punct  1
        """)
    primary, match = won("primary"), won("match")
    assert [read(primary, f) for f in frames_of(primary)] == [("won", "Elect", {"theme": "Sanders"})]
    assert [read(match, f) for f in frames_of(match)] == [("won", "Win", {"agent": "Sanders", "theme": "match"})]


def test_a_phrasal_verb_is_read_only_by_an_entry_with_its_particle():
    """"Jobs left behind a company": leaving a company is resigning, leaving one behind is not;
    "shot down a jet" is still an attack, because an entry names the particle."""
    doc = parse("""
        0  Jobs     Jobs     PROPN NNP  nsubj     1   B-PERSON
        1  left     leave    VERB  VBD  ROOT      1
        2  behind   behind   ADP   RP   prt       1
        3  a        a        DET   DT   det       4
        4  company  company  NOUN  NN   dobj      1
        5  .        .        PUNCT .    punct     1
        6  Iran     Iran     PROPN NNP  nsubj     7   B-GPE
        7  shot     shoot    VERB  VBD  ROOT      7
        8  down     down     ADP   RP   prt       7
        9  a        a        DET   DT   det       10
        10 jet      jet      NOUN  NN   dobj      7
        11 .        .        PUNCT .    punct     7
    """)
    read_as = {doc[f.trigger].text: f.entry.type for f in frames_of(doc) if f.entry is not None}
    assert read_as.get("left") != "Resign"
    assert read_as["shot"] == "Attack"


def test_a_verb_conjoined_to_a_passive_shares_its_subject_not_its_by_phrase():
    """"Apple was started by Jobs in 1976, and launched the store": Apple launched it."""
    doc = parse("""
        0  Apple     Apple     PROPN NNP  nsubjpass 2   B-ORG
        1  was       be        AUX   VBD  auxpass   2
        2  started   start     VERB  VBN  ROOT      2
        3  by        by        ADP   IN   agent     2
        4  Jobs      Jobs      PROPN NNP  pobj      3   B-PERSON
        5  ,         ,         PUNCT ,    punct     2
        6  and       and       CCONJ CC   cc        2
        7  launched  launch    VERB  VBD  conj      2
        8  the       the       DET   DT   det       9
        9  store     store     NOUN  NN   dobj      7
        10 .         .         PUNCT .    punct     2
    """)
    launched = [read(doc, f) for f in frames_of(doc) if doc[f.trigger].text == "launched"]
    assert launched == [("launched", "Launch", {"agent": "Apple", "theme": "store"})]


def test_a_place_after_of_a_name_and_continues_the_name_not_a_second_actor():
    """"The Islamic State of Iraq and the Levant claimed responsibility", cut by the tagger after
    "Iraq": one actor, not also "the Levant"; "France and Germany condemned" stays two."""
    doc = parse("""
        0  The             the             DET   DT   det       2   B-ORG
        1  Islamic         Islamic         PROPN NNP  compound  2   I-ORG
        2  State           State           PROPN NNP  nsubj     8   I-ORG
        3  of              of              ADP   IN   prep      2   I-ORG
        4  Iraq            Iraq            PROPN NNP  pobj      3   I-ORG
        5  and             and             CCONJ CC   cc        2
        6  the             the             DET   DT   det       7
        7  Levant          Levant          PROPN NNP  conj      2   B-LOC
        8  claimed         claim           VERB  VBD  ROOT      8
        9  responsibility  responsibility  NOUN  NN   dobj      8
        10 .               .               PUNCT .    punct     8
        11 France          France          PROPN NNP  nsubj     14  B-GPE
        12 and             and             CCONJ CC   cc        11
        13 Germany         Germany         PROPN NNP  conj      11  B-GPE
        14 condemned       condemn         VERB  VBD  ROOT      14
        15 the             the             DET   DT   det       16
        16 attack          attack          NOUN  NN   dobj      14
        17 .               .               PUNCT .    punct     14
    """)
    agents = [(doc[f.trigger].text, doc[f.agent].text) for f in frames_of(doc) if f.agent is not None and f.entry
              and f.entry.type in ("Statement", "Criticize")]
    assert agents == [("claimed", "State"), ("condemned", "France"), ("condemned", "Germany")]
