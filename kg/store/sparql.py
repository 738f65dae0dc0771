"""A SPARQL 1.1 server as the store (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso...).

kg talks to it with the SPARQL 1.1 Protocol only, over the standard library's urllib:

- **Writes**: one article is one update request, `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g>
  { ... } }`. A SPARQL server runs one request as one transaction, so readers see an article
  wholly or not at all, and repeating a request leaves the same store, which makes retrying safe.
- **Reads** must see the union of the article graphs as the default graph (kg writes nothing to
  the default graph). An Oxigraph server is asked for that in every request (its
  `union-default-graph` parameter); any other server must be configured so (README, "Using a
  SPARQL server"), and kg checks once per run that it is, rather than silently finding nothing.
- **Failures**: a server that cannot be reached, refuses, or times out is a `StoreError` naming
  the URL; a query it rejects is a `QueryError` with its message. Once the server has answered,
  connection errors, timeouts and 5xx answers are retried with exponential backoff (so a restart
  or a busy moment does not abort a long ingest); a server that never answered fails at once.
- Only graphs named under kg's article namespace are kg's: the server may hold other data.

The Graph Store Protocol is not needed: every read and write above is one SPARQL request, which
every server supports at the one URL the user already gives.
"""
from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SDO, XSD
from rdflib.term import Identifier

from kg.errors import QueryError, StoreError
from kg.store.base import ArticleLookups, QueryResult, remove_update, replace_update
from kg.store.embedded import _syntax_message, dump
from kg.vocab import ARTICLE, BASE, PREFIXES

_XSD_STRING = str(XSD.string)
_RESULTS_JSON = "application/sparql-results+json"
_ACCEPT = f"{_RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                  "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
# all prefixes on one line, so a server's "error at line L" is line L - 1 of the user's query
_PROLOGUE = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"
_KG_GRAPH = f'FILTER(STRSTARTS(STR(?g), "{BASE}"))'  # articles, the registry, the corrections
# true when a triple of some named graph is missing from the default graph: one triple is enough
_UNION_PROBE = "ASK { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1 } FILTER NOT EXISTS { ?s ?p ?o } }"


class _Rejected(Exception):
    """The server answered with an HTTP error status."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status, self.reason, self.message = status, reason, message


class SparqlStore(ArticleLookups):
    def __init__(self, url: str, *, update_url: str | None = None, read_only: bool = False,
                 timeout: float = 60.0, retries: int = 4, backoff: float = 0.5) -> None:
        self.location = url
        self.update_url = update_url or default_update_url(url)
        self.read_only = read_only
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._answered = False  # has the server answered once? then connection errors are transient
        self._oxigraph = False  # the server's `Server` header says Oxigraph
        self._union_checked = False

    # -- reads ----------------------------------------------------------------------------------
    def query(self, sparql: str) -> QueryResult:
        self._check_union_default_graph()
        content_type, body = self._query(sparql, prologue=True)
        return _parse_result(content_type, body, self.location)

    def named_graphs(self) -> list[URIRef]:
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a {SDO.NewsArticle.n3()} }} "
                            f'FILTER(STRSTARTS(STR(?g), "{ARTICLE}")) }}')
        return [URIRef(str(g)) for (g,) in rows]

    def __len__(self) -> int:
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_KG_GRAPH} }}")
        if not rows:
            return 0
        count = rows[0][0]
        assert count is not None  # a COUNT without GROUP BY is bound in its one row
        return int(count)

    def export(self, fmt: str) -> bytes:
        # the quads through one SELECT (every server answers it the same), then the embedded
        # store's own serialisation, so both backends export byte-for-byte alike
        content_type, body = self._query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_KG_GRAPH} }}")
        data = _json(content_type, body, self.location)
        dataset = ox.Store()
        dataset.extend(ox.Quad(_ox_term(b["s"]), _ox_term(b["p"]), _ox_term(b["o"]), _ox_term(b["g"]))
                       for b in data["results"]["bindings"])
        return dump(dataset, fmt)

    def _select(self, sparql: str) -> list[tuple[Identifier | None, ...]]:
        """Rows of one of kg's own SELECTs (they name their graphs, so need no union)."""
        content_type, body = self._query(sparql)
        return list(_parse_result(content_type, body, self.location).rows)

    def _check_union_default_graph(self) -> None:
        """Once per store: the first answer says whether the server is Oxigraph (asked for the
        union in each request from then on); any other server must already give the union."""
        if self._union_checked:
            return
        content_type, body = self._query(_UNION_PROBE)
        self._union_checked = True
        if not self._oxigraph and _json(content_type, body, self.location).get("boolean"):
            raise StoreError(f"{self.location}: the default graph is not the union of the named graphs, so kg's "
                             f"queries would find nothing; configure the server so (see README, 'Using a SPARQL server')")

    def _query(self, sparql: str, *, prologue: bool = False) -> tuple[str, bytes]:
        form = {"query": _PROLOGUE + sparql if prologue else sparql}
        if self._oxigraph:
            form["union-default-graph"] = ""
        try:
            return self._post(self.location, form, _ACCEPT)
        except _Rejected as exc:
            if exc.status == 400:
                raise QueryError(_query_message(exc.message, 1 if prologue else 0)) from None
            raise StoreError(_rejected(self.location, exc)) from None

    # -- writes ---------------------------------------------------------------------------------
    def replace_graph(self, graph: Graph, drop: tuple[URIRef, ...] = (), shared: Graph | None = None) -> None:
        self._update(replace_update(graph, drop, shared))

    def remove_graph(self, name: URIRef) -> bool:
        content_type, body = self._query(f"ASK {{ GRAPH {name.n3()} {{ ?s ?p ?o }} }}")
        if not _json(content_type, body, self.location).get("boolean"):
            return False
        self._update(remove_update(name))
        return True

    def _update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.location} was opened read-only")
        try:
            self._post(self.update_url, {"update": sparql}, "*/*")
        except _Rejected as exc:
            raise StoreError(f"update refused by {self.update_url}: {_rejected_detail(exc)}") from None

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""

    # -- HTTP -----------------------------------------------------------------------------------
    def _post(self, url: str, form: dict[str, str], accept: str) -> tuple[str, bytes]:
        """POST a form (the encoding every server takes for query and update alike); the
        answer's content type and body. Retries transient failures with exponential backoff."""
        request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode("utf-8"), headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "kg"})
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    self._answered = True
                    self._oxigraph = self._oxigraph or response.headers.get("Server", "").startswith("Oxigraph")
                    return response.headers.get_content_type(), response.read()
            except urllib.error.HTTPError as exc:
                self._answered = True
                rejected = _Rejected(exc.code, exc.reason, _body(exc))
                if exc.code < 500 or last:
                    raise rejected from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                # connection refused or reset, name not found, timed out, answer cut short
                if not self._answered or last:
                    raise StoreError(f"cannot reach the SPARQL endpoint {url}: {_reason(exc, self.timeout)}") from None
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")


