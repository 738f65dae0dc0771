"""`kg serve`: the embedded store as a SPARQL 1.1 Protocol endpoint, for other tools (YASGUI,
Jupyter, another kg, anything that speaks SPARQL over HTTP).

    GET/POST /query    SPARQL query (GET ?query=, POST form or application/sparql-query);
                       the default graph is the union of the article graphs unless the request
                       names default-graph-uri; kg's prefixes (kg:, sem:, schema: ...) predeclared
    POST /update       SPARQL update (form or application/sparql-update), only when writable

Read-only unless asked; writable, the server holds the store (as `kg ingest` would), and other kg
commands reach it through the server: `--store http://HOST:PORT/query`. There is no
authentication, so the server has to be safe against whoever can reach it, which on the loopback
interface includes every web page the user's browser opens:

- **Queries run in worker processes.** A SPARQL query can need unbounded time and memory (three
  cartesian patterns over a thousand triples), and Oxigraph cannot stop a query it has begun, not
  even from another thread. So each query and update runs in one of a few child processes that
  hold the store open, with an address-space limit (a runaway query makes its process abort, not
  the server) and a deadline, at which the server kills the process and starts another. A query
  whose client hangs up is killed too. Writable, there is one such process, as the store has one
  writer; it is also the only process that opens the store, so there is nothing to keep in step.
- **Bounded everything else**: answers (bytes), request bodies (per request and across all
  connections at once), time a connection may stay silent, queries at once (more wait briefly,
  then get 503), and a listen backlog big enough for a burst of clients.
- **No cross-site writes.** A web page can POST a form or a no-cors `fetch` anywhere, so /update
  takes only `application/sparql-update` (which a page can send cross-site only after a CORS
  preflight, never granted here) or a form that carries no foreign Origin or Referer (browsers
  send Origin with every cross-site POST; kg's own client and curl send none). The Host header
  must name this server, or a DNS-rebinding page could pose as same-origin.
- **No requests on a client's behalf.** Oxigraph fetches the URL of a `SERVICE` clause or a
  `LOAD` update itself, with no timeout, which turns the server into a proxy into the user's
  network; both are refused unless the server was started with --allow-service.
- **One-line answers.** Every refusal or failure is an HTTP status with one line of text; nothing
  a client sends makes the server print a traceback.

Unix only: the workers are watched with `selectors` on pipes and limited with `resource`.
"""
from __future__ import annotations

import ipaddress
import json
import os
import pickle
import re
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from queue import Empty, LifoQueue

import pyoxigraph as ox

from kg.errors import KgError, StoreError
from kg.store.embedded import EmbeddedStore, first_line
from kg.vocab import PREFIXES

try:
    import resource
except ImportError:  # not Unix: no memory limit, the deadline still holds
    resource = None  # type: ignore[assignment]

MiB = 1024 * 1024
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
_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"
_SPARQL_UPDATE = "application/sparql-update"
_TEXT = "text/plain"
_MIN_BODY_RATE = MiB  # bytes/s a client must keep up while sending a body (any LAN does 10x)
_START_TIMEOUT = 60.0  # seconds a worker may take to open the store
_MAX_FIELDS = 1000  # form fields in one request
_MAX_NAME = 1000  # characters of the explorer's ?entity=
_DRAIN_MAX = 64 * 1024  # bytes of a refused request's body read anyway, see _Handler._drain


