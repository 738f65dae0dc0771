"""Fast tests of kg.view: page safety (offline, escaped), page data, filter_graph, layout."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import ViewError
from kg.lexicon import load_lexicon
from kg.view import (
    filter_graph,
    graph_data,
    layout,
    legend,
    render_html,
    script_json,
    write_html,
)

# Each payload would run script or load something if it ever reached the page as markup.
PAYLOADS = [
    "<script>window.__pwned=true</script>",
    "</script><script>window.__pwned=true</script>",
    "<img src=x onerror=\"window.__pwned=true\">",
    "<svg onload=alert(1)>",
    "\" onmouseover=\"window.__pwned=true",
    "' onfocus='alert(1)' autofocus='",
    "<a href=\"javascript:alert(1)\">click</a>",
    "href=javascript:alert(1)",
    "<!-- <script>",
    "\\\"); alert(1); //",
    "line\u2028separator\u2029alert(1)//",
    "@@DATA@@ @@APP_JS@@",
    "{{ title }} ${alert(1)}",
]


# ----------------------------------------------------------------------------------- graphs ---


def add_entity(g: nx.MultiDiGraph, key: str, label: str, kind: str, *aliases: str,
               articles: tuple[str, ...] = ("Russia's law",)) -> None:
    g.add_node(key, label=label, kind=kind, aliases=list(aliases), articles=list(articles))


def add_fact(g: nx.MultiDiGraph, key: str, label: str, event_type: str, *,
             time: str | None = None, begin: str | None = None, end: str | None = None,
             sentence: str = "A sentence.", article: str = "Russia's law",
             article_id: str = "https://example.org/article/1", by: str | None = None,
             url: str | None = None, date: str | None = None, confidence: float | None = None,
             **roles: str) -> None:
    g.add_node(key, label=label, kind="Fact", event_type=event_type, family=load_lexicon().families.get(event_type),
               time=time, time_begin=begin, time_end=end, bound_latest=by, sentence=sentence, article=article,
               article_id=article_id, article_url=url, article_date=date, confidence=confidence)
    for role, other in roles.items():
        if role == "agent":
            g.add_edge(other, key, role="agent", label="agent")
        else:
            g.add_edge(key, other, role=role, label=role)


def russia_graph() -> nx.MultiDiGraph:
    """The running example: Russia's 2013 law, the calls to repeal it, a protest in Moscow."""
    g = nx.MultiDiGraph()
    add_entity(g, "russia", "Russia", "Place", "Russian Federation")
    add_entity(g, "law", 'anti-gay "propaganda" law', "Legislation", "gay propaganda law")
    add_entity(g, "allout", "All Out", "Organization", articles=("Sochi protests",))
    add_entity(g, "putin", "Vladimir Putin", "Person", "Putin")
    add_entity(g, "ioc", "IOC", "Organization", "International Olympic Committee")
    add_entity(g, "sochi", "Sochi Olympics", "Event", "2014 Winter Olympics")
    add_entity(g, "activists", "LGBT activists", "Group", articles=("Moscow arrests",))
    add_entity(g, "moscow", "Moscow", "Place", articles=("Moscow arrests",))
    add_entity(g, "lonely", "Nobody", "Person")  # in no fact
    add_fact(g, "f_enact", "enacted (2013)", "Enact", time="2013-06", begin="2013-06-01",
             end="2013-06-30", sentence='In June 2013 Russia enacted a law banning gay "propaganda".',
             agent="russia", theme="law")
    add_fact(g, "f_call", "called for (2013)", "Call", time="2013-08", begin="2013-08-01",
             end="2013-08-31", sentence="All Out called on Russia to repeal the law.",
             article="Sochi protests", article_id="https://example.org/article/2",
             agent="allout", recipient="russia")
    add_fact(g, "f_repeal", "repeal", "Repeal", sentence="All Out called on Russia to repeal the law.",
             article="Sochi protests", article_id="https://example.org/article/2", theme="law",
             by="2013-08-20")
    g.add_edge("f_call", "f_repeal", role="theme", label="theme")  # the call is about the repeal
    add_fact(g, "f_sign", "signed (2013)", "Enact", time="2013-06-30", begin="2013-06-30",
             end="2013-06-30", sentence="Putin signed the bill on 30 June.", agent="putin", theme="law")
    add_fact(g, "f_host", "hosts (2014)", "Host", time="2014-02", begin="2014-02-07", end="2014-02-23",
             sentence="Russia hosts the Winter Olympics in Sochi.", agent="russia", theme="sochi")
    add_fact(g, "f_criticize", "criticized", "Criticize", sentence="The IOC criticized the law.",
             agent="ioc", theme="law", url="https://example.org/news/ioc", date="2013-09-02", confidence=0.9)
    add_fact(g, "f_arrest", "arrested (2013)", "Arrest", time="2013-08-10", begin="2013-08-10",
             end="2013-08-10", sentence="Police arrested activists in Moscow.",
             article="Moscow arrests", article_id="https://example.org/article/3",
             theme="activists", place="moscow")
    return g


