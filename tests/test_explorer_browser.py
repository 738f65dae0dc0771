"""The explorer in headless Chromium: search, panels, filters, the timeline's brush, the URL hash and
the back button, the CSV of the facts in view; and no payload runs in any of them."""
from __future__ import annotations

import csv
import io
import urllib.parse
from typing import Any

import pytest

from test_view import PAYLOADS, big_story_graph, hostile_graph, russia_graph
from test_view_browser import View, browser, open_view  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

DATED = {"f_enact", "f_call", "f_repeal", "f_sign", "f_host", "f_arrest"}  # f_criticize has no time


def settled(view: View) -> None:
    """Wait until the page has applied its URL's hash: a history step or a new hash reaches the
    page's script as a hashchange event, after the navigation itself."""
    view.page.wait_for_function("document.body.dataset.state === location.hash", timeout=10_000)


def hash_state(view: View) -> dict[str, str]:
    fragment = view.eval("location.hash").lstrip("#")
    return dict(urllib.parse.parse_qsl(fragment))


def shown_facts(view: View) -> set[str]:
    """The facts the network draws (not hidden), by IRI."""
    return set(view.eval("""() => {
      const ex = window.kgView.data.explorer;
      return ex.facts.filter(f => !window.kgView.nodes.get(f.n).hidden).map(f => f.iri);
    }"""))


def timeline_items(view: View) -> set[str]:
    return set(view.eval(
        "Array.from(document.querySelectorAll('[data-kg=timeline] [data-kg=timeline-item]'), e => e.dataset.fact)"))


def panel_rows(view: View) -> list[str]:
    return view.eval("Array.from(document.querySelectorAll('[data-kg=entity-panel] [data-kg=fact-row]'),"
                     " e => e.dataset.fact)")


