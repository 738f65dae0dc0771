"""Event stage 1, frames: match trigger words from the lexicon on the dependency parse, choose the
entry each is read as, and find the words that fill its roles.

Reads:   the parse (lemmas, POS, tags, dependencies, entities) and the lexicon; asks `Referents`
         what kind of entity a word names where an entry restricts its participants ("attacked
         the church" is an Attack, "attacked the plan" a Criticize).
Assigns: Frame.trigger, .entry, .agent, .theme, .recipient, .place (token indices) and .governor.
         One frame per trigger word and agent ("France and Germany condemned" is two frames),
         in the order of the words; a listed word whose participants fit no entry is a frame
         with no entry (see `kg.types.Frame`).

Default role paths (a lexicon entry's "roles" override them):
    agent      nsubj, or the by-phrase of a passive; for nouns, the possessor ("Macron's call")
    theme      dobj, or the subject of a passive; for nouns, the of-phrase
    recipient  the dative object or a to-phrase
    place      an in/at phrase naming a place, here or on the verb this one depends on
A verb without its own subject takes its controller's: "urged Russia to repeal" gives repeal the
agent Russia; "X called for ..., imploring Y" gives imploring the agent X; a relative pronoun
stands for the noun its clause modifies ("the Assembly, which called for"); a document speaks
for whoever issued it ("a statement from the ministry said").
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.lexicon import Lexicon, Trigger
from kg.phrases import phrase
from kg.referents import ACTOR_KINDS, Referents
from kg.syntax import INHERITING_DEPS, children, is_passive, objects_of, prep_objects, relative_antecedent
from kg.timex import names_a_time
from kg.types import Frame

RolePaths = dict[int, dict[str, str]]  # trigger token index -> role -> path, as its first entry reads it

_FINITE = ("VBD", "VBZ", "VBP")
_FINITE_OR_PARTICIPLE = ("VBG", "VBN", "VB", *_FINITE)
# a verb in these relations describes a noun or helps another verb: no generic event of its own
_NOT_GENERIC_DEPS = ("amod", "aux", "auxpass", "compound", "nmod", "npadvmod")
_SOURCE_MARK = "as"  # "(said X) as reported by Reuters": one word that makes a construction, not a list
_OF, _TO = "of", "to"  # the of-phrase and the to-phrase of the default role paths
_PASSIVE_SUBJECT = "nsubjpass|nsubj"  # nsubj: a headline's bare participle ("Navalny poisoned")


def speech_act(entry: Trigger, lexicon: Lexicon) -> bool:
    """Whether the entry is a verb of saying: its object is what was said, not a participant
    (its type's `speech` flag in types.jsonl)."""
    return lexicon.types[entry.type].speech


@dataclass(frozen=True)
class _Match:
    """A trigger token with the lexicon entries that fit its syntax, most specific first; the
    first whose participants also fit is used ("attacked the church" Attack, "attacked the
    plan" Criticize)."""

    token: Token
    entries: tuple[Trigger, ...]

    @property
    def entry(self) -> Trigger:
        return self.entries[0]


def find_frames(doc: Doc, lexicon: Lexicon, referents: Referents) -> list[Frame]:
    """Every trigger word of the Doc with the entry it is read as and its role words."""
    matches = find_triggers(doc, lexicon)
    # the paths of each trigger's first entry: who controls a verb it governs ("urged X to ...")
    role_paths = {m.token.i: _default_paths(m.token, m.entry, lexicon) for m in matches}
    ent_of = {i: k for k, ent in enumerate(doc.ents) for i in range(ent.start, ent.end)}
    # what a typed trigger calls for, plans or agrees to is its theme ("urged Russia to repeal");
    # a generic verb's clause is a fact of its own ("was scheduled to meet": they met)
    typed = {m.token.i for m in matches if not m.entry.generic}
    frames: list[Frame] = []
    for m in matches:
        head = m.token.head
        governor = head.i if m.token.dep_ == "xcomp" and head.i in typed else None
        chosen = _choose_entry(m, role_paths, referents, lexicon)
        if chosen is not None and speech_act(chosen[0], lexicon) and any(
                c.dep_ == "mark" and c.lower_ == _SOURCE_MARK for c in m.token.children):
            chosen = None  # "(said X) as reported by Reuters" names the source of a report, it says nothing
        if chosen is None:
            frames.append(Frame(trigger=m.token.i, governor=governor))
            continue
        entry, found = chosen
        # a verb no entry covers is an event only when it is about a named entity (and, its type
        # not being agentless, only with an actor: see kg.facts)
        if entry.generic and not _names_someone([*found.get("agent", [])[:1], *found.get("theme", [])[:1]],
                                                referents, lexicon):
            if not m.entry.generic:  # a listed word that no entry fits (see `kg.types.Frame`)
                frames.append(Frame(trigger=m.token.i, governor=governor))
            continue
        theme = _first(found.get("theme"))
        recipient = _first(found.get("recipient"))
        place = _first(_place_tokens(m.token, referents, lexicon))
        agents: list[Token | None] = [
            a for t in found.get("agent", [])[:1]
            for a in _conjoined_agents(t, ent_of, referents)] or [None]
        for agent in agents:
            frames.append(Frame(trigger=m.token.i, entry=entry, agent=agent.i if agent is not None else None,
                                theme=theme, recipient=recipient, place=place, governor=governor))
    return frames


def _conjoined_agents(agent: Token, ent_of: dict[int, int], referents: Referents) -> list[Token]:
    """Conjoined agents act each ("France and Germany condemned"), but a name with "and" in it is
    one agent ("the Islamic State of Iraq and the Levant"), and so are titles before a person's
    name ("Apple CEO and co-founder Steve Jobs" is Jobs, not three agents "CEO", "co", "-")."""
    agents = [agent, *(c for c in agent.conjuncts if ent_of.get(c.i, -1) != ent_of.get(agent.i, -2) and _a_word(c)
                       and not _continues_of_place(agent, c, referents))]
    people = [a for a in agents if a.i in ent_of and referents.kind(a) == "Person"]
    # (bare titles: "the president and Vice President Pence" are two people)
    titles = [a for a in agents if a.i not in ent_of and referents.kind(a) == "Person"
              and not any(c.dep_ in ("det", "poss") for c in a.children)]
    if len(people) == 1 and titles and people[0].i > max(t.i for t in titles):
        return people
    return agents


def _continues_of_place(agent: Token, conjunct: Token, referents: Referents) -> bool:
    """A place after "X of <name> and": the "of" goes on ("the Islamic State of Iraq and the
    Levant", cut by the tagger after "Iraq" and parsed as two actors), no second actor. ("The
    Bank of England and France agreed" loses France: a missing actor, not a wrong one.)"""
    return referents.kind(conjunct) == "Place" and any(
        g.dep_ == "pobj" and g.i < conjunct.i and g.pos_ == "PROPN"
        for p in agent.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)


def _a_word(token: Token) -> bool:
    """A conjunct that is a word of its own, not a hyphen or a prefix the parser tore from its
    word ("CEO and co-founder Steve Jobs" is not three agents "CEO", "co", "-")."""
    if not any(ch.isalnum() for ch in token.text):
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return not (following is not None and not token.whitespace_ and following.text in ("-", "\u2010", "\u2013"))


def _names_someone(tokens: list[Token], referents: Referents, lexicon: Lexicon) -> bool:
    relative = lexicon.word_set("relative_pronouns")
    return any(referents.named(relative_antecedent(t, relative)) is not None for t in tokens)


def _first(tokens: list[Token] | None) -> int | None:
    return tokens[0].i if tokens else None


# ---------------------------------------------------------------------------------- triggers --
def _object_lemmas(token: Token) -> set[str]:
    objs = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "acomp")]
    objs += objects_of(token)
    # "(statements of) criticism came from X": the light verb's noun can be its subject, when the
    # verb has no direct object ("the company left the market" is not about a company left)
    subjects = [] if children(token, "dobj") else children(token, "nsubj")
    objs += subjects + [g for s in subjects for g in objects_of(s, (_OF,))]
    # a name is not lemmatised: "Jobs leaves Apple" is not about a job
    return {o.lower_ if o.pos_ == "PROPN" else o.lemma_.lower() for o in objs}


