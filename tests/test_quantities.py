"""kg.quantities on hand-written parses: the amounts an event states (no model; the parses
spell "$ 2.1 billion" with a space, as tests/parses.py joins words)."""
from __future__ import annotations

from kg.quantities import quantities_of
from kg.types import Quantity
from parses import index_of, lexicon, parse


def test_a_market_move_has_its_change_and_its_level():
    doc = parse("""
        0  The      the      DET   DT   det       1
        1  Dow      Dow      PROPN NNP  nsubj     2   B-ORG
        2  fell     fall     VERB  VBD  ROOT      2
        3  3.2      3.2      NUM   CD   nummod    4   B-PERCENT
        4  %        %        NOUN  NN   npadvmod  2   I-PERCENT
        5  to       to       ADP   IN   prep      2
        6  11,234   11,234   NUM   CD   pobj      5   B-CARDINAL
        7  .        .        PUNCT .    punct     2
    """)
    assert quantities_of(doc[index_of(doc, "fell")], lexicon()) == (
        Quantity(role="by", value=3.2, unit="percent", text="3.2 %"),
        Quantity(role="to", value=11234.0, unit=None, text="11,234"))


def test_a_price_and_a_result_are_sums_of_money():
    doc = parse("""
        0  Norvik   Norvik   PROPN NNP  nsubj     1   B-ORG
        1  bought   buy      VERB  VBD  ROOT      1
        2  Alderra  Alderra  PROPN NNP  dobj      1   B-ORG
        3  for      for      ADP   IN   prep      1
        4  $        $        SYM   $    nmod      6   B-MONEY
        5  2.1      2.1      NUM   CD   compound  6   I-MONEY
        6  billion  billion  NUM   CD   pobj      3   I-MONEY
        7  and      and      CCONJ CC   cc        1
        8  posted   post     VERB  VBD  conj      1
        9  a        a        DET   DT   det       10
        10 loss     loss     NOUN  NN   dobj      8
        11 of       of       ADP   IN   prep      10
        12 €        €        SYM   $    nmod      13  B-MONEY
        13 340      340      NUM   CD   pobj      11  I-MONEY
        14 .        .        PUNCT .    punct     1
    """)
    assert quantities_of(doc[1], lexicon()) == (Quantity(role="amount", value=2.1e9, unit="USD", text="$ 2.1 billion"),)
    assert quantities_of(doc[8], lexicon()) == (Quantity(role="amount", value=340.0, unit="EUR", text="€ 340"),)


def test_a_time_or_a_count_of_people_is_no_amount():
    doc = parse("""
        0  The        the        DET   DT   det    1
        1  court      court      NOUN  NN   nsubj  2
        2  sentenced  sentence   VERB  VBD  ROOT   2
        3  him        he         PRON  PRP  dobj   2
        4  to         to         ADP   IN   prep   2
        5  ten        ten        NUM   CD   nummod 6   B-DATE
        6  years      year       NOUN  NNS  pobj   4   I-DATE
        7  for        for        ADP   IN   prep   2
        8  800        800        NUM   CD   nummod 9   B-CARDINAL
        9  counts     count      NOUN  NNS  pobj   7
        10 .          .          PUNCT .    punct  2
    """)
    assert quantities_of(doc[2], lexicon()) == ()
