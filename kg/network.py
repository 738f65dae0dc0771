"""The store's facts as a networkx graph: entities and facts as nodes, roles as edges.
Used by the HTML view and by the GraphML/GEXF exports; `choose_facts` picks a part of a store too
big to draw whole (kg serve's explorer)."""
from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence

import networkx as nx
from rdflib import URIRef

from kg.entities import load_index
from kg.query import IRI, NamedQuery, Param, bind
from kg.rdf import ROLE_PROPERTIES
from kg.store import GraphStore
from kg.vocab import CLASS_KINDS, ENTITY

# Written for Oxigraph's planner: a fact is what has a kg:trigger (only events do), and a role is
# a FILTER on the property. `?e a sem:Event` or a VALUES of properties, joined with a VALUES of
# facts (see `_only`), makes it scan every event: 5 s instead of 0.1 s on 700k triples.
_FACTS = """
SELECT ?e ?class ?trigger ?label ?t ?sentence ?headline ?article ?url ?published ?confidence WHERE {
  ?e kg:trigger ?trigger ; rdfs:label ?label ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?e kg:confidence ?confidence }
  ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?e gaf:denotedBy/nif:anchorOf ?sentence }
  OPTIONAL { ?e sem:hasTime ?t }
}"""
# The time nodes on their own: joined to the facts inside the query above, Oxigraph takes seconds
# on a corpus store (it evaluates the nested OPTIONAL per fact).
_TIMES = """
SELECT ?t ?time ?begin ?end ?bound WHERE {
  ?t a sem:Time .
  OPTIONAL { ?t kg:timexValue ?time }
  OPTIONAL { ?t sem:hasEarliestBeginTimeStamp ?begin }
  OPTIONAL { ?t sem:hasLatestEndTimeStamp ?end }
  OPTIONAL { ?t a ?bound FILTER(?bound = kg:TimeBound) }
}"""
_TYPED_FACTS = _FACTS.replace("WHERE {", "WHERE {\n  FILTER NOT EXISTS { ?e kg:predicate ?predicate }", 1)  # no generic
# the role properties, as the RDF layer writes them
_ROLE_NAMES = {str(prop): role for role, prop in ROLE_PROPERTIES.items()}
_ROLE_FILTER = f"FILTER(?p IN ({', '.join(URIRef(p).n3() for p in _ROLE_NAMES)}))"
_ROLES = f"""
SELECT ?e ?p ?x WHERE {{
  ?e ?p ?x . {_ROLE_FILTER}
}}"""
# An entity's label and kind, its other names, its articles: three queries, as one they would
# give a row per name and article (thousands for a hub)
_ENTITIES = """
SELECT DISTINCT ?x ?label ?class WHERE { ?x rdfs:label ?label ; a ?class ; kg:mentionedIn ?a . }"""
_ALIASES = """
SELECT DISTINCT ?x ?alt WHERE { ?x skos:altLabel ?alt . }"""
_HEADLINES = """
SELECT DISTINCT ?x ?headline WHERE { ?x kg:mentionedIn ?a . ?a schema:headline ?headline . }"""


