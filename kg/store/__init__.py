"""Where the triples live. Only this package knows; everything else talks to `GraphStore`.

`open_store(location)` picks the backend from the location: an http:// or https:// URL is a
SPARQL 1.1 endpoint (a server; updates go to `update_url`), anything else a folder holding an
embedded Oxigraph store (created on first write). Backends are imported when opened, so that
`kg --help` does not pay for them.
"""
from __future__ import annotations

from pathlib import Path

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


__all__ = ["GraphStore", "QueryResult", "open_store", "is_endpoint", "DEFAULT_LOCATION"]