def _entry_fits(token: Token, entry: Trigger) -> bool:
    # the small model often tags a particle as an adverb ("stepped down/ADV")
    if entry.particle and not any(c.dep_ in ("prt", "advmod") and c.lower_ == entry.particle for c in token.children):
        return False
    if entry.prep and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ == entry.prep for c in token.children):
        return False
    if any(c.dep_ == "prt" and c.lower_ != entry.particle for c in token.children):
        return False  # a phrasal verb means something else: "left behind a company" is no resignation
    if entry.object and entry.object not in _object_lemmas(token):
        return False
    if entry.object_lemmas and not entry.object_lemmas & _object_lemmas(token):
        return False
    if entry.requires and not any(c.dep_ == entry.requires for c in token.children):
        return False
    return True


def find_triggers(doc: Doc, lexicon: Lexicon) -> list[_Match]:
    matches = []
    for token in doc:
        if token.dep_ == "amod":  # "its widely criticized laws" describes the laws, asserts nothing new
            continue
        if _gives_a_name(token, lexicon):  # "a woman named Heather Heyer" says what she is called
            continue
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
        if pos is None:
            continue
        fitting = tuple(e for e in lexicon.candidates(token.lemma_, pos) if _entry_fits(token, e))
        if (generic := _generic_entry(token, lexicon)) is not None:
            fitting += (generic,)  # read last: a verb no typed entry takes is a generic event
        if fitting:
            matches.append(_Match(token, fitting))
    return matches


