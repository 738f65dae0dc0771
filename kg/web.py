"""Articles from the web: pages by URL, lists of URLs, RSS and Atom feeds.

Fetching is polite and bounded: a User-Agent that names kg, a deadline and a size limit per
response, retries with growing pauses on server errors and timeouts (never on 4xx, which will not
change by asking again), at most `jobs` requests at a time and a pause between two requests to
one host. Every problem with one URL (an HTTP status, a timeout, a page too large, not an article,
not in English) becomes a one-line `FetchError` naming it, so the caller can report it in a line
and go on with the next.

A page speaks only for its own site: the URL it is stored under is the address it was served from
(after redirects), or the canonical URL it names on the same site (`same_site`), never another
site's, so no page can replace, or pre-empt, another site's article.

This module knows nothing of the store: the caller says which URLs are already known (`known`),
so that a feed read again fetches only its new items.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import http.client
import io
import queue
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from email.message import Message
from html.parser import HTMLParser
from importlib import metadata
from typing import Generic, TypeVar, cast
from urllib.parse import urljoin, urlsplit, urlunsplit

from kg.articles import DEFAULT_MAX_BYTES, article_from_html, filled_in, has_prose
from kg.errors import ArticleError, FetchError, KgError
from kg.types import Article

T = TypeVar("T")


def _version() -> str:
    try:
        return metadata.version("kg")
    except metadata.PackageNotFoundError:
        return "dev"


USER_AGENT = f"kg/{_version()} (news knowledge graph; +https://w3id.org/kg-news)"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024
_RETRY_AFTER_MAX = 60.0  # seconds: the longest kg waits when a server asks it to (Retry-After)
_WINDOW_PER_JOB = 2  # fetches queued per worker: enough to keep workers busy, memory stays flat

# What makes a page an article rather than an index, a gallery or a login wall: one paragraph of
# running prose. Headline lists and navigation are many short lines without a full stop.
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_CHARSET_SNIFF_BYTES = 4096
_LANGUAGE_NAMES = {"en": "English"}  # for messages


@dataclass(frozen=True)
class FetchPolicy:
    """How hard kg may pull on other people's servers."""

    timeout: float = 30.0  # seconds for one attempt, from connecting to the last byte (redirects included)
    max_bytes: int = DEFAULT_MAX_BYTES  # per page or feed
    retries: int = 2  # further attempts after a 5xx, a 429 or a timeout
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    host_delay: float = 1.0  # seconds between two requests to the same host
    jobs: int = 4  # requests at a time
    language: str | None = "en"  # pages declaring another language are skipped; None keeps all


@dataclass(frozen=True)
class Page:
    url: str  # where it was found, after redirects
    body: bytes
    content_type: str  # "text/html", without parameters; "" when the server sent none
    charset: str | None


@dataclass(frozen=True)
class Link:
    """A URL to read an article from, with what a feed said about it."""

    url: str
    title: str | None = None  # the feed's metadata fills in what the page lacks
    date: dt.date | None = None
    author: str | None = None
    html: str | None = None  # the full text, when the feed item carries it
    language: str | None = None  # the feed's language, for that text
    feed: str | None = None  # where the feed was found: its full text counts only for links on its site


@dataclass(frozen=True)
class Outcome:
    """One link done: its article, or why there is none."""

    url: str
    article: Article | None = None
    error: KgError | None = None


