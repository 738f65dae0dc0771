"""Articles from the web, for real but offline: a news site served on 127.0.0.1 (tests/fixtures/),
with feeds, redirects and every way a page can fail."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import FetchError
from kg.store import open_store
from kg.web import (FetchPolicy, Fetcher, Link, USER_AGENT, clean_url, page_article, read_feed, read_links,
                    read_url_list)

from fixtures.server import SITE, Handler, NewsSite

ZELENSKY = "/news/zelensky-resignation.html"
NAVALNY = "/news/navalny-novichok.html"
ZELENSKY_TITLE = "Ukrainian president rejects prime minister's resignation over leaked audio recording"
NAVALNY_TITLE = "Germany says Alexei Navalny poisoned with Novichok"
# No pause per host, one retry; the test with the slow page shortens the timeout further.
FAST = ("--delay", "0", "--timeout", "5", "--retries", "1")

runner = CliRunner()


def kg_ingest(store, *args: str):
    return runner.invoke(cli, ["ingest", *args, "--store", str(store)], catch_exceptions=False)


def stored(store) -> dict[str, dict]:
    """The articles in the store by URL: headline, date, author, source."""
    db = open_store(store, read_only=True)
    try:
        result = db.query("""
            SELECT ?url ?headline ?date ?author ?source WHERE {
              ?a a schema:NewsArticle ; schema:url ?url ; kg:source ?source .
              OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date }
              OPTIONAL { ?a schema:author ?author }
            }""")
    finally:
        db.close()
    return {str(url): {"headline": h and str(h), "date": d and str(d), "author": au and str(au), "source": str(s)}
            for url, h, d, au, s in result.rows}


def page(path: str) -> str:
    return (SITE / path.lstrip("/")).read_text(encoding="utf-8")


@pytest.fixture
def site():
    with NewsSite() as s:
        yield s


# --- feeds ------------------------------------------------------------------------------------


def test_rss_feed_is_ingested_once(site, tmp_path, nlp):
    store = tmp_path / "store"
    first = kg_ingest(store, "--feed", site.url("/feed.rss"), *FAST)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("articles: 2 added, 0 replaced, 0 unchanged;")
    articles = stored(store)
    assert set(articles) == {site.url(ZELENSKY), site.url(NAVALNY)}
    assert articles[site.url(NAVALNY)]["headline"] == NAVALNY_TITLE
    assert articles[site.url(NAVALNY)]["date"] == "2020-09-05"
    assert articles[site.url(NAVALNY)]["source"] == site.url(NAVALNY)
    # the item carrying its full text (content:encoded) is read from the feed, the other fetched
    assert articles[site.url(ZELENSKY)] == {"headline": ZELENSKY_TITLE, "date": "2020-01-18",
                                            "author": "Wikinews contributors", "source": site.url(ZELENSKY)}
    assert site.hits[ZELENSKY] == 0 and site.hits[NAVALNY] == 1

    again = kg_ingest(store, "--feed", site.url("/feed.rss"), *FAST)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("articles: 0 added, 0 replaced, 2 unchanged; facts: 0; triples written: 0")
    assert site.hits[NAVALNY] == 1 and site.hits["/feed.rss"] == 2  # only the feed was read again


def test_atom_feed_since_limit_and_language(site, tmp_path, nlp):
    store = tmp_path / "store"
    result = kg_ingest(store, "--feed", site.url("/feed.atom"), "--since", "2020-02-01", *FAST)
    # Navalny (by a redirect, stored under its canonical URL) and the German page; Zelensky is older
    assert result.exit_code == 1
    assert result.stdout.startswith("articles: 1 added, 0 replaced, 0 unchanged, 1 failed;")
    assert result.stderr.strip() == (f"failed: [E070] {site.url('/de/stadtrat.html')}: not in English: "
                                     f"the page declares language 'de'")
    assert list(stored(store)) == [site.url(NAVALNY)]
    assert site.hits[ZELENSKY] == 0 and site.hits["/old/navalny"] == 1

    limited = kg_ingest(store, "--feed", site.url("/feed.atom"), "--limit", "1", *FAST)
    assert limited.exit_code == 0, limited.output
    # one item read: the redirect, found to be the article already stored
    assert limited.stdout.startswith("articles: 0 added, 0 replaced, 1 unchanged;")
    assert site.hits[ZELENSKY] == 0 and site.hits["/old/navalny"] == 2


def test_two_feeds_in_one_run_read_each_story_once(site, tmp_path, nlp):
    store = tmp_path / "store"
    result = kg_ingest(store, "--feed", site.url("/feed.atom"), "--feed", site.url("/feed.rss"), *FAST)
    # Navalny comes by the Atom feed's redirect and by the RSS link: one article, counted once
    assert result.stdout.startswith("articles: 2 added, 0 replaced, 1 unchanged, 1 failed;")
    assert set(stored(store)) == {site.url(NAVALNY), site.url(ZELENSKY)}
    assert site.hits[ZELENSKY] == 1  # the Atom item; the RSS item with the same link is not read again


def test_not_a_feed(site, tmp_path):
    result = kg_ingest(tmp_path / "store", "--feed", site.url(NAVALNY), *FAST)
    assert result.exit_code == 1
    assert f"failed: [E070] {site.url(NAVALNY)}: not an RSS or Atom feed" in result.stderr
    assert "Traceback" not in result.output


# --- URL lists and failures -------------------------------------------------------------------


def _failing_routes(site: NewsSite) -> None:
    def flaky(handler: Handler) -> None:  # a 500 the first time, then the page
        if site.hits["/flaky"] == 1:
            handler.send_body(b"<html><body>Internal error</body></html>", status=500)
        else:
            handler.send_body(page(ZELENSKY).replace("{{BASE}}", site.base).encode())

    def slow(handler: Handler) -> None:
        time.sleep(3)
        handler.send_body(page(ZELENSKY).replace("{{BASE}}", site.base).encode())

    def huge(handler: Handler) -> None:  # no Content-Length: the limit must hold while reading
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(64):
                handler.wfile.write(b"<p>" + b"Lorem ipsum dolor sit amet. " * 500 + b"</p>\n")
        except OSError:
            pass  # the client hung up at its limit, as it should

    def pdf(handler: Handler) -> None:
        handler.send_body(b"%PDF-1.4\n", content_type="application/pdf")

    site.routes.update({"/flaky": flaky, "/slow": slow, "/huge": huge, "/report.pdf": pdf})


def test_url_list_reports_each_failure_and_keeps_the_good(site, tmp_path, nlp):
    _failing_routes(site)
    links = tmp_path / "links.txt"
    links.write_text("\n".join([
        "# stories to read", "", site.url("/old/navalny"), site.url("/flaky"), site.url("/missing"),
        site.url("/slow"), site.url("/huge"), site.url("/index.html"), site.url("/de/stadtrat.html"),
        site.url("/report.pdf"), "ftp://example.org/story", site.url("/flaky#comments"),
    ]) + "\n")
    store = tmp_path / "store"
    args = ("--urls", str(links), "--max-bytes", "100000", "--fetch-jobs", "4", *FAST, "--timeout", "1")
    result = kg_ingest(store, *args)
    assert result.exit_code == 1
    assert result.stdout.startswith("articles: 2 added, 0 replaced, 0 unchanged, 7 failed;")
    failed = result.stderr.strip().splitlines()
    assert failed == [
        f"failed: [E070] {links}, line 11: not an http(s) URL: 'ftp://example.org/story'",
        f"failed: [E070] {site.url('/missing')}: HTTP 404 Not Found",
        f"failed: [E070] {site.url('/slow')}: timed out after 1 s (2 attempts)",
        f"failed: [E070] {site.url('/huge')}: response is over the limit of 100,000 bytes",
        f"failed: [E070] {site.url('/index.html')}: not an article: no paragraph of running text "
        f"(an index or list page?)",
        f"failed: [E070] {site.url('/de/stadtrat.html')}: not in English: the page declares language 'de'",
        f"failed: [E070] {site.url('/report.pdf')}: not an article: the server sent application/pdf, not a web page",
    ]
    assert set(stored(store)) == {site.url(NAVALNY), site.url(ZELENSKY)}  # canonical URLs
    assert site.hits["/missing"] == 1  # a 4xx is not asked again
    assert site.hits["/flaky"] == 2  # a 5xx is; `#comments` is the same page, read once
    assert site.hits["/slow"] == 2
    assert set(site.user_agents) == {USER_AGENT} and USER_AGENT.startswith("kg/")

    again = kg_ingest(store, *args)
    assert again.exit_code == 1
    assert again.stdout.startswith("articles: 0 added, 0 replaced, 2 unchanged, 7 failed; facts: 0; triples written: 0")


def test_a_page_by_url_and_a_changed_page(site, tmp_path, nlp):
    text = {"body": page(ZELENSKY)}
    site.routes["/live"] = lambda handler: handler.send_body(
        text["body"].replace("{{BASE}}/news/zelensky-resignation.html", site.url("/live")).encode())
    store = tmp_path / "store"
    first = kg_ingest(store, site.url("/live"), *FAST)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("articles: 1 added,")

    known = kg_ingest(store, site.url("/live"), *FAST)
    assert known.stdout.startswith("articles: 0 added, 0 replaced, 1 unchanged;")
    assert site.hits["/live"] == 1  # in the store already: not fetched

    text["body"] = text["body"].replace("He also instructed security agencies",
                                        "On Friday he also ordered the security agencies")
    changed = kg_ingest(store, site.url("/live"), "--refresh", *FAST)
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.startswith("articles: 0 added, 1 replaced, 0 unchanged;")
    db = open_store(store, read_only=True)
    try:
        rows = db.query("SELECT ?text WHERE { ?a schema:url ?u ; nif:isString ?text }").rows
    finally:
        db.close()
    assert len(rows) == 1 and "ordered the security agencies" in str(rows[0][0])


def test_files_and_urls_together(site, tmp_path, nlp):
    story = tmp_path / "story.txt"
    story.write_text("Senate passes budget\n\nThe Senate passed the budget on Tuesday after a long debate.\n")
    result = kg_ingest(tmp_path / "store", str(story), site.url(NAVALNY), *FAST)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("articles: 2 added,")
    assert "warning: 1 article(s) have no date" in result.stderr


def test_usage_errors(tmp_path):
    assert "give PATHS, URLs" in kg_ingest(tmp_path / "s").output
    assert "--since and --limit apply to --feed" in kg_ingest(tmp_path / "s", "x.txt", "--limit", "3").output


# --- the pieces -------------------------------------------------------------------------------


def test_politeness_one_host_at_a_pace_and_few_at_a_time(site):
    busy, most = [0], [0]
    lock = threading.Lock()

    def sleepy(handler: Handler) -> None:
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.2)
        with lock:
            busy[0] -= 1
        handler.send_body(page(NAVALNY).replace("{{BASE}}", site.base).encode())

    site.routes["/sleepy"] = sleepy
    fetcher = Fetcher(FetchPolicy(jobs=2, host_delay=0, timeout=5))
    outcomes = list(read_links((Link(site.url(f"/sleepy?n={n}")) for n in range(6)), fetcher))
    assert all(o.article for o in outcomes) and most[0] == 2

    stamps: list[float] = []
    site.routes["/stamp"] = lambda handler: (stamps.append(time.monotonic()), handler.send_body(b"ok"))
    fetcher = Fetcher(FetchPolicy(jobs=4, host_delay=0.15, timeout=5))
    start = time.monotonic()
    list(read_links((Link(site.url(f"/stamp?n={n}")) for n in range(4)), fetcher))
    # four workers, one host: the k-th request may not start before k pauses have passed
    assert len(stamps) == 4
    assert all(stamp - start >= k * 0.15 - 0.01 for k, stamp in enumerate(sorted(stamps)))


def test_server_errors_are_retried_with_backoff_then_reported(site):
    site.routes["/down"] = lambda handler: handler.send_body(b"down", status=503)
    fetcher = Fetcher(FetchPolicy(retries=2, backoff=0.05, host_delay=0, timeout=5))
    with pytest.raises(FetchError, match=r"/down: HTTP 503 Service Unavailable \(3 attempts\)$"):
        fetcher.get(site.url("/down"))
    assert site.hits["/down"] == 3


def test_page_article_reads_the_metadata():
    html = page(NAVALNY).replace("{{BASE}}", "http://news.test")
    article = page_article(html, "http://news.test/old/navalny?utm_source=feed")
    assert article.title == NAVALNY_TITLE
    assert article.date == dt.date(2020, 9, 5) and article.author == "Wikinews contributors"
    assert article.url == article.source == "http://news.test/news/navalny-novichok.html"
    assert "Cinema for Peace Foundation." in article.text and "CC BY" not in article.text
    # a canonical link to the home page would make every page of the site one article
    home = html.replace('href="http://news.test/news/navalny-novichok.html"', 'href="/"')
    assert page_article(home, "http://news.test/a/b").url == "http://news.test/a/b"


def test_feed_items(site):
    fetcher = Fetcher(FetchPolicy(host_delay=0))
    everything = read_feed(site.url("/feed.atom"), fetcher)
    assert [link.url for link in everything.new] == [site.url("/old/navalny"), site.url(ZELENSKY),
                                                     site.url("/de/stadtrat.html")]
    assert everything.new[1].date == dt.date(2020, 1, 18) and everything.new[1].html is None
    seen = read_feed(site.url("/feed.atom"), fetcher, known=lambda url: url.endswith(".html"), limit=5)
    assert [link.url for link in seen.new] == [site.url("/old/navalny")] and seen.known == 2


def test_url_lists_and_urls():
    text = "# news\n\nhttps://a.test/x\n  https://a.test/y#top  \nnot a url\n"
    got = list(read_url_list(text, "links.txt"))
    assert got[:2] == ["https://a.test/x", "https://a.test/y"]
    assert isinstance(got[2], FetchError) and str(got[2]) == "[E070] links.txt, line 5: not an http(s) URL: 'not a url'"
    with pytest.raises(FetchError):
        clean_url("file:///etc/passwd")


# --- whose article a page may be --------------------------------------------------------------


def test_a_canonical_url_on_another_site_is_not_trusted():
    html = page(NAVALNY).replace("{{BASE}}", "http://news.test")
    real = "http://news.test/news/navalny-novichok.html"
    # a copy elsewhere naming the real article as its canonical URL stays the copy
    assert page_article(html, "http://copies.test/navalny").url == "http://copies.test/navalny"
    # another host, or another port of this one, is another site
    local = html.replace(real, "http://localhost:8081/news/navalny-novichok.html")
    assert page_article(local, "http://127.0.0.1:8080/copy").url == "http://127.0.0.1:8080/copy"
    other_port = html.replace(real, "http://127.0.0.1:8081/news/navalny-novichok.html")
    assert page_article(other_port, "http://127.0.0.1:8080/copy").url == "http://127.0.0.1:8080/copy"
    # og:url (which trafilatura reads when there is no <link rel=canonical>) is held to the same rule
    og = html.replace(f'<link rel="canonical" href="{real}">', f'<meta property="og:url" content="{real}">')
    assert page_article(og, "http://copies.test/navalny").url == "http://copies.test/navalny"
    assert page_article(og, "http://news.test/old/navalny").url == real

    # the same site: the same host with or without www., and http moved to https
    assert page_article(html, "http://www.news.test/old/navalny").url == real
    secure = html.replace(real, "https://news.test/news/navalny-novichok.html")
    assert page_article(secure, "http://news.test/old/navalny").url == "https://news.test/news/navalny-novichok.html"
    # but not https moved back to http
    assert page_article(html, "https://news.test/old/navalny").url == "https://news.test/old/navalny"


def test_a_page_cannot_take_over_another_sites_article(tmp_path, nlp):
    with NewsSite() as real, NewsSite() as copier:
        story = real.url(NAVALNY)
        # another site's page claiming to be the real story, with words put in Merkel's mouth
        forged = (page(NAVALNY).replace("{{BASE}}", real.base)
                  .replace("demanded an explanation from Russia", "thanked Russia for its help"))
        copier.routes["/navalny"] = lambda handler: handler.send_body(forged.encode())

        # stored first, the real article keeps its facts when the copy comes
        store = tmp_path / "first"
        assert kg_ingest(store, story, *FAST).exit_code == 0
        taken = kg_ingest(store, copier.url("/navalny"), *FAST)
        assert taken.exit_code == 0, taken.output
        assert taken.stdout.startswith("articles: 1 added, 0 replaced,")
        assert set(stored(store)) == {story, copier.url("/navalny")}
        assert "demanded an explanation" in text_of(store, story)

        # stored first, the copy does not stop the real article from being read
        store = tmp_path / "second"
        assert kg_ingest(store, copier.url("/navalny"), *FAST).exit_code == 0
        later = kg_ingest(store, story, *FAST)
        assert later.stdout.startswith("articles: 1 added,"), later.output
        assert real.hits[NAVALNY] == 2
        assert "demanded an explanation" in text_of(store, story)


def text_of(store, url: str) -> str:
    db = open_store(store, read_only=True)
    try:
        rows = db.query(f'SELECT ?text WHERE {{ ?a schema:url ?u ; nif:isString ?text '
                        f'FILTER(str(?u) = "{url}") }}').rows
    finally:
        db.close()
    assert len(rows) == 1
    return str(rows[0][0])


def test_a_feeds_full_text_speaks_only_for_its_own_site():
    with NewsSite() as real, NewsSite() as feeds:
        story = real.url(NAVALNY)
        forged = ("<p>" + "Angela Merkel thanked Russia for its help with the case of Alexei Navalny today. " * 3
                  + "</p>")
        feeds.routes["/feed.rss"] = lambda handler: handler.send_body(f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Copies</title><link>{feeds.base}/</link><description>x</description>
<item><title>{NAVALNY_TITLE}</title><link>{story}</link><content:encoded><![CDATA[{forged}]]></content:encoded></item>
</channel></rss>""".encode(), content_type="application/rss+xml")
        fetcher = Fetcher(FetchPolicy(host_delay=0, timeout=5))
        report = read_feed(feeds.url("/feed.rss"), fetcher)
        [outcome] = read_links(report.new, fetcher)
        # the item's text is not the article at its link: that is read from its own site
        assert outcome.article.url == story and real.hits[NAVALNY] == 1
        assert "demanded an explanation from Russia" in outcome.article.text
        assert "thanked Russia" not in outcome.article.text