def _generic_entry(token: Token, lexicon: Lexicon) -> Trigger | None:
    """The generic entry a verb may be read as: not one that describes a noun or helps a verb,
    not a word of a name, not a two-letter lemma or a prefix before a hyphen ("co-founded")."""
    if token.pos_ != "VERB" or token.dep_ in _NOT_GENERIC_DEPS or token.ent_type_ or len(token.lemma_) <= 2:
        return None
    if token.i + 1 < len(token.doc) and token.nbor().text == "-":
        return None
    return lexicon.generic_entry(token.lemma_.lower())


def _gives_a_name(token: Token, lexicon: Lexicon) -> bool:
    return token.dep_ == "acl" and token.lemma_.lower() in lexicon.word_set("naming_verbs") and any(
        c.dep_ in ("oprd", "attr", "dobj") and c.pos_ == "PROPN" for c in token.children)


# ------------------------------------------------------------------------------------- roles --
def _controller(token: Token, role_paths: RolePaths, lexicon: Lexicon) -> list[Token]:
    """Who does an embedded verb's action when it has no subject of its own."""
    head = token.head
    if head == token:
        return []
    if token.dep_ == "xcomp":
        # "called on X to ...": the recipient controls, when the governor's entry reads it so
        recipient_path = role_paths.get(head.i, {}).get("recipient")
        if recipient_path in lexicon.word_set("object_control_paths"):
            found = _path_tokens(head, recipient_path)
            if found:
                return found
        objs = children(head, "dobj")
        if objs and head.lemma_.lower() in lexicon.word_set("object_control_verbs"):
            return objs
        if is_passive(head) and children(head, "nsubjpass"):
            return children(head, "nsubjpass")  # "G7 was scheduled to meet": G7 meets
        return _subjects(head, role_paths, lexicon)
    marks = children(token, "mark")
    if token.dep_ == "advcl" and token.tag_ in _FINITE and marks:
        # a finite clause with its own conjunction has its own subject, never the main clause's;
        # "after Theresa May stepped down" parsed with "May" as the object of "after": that is it
        return [g for m in marks for g in m.children if g.dep_ == "pobj" and g.i < token.i]
    if token.dep_ == "conj" and is_passive(head) and children(head, "nsubjpass") and _active_conjunct(token):
        # "Apple was started by Jobs in 1976, and launched the store in 2003": Apple launched it
        return children(head, "nsubjpass")
    if token.dep_ in ("conj", "advcl") and token.tag_ in _FINITE_OR_PARTICIPLE:
        return _subjects(head, role_paths, lexicon)
    return []


def _active_conjunct(token: Token) -> bool:
    """A verb joined by "and"/"but" that is active: finite, with an object of its own when its
    form could be a participle ("was airlifted to Berlin and transferred to a hospital" shares
    the passive; "was started by Jobs and launched the store" does not)."""
    joined = any(c.dep_ == "cc" and c.i < token.i for c in token.head.children)
    participle_form = token.lower_.endswith(("ed", "en"))
    return joined and token.tag_ in _FINITE and (not participle_form or bool(children(token, "dobj")))


def _subjects(token: Token, role_paths: RolePaths, lexicon: Lexicon) -> list[Token]:
    subj = children(token, "nsubj")
    if subj:
        return subj
    if is_passive(token):
        return _path_tokens(token, "agent")
    return _controller(token, role_paths, lexicon)


