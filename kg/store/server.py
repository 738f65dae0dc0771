"""`kg serve`: the embedded store as a SPARQL 1.1 Protocol endpoint, for other tools (YASGUI,
Jupyter, another kg, anything that speaks SPARQL over HTTP).

pyoxigraph and the standard library's threading HTTP server: nothing else to install, and the
endpoint answers exactly as the embedded store does, because it is the embedded store:

    GET/POST /query    SPARQL query (GET ?query=, POST form or application/sparql-query);
                       the default graph is the union of the article graphs unless the request
                       names default-graph-uri; kg's prefixes (kg:, sem:, schema: ...) predeclared
    POST /update       SPARQL update (form or application/sparql-update), only when writable

Read-only unless asked: the store is then opened read-only, so another kg process can read it
too, and updates are refused with 403. Writable, the server holds the store (as `kg ingest` would),
and other kg commands reach it through the server: `--store http://HOST:PORT/query`.
There is no authentication: it binds to the loopback interface unless told otherwise.
"""
from __future__ import annotations

import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.embedded import EmbeddedStore
from kg.vocab import PREFIXES

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_MAX_BODY = 256 * 1024 * 1024  # one request; an article's update is a few hundred kilobytes


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: EmbeddedStore, address: tuple[str, int], *, writable: bool) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.writable = writable

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def make_server(path: Path, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False) -> SparqlServer:
    """A server for the store at `path` (not yet serving: call `serve_forever`)."""
    store = EmbeddedStore(path, read_only=not writable)
    try:
        return SparqlServer(store, (host, port), writable=writable)
    except OSError as exc:
        store.close()
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "kg"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        """Quiet: a tool polling the endpoint would fill the terminal."""

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/query":
            self._query(urllib.parse.parse_qs(url.query))
        elif url.path == "/":
            updates = "POST /update" if self.server.writable else "read-only"
            self._send(HTTPStatus.OK, "text/plain", f"kg SPARQL endpoint: GET or POST /query; {updates}\n".encode())
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such endpoint: /query (and /update)\n")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        body = self._body()
        if body is None:
            return
        content_type = self.headers.get_content_type()
        if content_type == "application/x-www-form-urlencoded":
            for key, value in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(value)
        elif content_type in ("application/sparql-query", "application/sparql-update"):
            params["query" if content_type.endswith("query") else "update"] = [body.decode("utf-8")]
        if url.path == "/query":
            self._query(params)
        elif url.path == "/update":
            self._update(params)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such endpoint: /query (and /update)\n")

    # -- SPARQL ---------------------------------------------------------------------------------
    def _query(self, params: dict[str, list[str]]) -> None:
        text = params.get("query", [None])[0]
        if not text:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", b"missing the 'query' parameter\n")
            return
        defaults = [ox.NamedNode(g) for g in params.get("default-graph-uri", [])]
        named = [ox.NamedNode(g) for g in params.get("named-graph-uri", [])]
        try:
            result = self.server.store.native.query(
                text, prefixes=PREFIXES, use_default_graph_as_union=not defaults,
                default_graph=defaults or None, named_graphs=named or None)
            if isinstance(result, ox.QueryTriples):
                media, fmt = _negotiate(self.headers.get("Accept", ""), _GRAPH_FORMATS, "application/n-triples")
            else:
                media, fmt = _negotiate(self.headers.get("Accept", ""), _RESULT_FORMATS, "application/sparql-results+json")
            data = result.serialize(format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            self._send_error(exc)
            return
        self._send(HTTPStatus.OK, media, data)

    def _update(self, params: dict[str, list[str]]) -> None:
        if not self.server.writable:
            self._send(HTTPStatus.FORBIDDEN, "text/plain", b"this endpoint is read-only (kg serve --writable)\n")
            return
        text = params.get("update", [None])[0]
        if not text:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", b"missing the 'update' parameter\n")
            return
        try:
            self.server.store.native.update(text, prefixes=PREFIXES)
        except (SyntaxError, ValueError, OSError) as exc:
            self._send_error(exc)
            return
        self._send(HTTPStatus.NO_CONTENT, None, b"")

    def _send_error(self, exc: Exception) -> None:
        """A bad request (syntax, value) is the client's fault, 400; storage trouble is ours, 500."""
        status = HTTPStatus.INTERNAL_SERVER_ERROR if isinstance(exc, OSError) else HTTPStatus.BAD_REQUEST
        self._send(status, "text/plain", f"{exc}\n".encode())

    # -- HTTP -----------------------------------------------------------------------------------
    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain", b"request too large\n")
            return None
        return self.rfile.read(length)

    def _send(self, status: HTTPStatus, media: str | None, data: bytes) -> None:
        self.send_response(status)
        if media:
            self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _negotiate(accept: str, offers: dict, default: str):
    """The offered media type the Accept header prefers (by q, then by order), else `default`."""
    wanted = []
    for n, part in enumerate(accept.split(",")):
        media, _, rest = part.strip().partition(";")
        q = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        wanted.append((-q, n, media.strip().lower()))
    for neg_q, _, media in sorted(wanted):
        if neg_q >= 0:
            break
        if media in offers:
            return media, offers[media]
        if media in ("*/*", f"{default.split('/')[0]}/*"):
            return default, offers[default]
    return default, offers[default]
