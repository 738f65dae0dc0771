"""Turn a head token into the words that name it: "its widely criticized anti-gay "propaganda"
laws, which ..." -> 'anti-gay "propaganda" laws' (name) or the fuller phrase (text)."""
from __future__ import annotations

import re
import unicodedata

from spacy.tokens import Token

# Dependents that start a new idea rather than name the head: clauses, appositions, conjuncts.
_CLAUSAL = {"relcl", "acl", "appos", "conj", "cc", "advcl", "parataxis", "punct", "preconj", "dep", "mark"}
# Dependents a name does without: determiners, possessors, evaluative adverbs.
_NOT_IN_NAMES = {"det", "poss", "predet", "advmod", "case", "neg"}
_EDGE = " ,;:\u2014\u2013-()[]"
_QUOTES = "\"\u201c\u201d'\u2018\u2019"


def _keep(child: Token, for_name: bool) -> bool:
    if child.dep_ in _CLAUSAL and not (child.dep_ == "punct" and child.text in _QUOTES + "-"):
        return False
    if child.dep_ == "prep":
        return child.lower_ == "of"
    if for_name and child.dep_ in _NOT_IN_NAMES:
        return False
    if for_name and child.dep_ == "amod" and child.tag_ in ("VBN", "VBG") and any(
        c.dep_ == "advmod" for c in child.children
    ):
        return False
    return True


def _collect(token: Token, for_name: bool, out: list[Token]) -> None:
    out.append(token)
    for child in token.children:
        if _keep(child, for_name):
            _collect(child, for_name, out)


def _join(tokens: list[Token]) -> str:
    tokens = sorted(tokens, key=lambda t: t.i)
    text = "".join(t.text_with_ws for t in tokens[:-1]) + tokens[-1].text if tokens else ""
    text = re.sub(r"\s+", " ", text).strip(_EDGE)
    for q in _QUOTES:  # an unbalanced quote at an edge is a leftover of the sentence
        if text.count(q) % 2 == 1 if q == '"' else False:
            text = text.strip(q).strip()
    return text.strip(_EDGE)


def phrase(token: Token) -> str:
    """The noun phrase headed by `token`, without clauses that follow it."""
    out: list[Token] = []
    _collect(token, False, out)
    return _join(out)


def name_phrase(token: Token) -> str:
    """A shorter phrase fit as an entity name: no determiners, possessors or hedges."""
    out: list[Token] = []
    _collect(token, True, out)
    return _join(out) or token.text


def clause_text(token: Token, without: Token | None = None) -> str:
    """The words of the clause headed by `token` (what was said, what was called for), less
    the clause of `without` ("The economy, the minister said, is weak" -> "The economy is weak")."""
    inner = set(without.subtree) if without is not None else set()
    words = [t for t in token.subtree if t not in inner]
    while words and words[0].dep_ in ("mark", "aux") and words[0].head == token:  # "that ...", "to ..."
        words = words[1:]
    while words and words[-1].is_punct and words[-1].text in ".!?":  # the sentence's end, not the clause's
        words = words[:-1]
    # where words were left out, a space: "economy" + "is", not "economyis"
    text = "".join(t.text_with_ws if k + 1 == len(words) or words[k + 1].i == t.i + 1 else t.text + " "
                   for k, t in enumerate(words))
    return re.sub(r"\s+", " ", text).strip(_EDGE + _QUOTES).strip()


def fold(text: str) -> str:
    """Without accents, so that "Erdoğan" and "Erdogan" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    """A readable, stable IRI segment: "Vladimir Putin" -> "vladimir-putin", "Erdoğan" -> "erdogan"."""
    text = re.sub(r"[^\w]+", "-", fold(text).lower(), flags=re.UNICODE).strip("-")
    return text[:80] or "x"
