"""The contract every store backend keeps."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph
from rdflib.term import Identifier, URIRef


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

    def articles_from_source(self, source: str) -> list[URIRef]:
        """Articles earlier ingested from this file or URL (to replace when it changed)."""

    def replace_graph(self, graph: Graph, drop: tuple[URIRef, ...] = ()) -> None:
        """Write one article's named graph in one transaction, dropping `drop` graphs in it too."""

    def remove_graph(self, name: URIRef) -> bool:
        """Drop one named graph; False if there was none."""

    def query(self, sparql: str) -> QueryResult:
        """Run a read query over the union of all graphs."""

    def export(self, fmt: str) -> bytes:
        """The whole dataset serialised (turtle, nt, json-ld, trig, nquads)."""

    def close(self) -> None:
        ...

    def articles_with_url(self, url: str) -> list[URIRef]:
        """Articles whose schema:url, or the URL they were ingested from, is `url` (so that a
        page already stored need not be fetched again)."""
