"""Parses written by hand, so that a test of an event stage states the parse it reads and needs no
model. A table has one token a line:

    index  text  lemma  POS  tag  dep  head  [entity IOB tag: B-GPE, I-GPE]

`head` is the absolute index of the token's head (a root is its own head); each root starts a
sentence. "¶" is a paragraph break (a blank line in the text). The tables in the tests were
copied from what en_core_web_sm gives for the sentence, so they show the parses kg meets.
"""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.lexicon import Lexicon, Trigger, load_lexicon
from kg.mentions import find_mentions
from kg.referents import Referents
from kg.resolve import Resolver
from kg.types import TimeExpr

# English's lexical attributes (stop words, like_num) with no model: the stages ask is_stop
_VOCAB = spacy.blank("en").vocab
_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "'s", "\u2019s", "n't"}
PARAGRAPH = "¶"


# parses several stages' tests read
UN_CALLED_ON_RUSSIA = """
        0  The     the     DET   DT   det       1
        1  UN      UN      PROPN NNP  nsubj     2   B-ORG
        2  called  call    VERB  VBD  ROOT      2
        3  on      on      ADP   IN   prep      2
        4  Russia  Russia  PROPN NNP  pobj      3   B-GPE
        5  to      to      PART  TO   aux       6
        6  repeal  repeal  VERB  VB   xcomp     2
        7  the     the     DET   DT   det       8
        8  law     law     NOUN  NN   dobj      6
        9  .       .       PUNCT .    punct     2
"""
GERMANY_URGED_RUSSIA = """
        0  Germany  Germany  PROPN NNP  nsubj     1   B-GPE
        1  urged    urge     VERB  VBD  ROOT      1
        2  Russia   Russia   PROPN NNP  dobj      1   B-GPE
        3  to       to       PART  TO   aux       4
        4  repeal   repeal   VERB  VB   xcomp     1
        5  the      the      DET   DT   det       6
        6  law      law      NOUN  NN   dobj      4
        7  .        .        PUNCT .    punct     1
"""
ASSEMBLY_WHICH_CALLED = """
        0  The       the       DET   DT   det       1
        1  Assembly  Assembly  PROPN NNP  nsubj     9   B-ORG
        2  ,         ,         PUNCT ,    punct     1
        3  which     which     PRON  WDT  nsubj     4
        4  called    call      VERB  VBD  relcl     1
        5  for       for       ADP   IN   prep      4
        6  the       the       DET   DT   det       7
        7  repeal    repeal    NOUN  NN   pobj      5
        8  ,         ,         PUNCT ,    punct     1
        9  met       meet      VERB  VBD  ROOT      9
        10 .         .         PUNCT .    punct     9
"""


def parse(table: str) -> Doc:
    rows = [line.split() for line in table.strip().splitlines() if line.strip()]
    for number, row in enumerate(rows):
        assert int(row[0]) == number, f"row {number} is numbered {row[0]}"
        assert len(row) in (7, 8), f"row {number}: index text lemma POS tag dep head [entity]"
    words = ["\n\n" if r[1] == PARAGRAPH else r[1] for r in rows]
    spaces = [k + 1 < len(rows) and rows[k + 1][1] not in _NO_SPACE_BEFORE | {PARAGRAPH} and r[1] != PARAGRAPH
              for k, r in enumerate(rows)]
    return Doc(_VOCAB, words=words, spaces=spaces, lemmas=[r[2] for r in rows], pos=[r[3] for r in rows],
               tags=[r[4] for r in rows], deps=[r[5] for r in rows], heads=[int(r[6]) for r in rows],
               ents=[r[7] if len(r) == 8 else "O" for r in rows])


def lexicon() -> Lexicon:
    return load_lexicon()  # the shipped data files: no model


def referents_of(doc: Doc) -> Referents:
    lex = lexicon()
    return Referents(Resolver(doc=doc, mentions=find_mentions(doc, lex), lexicon=lex, scope="test"))


def time_of(doc: Doc, words: str, value: str, type: str = "DATE") -> TimeExpr:
    """A time expression over the first occurrence of `words` in the Doc's text."""
    start = doc.text.index(words)
    return TimeExpr(start=start, end=start + len(words), text=words, type=type, value=value)


def entry(type: str, lemma: str = "x", **fields: object) -> Trigger:
    """A lexicon entry written in the test (the stages after kg.frames only read a few fields)."""
    return Trigger(lemma=lemma, type=type, **fields)  # type: ignore[arg-type]


def index_of(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)
