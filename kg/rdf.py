"""Map one article's extraction to RDF: the article's own named graph.

Everything an article asserts lives in the graph named by the article's IRI: the article node,
its facts (events) with their mentions, which entities it mentions (`kg:mentionedIn`) and why
its names were linked to known entities, and the other names it gave them (`skos:altLabel`).
What is shared by all articles, the description of each entity (type, canonical label,
owl:sameAs) and of each time node, goes once into the
registry graph (`kg:registry`): written in the same transaction as the article, and garbage-
collected when no article uses it any more. Shared nodes described in every article's graph
would repeat their triples once per article in the union of graphs, and queries joining them
would multiply.

    event  a sem:Event, kg:Enact ;  kg:agent <entity> ;  kg:theme <entity|event> ;
           sem:hasTime <time> ;  prov:wasDerivedFrom <article> ;  gaf:denotedBy <mention>
    mention  nif:beginIndex / nif:endIndex into the article's nif:isString, nif:anchorOf the sentence
    time   kg:timexValue "2013-10" ; sem:hasEarliestBeginTimeStamp 2013-10-01 ; ...LatestEnd 2013-10-31
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import timex
from kg.lexicon import Lexicon
from kg.phrases import slug
from kg.types import (QUANTITY_ROLES, Argument, Article, Entity, Event, Extraction, Link, Quantity, TimeBound,
                      TimeExpr, article_id, short_hash)
from kg.vocab import ARTICLE, ENTITY, EVENT, GAF, KG, KIND_CLASSES, NIF, SEM, TIME, event_class

ROLE_PROPERTIES = {"agent": KG.agent, "theme": KG.theme, "recipient": KG.recipient, "place": SEM.hasPlace}


def article_iri(article: Article) -> URIRef:
    return ARTICLE[article_id(article)]


def article_iri_of(content_hash: str) -> URIRef:
    """The IRI `article_iri` gives the article with this content hash."""
    return ARTICLE[short_hash(content_hash)]


def time_iri(value: str) -> URIRef:
    return TIME[slug(value)]


def _add_entity(g: Graph, shared: Graph, entity: Entity, article: URIRef, links: Mapping[str, Link]) -> URIRef:
    link = links.get(entity.key) or Link(entity.key, entity.name)
    node = ENTITY[link.key]
    shared.add((node, RDF.type, KIND_CLASSES.get(link.kind or entity.type, SDO.Thing)))
    label = shared.value(node, RDFS.label)  # two descriptions may share a key ("Dozens", "dozens")
    if label is None:
        label = Literal(link.label)
        shared.add((node, RDFS.label, label))
    for alias in {entity.name, *entity.aliases} - {str(label)}:
        # other names stay with the article that used them: removing or re-reading the article
        # (after `kg split`) takes them away again
        g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((node, KG.mentionedIn, article))
    if link.same_as:
        shared.add((node, OWL.sameAs, URIRef(link.same_as)))
    if link.reason:
        record = URIRef(f"{article}#link-{slug(link.key)}")
        g.add((record, RDF.type, KG.EntityLink))
        g.add((record, KG.surfaceForm, Literal(entity.name)))
        g.add((record, KG.linkedTo, node))
        g.add((record, KG.reason, Literal(link.reason)))
        g.add((record, PROV.wasDerivedFrom, article))
    return node


def _add_time(g: Graph, tx: TimeExpr) -> URIRef:
    """The time node, described in `g` (the registry graph)."""
    node = time_iri(tx.value)
    g.add((node, RDF.type, SEM.Time))
    g.add((node, RDFS.label, Literal(tx.value)))
    g.add((node, KG.timexValue, Literal(tx.value)))
    g.add((node, KG.timexType, Literal(tx.type)))
    span = timex.bounds(tx.value)
    if span:
        g.add((node, SEM.hasEarliestBeginTimeStamp, Literal(span[0], datatype=XSD.date)))
        g.add((node, SEM.hasLatestEndTimeStamp, Literal(span[1], datatype=XSD.date)))
    grain = timex.granularity(tx.value)
    if grain:
        g.add((node, KG.granularity, Literal(grain)))
    return node


def _add_bound(g: Graph, bound: TimeBound) -> URIRef:
    """The node of a time known only by a bound (kg:TimeBound), in `g` (the registry graph)."""
    day, prop, word = ((bound.latest, SEM.hasLatestEndTimeStamp, "by") if bound.latest
                       else (bound.earliest, SEM.hasEarliestBeginTimeStamp, "from"))
    assert day is not None  # a bound has one of its two days
    node = TIME[f"{word}-{day.isoformat()}"]
    g.add((node, RDF.type, SEM.Time))
    g.add((node, RDF.type, KG.TimeBound))
    g.add((node, RDFS.label, Literal(f"{word} {day.isoformat()}")))
    g.add((node, prop, Literal(day, datatype=XSD.date)))
    return node


def _label(event: Event, links: Mapping[str, Link]) -> str:
    """A line a reader takes in at a glance: "Vladimir Putin told Reuters: everything was ..."."""
    def name(arg: Argument | None) -> str | None:
        if arg is not None and arg.entity is not None and arg.entity.key in links:
            return links[arg.entity.key].label
        return arg.name if arg else None

    head = " ".join(p for p in (name(event.agent), event.trigger, name(event.recipient)) if p)
    theme = name(event.theme)
    if theme:
        head += f": {theme}" if event.recipient and event.theme is not None and event.theme.entity is None else f" {theme}"
    if event.place:
        head += f" in {event.place.name}"
    return head


def _add_mention(g: Graph, node: URIRef, article: URIRef, text: str, start: int, end: int) -> None:
    mention = URIRef(f"{article}#char={start},{end}")
    g.add((node, GAF.denotedBy, mention))
    g.add((mention, RDF.type, NIF.String))
    g.add((mention, NIF.referenceContext, article))
    g.add((mention, NIF.anchorOf, Literal(text[start:end])))
    # xsd:integer, not NIF's nonNegativeInteger: Oxigraph stores derived integer types as integer
    g.add((mention, NIF.beginIndex, Literal(start, datatype=XSD.integer)))
    g.add((mention, NIF.endIndex, Literal(end, datatype=XSD.integer)))


QUANTITY_PROPERTIES = dict(zip(QUANTITY_ROLES, (KG.changeBy, KG.changeTo, KG.changeFrom, KG.amount)))


def _add_quantity(g: Graph, node: URIRef, quantity: Quantity) -> URIRef:
    """An amount as schema.org says it: a sum of money is a schema:MonetaryAmount with its ISO 4217
    currency, anything else a schema:QuantitativeValue (with unitText "percent" for a share)."""
    money = quantity.unit is not None and quantity.unit != "percent"
    g.add((node, RDF.type, SDO.MonetaryAmount if money else SDO.QuantitativeValue))
    g.add((node, SDO.value, Literal(Decimal(repr(quantity.value)).normalize(), datatype=XSD.decimal)))
    if money:
        g.add((node, SDO.currency, Literal(quantity.unit)))
    elif quantity.unit is not None:
        g.add((node, SDO.unitText, Literal(quantity.unit)))
    g.add((node, RDFS.label, Literal(quantity.text)))
    return node


def _add_event(g: Graph, shared: Graph, event: Event, node: URIRef, article: URIRef, text: str,
               links: Mapping[str, Link], extractor: str) -> None:
    g.add((node, RDF.type, SEM.Event))
    g.add((node, RDF.type, event_class(event.type)))
    g.add((node, RDFS.label, Literal(_label(event, links))))
    g.add((node, KG.trigger, Literal(event.trigger)))
    if event.predicate is not None:
        g.add((node, KG.predicate, Literal(event.predicate)))
    for k, quantity in enumerate(event.quantities, start=1):
        g.add((node, QUANTITY_PROPERTIES[quantity.role], _add_quantity(g, URIRef(f"{node}-q{k}"), quantity)))
    g.add((node, KG.confidence, Literal(Decimal(str(event.confidence)), datatype=XSD.decimal)))
    g.add((node, KG.asserted, Literal(event.asserted)))
    g.add((node, KG.extractor, Literal(extractor)))
    g.add((node, PROV.wasDerivedFrom, article))
    for start, end in sorted({(event.start, event.end), *event.mentions}):
        _add_mention(g, node, article, text, start, end)
    if event.time is not None:
        g.add((node, SEM.hasTime, _add_time(shared, event.time)))
    elif event.bound is not None:
        g.add((node, SEM.hasTime, _add_bound(shared, event.bound)))
    for role, prop in ROLE_PROPERTIES.items():
        arg: Argument | None = event.role(role)
        if arg is None:
            continue
        if arg.event is not None:
            inner = URIRef(f"{node}-{role}")
            _add_event(g, shared, arg.event, inner, article, text, links, extractor)
            g.add((node, prop, inner))
        elif arg.entity is not None:
            g.add((node, prop, _add_entity(g, shared, arg.entity, article, links)))
        if role == "theme":
            g.add((node, KG.themeText, Literal(arg.text)))


def _add_article(g: Graph, article: Article, node: URIRef, extractor: str) -> None:
    g.add((node, RDF.type, SDO.NewsArticle))
    g.add((node, RDF.type, NIF.Context))
    if article.title:
        g.add((node, SDO.headline, Literal(article.title)))
    if article.date:
        g.add((node, SDO.datePublished, Literal(article.date, datatype=XSD.date)))
    if article.url:
        g.add((node, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.author:
        g.add((node, SDO.author, Literal(article.author)))
    if article.source:
        g.add((node, KG.source, Literal(article.source)))
    g.add((node, KG.contentHash, Literal(article.content_hash)))
    g.add((node, KG.extractor, Literal(extractor)))  # analysed by other rules, it is analysed again
    g.add((node, NIF.isString, Literal(article.text)))


def event_classes_turtle(lexicon: Lexicon) -> str:
    """The lexicon's event types as OWL classes, in the layout of data/ontology.ttl."""
    blocks = []
    for t in lexicon.types.values():
        parent = f"kg:{t.parent}" if t.parent else "sem:Event"
        blocks.append(f"\nkg:{t.name} a owl:Class ;\n    rdfs:subClassOf {parent} ;\n"
                      f"    rdfs:label {Literal(t.label).n3()} ;\n    rdfs:comment {Literal(t.description).n3()} .\n")
    return "".join(blocks)