class _Retry(Exception):
    """A failure that may pass: a 5xx, a 429, a timeout, a dropped connection."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait  # what the server asked for (Retry-After), if anything


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would also follow a redirect to ftp://; a web page may only lead to another one.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-web URL {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# --- a deadline per attempt -------------------------------------------------------------------
#
# A socket timeout bounds each read, not a response: a server sending a byte a second never trips
# it. So every socket kg opens for one attempt shares one deadline: connecting gets the time left,
# and each read of the status line, headers and body sets the socket's timeout to the time left
# and fails once there is none. (The name lookup before connecting is the system resolver's: no
# Python API bounds it.)


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class _TimedReader(io.RawIOBase):
    """A socket's reading end that gives up at the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        # socket's own reader, which keeps the socket open while in use: urllib closes the
        # connection's socket as soon as the headers are in, and the body is read after
        self._raw = sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _TimedSocket:
    """What `HTTPResponse` asks of a socket (`makefile`), reading under the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_TimedReader(self._sock, self._deadline))


class _TimedResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args, deadline: float, **kwargs) -> None:
        # HTTPResponse only calls its socket's makefile, which _TimedSocket provides
        super().__init__(cast(socket.socket, _TimedSocket(sock, deadline)), *args, **kwargs)


class _Timed:
    """An `http.client` connection whose connect and reads share one deadline."""

    response_class: type[http.client.HTTPResponse]

    def __init__(self, *args, deadline: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # also reads a proxy's CONNECT reply. typeshed wants a class; http.client only calls it
        self.response_class = partial(_TimedResponse, deadline=deadline)  # type: ignore[assignment]
        # http.client's own hook for opening the socket (an attribute, for tests to replace)
        self._create_connection = partial(self._connect_by, deadline)

    @staticmethod
    def _connect_by(deadline: float, address, timeout, source_address=None) -> socket.socket:
        sock = socket.create_connection(address, _time_left(deadline), source_address)
        # what is left of it for the TLS handshake (which Python bounds as a whole by this timeout)
        sock.settimeout(_time_left(deadline))
        return sock


class _TimedHTTPConnection(_Timed, http.client.HTTPConnection):
    pass


class _TimedHTTPSConnection(_Timed, http.client.HTTPSConnection):
    pass


class _TimedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req):
        return self.do_open(partial(_TimedHTTPConnection, deadline=self._deadline), req)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def do_open(self, http_class, req, **kwargs):
        # https_open's arguments differ between Python versions; only the class is replaced
        return super().do_open(partial(_TimedHTTPSConnection, deadline=self._deadline), req, **kwargs)


# --- fetching ---------------------------------------------------------------------------------


class Fetcher:
    """GETs URLs under a `FetchPolicy`; safe to share between threads."""

    def __init__(self, policy: FetchPolicy = FetchPolicy()) -> None:
        self.policy = policy
        self._lock = threading.Lock()
        self._next_turn: dict[str, float] = {}  # host -> monotonic time it may be asked again

    def get(self, url: str) -> Page:
        attempts = self.policy.retries + 1
        failure: _Retry | None = None
        for attempt in range(attempts):
            if failure is not None:
                time.sleep(max(self.policy.backoff * 2 ** (attempt - 1), failure.wait or 0.0))
            try:
                return self._get_once(url)
            except _Retry as exc:
                failure = exc
        assert failure is not None  # each attempt (at least one: retries >= 0) raised _Retry
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        raise FetchError(f"{url}: {failure.reason}{tries}")

    def _get_once(self, url: str) -> Page:
        self._wait_turn(url)
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                      "application/xml;q=0.9,*/*;q=0.5",
        })
        deadline = time.monotonic() + self.policy.timeout
        # An opener per attempt, as its handlers carry the attempt's deadline (through redirects).
        handlers = [_SafeRedirects(), _TimedHTTPHandler(deadline), _TimedHTTPSHandler(deadline)]
        if _is_loopback(url):
            # Proxies from the environment are honoured, except for this machine: no proxy reaches it.
            handlers.append(urllib.request.ProxyHandler({}))
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.policy.timeout) as response:
                return self._read(url, response)
        except urllib.error.HTTPError as exc:
            raise _http_error(url, exc) from None
        except (TimeoutError, socket.timeout):
            raise _Retry(f"timed out after {self.policy.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _Retry(f"timed out after {self.policy.timeout:g} s") from None
            if isinstance(exc.reason, (ConnectionResetError, ConnectionAbortedError)):
                raise _Retry("connection dropped by the server") from None
            # refused, unknown host, bad certificate: asking again will not help
            raise FetchError(f"{url}: cannot connect: {_reason(exc.reason)}") from None
        except (ConnectionResetError, ConnectionAbortedError, http.client.HTTPException):
            # RemoteDisconnected, IncompleteRead, a garbled status line: often passing trouble
            raise _Retry("connection dropped by the server") from None
        except (OSError, ValueError) as exc:
            raise FetchError(f"{url}: cannot fetch: {_reason(exc)}") from None

    def _read(self, url: str, response) -> Page:
        limit = self.policy.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url}: response is {int(declared):,} bytes, over the limit of {limit:,} bytes")
        chunks, size = [], 0
        while chunk := response.read(_CHUNK):  # each read of the socket under the deadline (_TimedReader)
            size += len(chunk)
            if size > limit:
                raise FetchError(f"{url}: response is over the limit of {limit:,} bytes")
            chunks.append(chunk)
        headers: Message = response.headers
        return Page(url=response.url, body=b"".join(chunks), content_type=headers.get_content_type()
                    if headers.get("Content-Type") else "", charset=headers.get_content_charset())

    def _wait_turn(self, url: str) -> None:
        """Book the next free slot for this URL's host, then sleep until it comes."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = time.monotonic()
            turn = max(now, self._next_turn.get(host, 0.0))
            self._next_turn[host] = turn + self.policy.host_delay
        if turn > now:
            time.sleep(turn - now)