def hostile_graph() -> nx.MultiDiGraph:
    """Every string attribute is a payload; also non-string junk where strings are expected."""
    g = nx.MultiDiGraph()
    for i, payload in enumerate(PAYLOADS):
        add_entity(g, f"e{i}", payload, "Person", payload, f"alias {payload}", articles=(payload,))
        add_fact(g, f"f{i}", payload, "Statement", time=payload, begin=payload, end=payload,
                 sentence=payload, article=payload, article_id=payload, agent=f"e{i}",
                 theme=f"e{(i + 1) % len(PAYLOADS)}", url=payload, date=payload,
                 by="2013-09-01" if i % 2 else payload)
    g.nodes["f1"]["article_url"] = "javascript:window.__pwned=true"
    g.nodes["f2"]["article_url"] = " JavaScript:alert(1)//http://x"
    g.nodes["e0"]["candidates"] = [("e1", PAYLOADS[0]), ("nowhere", PAYLOADS[2])]
    g.add_edge("f0", "e3", role=PAYLOADS[0], label=PAYLOADS[2])
    add_entity(g, "odd", None, PAYLOADS[3], None)  # type: ignore[arg-type]
    g.nodes["odd"]["aliases"] = PAYLOADS[4]  # a string, not a list
    g.add_edge("odd", "f1", role="agent", label="agent")
    return g


def vis_js() -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text()


def page_data(page: str) -> dict:
    block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


# ------------------------------------------------------------------------------ page safety ---


