"""Check the store against the SHACL shapes in `data/shapes.ttl` (pyshacl)."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from kg.resources import data_file
from kg.store import GraphStore


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


def validate(store: GraphStore) -> ValidationReport:
    """Validate the union of all articles' graphs against the shipped shapes."""
    from pyshacl import validate as shacl_validate

    data = Graph().parse(data=store.export("nt"), format="nt")
    shapes = Graph().parse(data_file("shapes.ttl"))
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
