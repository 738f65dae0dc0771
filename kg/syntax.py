"""Small questions about the dependency parse that more than one event stage asks: is a verb
passive, what are the objects of its prepositions, which noun does a relative pronoun stand for.

No stage of its own: these read the parse and nothing else (no lexicon beyond the words passed
in, no entities), so `kg.frames`, `kg.referents` and `kg.anchoring` ask them the same way.
"""
from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc, Token

# a time or place on a verb also holds for the verb that depends on it this way: "urged X on
# Monday to repeal" (xcomp), "arrived in Paris, saying" (advcl), "met in Paris and signed" (conj)
INHERITING_DEPS = frozenset({"xcomp", "advcl", "conj"})


_QUOTE_TAGS = ("``", "''")  # the tagger's opening and closing quotation marks
_QUOTE_MARKS = ("\u201c", "\u201d", '"')  # typographic opening and closing, and the straight one


def in_quotation(token: Token) -> bool:
    """Inside a direct quotation in its sentence: the last quotation mark before the word opens
    one ('"We will win," he said': "said" comes after a closing mark, and is narrated)."""
    for t in reversed(token.sent[: token.i - token.sent.start]):
        if t.tag_ in _QUOTE_TAGS or t.text in _QUOTE_MARKS:
            return t.tag_ == "``" or t.text == "\u201c"
    return False


def is_passive(token: Token) -> bool:
    """"was elected", a bare participle modifying a clause or noun: "appeared in court, charged
    with murder" / "a man charged with murder" (the one charged is the head's referent), and a
    headline's participle with a subject and no auxiliary ("Navalny poisoned with Novichok")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return True
    if token.tag_ == "VBN" and token.dep_ in ("ROOT", "ccomp") and any(c.dep_ == "nsubj" for c in token.children) \
            and not any(c.dep_ in ("aux", "auxpass", "dobj", "oprd", "dative") for c in token.children):
        return True  # a headline's "Navalny poisoned with Novichok": a participle with no "has" and no object
    return token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "nsubj") for c in token.children)


def text_of(doc: Doc) -> str:
    """The Doc's text, built once: spaCy joins it anew from the tokens on every `doc.text`."""
    text = doc.user_data.get("kg.text")
    if text is None:
        text = doc.user_data["kg.text"] = doc.text
    return text


def children(token: Token, dep: str) -> list[Token]:
    return [c for c in token.children if c.dep_ == dep]


def objects_of(token: Token, preps: Collection[str] | None = None) -> list[Token]:
    """The objects of the token's prepositions (of these ones only, if given)."""
    return [g for c in token.children if c.dep_ == "prep" and (preps is None or c.lower_ in preps)
            for g in c.children if g.dep_ == "pobj"]


def prep_objects(token: Token, prep: str) -> list[Token]:
    """Objects of `prep` attached to the token (or to its light-verb object: "fire from X")."""
    out = []
    heads = [token] + [c for c in token.children if c.dep_ in ("dobj", "prep", "pobj")]
    heads += [g for c in heads[1:] for g in c.children if c.dep_ == "prep" and g.dep_ == "pobj"]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
                out += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
    return out


def relative_antecedent(token: Token, relative_pronouns: frozenset[str]) -> Token:
    """"which"/"who" in a relative clause stands for the noun the clause modifies."""
    if token.lower_ in relative_pronouns:
        clause = token.head
        while clause.dep_ not in ("relcl", "acl") and clause.head != clause:
            clause = clause.head
        if clause.dep_ in ("relcl", "acl"):
            return clause.head
    return token