# Role triples by their properties, each on the predicate index (a FILTER over ?p scans them all)
_ANY_ROLE = " UNION ".join(f"{{ ?e {URIRef(p).n3()} ?x }}" for p in _ROLE_NAMES)
# the entities in the most facts: what a store too big to draw opens on. COUNT(*), not
# COUNT(DISTINCT ?e) (the same but for an entity in two roles of one fact), no second sort key,
# generic facts counted too: 0.1 s on 700k triples, where each of those costs Oxigraph 1 to 2 s.
_TOP_ENTITIES = f"""
SELECT ?x (COUNT(*) AS ?n) WHERE {{ {_ANY_ROLE} }} GROUP BY ?x ORDER BY DESC(?n) LIMIT @LIMIT@"""
# an entity by its IRI, or a name or alias as written; only then (a scan of every name) in any case
_NAMED = NamedQuery("explorer-entity", """
SELECT DISTINCT ?x WHERE {
  { ?x rdfs:label ?wanted } UNION { ?x skos:altLabel ?wanted } UNION { ?wanted kg:mentionedIn ?a BIND(?wanted AS ?x) }
  ?x kg:mentionedIn ?article .
}""", "", (Param("wanted", "entity", None, "an entity's IRI or name"),))
_NAMED_ANY_CASE = NamedQuery("explorer-entity-any-case", """
SELECT DISTINCT ?x WHERE {
  { ?x rdfs:label ?name } UNION { ?x skos:altLabel ?name }
  FILTER(LCASE(STR(?name)) = LCASE(?wanted))
  ?x kg:mentionedIn ?article .
}""", "", (Param("wanted", "text", None, "an entity's name"),))
# a few facts of one entity: one of these per entity, in a UNION (see `choose_facts`)
_SOME_FACTS_OF = f"""{{ SELECT ?x ?e WHERE {{ BIND(@ENTITY@ AS ?x) {_ANY_ROLE.replace("?x", "@ENTITY@")} @GENERIC@ }}
   LIMIT @LIMIT@ }}"""
_NOT_GENERIC = "FILTER NOT EXISTS { ?e kg:predicate ?predicate }"