def default_update_url(url: str) -> str:
    """Where updates go when not said: Oxigraph and Fuseki serve queries at .../query and updates
    at .../update; GraphDB and Virtuoso take both at one URL (give --update-url otherwise)."""
    parts = urllib.parse.urlsplit(url)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "update"))
    return url


# -- answers ------------------------------------------------------------------------------------
def _parse_result(content_type: str, body: bytes, url: str) -> QueryResult:
    if content_type in _GRAPH_FORMATS:
        return QueryResult(graph=Graph().parse(data=body, format=_GRAPH_FORMATS[content_type]))
    data = _json(content_type, body, url)
    if "boolean" in data:
        return QueryResult(boolean=bool(data["boolean"]))
    names = tuple(data["head"].get("vars", ()))
    rows = tuple(tuple(_term(b.get(n)) for n in names) for b in data["results"]["bindings"])
    return QueryResult(variables=names, rows=rows)


def _json(content_type: str, body: bytes, url: str) -> dict:
    if content_type not in (_RESULTS_JSON, "application/json"):
        raise StoreError(f"{url} answered with {content_type or 'no content type'}, not SPARQL results "
                         f"(is it the query endpoint?)")
    try:
        return json.loads(body)
    except ValueError:
        raise StoreError(f"{url} answered with malformed SPARQL results") from None


def _term(binding: dict | None) -> Identifier | None:
    """A SPARQL JSON results term as the rdflib term the embedded store gives for it."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != _XSD_STRING:  # plain strings stay plain, as in the embedded store
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _ox_term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    datatype = binding.get("datatype")
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


# -- errors -------------------------------------------------------------------------------------
def _body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        return ""


def _query_message(message: str, line_offset: int) -> str:
    """The server's complaint in one line; a syntax error as the embedded store words it."""
    first = message.splitlines()[0] if message else "the server rejected the query"
    if "syntax" in message.lower() or first.startswith("error at "):
        return _syntax_message(first, line_offset)
    return f"query rejected: {_clip(first)}"


def _rejected(url: str, exc: _Rejected) -> str:
    if exc.status == 404:
        return f"no SPARQL endpoint at {url} (404 Not Found)"
    return f"{url} refused the request: {_rejected_detail(exc)}"


def _rejected_detail(exc: _Rejected) -> str:
    first = exc.message.splitlines()[0] if exc.message else ""
    return f"{exc.status} {exc.reason}" + (f": {_clip(first)}" if first else "")


def _reason(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", exc)  # URLError wraps the socket's error
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return _clip(str(reason) or type(reason).__name__)


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