def test_page_loads_nothing_from_the_network() -> None:
    page = render_html(russia_graph(), title="Russia")
    # No element or stylesheet may point at another origin (vis's licence comments may name URLs).
    assert not re.search(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    assert "@import" not in page
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert not re.search(r"cdnjs|jsdelivr|unpkg|googleapis|bootstrap", page, re.I)


def test_csp_allows_exactly_the_inline_scripts() -> None:
    page = render_html(russia_graph(), title="Russia")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    csp = csp.replace("&#x27;", "'")
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 3  # vis-network, the network view and the explorer; the data block is JSON
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_vis_is_inlined_from_pyvis() -> None:
    page = render_html(russia_graph(), title="Russia")
    assert "@version 9.1.2" in page
    assert "div.vis-tooltip" in page


def test_hostile_strings_never_reach_the_page_as_markup() -> None:
    title = "</title><script>window.__pwned=true</script><img src=x onerror=alert(1)>"
    page = render_html(hostile_graph(), title=title)
    data_block = re.search(r'(<script id="kg-data" type="application/json">)(.*?)(</script>)',
                           page, re.S)
    outside = page[: data_block.start(2)] + page[data_block.end(2):]
    outside = outside.replace(vis_js(), "")  # trusted; its core-js shim says "javascript:"
    inside = data_block.group(2)
    for needle in ("<script>window", "<img src=x", "<svg", "onerror=\"window", "<a href",
                   "javascript:"):
        assert needle not in outside
    # The JSON cannot end its block or open a comment: no raw <, >, & or line separators.
    assert not re.search("[<>&\u2028\u2029]", inside)
    # Exactly our tags: 4 script elements (data, vis, view, explorer), one title.
    assert page.count("</script>") == 4
    assert page.lower().count("<title>") == 1
    assert "&lt;/title&gt;&lt;script&gt;window.__pwned=true&lt;/script&gt;" in page


def test_hostile_strings_survive_as_text() -> None:
    data = page_data(render_html(hostile_graph(), title="t"))
    names = {n["names"][0] for n in data["nodes"]}
    for payload in PAYLOADS:
        if len(payload) <= 40:  # longer ones are shortened on the canvas (full in the tooltip)
            assert payload.strip() in names
    sentences = {n["tip"]["quote"] for n in data["nodes"] if n["fact"]}
    assert "</script><script>window.__pwned=true</script>" in sentences


def test_template_slots_in_data_are_not_expanded() -> None:
    page = render_html(hostile_graph(), title="@@VIS_JS@@")
    assert page.count("@version 9.1.2") == 1
    assert "<title>@@VIS_JS@@</title>" in page


def test_lone_surrogates_and_controls_are_cleaned(tmp_path: Path) -> None:
    g = russia_graph()
    g.nodes["russia"]["label"] = "Rus\ud800sia\x00\x07"
    write_html(g, tmp_path / "v.html", title="bad \udcff title")
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert "Rus\ufffdsia" in json.dumps(page_data(page), ensure_ascii=False)


@given(st.text())
def test_script_json_is_inert_and_round_trips(text: str) -> None:
    encoded = script_json({"s": text, "l": [text, 1]})
    assert not re.search("[<>&\u2028\u2029]", encoded)
    assert "</" not in encoded.lower()
    assert json.loads(encoded) == {"s": text, "l": [text, 1]}


# -------------------------------------------------------------------------------- page data ---


def test_nodes_styled_by_kind_and_event_family() -> None:
    data = graph_data(russia_graph(), physics=True)
    by_name = {n["names"][0]: n for n in data["nodes"]}
    assert by_name["Russia"]["shape"] == "triangle"
    assert by_name["Vladimir Putin"]["shape"] == "dot"
    assert by_name["All Out"]["shape"] == "square"
    enact, call = by_name["enacted (2013)"], by_name["called for (2013)"]
    assert enact["shape"] == call["shape"] == "diamond"
    assert enact["color"] != call["color"]  # law vs statement families
    assert by_name["signed (2013)"]["color"] == enact["color"]
    # Facts are small; a hub is bigger than a one-fact entity.
    assert enact["size"] < by_name["Vladimir Putin"]["size"] < by_name["anti-gay \"propaganda\" law"]["size"]


def test_legend_lists_only_what_is_present() -> None:
    names = [entry["name"] for entry in legend(russia_graph())]
    assert names[:5] == ["Person", "Organization", "Place", "Group", "Legislation"]
    assert "CreativeWork" not in names and "Thing" not in names
    assert {"Law & policy", "Statements", "Justice", "Meetings & deals"} <= set(names)
    assert "Office & elections" not in names


def test_tooltips_carry_time_sentence_article_and_roles() -> None:
    data = graph_data(russia_graph(), physics=True)
    tip = next(n["tip"] for n in data["nodes"] if n["label"] == "enacted (2013)")
    rows = dict(map(tuple, tip["rows"]))
    assert rows["Event"] == "Enact"
    assert rows["When"] == "2013-06 (2013-06-01 \u2013 2013-06-30)"
    assert rows["agent"] == "Russia" and rows["theme"] == 'anti-gay "propaganda" law'
    assert rows["Article"] == "Russia's law"
    assert tip["quote"].startswith("In June 2013 Russia enacted")
    putin = next(n["tip"] for n in data["nodes"] if n["label"] == "Vladimir Putin")
    assert dict(map(tuple, putin["rows"])) == {"Kind": "Person", "Also": "Putin", "Articles": "Russia's law"}


def test_edges_read_agent_fact_theme() -> None:
    data = graph_data(russia_graph(), physics=True)
    label = {n["id"]: n["label"] for n in data["nodes"]}
    edges = {(label[e["from"]], e["label"], label[e["to"]]) for e in data["edges"]}
    assert ("Russia", "agent", "enacted (2013)") in edges
    assert ("enacted (2013)", "theme", 'anti-gay "propaganda" law') in edges
    assert ("called for (2013)", "theme", "repeal") in edges


def test_physics_only_for_small_graphs_in_one_piece() -> None:
    one_piece = filter_graph(russia_graph(), entity="Russia", hops=3)
    assert nx.is_weakly_connected(one_piece)
    assert page_data(render_html(one_piece, title="t"))["physics"] is True
    assert page_data(render_html(one_piece, title="t", physics=False))["physics"] is False
    # Three pieces (the law, the Moscow arrest, a lonely entity): packed rows instead.
    assert page_data(render_html(russia_graph(), title="t"))["physics"] is False
    assert page_data(render_html(russia_graph(), title="t", physics=True))["physics"] is True
    star = nx.MultiDiGraph()
    add_entity(star, "hub", "Hub", "Place")
    for i in range(200):
        add_entity(star, f"a{i}", f"A{i}", "Person")
        add_fact(star, f"f{i}", "met", "Meet", agent=f"a{i}", theme="hub")
    assert page_data(render_html(star, title="t"))["physics"] is False


def test_empty_graph_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ViewError, match="nothing to draw"):
        render_html(nx.MultiDiGraph(), title="t")
    with pytest.raises(ViewError, match="cannot write"):
        write_html(russia_graph(), tmp_path / "missing" / "dir" / "v.html", title="t")


