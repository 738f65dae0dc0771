"""The contract every store backend keeps, and the one write both backends send."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal
from rdflib.namespace import OWL, SDO, XSD
from rdflib.term import Identifier, URIRef

from kg.vocab import KG, SEM


@dataclass(frozen=True)
class QueryResult:
    """A SELECT's variables and rows (rdflib terms, None where unbound), or an ASK's answer,
    or a CONSTRUCT/DESCRIBE's graph."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Identifier | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


class GraphStore(Protocol):
    location: str

    def article_hash(self, article: URIRef) -> str | None:
        """The content hash stored for an article graph, None if it is not there."""

    def article_hashes(self, articles: Iterable[URIRef]) -> dict[URIRef, str]:
        """`article_hash` for many articles in one look-up (those not stored are left out)."""

    def article_versions(self, articles: Iterable[URIRef]) -> dict[URIRef, tuple[str, str | None]]:
        """(content hash, extractor) of each article stored: which rules analysed it."""

    def articles_from_source(self, source: str) -> list[URIRef]:
        """Articles earlier ingested from this file or URL (to replace when it changed)."""

    def articles_from_sources(self, sources: Iterable[str]) -> dict[str, list[URIRef]]:
        """`articles_from_source` for many sources in one look-up (sources with none left out)."""

    def replace_graph(self, graph: Graph, drop: tuple[URIRef, ...] = (), shared: Graph | None = None) -> None:
        """Write one article's named graph in one transaction, dropping `drop` graphs in it too."""

    def remove_graph(self, name: URIRef) -> bool:
        """Drop one named graph; False if there was none."""

    def query(self, sparql: str) -> QueryResult:
        """Run a read query over the union of all graphs."""

    def export(self, fmt: str) -> bytes:
        """The whole dataset serialised (turtle, nt, json-ld, trig, nquads)."""

    def named_graphs(self) -> list[URIRef]:
        """The names of the article graphs in the store."""

    def __len__(self) -> int:
        """How many triples (quads) the article graphs hold."""

    def close(self) -> None:
        ...

    def articles_with_url(self, url: str) -> list[URIRef]:
        """Articles whose schema:url, or the URL they were ingested from, is `url` (so that a
        page already stored need not be fetched again)."""


class ArticleLookups:
    """The look-ups ingest needs, written once for every backend over its `query` (a backend
    provides that). Exact
    terms in VALUES rather than FILTER(STR(?x) = ...): index look-ups, not scans of every
    article; a batch of articles is one request, not one per article."""

    def query(self, sparql: str) -> QueryResult:
        """The backend's own read query (every backend defines it)."""
        raise NotImplementedError

    def _select(self, sparql: str) -> list[tuple[Identifier | None, ...]]:
        """Rows of one of kg's own SELECTs, which name their graphs (a backend may skip what a
        user's query needs, such as making the default graph the union)."""
        return list(self.query(sparql).rows)

    def article_hash(self, article: URIRef) -> str | None:
        return self.article_hashes([article]).get(article)

    def article_hashes(self, articles: Iterable[URIRef]) -> dict[URIRef, str]:
        names = sparql_values(articles)
        if not names:
            return {}
        rows = self._select(f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {names} }} "
                            f"GRAPH ?g {{ ?g {KG.contentHash.n3()} ?h }} }}")
        return {URIRef(str(g)): str(h) for g, h in rows}

    def article_versions(self, articles: Iterable[URIRef]) -> dict[URIRef, tuple[str, str | None]]:
        names = sparql_values(articles)
        if not names:
            return {}
        rows = self._select(f"SELECT ?g ?h ?x WHERE {{ VALUES ?g {{ {names} }} "
                            f"GRAPH ?g {{ ?g {KG.contentHash.n3()} ?h OPTIONAL {{ ?g {KG.extractor.n3()} ?x }} }} }}")
        return {URIRef(str(g)): (str(h), None if x is None else str(x)) for g, h, x in rows}

    def articles_from_source(self, source: str) -> list[URIRef]:
        return self.articles_from_sources([source]).get(source, [])

    def articles_from_sources(self, sources: Iterable[str]) -> dict[str, list[URIRef]]:
        given = sparql_values(Literal(s) for s in sources)
        if not given:
            return {}
        found: dict[str, list[URIRef]] = {}
        for s, g in self._select(f"SELECT ?s ?g WHERE {{ VALUES ?s {{ {given} }} "
                                 f"GRAPH ?g {{ ?g {KG.source.n3()} ?s }} }}"):
            found.setdefault(str(s), []).append(URIRef(str(g)))
        return found

    def articles_with_url(self, url: str) -> list[URIRef]:
        given = f"{Literal(url, datatype=XSD.anyURI).n3()} {Literal(url).n3()}"
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ VALUES ?u {{ {given} }} GRAPH ?g {{ "
                            f"{{ ?g {SDO.url.n3()} ?u }} UNION {{ ?g {KG.source.n3()} ?u }} }} }}")
        return [URIRef(str(g)) for (g,) in rows]


def replace_update(graph: Graph, drop: Iterable[URIRef] = (), shared: Graph | None = None,
                   collect: bool | None = None) -> str:
    """One SPARQL Update request that replaces the graph named `graph.identifier` by `graph`,
    drops the `drop` graphs, adds `shared` to its graph (the registry) and removes from the
    registry what no article uses any more: SPARQL runs one request as one transaction, so
    readers see the article wholly or not at all, and sending the request twice leaves the
    same store. Garbage is collected (a scan of the registry) when graphs are replaced:
    `collect` defaults to whether `drop` names other graphs."""
    name = graph.identifier
    drop = tuple(drop)
    drops = "".join(f"DROP SILENT GRAPH {g.n3()} ;\n" for g in (name, *sorted(set(drop) - {name})))
    update = f"{drops}INSERT DATA {{ GRAPH {name.n3()} {{\n{turtle(graph)}}} }}"
    if shared is not None and len(shared):
        update += f" ;\nINSERT DATA {{ GRAPH {shared.identifier.n3()} {{\n{turtle(shared)}}} }}"
    if collect if collect is not None else bool(set(drop) - {name}):
        update += f" ;\n{COLLECT_GARBAGE}"
    return update


# Registry nodes (entities, times) that no article graph mentions or dates an event with; the
# event classes (their place in their families) stay.
COLLECT_GARBAGE = f"""DELETE {{ GRAPH {KG.registry.n3()} {{ ?x ?p ?o }} }}
WHERE {{ GRAPH {KG.registry.n3()} {{ ?x ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH {KG.registry.n3()} {{ ?x a {OWL.Class.n3()} }} }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?x {KG.mentionedIn.n3()} ?a }} }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e {SEM.hasTime.n3()} ?x }} }} }}"""


def remove_update(name: URIRef) -> str:
    """Drop an article's graph and whatever in the registry only it used, in one request."""
    return f"DROP SILENT GRAPH {name.n3()} ;\n{COLLECT_GARBAGE}"


def turtle(graph: Graph) -> str:
    """The triples one per line, each term as rdflib's `n3()` writes it (N-Triples but for
    multi-line strings in triple quotes): valid Turtle and valid in SPARQL's INSERT DATA.
    Terms are cached because an article repeats its predicates, classes and IRIs on most lines;
    about as fast as `graph.serialize(format="nt")` uncached, faster cached."""
    text: dict = {}

    def term(t) -> str:
        out = text.get(t)
        if out is None:
            out = text[t] = t.n3()
        return out

    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in graph)


def sparql_values(terms: Iterable) -> str:
    """The body of a SPARQL VALUES block for rdflib terms."""
    return " ".join(t.n3() for t in terms)