def _http_error(url: str, exc: urllib.error.HTTPError) -> Exception:
    reason = str(exc.reason)
    if 300 <= exc.code < 400 and reason.startswith(urllib.request.HTTPRedirectHandler.inf_msg):
        # urllib's own message for this spans three lines
        return FetchError(f"{url}: too many redirects (a redirect loop?)")
    status = _one_line(f"HTTP {exc.code} {reason}")
    if exc.code >= 500 or exc.code == 429:
        return _Retry(status, _retry_after(exc.headers))
    return FetchError(f"{url}: {status}")


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After", "") if headers is not None else ""
    if value.strip().isdigit():
        return min(float(value), _RETRY_AFTER_MAX)
    return None  # an HTTP date: rare, and the backoff is a fair guess


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return _one_line(str(reason)) or type(reason).__name__


def _one_line(text: str) -> str:
    """A message on one line: a failure is reported as one `failed:` line, whatever the library
    underneath wrote."""
    return " ".join(text.split())


def _is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.startswith("127.") or host == "::1"


# --- URLs -------------------------------------------------------------------------------------


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def clean_url(url: str) -> str:
    """The URL without its #fragment (the same page), or a FetchError if it is no web URL."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host
        raise FetchError(f"{url}: not an http(s) URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url}: not an http(s) URL")
    return urlunsplit(parts._replace(fragment=""))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_site(url: str, fetched_from: str) -> bool:
    """Whether a page fetched from `fetched_from` may speak for `url`: name it as its canonical
    URL, or (a feed) carry its text.

    The same site is the same host, a leading "www." aside, on the same port, by the same scheme
    or moved from http to https (a site upgraded to TLS). Not from https to http: a page that
    came with a certificate's proof of its address keeps that address. Not the same registrable
    domain either: telling news.example.co.uk from example.co.uk needs the public suffix list,
    and a subdomain (blogs.example.com) may be another publisher's. Paths are not compared: one
    host is one publisher."""
    try:
        (named_scheme, named_host, named_port), (scheme, host, port) = _site(url), _site(fetched_from)
    except ValueError:  # a malformed port or IPv6 host
        return False
    if named_host != host:
        return False
    upgraded = (scheme, port, named_scheme, named_port) == ("http", 80, "https", 443)
    return (named_scheme, named_port) == (scheme, port) or upgraded


def _site(url: str) -> tuple[str, str, int | None]:
    """Scheme, host without "www." and port (the scheme's default if none is given) of a URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    return parts.scheme, host, parts.port or _DEFAULT_PORTS.get(parts.scheme)


def read_url_list(text: str, source: str) -> Iterator[str | FetchError]:
    """The URLs of a list, one per line; blank lines and lines starting with # are skipped.
    A line that is not a URL comes out as a FetchError naming file and line."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            yield clean_url(line)
        except FetchError:
            yield FetchError(f"{source}, line {number}: not an http(s) URL: {line[:80]!r}")


# --- pages ------------------------------------------------------------------------------------


class _Head(HTMLParser):
    """The page's declared language and canonical URL, from <html lang> and <link rel=canonical>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.language: str | None = None
        self.canonical: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and values.get("lang"):
            self.language = values["lang"]
        elif tag == "meta" and values.get("http-equiv", "").lower() == "content-language" and not self.language:
            self.language = values.get("content") or None
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split() and values.get("href"):
            self.canonical = self.canonical or values["href"]
        elif tag == "body":
            self.done = True


def _head(html: str) -> _Head:
    head = _Head()
    # Feed it in pieces and stop at <body>: the head is all it needs, the rest may be megabytes.
    for start in range(0, len(html), 8192):
        head.feed(html[start:start + 8192])
        if head.done:
            break
    return head


def decode_html(page: Page) -> str:
    """The page as text: the charset the server named, else the one the page names, else UTF-8
    (read as Windows-1252 if it is not UTF-8)."""
    sniffed = _CHARSET.search(page.body[:_CHARSET_SNIFF_BYTES])
    for charset in (page.charset, sniffed and sniffed.group(1).decode("ascii", "replace")):
        if charset:
            try:
                return page.body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return page.body.decode("utf-8")
    except UnicodeDecodeError:
        return page.body.decode("cp1252", errors="replace")


def page_article(html: str, url: str, *, language: str | None = "en") -> Article:
    """The article in a page's HTML read from `url` (after redirects). Its URL and source are the
    page's canonical URL when it names one on its own site, so a page reached by several
    addresses is one article; a canonical URL on another site is not believed, as the page
    would then replace that site's article, or stop it from being read (a URL in the store is
    not fetched again)."""
    head = _head(html)
    declared = (head.language or "").strip().lower()
    if language and declared and declared.split("-")[0] != language:
        wanted = _LANGUAGE_NAMES.get(language, repr(language))
        raise FetchError(f"{url}: not in {wanted}: the page declares language {declared!r}")
    try:
        article = article_from_html(html, url=url)
    except ArticleError as exc:
        raise FetchError(f"{url}: not an article: {_problem(exc, url)} (paywalled, or not a news page?)") from None
    if not has_prose(article):
        raise FetchError(f"{url}: not an article: no paragraph of running text (an index or list page?)")
    # trafilatura's URL is the canonical link again, or og:url, twitter:url, <base>
    named = (_canonical(head.canonical, url), _canonical(article.url, url))
    own = next((name for name in named if name and same_site(name, url)), url)
    return replace(article, url=own, source=own)


def _problem(exc: ArticleError, url: str) -> str:
    return _one_line(exc.args[0].removeprefix(f"{url}: "))


def _canonical(href: str | None, url: str) -> str | None:
    """The canonical URL a page names, made absolute; None if it names none or a useless one.
    Some sites name their home page as every page's canonical URL: that would make all their
    articles one, so a canonical URL without a path is ignored for a page that has one."""
    if not href:
        return None
    canonical = urljoin(url, html_lib.unescape(href.strip()))
    try:
        canonical = clean_url(canonical)
    except FetchError:
        return None
    if urlsplit(canonical).path in ("", "/") and urlsplit(url).path not in ("", "/"):
        return None
    return canonical


def link_article(link: Link, fetcher: Fetcher) -> Article:
    """The article a link leads to: from the feed's full text when it has it and the link is on
    the feed's own site, else from the page (a feed's text for another site's URL would be
    stored as that site's article)."""
    article = None
    if link.html and (link.feed is None or same_site(link.url, link.feed)):
        try:
            lang = f' lang="{html_lib.escape(link.language)}"' if link.language else ""
            article = page_article(f"<html{lang}><body>{link.html}</body></html>", link.url,
                                   language=fetcher.policy.language)
            article = replace(article, url=link.url, source=link.url)
        except FetchError:
            article = None  # a teaser, not the full text: read the page
    if article is None:
        page = fetcher.get(link.url)
        if page.content_type and page.content_type not in _HTML_TYPES:
            raise FetchError(f"{link.url}: not an article: the server sent {page.content_type}, not a web page")
        article = page_article(decode_html(page), page.url, language=fetcher.policy.language)
    return _filled_in(article, link)


def _filled_in(article: Article, link: Link) -> Article:
    """The article with the feed's title, date and author where the page has none."""
    return filled_in(article, title=link.title, date=link.date, author=link.author)


# --- feeds ------------------------------------------------------------------------------------


@dataclass
class FeedReport:
    new: list[Link]
    known: int = 0  # items whose URL is already in the store
    older: int = 0  # items before --since
    over_limit: int = 0  # new items past --limit, left for a later run


def read_feed(url: str, fetcher: Fetcher, *, known: Callable[[str], bool] = lambda u: False,
              since: dt.date | None = None, limit: int | None = None) -> FeedReport:
    """The items of an RSS or Atom feed that are not `known`, in the feed's order, at most `limit`
    of them, none published before `since` (items without a date are kept)."""
    import feedparser  # imported here: only feed reading needs it

    page = fetcher.get(url)
    content_type = page.content_type or "application/xml"
    if page.charset:
        content_type += f"; charset={page.charset}"
    # content-location: relative links in the feed resolve against where it was found.
    parsed = feedparser.parse(page.body, response_headers={"content-location": page.url,
                                                           "content-type": content_type})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or "no items"
        raise FetchError(f"{url}: not an RSS or Atom feed: {problem}")
    report = FeedReport(new=[])
    for entry in parsed.entries:
        link = _entry_link(entry, parsed.feed.get("language"), page.url)
        if link is None:
            continue
        if since and link.date and link.date < since:
            report.older += 1
        elif known(link.url):
            report.known += 1
        elif limit is not None and len(report.new) >= limit:
            report.over_limit += 1
        else:
            report.new.append(link)
    return report


def _entry_link(entry, language: str | None, feed: str) -> Link | None:
    href = entry.get("link") or (entry.get("id") if is_url(entry.get("id") or "") else None)
    if not href:
        return None  # an item that points nowhere: nothing to read or to remember it by
    try:
        url = clean_url(href)
    except FetchError:
        return None
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return Link(
        url=url,
        title=_text(entry.get("title")),
        date=dt.date(*when[:3]) if when else None,
        author=_text(entry.get("author")),
        html=_full_text(entry),
        language=_text(language),
        feed=feed,
    )


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _full_text(entry) -> str | None:
    """content:encoded or Atom <content>: the article itself (a <description> is a teaser)."""
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if "html" in (content.get("type") or ""):
            return value
        if value.strip():
            paragraphs = (f"<p>{html_lib.escape(p)}</p>" for p in value.split("\n\n") if p.strip())
            return "".join(paragraphs)
    return None


# --- many at a time ---------------------------------------------------------------------------


def read_links(links: Iterable[Link], fetcher: Fetcher, *,
               stop: threading.Event | None = None) -> Iterator[Outcome]:
    """Each link's article or error, in the order of `links`, with at most `policy.jobs` fetches
    at a time and only a few more queued: `links` may be a long stream. Once `stop` is set, no
    more outcomes come, and none is waited for.

    The fetching threads are daemons, not a ThreadPoolExecutor's: Python waits at exit for an
    executor's threads, so Ctrl-C would wait for a fetch in progress (up to its deadline, and
    its retries). A daemon thread still fetching when kg stops is dropped with the process; it
    holds nothing to save."""
    jobs = fetcher.policy.jobs
    todo: queue.SimpleQueue[_Task[Article] | None] = queue.SimpleQueue()
    workers = [threading.Thread(target=_run_tasks, args=(todo,), name=f"kg-fetch-{n}", daemon=True)
               for n in range(jobs)]
    for worker in workers:
        worker.start()
    pending: deque[tuple[Link, _Task[Article]]] = deque()
    try:
        for link in links:
            task = _Task(partial(link_article, link, fetcher))
            pending.append((link, task))
            todo.put(task)
            if len(pending) >= jobs * _WINDOW_PER_JOB:
                if not pending[0][1].wait(stop):
                    return
                yield _outcome(*pending.popleft())
        while pending:
            if not pending[0][1].wait(stop):
                return
            yield _outcome(*pending.popleft())
    finally:
        # Done, or stopped early (Ctrl-C, an error downstream): start nothing more, wait for nothing.
        for _, task in pending:
            task.cancelled = True
        for _ in workers:
            todo.put(None)


_STOP_POLL = 0.1  # seconds between two looks at the stop flag while waiting for a fetch


class _Task(Generic[T]):
    """A call made in a fetching thread, so that the thread waiting for it can stop waiting."""

    def __init__(self, call: Callable[[], T]) -> None:
        self.call = call
        self.cancelled = False
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            self._value = self.call()
        except BaseException as exc:  # raised again by result(), for the waiting thread
            self._error = exc
        finally:
            self._done.set()

    def start(self, name: str) -> _Task[T]:
        threading.Thread(target=self.run, name=name, daemon=True).start()
        return self

    def wait(self, stop: threading.Event | None = None) -> bool:
        """Wait until the call is done: True; or until `stop` is set: False."""
        if stop is None:
            return self._done.wait()
        while not stop.is_set():
            if self._done.wait(_STOP_POLL):
                return True
        return False

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        # the call's value: run() sets it before it sets _done, and result() is asked after wait()
        return cast(T, self._value)


def _run_tasks(todo: queue.SimpleQueue[_Task[Article] | None]) -> None:
    while (task := todo.get()) is not None:
        if not task.cancelled:
            task.run()


def _outcome(link: Link, task: _Task[Article]) -> Outcome:
    try:
        return Outcome(link.url, article=task.result())
    except KgError as exc:
        return Outcome(link.url, error=exc)


# --- one run ----------------------------------------------------------------------------------


@dataclass
class WebRun:
    """Articles from URLs and feeds for one `kg ingest`: each URL read at most once, URLs the
    store already has (`known`) not fetched at all, failures collected as (URL, reason).

    `stop()` (from a signal handler, say) ends `articles()` at once, whatever is being fetched:
    the thread reading them may be one the caller waits for."""

    fetcher: Fetcher
    known: Callable[[str], bool] = lambda url: False
    since: dt.date | None = None  # feed items published before are left out
    limit: int | None = None  # new items read per feed
    unchanged: int = 0  # URLs not fetched because the store has them, pages read twice in this run
    failed: list[tuple[str, str]] = field(default_factory=list)
    _stopped: threading.Event = field(default_factory=threading.Event, init=False, repr=False)

    def stop(self) -> None:
        """No more articles: fetches in progress are abandoned (safe to call from a signal handler)."""
        self._stopped.set()

    def articles(self, urls: Iterable[str | FetchError], feeds: Iterable[str]) -> Iterator[Article]:
        # A page reached by two addresses in one run (a feed's link and another's redirect) is one
        # article; the store cannot tell yet, its first copy may still be in the parser.
        read: set[str] = set()
        for outcome in read_links(self.links(urls, feeds), self.fetcher, stop=self._stopped):
            if outcome.article is None:
                self._fail(outcome.url, outcome.error)
            elif outcome.article.content_hash in read:
                self.unchanged += 1
            else:
                read.add(outcome.article.content_hash)
                yield outcome.article

    def links(self, urls: Iterable[str | FetchError], feeds: Iterable[str]) -> Iterator[Link]:
        seen: set[str] = set()  # a URL given twice, or in two feeds, is read once
        for url in urls:
            if isinstance(url, FetchError):
                self._fail(str(url), url)
            elif url in seen:
                continue
            elif self.known(url):
                seen.add(url)
                self.unchanged += 1
            else:
                seen.add(url)
                yield Link(url)
        for feed in feeds:
            # read in a thread of its own, so that stop() need not wait for a slow feed either
            task = _Task(partial(self._read_feed, feed)).start("kg-feed")
            if not task.wait(self._stopped):
                return
            try:
                report = task.result()
            except KgError as exc:
                self._fail(feed, exc)
                continue
            self.unchanged += report.known
            for link in report.new:
                if link.url not in seen:
                    seen.add(link.url)
                    yield link

    def _read_feed(self, feed: str) -> FeedReport:
        return read_feed(clean_url(feed), self.fetcher, known=self.known, since=self.since, limit=self.limit)

    def _fail(self, url: str, error: KgError | None) -> None:
        # one `failed:` line each, even from a message kg did not write itself
        self.failed.append((_one_line(url), _one_line(str(error))))
