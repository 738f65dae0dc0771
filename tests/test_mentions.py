"""kg.mentions on hand-written parses: which spans of an article are names."""
from __future__ import annotations

from kg.mentions import find_mentions
from parses import lexicon, parse


def test_a_name_spelled_out_by_an_acronym_in_parentheses_is_one_name():
    """The tagger cut "United Nations Educational, Scientific and Cultural Organization (UNESCO)"
    in two and took "(WHO" into "World Health Organization"; the acronym says what the name is."""
    doc = parse("""
        0  United        United        PROPN NNP  compound  1   B-ORG
        1  Nations       Nations       PROPN NNP  compound  2   I-ORG
        2  Educational   Educational   PROPN NNP  nsubj     12  I-ORG
        3  ,             ,             PUNCT ,    punct     2
        4  Scientific    Scientific    PROPN NNP  conj      2
        5  and           and           CCONJ CC   cc        4
        6  Cultural      Cultural      PROPN NNP  compound  7   B-ORG
        7  Organization  Organization  PROPN NNP  conj      4   I-ORG
        8  (             (             PUNCT -LRB- punct    9
        9  UNESCO        UNESCO        PROPN NNP  appos     7   B-ORG
        10 )             )             PUNCT -RRB- punct    9
        11 and           and           CCONJ CC   cc        2
        12 objected      object        VERB  VBD  ROOT      12
        13 .             .             PUNCT .    punct     12
        14 The           the           DET   DT   det       17
        15 World         World         PROPN NNP  compound  17  B-ORG
        16 Health        Health        PROPN NNP  compound  17  I-ORG
        17 Organization  Organization  PROPN NNP  nsubj     22  I-ORG
        18 (             (             PUNCT -LRB- punct    19  I-ORG
        19 WHO           WHO           PROPN NNP  appos     17  I-ORG
        20 )             )             PUNCT -RRB- punct    19
        21 also          also          ADV   RB   advmod    22
        22 objected      object        VERB  VBD  ROOT      22
        23 .             .             PUNCT .    punct     22
    """)
    names = [(m.text, m.kind) for m in find_mentions(doc, lexicon())]
    assert names == [("United Nations Educational, Scientific and Cultural Organization", "Organization"),
                     ("UNESCO", "Organization"), ("World Health Organization", "Organization"),
                     ("WHO", "Organization")]


def test_an_acronym_that_does_not_spell_the_words_before_it_changes_nothing():
    doc = parse("""
        0  Apple    Apple    PROPN NNP  nsubj     6   B-ORG
        1  and      and      CCONJ CC   cc        0
        2  Google   Google   PROPN NNP  conj      0   B-ORG
        3  (        (        PUNCT -LRB- punct    4
        4  US       US       PROPN NNP  appos     2   B-GPE
        5  )        )        PUNCT -RRB- punct    4
        6  objected object   VERB  VBD  ROOT      6
    """)
    assert [m.text for m in find_mentions(doc, lexicon())] == ["Apple", "Google", "US"]
