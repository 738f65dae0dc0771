"""Entities across articles, corrections, validation."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from kg.cli import cli
from kg.entities import EntityIndex, load_index, name_data, norm, read_link_table
from kg.ingest import ingest
from kg.store import open_store
from kg.types import Article, Entity

runner = CliRunner()


def entity(name: str, kind: str = "Person", aliases: tuple[str, ...] = ()) -> Entity:
    from kg.phrases import slug

    return Entity(key=f"{kind.lower()}/{slug(name)}", name=name, type=kind, aliases=aliases)


def index_with(*known: Entity, articles: int = 1) -> EntityIndex:
    """An index of entities each mentioned (under all its names) in `articles` articles."""
    index = EntityIndex()
    for e in known:
        index.add(e.key, e.name, e.type, {e.name, *e.aliases}, articles=articles)
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
    assert index_with(entity("Biden"), articles=2).link(entity("Joe Biden")).key == "person/biden"
    crowded = index_with(entity("Johnson"), entity("Boris Johnson"), articles=2)
    assert crowded.link(entity("Andrew Johnson")).key == "person/andrew-johnson"
    # one article's surname ("Chan", read from "Prayuth Chan-o-cha") is too little to go on
    assert index_with(entity("Chan")).link(entity("Tanya Chan")).key == "person/tanya-chan"


def test_acronyms_join_but_generic_short_names_do_not():
    index = index_with(entity("United Nations General Assembly", "Organization"),
                       entity("Puerto Rico Supreme Court", "Organization", ("Supreme Court",)))
    assert index.link(entity("UN General Assembly", "Organization")).key == \
        "organization/united-nations-general-assembly"
    assert index.link(entity("Supreme Court", "Organization")).key == "organization/supreme-court"
    assert index.link(entity("Russia", "Place")).key == "place/russia"


def test_types_keep_entities_apart_when_the_store_says_no_more_than_the_article():
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


# -- an entity's kind is read from all the mentions of its name -----------------------------------
def test_a_name_the_store_reads_as_a_person_is_a_person_in_an_article_that_tags_it_a_place():
    index = index_with(entity("Joe Biden", aliases=("Biden",)), entity("Hunter Biden"), articles=3)
    link = index.link(entity("Biden", "Place"))
    assert link.key == "person/joe-biden" and link.kind == "Person"
    assert "kind: 'Biden' names a Person in 3 article(s), a Place in 1" in link.reason
    assert "called so alone in 3 article(s); 'Hunter Biden' in 0" in link.reason


def test_the_same_name_under_another_kind_joins_the_known_entity_and_keeps_its_iri():
    index = index_with(entity("Trump"), articles=2)  # person/trump, a surname-only node
    link = index.link(entity("Trump", "Organization"))
    assert (link.key, link.label, link.kind) == ("person/trump", "Trump", "Person")
    assert link.reason.startswith("kind:")


def test_one_article_against_one_is_no_majority():
    index = index_with(entity("Instagram", "Organization"))
    assert index.link(entity("Instagram", "Person")).key == "person/instagram"


def test_a_new_entity_takes_the_kind_its_name_has_elsewhere():
    # "Smith" has named two people in three articles each: a new "Smith" tagged an organisation
    # joins neither, but it is a new Person, not an Organization
    index = index_with(entity("John Smith", aliases=("Smith",)), entity("Jane Smith", aliases=("Smith",)),
                       articles=3)
    link = index.link(entity("Smith", "Organization"))
    assert (link.key, link.kind) == ("person/smith", "Person") and link.reason.startswith("kind:")
    index.add(link.key, link.label, "Organization", {"Smith"})  # as ingest does, with the article's kind
    assert index.known["person/smith"].kind == "Person"


def test_an_organisation_tagged_once_as_a_person_is_read_by_the_store():
    index = index_with(entity("YouTube", "Organization"), articles=3)
    link = index.link(entity("YouTube", "Person"))
    assert (link.key, link.kind) == ("organization/youtube", "Organization")


# -- joins when nothing else competes -------------------------------------------------------------
def test_surname_used_alone_for_one_of_several_people_joins_that_one():
    index = index_with(entity("Donald Trump", aliases=("Trump",)), articles=8)
    index.add("person/melania-trump", "Melania Trump", "Person", {"Melania Trump", "Trump"})
    link = index.link(entity("Trump"))
    assert link.key == "person/donald-trump"
    assert "called so alone in 8 article(s); 'Melania Trump' in 1" in link.reason


def test_surname_used_alone_for_several_people_joins_none():
    index = index_with(entity("Bill Clinton", aliases=("Clinton",)), articles=2)
    index.add("person/hillary-clinton", "Hillary Clinton", "Person", {"Hillary Clinton", "Clinton"})
    assert index.link(entity("Clinton")).key == "person/clinton"  # 2 articles to 1: not enough
    once = index_with(entity("Bill Clinton", aliases=("Clinton",)), entity("Hillary Clinton"))
    assert once.link(entity("Clinton")).key == "person/clinton"  # used alone once: not enough


def test_plural_and_possessive_of_a_name():
    index = index_with(entity("Donald Trump", aliases=("Trump",)), entity("Biden"), articles=3)
    assert index.link(entity("Trumps")).reason == "plural of a surname: 'Trumps' ~ 'Donald Trump'"
    plural = index.link(entity("Trumps", "Place"))  # read as "Trump" is: a person's name
    assert plural.key == "person/donald-trump" and "kind: 'Trumps' names a Person in 3" in plural.reason
    possessive = index.link(entity("Biden's"))
    assert possessive.key == "person/biden" and possessive.reason.startswith("same name")


def test_plural_that_is_a_name_of_its_own_is_not_a_plural():
    index = index_with(entity("America", "Place"), entity("Americas", "Place"), entity("Jane Roberts"))
    assert index.link(entity("Americas", "Place")).key == "place/americas"
    index.add("person/roberts", "Roberts", "Person", {"Roberts"})
    assert index.link(entity("Roberts")).key == "person/roberts"


def test_corporate_suffix_and_company_words():
    index = index_with(entity("Apple", "Organization"), entity("Apple Corps", "Organization"))
    for name in ("Apple Inc.", "Apple, Inc.", "Apple Computer", "Apple Computer, Inc."):
        link = index.link(entity(name, "Organization"))
        assert link.key == "organization/apple" and link.reason.startswith("corporate suffix"), name
    assert index_with(entity("Apple Inc.", "Organization")).link(entity("Apple", "Organization")).key == \
        "organization/apple-inc"
    # another company of the same first name, and a place, stay apart
    assert index.link(entity("Apple Records", "Organization")).key == "organization/apple-records"
    assert index_with(entity("Texas", "Place")).link(entity("Texas AG", "Organization")).key == \
        "organization/texas-ag"


def test_acronyms_and_initialisms_both_ways():
    index = index_with(entity("General Motors", "Organization"), entity("European Union", "Organization"),
                       entity("United Nations", "Organization"), entity("AFP", "Organization"))
    assert index.link(entity("GM", "Organization")).key == "organization/general-motors"
    assert index.link(entity("G.M.", "Organization")).key == "organization/general-motors"
    assert index.link(entity("EU", "Organization")).reason.startswith("acronym")
    assert index.link(entity("UN", "Organization")).key == "organization/united-nations"
    assert index.link(entity("Agence France-Presse", "Organization")).key == "organization/afp"
    # an initialism names nothing of another kind
    assert index.link(entity("GM", "Person")).key == "person/gm"


def test_an_acronym_that_is_another_name_of_an_entity_spelled_otherwise_joins_nothing():
    index = index_with(entity("African Union", "Organization", aliases=("AU",)))
    assert index.link(entity("American University", "Organization")).key == "organization/american-university"
    assert index.link(entity("AU", "Organization")).key == "organization/african-union"


def test_an_acronym_two_known_names_share_joins_neither():
    index = index_with(entity("World Health Organization", "Organization"),
                       entity("World Heritage Office", "Organization"))
    assert index.link(entity("WHO", "Organization")).key == "organization/who"


def test_countries_by_their_names_codes_and_aliases():
    index = index_with(entity("United States", "Place"), entity("United Kingdom", "Organization"),
                       entity("Iran", "Place"))
    for name in ("US", "U.S.", "USA", "U.S.A.", "United States of America", "America", "the United States"):
        for kind in ("Place", "Organization"):
            link = index.link(entity(name, kind))
            assert link.key == "place/united-states" and link.kind == "Place", (name, kind)
    assert index.link(entity("UK", "Place")).reason == "same country (GB): 'UK' ~ 'United Kingdom'"
    assert index.link(entity("Britain", "Place")).key == "organization/united-kingdom"
    assert index.link(entity("Islamic Republic of Iran", "Place")).key == "place/iran"
    # a person, a continent, a region of two countries are no country
    assert index.link(entity("America", "Person")).key == "person/america"
    assert index.link(entity("Americas", "Place")).key == "place/americas"
    assert name_data().country("Korea") is None and name_data().country("South Korea") == "KR"
    assert name_data().country("NC") is None or name_data().country("NC") == "NC"


def test_two_nodes_for_one_entity_converge_on_the_better_attested():
    index = index_with(entity("Apple", "Organization"), articles=5)
    index.add("organization/apple-computer", "Apple Computer", "Organization", {"Apple Computer"})
    link = index.link(entity("Apple Computer", "Organization"))
    assert link.key == "organization/apple" and "the better attested" in link.reason
    assert index.link(entity("Apple", "Organization")).key == "organization/apple"


def test_corrections_win_over_every_rule():
    index = index_with(entity("United States", "Place"), entity("Joe Biden", aliases=("Biden",)), articles=3)
    index.kept_apart.add(("us", "place/united-states"))
    assert index.link(entity("US", "Place")).key == "place/us"
    index.kept_apart.add(("biden", "person/joe-biden"))
    assert index.link(entity("Biden", "Place")).key == "place/biden"
    index.merged_into["organization/us"] = "place/united-states"
    assert index.link(entity("US", "Organization")).reason == "merged by a user"


def test_names_json_shape():
    import json

    import pycountry

    from kg.resources import data_file

    raw = json.loads(data_file("names.json").read_text())
    for key in ("corporate_suffixes", "company_words", "initialism_skips"):
        assert raw[key] and all(isinstance(w, str) and w.strip() == w for w in raw[key]), key
    for code, names in raw["country_aliases"].items():
        assert pycountry.countries.get(alpha_2=code) is not None, code
        assert names and all(isinstance(n, str) for n in names)
    assert norm("The U.S.'s") == "us" and norm("Rosselló") == "rossello"


# -- likely duplicates ----------------------------------------------------------------------------
def test_candidates_rank_the_duplicates_kg_did_not_join():
    index = index_with(entity("Pedro Pierluisi"), entity("Nancy Pelosi"), entity("Mike Pence"), articles=2)
    index.add("organization/pedro-pierluisi", "Pedro Pierluisi", "Organization", {"Pedro Pierluisi"})
    index.add("place/pelosi", "Pelosi", "Place", {"Pelosi"})
    index.add("place/pence", "Pence", "Place", {"Pence"})
    index.add("organization/who", "WHO", "Organization", {"WHO"})
    index.add("organization/world-health-organization", "World Health Organization", "Organization",
              {"World Health Organization"})
    index.add("organization/world-heritage-office", "World Heritage Office", "Organization", {"World Heritage Office"})
    index.kept_apart.add(("pence", "person/mike-pence"))
    found = [(c.keep, c.other, c.reason) for c in index.candidates()]
    assert found[0] == ("person/pedro-pierluisi", "organization/pedro-pierluisi",
                        "same name, read as Person in 2 article(s) and as Organization in 1")
    assert ("organization/world-health-organization", "organization/who",
            "acronym: 'WHO' ~ 'World Health Organization'") in found
    assert ("person/nancy-pelosi", "place/pelosi",
            "surname of exactly one known person, read as a Place: 'Pelosi' ~ 'Nancy Pelosi'") in found
    assert not any("pence" in c[1] for c in found)  # a user kept them apart
    assert index.handle("person/pedro-pierluisi") == "https://w3id.org/kg-news/entity/person/pedro-pierluisi"
    assert index.handle("person/nancy-pelosi") == "Nancy Pelosi"


def test_a_surname_two_known_people_have_is_no_candidate():
    index = index_with(entity("Boris Johnson"), entity("Andrew Johnson"))
    index.add("organization/johnson", "Johnson", "Organization", {"Johnson"})
    assert index.candidates() == []


def _store_of(path, *articles: list[Entity]):
    """A store with one fabricated article per list of entities, linked as `kg ingest` links."""
    from kg.rdf import to_graphs
    from kg.types import Extraction

    store = open_store(path)
    try:
        index = load_index(store, link_table={})
        for n, entities in enumerate(articles, start=1):
            text = f"Article {n}\n\n" + ". ".join(e.name for e in entities) + "."
            extraction = Extraction(article=Article(text=text, title=f"Article {n}", date=dt.date(2020, 1, n)),
                                    facts=(), entities=tuple(entities), times=(), extractor="test")
            links = {e.key: index.link(e) for e in entities}
            graph, shared = to_graphs(extraction, links)
            store.replace_graph(graph, shared=shared)
            for e in entities:
                index.add(links[e.key].key, links[e.key].label, e.type, {e.name, *e.aliases})
    finally:
        store.close()
    return path


def test_load_index_reads_kinds_names_and_how_often_they_were_used(tmp_path):
    path = _store_of(tmp_path / "s", [entity("Joe Biden", aliases=("Biden",))], [entity("Joe Biden", aliases=("Biden",))],
                     [entity("Biden", "Place")], [entity("Apple Inc.", "Organization")])
    store = open_store(path, read_only=True)
    try:
        index = load_index(store, link_table={})
    finally:
        store.close()
    biden = index.known["person/joe-biden"]
    assert biden.articles == 3 and {"Joe Biden", "Biden"} <= biden.names
    assert index.uses["biden"]["person/joe-biden"] == 3 and "place/biden" not in index.known
    assert index.link(entity("Apple", "Organization")).key == "organization/apple-inc"


def test_entity_candidates_cli(tmp_path):
    path = _store_of(tmp_path / "s", [entity("Nancy Pelosi"), entity("Pelosi", "Place")], [entity("Nancy Pelosi")],
                     [entity("Instagram", "Organization")], [entity("Instagram", "Person")])
    shown = runner.invoke(cli, ["entity", "--candidates", "--store", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "2 pair(s) of entities that are likely one" in shown.output
    assert f'kg merge "Nancy Pelosi" "Pelosi" --store {path}' in shown.output
    assert "because: surname of exactly one known person, read as a Place: 'Pelosi' ~ 'Nancy Pelosi'" in shown.output
    listed = json.loads(runner.invoke(cli, ["entity", "--candidates", "--format", "json", "--limit", "1",
                                            "--store", str(path)]).output)
    assert len(listed) == 1 and listed[0]["keep"] == "Instagram" and listed[0]["merge"].startswith(
        'kg merge "https://w3id.org/kg-news/entity/')
    assert runner.invoke(cli, ["entity", "--store", str(path)]).exit_code == 2
    assert runner.invoke(cli, ["entity", "Pelosi", "--candidates", "--store", str(path)]).exit_code == 2
    empty = _store_of(tmp_path / "e", [entity("Nancy Pelosi")])
    assert runner.invoke(cli, ["entity", "--candidates", "--store", str(empty)]).output == "no likely duplicates\n"


# -- inside one article: a name the tagger read as a person's once is a surname ---------------------
def test_a_surname_read_as_a_person_once_joins_the_full_name_the_article_gives():
    from kg.types import Mention
    from kg.resolve import cluster_mentions

    # the tagger called the first "Soleimani" a place: the name is still his surname
    mentions = [Mention(0, 2, "Qasem Soleimani", "Person", 0), Mention(5, 6, "Soleimani", "Place", 5),
                Mention(9, 10, "Soleimani", "Person", 9)]
    entities = cluster_mentions(mentions)
    assert {entities[m].key for m in mentions} == {"person/qasem-soleimani"}
    # never read as a person: a place of the same name stays a place
    apart = [Mention(0, 2, "George Washington", "Person", 0), Mention(5, 6, "Washington", "Place", 5),
             Mention(9, 10, "Washington", "Place", 9)]
    assert cluster_mentions(apart)[apart[1]].key == "place/washington"