@dataclass(frozen=True)
class Limits:
    """What one client may cost the server. `kg serve` sets the first five from its options;
    the others are fixed there, and settable here for tests."""

    timeout: float = 30.0  # seconds one query or update may run
    max_queries: int = 4  # worker processes, i.e. queries at once (one when writable)
    max_result: int = 128 * MiB  # bytes of one serialised answer
    max_memory: int = 2048 * MiB  # address space of one worker process
    allow_service: bool = False  # SERVICE and LOAD fetch URLs a client chose
    idle_timeout: float = 10.0  # seconds a connection may stay silent mid-request or between
    queue_wait: float = 10.0  # seconds a request waits for a free worker before 503
    max_body: int = 256 * MiB  # one request body (an article's update is a few hundred KB)
    body_budget: int = 512 * MiB  # request bodies being received at once, all connections


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    # a burst of clients waits in the kernel's accept queue; the default (5) drops their SYNs
    request_queue_size = 128

    def __init__(self, path: Path, address: tuple[str, int], *, writable: bool, limits: Limits,
                 allowed_hosts: tuple[str, ...] = ()) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)  # binds first: a busy port fails before the store opens
        self.writable = writable
        self.limits = limits
        self.hosts = _HostNames(address[0], self.server_address[1], allowed_hosts)
        self.bodies = _Budget(limits.body_budget)
        self.drawing = threading.Lock()  # one explorer page at a time
        self.pages = _Pages()
        try:
            self.pool = _Pool(path, writable=writable, limits=limits)
        except BaseException:
            super().server_close()
            raise

    def draw(self, entity: str | None = None, generic: bool = False, max_nodes: int = 1500) -> bytes:
        """The explorer page (kg.explore), drawn from the answers of this server's own /query, so
        every query it makes keeps the limits of any other; kept until the store changes."""
        from kg.explore import explorer_page
        from kg.lexicon import load_lexicon
        from kg.store import open_store

        generation = self.pages.generation
        store = open_store(self.own_url + "/query", read_only=True)
        try:
            page = explorer_page(store, entity=entity, generic=generic, max_nodes=max_nodes,
                                 families=load_lexicon().families, title="kg serve: the explorer").encode("utf-8")
        finally:
            store.close()
        self.pages.put((entity, generic, max_nodes), page, generation)
        return page

    def draw_overview(self) -> None:
        """The page most readers open first, drawn before any asks (in a thread, once serving)."""
        with self.drawing:
            try:
                self.draw()
            except KgError as exc:
                print(f"kg serve: cannot draw the explorer: {_first_line(exc)}", file=sys.stderr, flush=True)

    @property
    def own_url(self) -> str:
        """Where this process reaches its own server: loopback when it listens on every address."""
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", ""):
            return f"http://127.0.0.1:{port}"
        if host == "::":
            return f"http://[::1]:{port}"
        return self.url

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        assert isinstance(host, str)  # an AF_INET or AF_INET6 socket names its host as text
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    def handle_error(self, request, client_address) -> None:
        """One line on stderr for a fault of ours; nothing when the client hung up or went silent."""
        exc = sys.exc_info()[1]
        assert exc is not None  # socketserver calls this from the except clause around a request
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"kg serve: {type(exc).__name__} answering {client_address[0]}: {_first_line(exc)}",
              file=sys.stderr, flush=True)


