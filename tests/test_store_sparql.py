"""The SPARQL server backend, for real: an Oxigraph server (the `oxigraph` package, a test extra)
on a free loopback port, and the kg CLI run against it. Every answer must be the one the embedded
store gives for the same articles. Failures (server down, 5xx, timeouts, bad queries) are tried
on small local stubs; `kg serve` is tried by pointing kg at it."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.errors import QueryError, StoreError
from kg.store.sparql import SparqlStore, default_update_url

from conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow
runner = CliRunner()
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
BREXIT = "Thousands march in anti-Brexit protest, London"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def running(argv: list[str], url: str) -> Iterator[str]:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """An empty Oxigraph server; its query endpoint's URL (updates go to .../update)."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    argv = [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with running(argv, f"http://127.0.0.1:{port}/query") as url:
        yield url


def kg(*args: str, store) -> str:
    result = runner.invoke(cli, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def loaded(server) -> str:
    first = kg("ingest", str(SAMPLES), store=server)
    assert "5 added" in first
    return server


# -- the CLI on a server answers as on the embedded store ---------------------------------------
def test_reingest_is_idempotent(loaded):
    assert "articles: 0 added, 0 replaced, 5 unchanged; facts: 0; triples written: 0" in kg(
        "ingest", str(SAMPLES), store=loaded)


@pytest.mark.parametrize("args", [
    ("query", "who-enacted", "--format", "json"),
    ("query", "who-called-for", "--format", "json"),
    ("query", "timeline", "--param", "from=1990-01-01", "--param", "to=2014-12-31", "--format", "json"),
    ("query", "sources", "--param", "event=Putin", "--format", "json"),
    ("query", "SELECT ?law WHERE { ?l a schema:Legislation ; rdfs:label ?law } ORDER BY ?law", "--format", "csv"),
    ("stats", "--format", "json"),
])
def test_reads_match_the_embedded_store(loaded, sample_store, args):
    assert kg(*args, store=loaded) == kg(*args, store=sample_store)


def test_view_and_export(loaded, sample_store, tmp_path):
    assert kg("view", "-o", str(tmp_path / "a.html"), store=loaded) == kg(
        "view", "-o", str(tmp_path / "a.html"), store=sample_store)
    kg("export", "--format", "trig", "-o", str(tmp_path / "server.trig"), store=loaded)
    kg("export", "--format", "trig", "-o", str(tmp_path / "embedded.trig"), store=sample_store)
    server, embedded = (set(ox.parse(path=tmp_path / f"{name}.trig", format=ox.RdfFormat.TRIG))
                        for name in ("server", "embedded"))
    assert server == embedded and len(server) > 1000
    assert len(kg("export", "--format", "turtle", store=loaded)) > 10_000


def test_a_real_process(loaded):
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "who-enacted", "--format", "json"],
                          env={"KG_STORE": loaded, "PATH": ""}, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {"who": "Kay Ivey", "law": "Alabama Human Life Protection Act", "time": "2019-05-15",
            "article": "Governor of US state of Alabama signs state anti-abortion measure"} in json.loads(proc.stdout)


def test_remove_then_ingest_again(loaded):
    before = json.loads(kg("stats", "--format", "json", store=loaded))
    assert kg("remove", BREXIT, store=loaded).strip() == "removed 1 article(s)"
    after = json.loads(kg("stats", "--format", "json", store=loaded))
    assert after[0] == {"what": "articles", "count": 4}
    assert not SparqlStore(loaded).remove_graph(URIRef("https://w3id.org/kg-news/article/0000000000000000"))
    assert "1 added, 0 replaced, 4 unchanged" in kg("ingest", str(SAMPLES), store=loaded)
    assert json.loads(kg("stats", "--format", "json", store=loaded)) == before


def test_a_malformed_query_gives_the_servers_message(loaded):
    result = runner.invoke(cli, ["query", "SELECT ?x WHERE { ?x", "--store", loaded])
    assert result.exit_code == 1
    assert result.output.startswith("Error: [E050] SPARQL syntax error at line 1, column 21: expected")


def test_store_api(loaded):
    store = SparqlStore(loaded)
    graphs = store.named_graphs()
    assert len(graphs) == 5 and len(store) > 1000
    hashes = store.article_hashes(graphs)
    assert set(hashes) == set(graphs) and store.article_hash(graphs[0]) == hashes[graphs[0]]
    assert store.query("ASK { ?a a schema:NewsArticle }").boolean is True
    construct = store.query("CONSTRUCT { ?a a schema:NewsArticle } WHERE { ?a a schema:NewsArticle }")
    assert construct.graph is not None and len(construct.graph) == 5


