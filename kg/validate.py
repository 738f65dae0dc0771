"""Check the store against the SHACL shapes in `data/shapes.ttl` (pyshacl), and every event's
class against the lexicon's event types."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.resources import data_file
from kg.lexicon import Lexicon
from kg.store import GraphStore
from kg.vocab import SEM, event_class

KGSH = Namespace("https://w3id.org/kg-news/shapes#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


def validate(store: GraphStore, lexicon: Lexicon) -> ValidationReport:
    """Validate the union of all articles' graphs against the shipped shapes."""
    from pyshacl import validate as shacl_validate

    data = Graph().parse(data=store.export("nt"), format="nt")
    shapes = Graph().parse(data_file("shapes.ttl"))
    shapes += event_class_shape(lexicon)
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=False)
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=str(results.value(result, SH.resultPath) or ""),
            message=str(results.value(result, SH.resultMessage) or ""),
        ))
    violations.sort(key=lambda v: (v.focus, v.path))
    return ValidationReport(bool(conforms), tuple(violations), len(data))


def event_class_shape(lexicon: Lexicon) -> Graph:
    """Every event is a sem:Event of one of the lexicon's types: a fact of a type the lexicon
    does not know was made by other rules (a user's types need their --lexicon here too)."""
    g = Graph()
    shape, prop, allowed = KGSH.EventClass, BNode(), BNode()
    Collection(g, allowed, [SEM.Event, *(event_class(name) for name in lexicon.types)])
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, SEM.Event))
    g.add((shape, SH.property, prop))
    g.add((prop, SH.path, RDF.type))
    g.add((prop, SH["in"], allowed))
    g.add((prop, SH.message, Literal("the event's class is no event type of the lexicon (types.jsonl)")))
    return g
