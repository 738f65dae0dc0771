"""The store's facts as a networkx graph: entities and facts as nodes, roles as edges.
Used by the HTML view and by the GraphML/GEXF exports."""
from __future__ import annotations

from collections.abc import Mapping

from collections import defaultdict

import networkx as nx

from kg.entities import load_index
from kg.store import GraphStore
from kg.vocab import CLASS_KINDS, ENTITY

_FACTS = """
SELECT ?e ?class ?trigger ?label ?t ?sentence ?headline ?article ?url ?published ?confidence WHERE {
  ?e a sem:Event ; kg:trigger ?trigger ; rdfs:label ?label ; prov:wasDerivedFrom ?article .
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
_ROLES = """
SELECT ?e ?role ?x WHERE {
  ?e a sem:Event ; ?p ?x .
  VALUES (?p ?role) { (kg:agent "agent") (kg:theme "theme") (kg:recipient "recipient") (sem:hasPlace "place") }
}"""
_ENTITIES = """
SELECT ?x ?label ?class ?alt ?headline WHERE {
  ?x rdfs:label ?label ; a ?class ; kg:mentionedIn ?a .
  OPTIONAL { ?x skos:altLabel ?alt }
  OPTIONAL { ?a schema:headline ?headline }
}"""


def _text(term) -> str | None:
    return None if term is None else str(term)


def build_network(store: GraphStore, families: Mapping[str, str] | None = None,
                  generic: bool = True, candidates: bool = False) -> nx.MultiDiGraph[str]:
    """Every fact (node kind "Fact") linked to its participants (entity nodes) by role edges.
    `families` maps an event type to its family (`Lexicon.families`), which colours the fact;
    `generic` False leaves out generic events (kg:predicate, a verb no type covers);
    `candidates` gives each entity the likely duplicates kg did not join (`kg entity
    --candidates`), as (other entity's IRI, reason) pairs in its "candidates" attribute."""
    families = families or {}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()  # nodes are IRIs
    times = {str(t): (time, begin, end, bound is not None)
             for t, time, begin, end, bound in store.query(_TIMES).rows}
    rows = store.query(_FACTS if generic else _TYPED_FACTS).rows
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
    entities: dict[str, dict] = defaultdict(lambda: {"aliases": set(), "articles": set()})
    for x, label, cls, alt, headline in store.query(_ENTITIES).rows:
        info = entities[str(x)]
        info["label"] = str(label)
        kind = CLASS_KINDS.get(str(cls))
        if kind:
            info["kind"] = kind
        if alt is not None:
            info["aliases"].add(str(alt))
        if headline is not None:
            info["articles"].add(str(headline))
    for key, info in entities.items():
        graph.add_node(key, kind=info.get("kind", "Thing"), label=info.get("label", key),
                       aliases=sorted(info["aliases"]), articles=sorted(info["articles"]))
    if candidates:
        for c in load_index(store).candidates():
            keep, other = str(ENTITY[c.keep]), str(ENTITY[c.other])
            if keep in graph and other in graph:
                graph.nodes[keep].setdefault("candidates", []).append((other, c.reason))
                graph.nodes[other].setdefault("candidates", []).append((keep, c.reason))
    for e, role, x in store.query(_ROLES).rows:
        source, target = str(e), str(x)
        if source not in graph or target not in graph:
            continue
        if str(role) == "agent":  # a plain literal from the VALUES above
            graph.add_edge(target, source, role="agent", label="agent")
        else:
            graph.add_edge(source, target, role=str(role), label=str(role))
    return graph