def choose_facts(store: GraphStore, *, entity: str | None = None, generic: bool = False,
                 max_facts: int = 2000, hubs: int = 60) -> tuple[list[str], list[str]]:
    """Facts to draw from a store too big for one page, by IRI, and the entities they were
    chosen by: with `entity` (an IRI, or a name or alias in any case) that entity's facts; else
    the facts of the `hubs` entities in the most facts. At most `max_facts`; no article text is
    ever part of a query's text (the name is bound as a literal, IRIs come from the store)."""
    guard = "" if generic else _NOT_GENERIC
    if entity is not None:
        seeds = [str(r[0]) for r in store.query(bind(_NAMED, {"wanted": entity})).rows if r[0] is not None]
        if not seeds:
            seeds = [str(r[0]) for r in store.query(bind(_NAMED_ANY_CASE, {"wanted": entity})).rows
                     if r[0] is not None]
    else:
        text = _TOP_ENTITIES.replace("@LIMIT@", str(int(hubs)))
        seeds = [str(r[0]) for r in store.query(text).rows if isinstance(r[0], URIRef)]
    seeds = [iri for iri in seeds if IRI.fullmatch(iri)]
    if not seeds:
        return [], []
    # Facts in turn from each entity, best connected first, so that one hub cannot fill the page:
    # each gives at most twice its share (a partner's facts are often its own too).
    share = str(max(-(-int(max_facts) // len(seeds)) * 2, 1))
    text = "SELECT ?x ?e WHERE {\n" + "\n  UNION ".join(
        _SOME_FACTS_OF.replace("@ENTITY@", URIRef(seed).n3()).replace("@GENERIC@", guard).replace("@LIMIT@", share)
        for seed in seeds) + "\n}"
    per_seed: dict[str, list[str]] = {seed: [] for seed in seeds}
    for x, e in store.query(text).rows:
        per_seed.setdefault(str(x), []).append(str(e))
    chosen: dict[str, None] = {}
    for round_ in itertools.zip_longest(*per_seed.values()):
        for fact in round_:
            if fact is not None and len(chosen) < max_facts:
                chosen.setdefault(fact)
    return list(chosen), seeds


def _iris(iris: Sequence[str]) -> str:
    """IRIs from the store as SPARQL terms (each checked to be one: nothing else can be written)."""
    return " ".join(URIRef(iri).n3() for iri in iris if IRI.fullmatch(iri))


def _only(query: str, var: str, iris: Sequence[str] | None) -> str:
    """`query` restricted to the given IRIs for ?var (a VALUES block first in its WHERE)."""
    if iris is None:
        return query
    return query.replace("WHERE {", f"WHERE {{\n  VALUES ?{var} {{ {_iris(iris)} }}", 1)


def _text(term) -> str | None:
    return None if term is None else str(term)


def build_network(store: GraphStore, families: Mapping[str, str] | None = None,
                  generic: bool = True, candidates: bool = False,
                  facts: Sequence[str] | None = None) -> nx.MultiDiGraph[str]:
    """Every fact (node kind "Fact") linked to its participants (entity nodes) by role edges.
    `families` maps an event type to its family (`Lexicon.families`), which colours the fact;
    `generic` False leaves out generic events (kg:predicate, a verb no type covers);
    `candidates` gives each entity the likely duplicates kg did not join (`kg entity
    --candidates`), as (other entity's IRI, reason) pairs in its "candidates" attribute;
    `facts` (IRIs, see `choose_facts`) keeps to those facts and their participants."""
    families = families or {}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()  # nodes are IRIs
    times = {str(t): (time, begin, end, bound is not None)
             for t, time, begin, end, bound in store.query(_TIMES).rows}
    rows = store.query(_only(_FACTS if generic else _TYPED_FACTS, "e", facts)).rows
    for e, cls, trigger, label, t, sentence, headline, article, url, published, confidence in rows:
        key = str(e)
        if key in graph:
            continue
        event_type = str(cls).rsplit("#", 1)[-1]
        time, begin, end, bound = times.get(str(t), (None, None, None, False))
        # a time known only by a bound (kg:TimeBound) is not a time: the CLI's date filters leave
        # it out; the explorer's timeline draws it as a bound
        graph.add_node(
            key, kind="Fact", event_type=event_type, family=families.get(event_type),
            label=f"{trigger} ({time})" if time is not None else str(trigger),
            description=str(label), time=_text(time),
            time_begin=None if bound else _text(begin), time_end=None if bound else _text(end),
            bound_latest=_text(end) if bound else None, bound_earliest=_text(begin) if bound else None,
            sentence=_text(sentence) or "", article=_text(headline) or str(article), article_id=str(article),
            article_url=_text(url), article_date=_text(published),
            confidence=None if confidence is None else float(str(confidence)),
        )
    roles = store.query(_only(_ROLES, "e", facts)).rows
    wanted = None if facts is None else sorted({str(x) for _, _, x in roles if isinstance(x, URIRef)})
    entities: dict[str, dict] = defaultdict(lambda: {"aliases": set(), "articles": set()})
    for x, label, cls in store.query(_only(_ENTITIES, "x", wanted)).rows:
        info = entities[str(x)]
        info["label"] = str(label)
        kind = CLASS_KINDS.get(str(cls))
        if kind:
            info["kind"] = kind
    for x, alt in store.query(_only(_ALIASES, "x", wanted)).rows:
        if str(x) in entities:
            entities[str(x)]["aliases"].add(str(alt))
    for x, headline in store.query(_only(_HEADLINES, "x", wanted)).rows:
        if str(x) in entities:
            entities[str(x)]["articles"].add(str(headline))
    for key, info in entities.items():
        graph.add_node(key, kind=info.get("kind", "Thing"), label=info.get("label", key),
                       aliases=sorted(info["aliases"]), articles=sorted(info["articles"]))
    if candidates:
        for c in load_index(store).candidates():
            keep, other = str(ENTITY[c.keep]), str(ENTITY[c.other])
            if keep in graph and other in graph:
                graph.nodes[keep].setdefault("candidates", []).append((other, c.reason))
                graph.nodes[other].setdefault("candidates", []).append((keep, c.reason))
    for e, p, x in roles:
        source, target, role = str(e), str(x), _ROLE_NAMES[str(p)]
        if source not in graph or target not in graph:
            continue
        if role == "agent":
            graph.add_edge(target, source, role="agent", label="agent")
        else:
            graph.add_edge(source, target, role=role, label=role)
    return graph
