"""Errors kg raises, each with a stable code so users and tests can grep for it.

Library code raises these; only `kg.cli` turns them into one readable line and a non-zero exit.
"""
from __future__ import annotations


class KgError(Exception):
    """Base of every error kg reports to a user."""

    code = "E000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class ArticleError(KgError):
    """An input file or text cannot be read as an article (empty, binary, too large, malformed)."""

    code = "E010"


class LexiconError(KgError):
    """A data file (trigger lexicon, word list) is malformed; the message names file and line."""

    code = "E020"


class ModelError(KgError):
    """The spaCy model named by --model / KG_MODEL is not installed."""

    code = "E030"


class StoreError(KgError):
    """The store cannot be opened, is locked by another process, or a write failed."""

    code = "E040"


class QueryError(KgError):
    """A SPARQL query is unknown, malformed, or got a bad parameter."""

    code = "E050"


class ViewError(KgError):
    """The graph view cannot be built (e.g. the filters leave nothing to draw)."""

    code = "E060"


class FetchError(KgError):
    """A web page or feed cannot be fetched or holds no article (HTTP error, timeout, too large,
    not English, no article text); the message names the URL."""

    code = "E070"