# ---------------------------------------------------------------------------- filter_graph ---


def names(g: nx.MultiDiGraph) -> set[str]:
    return {g.nodes[n]["label"] for n in g}


def test_filter_without_filters_drops_only_isolated_entities() -> None:
    g = russia_graph()
    out = filter_graph(g)
    assert set(out) == set(g) - {"lonely"}


def test_filter_entity_matches_label_or_alias_case_insensitively() -> None:
    g = russia_graph()
    assert "putin" in filter_graph(g, entity="PUTIN")
    assert "putin" in filter_graph(g, entity="vladimir putin")
    # No exact name: substring.
    assert "ioc" in filter_graph(g, entity="olympic committee")
    with pytest.raises(ViewError, match="no entity"):
        filter_graph(g, entity="Atlantis")


def test_filter_hops_count_facts_as_transparent() -> None:
    g = russia_graph()
    one = filter_graph(g, entity="Putin", hops=1)
    assert set(one) == {"putin", "f_sign", "law"}
    two = filter_graph(g, entity="Putin", hops=2)
    # The law's other facts and their entities; the call comes in with its argument "repeal".
    assert {"f_enact", "russia", "f_criticize", "ioc", "f_repeal", "f_call", "allout"} <= set(two)
    assert "f_host" not in two and "activists" not in two
    three = filter_graph(g, entity="Putin", hops=3)
    assert "f_host" in three and "sochi" in three
    assert set(filter_graph(g, entity="Putin", hops=0)) == {"putin"}


def test_filter_types_keeps_argument_facts() -> None:
    g = russia_graph()
    out = filter_graph(g, types={"call"})
    assert set(out) == {"f_call", "allout", "russia", "f_repeal", "law"}
    assert names(filter_graph(g, types={"Arrest"})) == {"arrested (2013)", "LGBT activists", "Moscow"}


def test_filter_time_range_overlaps_and_drops_undated() -> None:
    g = russia_graph()
    out = filter_graph(g, since=dt.date(2013, 6, 15), until=dt.date(2013, 7, 1))
    facts = {n for n in out if out.nodes[n]["kind"] == "Fact"}
    assert facts == {"f_enact", "f_sign"}
    later = filter_graph(g, since=dt.date(2014, 1, 1))
    assert {n for n in later if later.nodes[n]["kind"] == "Fact"} == {"f_host"}
    assert "f_criticize" not in filter_graph(g, until=dt.date(2100, 1, 1))  # no time


def test_filter_article_by_title_or_iri() -> None:
    g = russia_graph()
    assert {"f_arrest", "activists", "moscow"} == set(filter_graph(g, article="moscow ARRESTS"))
    assert {"f_arrest", "activists", "moscow"} == set(filter_graph(g, article="article/3"))


def test_filter_max_nodes_keeps_whole_best_facts() -> None:
    g = russia_graph()
    out = filter_graph(g, max_nodes=5)
    assert len(out) <= 5
    for fact in (n for n in out if out.nodes[n]["kind"] == "Fact"):
        assert set(nx.all_neighbors(g, fact)) <= set(out) | {"f_call"}
    assert "law" in out  # the most connected entity


def test_filter_combines_entity_with_fact_filters() -> None:
    g = russia_graph()
    out = filter_graph(g, entity="Russia", types={"Host"})
    assert set(out) == {"russia", "f_host", "sochi"}


