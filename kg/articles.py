"""Article loaders: a file, a folder of files or stdin text -> `Article`s.

Formats: plain text, Markdown with YAML front matter, HTML (main text via trafilatura, offline),
JSON and JSON Lines. Every problem with the input becomes one `ArticleError` naming the file and
what is wrong, so the CLI can report it in a line and go on with the next file.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import fnmatch
import io
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import trafilatura
import yaml
from dateutil import parser as dateutil_parser

from kg.errors import ArticleError
from kg.types import Article, source_name

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# (decoded text, source) -> its articles; a file of several records (JSON list, JSON lines) gives
# an ArticleError in place of each record that cannot be read, so that one bad record loses no other
Parser = Callable[[str, str], list["Article | ArticleError"]]
OnError = Callable[[ArticleError], None]

# Metadata keys, first match wins: our own names, then schema.org / feed names.
_TEXT_KEYS = ("text", "body", "content")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "datePublished", "published")
_URL_KEYS = ("url", "link", "source_url")
_AUTHOR_KEYS = ("author",)

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Two unlike defaults: dateutil silently fills missing parts from the default, so a date that
# parses differently against each was missing a year, month or day.
_DATE_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))

# A date line ends where the byline or reading time starts: "Nov 9, 2013· 1 MIN READ".
_DATELINE_END = re.compile(r"\s*(?:[·•|—–]|\s-\s)")
# Wire-style datelines put the place first: "WASHINGTON, Nov. 9, 2013 — The Senate ...".
_DATELINE_PLACE = re.compile(r"\A[A-Z][A-Z .'-]*,\s+")
_YEAR = re.compile(r"\b\d{4}\b")
_DATELINE_MAX_CHARS = 40
_DATELINE_LINES = 3  # a subtitle may come before it

_FRONT_MATTER = re.compile(r"---\n(.*?)^(?:---|\.\.\.)$\n?", re.DOTALL | re.MULTILINE)
_MD_HEADING = re.compile(r"#\s+(.+?)(?:\s+#+)?")

_BINARY_SAMPLE = 8192  # judge by a prefix, as file(1) does, not by scanning 5 MB
_BINARY_CONTROL_SHARE = 0.1


def parse_date(value: object) -> dt.date:
    """A calendar date from a date, a datetime (its date part, as written) or a string such as
    `2013-11-09`, `Nov 9, 2013`, `9 November 2013` or an ISO datetime. Needs year, month and day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ArticleError(f"not a date: {value!r} (a {type(value).__name__})")
    try:
        first, second = (dateutil_parser.parse(value, default=d) for d in _DATE_DEFAULTS)
    except (ValueError, OverflowError):
        raise ArticleError(f"not a date: {value!r}") from None
    if first != second:
        raise ArticleError(f"incomplete date (needs year, month and day): {value!r}")
    return first.date()


def load_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, on_error: OnError | None = None) -> list[Article]:
    """The articles in one file, parsed by its extension; unknown extensions are read as text.

    In a file of several records (a JSON list, JSON lines) each record is an article of its own;
    a record that cannot be read is given to `on_error` and the others are kept (without
    `on_error`, it is raised). A problem with the whole file is always raised."""
    path = Path(path)
    source = str(path)
    text, notes = _decode(_read(path, max_bytes), source)
    parse = _PARSERS.get(path.suffix.lower())
    if parse is None:
        if _looks_binary(text):
            kind = path.suffix or "(no extension)"
            raise _error(source, f"unsupported file type {kind}: not text")
        parse = _parse_txt
    articles = [replace(a, notes=notes + a.notes) for a in _load(text, parse, source, on_error)]
    named = _date_in_name(path.name)
    if named is not None and len(articles) == 1 and articles[0].date is None:
        articles = [replace(articles[0], date=named, notes=articles[0].notes + ("date taken from the file name",))]
    return articles


_NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?=[_\-. ])")


def _date_in_name(name: str) -> dt.date | None:
    """Archives often name files by date ("2020-01-05_story.txt"): the last resort for a date."""
    m = _NAME_DATE.match(name)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m[1])
    except ValueError:
        return None


def load_text(text: str, *, fmt: str = "txt", source: str = "-", on_error: OnError | None = None) -> list[Article]:
    """The articles in a text already read (stdin); `fmt` is txt, md, html, json or jsonl
    (`on_error` as for `load_path`)."""
    parse = _PARSERS.get("." + fmt.lower().lstrip("."))
    if parse is None:
        formats = ", ".join(sorted(s.lstrip(".") for s in _PARSERS))
        raise _error(source, f"unknown format {fmt!r} (expected one of {formats})")
    return _load(text, parse, source, on_error)


