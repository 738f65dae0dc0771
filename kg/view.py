"""Interactive HTML view of the knowledge graph: one self-contained file that opens offline.

The page is our own template (`kg/templates/`), not pyvis's: pyvis's stock template pulls
Bootstrap and vis from CDNs. We inline vis-network from the copy pyvis ships, embed the graph as
escaped JSON, and let a small script build the network, tooltips, legend, search and highlight.

Safety: every string in the graph comes from untrusted article text. It reaches the page only
(1) HTML-escaped in `<title>`/`<h1>`, or (2) inside a JSON block with `<`, `>`, `&`, U+2028/2029
escaped, which the script turns into DOM text with `textContent` (never `innerHTML`). A
Content-Security-Policy allows only our two inline scripts (by hash) and no network at all.

Speed: vis-network's physics needs minutes for thousands of nodes, so the layout is computed here
(a numpy force-directed layout with grid-approximated repulsion: ~1 s for 5,000 nodes) and vis
only draws, ~2 s to the first frame in headless Chromium (benchmarks/bench_view.py). Small graphs
in one piece get a short, capped vis stabilisation on top of the Python layout.
"""
from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Hashable, Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from kg.errors import ViewError
from kg.explorer import FACT, as_date, as_list as _as_list, clean as _clean, explorer_data, names as _names
from kg.explorer import text as _text

PHYSICS_MAX_NODES = 300  # above this, vis physics is too slow: positions come from Python only
EDGE_LENGTH = 110.0  # ideal edge length of the Python layout, in vis canvas units (~px at zoom 1)
FOLD_FACTS = 3  # in a big graph's overview, pieces of fewer facts are folded away until asked
LABEL_MAX = 40  # longer labels are shortened on the canvas; tooltips show them in full
TIP_LIST_MAX = 6  # aliases/articles listed in a tooltip before "and N more"

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Style:
    """How one legend entry is drawn: a vis-network shape and a fill colour."""

    name: str
    shape: str
    color: str


# Entity kinds differ in colour *and* shape so the legend still works for colour-blind readers.
KIND_STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style("Person", "dot", "#4e79a7"),
        Style("Organization", "square", "#f28e2b"),
        Style("Place", "triangle", "#59a14f"),
        Style("Group", "hexagon", "#b07aa1"),
        Style("Legislation", "triangleDown", "#e15759"),
        Style("CreativeWork", "star", "#d4a017"),
        Style("Event", "hexagon", "#76b7b2"),
        Style("Thing", "dot", "#9c9c9c"),
    )
}

# Facts are small diamonds coloured by the family of their event type.
FAMILY_STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style("Law & policy", "diamond", "#c0392b"),
        Style("Statements", "diamond", "#2e86c1"),
        Style("Protest & violence", "diamond", "#a04000"),
        Style("Justice", "diamond", "#7d3c98"),
        Style("Office & elections", "diamond", "#148f77"),
        Style("Meetings & deals", "diamond", "#27ae60"),
        Style("Business & economy", "diamond", "#b7950b"),
        Style("Markets", "diamond", "#1f618d"),
        Style("Disasters & accidents", "diamond", "#d35400"),
        Style("Conflict & security", "diamond", "#922b21"),
        Style("Diplomacy & cooperation", "diamond", "#16a085"),
        Style("Health & science", "diamond", "#8e44ad"),
        Style("Society, sport & culture", "diamond", "#2c3e50"),
        Style("Other events", "diamond", "#707b7c"),
    )
}

# a family the styles above do not know (a user's, from their --lexicon) takes one of these
EXTRA_FAMILY_COLORS = ("#117864", "#6c3483", "#a93226", "#1a5276", "#7e5109", "#0e6655", "#784212", "#4a235a")

ROLE_COLORS: dict[str, str] = {
    "agent": "#5d6d7e",
    "theme": "#a6acaf",
    "recipient": "#7fb3d5",
    "place": "#82c99a",
}


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def render_html(graph: nx.MultiDiGraph, *, title: str, physics: bool | None = None,
                served: dict[str, Any] | None = None) -> str:
    """Return the whole page for `graph` as one self-contained HTML string.

    `physics=None` picks (see `wants_physics`): vis physics, a short capped stabilisation, for
    graphs of at most PHYSICS_MAX_NODES nodes in one piece; otherwise the static Python layout.
    `served` is for kg serve's explorer (kg.explore): what part of the store the page holds, and
    the page then asks the server for names it does not hold. A served page may be empty (an
    empty store); a written one may not.
    """
    if graph.number_of_nodes() == 0 and served is None:
        raise ViewError("nothing to draw: the graph has no nodes (do the filters exclude all?)")
    use_physics = (graph.number_of_nodes() > 0 and wants_physics(graph)) if physics is None else physics
    data = graph_data(graph, physics=use_physics)
    if served is not None:
        data["served"] = served
    return _fill_template(title=_clean(title), data_json=script_json(data))