# --- time limits and stopping -----------------------------------------------------------------


def _dripping(release: threading.Event, *, headers_first: bool) -> Callable[[Handler], None]:
    """A route that sends one byte every 0.4 s: never slow enough for a socket timeout. It stops
    after a minute (or at `release`), so that a kg without a deadline fails the test, not hangs it."""
    def drip(handler: Handler) -> None:
        body = page(NAVALNY).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        if headers_first:
            handler.wfile.write(head)
            handler.wfile.flush()
        data = body if headers_first else head + body
        for i in range(150):
            if release.wait(0.4):
                return
            try:
                handler.wfile.write(data[i:i + 1])
                handler.wfile.flush()
            except OSError:
                return  # kg hung up: its deadline worked
    return drip


@pytest.fixture
def release():
    """Set at the end of a test, to end the slow routes' handlers."""
    event = threading.Event()
    yield event
    event.set()


def test_the_timeout_is_a_deadline_for_the_whole_page(site, tmp_path, release):
    site.routes["/drip"] = _dripping(release, headers_first=True)
    start = time.monotonic()
    result = kg_ingest(tmp_path / "store", site.url("/drip"), "--delay", "0", "--timeout", "2", "--retries", "0")
    assert time.monotonic() - start < 30  # 2 s and the rest of the run; generous for a busy machine
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"failed: [E070] {site.url('/drip')}: timed out after 2 s"]