OnSkip = Callable[[Path, str], None]
_LINK_OUT = "a symbolic link out of the folder (--follow-symlinks reads it)"
# Files that by convention sit beside articles and are none, by name without extension, in any
# case: a folder of articles from a repository or an archive often has them.
NOT_ARTICLES = frozenset({"readme", "license", "licence", "copying", "notice", "attribution", "authors",
                          "contributors", "changelog", "changes", "history", "contributing", "code_of_conduct",
                          "security", "citation"})
# A manifest beside the articles: one record per file (`file`, and any of url, date, title, author)
MANIFESTS = ("manifest.jsonl", "manifest.csv")


def iter_paths(paths: Iterable[Path], *, follow_symlinks: bool = False, include: tuple[str, ...] = (),
               exclude: tuple[str, ...] = (), on_skip: OnSkip | None = None) -> Iterator[Path]:
    """Files pass through as given; folders expand to their supported files, recursively and
    sorted, skipping hidden files and folders (.git, .DS_Store, editor backups).

    In a folder, files that by convention are no articles (README, LICENSE, ATTRIBUTION,
    CHANGELOG, CONTRIBUTING..., see NOT_ARTICLES) and manifests are left out, and so is a
    symbolic link that leads out of the folder (`x.txt` -> /etc/passwd) unless `follow_symlinks`:
    whoever hands kg a folder may not know what its links reach. `include` globs (matched on the
    path within the folder, or the name) choose which files are read, conventional names too;
    `exclude` globs leave files out. What is left out for a reason a user may not expect goes to
    `on_skip` (path, reason)."""
    skip = on_skip or (lambda path, reason: None)
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(_chosen(_walk(path, follow_symlinks, skip), path, include, exclude, skip))
        else:
            yield path


def _chosen(files: Iterable[Path], folder: Path, include: tuple[str, ...], exclude: tuple[str, ...],
            on_skip: OnSkip) -> Iterator[Path]:
    def matches(path: Path, globs: tuple[str, ...]) -> bool:
        inside = path.relative_to(folder).as_posix()
        return any(fnmatch.fnmatch(inside, g) or fnmatch.fnmatch(path.name, g) for g in globs)

    for path in files:
        if matches(path, exclude) or (include and not matches(path, include)):
            continue
        if path.name.lower() in MANIFESTS:
            on_skip(path, "a manifest: read as metadata for the files it names")
        elif path.stem.lower() in NOT_ARTICLES and not include:
            on_skip(path, "not an article by its name (--include reads it)")
        else:
            yield path


def read_manifests(folder: Path, on_error: OnError) -> dict[Path, dict[str, Any]]:
    """The metadata of the manifests in `folder` and below (MANIFEST.jsonl, MANIFEST.csv: a
    `file` field, relative to the manifest, and any of url, date, title, author), by the
    resolved path of the file it describes. A bad record goes to `on_error`; the others count."""
    found: dict[Path, dict[str, Any]] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.lower() in MANIFESTS:
                found.update(_manifest(Path(root, name), on_error))
    return found


def _manifest(path: Path, on_error: OnError) -> dict[Path, dict[str, Any]]:
    try:
        text, _ = _decode(_read(path, DEFAULT_MAX_BYTES), str(path))
    except ArticleError as exc:
        on_error(exc)
        return {}
    if path.suffix.lower() == ".csv":
        rows: list[tuple[str, Any]] = [(f"line {n}", row)
                                       for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2)]
    else:
        rows = []
        for where, row in _json_lines(text, str(path)):  # lines that are no JSON are named first
            if isinstance(row, ArticleError):
                on_error(row)
            else:
                rows.append((where, row))
    found = {}
    for where, row in rows:
        name = source_name(str(path), where)
        if not isinstance(row, dict) or not isinstance(row.get("file"), str) or not row["file"]:
            on_error(_error(name, "a manifest record needs a 'file' field"))
            continue
        try:
            found[(path.parent / row["file"]).resolve()] = _metadata(row, name, "")
        except ArticleError as exc:
            on_error(exc)
    return found


def with_metadata(article: Article, meta: dict[str, Any]) -> Article:
    """The article with what a manifest says of its file: the url, author and title it lacks,
    and the date unless the file stated one itself (a dateline or a file name is only a guess)."""
    guessed = any(note.startswith("date taken from") for note in article.notes)
    if meta.get("date") and guessed:
        notes = tuple(n for n in article.notes if not n.startswith("date taken from"))
        article = replace(article, date=None, notes=notes)
    cleaned: dict[str, Any] = {k: _one_line(v) if isinstance(v, str) else v for k, v in meta.items()}
    return filled_in(article, **cleaned)


