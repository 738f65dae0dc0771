"""kg serve's explorer in headless Chromium: the page the server draws, and a search for a name the
page does not hold, which asks the server for that entity's part of the store."""
from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from test_serve_security import in_process
from test_view_browser import WATCH, browser  # noqa: F401  (a fixture: Debian's chromium, headless)

pytestmark = pytest.mark.browser


def test_served_explorer_loads_what_the_page_does_not_hold(browser: Any, sample_store: Path) -> None:
    with in_process(sample_store) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(WATCH)
        try:
            # a page of a few facts, so that most names are not on it
            page.goto(f"{url}/explorer?max_nodes=6")
            page.wait_for_function("window.__kgDrawnAt !== undefined", timeout=30_000)
            names = page.evaluate("window.kgView.data.explorer.entities.map(e => e.label)")
            assert "Kay Ivey" not in names
            assert "of" in page.text_content("#kg-counts")  # says it holds a part of the store
            page.fill("[data-kg=search]", "kay ivey")
            with page.expect_navigation():
                page.press("[data-kg=search]", "Enter")
            page.wait_for_function("window.__kgDrawnAt !== undefined", timeout=30_000)
            assert urllib.parse.unquote_plus(page.url).endswith("/explorer?entity=kay ivey")
            panel = page.locator("[data-kg=entity-panel]")
            assert panel.locator("h2").text_content() == "Kay Ivey"
            assert panel.locator("[data-kg=fact-row]").count() >= 3
            # the panel's way to the rest of the store, for an entity on the page
            with page.expect_navigation():
                panel.get_by_role("button", name="All its facts in the store \u2192").click()
            assert "entity=https" in page.url
            assert page.evaluate("window.__pwned") is None and page.evaluate("window.__csp") == []
            assert errors == []
            assert all(r.startswith(url + "/explorer") for r in requests), requests  # nothing else
        finally:
            page.close()