def test_the_deadline_covers_the_status_line_and_headers(site, release):
    site.routes["/drip-head"] = _dripping(release, headers_first=False)
    fetcher = Fetcher(FetchPolicy(timeout=1.5, retries=0, host_delay=0))
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"/drip-head: timed out after 1.5 s$"):
        fetcher.get(site.url("/drip-head"))
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_ingest_during_a_slow_fetch(site, tmp_path, release, sig):
    """Ctrl-C, or a service manager's SIGTERM (which kg takes as Ctrl-C), while a page never
    answers: kg ends within seconds, with exit status 130 and no traceback, and what it wrote is
    whole."""
    site.routes["/never"] = lambda handler: release.wait(120)  # accepts, never answers
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "ingest", site.url(NAVALNY), site.url("/never"), "--store", str(store),
         "--delay", "0", "--timeout", "600", "--retries", "0", "--fetch-jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        # The page before the hanging one may still wait in the parser's batch: signal once the
        # fetch of the hanging page has begun.
        waited = time.monotonic()
        while not site.hits["/never"]:
            assert proc.poll() is None and time.monotonic() - waited < 120, proc.communicate()
            time.sleep(0.1)
        time.sleep(0.5)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    # what was written is whole, and the store opens for the next run
    for url in stored(store):
        assert url == site.url(NAVALNY) and "demanded an explanation from Russia" in text_of(store, url)
    open_store(store).close()


# --- one line per failure ---------------------------------------------------------------------


def test_a_redirect_loop_fails_in_one_line(site, tmp_path):
    def loop(handler: Handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "/loop")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.routes["/loop"] = loop
    result = kg_ingest(tmp_path / "store", site.url("/loop"), *FAST)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"failed: [E070] {site.url('/loop')}: too many redirects (a redirect loop?)"]
