"""Where the triples live. Only this package knows; everything else talks to `GraphStore`.

`open_store(location)` picks the backend from the location: an http:// or https:// URL is a
SPARQL 1.1 endpoint (a server; updates go to `update_url`), anything else a folder holding an
embedded Oxigraph store (created on first write). Backends are imported when opened, so that
`kg --help` does not pay for them.
"""
from __future__ import annotations

from pathlib import Path

from kg.errors import KgError, QueryError
from kg.store.base import GraphStore, QueryResult

DEFAULT_LOCATION = "kg-store"


def is_endpoint(location: str | Path) -> bool:
    return str(location).startswith(("http://", "https://"))


def open_store(location: str | Path | None = None, *, read_only: bool = False,
               update_url: str | None = None) -> GraphStore:
    """The store at `location`. For a server, `update_url` defaults to the location's own
    `update_url` attribute (the CLI's --store value carries --update-url that way), else to the
    query URL with a final /query made /update, else the query URL itself."""
    location = location or DEFAULT_LOCATION
    if is_endpoint(location):
        from kg.store.sparql import SparqlStore

        return SparqlStore(str(location), update_url=update_url or getattr(location, "update_url", None),
                           read_only=read_only)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(location), read_only=read_only)


def _query_in_child(location, sparql: str, pipe) -> None:
    try:
        store = open_store(location, read_only=True)
        try:
            pipe.send(("ok", store.query(sparql)))
        finally:
            store.close()
    except KgError as exc:
        pipe.send(("error", exc))
    finally:
        pipe.close()


def query_with_timeout(location, sparql: str, seconds: float) -> QueryResult:
    """Run a read query, stopping it after `seconds`: the query runs in a child process that
    is killed on time-out, since neither Oxigraph nor a server stops a query it has begun."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_query_in_child, args=(location, sparql, send), daemon=True)
    child.start()
    send.close()
    if not receive.poll(seconds):
        child.kill()
        child.join()
        raise QueryError(f"query stopped after {seconds:g} s (--timeout); narrow it or allow more time")
    status, value = receive.recv()
    child.join()
    if status == "error":
        raise value
    return value


__all__ = ["GraphStore", "QueryResult", "open_store", "is_endpoint", "query_with_timeout", "DEFAULT_LOCATION"]
