from __future__ import annotations

import subprocess
import sys

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.lexicon import load_lexicon
from kg.resources import data_file
from kg.vocab import KG, SEM, event_class

from conftest import ROOT


def test_ontology_documents_every_term_and_nothing_else():
    g = Graph().parse(data_file("ontology.ttl"))
    documented = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}
    declared = {str(KG[name]) for name in KG.__annotations__} | {str(event_class(t)) for t in load_lexicon().types}
    assert documented == declared
    for term in declared:
        from rdflib import URIRef

        assert g.value(URIRef(term), RDFS.label) is not None, term
        assert g.value(URIRef(term), RDFS.comment) is not None, term


def test_event_classes_are_the_lexicons_types_under_sem_event():
    g = Graph().parse(data_file("ontology.ttl"))
    types = load_lexicon().types
    for name, t in types.items():
        cls = event_class(name)
        assert (cls, RDF.type, OWL.Class) in g
        assert (cls, RDFS.subClassOf, event_class(t.parent) if t.parent else SEM.Event) in g
        assert str(g.value(cls, RDFS.label)) == t.label


def test_ontology_is_generated_from_the_current_types():
    """Fails when types.jsonl changed and data/ontology.ttl was not regenerated: run `make readme`."""
    proc = subprocess.run([sys.executable, "-m", "cogapp", "--check", "data/ontology.ttl"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
