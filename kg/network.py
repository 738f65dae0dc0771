"""The store's facts as a networkx graph: entities and facts as nodes, roles as edges.
Used by the HTML view and by the GraphML/GEXF exports."""
from __future__ import annotations

from collections.abc import Mapping

from collections import defaultdict

import networkx as nx

from kg.store import GraphStore
from kg.vocab import CLASS_KINDS

_FACTS = """
SELECT ?e ?class ?trigger ?label ?time ?begin ?end ?sentence ?headline ?article ?confidence WHERE {
  ?e a sem:Event ; kg:trigger ?trigger ; rdfs:label ?label ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?e kg:confidence ?confidence }
  ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
  OPTIONAL { ?article schema:headline ?headline }
  OPTIONAL { ?e gaf:denotedBy/nif:anchorOf ?sentence }
  OPTIONAL { ?e sem:hasTime ?t . ?t kg:timexValue ?time .
             OPTIONAL { ?t sem:hasEarliestBeginTimeStamp ?begin ; sem:hasLatestEndTimeStamp ?end } }
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
                  generic: bool = True) -> nx.MultiDiGraph[str]:
    """Every fact (node kind "Fact") linked to its participants (entity nodes) by role edges.
    `families` maps an event type to its family (`Lexicon.families`), which colours the fact;
    `generic` False leaves out generic events (kg:predicate, a verb no type covers)."""
    families = families or {}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()  # nodes are IRIs
    rows = store.query(_FACTS if generic else _TYPED_FACTS).rows
    for e, cls, trigger, label, time, begin, end, sentence, headline, article, confidence in rows:
        key = str(e)
        if key in graph:
            continue
        event_type = str(cls).rsplit("#", 1)[-1]
        graph.add_node(
            key, kind="Fact", event_type=event_type, family=families.get(event_type),
            label=f"{trigger} ({time})" if time is not None else str(trigger),
            description=str(label), time=_text(time), time_begin=_text(begin), time_end=_text(end),
            sentence=_text(sentence) or "", article=_text(headline) or str(article), article_id=str(article),
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
    for e, role, x in store.query(_ROLES).rows:
        source, target = str(e), str(x)
        if source not in graph or target not in graph:
            continue
        if str(role) == "agent":  # a plain literal from the VALUES above
            graph.add_edge(target, source, role="agent", label="agent")
        else:
            graph.add_edge(source, target, role=str(role), label=str(role))
    return graph
