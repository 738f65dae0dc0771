"""The HTML view in headless Chromium: offline, drawn, interactive, and no payload ever runs."""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.view import write_html
from test_view import PAYLOADS, hostile_graph, random_news_graph, russia_graph

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ALLOWED_SCHEMES = ("file:", "data:", "about:")

# Runs before the page's own scripts: records CSP violations (a blocked script, handler or
# load would mean markup got through the escaping) and which elements get created.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""

INK = """() => {
  const c = document.querySelector('#kg-graph canvas');
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4)
    if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) ink++;
  return ink;
}"""

# Screen points of every node centre and every edge's midpoint (on its curve, if curved).
TARGETS = """() => {
  const net = window.kgView.network;
  const box = document.querySelector('#kg-graph canvas').getBoundingClientRect();
  const at = (kind, id, p) => {
    const d = net.canvasToDOM(p);
    return {kind: kind, id: id, x: box.left + d.x, y: box.top + d.y};
  };
  const nodes = Object.entries(net.getPositions()).map(([id, p]) => at('node', Number(id), p));
  const edges = window.kgView.edges.getIds().map(
    id => at('edge', id, net.body.edges[id].edgeType.getPoint(0.5)));
  return nodes.concat(edges);
}"""

TOOLTIP = """() => {
  const tip = document.querySelector('div.vis-tooltip');
  if (!tip || tip.style.visibility === 'hidden') return null;
  return {text: tip.textContent,
          tags: Array.from(tip.querySelectorAll('*'), e => e.tagName.toLowerCase())};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class View:
    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def assert_nothing_ran(self) -> None:
        assert self.eval("window.__pwned") is None
        assert self.dialogs == []
        assert self.eval("window.__csp") == []
        assert self.errors == []
        assert [u for u in self.requests if not u.startswith(ALLOWED_SCHEMES)] == []


@pytest.fixture
def open_view(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages = []

    def open_(graph: nx.MultiDiGraph, *, title: str = "Test view", physics: bool | None = None,
              size: tuple[int, int] = (1200, 800)) -> View:
        path = tmp_path / f"view{len(pages)}.html"
        write_html(graph, path, title=title, physics=physics)
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        pages.append(page)
        view = View(page)
        page.on("request", lambda r: view.requests.append(r.url))
        page.on("dialog", lambda d: (view.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: view.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and view.errors.append(m.text))
        page.add_init_script(WATCH)
        page.goto(path.as_uri())
        page.wait_for_function("window.__kgDrawnAt !== undefined", timeout=30_000)
        return view

    yield open_
    for page in pages:
        page.close()


def test_page_is_offline_and_draws_the_graph(open_view: Any) -> None:
    view = open_view(russia_graph(), title="Russia", physics=True)  # vis stabilises, then draws
    assert view.eval(INK) > 2000  # nodes, edges and labels, not an empty canvas
    view.assert_nothing_ran()
    assert view.requests == [view.page.url]  # the file itself, nothing else
    legend = view.eval("document.getElementById('kg-legend').innerText")
    for name in ("Person", "Organization", "Place", "Legislation", "Law & policy", "Justice"):
        assert name in legend
    assert "CreativeWork" not in legend
    assert view.eval("document.getElementById('kg-counts').textContent") == "9 entities \u00b7 7 facts"
    assert view.eval("document.title") == "Russia"


def test_hostile_graph_runs_no_payload(open_view: Any) -> None:
    title = "</title><script>window.__pwned=true</script><img src=x onerror=alert(1)>"
    view = open_view(hostile_graph(), title=title, physics=False)
    assert view.eval("document.title") == title  # shown as text
    assert view.eval("document.querySelector('h1').textContent") == title
    # Tooltips at once, and the legend and the side panel out of the way of the pointer (the
    # explorer's tests open the panels).
    view.eval("window.kgView.network.setOptions({interaction: {tooltipDelay: 0}})")
    view.eval("document.getElementById('kg-legend').style.display = 'none'")
    view.eval("document.getElementById('kg-side').style.visibility = 'hidden'")
    edge_titles = {e["id"]: e["title"] for e in view.eval("window.kgView.data.edges")}

    shown = 0
    for target in view.eval(TARGETS):
        view.page.mouse.move(target["x"], target["y"])
        view.page.wait_for_timeout(40)
        tip = view.eval(TOOLTIP)
        if tip is None:
            continue
        shown += 1
        # Only the elements our script builds; markup in the text stays text.
        assert set(tip["tags"]) <= {"div", "span", "blockquote"}
        if target["kind"] == "edge" and tip["tags"] == []:
            # A string title: vis 9.1.2 shows it with innerText, so it must read back verbatim.
            assert tip["text"] == edge_titles[target["id"]]
        view.page.mouse.click(target["x"], target["y"])
    assert shown > 30
    assert any("<img src=x" in t for t in edge_titles.values())

    for payload in PAYLOADS[:6]:
        view.page.fill("#kg-query", payload)
        view.page.press("#kg-query", "Enter")
    view.page.wait_for_timeout(400)  # the focus animation
    assert view.eval("document.getElementById('kg-status').textContent") != "no match"
    view.assert_nothing_ran()
    assert view.eval("document.querySelectorAll('img, svg, iframe, a, object, embed').length") == 0


def test_search_focuses_and_highlights(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    ids = {n["names"][0]: n["id"] for n in view.eval("window.kgView.data.nodes")}
    background = "id => window.kgView.nodes.get(id).color.background"

    view.page.fill("#kg-query", "putin")  # an alias, any case
    view.page.press("#kg-query", "Enter")
    assert view.eval("window.kgView.network.getSelectedNodes()") == [ids["Vladimir Putin"]]
    assert view.eval("document.getElementById('kg-status').textContent") == "1 match"
    assert view.eval(background, ids["Moscow"]) == "#eeeeee"  # not a neighbour: dimmed
    assert view.eval(background, ids['anti-gay "propaganda" law']) != "#eeeeee"

    view.page.fill("#kg-query", "russian federation")
    view.page.press("#kg-query", "Enter")
    assert view.eval("window.kgView.network.getSelectedNodes()") == [ids["Russia"]]

    view.page.fill("#kg-query", "no such thing")
    view.page.press("#kg-query", "Enter")
    assert view.eval("document.getElementById('kg-status').textContent") == "no match"
    assert view.eval(background, ids["Moscow"]) != "#eeeeee"  # highlight cleared
    view.assert_nothing_ran()


def test_click_highlights_the_neighbourhood(open_view: Any) -> None:
    view = open_view(russia_graph(), physics=False)
    view.eval("document.getElementById('kg-legend').style.display = 'none'")
    ids = {n["names"][0]: n["id"] for n in view.eval("window.kgView.data.nodes")}
    targets = {t["id"]: t for t in view.eval(TARGETS) if t["kind"] == "node"}
    dimmed = "id => window.kgView.nodes.get(id).color.background === '#eeeeee'"

    putin = targets[ids["Vladimir Putin"]]
    view.page.mouse.click(putin["x"], putin["y"])
    # Putin, his fact, and the law through it stay; the rest fades.
    for name in ("Vladimir Putin", "signed (2013)", 'anti-gay "propaganda" law'):
        assert not view.eval(dimmed, ids[name])
    for name in ("Russia", "Moscow", "enacted (2013)"):
        assert view.eval(dimmed, ids[name])

    box = view.eval("(() => { const b = document.querySelector('#kg-graph canvas')"
                    ".getBoundingClientRect(); return [b.left, b.bottom]; })()")
    view.page.mouse.click(box[0] + 5, box[1] - 5)  # empty canvas: everything back
    assert not any(view.eval(dimmed, i) for i in ids.values())
    view.assert_nothing_ran()


def test_big_graph_is_drawn_quickly_without_physics(open_view: Any) -> None:
    graph = random_news_graph(600, 900)  # 1,500 nodes
    start = time.perf_counter()
    view = open_view(graph, title="Big")
    assert time.perf_counter() - start < 20  # render + load + first frame; typically ~2 s
    assert view.eval("window.kgView.data.physics") is False
    assert view.eval("window.__kgDrawnAt") < 10_000
    assert view.eval(INK) > 2000
    view.assert_nothing_ran()
