"""`kg serve` against hostile clients and hostile web pages.

Each test reproduces one finding of the security review on the server as users run it (`kg serve`
in a process of its own, its stderr captured), or in-process where a limit has to be made small:
cross-site writes (6), requests on a client's behalf through SERVICE and LOAD (7), queries and
connections that exhaust the server (8), and requests that got a traceback for an answer (9).
The browser's side of 6 is in test_serve_browser.py.

Time limits are far from the queries' real cost (seconds against minutes), so a loaded machine
passes them too."""
from __future__ import annotations

import http.client
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.vocab import ARTICLE, PREFIXES

TRIPLES = 1400
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# minutes of work over 1,400 triples (2.7e9 rows), in little memory
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# the review's query: ORDER BY makes Oxigraph hold every row, gigabytes within a second
HUGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a"


# -- a store, a server, requests --------------------------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """1,400 triples in 20 article graphs, written with pyoxigraph directly (no model needed)."""
    path = tmp_path_factory.mktemp("serve") / "store"
    native = ox.Store(str(path))
    native.extend(ox.Quad(ox.NamedNode(f"https://example.org/e{a}-{i % 10}"), ox.NamedNode(f"https://example.org/p{i % 7}"),
                          ox.Literal(f"value {a}-{i}"), ox.NamedNode(f"{ARTICLE}{a}"))
                  for a in range(20) for i in range(TRIPLES // 20))
    native.flush()
    del native
    return path


def copy_of(store: Path, tmp_path: Path) -> Path:
    """A store of the test's own, for a writable server (it holds the store's lock)."""
    target = tmp_path / "store"
    shutil.copytree(store, target)
    return target


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    stderr: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextmanager
def kg_serve(store: Path, *options: str) -> Iterator[Served]:
    """`kg serve` on a free port: the port is read from its start-up line."""
    argv = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *options]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        for line in process.stderr:
            lines.append(line.rstrip("\n"))
            started.set()
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        started.wait(60)
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/query", lines[0] if lines else "")
        assert match, f"kg serve did not start: {lines}"
        yield Served(match[1], process, lines)
    finally:
        stop(process)
        reader.join(10)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@contextmanager
def in_process(store: Path, **limits) -> Iterator[str]:
    """The server in this process, for limits `kg serve` has no option for."""
    from kg.store.server import Limits, make_server

    server = make_server(store, port=0, limits=Limits(**limits))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


def call(url: str, method: str = "GET", path: str = "/", body: bytes | str | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> Answer:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def query(url: str, sparql: str, timeout: float = 60, **headers: str) -> Answer:
    return call(url, "POST", "/query", urllib.parse.urlencode({"query": sparql}),
                {"Content-Type": "application/x-www-form-urlencoded", **headers}, timeout=timeout)


def update(url: str, sparql: str, **headers: str) -> Answer:
    return call(url, "POST", "/update", urllib.parse.urlencode({"update": sparql}),
                {"Content-Type": "application/x-www-form-urlencoded", **headers})


def count(url: str) -> int:
    answer = query(url, COUNT)
    assert answer.status == 200, answer.text
    return int(json.loads(answer.text)["results"]["bindings"][0]["n"]["value"])


def one_line(answer: Answer) -> bool:
    return answer.text.endswith("\n") and answer.text.count("\n") == 1 and "Traceback" not in answer.text


# -- servers shared by several tests ----------------------------------------------------------
@pytest.fixture(scope="module")
def writable(store, tmp_path_factory) -> Iterator[Served]:
    with kg_serve(copy_of(store, tmp_path_factory.mktemp("writable")), "--writable") as served:
        yield served


@pytest.fixture(scope="module")
def read_only(store) -> Iterator[Served]:
    with kg_serve(store) as served:
        yield served


# -- 6. cross-site writes ---------------------------------------------------------------------
def test_updates_a_web_page_could_send_are_refused(writable):
    url, port = writable.url, writable.port
    other = f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    drop = urllib.parse.urlencode({"update": "DROP ALL"})
    attacks = {
        # a form on another origin (another loopback port is another origin) or a file: page
        "foreign Origin": (403, form | {"Origin": other}, drop, "/update"),
        "Origin null": (403, form | {"Origin": "null"}, drop, "/update"),
        "foreign Referer": (403, form | {"Referer": f"{other}/attack.html"}, drop, "/update"),
        # <form enctype=text/plain> or fetch(no-cors) with the update in the URL
        "text/plain": (415, {"Content-Type": "text/plain"}, "x=y", "/update?update=DROP%20ALL"),
        "multipart": (415, {"Content-Type": "multipart/form-data; boundary=b"},
                      '--b\r\nContent-Disposition: form-data; name="update"\r\n\r\nDROP ALL\r\n--b--\r\n', "/update"),
        "no content type": (415, {}, "DROP ALL", "/update"),
        "update in the URL": (400, form, "", "/update?update=DROP%20ALL"),
        # a page that passed a CORS preflight would send this; there is no preflight to pass
        "sparql-update from a page": (403, {"Content-Type": "application/sparql-update", "Origin": other},
                                      "DROP ALL", "/update"),
        # DNS rebinding: the page's own name, re-pointed at 127.0.0.1
        "rebound name": (421, {"Content-Type": "application/sparql-update", "Host": f"evil.example:{port}"},
                         "DROP ALL", "/update"),
        "another port's name": (421, {"Content-Type": "application/sparql-update", "Host": other[7:]},
                                "DROP ALL", "/update"),
    }
    for name, (status, headers, body, path) in attacks.items():
        answer = call(url, "POST", path, body, headers)
        assert (answer.status, name) == (status, name), answer.text
        assert one_line(answer), name
        assert "Access-Control-Allow-Origin" not in answer.headers, name
    assert call(url, "GET", "/query?query=ASK%7B%7D", headers={"Host": f"evil.example:{port}"}).status == 421
    assert count(url) == TRIPLES


def test_kg_and_sparql_clients_still_update(writable):
    """Forms with no Origin (kg's own client, curl), application/sparql-update, and the
    server's own origin are updates as before."""
    url = writable.url
    triple = "<https://example.org/x> <https://example.org/y> 1"
    assert update(url, f"INSERT DATA {{ GRAPH <{ARTICLE}new> {{ {triple} }} }}").status == 204
    assert count(url) == TRIPLES + 1
    answer = call(url, "POST", "/update", f"DELETE DATA {{ GRAPH <{ARTICLE}new> {{ {triple} }} }}",
                  {"Content-Type": "application/sparql-update; charset=utf-8", "Origin": url})
    assert answer.status == 204, answer.text
    assert count(url) == TRIPLES
    from rdflib import Graph, Literal, URIRef

    from kg.store.sparql import SparqlStore

    graph = Graph(identifier=URIRef(f"{ARTICLE}kg-client"))
    graph.add((URIRef("https://example.org/x"), URIRef("https://example.org/y"), Literal(1)))
    client = SparqlStore(f"{url}/query")
    client.replace_graph(graph)
    assert count(url) == TRIPLES + 1
    assert client.remove_graph(graph.identifier)
    assert count(url) == TRIPLES


# -- 7. SERVICE and LOAD ----------------------------------------------------------------------
class Recorder:
    """A loopback HTTP server that notes who called: the target of SERVICE or LOAD. /html
    answers with a web page, anything else with one empty SPARQL solution."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.hits.append(self.path)
                html = self.path.startswith("/html")
                body = b"<html><body>hello</body></html>" if html else \
                    b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if html else "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    r = Recorder()
    yield r
    r.close()


def service_queries(r: str) -> list[str]:
    """Queries that Oxigraph does send to `r`, in spellings a substring match would miss."""
    return [
        f"SELECT * WHERE {{ SERVICE <{r}/sparql> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{r}/a> {{ }} }}",
        f"SELECT * {{ ?s ?p ?o . sErViCe <{r}/b> {{ }} }}",
        f"PREFIX : <{r}/> SELECT * {{ SERVICE:c {{ }} }}",  # the keyword glued to a prefixed name
        f"SELECT * {{ ?s ?p ?o . FILTER(?o<?o)SERVICE#>\n<{r}/d> {{ }} }}",  # '<...>' is not an IRI here
        f"SELECT * {{ ?s ?p ?o.SERVICE<{r}/e>{{}} }}",
        f'SELECT * {{ ?s ?p "x"SERVICE<{r}/f>{{}} }}',
        f"SELECT * {{ #comment\rSERVICE <{r}/g> {{ }} }}",  # a comment ends at a bare CR
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{r}/h> {{ }} }} }}",
    ]


def load_updates(r: str) -> list[str]:
    return [
        f"LOAD <{r}/data.nt>",
        f"load silent <{r}/data.nt> into graph <https://example.org/g>",
        f"CLEAR SILENT GRAPH <https://example.org/none>;LOAD<{r}/data.nt>",
        f"INSERT {{ <https://example.org/a> <https://example.org/b> ?o }} WHERE {{ SERVICE <{r}/i> {{ }} }}",
    ]


def harmless(r: str) -> list[str]:
    """Queries that only look like SERVICE or LOAD to a naive reader."""
    return [
        f'SELECT ?service WHERE {{ ?service ?p ?o }} # SERVICE <{r}/x> {{ }}',
        f'SELECT * WHERE {{ ?s ?p "SERVICE <{r}/x> {{ }}" }}',
        f"SELECT * WHERE {{ ?s ?p '''LOAD <{r}/x>''' }}",
        "SELECT * WHERE { ?s a schema:Service ; schema:serviceType ?load }",
        "SELECT * WHERE { ?s <https://example.org/service#load> ?o FILTER(?o < 3) }",
    ]


def test_the_detector_finds_what_oxigraph_would_fetch(recorder):
    """Every spelling is first shown to make Oxigraph fetch the URL, then to be caught."""
    from kg.store.server import remote_operation

    memory = ox.Store()
    memory.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o")))
    for sparql in service_queries(recorder.url) + load_updates(recorder.url):
        is_update = sparql in load_updates(recorder.url)
        recorder.hits.clear()
        try:
            if is_update:
                memory.update(sparql)
            else:
                list(memory.query(sparql, prefixes=PREFIXES))
        except (RuntimeError, OSError):
            pass  # the answer is not what Oxigraph wanted; the request was made all the same
        assert recorder.hits, f"Oxigraph did not fetch: {sparql!r}"
        assert remote_operation(sparql, update=is_update), sparql
    for sparql in harmless(recorder.url):
        recorder.hits.clear()
        list(memory.query(sparql, prefixes=PREFIXES))
        assert not recorder.hits
        assert remote_operation(sparql) is None, sparql


def test_service_and_load_are_refused_by_default(read_only, writable, recorder):
    for sparql in service_queries(recorder.url):
        recorder.hits.clear()
        answer = query(read_only.url, sparql)
        assert answer.status == 403 and "--allow-service" in answer.text and one_line(answer), sparql
        assert not recorder.hits, sparql
    for sparql in harmless(recorder.url):
        assert query(read_only.url, sparql).status == 200, sparql
    for sparql in load_updates(recorder.url):
        recorder.hits.clear()
        answer = update(writable.url, sparql)
        assert answer.status == 403 and one_line(answer), sparql
        assert not recorder.hits, sparql
    assert count(writable.url) == TRIPLES


# -- 9. one line, never a traceback -----------------------------------------------------------
def test_bad_requests_get_one_line_and_the_server_prints_nothing(store, recorder):
    with kg_serve(store, "--allow-service") as served:
        url = served.url
        bad = [
            call(url, "GET", "/query?" + urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": "not an iri"})),
            call(url, "GET", "/query?" + urllib.parse.urlencode({"query": "ASK {}", "named-graph-uri": "<x>"})),
            call(url, "POST", "/query", b"query=ASK%7B%7D&x=\xff\xfe",
                 {"Content-Type": "application/x-www-form-urlencoded"}),
            call(url, "POST", "/query", b"query=%FF", {"Content-Type": "application/x-www-form-urlencoded"}),
            call(url, "POST", "/query", b"ASK {}", {"Content-Type": "application/sparql-query", "Content-Length": "abc"}),
            call(url, "POST", "/query", b"ASK {}", {"Content-Type": "application/sparql-query", "Content-Length": "-1"}),
            query(url, f"SELECT * WHERE {{ SERVICE <{recorder.url}/html> {{ ?s ?p ?o }} }}"),
            query(url, "SELECT * WHERE { SERVICE ?unbound { ?s ?p ?o } }"),
            query(url, "SELECT * WHERE { ?s ?p }"),
        ]
        for answer in bad:
            assert answer.status == 400 and one_line(answer), answer
        # allowed, SERVICE works
        recorder.hits.clear()
        assert query(url, f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ }} }}").status == 200
        assert recorder.hits == ["/sparql"]
    assert served.process.returncode == 0
    assert served.stderr[1:] == ["stopped"], served.stderr


# -- 8. limits --------------------------------------------------------------------------------
def test_a_runaway_query_or_update_is_stopped_and_the_store_goes_on(store, tmp_path):
    with kg_serve(copy_of(store, tmp_path), "--writable", "--timeout", "2") as served:
        url = served.url
        began = time.monotonic()
        answer = query(url, SLOW)
        assert answer.status == 503 and "time limit" in answer.text and one_line(answer)
        assert time.monotonic() - began < 60
        answer = update(url, f"INSERT {{ GRAPH <{ARTICLE}copy> {{ ?a ?b ?c }} }} "
                             f"WHERE {{ GRAPH ?x {{ ?a ?b ?c }} GRAPH ?y {{ ?d ?e ?f }} GRAPH ?z {{ ?g ?h ?i }} }}")
        assert answer.status == 503 and one_line(answer), answer.text
        assert count(url) == TRIPLES  # the update was one transaction, never committed
        assert update(url, f"INSERT DATA {{ GRAPH <{ARTICLE}new> {{ <https://example.org/x> <https://example.org/y> 1 }} }}"
                      ).status == 204
        assert count(url) == TRIPLES + 1
    assert served.process.returncode == 0


def test_memory_result_size_and_a_departed_client(store):
    with kg_serve(store, "--max-memory", "1024", "--timeout", "300", "--max-queries", "1", "--max-result", "1") as served:
        url = served.url
        began = time.monotonic()
        answer = query(url, HUGE)
        assert answer.status == 503 and "memory" in answer.text and one_line(answer), answer.text
        assert time.monotonic() - began < 60
        answer = query(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000")  # about 10 MB of JSON
        assert answer.status == 413 and "--max-result" in answer.text and one_line(answer)
        # a client that leaves: its query (minutes of work) must not hold the only worker
        with send_query(served.port, SLOW):
            time.sleep(1.5)
        began = time.monotonic()
        assert count(url) == TRIPLES
        assert time.monotonic() - began < 30  # not the 300 s the query had left
    assert served.process.returncode == 0


def send_query(port: int, sparql: str) -> socket.socket:
    """A query sent on a socket of its own, its answer left unread."""
    client = socket.create_connection(("127.0.0.1", port))
    body = urllib.parse.urlencode({"query": sparql})
    client.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: "
                   f"application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n{body}".encode())
    return client


def test_queries_beyond_the_limit_get_503_not_a_queue(store):
    with in_process(store, max_queries=1, queue_wait=1, timeout=60) as url:
        with send_query(int(url.rsplit(":", 1)[1]), SLOW):  # holds the only worker for a minute
            deadline, answer = time.monotonic() + 30, None
            while time.monotonic() < deadline:  # the slow query may not have the worker yet
                answer = query(url, "ASK {}", timeout=30)
                if answer.status == 503:
                    break
            assert answer.status == 503 and "busy" in answer.text and answer.headers["Retry-After"]
        assert query(url, "ASK {}").status == 200  # the slow query's client left: it was stopped


def test_slowloris_neither_stalls_other_clients_nor_stays(store):
    """200 connections that say nothing, or half a request: other clients are answered, and the
    server hangs up on the silent ones (here after 2 s; `kg serve` waits 10 s)."""
    with in_process(store, idle_timeout=2) as url:
        port = int(url.rsplit(":", 1)[1])
        idle = []
        try:
            for n in range(200):
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                if n % 2:
                    connection.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
                idle.append(connection)
            for _ in range(10):
                began = time.monotonic()
                assert count(url) == TRIPLES
                assert time.monotonic() - began < 10
            deadline = time.monotonic() + 30
            for connection in idle:
                connection.settimeout(max(0.1, deadline - time.monotonic()))
                assert connection.recv(100) == b""  # closed by the server, with nothing to say
        finally:
            for connection in idle:
                connection.close()


def test_a_burst_of_50_clients_is_queued_not_refused(read_only):
    """The server is stopped (SIGSTOP) while 50 clients connect: only the kernel's accept queue
    holds them, and with the standard library's default of 5 the 7th connection is dropped."""
    port, request = read_only.port, f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{read_only.port}\r\n\r\n"
    clients = []
    os.kill(read_only.process.pid, signal.SIGSTOP)
    try:
        for _ in range(50):
            client = socket.create_connection(("127.0.0.1", port), timeout=2)
            client.sendall(request.encode())
            clients.append(client)
    finally:
        os.kill(read_only.process.pid, signal.SIGCONT)
    for client in clients:
        client.settimeout(60)
        assert client.recv(100).startswith(b"HTTP/1.1 200 ")
        client.close()


def test_request_bodies_are_bounded_across_connections(read_only):
    """Three clients announce 200 MiB each (and send nothing): two fit in the server's 512 MiB
    budget for bodies being received, the third is refused at once, not buffered."""
    port = read_only.port
    head = (f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {200 * 1024 * 1024}\r\n\r\n").encode()
    clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(3)]
    try:
        with selectors.DefaultSelector() as selector:
            for client in clients:
                client.sendall(head)
                selector.register(client, selectors.EVENT_READ)
            selector.select(10)  # the first answer
            time.sleep(1)  # and any other about to come
            answered = [key.fileobj.recv(200) for key, _ in selector.select(0)]
        assert len(answered) == 1 and answered[0].startswith(b"HTTP/1.1 503 "), answered
    finally:
        for client in clients:
            client.close()
    assert count(read_only.url) == TRIPLES


def test_sigterm_and_ctrl_c_stop_cleanly_and_release_the_store(store, tmp_path):
    path = copy_of(store, tmp_path)
    for sig in (signal.SIGTERM, signal.SIGINT):
        with kg_serve(path, "--writable") as served:
            assert update(served.url, f"INSERT DATA {{ GRAPH <{ARTICLE}{sig}> {{ <https://example.org/x> "
                                       f"<https://example.org/y> 1 }} }}").status == 204
            assert stop(served.process, sig) == 0
        assert served.stderr[-1] == "stopped", served.stderr
    native = ox.Store(str(path))  # the lock is free, and both writes are there
    assert len(native) == TRIPLES + 2
