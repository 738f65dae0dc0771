"""Put articles into a store: skip what is there already, analyse the rest in one stream,
write each article's graph in its own transaction."""
from __future__ import annotations

import threading
from contextlib import closing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from spacy.language import Language

from kg.corroborate import same_event_links
from kg.entities import load_index
from kg.lexicon import Lexicon
from kg.pipeline import batches, extract_many, extractor_name
from kg.rdf import article_iri, article_iri_of, to_graphs, type_hierarchy
from kg.store import GraphStore
from kg.types import Article

T = TypeVar("T")
LOOKUP_CHUNK = 64  # articles per store look-up; small enough that ingest still streams


@dataclass
class IngestReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    removed: int = 0  # records deleted from a file of several since it was last ingested
    reanalysed: int = 0  # stored articles analysed again: another lexicon or extractor, or forced
    facts: int = 0
    triples: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.replaced} replaced", f"{self.unchanged} unchanged"]
        if self.reanalysed:
            parts.append(f"{self.reanalysed} re-analysed")
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return f"articles: {', '.join(parts)}; facts: {self.facts}; triples written: {self.triples}"


def ingest(articles: Iterable[Article], store: GraphStore, *, nlp: Language, lexicon: Lexicon,
           n_process: int = 1, on_article: Callable[[Article], None] | None = None,
           force: bool = False, whole_files: Mapping[str, frozenset[str]] | None = None) -> IngestReport:
    """Ingest articles; an article already stored with the same content, analysed by this
    extractor with this lexicon, is not analysed again; one analysed with other rules is (so a
    store never mixes old and new rules), and a new version of a file or URL replaces the old
    version's facts. `force` analyses stored articles again (after a correction).

    A file of several records (JSON list, JSON lines) holds one article per record, each known
    by its content. `whole_files` names the files of records read whole in this run, with the
    content hashes of all their records (the caller may fill it while `articles` is read); once
    every record of such a file is stored, the articles stored from it earlier with other
    content (records since edited or deleted) are removed. A file read in part removes nothing."""
    report = IngestReport()
    extractor = extractor_name(lexicon)
    again: set[str] = set()  # content hashes of stored articles analysed anew
    replaces: dict[str, tuple] = {}
    processed: set[str] = set()  # content hashes stored or found unchanged in this run
    added_from: Counter[str] = Counter()  # records newly stored, by file
    # articles are read (and found unchanged) in the parsing thread, stored in this one:
    # `on_article` hears from both, one at a time
    seen = threading.Lock()

    def done(article: Article) -> None:
        if on_article:
            with seen:
                on_article(article)
    index = load_index(store)  # the entities earlier articles named, to link this run's to them

    def new_ones() -> Iterator[Article]:
        # what the store holds is looked up for a chunk of articles at a time: two queries per
        # chunk rather than two per article (each a round trip to a server store)
        for chunk in batches(articles, LOOKUP_CHUNK):
            stored = store.article_versions(article_iri(a) for a in chunk)
            earlier = store.articles_from_sources({key for a in chunk if (key := _source_key(a))})
            for article in chunk:
                iri = article_iri(article)
                version = stored.get(iri)
                if (version == (article.content_hash, extractor) and not force) or article.content_hash in processed:
                    processed.add(article.content_hash)  # a record repeated in a file is one article
                    report.unchanged += 1
                    done(article)
                    continue
                processed.add(article.content_hash)
                if version is not None:
                    again.add(article.content_hash)
                replaces[article.content_hash] = tuple(g for g in earlier.get(_source_key(article) or "", ()) if g != iri)
                yield article

    # closed on any error, so that the parse thread or processes stop before the error is reported
    with closing(extract_many(new_ones(), nlp, lexicon, n_process=n_process)) as extractions:
        for extraction in extractions:
            article = extraction.article
            links = {e.key: index.link(e) for e in extraction.participants()}
            graph, shared = to_graphs(extraction, links)
            for kind in type_hierarchy(lexicon, {fact.type for fact in extraction.facts}):
                shared.add(kind)
            for triple in same_event_links(store, graph, shared, lexicon):
                graph.add(triple)
            drop = replaces.pop(article.content_hash, ())
            store.replace_graph(graph, drop=drop, shared=shared)
            if article.content_hash in again:
                report.reanalysed += 1
            else:
                report.replaced += bool(drop)
                report.added += not drop
            if article.record is not None and article.source:
                added_from[article.source] += 1
            report.facts += len(extraction.facts)
            report.triples += len(graph) + len(shared)
            for entity in extraction.entities:
                link = links[entity.key]
                index.add(link.key, link.label, entity.type, {entity.name, *entity.aliases})
            done(article)
    for source, hashes in (whole_files or {}).items():
        if hashes <= processed:
            _remove_stale_records(store, source, hashes, added_from[source], report)
    return report


def _remove_stale_records(store: GraphStore, source: str, hashes: frozenset[str], added: int,
                          report: IngestReport) -> None:
    """Remove the articles stored from `source` whose content is none of its records' now. An
    edited record counts as replaced (its new version was added), a deleted one as removed."""
    current = {article_iri_of(h) for h in hashes}
    stale = [g for g in store.articles_from_source(source) if g not in current]
    for graph in stale:
        store.remove_graph(graph)
    edited = min(len(stale), added)
    report.added -= edited
    report.replaced += edited
    report.removed += len(stale) - edited


def _source_key(article: Article) -> str | None:
    """The file or URL whose earlier versions this article replaces in its own transaction:
    none for standard input, nor for a record of a file of several (see `whole_files`)."""
    if article.record is not None and not article.url:
        return None
    key = article.url or article.source
    return key if key and key != "-" else None


def with_overrides(article: Article, **fields) -> Article:
    """The article with CLI-given metadata (--date, --title, --url) in place of the file's."""
    given = {k: v for k, v in fields.items() if v is not None}
    if "title" in given and article.title:
        # the analysed text starts with the title; keep text and title consistent
        body = article.text[len(article.title):].lstrip("\n")
        given["text"] = f"{given['title']}\n\n{body}"
    elif "title" in given:
        given["text"] = f"{given['title']}\n\n{article.text}"
    return replace(article, **given) if given else article
