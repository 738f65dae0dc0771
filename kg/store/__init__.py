"""Where the triples live. Only this package knows; everything else talks to `GraphStore`.

`open_store(location)` picks the backend from the location: an http:// or https:// URL is a
SPARQL 1.1 endpoint (a server; updates go to `update_url`), anything else a folder holding an
embedded Oxigraph store (created on first write). Backends are imported when opened, so that
`kg --help` does not pay for them.
"""
from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kg.errors import KgError, QueryError, StoreError
from kg.store.base import GraphStore, QueryResult

T = TypeVar("T")

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


def _in_child(work: Callable[[GraphStore], T], location, pipe) -> None:
    try:
        store = open_store(location, read_only=True)
        try:
            pipe.send(("ok", work(store)))
        finally:
            store.close()
    except KgError as exc:
        pipe.send(("error", exc))
    finally:
        pipe.close()


def read_in_child(location, work: Callable[[GraphStore], T], seconds: float | None = None) -> T:
    """`work(store)` for the store at `location`, opened read-only in a child process: killed
    after `seconds` (neither Oxigraph nor a server stops a query it has begun), and a crash in
    native code (a damaged store can make RocksDB abort the process) is an error, not our end."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_in_child, args=(work, location, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            child.kill()
            raise QueryError(f"query stopped after {seconds:g} s (--timeout); narrow it or allow more time")
        try:
            status, value = receive.recv()
        except EOFError:  # the child died without a word
            child.join()
            raise StoreError(f"reading the store at {location} crashed the reading process ({_death(child.exitcode)}): "
                             f"the store may be damaged (run `kg check`), or memory ran out") from None
    finally:
        if child.is_alive():  # interrupted (Ctrl-C) while waiting: the child goes too
            child.kill()
        child.join()
    if status == "error":
        raise value
    return value


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


def query_with_timeout(location, sparql: str, seconds: float | None) -> QueryResult:
    """Run a read query in a child process (see `read_in_child`), stopped after `seconds`."""
    return read_in_child(location, lambda store: store.query(sparql), seconds)


__all__ = ["GraphStore", "QueryResult", "open_store", "is_endpoint", "query_with_timeout", "read_in_child",
           "DEFAULT_LOCATION"]