def test_filter_is_pure() -> None:
    g = russia_graph()
    before = nx.to_dict_of_dicts(g), dict(g.nodes(data=True))
    out = filter_graph(g, entity="Russia")
    out.nodes["russia"]["aliases"].append("changed")
    assert (nx.to_dict_of_dicts(g), dict(g.nodes(data=True))) == before
    assert g.nodes["russia"]["aliases"] == ["Russian Federation"]


def test_filter_rejects_bad_numbers() -> None:
    with pytest.raises(ViewError):
        filter_graph(russia_graph(), hops=-1)
    with pytest.raises(ViewError):
        filter_graph(russia_graph(), max_nodes=0)


# ---------------------------------------------------------------------------------- layout ---


def random_news_graph(entities: int, facts: int, seed: int = 3) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    for i in range(entities):
        add_entity(g, f"e{i}", f"E{i}", "Person")
    weights = 1.0 / np.arange(1, entities + 1)
    picks = rng.choice(entities, size=(facts, 2), p=weights / weights.sum())
    for j, (a, b) in enumerate(picks):
        add_fact(g, f"f{j}", "met", "Meet", agent=f"e{a}", theme=f"e{b}")
    return g


@pytest.mark.parametrize("entities,facts", [(8, 5), (300, 500), (900, 1300)])
def test_layout_is_deterministic_and_spread(entities: int, facts: int) -> None:
    g = random_news_graph(entities, facts)
    first, second = layout(g), layout(g)
    assert first == second
    xy = np.array(list(first.values()))
    assert np.isfinite(xy).all()
    # Nodes are spread out: few pairs of nodes sit on top of each other.
    rounded = {(round(x / 10), round(y / 10)) for x, y in xy}
    assert len(rounded) > 0.9 * len(xy)


@pytest.mark.parametrize("entities,facts", [(8, 5), (200, 300), (900, 1300)])
def test_layout_spacing_suits_labels(entities: int, facts: int) -> None:
    """Neighbours sit about a label's width apart: no pile-ups, no wasted acres."""
    xy = np.array(list(layout(random_news_graph(entities, facts)).values()))
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=-1))
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    assert 50 < float(np.median(nearest)) < 250
    assert float(np.percentile(nearest, 10)) > 20


def test_disconnected_pieces_are_packed_close() -> None:
    g = russia_graph()
    for i in range(30):  # many two-entity stories
        add_entity(g, f"x{i}", f"X{i}", "Person")
        add_entity(g, f"y{i}", f"Y{i}", "Place")
        add_fact(g, f"g{i}", "visited", "Meet", agent=f"x{i}", theme=f"y{i}")
    xy = np.array(list(layout(g).values()))
    width, height = np.ptp(xy, axis=0)
    assert width < 3000 and height < 3000


def test_every_shipped_family_has_a_colour_of_its_own():
    from kg.lexicon import load_lexicon
    from kg.view import EXTRA_FAMILY_COLORS, FAMILY_STYLES

    families = {t.label for t in load_lexicon().types.values() if not t.parent}
    assert families <= set(FAMILY_STYLES)
    colours = [s.color for s in FAMILY_STYLES.values()]
    assert len(set(colours)) == len(colours) and not set(colours) & set(EXTRA_FAMILY_COLORS)


# ------------------------------------------------------------------------------- explorer ---


def explorer(graph: nx.MultiDiGraph) -> dict:
    return page_data(render_html(graph, title="t"))["explorer"]