def make_server(path: Path, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
                limits: Limits = Limits(), allowed_hosts: tuple[str, ...] = ()) -> SparqlServer:
    """A server for the store at `path` (not yet serving: call `serve_forever`), its first
    worker started, so that a store that cannot be opened fails here."""
    try:
        return SparqlServer(path, (host, port), writable=writable, limits=limits, allowed_hosts=allowed_hosts)
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class _Refused(Exception):
    """A request answered with an error status and one line of text."""

    def __init__(self, status: HTTPStatus, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.close = status, message, close


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "kg"
    # the base class's own errors (bad request line, unknown method) as one line of text, too
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(message)s\n"

    def setup(self) -> None:
        # a silent client (slowloris) holds a thread and a socket only this long
        # typeshed declares `timeout` a ClassVar; StreamRequestHandler.setup reads it per instance
        self.timeout = self.server.limits.idle_timeout  # type: ignore[misc]
        super().setup()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        """Quiet: a tool polling the endpoint would fill the terminal."""

    def do_GET(self) -> None:
        self._body_read = False
        try:
            self._check_host()
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/query":
                self._query(_parse_form(url.query, "the URL"))
            elif url.path == "/explorer":
                self._explorer(_parse_form(url.query, "the URL"))
            elif url.path == "/":
                updates = "POST /update" if self.server.writable else "read-only"
                self._send(HTTPStatus.OK, _TEXT, f"kg SPARQL endpoint: GET or POST /query; {updates}; "
                                                 f"the explorer at /explorer\n".encode())
            else:
                raise _Refused(HTTPStatus.NOT_FOUND, "no such endpoint: /query (and /update, /explorer)")
        except _Refused as refused:
            self._refuse(refused)

    def do_POST(self) -> None:
        self._body_read = False
        try:
            self._check_host()
            url = urllib.parse.urlsplit(self.path)
            if url.path not in ("/query", "/update"):
                raise _Refused(HTTPStatus.NOT_FOUND, "no such endpoint: /query (and /update)", close=True)
            params = _parse_form(url.query, "the URL")
            content_type = self.headers.get_content_type() if "Content-Type" in self.headers else None
            if url.path == "/update":
                self._check_update(params, content_type)
            elif content_type not in (None, _FORM, _SPARQL_QUERY):
                raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               f"a query is sent as {_FORM} or {_SPARQL_QUERY}, not {content_type}", close=True)
            with self._body() as body:
                if content_type == _FORM:
                    for key, values in _parse_form(_utf8(body), "the request body").items():
                        params.setdefault(key, []).extend(values)
                elif content_type in (_SPARQL_QUERY, _SPARQL_UPDATE):
                    params["query" if url.path == "/query" else "update"] = [_utf8(body)]
                elif body:
                    raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "a request body needs a Content-Type")
                if url.path == "/query":
                    self._query(params)
                else:
                    self._update(params)
        except _Refused as refused:
            self._refuse(refused)

    # -- who may ask ----------------------------------------------------------------------------
    def _check_host(self) -> None:
        """The Host header must name this server: a page on evil.example whose name the attacker
        re-points at 127.0.0.1 (DNS rebinding) is same-origin with us as far as the browser
        knows, but its requests say `Host: evil.example`. Browsers always send Host."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "more than one Host header", close=True)
        if hosts and not self.server.hosts.accepts(hosts[0]):
            raise _Refused(HTTPStatus.MISDIRECTED_REQUEST,
                           f"this server does not answer to the name {_clip(hosts[0])!r} "
                           f"(kg serve --allow-host NAME adds one)", close=True)

    def _check_update(self, params: dict[str, list[str]], content_type: str | None) -> None:
        """Refuses what a web page could send: see the module's docstring. Checked before the
        body is read, so a refused request costs nothing."""
        if not self.server.writable:
            raise _Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only (kg serve --writable)", close=True)
        if content_type not in (_FORM, _SPARQL_UPDATE):
            raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           f"an update is sent as {_SPARQL_UPDATE} or {_FORM}, not {content_type or 'untyped'}",
                           close=True)
        if "update" in params:
            raise _Refused(HTTPStatus.BAD_REQUEST, "the update goes in the request body, not the URL", close=True)
        for header in ("Origin", "Referer"):
            value = self.headers.get(header)
            if value is not None and not self.server.hosts.is_own_origin(value):
                raise _Refused(HTTPStatus.FORBIDDEN, f"updates from web pages are refused ({header}: {_clip(value)})",
                               close=True)

    # -- the body -------------------------------------------------------------------------------
    @contextmanager
    def _body(self) -> Iterator[bytes]:
        """The request body, its size reserved from the budget shared by all connections until
        the request is answered, and received at a minimum rate."""
        if "Transfer-Encoding" in self.headers:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not chunked", close=True)
        lengths = self.headers.get_all("Content-Length") or ["0"]
        if len(set(lengths)) > 1 or not re.fullmatch(r"[0-9]{1,19}", lengths[0].strip()):
            raise _Refused(HTTPStatus.BAD_REQUEST, f"bad Content-Length: {_clip(', '.join(lengths))}", close=True)
        length = int(lengths[0])
        limits = self.server.limits
        if length > limits.max_body:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                           f"request body over {limits.max_body // MiB} MiB", close=True)
        if not self.server.bodies.take(length):
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "too many large requests at once; try again", close=True)
        try:
            data = bytearray()
            deadline = time.monotonic() + limits.idle_timeout + length / _MIN_BODY_RATE
            while len(data) < length:
                chunk = self.rfile.read1(min(length - len(data), 1 * MiB))
                if not chunk:
                    raise ConnectionError("the client closed the connection mid-body")
                data += chunk
                if len(data) < length and time.monotonic() > deadline:
                    raise TimeoutError("the request body came too slowly")
            self._body_read = True
            yield bytes(data)
        finally:
            self.server.bodies.give(length)

    # -- SPARQL ---------------------------------------------------------------------------------
    def _query(self, params: dict[str, list[str]]) -> None:
        text = params.get("query", [""])[0]
        if not text:
            raise _Refused(HTTPStatus.BAD_REQUEST, "missing the 'query' parameter")
        graphs = {}
        for name in ("default-graph-uri", "named-graph-uri"):
            graphs[name] = params.get(name, [])
            for iri in graphs[name]:
                try:
                    ox.NamedNode(iri)
                except ValueError:
                    raise _Refused(HTTPStatus.BAD_REQUEST, f"{name}: not an IRI: {_clip(iri)!r}") from None
        self._run({"kind": "query", "text": text, "default_graphs": graphs["default-graph-uri"],
                   "named_graphs": graphs["named-graph-uri"], "accept": self.headers.get("Accept", "")})

    def _update(self, params: dict[str, list[str]]) -> None:
        text = params.get("update", [""])[0]
        if not text:
            raise _Refused(HTTPStatus.BAD_REQUEST, "missing the 'update' parameter")
        self.server.pages.clear()  # drawn from the store as it was (again when it is done, below)
        try:
            self._run({"kind": "update", "text": text})
        finally:
            self.server.pages.clear()

    def _run(self, request: dict) -> None:
        pool, limits = self.server.pool, self.server.limits
        worker = pool.acquire(limits.queue_wait)
        if worker is None:
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE,
                           f"busy: {pool.size} queries running (kg serve --max-queries); try again")
        try:
            # an update runs to its end even if its client leaves, so a store's writes do not
            # depend on a client's patience; a query nobody waits for is stopped
            watch = self.connection if request["kind"] == "query" else None
            status, media, data = worker.run(request, limits.timeout, watch)
        finally:
            pool.release(worker)
        if status is None:  # the client hung up
            self.close_connection = True
            return
        self._send(HTTPStatus(status), media, data)

    # -- the explorer ---------------------------------------------------------------------------
    def _explorer(self, params: dict[str, list[str]]) -> None:
        """kg view's page for a part of the store (kg.explore; see `SparqlServer.draw`). One page
        is drawn at a time, the others wait as queries do for a worker: the layout is the
        server's own CPU, not a worker's."""
        from kg.explore import MAX_NODES

        entity = params.get("entity", [""])[0].strip() or None
        if entity is not None and len(entity) > _MAX_NAME:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"entity: a name of at most {_MAX_NAME} characters")
        size = params.get("max_nodes", ["1500"])[0]
        if not re.fullmatch(r"[0-9]{1,5}", size) or not 1 <= int(size) <= MAX_NODES:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"max_nodes: a number from 1 to {MAX_NODES}")
        generic = params.get("generic", [""])[0].lower() in ("1", "true", "yes")
        key = (entity, generic, int(size))
        page = self.server.pages.get(key)
        if page is None:
            if not self.server.drawing.acquire(timeout=self.server.limits.queue_wait):
                raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "busy: drawing other explorer pages; try again")
            try:
                page = self.server.pages.get(key) or self.server.draw(*key)  # drawn while we waited?
            except KgError as exc:
                raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE,
                               f"cannot draw the explorer: {_first_line(exc)}") from None
            finally:
                self.server.drawing.release()
        # no other site may frame it (a click on a hidden frame), nor keep a copy
        self._send(HTTPStatus.OK, "text/html", page,
                   {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY",
                    "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    # -- HTTP -----------------------------------------------------------------------------------
    def _refuse(self, refused: _Refused) -> None:
        if refused.close:  # the body is unread, or the client is not to be trusted with more
            self.close_connection = True
            self._drain()
        extra = {"Retry-After": "1"} if refused.status == HTTPStatus.SERVICE_UNAVAILABLE else {}
        self._send(refused.status, _TEXT, f"{refused.message}\n".encode(), extra)

    def _drain(self) -> None:
        """Reads a small unread body before the connection is closed: closing a socket with
        unread data resets it, and the client may lose the answer to the reset."""
        length = self.headers.get("Content-Length", "")
        if self._body_read or not re.fullmatch(r"[0-9]{1,9}", length) or int(length) > _DRAIN_MAX:
            return
        try:
            self.rfile.read(int(length))
        except OSError:
            pass

    def _send(self, status: HTTPStatus, media: str | None, data: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if media:
            self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")  # a text answer is never rendered as a page
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)


class _Pages:
    """The last explorer pages drawn, by (entity, generic, max_nodes): a reader going back and
    forth between entities is answered at once. An update empties it."""

    SIZE = 8

    def __init__(self) -> None:
        self._pages: dict[tuple, bytes] = {}
        self._lock = threading.Lock()
        self.generation = 0  # one more at each clear: a page drawn across a clear is not kept

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            page = self._pages.pop(key, None)
            if page is not None:
                self._pages[key] = page  # the most recently used last
            return page

    def put(self, key: tuple, page: bytes, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            self._pages.pop(key, None)
            self._pages[key] = page
            while len(self._pages) > self.SIZE:
                del self._pages[next(iter(self._pages))]

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.generation += 1


def _parse_form(text: str, where: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=_MAX_FIELDS)
    except UnicodeDecodeError:
        raise _Refused(HTTPStatus.BAD_REQUEST, f"{where} has percent-escapes that are not UTF-8") from None
    except ValueError:  # too many fields
        raise _Refused(HTTPStatus.BAD_REQUEST, f"{where} has over {_MAX_FIELDS} fields") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8") from None


class _Budget:
    """Bytes that may be in flight at once, shared by all connections: a per-request cap alone
    lets a hundred clients each send just under it."""

    def __init__(self, total: int) -> None:
        self._free = total
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        with self._lock:
            if size > self._free:
                return False
            self._free -= size
            return True

    def give(self, size: int) -> None:
        with self._lock:
            self._free += size


class _HostNames:
    """The names a request may address this server by (Host), and its own origins."""

    def __init__(self, bind: str, port: int, extra: tuple[str, ...]) -> None:
        self.port = port
        names = {"localhost", "127.0.0.1", "[::1]", _bracketed(bind.lower())}
        self.any_ip = bind in ("", "0.0.0.0", "::")
        if self.any_ip:  # every interface: the machine's own names, and any address literal
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.names = frozenset(names)
        self.extra = frozenset(_bracketed(name.lower()) for name in extra)

    def accepts(self, host: str) -> bool:
        name, port = _split_host(host.strip().lower())
        if name is None:
            return False
        if name in self.extra:
            return True
        if port != self.port:  # a name of ours, but on another port: not us
            return False
        return name in self.names or (self.any_ip and _is_ip(name))

    def is_own_origin(self, url: str) -> bool:
        """Whether an Origin or Referer is a page of this server itself: it serves none, but a
        same-origin request is no cross-site one. "null" (a file: page, a sandbox) is not."""
        parts = urllib.parse.urlsplit(url.strip())
        return (parts.scheme == "http" and self.accepts(parts.netloc)
                and _split_host(parts.netloc.lower())[1] == self.port)


def _bracketed(name: str) -> str:
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def _split_host(host: str) -> tuple[str | None, int | None]:
    """`name:port` or `[v6]:port` as (name, port); a missing port is HTTP's 80."""
    match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]@/]+)(?::([0-9]{1,5}))?", host)
    if not match:
        return None, None
    return match[1], int(match[2]) if match[2] else 80


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


