"""The namespaces kg writes, as closed rdflib vocabularies (a misspelt term fails at import),
and the one prefix table used for Turtle output and SPARQL queries alike.

The terms are documented in `data/ontology.ttl`; `tests/test_vocab.py` checks the two agree.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

BASE = "https://w3id.org/kg-news/"


class KG(DefinedNamespace):
    """kg's own terms: roles, time and provenance details. The event types are data
    (`data/lexicon/types.jsonl`, see `event_class`)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # entity kinds that schema.org lacks
    Group: URIRef  # a nationality, a religious or political group, an unnamed collective
    # roles (sub-properties of sem:hasActor, except theme)
    agent: URIRef  # who did it
    theme: URIRef  # what it was done to or about: an entity, or another event
    themeText: URIRef  # the words of a theme that names no entity (what was said, called for)
    recipient: URIRef  # to or at whom it was directed
    # event details
    trigger: URIRef  # the words that signal the event
    predicate: URIRef  # a generic event's verb lemma ("own", "leave"): what happened, untyped
    # amounts an event states (schema:QuantitativeValue / schema:MonetaryAmount nodes)
    changeBy: URIRef  # "fell 3.2%"
    changeTo: URIRef  # "to 11,234"
    changeFrom: URIRef  # "from 12,000"
    amount: URIRef  # "for $2.1 billion", "a loss of $340 million"
    confidence: URIRef  # 0..1, how far the extractor trusts the fact
    asserted: URIRef  # false for an event that is only called for, hoped for, planned
    extractor: URIRef  # the extractor version that made the fact
    # time nodes
    TimeBound: URIRef  # a time node that only bounds an undated fact's time by its article's date
    timexValue: URIRef  # the TIMEX3 value, e.g. "2013-10"
    timexType: URIRef  # DATE, TIME, DURATION, SET
    granularity: URIRef  # year, month, week, day, ...
    # articles
    contentHash: URIRef  # sha256 of title, date and text: the article's identity
    source: URIRef  # the file or URL it was ingested from
    mentionedIn: URIRef  # entity -> an article that mentions it
    # entity resolution across articles
    EntityLink: URIRef  # a record of why a name in an article was linked to a known entity
    surfaceForm: URIRef  # the name as the article wrote it
    linkedTo: URIRef  # the entity the name was linked to
    reason: URIRef  # why ("surname: 'Putin' ~ 'Vladimir Putin'")
    corrections: URIRef  # the named graph of users' corrections (kg merge, kg split)
    registry: URIRef  # the named graph that describes entities and times once for all articles
    mergedInto: URIRef  # entity -> the entity a user merged it into
    keptApartFrom: URIRef  # entity -> a name a user said is not this entity
    sameEventAs: URIRef  # event -> an event of another article that reports the same happening


class SEM(DefinedNamespace):
    """Simple Event Model (the subset kg uses)."""

    _fail = True
    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    Time: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTime: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


class NIF(DefinedNamespace):
    """NLP Interchange Format: where in an article's text a fact was read."""

    _fail = True
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

    String: URIRef
    Context: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    isString: URIRef


class GAF(DefinedNamespace):
    """Grounded Annotation Framework (NewsReader): an instance is denoted by a mention."""

    _fail = True
    _NS = Namespace("http://groundedannotationframework.org/gaf#")

    denotedBy: URIRef


ENTITY = Namespace(BASE + "entity/")
ARTICLE = Namespace(BASE + "article/")
EVENT = Namespace(BASE + "event/")
TIME = Namespace(BASE + "time/")

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kge": str(ENTITY),
    "kga": str(ARTICLE),
    "kgev": str(EVENT),
    "kgt": str(TIME),
    "sem": str(SEM._NS),
    "nif": str(NIF._NS),
    "gaf": str(GAF._NS),
    "schema": str(SDO),
    "prov": str(PROV),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

# entity kind (kg.types.Entity.type) -> RDF class
KIND_CLASSES: dict[str, URIRef] = {
    "Person": SDO.Person,
    "Organization": SDO.Organization,
    "Place": SDO.Place,
    "Group": KG.Group,
    "Event": SDO.Event,
    "Legislation": SDO.Legislation,
    "CreativeWork": SDO.CreativeWork,
    "Thing": SDO.Thing,
}
CLASS_KINDS: dict[str, str] = {str(v): k for k, v in KIND_CLASSES.items()}


KG_TERMS = frozenset(KG.__annotations__)  # an event type may not take one of these names


def event_class(event_type: str) -> URIRef:
    """kg:Enact for "Enact": the class of an event type of the lexicon (`kg.lexicon` checks the
    name: CamelCase, not one of KG_TERMS)."""
    return KG._NS[event_type]


def bind_prefixes(graph) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