def filled_in(article: Article, *, title: str | None = None, date: dt.date | None = None, url: str | None = None,
              author: str | None = None) -> Article:
    """The article with the metadata it lacks taken from elsewhere (a manifest, a feed); a title
    leads the text, as a title read from the file does."""
    changes: dict[str, Any] = {k: v for k, v in (("date", date), ("url", url), ("author", author))
                               if v and not getattr(article, k)}
    if title and not article.title:
        changes["title"], changes["text"] = title, f"{title}\n\n{article.text}"
    return replace(article, **changes) if changes else article


def _walk(folder: Path, follow_symlinks: bool, on_skip: OnSkip) -> Iterator[Path]:
    top = folder.resolve()
    walked: set[str] = set()  # real folders: links can lead in circles
    for root, dirs, files in os.walk(folder, followlinks=follow_symlinks):
        real = os.path.realpath(root)
        if real in walked:
            dirs[:] = []
            continue
        walked.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            link = Path(root, name)
            if not follow_symlinks and link.is_symlink() and not _within(link, top):
                on_skip(link, _LINK_OUT)
        for name in files:
            path = Path(root, name)
            if name.startswith(".") or path.suffix.lower() not in _PARSERS:
                continue
            if not follow_symlinks and path.is_symlink() and not _within(path, top):
                on_skip(path, _LINK_OUT)
                continue
            yield path


def _within(link: Path, folder: Path) -> bool:
    return link.resolve().is_relative_to(folder)


# --- reading and decoding ---------------------------------------------------------------------


def _error(source: str, problem: str) -> ArticleError:
    return ArticleError(f"{source_name(source)}: {problem}")