def wants_physics(graph: nx.MultiDiGraph) -> bool:
    """vis physics only for small graphs in one piece: it pulls separate pieces into a wide
    disc (zooming everything out), where the Python layout packs them in tidy rows."""
    return graph.number_of_nodes() <= PHYSICS_MAX_NODES and nx.is_weakly_connected(graph)


def write_html(
    graph: nx.MultiDiGraph, path: Path, *, title: str, physics: bool | None = None
) -> None:
    """Render `graph` (see `render_html`) and write it to `path` as UTF-8."""
    page = render_html(graph, title=title, physics=physics)
    try:
        Path(path).write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ViewError(f"cannot write the view to {path}: {exc.strerror or exc}") from exc


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    entity: str | None = None,
    hops: int = 1,
    types: set[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    article: str | None = None,
    max_nodes: int | None = None,
    min_confidence: float | None = None,
) -> nx.MultiDiGraph:
    """Return a new graph with the part of `graph` the filters select; `graph` is not changed.

    Filters combine (all must hold), applied in this order:

    1. Fact filters pick fact nodes: `types` (event types, case-insensitive), `since`/`until`
       (the fact's [time_begin, time_end] overlaps the range; a fact without a time is dropped
       when either bound is given) and `article` (case-insensitive substring of the fact's article
       title or article IRI) and `min_confidence` (the fact's kg:confidence is at least this).
       A kept fact keeps the entities attached to it and the facts that are
       its arguments (the "repeal" that a "call" is about), so no kept fact loses its meaning.
    2. `entity` picks seed entities whose label or an alias equals it (case-insensitive); if none
       does, those containing it. Then the neighbourhood within `hops` of the seeds is kept, with
       fact nodes transparent (a fact between two entities is one hop): hops=0 keeps the seeds
       alone, hops=1 their facts and every entity in those facts (entities sharing a fact with
       a seed), hops=2 also those entities' facts and partners, and so on. Facts linked to a
       kept fact (as its argument, or as the fact it is an argument of) are crossed in the
       same hop. Seeds are always kept, even with no fact left.
    3. `max_nodes` keeps whole facts (fact node + entities + argument facts), best first, while
       they fit: facts nearest the seeds first, then those whose entities have the most links.
       How many facts it left out is the result's `graph["facts_left_out"]`.
    4. Entities left without any fact are removed (except seeds).

    Raises ViewError when `entity` matches no entity, or for hops < 0 or max_nodes < 1.
    """
    if hops < 0:
        raise ViewError(f"hops must be 0 or more, got {hops}")
    if max_nodes is not None and max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, got {max_nodes}")

    kept_facts = {
        n
        for n in graph
        if is_fact(graph, n)
        and _type_matches(graph.nodes[n], types)
        and _time_matches(graph.nodes[n], since, until)
        and _article_matches(graph.nodes[n], article)
        and (min_confidence is None or float(graph.nodes[n].get("confidence") or 0) >= min_confidence)
    }
    kept_facts = _with_argument_facts(graph, kept_facts)

    seeds: set[Hashable] = set()
    distance: dict[Hashable, int] = {}
    if entity is not None:
        seeds = set(find_entities(graph, entity))
        if not seeds:
            raise ViewError(f"no entity is called {entity!r} (label or alias)")
        facts_only = graph.subgraph(kept_facts | _entities_of(graph, kept_facts) | seeds)
        distance = _fact_distances(facts_only, seeds, hops)
        kept_facts = set(distance)

    view = graph.subgraph(kept_facts | _entities_of(graph, kept_facts) | seeds)
    facts_before = sum(1 for n in view if is_fact(view, n))
    if max_nodes is not None:
        view = view.subgraph(_top_facts(view, distance, max_nodes, keep=seeds))

    keep = [n for n in view if is_fact(view, n) or n in seeds or view.degree(n) > 0]
    result = copy.deepcopy(graph.subgraph(keep).copy())
    # what the node budget cost, for the CLI to say (the other filters are what was asked for)
    result.graph["facts_left_out"] = facts_before - sum(1 for n in result if is_fact(result, n))
    return result


def find_entities(graph: nx.MultiDiGraph, name: str) -> list[Hashable]:
    """Entity nodes whose label or an alias equals `name` (case-insensitive), else contain it."""
    wanted = name.strip().casefold()
    names = {n: [s.casefold() for s in _names(graph.nodes[n])] for n in graph if not is_fact(graph, n)}
    exact = [n for n, ns in names.items() if wanted in ns]
    return exact or [n for n, ns in names.items() if any(wanted in s for s in ns)]