# -- the worker processes ---------------------------------------------------------------------
class _Pool:
    """The worker processes, lent to one request at a time. The first starts at once (so a
    store that cannot be opened fails at start-up); the others when first needed."""

    def __init__(self, path: Path, *, writable: bool, limits: Limits) -> None:
        self._config = {"path": str(path), "writable": writable, **asdict(limits)}
        self.size = 1 if writable else limits.max_queries
        self._free: LifoQueue[_Worker | None] = LifoQueue()  # last in, first out: warm ones first
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        for _ in range(self.size - 1):
            self._free.put(None)
        self._free.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._config)
        with self._lock:
            if self._closed:
                worker.close()
                raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "the server is stopping")
            self._workers.add(worker)
        return worker

    def acquire(self, wait: float) -> _Worker | None:
        """A live worker, or None if all are busy for `wait` seconds."""
        try:
            worker = self._free.get(timeout=wait)
        except Empty:
            return None
        if worker is not None:
            if worker.alive:
                return worker
            self._forget(worker)  # died while idle
        try:
            return self._start()
        except StoreError as exc:
            self._free.put(None)
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"the store cannot be opened: {_message(exc)}") from None
        except BaseException:
            self._free.put(None)
            raise

    def release(self, worker: _Worker) -> None:
        if worker.alive:
            self._free.put(worker)
        else:  # killed at its deadline, or dead: the next request starts another
            self._forget(worker)
            self._free.put(None)

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.close(0)

    def close(self) -> None:
        """Asks every worker to close the store and exit; kills those still busy after a while."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
        for worker in workers:
            worker.ask_to_exit()
        deadline = time.monotonic() + 10
        for worker in workers:
            worker.close(max(0.1, deadline - time.monotonic()))


class _Worker:
    """One child process with the store open, answering one request at a time over its pipes."""

    def __init__(self, config: dict) -> None:
        self.max_memory = config["max_memory"]
        # answers come on a pipe of their own: whatever the child's imports might print to stdout
        # cannot garble them; a crash is reported as a status, so its stderr is not wanted either
        answers, child_end = os.pipe()
        # the child imports kg from where this process did; '' (the current folder) is not added
        code = (f"import sys; sys.path[:] = {sys.path!r}; "
                f"from kg.store.server import _worker_main; _worker_main()")
        self.answers = os.fdopen(answers, "rb", buffering=0)  # a file object: closing twice is harmless
        self.killed = self.closing = False
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, json.dumps({**config, "answers": child_end})],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(child_end,))
            assert self.process.stdin is not None  # stdin=PIPE
            self.requests = self.process.stdin  # the requests go to the worker's stdin
        except OSError as exc:
            self.answers.close()
            raise StoreError(f"cannot start a query process: {exc}") from None
        finally:
            os.close(child_end)
        try:
            answer = self._wait(_START_TIMEOUT, None)
        except (EOFError, OSError, ValueError):
            status = self.process.wait()
            hint = f" (over {self.max_memory // MiB} MiB of memory? kg serve --max-memory)" if status == -signal.SIGABRT else ""
            answer = ("error", f"the query process exited at start-up (status {status}){hint}")
        if answer is None:
            answer = ("error", f"the query process did not open the store in {_START_TIMEOUT:g} s")
        if answer[0] != "ready":
            self.kill()
            raise StoreError(answer[1])

    @property
    def alive(self) -> bool:
        return not self.killed and self.process.poll() is None

    def run(self, request: dict, timeout: float, client: socket.socket | None
            ) -> tuple[int | None, str | None, bytes]:
        """The worker's answer (status, media type, body); status None if `client` hung up.
        Past the deadline, or if the client hangs up, the worker is killed (the pool starts
        another when next needed)."""
        try:
            _write_frame(self.requests.fileno(), request)
            answer = self._wait(timeout, client)
        except (EOFError, OSError, ValueError):  # ValueError: the pipe was closed (the server stops)
            return self._died()
        if answer is None:
            self.kill()
            return (HTTPStatus.SERVICE_UNAVAILABLE, _TEXT,
                    f"stopped after {timeout:g} s, the server's time limit (kg serve --timeout)\n".encode())
        if answer == "gone":
            self.kill()
            return None, None, b""
        return answer

    def _wait(self, timeout: float, client: socket.socket | None):
        """The next frame from the worker; None at the deadline; "gone" if `client` hung up."""
        deadline = time.monotonic() + timeout
        out = self.answers.fileno()
        with selectors.DefaultSelector() as selector:  # not select(): fds above 1024 with many clients
            selector.register(out, selectors.EVENT_READ)
            if client is not None:
                selector.register(client, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                for key, _ in selector.select(left):
                    if key.fd == out:
                        return _read_frame(out)
                    assert client is not None  # the other file watched is the client's socket
                    if _hung_up(client):
                        return "gone"
                    selector.unregister(client)  # a pipelined next request: look no more

    def _died(self) -> tuple[int, str, bytes]:
        code = self.process.wait()
        if self.closing:
            return HTTPStatus.SERVICE_UNAVAILABLE, _TEXT, b"the server is stopping\n"
        if code == -signal.SIGABRT:  # Rust aborts when an allocation fails under RLIMIT_AS
            message = (f"stopped: the query needed more than {self.max_memory // MiB} MiB of memory, "
                       f"the server's limit (kg serve --max-memory)")
        else:
            message = f"the query process died (exit status {code})"
            print(f"kg serve: {message}", file=sys.stderr, flush=True)
        return HTTPStatus.SERVICE_UNAVAILABLE, _TEXT, f"{message}\n".encode()

    def kill(self) -> None:
        self.killed = True
        self.process.kill()
        self.process.wait()
        self._close_pipes()

    def ask_to_exit(self) -> None:
        self.closing = True
        try:
            self.requests.close()  # end of input: the worker closes the store and exits
        except OSError:
            pass

    def close(self, wait: float = 10) -> None:
        self.ask_to_exit()
        try:
            self.process.wait(wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.requests, self.answers):
            try:
                pipe.close()
            except OSError:
                pass


def _hung_up(client: socket.socket) -> bool:
    """Whether a readable client socket is at its end (not merely sending its next request)."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


