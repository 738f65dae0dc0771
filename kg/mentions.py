"""Find the named mentions in a parsed article: spaCy's entities, names introduced by a
descriptor ("rights group All Out"), and later repetitions of a name the article introduced.

Output is a list of `Mention`s over token indices; `kg.resolve` groups them into entities.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.lexicon import Lexicon
from kg.types import Mention


def _trim(span: Span, lexicon: Lexicon) -> Span:
    """Drop a leading article and a trailing possessive: "the Kremlin's" -> "Kremlin"."""
    leading = lexicon.word_set("name_leading_articles")
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in leading or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def _extend_compounds(span: Span) -> Span:
    """Grow an entity leftwards over proper-noun compounds the tagger left out ("Winter" Olympics)."""
    doc = span.doc
    start = span.start
    while start > span.sent.start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" \
            and doc[start - 1].head.i in range(start, span.end) and not doc[start - 1].ent_type_:
        start -= 1
    return doc[start:span.end]


def _strip_titles(span: Span, lexicon: Lexicon) -> Span:
    """"President Vladimir Putin" names Vladimir Putin: titles are not part of a person's name."""
    titles = lexicon.word_set("person_titles")
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_.rstrip(".") in titles:
        start += 1
    return span.doc[start:span.end]


def is_title_case(sent: Span) -> bool:
    """Title Case lines make capitalisation useless as a name cue. Told by the words that are not
    names: "The United Kingdom voted on June 23 to leave the European Union in the Brexit
    referendum" is mostly capitals, all of them names."""
    words = [t for t in sent if t.is_alpha and len(t) > 3 and not t.ent_type_]
    return len(words) >= 3 and sum(t.is_title for t in words) / len(words) > 0.6


def _entity_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    kinds = lexicon.words["ner_kinds"]
    found = []
    headline: dict[int, bool] = {}  # sentence start -> whether it is a Title Case line: once each
    for ent in doc.ents:
        kind = kinds.get(ent.label_)
        if kind is None:
            continue
        span = _trim(ent if kind == "Person" else _extend_compounds(ent), lexicon)
        if kind == "Person":
            span = _strip_titles(span, lexicon)
        if not span.text or not any(t.is_alpha for t in span):
            continue
        sent = span.sent
        if sent.start not in headline:
            headline[sent.start] = is_title_case(sent)
        if headline[sent.start] and ent.label_ not in ("PERSON", "ORG"):
            # the small model tags Title Case headline words as places ("Gay Athletes")
            continue
        found.append(Mention(span.start, span.end, span.text, kind, sent.start))
    return found


def _introduced_names(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[Mention]:
    """A capitalised run right after a descriptor noun is a name of that kind:
    "human rights group All Out", "the newspaper Le Monde"."""
    descriptors = lexicon.word_set("name_descriptors")
    glue = lexicon.word_set("name_glue")  # words allowed inside a name: "Bank of England", "Doctors Without Borders"
    found = []
    for token in doc:
        if token.lemma_.lower() not in descriptors or token.pos_ != "NOUN" or is_title_case(token.sent):
            continue
        end = token.i + 1
        while end < token.sent.end and end not in taken and (
            doc[end].is_title or doc[end].is_upper or (doc[end].lower_ in glue and end > token.i + 1)
        ) and (doc[end].is_alpha or doc[end].lower_ in glue):  # words, or glue that is no word ("&", "-")
            end += 1
        while end > token.i + 1 and doc[end - 1].lower_ in glue:
            end -= 1
        if end > token.i + 1:
            span = doc[token.i + 1:end]
            found.append(Mention(span.start, span.end, span.text, "Organization", span.sent.start))
    return found


def _repetitions(doc: Doc, known: list[Mention], taken: set[int]) -> list[Mention]:
    """Later (or earlier) occurrences of a name the article introduced, wherever the tagger missed them."""
    found = []
    texts = [t.text for t in doc]  # plain strings: indexing a Doc builds a Token each time
    by_words = {tuple(texts[m.start:m.end]): m for m in known if m.end - m.start >= 1}
    for words, mention in by_words.items():
        if len(words) == 1 and (len(words[0]) < 3 or not words[0][0].isupper()):
            continue
        n = len(words)
        for i in range(len(texts) - n + 1):
            if texts[i] != words[0] or any(j in taken for j in range(i, i + n)):
                continue
            if tuple(texts[i:i + n]) == words:
                span = doc[i:i + n]
                found.append(Mention(i, i + n, span.text, mention.kind, span.sent.start))
                taken.update(range(i, i + n))
    return found


def _spelled_out(doc: Doc, lexicon: Lexicon, mentions: list[Mention]) -> list[Mention]:
    """A name that an acronym in parentheses spells out is one name, however the tagger cut it:
    "United Nations Educational, Scientific and Cultural Organization (UNESCO)" was two
    organisations, "United Nations Educational" and "Cultural Organization". The name is the
    run of capitalised words before the parenthesis whose initials are the acronym's letters
    (glue words and commas between them skipped); the mentions inside it give way to it and to
    the acronym ("World Health Organization (WHO" is mended too)."""
    glue = lexicon.word_set("name_glue") | {","}
    found = list(mentions)
    for t in doc:
        if not (t.is_upper and t.is_alpha and 2 <= len(t) <= 8) or t.i < 2 or t.i + 1 >= len(doc):
            continue
        if doc[t.i - 1].text != "(" or doc[t.i + 1].text != ")":
            continue
        letters, start = list(t.text), t.i - 1
        k = t.i - 2
        while letters and k >= t.sent.start:
            word = doc[k]
            if word.is_title or word.is_upper:
                if word.text[0] != letters[-1]:
                    break
                letters.pop()
                start = k
            elif word.lower_ not in glue:
                break
            k -= 1
        if letters or t.i - 1 - start < 2:
            continue
        cut = [m for m in found if m.start <= t.i and m.end > start]  # over the name, "(" or the acronym
        whole = [m for m in cut if (m.start, m.end) in ((start, t.i - 1), (t.i, t.i + 1))]
        if not cut or len(whole) == len(cut):
            continue  # the tagger had the name whole, or none of it: nothing to mend
        kind = "Organization" if any(m.kind == "Organization" for m in cut) else cut[0].kind
        found = [m for m in found if m not in cut]
        for span in (doc[start:t.i - 1], doc[t.i:t.i + 1]):
            found.append(Mention(span.start, span.end, span.text, kind, span.sent.start))
    return found


def find_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Every named mention in the Doc, sorted by position, non-overlapping."""
    mentions = _spelled_out(doc, lexicon, _entity_mentions(doc, lexicon))
    taken = {i for m in mentions for i in range(m.start, m.end)}
    introduced = _introduced_names(doc, lexicon, taken)
    for m in introduced:
        taken.update(range(m.start, m.end))
    mentions += introduced
    mentions += _repetitions(doc, introduced, taken)
    return sorted(mentions, key=lambda m: m.start)