def _path_tokens(token: Token, path: str) -> list[Token]:
    if "|" in path:  # alternatives, the first that is there: "announced X" / "announced that ..."
        return next((found for alt in path.split("|") if (found := _path_tokens(token, alt))), [])
    if path == "none":
        return []
    if path.startswith("prep:"):
        return prep_objects(token, path[5:])
    if path == "agent":
        return [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if path == "dative":
        return children(token, "dative") or prep_objects(token, _TO)
    return children(token, path)


def _says_when(token: Token) -> bool:
    return token.ent_type_ in ("DATE", "TIME") or (not token.ent_type_ and names_a_time(token.lower_))


def _reduced_passive(token: Token, lexicon: Lexicon) -> bool:
    """A headline's "X elected Speaker", "Y named party leader": a verb that gives a role, in the
    past, whose object is the bare title (no article, no possessor, no name) says that X was
    elected, not that X elected someone. ("The party elected Johnson leader" has a name.)"""
    if token.tag_ != "VBD" or token.lemma_.lower() not in lexicon.word_set("role_giving_verbs"):
        return False
    objects = children(token, "dobj") + children(token, "oprd")
    return len(objects) == 1 and bool(children(token, "nsubj")) and objects[0].lower_ in (
        lexicon.word_set("person_titles")) and not any(
        c.dep_ in ("det", "poss", "nummod") or c.pos_ == "PROPN" and c.dep_ == "compound" for c in objects[0].children)


def _default_paths(token: Token, entry: Trigger, lexicon: Lexicon) -> dict[str, str]:
    if entry.pos == "VERB" and _reduced_passive(token, lexicon):
        return {"agent": "none", "theme": "nsubj", "recipient": "none"}
    if entry.pos == "NOUN":
        paths = {"agent": "poss", "theme": f"prep:{_OF}", "recipient": f"prep:{_TO}"}
    elif is_passive(token):
        paths = {"agent": "agent", "theme": _PASSIVE_SUBJECT, "recipient": "dative"}
    else:
        paths = {"agent": "nsubj", "theme": "dobj", "recipient": "dative"}
    roles = dict(entry.roles)
    if is_passive(token) and entry.pos == "VERB":
        # a passive turns the entry's subject path into the by-phrase and its object into the subject
        passive = {"nsubj": "agent", "dobj": _PASSIVE_SUBJECT}
        roles = {r: "|".join(passive.get(alt, alt) for alt in p.split("|")) for r, p in roles.items()}
    return paths | roles


def _roles(token: Token, entry: Trigger, role_paths: RolePaths, referents: Referents,
           lexicon: Lexicon) -> dict[str, list[Token]]:
    """The tokens that fill each role of this trigger read as this entry."""
    relative = lexicon.word_set("relative_pronouns")
    paths = _default_paths(token, entry, lexicon)
    phrase_words = lexicon.word_set("prep_phrase_words")
    found: dict[str, list[Token]] = {
        r: [t for t in _path_tokens(token, p) if not _inside_prep_phrase(t, token, phrase_words)]
        for r, p in paths.items()}
    if paths.get("agent") == "nsubj" and not found["agent"]:
        found["agent"] = _controller(token, role_paths, lexicon)
    if paths.get("theme", "").startswith("nsubjpass") and not found.get("theme") and token.dep_ in ("advcl", "acl"):
        # "appeared in court, charged with murder": the one charged is the main clause's subject
        found["theme"] = [token.head] if token.dep_ == "acl" else _subjects(token.head, role_paths, lexicon)
    for role in ("agent", "theme"):
        if entry.pos == "NOUN" and found.get(role) and found[role][0].dep_ == "poss" and _says_when(found[role][0]):
            found[role] = []  # "Monday's attack", "Sunday's election" say when, not who or what
    if entry.pos == "NOUN" and found.get("agent"):
        # "its release": a possessor that cannot act is what was released, not who released it
        poss = found["agent"][0]
        if referents.kind(relative_antecedent(poss, relative)) not in ACTOR_KINDS and poss.lower_ not in (
                lexicon.word_set("actor_possessives")) and not referents.is_actor(poss):
            found["theme"] = found.get("theme") or [poss]
            found["agent"] = []
    found["theme"] = [relative_antecedent(t, relative) for t in found.get("theme", [])]
    if speech_act(entry, lexicon) and not found["theme"] and token.dep_ == "parataxis" and token.head.pos_ in (
            "VERB", "AUX"):
        found["theme"] = [token.head]  # "The economy, the minister said, is weak": said of the clause around it
    if found.get("agent"):
        found["agent"] = _issuer(found["agent"], role_paths, lexicon)
    return found


def _inside_prep_phrase(filler: Token, trigger: Token, phrase_words: frozenset[str]) -> bool:
    """ "In addition to stepping down, X announced ...", "according to reports": a to-phrase inside
    a phrase that works as one preposition is no participant of the trigger."""
    node = filler.head
    while node != trigger and node.head != node:
        if node.dep_ in ("pobj", "prep") and node.lower_ in phrase_words:
            return True
        node = node.head
    return False


def _issuer(agents: list[Token], role_paths: RolePaths, lexicon: Lexicon) -> list[Token]:
    """A document does not speak, its author does: "released a statement which said" and "a
    statement from the ministry said" are said by whoever released or wrote the statement."""
    document = relative_antecedent(agents[0], lexicon.word_set("relative_pronouns"))
    if document.lemma_.lower() not in lexicon.word_set("document_nouns") or document.ent_type_:
        return agents
    for prep in lexicon.words["issuer_preps"]:  # in this order: "from X" before "of X"
        if found := prep_objects(document, prep):
            return found
    if found := children(document, "poss"):
        return found
    if document.dep_ == "dobj":
        return _subjects(document.head, role_paths, lexicon)
    return []


# ---------------------------------------------------------------------- choosing the entry --
def _theme_ok(entry: Trigger, theme: Token | None, referents: Referents) -> bool:
    if entry.theme_kinds:
        kind = referents.theme_kind(theme) if theme is not None else None
        if kind not in entry.theme_kinds:
            return False
    if not (entry.theme_lemmas or entry.theme_not_lemmas):
        return True
    if theme is None:
        return not entry.theme_lemmas
    head = referents.counted(theme)
    lemma = head.lemma_.lower()
    if lemma in entry.theme_not_lemmas:
        return False
    if entry.theme_lemmas:
        kind = referents.kind(head)
        return lemma in entry.theme_lemmas or (kind is not None and kind in entry.theme_entity_kinds) or any(
            w.lower() in entry.theme_lemmas for w in phrase(head).split()
        )
    return True


def _agent_ok(entry: Trigger, agent: Token | None, referents: Referents) -> bool:
    """"ruled" is a Rule only when a court or judge rules."""
    if not entry.agent_lemmas:
        return True
    if agent is None:
        return False
    words = {agent.lemma_.lower(), *(w.lower() for w in phrase(agent).split())}
    entity = referents.named(agent)
    if entity is not None:
        words |= {w.lower() for w in entity.name.split()}
    return bool(words & entry.agent_lemmas)


def _choose_entry(m: _Match, role_paths: RolePaths, referents: Referents,
                  lexicon: Lexicon) -> tuple[Trigger, dict[str, list[Token]]] | None:
    for entry in m.entries:
        found = _roles(m.token, entry, role_paths, referents, lexicon)
        theme = found["theme"][0] if found.get("theme") else None
        agent = found["agent"][0] if found.get("agent") else None
        if entry.cause_lemmas:
            # "a bomb killed five", "the outbreak has killed 62": what did it is no actor
            cause = relative_antecedent(agent, lexicon.word_set("relative_pronouns")) if agent is not None else None
            if cause is None or cause.lemma_.lower() not in entry.cause_lemmas:
                continue
            found["agent"], agent = [], None
        if _theme_ok(entry, theme, referents) and _agent_ok(entry, agent, referents):
            return entry, found
    return None


# ------------------------------------------------------------------------------------ places --
def _place_tokens(token: Token, referents: Referents, lexicon: Lexicon) -> list[Token]:
    """An in/at phrase naming a place, on the trigger or on the verb it depends on."""
    node = token
    for _ in range(4):
        for prep in lexicon.words["place_preps"]:  # in this order: "in X" before "near X"
            for obj in prep_objects(node, prep) if node == token else objects_of(node, (prep,)):
                if referents.kind(obj) == "Place":
                    return [obj]
        if node.dep_ not in INHERITING_DEPS or node.head == node:
            return []
        node = node.head
    return []
