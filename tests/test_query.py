from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.query import NamedQuery, Param, bind, find_query, named_queries, parse_params, to_term


def test_every_named_query_has_a_description_and_parses(sample_store):
    from kg.store import open_store

    store = open_store(sample_store, read_only=True)
    try:
        for name, q in named_queries().items():
            assert q.description, name
            required = {p.name: "x" for p in q.params if p.default is None}
            store.query(bind(q, required))
    finally:
        store.close()


HOSTILE = ['x" } ; DROP ALL ; SELECT * { ?s ?p "', "a'b\"c\\d}{;", '""" } #', "?name", "<http://evil>"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_one_literal(value):
    q = NamedQuery("t", 'SELECT ?x WHERE { ?x rdfs:label ?name FILTER(?name != "?name") }', "", (Param("name", "text", None, ""),))
    text = bind(q, {"name": value})
    # the variable outside the string literal was replaced by exactly the literal's N-Triples form
    assert text == q.text.replace("?name FILTER(?name", f"{Literal(value).n3()} FILTER({Literal(value).n3()}", 1)
    assert '"?name"' in text  # a string that looks like the variable is left alone


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_do_not_change_results(sample_store, value):
    from kg.store import open_store

    store = open_store(sample_store, read_only=True)
    try:
        rows = store.query(bind(find_query("who-enacted"), {"agent": value})).rows
    finally:
        store.close()
    assert rows == ()


def test_typed_parameters():
    assert to_term("2013-01-01", "date").datatype.endswith("#date")
    assert to_term("42", "integer") == Literal(42)
    assert to_term("https://example.org/x", "iri") == URIRef("https://example.org/x")
    with pytest.raises(QueryError, match="not a date"):
        to_term("yesterday", "date")
    with pytest.raises(QueryError, match="not an IRI"):
        to_term("not an iri", "iri")


def test_parameter_errors():
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_params(("novalue",))
    with pytest.raises(QueryError, match="has no parameter 'who'"):
        bind(find_query("who-enacted"), {"who": "x"})
    with pytest.raises(QueryError, match="needs --param name"):
        bind(find_query("entity"), {})


def test_unknown_query_suggests_close_names():
    with pytest.raises(QueryError, match="did you mean who-enacted"):
        find_query("who-enacte")


def test_syntax_error_says_where(sample_store):
    from kg.store import open_store

    store = open_store(sample_store, read_only=True)
    try:
        with pytest.raises(QueryError, match=r"syntax error at line 1, column \d+"):
            store.query("SELECT ?x WHERE { ?x ")
    finally:
        store.close()