def is_fact(graph: nx.MultiDiGraph, node: Hashable) -> bool:
    return graph.nodes[node].get("kind") == FACT


# ---------------------------------------------------------------------------------------------
# filter_graph helpers
# ---------------------------------------------------------------------------------------------


def _type_matches(attrs: dict[str, Any], types: set[str] | None) -> bool:
    if types is None:
        return True
    return _text(attrs.get("event_type")).casefold() in {t.casefold() for t in types}


def _time_matches(attrs: dict[str, Any], since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    begin = as_date(attrs.get("time_begin"))
    end = as_date(attrs.get("time_end"))
    if begin is None and end is None:
        return False
    begin, end = begin or end, end or begin
    assert begin is not None and end is not None
    return (until is None or begin <= until) and (since is None or end >= since)


def _article_matches(attrs: dict[str, Any], article: str | None) -> bool:
    if article is None:
        return True
    wanted = article.casefold()
    return any(wanted in _text(attrs.get(k)).casefold() for k in ("article", "article_id"))


def _with_argument_facts(graph: nx.MultiDiGraph, facts: set[Hashable]) -> set[Hashable]:
    """`facts` plus every fact reachable from them through fact -> fact (argument) edges."""
    result, stack = set(facts), list(facts)
    while stack:
        for succ in graph.successors(stack.pop()):
            if succ not in result and is_fact(graph, succ):
                result.add(succ)
                stack.append(succ)
    return result


def _entities_of(graph: nx.MultiDiGraph, facts: set[Hashable]) -> set[Hashable]:
    return {
        n
        for f in facts
        for n in (*graph.predecessors(f), *graph.successors(f))
        if not is_fact(graph, n)
    }


def _fact_distances(
    graph: nx.MultiDiGraph, seeds: set[Hashable], hops: int
) -> dict[Hashable, int]:
    """Facts within `hops` of the seed entities (facts transparent), with their hop number."""
    distance: dict[Hashable, int] = {}
    frontier, seen = set(seeds), set(seeds)
    for hop in range(1, hops + 1):
        # Facts touching the frontier, then every fact linked to those (nested arguments).
        stack = [n for e in frontier for n in nx.all_neighbors(graph, e) if is_fact(graph, n)]
        while stack:
            fact = stack.pop()
            if fact in distance:
                continue
            distance[fact] = hop
            stack.extend(n for n in nx.all_neighbors(graph, fact) if is_fact(graph, n))
        reached = _entities_of(graph, {f for f, h in distance.items() if h == hop})
        frontier = reached - seen
        seen |= reached
    return distance


def _top_facts(
    graph: nx.MultiDiGraph, distance: dict[Hashable, int], budget: int, *, keep: set[Hashable]
) -> set[Hashable]:
    """`keep` plus the nodes of the best facts that fit in `budget` nodes, each fact whole."""
    graph = graph.copy()  # a subgraph view counts a node's degree by filtering all its edges
    degree = dict(graph.degree())

    def score(fact: Hashable) -> tuple[int, int, str]:
        links = sum(degree[e] for e in _entities_of(graph, {fact}))
        return (distance.get(fact, 0), -links, str(fact))

    kept = set(keep)
    for fact in sorted((n for n in graph if is_fact(graph, n)), key=score):
        unit = _with_argument_facts(graph, {fact})
        new = (unit | _entities_of(graph, unit)) - kept
        if len(kept) + len(new) <= budget:
            kept |= new
    return kept


# ---------------------------------------------------------------------------------------------
# Graph -> page data
# ---------------------------------------------------------------------------------------------


def graph_data(graph: nx.MultiDiGraph, *, physics: bool) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able data (styles, positions, tooltips)."""
    index = {node: i for i, node in enumerate(graph)}
    fold = folded(graph)
    positions = layout(graph, fold=fold)
    scale = _LabelScale(
        # With physics vis moves the nodes and the opening zoom is its own; small graphs anyway.
        fit_zoom=1.0 if physics else fit_zoom(list(positions.values())),
        max_degree=max((graph.degree(n) for n in graph if not is_fact(graph, n)), default=1),
    )
    nodes = [
        _node_data(graph, node, index[node], positions[node], scale, physics=physics)
        for node in graph
    ]
    edges = [
        _edge_data(graph, u, v, attrs, i, index)
        for i, (u, v, attrs) in enumerate(graph.edges(data=True))
    ]
    entity_count = sum(1 for n in graph if not is_fact(graph, n))
    for node in fold:
        nodes[index[node]]["fold"] = True
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend(graph),
        "physics": physics,
        # Labels smaller than this on screen are not drawn: big graphs open as a map of hubs.
        "labelThreshold": 5 if len(nodes) <= PHYSICS_MAX_NODES else 8,
        "counts": {"entities": entity_count, "facts": len(nodes) - entity_count},
        "explorer": explorer_data(graph, index),
    }


def folded(graph: nx.MultiDiGraph) -> set[Hashable]:
    """What a big graph's overview leaves out until asked ("small pieces" in the page): pieces
    of fewer than FOLD_FACTS facts (a fact or two whose participants take part in nothing else),
    and theme words that name no one (kind Thing) used by one fact only. They are most of the
    nodes of a corpus store and least of its stories; the timeline, the search and an entity's
    panel still show them."""
    if graph.number_of_nodes() <= PHYSICS_MAX_NODES:
        return set()
    fold: set[Hashable] = set()
    for piece in nx.weakly_connected_components(graph):
        if sum(1 for n in piece if is_fact(graph, n)) < FOLD_FACTS:
            fold |= piece
    fold |= {n for n in graph
             if not is_fact(graph, n) and graph.nodes[n].get("kind", "Thing") == "Thing" and graph.degree(n) == 1}
    return fold


def fit_zoom(points: list[tuple[float, float]], viewport: tuple[int, int] = (1200, 700)) -> float:
    """Roughly the zoom vis picks to fit these canvas positions into a typical window."""
    xy = np.array(points, dtype=float).reshape(-1, 2)
    width, height = np.ptp(xy, axis=0) + 2 * EDGE_LENGTH if len(xy) else (1.0, 1.0)
    return float(min(viewport[0] / width, viewport[1] / height, 1.5))


@dataclass(frozen=True)
class _LabelScale:
    """What entity sizes are relative to: the zoom the page opens at, the biggest hub."""

    fit_zoom: float
    max_degree: int

    def entity_size(self, degree: int) -> float:
        # Grows with degree; the biggest hub is at least ~10 px across when the page opens.
        share = math.sqrt(degree / max(self.max_degree, 1))
        return min(max(10.0 + 3.0 * math.sqrt(degree), 10.0 / self.fit_zoom * share), 400.0)

    def entity_font(self, degree: int) -> float:
        # The biggest hub's label is ~16 px on screen when the page opens, one with a seventh
        # of its links ~8 px; smaller labels are under vis's draw threshold until one zooms in,
        # so a big graph opens as a map of its hubs instead of a soup of overlapping text.
        # (vis caps labels at scaling.label.maxVisible px when zoomed in.)
        share = (degree / max(self.max_degree, 1)) ** 0.35
        return min(max(14.0, 16.0 / self.fit_zoom * share), 600.0)


def _node_data(
    graph: nx.MultiDiGraph,
    node: Hashable,
    idx: int,
    pos: tuple[float, float],
    scale: _LabelScale,
    *,
    physics: bool,
) -> dict[str, Any]:
    attrs = graph.nodes[node]
    fact = is_fact(graph, node)
    style = node_style(attrs)
    label = _clean(_text(attrs.get("label"))) or (
        _clean(_text(attrs.get("event_type"))) if fact else _clean(str(node))
    )
    degree = graph.degree(node)
    size = 7.0 if fact else scale.entity_size(degree)
    font = 11.0 if fact else scale.entity_font(degree)
    return {
        "id": idx,
        "label": _shorten(label, LABEL_MAX),
        "x": round(pos[0], 1),
        "y": round(pos[1], 1),
        "shape": style.shape,
        "size": round(size, 1),
        "font": round(font, 1),
        "color": style.color,
        "border": darken(style.color),
        "fact": fact,
        "names": [label] if fact else _names(attrs),
        "tip": fact_tip(graph, node, label) if fact else entity_tip(attrs, label),
        # Small graphs with physics: big nodes get more mass so hubs sit still in the middle.
        **({"mass": round(1 + degree / 4, 2)} if physics else {}),
    }


def node_style(attrs: dict[str, Any]) -> Style:
    """Legend entry of a node: its entity kind, or for facts the family of its event type (the
    "family" attribute, from the lexicon's types)."""
    if attrs.get("kind") == FACT:
        family = _clean(_text(attrs.get("family"))) or "Other events"
        return FAMILY_STYLES.get(family) or family_style(family)
    return KIND_STYLES.get(_text(attrs.get("kind")), KIND_STYLES["Thing"])


def family_style(family: str) -> Style:
    """The style of a family the shipped lexicon does not have: a colour chosen by its name, so
    that it is the same on every page."""
    digest = int(hashlib.sha256(family.encode("utf-8")).hexdigest(), 16)
    return Style(family, "diamond", EXTRA_FAMILY_COLORS[digest % len(EXTRA_FAMILY_COLORS)])


def darken(color: str, factor: float = 0.7) -> str:
    """A darker shade of a #rrggbb colour, for node borders."""
    rgb = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in rgb)


def legend(graph: nx.MultiDiGraph) -> list[dict[str, str | bool]]:
    """Legend entries for the styles present, entity kinds first, in a fixed order."""
    present = {style.name: style for style in (node_style(graph.nodes[n]) for n in graph)}
    extra = sorted(s for s in present if s not in KIND_STYLES and s not in FAMILY_STYLES)
    order = [*KIND_STYLES.values(), *FAMILY_STYLES.values(), *(present[name] for name in extra)]
    return [
        {"name": s.name, "shape": s.shape, "color": s.color, "fact": s.name not in KIND_STYLES}
        for s in order
        if s.name in present
    ]


def entity_tip(attrs: dict[str, Any], label: str) -> dict[str, Any]:
    rows = [["Kind", _clean(_text(attrs.get("kind")) or "Thing")]]
    aliases = [a for a in _names(attrs)[1:] if a != label]
    if aliases:
        rows.append(["Also", _list_text(aliases)])
    articles = [_clean(_text(a)) for a in _as_list(attrs.get("articles"))]
    if articles:
        rows.append(["Articles", _list_text(articles)])
    return {"head": label, "rows": rows, "quote": ""}


def fact_tip(graph: nx.MultiDiGraph, node: Hashable, label: str) -> dict[str, Any]:
    attrs = graph.nodes[node]
    rows = [["Event", _clean(_text(attrs.get("event_type"))) or "?"]]
    when = _when(attrs)
    if when:
        rows.append(["When", when])
    role: Any
    for u, _, role in graph.in_edges(node, data="role"):
        rows.append([_clean(_text(role)) or "from", _node_name(graph, u)])
    for _, v, role in graph.out_edges(node, data="role"):
        rows.append([_clean(_text(role)) or "to", _node_name(graph, v)])
    article = _clean(_text(attrs.get("article")))
    if article:
        rows.append(["Article", article])
    return {"head": label, "rows": rows, "quote": _clean(_text(attrs.get("sentence")))}


def _edge_data(
    graph: nx.MultiDiGraph,
    u: Hashable,
    v: Hashable,
    attrs: dict[str, Any],
    idx: int,
    index: dict[Hashable, int],
) -> dict[str, Any]:
    role = _clean(_text(attrs.get("role") or attrs.get("label")))
    return {
        "id": idx,
        "from": index[u],
        "to": index[v],
        "label": role,
        "color": ROLE_COLORS.get(role, "#a6acaf"),
        # A plain string: vis-network 9.1.2 shows string titles with innerText, i.e. as text.
        "title": f"{_node_name(graph, u)} \u2014{role or '?'}\u2192 {_node_name(graph, v)}",
    }


def _when(attrs: dict[str, Any]) -> str:
    time = _clean(_text(attrs.get("time")))
    begin, end = _clean(_text(attrs.get("time_begin"))), _clean(_text(attrs.get("time_end")))
    span = begin if begin == end or not end else f"{begin} \u2013 {end}" if begin else end
    if time and span and span != time:
        return f"{time} ({span})"
    return time or span


def _node_name(graph: nx.MultiDiGraph, node: Hashable) -> str:
    return _shorten(_clean(_text(graph.nodes[node].get("label"))) or _clean(str(node)), 80)


def _list_text(items: list[str]) -> str:
    shown = "; ".join(items[:TIP_LIST_MAX])
    more = len(items) - TIP_LIST_MAX
    return f"{shown}; and {more} more" if more > 0 else shown


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


SMALL_COMPONENT = 60  # pieces up to this size are simulated together, pair by pair
EXACT_REPULSION_MAX = 700  # up to this many nodes, all pairs repel exactly (~3 ms per step)
NEAR_SAMPLE = 8  # per neighbouring grid cell, at most this many nodes repel exactly
PIECE_GAP = 1.5  # space between packed pieces, in ideal edge lengths


def layout(graph: nx.Graph, *, seed: int = 7, fold: AbstractSet[Hashable] = frozenset()
           ) -> dict[Hashable, tuple[float, float]]:
    """Deterministic force-directed positions, in canvas units with edges about EDGE_LENGTH long.

    networkx's spring_layout needs scipy above 500 nodes (not a dependency) and its dense
    fallback is O(n^2) in memory; this is Fruchterman-Reingold in numpy. Each connected piece is
    laid out on its own and the pieces are packed in rows, so a stray two-node fact does not
    float far away and shrink everything else when vis fits the view. Pieces wholly in `fold`
    (see `folded`) are packed apart, below the others, so that the overview without them has no
    holes. About 1 s for 5,000 nodes (see benchmarks/bench_view.py).
    """
    simple: nx.Graph[Hashable] = nx.Graph(graph)
    simple.remove_edges_from(nx.selfloop_edges(simple))
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), _order_key(c)))
    big = [c for c in components if len(c) > SMALL_COMPONENT]
    small = [c for c in components if len(c) <= SMALL_COMPONENT]

    pieces: list[tuple[list[Hashable], np.ndarray]] = []
    for nodes in big:
        order = sorted(nodes, key=str)
        pieces.append((order, force_layout(*_index_edges(simple, [order]), seed=seed)))
    if small:
        # Small pieces share one simulation (cheaper than hundreds of tiny ones); they repel
        # only within their own piece, so the result splits back into independent layouts.
        orders = [sorted(c, key=str) for c in small]
        n, edges, component = _index_edges(simple, orders)
        xy = force_layout(n, edges, component, seed=seed)
        bounds = np.cumsum([0, *(len(o) for o in orders)])
        pieces.extend((o, xy[a:b]) for o, a, b in zip(orders, bounds[:-1], bounds[1:]))
    # Labels sit centred under their nodes and are wider than the nodes: pack with their room.
    half_label = {node: _label_half_width(graph.nodes[node]) for node in graph}
    shaped = [(nodes, _landscape(xy), np.array([half_label[n] for n in nodes])) for nodes, xy in pieces]
    packed = _pack([p for p in shaped if not set(p[0]) <= fold])
    below = max((float(xy[1]) for xy in packed.values()), default=-PIECE_GAP) + 2 * PIECE_GAP
    for node, xy in _pack([p for p in shaped if set(p[0]) <= fold]).items():
        packed[node] = xy + (0.0, below)
    return {node: (float(x) * EDGE_LENGTH, float(y) * EDGE_LENGTH) for node, (x, y) in packed.items()}


