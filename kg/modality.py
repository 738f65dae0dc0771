"""Event stage 3, modality: does the text assert that the event happened?

Reads:   the parse around each trigger, Frame.entry (a verb of saying is negated differently) and
         Frame.governor (`kg.frames`); the lexicon's negations, modals, conditional marks and
         hypothetical governors.
Assigns: Frame.asserted: False for negated ("did not sign"), conditional ("if it passes"),
         hypothetical ("hopes to ban", "would allow") events, events inside a direct quotation
         (the speaker's words, told by the Statement that quotes them), and for an event that is the content
         of another frame ("urged Russia to *repeal*": the repeal is what was called for, not a
         fact); True otherwise, hedged ones included ("may have decriminalised"). Frames with no
         entry are passed on as they are.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.frames import speech_act
from kg.lexicon import Lexicon
from kg.syntax import in_quotation
from kg.types import Frame

_CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "acl", "pcomp", "csubj"}


def judge_modality(doc: Doc, frames: list[Frame], lexicon: Lexicon) -> list[Frame]:
    """Each frame with whether the text asserts it."""
    judged = []
    for frame in frames:
        if frame.entry is None:
            judged.append(frame)
            continue
        # an event that is what another event calls for or agrees to is that event's theme, not a fact
        embedded = frame.governor is not None
        asserted = not embedded and _asserted(doc[frame.trigger], lexicon, speech=speech_act(frame.entry, lexicon))
        judged.append(replace(frame, asserted=asserted))
    return judged


def _word_forms(token: Token, suffixes: list[str]) -> set[str]:
    """The lemma and crude stems of a verb, since the small model mislemmatises ("hopes" -> "hop")."""
    lower = token.lower_
    forms = {token.lemma_.lower(), lower}
    for suffix in suffixes:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            forms.add(lower[: -len(suffix)])
    return forms


def _asserted(token: Token, lexicon: Lexicon, speech: bool = False) -> bool:
    """False for negated, hypothetical, conditional, quoted or merely wished-for events."""
    if in_quotation(token):
        return False  # a speaker's words: the Statement that quotes them is the fact
    negatable = ("nsubj", "nsubjpass") if speech else ("nsubj", "nsubjpass", "dobj")
    negations = lexicon.word_set("negations")
    modals = lexicon.word_set("hypothetical_modals")
    governors = lexicon.word_set("hypothetical_governors")
    marks = lexicon.word_set("conditional_marks")
    suffixes = lexicon.words["inflection_suffixes"]
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and child.lower_ in negations):
            return False
        if child.dep_ in negatable and any(g.dep_ == "det" and g.lower_ in negations for g in child.children):
            return False  # "no votes can be held", "held no talks" (but "reported no casualties" was said)
        if child.dep_ == "aux" and child.lower_ in modals:
            return False
        if child.dep_ == "mark" and child.lower_ in marks:
            return False
    node = token
    while node.dep_ in _CLAUSE_DEPS and node.head != node:
        head = node.head
        if node.dep_ == "pcomp" and head.dep_ == "prep" and _word_forms(head.head, suffixes) & governors:
            return False  # "tasked with investigating", "aimed at ending"
        if node.dep_ in ("xcomp", "ccomp", "advcl") and _word_forms(head, suffixes) & governors and not (
            node.dep_ == "advcl" and node.tag_ == "VBG"
        ):
            return False
        if node.dep_ in ("advcl", "conj", "ccomp"):
            if any(c.dep_ == "mark" and c.lower_ in marks for c in node.children):
                return False
        if any(c.dep_ == "neg" for c in head.children) and node.dep_ in ("xcomp",):
            return False
        if node.dep_ == "conj" and _shares_auxiliaries(node) and any(
            c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in modals) for c in head.children
        ):
            return False  # "did not concede or admit defeat": the bare conjunct shares "did not"
        node = head
    # an event inside a noun phrase of a hypothetical clause ("a bill that would allow removing
    # people who had been accused") is as hypothetical as the clause; a saying with a subject of
    # its own is not ("may declare an emergency, which he said would allow him to act")
    if speech and any(c.dep_ == "nsubj" for c in token.children):
        return True
    node = token
    while node.head != node and node.dep_ not in ("conj", "parataxis", "ccomp"):  # coordination starts anew
        node = node.head
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in modals for c in node.children):
            return False
    return True


def _shares_auxiliaries(conjunct: Token) -> bool:
    """A bare-form verb conjunct with no subject of its own hangs on its head's auxiliaries."""
    return conjunct.tag_ == "VB" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in conjunct.children)