def test_explorer_tables_hold_every_fact_with_its_time_roles_and_article() -> None:
    data = page_data(render_html(russia_graph(), title="t"))
    ex = data["explorer"]
    node_ids = {n["names"][0]: n["id"] for n in data["nodes"]}
    facts = {f["iri"]: f for f in ex["facts"]}
    assert set(facts) == {"f_enact", "f_call", "f_repeal", "f_sign", "f_host", "f_criticize", "f_arrest"}
    enact = facts["f_enact"]
    assert (enact["time"], enact["begin"], enact["end"], enact["latest"]) == ("2013-06", "2013-06-01", "2013-06-30", None)
    assert enact["roles"] == [["agent", node_ids["Russia"]], ["theme", node_ids['anti-gay "propaganda" law']]]
    assert enact["n"] == node_ids["enacted (2013)"]  # one id for the fact's row and its network node
    assert enact["family"] == "Law & policy"
    # a time known only by a bound is a bound, not a span
    assert (facts["f_repeal"]["begin"], facts["f_repeal"]["latest"]) == (None, "2013-08-20")
    # facts without any time come last; the rest in time order
    assert [f["iri"] for f in ex["facts"]][:3] == ["f_enact", "f_sign", "f_call"]
    critic = ex["articles"][facts["f_criticize"]["article"]]
    assert critic == {"title": "Russia's law", "iri": "https://example.org/article/1",
                      "url": "https://example.org/news/ioc", "date": "2013-09-02"}
    assert facts["f_criticize"]["conf"] == 0.9
    assert "Law & policy" in ex["families"] and "Person" in ex["kinds"]
    putin = next(e for e in ex["entities"] if e["iri"] == "putin")
    assert putin["names"] == ["Vladimir Putin", "Putin"] and putin["kind"] == "Person"


def test_explorer_links_only_http_urls_and_keeps_candidates_it_can_show() -> None:
    ex = explorer(hostile_graph())
    urls = {a["url"] for a in ex["articles"]}
    assert urls == {None}  # payloads, javascript: and " JavaScript:..." are no links
    e0 = next(e for e in ex["entities"] if e["iri"] == "e0")
    assert [reason for _, reason in e0["candidates"]] == [PAYLOADS[0]]  # "nowhere" is not in the view
    from kg.explorer import web_url

    assert web_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert web_url("HTTP://example.org/") == "HTTP://example.org/"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.org/", "http:/x", "https://ex ample.org",
                "file:///etc/passwd", "https://example.org/\u2028x", None, 7):
        assert web_url(bad) is None, bad


def big_story_graph() -> nx.MultiDiGraph:
    """A hub with many facts, and 200 lone facts with two participants each: a corpus's shape."""
    g = nx.MultiDiGraph()
    add_entity(g, "hub", "Hub", "Person")
    for i in range(40):
        add_entity(g, f"p{i}", f"Partner {i}", "Organization")
        add_entity(g, f"w{i}", f"word {i}", "Thing")
        add_fact(g, f"h{i}", "met", "Meet", agent="hub", recipient=f"p{i}", theme=f"w{i}")
    for i in range(200):
        add_entity(g, f"a{i}", f"Alone {i}", "Person")
        add_entity(g, f"b{i}", f"Other {i}", "Place")
        add_fact(g, f"l{i}", "visited", "Visit", agent=f"a{i}", theme=f"b{i}")
    return g


def test_a_big_graph_folds_lone_facts_and_single_theme_words_and_packs_them_below() -> None:
    from kg.view import folded

    graph = big_story_graph()
    fold = folded(graph)
    assert {f"l{i}" for i in range(200)} <= fold and {f"a{i}" for i in range(200)} <= fold
    assert {f"w{i}" for i in range(40)} <= fold  # a Thing in one fact only
    assert not {"hub", "h0", "p0"} & fold
    positions = layout(graph, fold=fold)
    lowest_story = max(positions[n][1] for n in graph if n not in fold or n.startswith("w"))
    assert min(positions[f"l{i}"][1] for i in range(200)) > lowest_story
    assert folded(russia_graph()) == set()  # a small graph shows everything
    nodes = page_data(render_html(graph, title="t"))["nodes"]
    assert sum(1 for n in nodes if n.get("fold")) == len(fold)


def test_filter_graph_says_how_many_facts_the_node_budget_left_out() -> None:
    graph = big_story_graph()
    assert filter_graph(graph).graph["facts_left_out"] == 0
    small = filter_graph(graph, max_nodes=30)
    kept = sum(1 for _, d in small.nodes(data=True) if d["kind"] == "Fact")
    assert 0 < kept < 240 and small.graph["facts_left_out"] == 240 - kept


def test_layout_of_nodes_without_edges() -> None:
    graph = nx.MultiDiGraph()
    for i in range(3):
        add_entity(graph, f"e{i}", f"Entity {i}", "Person")
    positions = layout(graph)
    assert len(set(positions.values())) == 3  # apart, not a crash (numpy's bincount of nothing)