def _label_half_width(attrs: dict[str, Any]) -> float:
    """Half the width of a node's canvas label, in ideal edge lengths (~0.55 em per character)."""
    fact = attrs.get("kind") == FACT
    chars = min(len(_text(attrs.get("label"))), LABEL_MAX)
    return chars * 0.55 * (11.0 if fact else 14.0) / 2 / EDGE_LENGTH


def _order_key(nodes: set[Hashable]) -> str:
    return min(str(n) for n in nodes)


def _index_edges(
    graph: nx.Graph, orders: list[list[Hashable]]
) -> tuple[int, np.ndarray, np.ndarray]:
    """Number the nodes of the given pieces consecutively: (n, edges m x 2, piece of each node)."""
    index = {node: i for i, node in enumerate(node for order in orders for node in order)}
    edges = [(index[u], index[v]) for order in orders for u, v in graph.edges(order)]
    component = np.repeat(np.arange(len(orders)), [len(o) for o in orders])
    return len(index), np.array(edges, dtype=np.int64).reshape(-1, 2), component


def _landscape(xy: np.ndarray) -> np.ndarray:
    """Turn a piece so its long axis runs 30 degrees off horizontal: wide like the window, yet
    neighbours along a chain are offset vertically, so their labels (centred under each node)
    do not run into each other as they would on a horizontal line."""
    if len(xy) < 2:
        return xy
    centred = xy - xy.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    angle = math.radians(30) - math.atan2(vectors[1, -1], vectors[0, -1])
    c, s = math.cos(angle), math.sin(angle)
    return centred @ np.array([[c, s], [-s, c]])