_FRAME = struct.Struct("!Q")


def _write_frame(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_FRAME.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int):
    (size,) = _FRAME.unpack(_read_exactly(fd, _FRAME.size))
    return pickle.loads(_read_exactly(fd, size))


def _read_exactly(fd: int, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, min(size - len(data), 4 * MiB))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _worker_main() -> None:
    """A worker process: opens the store, then answers the requests framed on its stdin until
    the server closes it. Run by `_Worker`, never by hand."""
    # the server stops workers by closing their stdin; Ctrl-C in a terminal reaches the whole
    # process group, and must not cut a write short
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    config = json.loads(sys.argv[1])
    answers = config["answers"]
    _exit_with_parent()
    if resource is not None:
        try:  # an allocation past this fails, and aborts this process rather than the server
            resource.setrlimit(resource.RLIMIT_AS, (config["max_memory"], config["max_memory"]))
        except (ValueError, OSError):
            pass
    try:
        store = EmbeddedStore(Path(config["path"]), read_only=not config["writable"])
    except Exception as exc:  # noqa: BLE001 (anything at all goes back as the reason)
        _write_frame(answers, ("error", _message(exc)))
        return
    _write_frame(answers, ("ready",))
    try:
        while True:
            try:
                request = _read_frame(0)
            except EOFError:
                break
            try:
                answer = _answer(store, request, config)
            except Exception as exc:  # noqa: BLE001 (a bug of ours: one line to the client, and go on)
                answer = (HTTPStatus.INTERNAL_SERVER_ERROR, _TEXT,
                          f"internal error: {type(exc).__name__}: {_first_line(exc)}\n".encode())
            _write_frame(answers, answer)
    finally:
        store.close()


