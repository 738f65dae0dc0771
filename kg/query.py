"""Named SPARQL queries and safe parameters.

A named query is a `.rq` file in `queries/` whose header comments describe it:

    # Who enacted which law, and when.
    # param agent: text = ""            only agents whose name contains this
    # param from: date = "0001-01-01"   earliest date

Parameters are bound as RDF terms: the value becomes an rdflib Literal (or URIRef) and its
N-Triples form replaces the variable wherever it occurs as a variable token in the query, the
substitution SPARQL's SEP-0007 describes. A value can therefore never add syntax to a query:
quotes, braces and semicolons stay inside the literal. A parameter the user does not give takes
its declared default (one without a default is required).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.errors import QueryError
from kg.resources import queries_dir

# Tokens the substitution must step over: strings (all four quote forms), IRIs, comments.
_SPARQL_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*)'
    r"|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)"
)
_PARAM_LINE = re.compile(r'#\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:=\s*"([^"]*)")?\s*(.*)')
PARAM_TYPES = ("text", "date", "iri", "integer", "decimal", "boolean", "entity")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # None: the parameter is required
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: tuple[Param, ...]
    path: Path | None = None


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    description, params = "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM_LINE.match(line)
        if m:
            if m[2] not in PARAM_TYPES:
                raise QueryError(f"{name}: parameter {m[1]!r} has unknown type {m[2]!r} ({', '.join(PARAM_TYPES)})")
            default = m[3] if m[3] is not None else None
            params.append(Param(m[1], m[2], default, m[4].strip()))
        elif not description and line.strip("# ").strip():
            description = line.strip("# ").strip()
    return NamedQuery(name, text, description, tuple(params), path)


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    directory = directory or queries_dir()
    return {p.stem: parse_header(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.rq"))}


def find_query(spec: str, directory: Path | None = None) -> NamedQuery:
    """A named query, a path to a .rq file, or inline SPARQL."""
    known = named_queries(directory)
    if spec in known:
        return known[spec]
    if spec.endswith((".rq", ".sparql")):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"no such query file: {spec}")
        return parse_header(path.stem, path.read_text(encoding="utf-8"), path)
    if re.search(r"\b(select|ask|construct|describe)\b", spec, re.I):
        return parse_header("inline", spec)
    close = difflib.get_close_matches(spec, list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg queries` lists them"
    raise QueryError(f"unknown query {spec!r}{hint}")


# what may stand between < and > in SPARQL: a scheme, a colon, no space, quote or bracket
IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]*", re.I)


def to_term(value: str, kind: str) -> Identifier:
    """A parameter value as an RDF term of the declared type."""
    if kind == "date":
        try:
            return Literal(dt.date.fromisoformat(value), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"{value!r} is not a date (use YYYY-MM-DD)") from None
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"{value!r} is not an integer")
        return Literal(int(value))
    if kind == "boolean":
        if value.lower() not in _BOOLEANS:
            raise QueryError(f"{value!r} is not true or false")
        return Literal(_BOOLEANS[value.lower()])
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)", value):
            raise QueryError(f"{value!r} is not a number")
        return Literal(Decimal(value), datatype=XSD.decimal)
    if kind in ("iri", "entity") and IRI.fullmatch(value):
        return URIRef(value)
    if kind == "iri":
        raise QueryError(f"{value!r} is not an IRI")
    return Literal(value)


def bind(query: NamedQuery, raw: dict[str, str]) -> str:
    """The query text with parameters substituted as RDF terms."""
    declared = {p.name: p for p in query.params}
    unknown = set(raw) - set(declared)
    if unknown and query.name != "inline":
        takes = ", ".join(declared) or "no parameters"
        raise QueryError(f"{query.name} has no parameter {sorted(unknown)[0]!r} (it takes: {takes})")
    terms: dict[str, Identifier] = {}
    for param in query.params:
        if param.name in raw:
            terms[param.name] = to_term(raw[param.name], param.type)
        elif param.default is not None:
            terms[param.name] = to_term(param.default, param.type)
        else:
            raise QueryError(f"{query.name} needs --param {param.name}=... ({param.help})")
    for name in unknown:  # inline queries: bind whatever is given, as text
        terms[name] = Literal(raw[name])
    if not terms:
        return query.text

    def substitute(m: re.Match) -> str:
        var = m["var"]
        if var and var[1:] in terms:
            return terms[var[1:]].n3()
        return m[0]

    return _SPARQL_TOKENS.sub(substitute, query.text)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise QueryError(f"--param takes NAME=VALUE, not {pair!r}")
        out[name] = value
    return out