def _pack(pieces: list[tuple[list[Hashable], np.ndarray, np.ndarray]]) -> dict[Hashable, np.ndarray]:
    """Shelf-pack the pieces (nodes, positions, label half-widths; largest first) left to right
    in rows about 1.6 times as wide as the whole is tall, the shape of a typical window."""
    if not pieces:
        return {}
    boxes = []
    for _, xy, half in pieces:
        low = np.array([np.min(xy[:, 0] - half), xy[:, 1].min()])
        high = np.array([np.max(xy[:, 0] + half), xy[:, 1].max()])
        boxes.append((xy - low, high - low + PIECE_GAP))
    area = sum(float(w * h) for _, (w, h) in boxes)
    row_width = max(max(float(w) for _, (w, _) in boxes), math.sqrt(area * 1.6))
    x = y = row_height = 0.0
    placed: dict[Hashable, np.ndarray] = {}
    for (nodes, _, _), (xy, (w, h)) in zip(pieces, boxes):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, point in zip(nodes, xy + (x, y)):
            placed[node] = point
        x, row_height = x + w, max(row_height, float(h))
    return placed


def force_layout(
    n: int, edges: np.ndarray, component: np.ndarray | None = None, *, seed: int = 7
) -> np.ndarray:
    """Fruchterman-Reingold positions (n x 2) for unit ideal edge length; edges is (m x 2).

    With `component` (the piece of each node) the pieces are independent: nodes repel only
    within their piece and are pulled to its centre. Without it, all nodes form one piece.
    """
    rng = np.random.default_rng(seed)
    if component is None:
        component = np.zeros(n, dtype=np.int64)
    sizes = np.bincount(component)
    # Start each piece at the density the forces settle at, about one node per unit^2.
    side = np.sqrt(sizes[component]).astype(float)
    xy = rng.uniform(-0.5, 0.5, (n, 2)) * side[:, None]
    if n < 2:
        return np.zeros((n, 2))

    single = len(sizes) == 1
    if single and n <= EXACT_REPULSION_MAX:
        repulsion, steps = _repulsion_exact, 120
    elif single:
        cells = max(4, int(math.sqrt(n / 2)))  # ~2 nodes per cell keeps the near field cheap
        repulsion, steps = (lambda xy: _repulsion_grid(xy, cells, rng)), 60
    else:
        pairs = _piece_pairs(component, sizes)
        repulsion, steps = (lambda xy: _repulsion_pairs(xy, *pairs)), 100

    u, v = edges[:, 0], edges[:, 1]
    for step in range(steps):
        force = repulsion(xy)
        # Attraction along edges grows with distance squared (FR): f = d^2 / k with k = 1.
        dx, dy = xy[v, 0] - xy[u, 0], xy[v, 1] - xy[u, 1]
        dist = np.sqrt(dx * dx + dy * dy)
        centre = np.stack(
            [np.bincount(component, xy[:, a], minlength=len(sizes)) / sizes for a in (0, 1)], 1
        )
        for axis, delta in ((0, dx * dist), (1, dy * dist)):
            force[:, axis] += np.bincount(u, delta, minlength=n)
            force[:, axis] -= np.bincount(v, delta, minlength=n)
        # Weak gravity keeps parts of a piece that are barely linked from drifting apart.
        force -= 0.05 * (xy - centre[component])
        # Cooling: each node moves at most `temperature`, which falls linearly.
        temperature = side / 8 * (1 - step / steps) + 0.02
        length = np.sqrt((force * force).sum(axis=1)) + 1e-9
        xy += force * (np.minimum(length, temperature) / length)[:, None]
    return xy


