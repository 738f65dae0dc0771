"""Where the triples live. Only this package knows; everything else talks to `GraphStore`.

`open_store(location)` picks the backend from the location: a folder path is an embedded
Oxigraph store (created on first write).
"""
from __future__ import annotations

from pathlib import Path

from kg.store.base import GraphStore, QueryResult

DEFAULT_LOCATION = "kg-store"


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> GraphStore:
    location = str(location or DEFAULT_LOCATION)
    if location.startswith(("http://", "https://")):
        from kg.errors import StoreError

        raise StoreError(f"{location}: SPARQL endpoint stores are not supported in this version; give a folder path")
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(location), read_only=read_only)


__all__ = ["GraphStore", "QueryResult", "open_store", "DEFAULT_LOCATION"]
