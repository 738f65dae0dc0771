"""The embedded store: Oxigraph on disk, opened in-process, nothing to start.

Writes go through pyoxigraph's `update`, which commits all or nothing, so an article is either
wholly in the store or not at all, even if the process is killed mid-write. rdflib reaches the
same store through oxrdflib (used for exports in formats only rdflib writes, like JSON-LD).
"""
from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError, StoreError
from kg.resources import data_file
from kg.store.base import ArticleLookups, QueryResult, remove_update, replace_update, turtle
from kg.vocab import ARTICLE, PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_FLUSH_EVERY = 32 * 1024 * 1024  # a few hundred articles' worth of RDF text
_LOCKED = re.compile(r"lock|resource temporarily unavailable|in use", re.I)
_WRITER_FILE = "kg-writer.pid"


def _writer(path: Path) -> str:
    try:
        return f" (PID {int((path / _WRITER_FILE).read_text(encoding='ascii'))})"
    except (OSError, ValueError):
        return ""


def _to_rdflib(term) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a plain string; rdflib writes it without ^^xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return Literal(str(term))


class EmbeddedStore(ArticleLookups):
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        self.read_only = read_only
        self._unflushed = 0  # characters written since the last flush
        try:
            if read_only:
                if not path.exists():
                    raise StoreError(f"no store at {path} (ingest some articles first, or give --store)")
                self._store = ox.Store.read_only(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
                # who holds the write lock, for the error the next writer gets
                (path / _WRITER_FILE).write_text(str(os.getpid()), encoding="ascii")
        except OSError as exc:
            if _LOCKED.search(str(exc)):
                raise StoreError(f"store at {path} is in use by another kg process{_writer(path)}; "
                                 f"try again when it has finished (reading works meanwhile)") from None
            raise StoreError(f"cannot open store at {path}: {exc}") from None

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself (for `kg serve`, and benchmarks that bypass kg)."""
        return self._store

    # -- reads ----------------------------------------------------------------------------------
    def query(self, sparql: str) -> QueryResult:
        try:
            result = self._store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(_syntax_message(exc)) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {first_line(exc)}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            # rows repeat their terms (the same article, type, entity): convert each term once,
            # as making an rdflib Literal (which parses its value) costs more than the lookup
            seen: dict = {}

            def term(t):
                out = seen.get(t)
                if out is None and t is not None:
                    out = seen[t] = _to_rdflib(t)
                return out

            rows = tuple(tuple(term(sol[n]) for n in names) for sol in result)
            return QueryResult(variables=names, rows=rows)
        graph = Graph()
        for t in result:
            graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
        return QueryResult(graph=graph)

    def export(self, fmt: str) -> bytes:
        return dump(self._store, fmt)

    def named_graphs(self) -> list[URIRef]:
        """The article graphs (not kg's own registry and corrections graphs)."""
        return [URIRef(g.value) for g in self._store.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value.startswith(str(ARTICLE))]

    def __len__(self) -> int:
        return len(self._store)

    def check(self) -> int:
        """Read every index of the store and check that they agree; the number of quads. A
        damaged block (RocksDB checks each block's checksum as it reads it) or two indexes that
        disagree raise StoreError. Oxigraph keeps each quad in several indexes (by subject, by
        predicate, by object, by graph...): a scan of all quads reads only one, so each pattern
        below is asked once per value it can take, which reads every key of every index."""
        store = self._store
        # keyed by the terms' N-Triples text (pyoxigraph terms that are equal may hash apart):
        # the pattern, and how many quads it must find
        expected: dict[tuple, list] = {}
        total = 0
        try:
            for quad in store.quads_for_pattern(None, None, None, None):
                total += 1
                s, p, o, g = quad.subject, quad.predicate, quad.object, quad.graph_name
                for pattern in ((None, p, None, None), (None, None, o, None), (None, None, None, g),
                                (None, p, None, g), (None, None, o, g), (s, None, None, None)):
                    key = tuple(None if t is None else str(t) for t in pattern)
                    expected.setdefault(key, [pattern, 0])[1] += 1
            for key, (pattern, count) in expected.items():
                # only the quads that match: pyoxigraph 0.5 answers an integer object with its
                # neighbours too (767 finds 804 and 931), so the index is read further, not less
                found = sum(1 for q in store.quads_for_pattern(*pattern)
                            if all(k is None or k == str(t) for k, t in zip(key, _terms(q))))
                if found != count:
                    raise StoreError(f"the store at {self.location} is damaged: its indexes disagree "
                                     f"({found} quads where {count} were expected)")
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"the store at {self.location} is damaged: {first_line(exc)}") from None
        return total

    # -- writes ---------------------------------------------------------------------------------
    def replace_graph(self, graph: Graph, drop: tuple[URIRef, ...] = (), shared: Graph | None = None) -> None:
        name = ox.NamedNode(graph.identifier)
        if drop or self._store.contains_named_graph(name):
            # the drops, the insert and the garbage collection in one transaction
            self._update(replace_update(graph, drop, shared, collect=True))
            return
        # A new graph (the usual case in ingest): `load` is one transaction as well, and parses
        # TriG about twice as fast as `update` parses the same triples in INSERT DATA.
        trig = f"{graph.identifier.n3()} {{\n{turtle(graph)}}}\n"
        if shared is not None and len(shared):
            trig += f"{shared.identifier.n3()} {{\n{turtle(shared)}}}\n"
        try:
            self._store.load(trig.encode("utf-8"), format=ox.RdfFormat.TRIG)
        except OSError as exc:
            raise self._write_failed(exc) from None
        self._written(len(trig))

    def run_update(self, sparql: str) -> None:
        """A client's SPARQL update (`kg serve --writable`), kg's prefixes declared: one
        transaction, and the write buffers flushed as in an ingest. pyoxigraph's SyntaxError or
        ValueError for a bad update pass through."""
        self._store.update(sparql, prefixes=PREFIXES)
        self._written(len(sparql))

    def remove_graph(self, name: URIRef) -> bool:
        if not any(g == name for g in self.named_graphs()):
            return False
        self._update(remove_update(name))
        return True

    def _update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except OSError as exc:
            raise self._write_failed(exc) from None
        self._written(len(sparql))

    def _written(self, size: int) -> None:
        """Flush RocksDB's write buffers every _FLUSH_EVERY characters written. Left alone, they
        grow to over a gigabyte in a long ingest (measured: 1 GB of RSS after 5,000 articles,
        370 MB with flushing), as Oxigraph gives each of its dozen indexes large buffers."""
        self._unflushed += size
        if self._unflushed >= _FLUSH_EVERY:
            self._flush()
            self._unflushed = 0

    def _flush(self) -> None:
        try:
            self._store.flush()
        except OSError as exc:  # a full disk: what is committed stays whole (RocksDB's log)
            raise self._write_failed(exc) from None

    def _write_failed(self, exc: OSError) -> StoreError:
        if exc.errno == errno.ENOSPC or "no space left" in str(exc).lower():
            return StoreError(f"cannot write to the store at {self.location}: the disk is full; every article "
                              f"written before is stored whole (free some space and run the same command again)")
        return StoreError(f"write to {self.location} failed: {first_line(exc)}")

    def close(self) -> None:
        if not hasattr(self, "_store"):
            return  # closed already (a failed flush closes too)
        try:
            if not self.read_only:
                self._flush()
        finally:
            if not self.read_only:
                (Path(self.location) / _WRITER_FILE).unlink(missing_ok=True)
            del self._store



def _terms(quad: ox.Quad) -> tuple:
    return quad.subject, quad.predicate, quad.object, quad.graph_name


def dump(store: ox.Store, fmt: str) -> bytes:
    """A pyoxigraph store serialised: natively with its named graphs (trig, nquads), else the
    union of all graphs as one rdflib Graph (turtle, nt, json-ld)."""
    if fmt in ("nquads", "trig"):
        native = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG
        data = store.dump(format=native, prefixes=None if fmt == "nquads" else PREFIXES)
        assert data is not None  # pyoxigraph returns the bytes when given no output file
        return data
    merged = Graph()
    for prefix, iri in PREFIXES.items():
        merged.bind(prefix, iri, override=True)
    for quad in store.quads_for_pattern(None, None, None):
        merged.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    if fmt == "json-ld":
        # compacted with kg's context (data/context.jsonld): "agent", "label", "time" for full IRIs
        context = json.loads(data_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
        return merged.serialize(format=fmt, encoding="utf-8", context=context, auto_compact=True)
    return merged.serialize(format=fmt, encoding="utf-8")


def _syntax_message(exc: BaseException | str, line_offset: int = 0) -> str:
    """"error at 1:21: expected one of <forty alternatives>" -> a line a person can read."""
    text = exc if isinstance(exc, str) else first_line(exc)
    where = re.search(r"(\d+):(\d+)", text)
    detail = re.sub(r"^error at \d+:\d+:\s*", "", text)
    if len(detail) > 60:
        detail = detail[:57].rstrip() + "..."
    position = f" at line {int(where[1]) - line_offset}, column {where[2]}" if where else ""
    return f"SPARQL syntax error{position}: {detail}"


def first_line(exc: BaseException) -> str:
    """An error's first line (libraries' messages run on over several)."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