def _exit_with_parent() -> None:
    """Exits when the server is gone (killed with no chance to stop us): a query in progress
    would otherwise run on unwatched. Oxigraph releases the GIL while it evaluates."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class _TooLarge(Exception):
    pass


class _Capped:
    """A file for `serialize` that refuses to grow past `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _answer(store, request: dict, config: dict) -> tuple[int, str | None, bytes]:
    """One request's answer as (status, media type, body), in the worker."""
    text, update = request["text"], request["kind"] == "update"
    if not config["allow_service"]:
        found = remote_operation(text, update=update)
        if found:
            return (HTTPStatus.FORBIDDEN, _TEXT,
                    f"{found} is disabled: it makes the server fetch a URL the client chose "
                    f"(kg serve --allow-service allows it)\n".encode())
    try:
        if update:
            store.run_update(text)
            return HTTPStatus.NO_CONTENT, None, b""
        defaults = [ox.NamedNode(g) for g in request["default_graphs"]]
        named = [ox.NamedNode(g) for g in request["named_graphs"]]
        result = store.native.query(text, prefixes=PREFIXES, use_default_graph_as_union=not defaults,
                                    default_graph=defaults or None, named_graphs=named or None)
        if isinstance(result, ox.QueryTriples):
            media, fmt = _negotiate(request["accept"], _GRAPH_FORMATS, "application/n-triples")
        else:
            media, fmt = _negotiate(request["accept"], _RESULT_FORMATS, "application/sparql-results+json")
        out = _Capped(config["max_result"])
        result.serialize(out, format=fmt)
        return HTTPStatus.OK, media, out.getvalue()
    except _TooLarge:
        return (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _TEXT,
                f"the answer is over {config['max_result'] // MiB} MiB, the server's limit "
                f"(kg serve --max-result); narrow the query or add a LIMIT\n".encode())
    except MemoryError:
        return (HTTPStatus.SERVICE_UNAVAILABLE, _TEXT,
                f"stopped: the query needed more than {config['max_memory'] // MiB} MiB of memory, "
                f"the server's limit (kg serve --max-memory)\n".encode())
    except (SyntaxError, ValueError, RuntimeError) as exc:
        # RuntimeError: evaluation failed, e.g. a SERVICE answered with something not SPARQL
        return HTTPStatus.BAD_REQUEST, _TEXT, f"{_first_line(exc)}\n".encode()
    except OSError as exc:  # storage trouble: ours
        return HTTPStatus.INTERNAL_SERVER_ERROR, _TEXT, f"{_first_line(exc)}\n".encode()


# -- SERVICE and LOAD -------------------------------------------------------------------------
# SPARQL's lexical classes (SPARQL 1.1, section 19.8), for variables and prefixed names
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_TOKENS = re.compile("|".join([
    r"""(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)""",
    # a comment; Oxigraph ends it at \r or \n only, and ending it sooner only shows more as code
    r"#[^\r\n\x0b\x0c\x85\u2028\u2029]*",
    r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''",
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""',
    r"'(?:[^'\\\r\n]|\\.)*'",
    r'"(?:[^"\\\r\n]|\\.)*"',
    f"[?$]+(?:{_VARNAME})?",  # a variable (or the ? of a property path)
    f":(?:{_PN_LOCAL})?",  # the local part of a prefixed name; its prefix is left as code
    r"""(?P<code>[^<#'"?$:]+|<+(?=<)|.)""",
]), re.S)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def remote_operation(sparql: str, *, update: bool = False) -> str | None:
    """"SERVICE" or "LOAD" if the query (update) may use one, else None.

    Oxigraph cannot turn either off, and pyoxigraph exposes no parsed algebra, so this reads the
    text as SPARQL's lexer does: what is left once comments, strings, IRIs, variables and the
    local parts of prefixed names are set aside is keywords, prefixes, numbers and punctuation,
    and the keyword is looked for there, case-insensitively, glued to anything (Oxigraph reads
    `?s ?p trueSERVICE<u>{}` and `SERVICE:x {}` as SERVICE). It errs towards refusing: a prefix
    named like `service:` or `download:` is refused too.

    The one ambiguity is `<`: an IRI, or less-than (`FILTER(?a<?b)SERVICE#>`, with the `>` in a
    comment, is a SERVICE that an IRI-first lexer misses). An expression's `<` is always closed by
    a `)` before any keyword can follow, so an IRI with a keyword after a `)` is refused as well.
    The text is also read with \\u escapes decoded first, as SPARQL 1.1 allows a parser to do.
    """
    keywords = ("service", "load") if update else ("service",)
    decoded = _UCHAR.sub(lambda m: _codepoint(m[1] or m[2]), sparql)
    texts = {text for text in (sparql, decoded) if any(k in text.casefold() for k in keywords)}
    for text in texts:  # casefold() goes character by character: no keyword in all, none in a part
        for match in _TOKENS.finditer(text):
            code, iri = match["code"], match["iri"]
            if code is not None:
                found = next((k for k in keywords if k in code.casefold()), None)
            elif iri is not None and ")" in iri:
                found = next((k for k in keywords if k in iri[iri.index(")"):].casefold()), None)
            else:
                continue
            if found:
                return found.upper()
    return None


def _codepoint(hex_digits: str) -> str:
    try:
        return chr(int(hex_digits, 16))
    except (ValueError, OverflowError):
        return "\ufffd"


# -- small things -----------------------------------------------------------------------------
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
        if not neg_q < 0:  # q=0 (or NaN): not acceptable
            break
        if media in offers:
            return media, offers[media]
        if media in ("*/*", f"{default.split('/')[0]}/*"):
            return default, offers[default]
    return default, offers[default]


def _message(exc: BaseException) -> str:
    """An error's message, without the [E0x0] code a KgError's str() adds (it is added again)."""
    return _clip(str(exc.args[0])) if isinstance(exc, KgError) and exc.args else _first_line(exc)


def _first_line(exc: BaseException) -> str:
    return _clip(first_line(exc))


def _clip(text: str, size: int = 300) -> str:
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= size else text[: size - 3] + "..."
