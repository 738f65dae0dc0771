"""The README's pictures of the explorer, made from the sample articles (`make screenshots`).

    .venv/bin/python docs/screenshots.py

Ingests data/articles into a temporary store, writes the page with `kg view`, and photographs it
in Debian's chromium (headless, through Playwright): the overview, and an entity's panel opened by
the search box. Run it after changing the page.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store, page_path = Path(tmp) / "store", Path(tmp) / "graph.html"
        subprocess.run([*KG, "ingest", str(ROOT / "data/articles"), "--store", str(store)], check=True,
                       capture_output=True)
        subprocess.run([*KG, "view", "--store", str(store), "-o", str(page_path),
                        "--title", "kg: the sample articles"], check=True, capture_output=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.__kgDrawnAt !== undefined")
            page.wait_for_timeout(1500)  # the small graph's capped physics settles
            shoot(page, "explorer-overview.png")
            page.fill("[data-kg=search]", "Russia")
            page.press("[data-kg=search]", "Enter")
            page.wait_for_timeout(600)
            shoot(page, "explorer-entity.png")
            browser.close()


def shoot(page, name: str) -> None:
    path = ROOT / "docs" / name
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
