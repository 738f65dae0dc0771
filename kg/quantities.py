"""The amounts an event states, read off the parse around its trigger: "the Dow fell *3.2%* to
*11,234*" (a change by 3.2 percent, to a level of 11,234), "acquire Alderra *for $2.1 billion*" (an
amount), "posted a loss *of $340 million*" (an amount of the theme).

Reads the trigger's prepositions (`quantity_preps` in words.json: by, to, from, for), its bare
number objects ("fell 4%"), and the of-phrase of its object; only number words count (a number, or
a MONEY, PERCENT, CARDINAL or QUANTITY entity: "sentenced to ten years" names a time, not an amount).
Currencies come from `currencies` (symbols and words to ISO 4217 codes) and scales ("billion")
from `number_scales`.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.lexicon import Lexicon
from kg.types import Quantity

_AMOUNT_LABELS = ("MONEY", "PERCENT", "CARDINAL", "QUANTITY")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_BARE_DEPS = ("npadvmod", "dobj", "attr")  # "fell 4%", "gained 120 points"


def quantities_of(trigger: Token, lexicon: Lexicon) -> tuple[Quantity, ...]:
    """Every amount the trigger's clause gives it, in the order of the words."""
    preps: dict[str, str] = lexicon.words["quantity_preps"]  # preposition -> role
    found: list[tuple[int, Quantity]] = []
    for child in trigger.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            for obj in (g for g in child.children if g.dep_ == "pobj"):
                if (q := _quantity(obj, preps[child.lower_], lexicon)) is not None:
                    found.append((obj.i, q))
        elif child.dep_ in _BARE_DEPS:
            if (q := _quantity(child, "by", lexicon)) is not None:
                found.append((child.i, q))
            elif child.dep_ == "dobj":  # "posted a loss of $340 million"
                for prep in (g for g in child.children if g.dep_ == "prep" and g.lower_ == "of"):
                    for obj in (g for g in prep.children if g.dep_ == "pobj"):
                        if (q := _quantity(obj, "amount", lexicon)) is not None:
                            found.append((obj.i, q))
    return tuple(q for _, q in sorted(found, key=lambda pair: pair[0]))


def _quantity(token: Token, role: str, lexicon: Lexicon) -> Quantity | None:
    currencies: dict[str, str] = lexicon.words["currencies"]
    span = _amount_span(token, frozenset(currencies) | lexicon.word_set("quantity_units"))
    if span is None:
        return None
    text = span.text
    numbers = _NUMBER.findall(text)
    if not numbers:
        return None
    value = float(numbers[0].replace(",", ""))
    lower = text.lower()
    scales: dict[str, float] = lexicon.words["number_scales"]
    for word in re.findall(r"[a-z]+", lower):
        value *= scales.get(word, 1)
    unit = "percent" if "%" in text or re.search(r"\bper ?cent\b", lower) else next(
        (code for mark, code in currencies.items() if mark in text or re.search(rf"\b{re.escape(mark)}\b", lower)), None)
    if role == "amount" and unit is None:
        return None  # "for 800 workers": a sum needs its currency
    return Quantity(role=role, value=value, unit=unit, text=text)


def _amount_span(token: Token, units: frozenset[str]) -> Span | None:
    """The number phrase a token heads or belongs to, if it is one: a number, an amount entity,
    or a unit with its number ("12.30 euros", "120 points")."""
    doc = token.doc
    if token.ent_type_ in _AMOUNT_LABELS:
        return next(ent for ent in doc.ents if ent.start <= token.i < ent.end)
    counted = any(c.dep_ == "nummod" and c.like_num for c in token.children)
    if token.like_num or (counted and token.lower_ in units):
        return doc[token.left_edge.i:token.right_edge.i + 1]
    return None
