"""kg serve's explorer: the page `kg view` writes, for the part of a store a reader asks about.

A store of a million triples holds tens of thousands of facts: too many for one page. So the
server draws a part, chosen in SPARQL (`kg.network.choose_facts`): by default the facts of the
entities in the most facts, and for `?entity=NAME` (the page's search box, when its name is not on
the page, and every entity panel's "all of it in the store") that entity's facts. The page then
works as `kg view`'s does: filters, timeline, panels, URL hash.
"""
from __future__ import annotations

from collections.abc import Mapping

from kg.errors import ViewError
from kg.network import build_network, choose_facts
from kg.store import GraphStore
from kg.view import filter_graph, render_html

MAX_NODES = 6000  # the most a page draws (kg view's default too): about 2 s to the first frame
HUBS = 60  # how many of the best connected entities the overview shows the facts of

# facts in the store: every event has one kg:trigger, every generic one one kg:predicate
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?e kg:trigger ?trigger }"
_COUNT_GENERIC = "SELECT (COUNT(*) AS ?n) WHERE { ?e kg:predicate ?predicate }"


def explorer_page(store: GraphStore, *, entity: str | None = None, generic: bool = False,
                  max_nodes: int = 1500, families: Mapping[str, str] | None = None,
                  title: str = "kg: news knowledge graph") -> str:
    """The explorer page for `entity` (an IRI, or a name or alias in any case) or, without one or
    when the store knows no such entity, for the best connected entities of the store."""
    if not 1 <= max_nodes <= MAX_NODES:
        raise ViewError(f"max_nodes must be between 1 and {MAX_NODES}, got {max_nodes}")
    budget = max(max_nodes // 2, 1)  # a fact brings about one new entity node
    facts, seeds = choose_facts(store, entity=entity, generic=generic, max_facts=budget) if entity else ([], [])
    missing = bool(entity) and not facts
    if not facts:
        facts, seeds = choose_facts(store, generic=generic, max_facts=budget, hubs=HUBS)
    graph = build_network(store, families, generic=generic, facts=facts)
    if graph.number_of_nodes() > max_nodes:  # (its entities are those of its facts: none to drop)
        graph = filter_graph(graph, max_nodes=max_nodes)
    # (as a difference of two counts on the predicate index: the join costs 0.4 s on 700k triples)
    total = max(_count(store, _COUNT) - (0 if generic else _count(store, _COUNT_GENERIC)), 0)
    served = {
        # what the server chose, for the page to say and to open
        "entity": "" if missing or not entity else entity,
        "seeds": [s for s in seeds if s in graph] if entity and not missing else [],
        "missing": entity if missing else "",
        "facts": sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "Fact"),
        "total": total,
    }
    return render_html(graph, title=title, served=served)


def _count(store: GraphStore, query: str) -> int:
    value = store.query(query).rows[0][0]
    return int(str(value)) if value is not None else 0
