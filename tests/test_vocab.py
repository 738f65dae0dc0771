from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.resources import data_file
from kg.vocab import KG


def test_ontology_documents_every_term_and_nothing_else():
    g = Graph().parse(data_file("ontology.ttl"))
    documented = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}
    declared = {str(KG[name]) for name in KG.__annotations__}
    assert documented == declared
    for term in declared:
        from rdflib import URIRef

        assert g.value(URIRef(term), RDFS.label) is not None, term
        assert g.value(URIRef(term), RDFS.comment) is not None, term


def test_event_classes_are_sem_events():
    g = Graph().parse(data_file("ontology.ttl"))
    from kg.vocab import SEM

    classes = set(g.subjects(RDFS.subClassOf, SEM.Event))
    assert len(classes) == 25 and all((c, RDF.type, OWL.Class) in g for c in classes)