def _read(path: Path, max_bytes: int) -> bytes:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _error(source, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
        with path.open("rb") as file:
            # One byte past the limit: pipes and devices report no size but may never end.
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise _error(source, "no such file") from None
    except IsADirectoryError:
        raise _error(source, "is a folder, not a file") from None
    except OSError as exc:
        raise _error(source, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise _error(source, f"more than the limit of {max_bytes:,} bytes")
    return data


def _decode(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """Text and what had to be assumed to get it. Legacy files are read rather than refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError as exc:
                problem = f"has a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                raise _error(source, problem) from None
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    try:
        # Python's cp1252 refuses the five bytes Windows leaves undefined, which is exactly when
        # it would give C1 control characters; Latin-1 maps those bytes and every other.
        return data.decode("cp1252"), ("decoded as cp1252",)
    except UnicodeDecodeError:
        return data.decode("latin-1"), ("decoded as latin-1",)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:_BINARY_SAMPLE]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return controls > len(sample) * _BINARY_CONTROL_SHARE


def _load(text: str, parse: Parser, source: str, on_error: OnError | None) -> list[Article]:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _error(source, "no text (empty)" if not text else "no text (only whitespace)")
    if _looks_binary(text):
        raise _error(source, "binary data (NUL bytes or control characters), not text")
    items = parse(text, source)
    articles = [item for item in items if isinstance(item, Article)]
    errors = [item for item in items if not isinstance(item, Article)]
    if errors and (on_error is None or not articles):
        if len(errors) == 1:
            raise errors[0]
        # not one record is an article (a manifest, a list of links): one line for the file
        first = str(errors[0]).removeprefix(f"[{errors[0].code}] {source_name(source)}, ")
        raise _error(source, f"none of its {len(items)} records is an article ({first}; ...)")
    for error in errors:
        assert on_error is not None
        on_error(error)
    return articles


# --- building an Article ----------------------------------------------------------------------


# Control characters an article has no use for (an ESC sequence could rewrite the terminal of
# whoever reads the facts later): everything but tab and newline; vertical tab and form feed
# break lines, the rest go.
_LINE_CONTROLS = str.maketrans({"\v": "\n", "\f": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _normalise(text: str) -> str:
    """Unix newlines, NFC, no trailing spaces, no control characters; one blank line between
    paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_CONTROLS)
    text = unicodedata.normalize("NFC", _CONTROLS.sub("", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _one_line(text: str | None) -> str | None:
    collapsed = " ".join(unicodedata.normalize("NFC", _CONTROLS.sub("", text or "")).split())
    return collapsed or None


def _article(
    body: str,
    source: str,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    url: str | None = None,
    author: str | None = None,
    notes: tuple[str, ...] = (),
    record: str | None = None,
) -> Article:
    title, body = _one_line(title), _normalise(body)
    if not body:
        problem = f"no article text after the title {title!r}" if title else "no article text"
        raise _error(source_name(source, record), problem)
    return Article(
        # The title leads the text so that offsets found in either point into one string.
        text=f"{title}\n\n{body}" if title else body,
        title=title,
        date=date,
        url=_one_line(url),
        author=_one_line(author),
        source=source,
        notes=notes,
        record=record,
    )


def _dateline(body: str) -> dt.date | None:
    """The date a body opens with ("Monday, January 28, 2019"), on one of its first lines."""
    lines = (line.strip() for line in body.split("\n") if line.strip())
    for line in itertools.islice(lines, _DATELINE_LINES):
        head = _DATELINE_END.split(line, maxsplit=1)[0]
        head = _DATELINE_PLACE.sub("", head, count=1)
        # Short and with a year: "Thursday, United States forces ..." must not become a date.
        if len(head) <= _DATELINE_MAX_CHARS and _YEAR.search(head):
            try:
                return parse_date(head)
            except ArticleError:
                continue
    return None


def _dated(body: str, date: dt.date | None) -> tuple[dt.date | None, tuple[str, ...]]:
    if date is not None:
        return date, ()
    found = _dateline(body)
    return found, (("date taken from the dateline",) if found else ())


# --- metadata fields (JSON objects, YAML front matter) ----------------------------------------


def _field(obj: dict[Any, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    """The first of `keys` with a value, and that value. Booleans are flags, never metadata
    (Jekyll's `published: false`)."""
    for key in keys:
        value = obj.get(key)
        if value is not None and value != "" and not isinstance(value, bool):
            return key, value
    return keys[0], None


def _as_text(value: Any, source: str, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise _error(source, f"{what} is a {type(value).__name__}, not text")


def _as_person(value: Any, source: str, what: str) -> str | None:
    # JSON-LD writes authors as {"name": ...} or as a list of those.
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        names = (_as_person(v, source, what) for v in value)
        return ", ".join(name for name in names if name) or None
    return _as_text(value, source, what)


def _as_date(value: Any, source: str, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ArticleError as exc:
        raise _error(source, f"{what}: {exc.args[0]}") from None


def _metadata(obj: dict[Any, Any], source: str, where: str) -> dict[str, Any]:
    """title, date, url and author of a JSON object or front matter, as `_article` takes them."""

    def pick(keys: tuple[str, ...], convert: Callable[[Any, str, str], Any]) -> Any:
        key, value = _field(obj, keys)
        return convert(value, source, f"{where}field {key!r}")

    return {
        "title": pick(_TITLE_KEYS, _as_text),
        "date": pick(_DATE_KEYS, _as_date),
        "url": pick(_URL_KEYS, _as_text),
        "author": pick(_AUTHOR_KEYS, _as_person),
    }


# --- the formats ------------------------------------------------------------------------------


def _parse_txt(text: str, source: str) -> list[Article | ArticleError]:
    title, _, body = _normalise(text).partition("\n")
    date, notes = _dated(body, None)
    return [_article(body, source, title=title, date=date, notes=notes)]


def _parse_md(text: str, source: str) -> list[Article | ArticleError]:
    text = _normalise(text)
    meta: dict[str, Any] = {}
    if match := _FRONT_MATTER.match(text):
        meta = _metadata(_front_matter(match.group(1), source), source, "front matter ")
        text = text[match.end():].lstrip("\n")
    first, _, rest = text.partition("\n")
    if not meta.get("title") and (heading := _MD_HEADING.fullmatch(first)):
        meta["title"], text = heading.group(1), rest
    meta["date"], notes = _dated(text, meta.get("date"))
    return [_article(text, source, notes=notes, **meta)]


def _front_matter(block: str, source: str) -> dict[Any, Any]:
    try:
        meta = yaml.safe_load(block)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: "date: 2013-13-45"
        raise _error(source, f"invalid YAML front matter: {_yaml_problem(exc)}") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise _error(source, "front matter is not a YAML mapping of `key: value` lines")
    return meta


def _yaml_problem(exc: Exception) -> str:
    # PyYAML's own message spans several lines with a caret drawing; keep what and where.
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if problem and mark:
        return f"{problem} (line {mark.line + 2} of the file)"  # +2: 0-based, after the "---"
    return " ".join(str(exc).split())


def article_from_html(html: str, *, url: str) -> Article:
    """The article in a web page read from `url`: its main text and metadata, as for a saved
    .html file. The page's own canonical URL (og:url) is the article's URL if it names one, else
    `url`; errors name `url`."""
    article = _parse_html(html, url, url=url)[0]
    assert isinstance(article, Article)  # one page is one article: its problems are raised
    return article


def _parse_html(text: str, source: str, url: str | None = None) -> list[Article | ArticleError]:
    # trafilatura rejects a bare fragment ("<p>...</p>") as not HTML; a wrapper makes it a page.
    if "<html" not in text[:2048].lower():
        text = f"<html><body>{text}</body></html>"
    try:
        doc = trafilatura.bare_extraction(
            text,
            url=url,  # the article's URL when the page names no canonical one
            with_metadata=True,
            include_comments=False,
            # Dates from meta tags and markup only: the extensive search guesses from body text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError) as exc:
        raise _error(source, f"cannot parse HTML: {exc}") from None
    if doc is None:
        raise _error(source, "no article text found")
    # a Document: trafilatura 2 answers a dict only when asked to (as_dict=True)
    assert not isinstance(doc, dict)
    title = _one_line(doc.title)
    blocks = [line for line in (doc.text or "").split("\n") if line.strip()]
    if blocks and _one_line(blocks[0]) == title:  # trafilatura keeps the <h1> in the text
        blocks = blocks[1:]
    if not blocks:
        raise _error(source, "no article text found")
    date = _as_date(doc.date, source, "date in the page metadata")
    # trafilatura gives one block per line; a blank line between keeps them paragraphs.
    body = "\n\n".join(blocks)
    if len(body.split()) < _HTML_MIN_WORDS:
        raise _error(source, "no article text found (only a few words: a menu or an empty page?)")
    return [_article(body, source, title=title, date=date, url=doc.url, author=doc.author)]


# A saved page with fewer words than this is a shell (navigation, a cookie notice), not news.
# Pages fetched from the web are held to more: a paragraph of running text (`has_prose`).
_HTML_MIN_WORDS = 5


_PROSE_MIN_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def has_prose(article: Article) -> bool:
    """Whether a page's text has at least one paragraph of running text, as an article has and
    an index, menu or list page has not."""
    body = article.text[len(article.title):] if article.title else article.text
    for block in body.split("\n\n"):
        block = block.strip()
        if len(block.split()) >= _PROSE_MIN_WORDS and _SENTENCE_END.search(block):
            return True
    return False


def _parse_json(text: str, source: str) -> list[Article | ArticleError]:
    data = _load_json(text, source)
    if isinstance(data, list):
        if not data:
            raise _error(source, "an empty JSON list: no articles")
        # records count from 1, as a person counts them
        return [_record(item, source, f"record {n}") for n, item in enumerate(data, start=1)]
    return [_record(data, source, None)]


def _parse_jsonl(text: str, source: str) -> list[Article | ArticleError]:
    return [obj if isinstance(obj, ArticleError) else _record(obj, source, where)
            for where, obj in _json_lines(text, source)]


def _json_lines(text: str, source: str) -> Iterator[tuple[str, Any]]:
    """("line N", the value of that line, or what is wrong with it) for each line not blank."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            where = f"line {number}"
            try:
                yield where, _load_json(line, source_name(source, where))
            except ArticleError as exc:
                yield where, exc


def _load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if "\n" in text else f"column {exc.colno}"
        raise _error(source, f"invalid JSON at {where}: {exc.msg}") from None
    except RecursionError:
        raise _error(source, "JSON nested too deeply") from None


def _record(obj: Any, source: str, record: str | None) -> Article | ArticleError:
    """The article in one JSON object, or what is wrong with it (named by file and record)."""
    name = source_name(source, record)
    if not isinstance(obj, dict):
        return _error(name, f"expected a JSON object, got a {type(obj).__name__}")
    _, text = _field(obj, _TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        return _error(name, "no article text (a 'text', 'body' or 'content' string)")
    try:
        return _article(text, source, record=record, **_metadata(obj, name, ""))
    except ArticleError as exc:
        return exc



_PARSERS: dict[str, Parser] = {
    ".txt": _parse_txt,
    ".md": _parse_md,
    ".markdown": _parse_md,
    ".html": _parse_html,
    ".htm": _parse_html,
    ".json": _parse_json,
    ".jsonl": _parse_jsonl,
}
