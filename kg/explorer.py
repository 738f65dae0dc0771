"""What the explorer's coordinated views read: the facts, entities and articles of a view graph as
plain tables (the network's own drawing data is kg.view's).

The page draws three views of one set of facts: the network, a timeline and an entity panel, all
filtered together. They need each fact's time (value, span or bound), family, confidence,
article, sentence and roles, and each entity's names, kind and "possibly the same as"
candidates, keyed by the node numbers the network uses. Everything here is untrusted article
text except the numbers; the page only ever sets it as text. Article links are kept only for
http(s) URLs, so a `javascript:` source can never become a link.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

FACT = "Fact"
ROLE_ORDER = ("agent", "theme", "recipient", "place")


def explorer_data(graph: nx.MultiDiGraph, index: Mapping[Hashable, int]) -> dict[str, Any]:
    """The tables the page's timeline, panel, filters and CSV download read.

    `index` numbers the graph's nodes as the network's drawing data does, so a fact row and its
    network node share one id.
    """
    articles: dict[str, int] = {}
    article_rows: list[dict[str, Any]] = []
    facts = []
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") != FACT:
            continue
        article_key = _text(attrs.get("article_id")) or _text(attrs.get("article"))
        if article_key not in articles:
            articles[article_key] = len(article_rows)
            article_rows.append({
                "title": _text(attrs.get("article")) or article_key,
                "iri": article_key,
                "url": web_url(attrs.get("article_url")),
                "date": _day(attrs.get("article_date")),
            })
        row = article_rows[articles[article_key]]
        row["url"] = row["url"] or web_url(attrs.get("article_url"))  # any fact of it may carry them
        row["date"] = row["date"] or _day(attrs.get("article_date"))
        facts.append(_fact_row(graph, node, attrs, index, articles[article_key]))
    facts.sort(key=lambda f: (f["begin"] or f["latest"] or f["earliest"] or "9999", f["iri"]))
    entities = [
        {
            "n": index[node],
            "iri": _text(node),
            "label": _text(attrs.get("label")) or str(node),
            "kind": _text(attrs.get("kind")) or "Thing",
            "names": names(attrs),
            "candidates": [
                [index[other], _text(reason)]
                for other, reason in attrs.get("candidates") or ()
                if other in index
            ],
        }
        for node, attrs in graph.nodes(data=True)
        if attrs.get("kind") != FACT
    ]
    families = sorted({str(f["family"]) for f in facts})
    kinds = sorted({str(e["kind"]) for e in entities})
    return {"facts": facts, "entities": entities, "articles": article_rows,
            "families": families, "kinds": kinds}


def _fact_row(graph: nx.MultiDiGraph, node: Hashable, attrs: dict[str, Any],
              index: Mapping[Hashable, int], article: int) -> dict[str, Any]:
    roles: list[tuple[int, str, int]] = []
    role: Any
    for u, _, role in graph.in_edges(node, data="role"):
        if graph.nodes[u].get("kind") != FACT:
            roles.append((_role_rank(role), _text(role), index[u]))
    for _, v, role in graph.out_edges(node, data="role"):
        if graph.nodes[v].get("kind") != FACT:
            roles.append((_role_rank(role), _text(role), index[v]))
    confidence = attrs.get("confidence")
    return {
        "n": index[node],
        "iri": _text(node),
        "type": _text(attrs.get("event_type")),
        "family": _text(attrs.get("family")) or "Other events",
        "text": _text(attrs.get("description")) or _text(attrs.get("label")),
        "time": _text(attrs.get("time")) or None,
        "begin": _day(attrs.get("time_begin")),
        "end": _day(attrs.get("time_end")),
        # a time known only by a bound: "by" the article's date (told in the past), or "from" a day
        "latest": _day(attrs.get("bound_latest")),
        "earliest": _day(attrs.get("bound_earliest")),
        "conf": None if confidence is None else round(float(confidence), 3),
        "article": article,
        "sentence": _text(attrs.get("sentence")),
        "roles": [[name, n] for _, name, n in sorted(roles)],
    }


def _role_rank(role: Any) -> int:
    name = _text(role)
    return ROLE_ORDER.index(name) if name in ROLE_ORDER else len(ROLE_ORDER)


def web_url(value: Any) -> str | None:
    """`value` if it is an absolute http(s) URL, else None: the only links the page may draw."""
    url = text(value).strip()
    if not url or any(c.isspace() or ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def as_date(value: Any) -> dt.date | None:
    """The day of a date, a datetime or the start of an ISO string; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _day(value: Any) -> str | None:
    """`as_date` as an ISO day (YYYY-MM-DD), as the page compares them."""
    day = as_date(value)
    return day.isoformat() if day else None


def names(attrs: dict[str, Any]) -> list[str]:
    """Label then aliases, cleaned and without duplicates."""
    found = [text(attrs.get("label")), *(text(a) for a in as_list(attrs.get("aliases")))]
    return list(dict.fromkeys(c for c in (clean(n) for n in found) if c))


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    """Drop what cannot be written as UTF-8 (lone surrogates) or shown (control characters)."""
    return _CONTROLS.sub("", _SURROGATES.sub("\ufffd", value)).strip()


def _text(value: Any) -> str:
    """Article text as the page may show it."""
    return clean(text(value))
