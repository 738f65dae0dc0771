"""A hostile web page against a `kg serve --writable` on the same machine, in headless Chromium:
a page on another origin (another loopback port) and a `file:` page each try `DROP ALL` every
way a page can without the server's consent (form posts, urlencoded and text/plain, and no-cors
fetches), and the store must keep its data. The forms' answers, read from their frames, show the
requests did reach the server and were refused there."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from test_serve_security import TRIPLES, copy_of, count, kg_serve, store  # noqa: F401 (store: a fixture)
from test_view_browser import browser  # noqa: F401 (a fixture: Debian's chromium, headless)

pytestmark = pytest.mark.browser

ATTACK = """<!doctype html>
<meta charset="utf-8">
<form id="form" method="POST" action="{url}/update" target="form-answer">
  <input name="update" value="DROP ALL">
</form>
<form id="plain" method="POST" action="{url}/update?update=DROP%20ALL" enctype="text/plain" target="plain-answer">
  <input name="update" value="DROP ALL">
</form>
<iframe name="form-answer"></iframe><iframe name="plain-answer"></iframe>
<script>
const url = {url_json};
async function attack() {{
  document.getElementById('form').submit();
  document.getElementById('plain').submit();
  const tries = [
    ['/update', {{method: 'POST', mode: 'no-cors', body: 'update=DROP%20ALL',
                 headers: {{'Content-Type': 'application/x-www-form-urlencoded'}}}}],
    ['/update?update=DROP%20ALL', {{method: 'POST', mode: 'no-cors', body: 'DROP ALL'}}],
    // no-cors drops a Content-Type it does not allow: this goes as text/plain
    ['/update', {{method: 'POST', mode: 'no-cors', body: 'DROP ALL',
                 headers: {{'Content-Type': 'application/sparql-update'}}}}],
    // a CORS request: the preflight (OPTIONS) is never granted, so it is never sent
    ['/update', {{method: 'POST', body: 'DROP ALL', headers: {{'Content-Type': 'application/sparql-update'}}}}],
  ];
  const outcomes = [];
  for (const [path, options] of tries) {{
    try {{ const r = await fetch(url + path, options); outcomes.push(r.type + ' ' + r.status); }}
    catch (e) {{ outcomes.push('error'); }}
  }}
  return outcomes;
}}
</script>
"""


class AttackSite:
    """The attacker's page, on a loopback port of its own: another origin than the server."""

    def __init__(self, page: str) -> None:
        body = page.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/attack.html"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def frame_text(page: Any, name: str, seconds: float = 10) -> str:
    """The text of the named frame once a form's answer has loaded in it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = page.frame(name=name)
        try:
            text = frame.inner_text("body", timeout=1000) if frame else ""
        except Exception:  # noqa: BLE001 (mid-navigation)
            text = ""
        if text.strip():
            return text
        page.wait_for_timeout(200)
    return ""


def test_a_hostile_page_cannot_drop_the_store(browser, store, tmp_path):  # noqa: F811
    with kg_serve(copy_of(store, tmp_path), "--writable") as served:
        page_text = ATTACK.format(url=served.url, url_json=json.dumps(served.url))
        local = tmp_path / "attack.html"
        local.write_text(page_text, encoding="utf-8")
        site = AttackSite(page_text)
        try:
            for address in (site.url, local.as_uri()):
                context = browser.new_context()
                try:
                    page = context.new_page()
                    page.goto(address)
                    outcomes = page.evaluate("attack()")
                    assert outcomes[:3] == ["opaque 0"] * 3 and outcomes[3] == "error", (address, outcomes)
                    answers = {name: frame_text(page, name) for name in ("form-answer", "plain-answer")}
                    assert count(served.url) == TRIPLES, address
                    assert "updates from web pages are refused" in answers["form-answer"], (address, answers)
                    assert "not text/plain" in answers["plain-answer"], (address, answers)
                finally:
                    context.close()
        finally:
            site.close()