def _piece_pairs(component: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All ordered pairs (i, j), i != j, of nodes in the same piece (pieces are contiguous)."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    k = sizes[component]
    src = np.repeat(np.arange(len(component)), k)
    dst = np.repeat(starts[component], k) + (
        np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    )
    return src[src != dst], dst[src != dst]


def _repulsion_pairs(xy: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    ex, ey = xy[src, 0] - xy[dst, 0], xy[src, 1] - xy[dst, 1]
    w = 1.0 / np.maximum(ex * ex + ey * ey, 1e-4)
    n = len(xy)
    # (float: for pieces of one node there are no pairs, and bincount of nothing is integer)
    return np.stack(
        [np.bincount(src, ex * w, minlength=n), np.bincount(src, ey * w, minlength=n)], 1
    ).astype(float)


def _repulsion_exact(xy: np.ndarray) -> np.ndarray:
    dx = xy[:, 0:1] - xy[:, 0]
    dy = xy[:, 1:2] - xy[:, 1]
    d2 = dx * dx + dy * dy
    np.fill_diagonal(d2, np.inf)
    w = 1.0 / np.maximum(d2, 1e-4)  # FR repulsion k^2 / d along the unit vector
    return np.stack([(dx * w).sum(axis=1), (dy * w).sum(axis=1)], axis=1)


def _far_field(mass: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Repulsion (g x g x 2) at each cell centre from the mass in every cell at least two cells
    away, as one FFT convolution (particle-mesh): O(g^2 log g) instead of O(cells^2)."""
    g = mass.shape[0]
    offsets = np.arange(-(g - 1), g)
    ox = offsets[:, None] * cell[0] + 0.0 * offsets[None, :]
    oy = offsets[None, :] * cell[1] + 0.0 * offsets[:, None]
    d2 = ox * ox + oy * oy
    near = (np.abs(offsets)[:, None] <= 1) & (np.abs(offsets)[None, :] <= 1)
    inv = np.where(near, 0.0, 1.0 / np.where(near, 1.0, d2))  # 3x3 around: the near field's
    size = (3 * g, 3 * g)  # zero padding so the circular FFT convolution is a linear one
    spectrum = np.fft.rfft2(mass, size)
    result = np.empty((g, g, 2))
    for axis, component in ((0, ox * inv), (1, oy * inv)):
        full = np.fft.irfft2(spectrum * np.fft.rfft2(component, size), size)
        result[..., axis] = full[g - 1 : 2 * g - 1, g - 1 : 2 * g - 1]
    return result


def _repulsion_grid(xy: np.ndarray, cells: int, rng: np.random.Generator) -> np.ndarray:
    """FR repulsion, approximated: exact (or sampled) from nodes in the 3x3 neighbouring grid
    cells, and from farther cells as point masses at the cell centres."""
    n = len(xy)
    # The grid spans the bulk of the nodes; far-flung ones are clamped into the border cells
    # (their forces still use true positions), so a few outliers cannot coarsen the grid.
    lo, hi = np.percentile(xy, [1, 99], axis=0)
    scale = cells / np.maximum(hi - lo, 1e-9)
    ij = np.clip(((xy - lo) * scale).astype(np.int64), 0, cells - 1)
    cell_of = ij[:, 0] * cells + ij[:, 1]
    count = np.bincount(cell_of, minlength=cells * cells)
    force = _far_field(count.reshape(cells, cells), 1.0 / scale)[ij[:, 0], ij[:, 1]]

    # Near field: pairs (i, j) with j in one of i's 3x3 cells. Sorting nodes by cell makes each
    # cell a contiguous run, so pairs are built with repeat/arange, no Python loop over nodes.
    # Hubs pull their facts into crowded cells; there a random sample of NEAR_SAMPLE nodes,
    # weighted up, stands in for the whole cell, which keeps the cost linear.
    order = np.argsort(cell_of, kind="stable")
    start = np.concatenate([[0], np.cumsum(count)])
    src_parts, dst_parts, weight_parts = [], [], []
    for ddx in (-1, 0, 1):
        for ddy in (-1, 0, 1):
            gx, gy = ij[:, 0] + ddx, ij[:, 1] + ddy
            src = np.nonzero((gx >= 0) & (gx < cells) & (gy >= 0) & (gy < cells))[0]
            other = gx[src] * cells + gy[src]
            k = count[other]
            taken = np.minimum(k, NEAR_SAMPLE)
            k_rep = np.repeat(k, taken)
            slot = np.arange(int(taken.sum())) - np.repeat(np.cumsum(taken) - taken, taken)
            crowded = k_rep > NEAR_SAMPLE
            slot[crowded] = rng.integers(0, k_rep[crowded])
            src_parts.append(np.repeat(src, taken))
            dst_parts.append(order[np.repeat(start[other], taken) + slot])
            weight_parts.append(k_rep / np.repeat(taken, taken))
    src, dst = np.concatenate(src_parts), np.concatenate(dst_parts)
    weight = np.concatenate(weight_parts)
    distinct = src != dst
    src, dst, weight = src[distinct], dst[distinct], weight[distinct]
    ex, ey = xy[src, 0] - xy[dst, 0], xy[src, 1] - xy[dst, 1]
    w = weight / np.maximum(ex * ex + ey * ey, 1e-4)
    force[:, 0] += np.bincount(src, ex * w, minlength=n)
    force[:, 1] += np.bincount(src, ey * w, minlength=n)
    return force


# ---------------------------------------------------------------------------------------------
# Page assembly
# ---------------------------------------------------------------------------------------------


def script_json(data: Any) -> str:
    """JSON that is safe inside <script type="application/json">: it can never close the tag
    or start a comment, whatever the strings hold (the escapes are valid JSON)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The template files and vis-network as shipped by pyvis (read once, never copied)."""
    import pyvis

    vis = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
    assets = {
        "page": (_TEMPLATES / "view.html").read_text(encoding="utf-8"),
        "app_js": (_TEMPLATES / "view.js").read_text(encoding="utf-8"),
        "app_css": (_TEMPLATES / "view.css").read_text(encoding="utf-8"),
        "explorer_js": (_TEMPLATES / "explorer.js").read_text(encoding="utf-8"),
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
    }
    # Inlined code must not be able to end its own element early.
    for name in ("app_js", "explorer_js", "vis_js"):
        if "</script" in assets[name].lower():
            raise ViewError(f"{name} contains '</script' and cannot be inlined")
    for name in ("app_css", "vis_css"):
        if "</style" in assets[name].lower():
            raise ViewError(f"{name} contains '</style' and cannot be inlined")
    return assets


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_SLOT = re.compile(r"@@([A-Z_]+)@@")


def _fill_template(*, title: str, data_json: str) -> str:
    assets = _assets()
    # Only our two scripts may run (by hash, so an injected inline script or handler could not);
    # no fetches, frames, forms or fonts; images only as data: URIs (vis's CSS icons).
    csp = "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(_csp_hash(assets[k]) for k in ("vis_js", "app_js", "explorer_js")),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    slots = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title or "Knowledge graph", quote=True),
        "VIS_CSS": assets["vis_css"],
        "APP_CSS": assets["app_css"],
        "VIS_JS": assets["vis_js"],
        "APP_JS": assets["app_js"],
        "EXPLORER_JS": assets["explorer_js"],
        "DATA": data_json,
    }
    # One pass over the template, so a slot marker inside substituted text is never expanded.
    return _SLOT.sub(lambda m: slots[m.group(1)], assets["page"])
