"""kg serve's explorer: the part of a store it chooses (kg.network.choose_facts), the page
(kg.explore), and /explorer on a running server: headers, bad parameters, the cache an update
empties."""
from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

from kg.explore import explorer_page
from kg.network import build_network, choose_facts
from kg.store import open_store
from test_serve_security import call, copy_of, in_process, kg_serve, update


def page_data(page: str) -> dict:
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


@pytest.fixture
def store(sample_store: Path):
    db = open_store(sample_store, read_only=True)
    yield db
    db.close()


def test_choose_facts_takes_the_best_connected_entities_in_turn(store) -> None:
    facts, seeds = choose_facts(store, max_facts=12, hubs=5)
    assert len(seeds) == 5 and len(facts) == 12 == len(set(facts))
    graph = build_network(store, generic=False, facts=facts)
    assert sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "Fact") == sorted(facts)
    # every hub got facts before any got a second round: each of the five is in the graph
    assert all(seed in graph for seed in seeds)
    # the entities are exactly the facts' participants
    assert all(graph.degree(n) > 0 for n, d in graph.nodes(data=True) if d["kind"] != "Fact")
    whole = build_network(store, generic=False)
    for fact in facts:  # the same fact as the whole-store network has it
        assert graph.nodes[fact] == whole.nodes[fact]


def test_choose_facts_finds_an_entity_by_iri_name_or_alias_in_any_case(store) -> None:
    facts, seeds = choose_facts(store, entity="Russia")
    assert seeds == ["https://w3id.org/kg-news/entity/place/russia"] and len(facts) >= 3
    assert choose_facts(store, entity="RUSSIA") == (facts, seeds)
    assert choose_facts(store, entity=seeds[0]) == (facts, seeds)
    for hostile in ('Russia" } DROP ALL { "', "<https://w3id.org/kg-news/entity/place/russia>", "?x", "\\"):
        assert choose_facts(store, entity=hostile) == ([], [])


def test_explorer_page_says_what_part_of_the_store_it_holds(store) -> None:
    data = page_data(explorer_page(store))
    served = data["served"]
    assert served["entity"] == "" and served["missing"] == ""
    assert served["facts"] == len(data["explorer"]["facts"]) <= served["total"]
    russia = page_data(explorer_page(store, entity="russia"))["served"]
    assert russia["entity"] == "russia" and russia["seeds"] == ["https://w3id.org/kg-news/entity/place/russia"]
    nobody = page_data(explorer_page(store, entity="No Such Entity"))
    assert nobody["served"]["missing"] == "No Such Entity"  # and the overview instead
    assert nobody["served"]["facts"] == served["facts"]


def test_explorer_page_of_an_empty_store(tmp_path: Path) -> None:
    empty = open_store(tmp_path / "empty")
    try:
        data = page_data(explorer_page(empty))
    finally:
        empty.close()
    assert data["nodes"] == [] and data["served"]["total"] == 0


def test_served_explorer_headers_and_bad_parameters(sample_store: Path) -> None:
    with in_process(sample_store) as url:
        page = call(url, path="/explorer")
        assert page.status == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Cache-Control"] == "no-store"
        assert "default-src &#x27;none&#x27;" in page.text  # the page's own policy: no request leaves it
        russia = call(url, path="/explorer?" + urllib.parse.urlencode({"entity": "Russia", "max_nodes": "40"}))
        assert page_data(russia.text)["served"]["entity"] == "Russia"
        for path, why in (("/explorer?max_nodes=0", "max_nodes"), ("/explorer?max_nodes=6001", "max_nodes"),
                          ("/explorer?max_nodes=1e3", "max_nodes"),
                          ("/explorer?entity=" + "x" * 1001, "entity")):
            answer = call(url, path=path)
            assert answer.status == 400 and answer.text.startswith(why), (path, answer.text)
        rebound = call(url, path="/explorer", headers={"Host": "evil.example"})
        assert rebound.status == 421


def test_an_update_empties_the_explorer_pages(sample_store: Path, tmp_path: Path) -> None:
    with kg_serve(copy_of(sample_store, tmp_path), "--writable") as served:
        before = page_data(call(served.url, path="/explorer").text)["served"]["total"]
        assert before > 0
        assert update(served.url, "DELETE WHERE { GRAPH ?g { ?e <https://w3id.org/kg-news/ontology#trigger> ?t } }").status == 204
        after = page_data(call(served.url, path="/explorer").text)["served"]
        assert after["total"] == 0 and after["facts"] == 0