# -- failures ------------------------------------------------------------------------------------
def test_server_down_is_one_line_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(cli, ["query", "who-enacted", "--store", url])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: [E040] cannot reach the SPARQL endpoint {url}: connection refused (is the server running?)"]
    proc = subprocess.run([sys.executable, "-m", "kg", "stats", "--store", url], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and url in proc.stderr and "Traceback" not in proc.stderr


class Stub:
    """A scripted SPARQL endpoint: answers in turn with the (status, body) it is given (after
    the script, the last answer again), and records what it was sent."""

    def __init__(self, answers: list[tuple[int, str]], *, delay: float = 0.0, server: str = "Stub/1") -> None:
        self.answers, self.delay, self.server_name = answers, delay, server
        self.requests: list[str] = []

    @contextmanager
    def serving(self) -> Iterator[str]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                stub.requests.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
                status, body = stub.answers[min(len(stub.requests), len(stub.answers)) - 1]
                time.sleep(stub.delay)
                data = body.encode()
                self.send_response(status)
                self.send_header("Server", stub.server_name)
                self.send_header("Content-Type", "application/sparql-results+json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/query"
        finally:
            httpd.shutdown()
            httpd.server_close()


HASHES = json.dumps({"head": {"vars": ["g", "h"]}, "results": {"bindings": [
    {"g": {"type": "uri", "value": "https://w3id.org/kg-news/article/a"}, "h": {"type": "literal", "value": "abc"}}]}})


def test_a_5xx_is_retried_until_it_succeeds():
    stub = Stub([(503, "busy"), (502, "restarting"), (200, HASHES)])
    with stub.serving() as url:
        store = SparqlStore(url, backoff=0.01)
        assert store.article_hashes([URIRef("https://w3id.org/kg-news/article/a")]) == {
            URIRef("https://w3id.org/kg-news/article/a"): "abc"}
    assert len(stub.requests) == 3


def test_retries_give_up_with_the_servers_answer():
    stub = Stub([(500, "disk full\nat line 3")])
    with stub.serving() as url:
        with pytest.raises(StoreError, match=r"update refused by .*/update: 500 Internal Server Error: disk full$"):
            SparqlStore(url, retries=2, backoff=0.01).replace_graph(Graph(identifier=URIRef("urn:x")))
    assert len(stub.requests) == 3
    assert stub.requests[0].startswith("update=DROP+SILENT+GRAPH+%3Curn%3Ax%3E")


def test_a_rejected_query_is_not_retried():
    stub = Stub([(200, '{"boolean": false}'), (400, "Parse error: unexpected '}'\n  detail")])
    with stub.serving() as url:
        with pytest.raises(QueryError, match=r"^\[E050\] query rejected: Parse error: unexpected '}'$"):
            SparqlStore(url).query("SELECT * WHERE { ?s ?p ?o }")
    assert len(stub.requests) == 2  # the union check, then the query once


def test_a_server_that_does_not_answer_times_out():
    stub = Stub([(200, HASHES)], delay=2)
    with stub.serving() as url:
        with pytest.raises(StoreError, match=rf"cannot reach the SPARQL endpoint {url}: no answer within 0.3 s"):
            SparqlStore(url, timeout=0.3).article_hash(URIRef("urn:x"))


def test_a_default_graph_that_is_not_the_union_is_reported():
    stub = Stub([(200, '{"boolean": true}')])
    with stub.serving() as url:
        with pytest.raises(StoreError, match="default graph is not the union of the named graphs"):
            SparqlStore(url).query("SELECT * WHERE { ?s ?p ?o }")


def test_update_url_defaults():
    assert default_update_url("http://localhost:7878/query") == "http://localhost:7878/update"
    assert default_update_url("http://localhost:3030/news/query") == "http://localhost:3030/news/update"
    assert default_update_url("http://localhost:8890/sparql") == "http://localhost:8890/sparql"
    result = runner.invoke(cli, ["remove", "x", "--store", "http://127.0.0.1:1/query",
                                 "--update-url", "http://127.0.0.1:1/statements"])
    assert "http://127.0.0.1:1/query" in result.output and result.exit_code == 1


# -- kg serve ------------------------------------------------------------------------------------
def test_kg_serve_read_only(sample_store, tmp_path):
    port = free_port()
    argv = [sys.executable, "-m", "kg", "serve", "--store", str(sample_store), "--port", str(port)]
    with running(argv, f"http://127.0.0.1:{port}/query") as url:
        args = ("query", "who-enacted", "--format", "json")
        assert kg(*args, store=url) == kg(*args, store=sample_store)
        refused = runner.invoke(cli, ["remove", BREXIT, "--store", url])
        assert refused.exit_code == 1 and "403 Forbidden: this endpoint is read-only" in refused.output
        request = urllib.request.Request(url, data=b"query=SELECT+%3Fh+WHERE+%7B+%3Fa+schema%3Aheadline+%3Fh+%7D",
                                         headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers.get_content_type() == "text/csv"
            assert response.read().decode().splitlines()[0] == "h"


def test_kg_serve_writable(tmp_path):
    port = free_port()
    argv = [sys.executable, "-m", "kg", "serve", "--store", str(tmp_path / "s"), "--port", str(port), "--writable"]
    with running(argv, f"http://127.0.0.1:{port}/query") as url:
        assert "5 added" in kg("ingest", str(SAMPLES), store=url)
        assert kg("remove", BREXIT, store=url).strip() == "removed 1 article(s)"
        assert json.loads(kg("stats", "--format", "json", store=url))[0]["count"] == 4