def test_timeline_holds_every_fact_with_a_time_or_a_bound(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    assert view.eval("document.querySelector('[data-kg=timeline]').dataset.count") == str(len(DATED))
    assert timeline_items(view) == DATED
    bound = view.eval("document.querySelector('[data-fact=f_repeal]').className")
    assert "kg-tl-by" in bound  # drawn as a bound, not as a day
    assert "without" in view.eval("document.getElementById('kg-tl-count').textContent")
    view.assert_nothing_ran()


def test_search_opens_the_entity_panel_with_all_its_facts_in_time_order(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    view.page.fill("[data-kg=search]", "russian federation")
    view.page.press("[data-kg=search]", "Enter")
    panel = view.page.locator("[data-kg=entity-panel]")
    assert panel.get_attribute("data-entity") == "russia"
    assert panel.locator("h2").text_content() == "Russia"
    assert panel_rows(view) == ["f_enact", "f_call", "f_host"]  # June, August 2013, February 2014
    assert "Russia enacted a law" in panel.text_content()
    assert hash_state(view) == {"entity": "russia"}
    # its partners are one click away
    panel.get_by_role("button", name="All Out · 1").click()
    assert view.page.locator("[data-kg=entity-panel]").get_attribute("data-entity") == "allout"
    view.page.go_back()
    settled(view)
    assert view.page.locator("[data-kg=entity-panel]").get_attribute("data-entity") == "russia"
    view.assert_nothing_ran()


def test_family_filter_changes_network_timeline_and_panel_together(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    view.page.select_option("[data-kg=filter-family]", "Law & policy")
    law = {"f_enact", "f_sign", "f_repeal"}
    assert shown_facts(view) == law
    assert timeline_items(view) == law
    assert view.eval("document.querySelector('[data-kg=timeline]').dataset.count") == "3"
    hidden = view.eval("id => window.kgView.nodes.get(id).hidden",
                       view.eval("window.kgView.data.explorer.entities.find(e => e.iri === 'moscow').n"))
    assert hidden  # Moscow is only in the arrest
    assert hash_state(view) == {"family": "Law & policy"}
    view.page.fill("[data-kg=search]", "Vladimir Putin")
    view.page.press("[data-kg=search]", "Enter")
    assert panel_rows(view) == ["f_sign"]
    view.page.go_back()  # the panel closes, the filter stays
    settled(view)
    assert hash_state(view) == {"family": "Law & policy"}
    assert view.eval("document.getElementById('kg-side').hidden") is True
    view.page.go_back()  # the filter goes
    settled(view)
    assert shown_facts(view) == DATED | {"f_criticize"}
    assert view.page.locator("[data-kg=filter-family]").input_value() == ""
    view.assert_nothing_ran()


def test_brushing_the_timeline_filters_every_view_by_date(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    axis = view.page.locator("#kg-tl-axis").bounding_box()
    assert axis is not None
    xs = {f: view.eval(f"document.querySelector('[data-fact={f}]').getBoundingClientRect().x") for f in DATED}
    # from just before the signing (30 June) to just after the call (August): June's enactment
    # overlaps, the Olympics (February 2014) do not
    left, right = xs["f_sign"] - 2, xs["f_arrest"] + 8
    y = axis["y"] + axis["height"] / 2
    view.page.mouse.move(left, y)
    view.page.mouse.down()
    view.page.mouse.move((left + right) / 2, y)
    view.page.mouse.move(right, y)
    view.page.mouse.up()
    state = hash_state(view)
    assert set(state) == {"from", "to"} and state["from"] <= "2013-06-30" <= state["to"] < "2014-02-07"
    assert view.page.locator("[data-kg=filter-from]").input_value() == state["from"]
    assert "f_host" not in timeline_items(view) and "f_host" not in shown_facts(view)
    assert {"f_sign", "f_arrest"} <= timeline_items(view)
    assert "f_criticize" not in shown_facts(view)  # no time: not in a date range
    view.assert_nothing_ran()


def test_the_url_hash_restores_the_view(open_view: Any, tmp_path: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    url = view.page.url.split("#")[0]
    view.page.goto(url + "#" + urllib.parse.urlencode({"entity": "putin", "family": "Law & policy",
                                                        "from": "2013-01-01"}))
    view.page.reload()
    view.page.wait_for_function("window.__kgDrawnAt !== undefined")
    assert view.page.locator("[data-kg=entity-panel]").get_attribute("data-entity") == "putin"
    assert view.page.locator("[data-kg=filter-family]").input_value() == "Law & policy"
    assert view.page.locator("[data-kg=filter-from]").input_value() == "2013-01-01"
    assert timeline_items(view) == {"f_enact", "f_sign", "f_repeal"}
    assert view.eval("window.kgView.network.getSelectedNodes()") == [
        view.eval("window.kgView.data.explorer.entities.find(e => e.iri === 'putin').n")]
    # a name instead of an IRI opens the best match
    view.page.goto(url + "#entity=Moscow")
    view.page.wait_for_function("document.body.dataset.state === '#entity=moscow'", timeout=10_000)
    assert view.page.locator("[data-kg=entity-panel]").get_attribute("data-entity") == "moscow"
    view.assert_nothing_ran()


def test_clicking_a_timeline_item_opens_its_fact(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    view.page.locator("[data-fact=f_arrest]").click()
    panel = view.page.locator("[data-kg=fact-panel]")
    assert panel.get_attribute("data-fact") == "f_arrest"
    assert "Police arrested activists in Moscow." in panel.text_content()
    panel.get_by_role("button", name="Moscow").click()
    assert panel_rows(view) == ["f_arrest"]
    view.assert_nothing_ran()


def test_csv_of_the_facts_in_view(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    view.page.select_option("[data-kg=filter-family]", "Law & policy")
    with view.page.expect_download() as download:
        view.page.click("[data-kg=download-csv]")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert {r["event"] for r in rows} == {"f_enact", "f_sign", "f_repeal"}
    sign = next(r for r in rows if r["event"] == "f_sign")
    assert (sign["agent"], sign["theme"], sign["time"]) == ("Vladimir Putin", 'anti-gay "propaganda" law', "2013-06-30")
    assert next(r for r in rows if r["event"] == "f_repeal")["bound"] == "by 2013-08-20"
    view.assert_nothing_ran()


def test_small_pieces_are_folded_until_asked(open_view: Any) -> None:
    view = open_view(big_story_graph(), physics=False)
    assert "l0" not in shown_facts(view) and "h0" in shown_facts(view)
    view.page.check("[data-kg=show-folded]")
    assert "l0" in shown_facts(view)
    view.page.uncheck("[data-kg=show-folded]")
    view.page.fill("[data-kg=search]", "Alone 7")
    view.page.press("[data-kg=search]", "Enter")
    assert panel_rows(view) == ["l7"] and "l7" in shown_facts(view)  # what one asks for is drawn
    view.page.press("[data-kg=search]", "Enter")  # Enter again: the next match ("Alone 70")
    assert panel_rows(view) == ["l70"]
    view.assert_nothing_ran()


def test_hostile_article_text_runs_nothing_in_the_explorer(open_view: Any) -> None:
    title = "</title><script>window.__pwned=true</script><img src=x onerror=alert(1)>"
    view = open_view(hostile_graph(), title=title, physics=False)
    entities = view.eval("window.kgView.data.explorer.entities.map(e => e.iri)")
    facts = view.eval("window.kgView.data.explorer.facts.map(f => f.iri)")
    for iri in entities:  # every entity panel: names, candidates, partners, rows, articles
        view.eval("iri => window.kgView.explorer.go({entity: iri, fact: ''})", iri)
        assert view.eval("document.querySelector('[data-kg=entity-panel]').dataset.entity") == iri
        rows = view.page.locator("[data-kg=fact-row]")
        if rows.count():
            rows.first.click()
    for iri in facts:  # every fact panel
        view.eval("iri => window.kgView.explorer.go({fact: iri})", iri)
    for item in view.page.locator("[data-kg=timeline-item]").all():
        if item.is_visible():
            item.hover()
            item.click()
    # every filter value, by name as the page lists them
    for family in view.eval("window.kgView.data.explorer.families"):
        view.page.select_option("[data-kg=filter-family]", family)
    view.page.select_option("[data-kg=filter-article]", index=1)
    for payload in PAYLOADS[:6]:
        view.page.fill("[data-kg=search]", payload)
        view.page.press("[data-kg=search]", "Enter")
    csv_text = view.eval("window.kgView.explorer.csv()")
    for row in csv.reader(io.StringIO(csv_text)):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row)
    view.assert_nothing_ran()
    tags = set(view.eval("Array.from(document.querySelectorAll('#kg-side *, #kg-timeline *'), e => e.tagName)"))
    static = {"LABEL", "SELECT", "OPTION"}  # the timeline's own lane control
    assert tags <= {"DIV", "SPAN", "H2", "H3", "UL", "LI", "BLOCKQUOTE", "BUTTON"} | static, tags  # no A: no http(s) URL
    assert view.eval("document.querySelectorAll('img, svg, iframe, object, embed, a[href]').length") == 0


def test_timeline_lanes_by_entity(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    lanes = "Array.from(document.querySelectorAll('.kg-tl-name'), e => e.textContent)"
    assert view.eval(lanes) == ["Justice", "Law & policy", "Meetings & deals", "Statements"]
    view.page.select_option("[data-kg=timeline-group]", "entity")
    # the agent's lane (else the first participant's), the busiest first
    assert view.eval(lanes)[0] == "Russia"
    assert timeline_items(view) == DATED and hash_state(view) == {"group": "entity"}
    russia_lane = view.eval("""Array.from(document.querySelectorAll('.kg-tl-lane'))
      .find(l => l.firstChild.textContent === 'Russia').querySelectorAll('[data-kg=timeline-item]').length""")
    assert russia_lane == 2  # it enacted the law and hosts the Olympics (the call is All Out's)
    view.assert_nothing_ran()