def type_hierarchy(lexicon: Lexicon, types: Iterable[str]) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The registry's triples that place event types in their families (kg:Enact rdfs:subClassOf
    kg:LawAndPolicy, up to sem:Event), for the given types and their ancestors: a query asks for a
    family with `?e a/rdfs:subClassOf* kg:LawAndPolicy`."""
    seen: set[str] = set()
    for name in types:
        while name not in seen and name in lexicon.types:
            seen.add(name)
            t = lexicon.types[name]
            yield event_class(name), RDF.type, OWL.Class
            yield event_class(name), RDFS.subClassOf, event_class(t.parent) if t.parent else SEM.Event
            yield event_class(name), RDFS.label, Literal(t.label)
            name = t.parent or ""


def to_graphs(extraction: Extraction, links: Mapping[str, Link] | None = None) -> tuple[Graph, Graph]:
    """The article's own named graph, and what it adds to the registry graph. `links` maps the
    article's entity keys to the entities they were linked to across articles (kg.entities)."""
    links = links or {}
    article = article_iri(extraction.article)
    # no prefix bindings: the store writes full IRIs, and binding costs more than the triples;
    # SimpleMemory: these graphs are written once and dropped, its adds are a third cheaper
    g = Graph(store="SimpleMemory", identifier=article)
    shared = Graph(store="SimpleMemory", identifier=KG.registry)
    _add_article(g, extraction.article, article, extraction.extractor)
    for entity in extraction.entities:
        _add_entity(g, shared, entity, article, links)
    for n, event in enumerate(extraction.facts, start=1):
        _add_event(g, shared, event, EVENT[f"{article_id(extraction.article)}-{n}"], article,
                   extraction.article.text, links, extraction.extractor)
    return g, shared
