"""Several articles reporting one happening: link their events with `kg:sameEventAs`.

Each article keeps its own event node (its own evidence, time expression and confidence); a
new article's event is linked to every stored event of another article that a reader would call
the same happening, and only then (precision first: a wrong link claims a corroboration that
is not there). All of these must hold:
- the same event type, and the same named agent entity (after resolution across articles; a
  description such as "200 protesters" is never the same actor);
- both are dated, with times no wider than a month (`MAX_SPAN_DAYS`) that overlap: an undated
  fact links to nothing, and "in 2019" is not evidence that two statements are one; a year
  (`MAX_SPAN_DAYS_NAMED`) is enough when the theme is one named entity and the event is no
  saying ("Apple launched the iTunes Music Store in 2003", told in two articles);
- the same theme: the same theme entity, or theme words of which at least half are shared
  (`_themes_match`), or no theme on either side ("X resigned" on the same day).
The link lives in the newer article's graph, so removing either article leaves no dangling
claim. `queries/corroborated.rq` lists such events.
"""
from __future__ import annotations

import datetime as dt
import re

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier

from kg.lexicon import Lexicon
from kg.store import GraphStore
from kg.vocab import KG, SEM, event_class

MAX_SPAN_DAYS = 31  # the widest time (a month) that can tie two reports to one happening
MAX_SPAN_DAYS_NAMED = 366  # ... a year, when they also agree on a named theme and are no saying
_DESCRIPTION = re.compile(r"/entity/[0-9a-f]{16}/")  # an article's own node: a description, never shared
_CANDIDATES = """
SELECT ?e ?class ?agent ?theme ?text ?begin ?end ?article WHERE {
  VALUES (?class ?agent) { %s }
  ?e a ?class ; kg:agent ?agent ; kg:asserted true ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?e kg:theme ?theme } OPTIONAL { ?e kg:themeText ?text }
  OPTIONAL { ?e sem:hasTime ?t . ?t sem:hasEarliestBeginTimeStamp ?begin ; sem:hasLatestEndTimeStamp ?end }
}"""


def _words(text, stop: frozenset[str]) -> set[str]:
    return {w for w in re.findall(r"\w+", str(text or "").lower()) if w not in stop}


def _themes_match(a: dict, b: dict, stop: frozenset[str]) -> bool:
    """The same theme entity; or theme words of which at least half of all are shared ("says
    he" is not "said he will not approve a budget"); or no theme on either side."""
    if a["theme"] is not None and a["theme"] == b["theme"]:
        return True
    wa, wb = _words(a["text"], stop), _words(b["text"], stop)
    if not wa and not wb:
        return True
    return len(wa & wb) / len(wa | wb) >= 0.5


def _named_theme(a: dict, b: dict) -> bool:
    """The same theme entity, a named one (not an article's own description)."""
    return a["theme"] is not None and a["theme"] == b["theme"] and not _DESCRIPTION.search(str(a["theme"]))


def _times_match(a: dict, b: dict, widest: int = MAX_SPAN_DAYS) -> bool:
    """Both dated, each within `widest` days, and overlapping."""
    spans = [_span(e) for e in (a, b)]
    if any(s is None or (s[1] - s[0]).days >= widest for s in spans):
        return False
    (a0, a1), (b0, b1) = spans  # type: ignore[misc]  # both checked above
    return a0 <= b1 and b0 <= a1


def _span(event: dict) -> tuple[dt.date, dt.date] | None:
    if event["begin"] is None or event["end"] is None:
        return None
    try:
        return dt.date.fromisoformat(str(event["begin"])), dt.date.fromisoformat(str(event["end"]))
    except ValueError:
        return None


def _events_of(graph: Graph, shared: Graph) -> list[dict]:
    events = []
    for e in graph.subjects(RDF.type, SEM.Event):
        agent = graph.value(e, KG.agent)
        classes = [c for c in graph.objects(e, RDF.type) if str(c).startswith(str(KG._NS))]
        if agent is None or not classes or str(graph.value(e, KG.asserted)).lower() != "true":
            continue
        if _DESCRIPTION.search(str(agent)):  # descriptions are never the same actor
            continue
        t = graph.value(e, SEM.hasTime)  # described in the registry graph, with every time
        events.append({
            "e": e, "class": classes[0], "agent": agent, "theme": graph.value(e, KG.theme),
            "text": graph.value(e, KG.themeText),
            "begin": shared.value(t, SEM.hasEarliestBeginTimeStamp) if t is not None else None,
            "end": shared.value(t, SEM.hasLatestEndTimeStamp) if t is not None else None,
        })
    return events


def same_event_links(store: GraphStore, graph: Graph, shared: Graph,
                     lexicon: Lexicon) -> list[tuple[URIRef, URIRef, Identifier]]:
    """`kg:sameEventAs` triples from the events of `graph` (a new article, with `shared`, what
    it adds to the registry graph) to stored events."""
    new = [n for n in _events_of(graph, shared) if _span(n) is not None]  # undated: links to nothing
    stop = lexicon.word_set("theme_stop_words")
    if not new:
        return []
    sayings = {event_class(name) for name, kind in lexicon.types.items() if kind.speech}
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
            if n["class"] != cls or n["agent"] != agent or not _themes_match(n, old, stop):
                continue
            named = cls not in sayings and _named_theme(n, old)
            if _times_match(n, old, MAX_SPAN_DAYS_NAMED if named else MAX_SPAN_DAYS):
                links.append((n["e"], KG.sameEventAs, e))
    return links
