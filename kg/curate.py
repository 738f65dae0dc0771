"""Looking up entities, and correcting the resolver: `kg entity`, `kg merge`, `kg split`.

A correction is data: a triple in the `kg:corrections` named graph, read by every ingest
(`kg.entities.load_index`). Applying it means analysing the affected articles again from the
text the store keeps (`nif:isString`), so the graph is always what the extractor plus the
corrections make of the articles, and deleting a correction and re-analysing undoes it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.term import Node
from spacy.language import Language

from kg.errors import QueryError
from kg.ingest import IngestReport, ingest
from kg.lexicon import Lexicon
from kg.query import NamedQuery, Param, bind
from kg.store import GraphStore
from kg.types import Article
from kg.vocab import KG, bind_prefixes

# exact (IRI, name, other name) matches first, then names containing the words; most mentioned first
_FIND = NamedQuery("find-entity", """
SELECT ?e ?label (MAX(?score) AS ?best) (COUNT(DISTINCT ?a) AS ?articles) WHERE {
  ?e kg:mentionedIn ?a ; rdfs:label ?label .
  OPTIONAL { ?e skos:altLabel ?alt }
  BIND(IF(STR(?e) = ?name || LCASE(?label) = LCASE(?name), 2,
          IF(COALESCE(LCASE(STR(?alt)) = LCASE(?name), false), 1, 0)) AS ?score)
  FILTER(?score > 0 || CONTAINS(CONCAT(" ", LCASE(?label), " "), CONCAT(" ", LCASE(?name), " ")))
} GROUP BY ?e ?label ORDER BY DESC(?best) DESC(?articles) ?label""", "", (Param("name", "text", None, ""),))

_DESCRIBE = NamedQuery("describe-entity", """
SELECT ?label ?alt ?class ?same ?article ?headline ?date WHERE {
  { ?entity rdfs:label ?label } UNION { ?entity skos:altLabel ?alt } UNION { ?entity a ?class }
  UNION { ?entity owl:sameAs ?same }
  UNION { ?entity kg:mentionedIn ?article . OPTIONAL { ?article schema:headline ?headline }
          OPTIONAL { ?article schema:datePublished ?date } }
}""", "", (Param("entity", "iri", None, ""),))

_ROLES = NamedQuery("entity-roles", """
SELECT ?role ?type ?event ?time ?headline WHERE {
  ?e ?p ?entity ; a sem:Event ; kg:asserted true ; rdfs:label ?event ; prov:wasDerivedFrom ?a .
  VALUES (?p ?role) { (kg:agent "agent") (kg:theme "theme") (kg:recipient "recipient") (sem:hasPlace "place") }
  ?e a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  OPTIONAL { ?a schema:headline ?headline }
  OPTIONAL { ?e sem:hasTime/kg:timexValue ?time }
} ORDER BY ?role ?time""", "", (Param("entity", "iri", None, ""),))

_LINKS = NamedQuery("entity-links", """
SELECT ?name ?reason ?headline WHERE {
  ?l a kg:EntityLink ; kg:linkedTo ?entity ; kg:surfaceForm ?name ; kg:reason ?reason ; prov:wasDerivedFrom ?a .
  OPTIONAL { ?a schema:headline ?headline }
} ORDER BY ?name""", "", (Param("entity", "iri", None, ""),))

_ARTICLES_MENTIONING = NamedQuery("articles-mentioning", """
SELECT DISTINCT ?a WHERE { ?entity kg:mentionedIn ?a }""", "", (Param("entity", "iri", None, ""),))

_STORED_ARTICLE = NamedQuery("stored-article", """
SELECT ?text ?headline ?date ?url ?author ?source WHERE {
  ?article nif:isString ?text .
  OPTIONAL { ?article schema:headline ?headline } OPTIONAL { ?article schema:datePublished ?date }
  OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article schema:author ?author }
  OPTIONAL { ?article kg:source ?source }
}""", "", (Param("article", "iri", None, ""),))


@dataclass(frozen=True)
class EntityReport:
    iri: str
    label: str
    names: tuple[str, ...]
    kinds: tuple[str, ...]
    same_as: tuple[str, ...]
    roles: tuple[tuple[str, ...], ...]  # (role, event type, event, time, article)
    articles: tuple[tuple[str, str], ...]  # (headline, date)
    links: tuple[tuple[str, str, str], ...]  # (name, reason, article): why names were linked here


def _rows(store: GraphStore, query: NamedQuery, **params: str):
    return store.query(bind(query, params)).rows


def _text(term) -> str:
    return "" if term is None else str(term)


def find_entities(store: GraphStore, name: str) -> list[tuple[str, str, int, int]]:
    """(IRI, label, match, articles) of the entities a name may mean, best first: match 2 for
    the IRI or name, 1 for another name, 0 for a name containing the words."""
    return [(str(e), str(label), int(best), int(n)) for e, label, best, n in _rows(store, _FIND, name=name)]


def find_entity(store: GraphStore, name: str) -> str:
    """The entity a name most likely means: the one exact match, or among several exact matches
    the most mentioned, or the one entity whose name contains the words; else an error."""
    found = find_entities(store, name)
    best = max((f[2] for f in found), default=0)
    exact = [f for f in found if f[2] == best and best > 0]
    if exact and (len(exact) == 1 or exact[0][3] > exact[1][3]):
        return exact[0][0]
    if not exact and len(found) == 1:
        return found[0][0]
    if not found:
        raise QueryError(f"no entity is called {name!r}")
    options = "; ".join(f"{label} <{iri}>" for iri, label, _, _ in (exact or found)[:5])
    raise QueryError(f"{name!r} may mean {len(exact or found)} entities, give the name or IRI of one: {options}")


def describe(store: GraphStore, iri: str) -> EntityReport:
    label, names, kinds, same, articles = "", set(), set(), set(), set()
    for lab, alt, cls, same_as, article, headline, date in _rows(store, _DESCRIBE, entity=iri):
        label = label or _text(lab)
        if alt is not None:
            names.add(str(alt))
        if cls is not None:
            kinds.add(str(cls).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        if same_as is not None:
            same.add(str(same_as))
        if article is not None:
            articles.add((_text(headline) or str(article), _text(date)))
    roles = tuple(tuple(_text(v) for v in row) for row in _rows(store, _ROLES, entity=iri))
    links = tuple((_text(name), _text(reason), _text(headline))
                  for name, reason, headline in _rows(store, _LINKS, entity=iri))
    return EntityReport(iri, label, tuple(sorted(names - {label})), tuple(sorted(kinds)), tuple(sorted(same)),
                        roles, tuple(sorted(articles, key=lambda a: (a[1], a[0]))), links)


def stored_article(store: GraphStore, iri: str) -> Article:
    """The article as it was ingested, rebuilt from what the store keeps (same content hash)."""
    rows = _rows(store, _STORED_ARTICLE, article=iri)
    if not rows:
        raise QueryError(f"no stored text for article {iri}")
    text, headline, date, url, author, source = rows[0]
    return Article(text=str(text), title=_text(headline) or None,
                   date=dt.date.fromisoformat(str(date)) if date is not None else None,
                   url=_text(url) or None, author=_text(author) or None, source=_text(source) or None)


def _record(store: GraphStore, triples: Iterable[tuple[Node, Node, Node]],
            drop: Iterable[tuple[Node | None, Node | None, Node | None]] = ()) -> None:
    """Add (and drop) correction triples (None in one to drop matches any term): the
    corrections graph is rewritten in one transaction."""
    graph = Graph(identifier=KG.corrections)
    bind_prefixes(graph)
    for s, p, o in store.query("SELECT ?s ?p ?o WHERE { GRAPH kg:corrections { ?s ?p ?o } }").rows:
        assert s is not None and p is not None and o is not None  # a triple pattern binds all three
        graph.add((s, p, o))
    for triple in drop:
        graph.remove(triple)
    for triple in triples:
        graph.add(triple)
    store.replace_graph(graph)


def reanalyse(store: GraphStore, articles: list[str], *, nlp: Language, lexicon: Lexicon) -> IngestReport:
    unique = list(dict.fromkeys(articles))
    return ingest([stored_article(store, a) for a in unique], store, nlp=nlp, lexicon=lexicon, force=True)


def merge(store: GraphStore, keep: str, other: str, *, nlp: Language, lexicon: Lexicon) -> IngestReport:
    """Make `other` the same entity as `keep`: its names mean `keep` from now on."""
    if keep == other:
        raise QueryError("an entity cannot be merged with itself")
    affected = [str(r[0]) for r in _rows(store, _ARTICLES_MENTIONING, entity=other)]
    name = describe(store, other).label
    _record(store, [(URIRef(other), KG.mergedInto, URIRef(keep)), (URIRef(other), RDFS.label, Literal(name)),
                    (URIRef(other), KG.reason, Literal("merged by a user"))],
            drop=[(URIRef(keep), KG.keptApartFrom, Literal(name.lower()))])
    return reanalyse(store, affected, nlp=nlp, lexicon=lexicon)


def split(store: GraphStore, name: str, entity: str, *, nlp: Language, lexicon: Lexicon) -> IngestReport:
    """Undo a link: the name `name` must not mean `entity` (any more)."""
    affected = [str(r[0]) for r in _rows(store, _ARTICLES_MENTIONING, entity=entity)]
    merged = store.query("SELECT ?s ?label WHERE { GRAPH kg:corrections { ?s kg:mergedInto ?t ; rdfs:label ?label } }").rows
    undo = [triple for s, label in merged if str(label).lower() == name.lower()
            for triple in ((s, KG.mergedInto, URIRef(entity)), (s, RDFS.label, label), (s, KG.reason, None))]
    _record(store, [(URIRef(entity), KG.keptApartFrom, Literal(name.lower()))], drop=undo)
    affected += [str(r[0]) for s, _ in merged for r in _rows(store, _ARTICLES_MENTIONING, entity=str(s))]
    return reanalyse(store, affected, nlp=nlp, lexicon=lexicon)
