"""Entities across articles, corrections, validation."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from kg.cli import cli
from kg.entities import EntityIndex, read_link_table
from kg.ingest import ingest
from kg.store import open_store
from kg.types import Article, Entity

runner = CliRunner()


def entity(name: str, kind: str = "Person", aliases: tuple[str, ...] = ()) -> Entity:
    from kg.phrases import slug

    return Entity(key=f"{kind.lower()}/{slug(name)}", name=name, type=kind, aliases=aliases)


def index_with(*known: Entity) -> EntityIndex:
    index = EntityIndex()
    for e in known:
        index.add(e.key, e.name, e.type, {e.name, *e.aliases})
    return index


def test_surname_only_mention_joins_the_one_known_person():
    index = index_with(entity("Vladimir Putin"))
    link = index.link(entity("Putin"))
    assert link.key == "person/vladimir-putin" and link.label == "Vladimir Putin"
    assert link.reason.startswith("surname")


def test_ambiguous_surname_joins_nobody():
    index = index_with(entity("Boris Johnson"), entity("Andrew Johnson"))
    assert index.link(entity("Johnson")).key == "person/johnson"


def test_full_name_joins_a_surname_only_entity_when_the_surname_is_unique():
    assert index_with(entity("Biden")).link(entity("Joe Biden")).key == "person/biden"
    crowded = index_with(entity("Johnson"), entity("Boris Johnson"))
    assert crowded.link(entity("Andrew Johnson")).key == "person/andrew-johnson"


def test_acronyms_join_but_generic_short_names_do_not():
    index = index_with(entity("United Nations General Assembly", "Organization"),
                       entity("Puerto Rico Supreme Court", "Organization", ("Supreme Court",)))
    assert index.link(entity("UN General Assembly", "Organization")).key == \
        "organization/united-nations-general-assembly"
    assert index.link(entity("Supreme Court", "Organization")).key == "organization/supreme-court"
    assert index.link(entity("Russia", "Place")).key == "place/russia"


def test_types_keep_entities_apart():
    index = index_with(entity("Georgia", "Place"))
    assert index.link(entity("Georgia", "Person")).key == "person/georgia"


def test_user_corrections_win():
    index = index_with(entity("Vladimir Putin"), entity("V. Putin"))
    index.merged_into["person/v-putin"] = "person/vladimir-putin"
    assert index.link(entity("V. Putin")).key == "person/vladimir-putin"
    apart = index_with(entity("Vladimir Putin"))
    apart.kept_apart.add(("putin", "person/vladimir-putin"))
    assert apart.link(entity("Putin")).key == "person/putin"


def test_link_table(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("# comment\ntype,name,wikidata\nPlace,Russia,Q159\nPlace,Nowhere,not-an-id\n")
    table = read_link_table(path)
    assert table == {("Place", "russia"): "http://www.wikidata.org/entity/Q159"}
    index = EntityIndex(wikidata=table)
    assert index.link(entity("Russia", "Place")).same_as == "http://www.wikidata.org/entity/Q159"
    assert read_link_table()[("Person", "vladimir putin")].endswith("/Q7747")


def _two_articles(tmp_path, nlp, lexicon):
    first = Article(text="Talks\n\nRussian President Vladimir Putin met the German chancellor in Sochi.",
                    title="Talks", date=dt.date(2019, 5, 2), source="a.txt")
    second = Article(text="Decree\n\nPutin signed a decree banning the import of cheese.",
                     title="Decree", date=dt.date(2019, 5, 3), source="b.txt")
    store = open_store(tmp_path / "s")
    try:
        ingest([first], store, nlp=nlp, lexicon=lexicon)
        ingest([second], store, nlp=nlp, lexicon=lexicon)
    finally:
        store.close()
    return tmp_path / "s"


def test_one_node_across_articles_with_the_reason_recorded(tmp_path, nlp, lexicon):
    path = _two_articles(tmp_path, nlp, lexicon)
    store = open_store(path, read_only=True)
    try:
        rows = store.query("SELECT DISTINCT ?e ?label WHERE { ?e rdfs:label ?label ; a schema:Person "
                           "FILTER(CONTAINS(?label, 'Putin')) }").rows
        reasons = store.query("SELECT ?r WHERE { ?l a kg:EntityLink ; kg:reason ?r }").rows
        same = store.query("SELECT ?w WHERE { ?e owl:sameAs ?w }").rows
    finally:
        store.close()
    assert [(str(e).rsplit("/", 1)[-1], str(label)) for e, label in rows] == [("vladimir-putin", "Vladimir Putin")]
    assert "surname" in str(reasons[0][0])
    assert str(same[0][0]).endswith("/Q7747")


def test_entity_merge_split_cli(tmp_path, nlp, lexicon):
    path = _two_articles(tmp_path, nlp, lexicon)
    shown = runner.invoke(cli, ["entity", "Putin", "--format", "json", "--store", str(path)])
    report = json.loads(shown.output)
    assert report["label"] == "Vladimir Putin" and "Putin" in report["names"] and len(report["articles"]) == 2
    assert {r[1] for r in report["roles"]} >= {"Meet", "Enact"}
    split = runner.invoke(cli, ["split", "Putin", "--from", "Vladimir Putin", "--store", str(path)])
    assert split.exit_code == 0, split.output
    alone = json.loads(runner.invoke(cli, ["entity", "Putin", "--format", "json", "--store", str(path)]).output)
    assert alone["label"] == "Putin"
    merged = runner.invoke(cli, ["merge", "Vladimir Putin", "Putin", "--store", str(path)])
    assert merged.exit_code == 0, merged.output
    back = json.loads(runner.invoke(cli, ["entity", "Putin", "--format", "json", "--store", str(path)]).output)
    assert back["label"] == "Vladimir Putin" and len(back["articles"]) == 2


def test_validate_conforms_on_ingested_data(sample_store):
    result = runner.invoke(cli, ["validate", "--store", str(sample_store)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_reports_violations(tmp_path):
    store = open_store(tmp_path / "s")
    try:
        store._update('INSERT DATA { GRAPH <https://w3id.org/kg-news/article/x> { '
                      '<https://w3id.org/kg-news/event/x-1> a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } }')
    finally:
        store.close()
    result = runner.invoke(cli, ["validate", "--format", "json", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert not report["conforms"] and any("article" in v["message"] for v in report["violations"])
