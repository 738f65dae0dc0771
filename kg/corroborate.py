"""Several articles reporting one happening: link their events with `kg:sameEventAs`.

Each article keeps its own event node (its own evidence, time expression and confidence); a
new article's event is linked to every stored event of another article with the same type and
the same agent entity, a matching theme (the same entity, or mostly the same words) and times
that overlap (or no time on one side). The link lives in the newer article's graph, so removing
either article leaves no dangling claim. `queries/corroborated.rq` lists such events.
"""
from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier

from kg.store import GraphStore
from kg.vocab import KG, SEM

_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "that", "its", "their", "his", "her", "was", "is"}
_CANDIDATES = """
SELECT ?e ?class ?agent ?theme ?text ?begin ?end ?article WHERE {
  VALUES (?class ?agent) { %s }
  ?e a ?class ; kg:agent ?agent ; kg:asserted true ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?e kg:theme ?theme } OPTIONAL { ?e kg:themeText ?text }
  OPTIONAL { ?e sem:hasTime ?t . ?t sem:hasEarliestBeginTimeStamp ?begin ; sem:hasLatestEndTimeStamp ?end }
}"""


def _words(text) -> set[str]:
    return {w for w in re.findall(r"\w+", str(text or "").lower()) if w not in _STOP}


def _themes_match(a: dict, b: dict) -> bool:
    """The same theme entity, or mostly the same words; with no theme on either side only a
    shared, known time can tie two events together ("X resigned" on the same day)."""
    if a["theme"] is not None and a["theme"] == b["theme"]:
        return True
    wa, wb = _words(a["text"]), _words(b["text"])
    if not wa and not wb:
        return a["begin"] is not None and b["begin"] is not None
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def _times_match(a: dict, b: dict) -> bool:
    if a["begin"] is None or b["begin"] is None:
        return True
    return str(a["begin"]) <= str(b["end"]) and str(b["begin"]) <= str(a["end"])


def _events_of(graph: Graph) -> list[dict]:
    events = []
    for e in graph.subjects(RDF.type, SEM.Event):
        agent = graph.value(e, KG.agent)
        classes = [c for c in graph.objects(e, RDF.type) if str(c).startswith(str(KG._NS))]
        if agent is None or not classes or str(graph.value(e, KG.asserted)).lower() != "true":
            continue
        if re.search(r"/entity/[0-9a-f]{16}/", str(agent)):  # descriptions are never the same actor
            continue
        t = graph.value(e, SEM.hasTime)
        events.append({
            "e": e, "class": classes[0], "agent": agent, "theme": graph.value(e, KG.theme),
            "text": graph.value(e, KG.themeText),
            "begin": graph.value(t, SEM.hasEarliestBeginTimeStamp) if t is not None else None,
            "end": graph.value(t, SEM.hasLatestEndTimeStamp) if t is not None else None,
        })
    return events


def same_event_links(store: GraphStore, graph: Graph) -> list[tuple[URIRef, URIRef, Identifier]]:
    """`kg:sameEventAs` triples from the events of `graph` (a new article) to stored events."""
    new = _events_of(graph)
    if not new:
        return []
    pairs = " ".join(f"({n['class'].n3()} {n['agent'].n3()})" for n in new)
    rows = store.query(_CANDIDATES % pairs).rows
    article = graph.identifier
    links = []
    for e, cls, agent, theme, text, begin, end, source in rows:
        if source == article:
            continue
        assert e is not None  # ?e is not OPTIONAL: bound in every row
        old = {"theme": theme, "text": text, "begin": begin, "end": end}
        for n in new:
            if n["class"] == cls and n["agent"] == agent and _themes_match(n, old) and _times_match(n, old):
                links.append((n["e"], KG.sameEventAs, e))
    return links
