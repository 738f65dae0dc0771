"""Entity resolution inside one article.

1. Named mentions are grouped into entities: equal names, a person's surname or full name
   ("Putin" -> "Vladimir Putin"), acronyms ("UN General Assembly" -> "United Nations General
   Assembly"), and a trailing part of an organisation's name ("General Assembly").
2. Pronouns and descriptions ("it", "they", "the country", "the group", "the president") are
   resolved to an earlier mention, scored by (a) type agreement with the pronoun or the
   description's head noun and with the role the word fills, (b) number, (c) recency in
   sentences, (d) salience: subjects and named mentions first. A possessive pronoun inside an
   opening phrase ("Since its release ..., the video ...") may point forward to the subject.
3. Anything else that fills a role is a description entity scoped to the article ("200
   protesters"), so descriptions in two articles never merge by accident.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.lexicon import Lexicon
from kg.mentions import is_title_case
from kg.phrases import fold, name_phrase, slug
from kg.types import Entity, Mention

ACTOR_KINDS = frozenset({"Person", "Organization", "Group", "Place"})
# kinds whose capitalised head noun makes a phrase a name ("... Court", "... Kingdom", "... Act")
_NAMED_BY_HEAD = frozenset({"Organization", "Place", "Legislation", "Event"})
_LOOKBACK_SENTENCES = 4
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# an antecedent is contested when another entity of its kind scores within this of it: less than
# a sentence further back, or a less salient mention in the same sentence
CONTEST_MARGIN = 8.0


@dataclass(frozen=True)
class Resolution:
    """The entity a word means and how kg knows it: "name" (the word is, or stands beside, a
    name), "pronoun" or "description" (an earlier mention chosen by agreement, recency and
    salience), "own" (a description entity of its own: "200 protesters"). `contested`: another
    entity of the same kind was nearly as good a choice."""

    entity: Entity | None
    via: str = "name"
    contested: bool = False


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    # cached: the resolvers compare the same few hundred names tens of thousands of times
    return tuple(w for w in re.findall(r"[\w&]+", fold(text)) if w.lower() != "the")


def _norm(text: str) -> str:
    return " ".join(w.lower() for w in _words(text))


def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """True when `short` is `long` with some runs of words written as their initials."""
    if not short or short == long:
        return False
    i = 0
    for word in short:
        if i < len(long) and word.lower() == long[i].lower():
            i += 1
            continue
        if word.isupper() and len(word) >= 2:
            k = len(word)
            initials = "".join(w[0] for w in long[i:i + k] if w).upper()
            if len(long[i:i + k]) == k and initials == word:
                i += k
                continue
        return False
    return i == len(long)


def name_match(short: str, short_kind: str, long: str, long_kind: str) -> str | None:
    """Why the shorter name may name the longer one's entity ("surname", "acronym", ...), or
    None when it may not. Shared by the in-article resolver and the cross-article linker."""
    a, b = _words(short), _words(long)
    if not a or len(a) > len(b):
        return None
    if [w.lower() for w in a] == [w.lower() for w in b]:
        return "same name"
    if long_kind == "Person":
        # "Putin" or "Vladimir Putin" for "Vladimir Vladimirovich Putin"; a first name alone is too weak
        return "surname" if short_kind == "Person" and a == b[-len(a):] else None
    if _abbreviates(a, b):
        return "acronym"
    if long_kind == short_kind == "Organization" and len(a) >= 2 and a == b[-len(a):]:
        return "end of the name"
    return None


def _same_entity(short: Mention, long: Mention, people: set[str]) -> bool:
    """`people`: the names the tagger read as a person's at least once in the article; such a
    name is a person's wherever else the tagger put it ("Soleimani", read as a place in the
    first of its mentions), so it may be the surname of a person the article names in full."""
    kind = "Person" if _norm(short.text) in people else short.kind
    return name_match(short.text, kind, long.text, long.kind) is not None


def _title_words(head: Token, words: list[Token]) -> tuple[str, ...]:
    """A title as words: the phrase's own words, not names, adjectives or punctuation in it
    ("incumbent US President" -> president), the head as its lemma ("presidents" -> president)."""
    return tuple(head.lemma_.lower() if t == head else t.lower_ for t in words
                 if not t.ent_type_ and not t.is_punct and t.dep_ != "amod" and t.pos_ != "DET")


def _description_title(token: Token) -> tuple[str, ...]:
    """The title a description names: "the Senate minority leader" -> minority leader."""
    return _title_words(token, [*(c for c in token.lefts if c.dep_ == "compound"), token])


@dataclass
class _Cluster:
    index: int  # in order of creation
    mentions: list[Mention] = field(default_factory=list)
    names: dict[tuple[str, str], Mention] = field(default_factory=dict)  # one mention per (text, kind)

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.names.setdefault((mention.text, mention.kind), mention)

    def entity(self) -> Entity:
        kind = Counter(m.kind for m in self.mentions).most_common(1)[0][0]
        names = sorted({m.text for m in self.mentions}, key=lambda t: (-len(_words(t)), t.isupper(), t))
        name = names[0]
        return Entity(key=f"{kind.lower()}/{slug(name)}", name=name, type=kind, aliases=tuple(sorted(set(names[1:]))))


def _name_keys(text: str) -> tuple[str, str]:
    """What a shorter name must share with a longer one for `name_match` to join them: the last
    word (a surname, the end of a name) or the first letter (the same start, an acronym)."""
    words = _words(text)
    return ("last:" + words[-1].lower(), "first:" + words[0][0].upper()) if words else ("", "")


def cluster_mentions(mentions: list[Mention]) -> dict[Mention, Entity]:
    """Group named mentions into entities (longest names first, so short forms join them)."""
    clusters: list[_Cluster] = []
    by_norm: dict[str, _Cluster] = {}
    # clusters by the keys of their names (by index in `clusters`), so that a name is compared
    # with the few that may match it, not with every name of a long text
    by_key: dict[str, set[int]] = {}
    people = {_norm(m.text) for m in mentions if m.kind == "Person"}
    for m in sorted(mentions, key=lambda m: (-len(_words(m.text)), m.start)):
        norm = _norm(m.text)
        cluster = by_norm.get(norm)
        if cluster is None:
            candidates = sorted(set().union(*(by_key.get(k, ()) for k in _name_keys(m.text))))
            matches = [clusters[i] for i in candidates
                       if any(_same_entity(m, other, people) for other in clusters[i].names.values())]
            if matches:
                # the nearest earlier mention wins when two entities share a surname
                cluster = min(matches, key=lambda c: min(abs(o.start - m.start) for o in c.mentions))
            else:
                cluster = _Cluster(index=len(clusters))
                clusters.append(cluster)
            by_norm[norm] = cluster
        if (m.text, m.kind) not in cluster.names:
            for key in _name_keys(m.text):
                by_key.setdefault(key, set()).add(cluster.index)
        cluster.add(m)
    return {m: c.entity() for c in clusters for m in c.mentions}


@dataclass
class Resolver:
    """Answers "which entity does this token stand for?" for one parsed article."""

    doc: Doc
    mentions: list[Mention]
    lexicon: Lexicon
    scope: str  # prefix of description-entity keys: the article's id
    _entity_of: dict[Mention, Entity] = field(init=False)
    _token_mention: dict[int, Mention] = field(init=False)

    _gender: dict[str, str] = field(init=False)
    _sents: list = field(init=False)  # the Doc's sentences, and each one's index by start token
    _sent_index: dict[int, int] = field(init=False)
    _quantity_heads: frozenset[str] = field(init=False)  # "a handful of", "dozens of": read once, asked often
    _mention_count: Counter = field(init=False)  # how often the article names each entity

    def __post_init__(self) -> None:
        self._entity_of = cluster_mentions(self.mentions)
        self._mention_count = Counter(e.key for e in self._entity_of.values())
        self._token_mention = {i: m for m in self.mentions for i in range(m.start, m.end)}
        self._gender = self._guess_genders()
        self._sents = list(self.doc.sents)
        self._sent_index = {s.start: n for n, s in enumerate(self._sents)}
        self._quantity_heads = self.lexicon.word_set("quantity_heads")

    def _guess_genders(self) -> dict[str, str]:
        """A person's gender from the text itself: a title or noun beside the name ("Mrs",
        "a mother of two") and the first gendered pronoun after the name in its sentence, before
        any other person ("Emily Spanton, 39, who has waived her right")."""
        cues = {w: g for g, words in self.lexicon.words.get("gender_cues", {}).items() for w in words}
        votes: dict[str, Counter] = {}
        for m in self.mentions:
            if m.kind != "Person":
                continue
            key = self._entity_of[m].key
            tally = votes.setdefault(key, Counter())
            before = self.doc[max(m.sent_start, m.start - 3):m.start]
            for t in before:
                if t.lower_.rstrip(".") in cues and t.pos_ != "PRON":
                    tally[cues[t.lower_.rstrip(".")]] += 2
            sent_end = self.doc[m.start].sent.end
            for t in self.doc[m.end:sent_end]:
                other = self._token_mention.get(t.i)
                if other is not None and other.kind == "Person" and self._entity_of[other].key != key:
                    break
                if t.pos_ == "PRON" and t.lower_ in cues:
                    tally[cues[t.lower_]] += 1
                    break
        return {key: tally.most_common(1)[0][0] for key, tally in votes.items() if tally}

    # -- public -------------------------------------------------------------------------------
    def named(self, token: Token) -> Entity | None:
        """The named entity a token is part of, or that its noun phrase is about."""
        m = self._token_mention.get(token.i)
        if m and m.kind != "Group":
            return self._entity_of[m]
        for child in token.children:  # "An Australian, Brenton Tarrant": the name, not the nationality
            if child.dep_ == "appos" and child.i in self._token_mention:
                named = self._token_mention[child.i]
                if named.kind in ("Person", "Organization"):
                    return self._entity_of[named]
        if m:
            return self._entity_of[m]
        # "rights group All Out", "the country's president Macron": a descriptor next to a name
        nxt = token.i + 1
        if token.pos_ == "NOUN" and nxt < len(self.doc) and nxt in self._token_mention:
            m = self._token_mention[nxt]
            if m.start == nxt and token.lemma_.lower() in self.lexicon.word_set("name_descriptors") | set(
                self.lexicon.words["kind_nouns"]["Person"]
            ):
                return self._entity_of[m]
        for child in token.children:
            if child.dep_ in ("appos", "compound") and child.i in self._token_mention:
                m = self._token_mention[child.i]
                if child.dep_ == "appos" or m.kind == "Person":
                    return self._entity_of[m]
        return None

    def resolve(self, token: Token, role_kinds: frozenset[str] | None = None) -> Entity | None:
        """The entity a role filler means: a name, a pronoun's antecedent, a description's
        referent, or a description entity of its own; None for words that name nothing."""
        return self.resolution(token, role_kinds).entity

    def resolution(self, token: Token, role_kinds: frozenset[str] | None = None) -> Resolution:
        """`resolve`, with how the entity was found (see `Resolution`)."""
        token = self.through_quantity(token)
        entity = self.named(token)
        if entity:
            return Resolution(entity)
        pronoun_kinds = frozenset(self.pronoun_kinds(token))
        if token.pos_ == "PRON" and pronoun_kinds:
            kinds = pronoun_kinds & (role_kinds or pronoun_kinds)
            found, contested = self._antecedent(
                token, kinds, plural=token.lower_ in self.lexicon.word_set("plural_pronouns"))
            return Resolution(found, "pronoun", contested)
        if token.pos_ == "PRON":
            return Resolution(None, "pronoun")
        if self._is_definite_description(token):
            kind = self.lexicon.kind_of_noun.get(token.lemma_.lower())
            titled = self._titled(token) if kind == "Person" else []
            if titled:  # "the president": the person the article introduced as president
                return Resolution(titled[0], "description", len(titled) > 1)
            if kind:
                referent, contested = self._antecedent(token, frozenset({kind}), plural=None, named_only=True)
                if referent and self._may_describe(token, referent):
                    return Resolution(referent, "description", contested)
        return Resolution(self.describe(token), "own")

    def _may_describe(self, token: Token, entity: Entity) -> bool:
        """"the company" may be any company named before, "the government" only one whose name
        says government: the Philippine government is not the rebel front named last. A person
        is described by roles and titles no name has ("the president")."""
        head = token.lemma_.lower()
        if entity.type == "Person":  # unless the text gave them another title ("Vice President Pence")
            titles = [t for m, e in self._entity_of.items() if e.key == entity.key for t in self._titles_of(m)]
            return not titles or any(self._bears(t, _description_title(token)) for t in titles)
        if head in self.lexicon.word_set("any_name_nouns"):
            return True
        return any(head in _norm(name).split() for name in (entity.name, *entity.aliases))

    def _titled(self, token: Token) -> list[Entity]:
        """The people named before `token` with the title it is ("the president": "President
        Trump", "Trump, the president", "US President Donald Trump"), nearest first."""
        wanted = _description_title(token)
        nearest: dict[str, tuple[int, Entity]] = {}
        for m, entity in self._entity_of.items():
            if entity.type != "Person" or m.start >= token.i:
                continue
            if any(self._bears(title, wanted) for title in self._titles_of(m)):
                if m.start > nearest.get(entity.key, (-1, entity))[0]:
                    nearest[entity.key] = (m.start, entity)
        return [e for _, e in sorted(nearest.values(), key=lambda p: -p[0])]

    def _bears(self, title: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
        """Whether a person titled `title` is "the `wanted`": "minority leader" is "the leader",
        "vice president" is not "the president"."""
        n = len(wanted)
        return title == wanted or (title[-n:] == wanted and not set(title[:-n]) & self.lexicon.word_set("title_qualifiers"))

    def _titles_of(self, m: Mention) -> list[tuple[str, ...]]:
        """The titles a mention of a person is given: the words before the name that hang on it
        ("former US Vice President Joe Biden": vice president) and an apposition ("Chuck
        Schumer, the Senate minority leader": minority leader; "the president, Trump")."""
        head = self.doc[m.end - 1]
        before = []
        for t in reversed(self.doc[max(0, m.start - 6):m.start]):
            if t.head.i < m.start or t.head.i >= m.end:
                break
            before.append(t)
        titles = [_title_words(before[0], list(reversed(before)))] if before and before[0].pos_ in ("NOUN", "PROPN") else []
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN" and child.i not in self._token_mention:
                titles.append(_title_words(child, [*(c for c in child.lefts if c.dep_ == "compound"), child]))
        if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i not in self._token_mention:
            noun = head.head
            titles.append(_title_words(noun, [*(c for c in noun.lefts if c.dep_ == "compound"), noun]))
        return [t for t in titles if t]

    def describe(self, token: Token) -> Entity | None:
        """An article-scoped entity for a description ("200 protesters", "anti-gay laws")."""
        if token.pos_ not in ("NOUN", "PROPN", "NUM"):
            return None
        kind = self.lexicon.kind_of_noun.get(token.lemma_.lower(), "Thing")
        if kind == "Person" and token.tag_ in ("NNS", "NNPS"):
            kind = "Group"
        name = name_phrase(token)
        words = name.split()
        if token.pos_ == "PROPN" and kind == "Thing" and all(_name_like(w) for w in words) and any(
                _product_like(w) for w in words):
            # a product's name the tagger did not label ("iPhone 4", "PS5"): one node in every article
            return Entity(key=f"{kind.lower()}/{slug(name)}", name=name, type=kind)
        glue = self.lexicon.word_set("name_glue")  # "House *of* Representatives"
        if (token.pos_ == "PROPN" and kind in _NAMED_BY_HEAD and len(words) >= 2
                and _name_like(words[0]) and _name_like(words[-1])
                and all(_name_like(w) or w in glue for w in words) and not is_title_case(token.sent)):
            # a name the tagger missed here and may have labelled elsewhere ("the United Kingdom
            # voted", "the United States House of Representatives impeached"), its kind from its
            # head noun: the one node of that name (not in a Title Case line, where every word is
            # capitalised; not a person's title, "Former US Ambassador", which is no one's name)
            return Entity(key=f"{kind.lower()}/{slug(name)}", name=name, type=kind)
        return Entity(key=f"{self.scope}/{kind.lower()}/{slug(name)}", name=name, type=kind, local=True)

    def pronoun_kinds(self, token: Token) -> tuple[str, ...]:
        """The kinds of entity a pronoun can stand for ("she": Person); none for other words."""
        return tuple(self.lexicon.words["pronouns"].get(token.lower_, ()))

    def kind_of(self, token: Token) -> str | None:
        entity = self.named(token)
        if entity:
            return entity.type
        return self.lexicon.kind_of_noun.get(token.lemma_.lower())

    def entities(self) -> list[Entity]:
        return sorted(set(self._entity_of.values()), key=lambda e: e.key)

    # -- internals ----------------------------------------------------------------------------
    def through_quantity(self, token: Token) -> Token:
        """"a handful of gay activists" is about the activists."""
        if token.lemma_.lower() in self._quantity_heads and token.i not in self._token_mention:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        return objs[0]
        return token

    def _is_definite_description(self, token: Token) -> bool:
        dets = [c for c in token.children if c.dep_ == "det"]
        has_name = any(c.i in self._token_mention for c in token.subtree)
        return token.pos_ == "NOUN" and bool(dets) and dets[0].lower_ in self.lexicon.word_set(
            "definite_determiners") and not has_name

    def _candidates(self, token: Token) -> list[tuple[Token, Entity | None]]:
        """Earlier tokens that could be antecedents, nearest first: name heads and noun heads."""
        here = self._sent_index[token.sent.start]
        out: list[tuple[Token, Entity | None]] = []
        for k in range(here, max(-1, here - _LOOKBACK_SENTENCES - 1), -1):
            sent = self._sents[k]
            for t in reversed(sent):
                if t.i >= token.i and k == here:
                    continue
                m = self._token_mention.get(t.i)
                if m is not None:
                    # one candidate per name, at its last word; a name used as an adjective ("an
                    # Irish pub") is no one a pronoun could mean
                    if t.i == m.end - 1 and t.dep_ != "amod":
                        out.append((t, self._entity_of[m]))
                elif t.pos_ == "NOUN" and t.dep_ not in ("compound", "npadvmod") and not t.is_stop:
                    out.append((t, None))
        return out

    def _antecedent(self, token: Token, kinds: frozenset[str], plural: bool | None,
                    named_only: bool = False) -> tuple[Entity | None, bool]:
        """The best-scoring earlier mention (lower is better), and whether another entity of
        its kind came within CONTEST_MARGIN of it."""
        best: tuple[float, Entity] | None = None
        scored: dict[str, tuple[float, Entity]] = {}  # each entity's best score
        sent_index = self._sent_index
        here = sent_index[token.sent.start]
        for cand, entity in self._forward_subject(token) + self._candidates(token):
            if entity is None:
                if named_only:
                    continue
                entity = self.describe(cand)
                if entity is None:
                    continue
            if entity.type not in kinds:
                continue
            wanted = self.lexicon.words.get("pronoun_gender", {}).get(token.lower_)
            gender = self._gender.get(entity.key)
            if wanted and gender not in (None, wanted):
                continue
            cand_plural = cand.tag_ in ("NNS", "NNPS") or entity.type == "Group"
            if plural is True and not cand_plural and entity.type not in ("Organization", "Place"):
                continue
            if plural is False and cand_plural:
                continue
            distance = here - sent_index[cand.sent.start]
            score = distance * 10 + abs(token.i - cand.i) / 100
            if cand.dep_ in _SUBJECT_DEPS:
                score -= 3
            if self._token_mention.get(cand.i):
                score -= 2
            if plural is True and not cand_plural:
                score += 4  # "they" for an organisation is possible but less likely than a plural noun
            if wanted and entity.type == "Person" and gender is None:
                score += 8  # "she" more likely means a person the text has shown to be a woman
            if entity.key not in scored or score < scored[entity.key][0]:
                scored[entity.key] = (score, entity)
            if best is None or score < best[0]:
                best = (score, entity)
        if best is None:
            return None, False
        chosen = best[1]
        contested = any(other.key != chosen.key and other.type == chosen.type and score - best[0] < CONTEST_MARGIN
                        for score, other in scored.values())
        return chosen, contested or self._topic_competes(token, chosen, plural)

    def _topic_competes(self, token: Token, chosen: Entity, plural: bool | None) -> bool:
        """Whether the article is about another entity of the chosen one's kind, that the word
        could as well mean: named more often than the chosen one, and agreeing with it in gender
        and number. "His office said he died" in a story about a congressman means the
        congressman, not the president named in the sentence before."""
        wanted = self.lexicon.words.get("pronoun_gender", {}).get(token.lower_)
        counts = self._mention_count
        for m, entity in self._entity_of.items():
            if entity.key == chosen.key or entity.type != chosen.type or counts[entity.key] <= counts[chosen.key]:
                continue
            if m.start >= token.i:
                continue  # named only later: not yet what the story is about
            if wanted and self._gender.get(entity.key) not in (None, wanted):
                continue
            if plural is False and entity.type == "Group":
                continue
            return True
        return False

    def _forward_subject(self, token: Token) -> list[tuple[Token, Entity | None]]:
        """Cataphora: a possessive in a phrase before the main clause's subject may mean it."""
        if token.dep_ != "poss":
            return []
        root = token.sent.root
        subjects = [c for c in root.children if c.dep_ in _SUBJECT_DEPS and c.i > token.i]
        opener = token
        while opener.head != root and opener.head != opener:
            opener = opener.head
        if not subjects or opener.i > subjects[0].i or opener.dep_ not in ("prep", "advcl", "npadvmod", "advmod"):
            return []
        subject = subjects[0]
        return [(subject, self.named(subject))]


def _product_like(word: str) -> bool:
    """A word written as products are: a capital inside ("iPhone") or a digit ("PS5", "4")."""
    return any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)


def _name_like(word: str) -> bool:
    """A word as names are written: capitalised ("Pro"), with a capital inside ("iPhone"), or a number."""
    return word[:1].isupper() or word[:1].isdigit() or any(c.isupper() for c in word[1:])
