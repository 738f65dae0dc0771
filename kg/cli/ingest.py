"""Commands that read articles: ingest (into the store) and extract (print facts)."""
from __future__ import annotations

import itertools
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from kg.cli.main import _date, cli, format_option, lexicon_option, model_option, store_option
from kg.cli.output import emit, one_line
from kg.errors import KgError

# ------------------------------------------------------------------------------- loading ----
def _load_all(paths: tuple[str, ...], fmt: str, failed: list[tuple[str, str]], title: str | None = None,
              max_bytes: int | None = None, whole_files: dict[str, frozenset[str]] | None = None,
              follow_symlinks: bool = False, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
              on_listed: Callable[[int], None] | None = None):
    """The articles of every path; what cannot be read goes to `failed` (a bad record of a JSON
    list or JSON-lines file too: the file's other records are read). Files of several records
    read without a failure go to `whole_files` (see `kg.ingest.ingest`). Every folder is listed
    before the first article is read, and `on_listed` hears how many files they hold."""
    from kg.articles import DEFAULT_MAX_BYTES, iter_paths, load_path, load_text, read_manifests, with_metadata

    listed = {raw: list(iter_paths([Path(raw)], follow_symlinks=follow_symlinks, include=include, exclude=exclude,
                                   on_skip=_skipped))
              for raw in paths if raw != "-" and Path(raw).exists()}
    if on_listed:
        on_listed(sum(map(len, listed.values())))
    for raw in paths:
        if raw == "-":
            text = sys.stdin.read()
            if title and fmt == "txt":  # with --title, standard input is all body
                text = f"{title}\n\n{text}"
            try:
                yield from load_text(text, fmt=fmt, source="-",
                                     on_error=lambda exc: failed.append(("-", str(exc))))
            except KgError as exc:
                failed.append(("-", str(exc)))
            continue
        if raw not in listed:
            failed.append((raw, "no such file or folder"))
            continue
        path = Path(raw)
        manifest = read_manifests(path, on_error=lambda exc: failed.append(("", str(exc)))) if path.is_dir() else {}
        for file in listed[raw]:
            problems: list[KgError] = []
            try:
                articles = load_path(file, max_bytes=max_bytes or DEFAULT_MAX_BYTES, on_error=problems.append)
            except KgError as exc:
                failed.append((str(file), str(exc)))
                continue
            if (meta := manifest.get(file.resolve())) is not None:
                articles = [with_metadata(a, meta) for a in articles]
            failed.extend((str(file), str(problem)) for problem in problems)
            if whole_files is not None and not problems and any(a.record for a in articles):
                whole_files[str(file)] = frozenset(a.content_hash for a in articles)
            yield from articles


def _skipped(path: Path, reason: str) -> None:
    click.echo(one_line(f"skipped: {path}: {reason}"), err=True)


def _urls(args: tuple[str, ...], url_lists: tuple[str, ...]):
    """The URLs given as arguments, then those of each --urls file (`-`: standard input)."""
    from kg.web import clean_url, read_url_list

    for arg in args:
        try:
            yield clean_url(arg)
        except KgError as exc:
            yield exc
    for name in url_lists:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            from kg.errors import FetchError

            yield FetchError(f"{name}: cannot read the URL list: {getattr(exc, 'strerror', None) or exc}")
            continue
        yield from read_url_list(text, "<stdin>" if name == "-" else name)


class Progress:
    """How an ingest is going, on stderr. On a terminal one line updated in place; piped to a
    file (a long batch job) a line every `every` seconds. With the number of input files known
    (`total`), it says how many are done, the rate, and the time left:

        ingesting: 57/131 files, 12.3 articles/s, about 6 s left
    """

    def __init__(self, total: int | None, *, tty: bool | None = None, every: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, echo: Callable[[str, bool], None] | None = None) -> None:
        self.total = total
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.every = 0.2 if self.tty else every
        self.clock = clock
        self.echo = echo or (lambda text, nl: click.echo(text, err=True, nl=nl))
        self.articles = 0
        self.sources: set[str] = set()
        self.started = self.shown = clock()
        self._drawn = False

    def update(self, article) -> None:
        self.articles += 1
        self.sources.add(article.source or "-")
        now = self.clock()
        if now - self.shown >= self.every:
            self.shown = now
            line = self.line(now)
            if self.tty:
                self.echo(f"\r\033[K{line}", False)
                self._drawn = True
            else:
                self.echo(line, True)

    def line(self, now: float) -> str:
        rate = self.articles / max(now - self.started, 1e-9)
        if self.total:
            done = min(len(self.sources), self.total)
            left = (self.total - done) * (now - self.started) / max(done, 1)
            return f"ingesting: {done}/{self.total} files, {rate:.1f} articles/s, about {_duration(left)} left"
        return f"ingesting: {self.articles} articles, {rate:.1f} articles/s"

    def close(self) -> None:
        if self._drawn:
            self.echo("\r\033[K", False)  # clear the line for the summary


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL",
              help="An RSS or Atom feed: ingest its items not seen before (repeatable).")
@click.option("--urls", "url_lists", multiple=True, metavar="FILE",
              help="A file of article URLs, one per line; # starts a comment (`-`: standard input).")
@click.option("--since", callback=_date, metavar="DATE", help="With --feed: skip items published before DATE.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="With --feed: read at most N new items per feed.")
@click.option("--refresh", is_flag=True,
              help="Fetch pages already in the store again (to pick up changed text).")
@click.option("--date", callback=_date, help="Publication date for articles that lack one (YYYY-MM-DD).")
@click.option("--title", help="Headline, for a single article without one.")
@click.option("--url", help="The article's URL (schema:url).")
@click.option("--stdin-format", type=click.Choice(["txt", "md", "html", "json", "jsonl"]), default="txt",
              show_default=True, help="What `-` (standard input) contains.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parser processes.")
@click.option("--fetch-jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Web requests at a time.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
              help="Pause between two requests to the same host.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Longest wait for one page, from request to last byte.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Further attempts after a server error (5xx, 429) or a timeout; never after a 4xx.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Largest file, page or feed to read.  [default: 5 MiB]")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that cannot be read.")
@click.option("--follow-symlinks", is_flag=True,
              help="In folders, read symbolic links that lead out of the folder too (skipped without).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="In folders, read only the files matching GLOB (path in the folder or name; repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, leave out the files matching GLOB (repeatable).")
@store_option
@model_option
@lexicon_option
def ingest(paths, feeds, url_lists, since, limit, refresh, date, title, url, stdin_format, jobs, fetch_jobs,
           delay, timeout, retries, max_bytes, fail_fast, follow_symlinks, include, exclude, store, model,
           lexicon) -> None:
    """Analyse articles and add their facts to the store.

    PATHS are files, folders (searched recursively for .txt .md .html .json .jsonl), `-` for
    standard input, or web pages (http:// or https:// URLs). An article already in the store with
    the same content is left as it is; a changed version of a file replaces the facts of the old one,
    and an article analysed with another lexicon (--lexicon) is analysed again.

    Web pages and feed items whose URL is already in the store are not fetched again (unless
    --refresh), so running the same --feed every day reads only its new stories.

    \b
    Example:
      kg ingest data/articles/
      kg ingest story.txt --date 2013-11-09 --url https://example.org/story
      kg ingest https://example.org/news/story
      kg ingest --feed https://example.org/news/rss.xml --since 2024-01-01
    """
    from kg.ingest import ingest as run_ingest, with_overrides
    from kg.nlp import load_nlp
    from kg.store import open_store
    from kg.web import FetchPolicy, Fetcher, WebRun, is_url

    if not (paths or feeds or url_lists):
        raise click.UsageError("give PATHS, URLs, --urls FILE or --feed URL")
    # a service manager's SIGTERM stops an ingest as Ctrl-C does: the articles written are whole,
    # the parser's workers are ended, and the summary of what was done is printed
    signal.signal(signal.SIGTERM, lambda signum, frame: signal.raise_signal(signal.SIGINT))
    if (since or limit) and not feeds:
        raise click.UsageError("--since and --limit apply to --feed")
    files = tuple(p for p in paths if not is_url(p))
    failed: list[tuple[str, str]] = []
    undated: list[str] = []
    nlp = load_nlp(model)
    db = open_store(store)
    policy = FetchPolicy(timeout=timeout, retries=retries, host_delay=delay, jobs=fetch_jobs)
    if max_bytes:
        policy = replace(policy, max_bytes=max_bytes)
    web = WebRun(Fetcher(policy), known=(lambda u: False) if refresh else (lambda u: bool(db.articles_with_url(u))),
                 since=since, limit=limit, failed=failed)

    notes: list[str] = []
    whole_files: dict[str, frozenset[str]] = {}

    def articles():
        found = itertools.chain(_load_all(files, stdin_format, failed, title, max_bytes, whole_files, follow_symlinks,
                                          include, exclude, on_listed=listed),
                                web.articles(_urls(tuple(filter(is_url, paths)), url_lists), feeds))
        for article in found:
            if fail_fast and failed:
                return
            notes.extend(f"{article.source}: {n}" for n in article.notes if n.startswith("decoded as"))
            article = with_overrides(article, date=article.date or date, title=title, url=url)
            if article.date is None:
                undated.append(article.name)
            yield article

    stopping = threading.Event()

    def interrupted(signum, frame) -> None:
        # the parse thread, which the pipeline joins on the way out, may be waiting for a page:
        # let it go now rather than when the fetch ends (up to --timeout, for each retry)
        web.stop()
        stopping.set()
        raise KeyboardInterrupt

    def article_done(article) -> None:
        # a KeyboardInterrupt raised while the interpreter runs a finaliser (a __del__, a GC
        # callback) is dropped: the next article's end stops the run instead...
        if stopping.is_set():
            raise KeyboardInterrupt
        counter.update(article)

    def unraisable(info) -> None:
        # ... and is not printed as a traceback
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)
    hook, sys.unraisablehook = sys.unraisablehook, unraisable

    previous = signal.signal(signal.SIGINT, interrupted)  # SIGTERM comes here too (above)
    counter = Progress(None)

    def listed(count: int) -> None:
        # the total is known when nothing comes from a stream (standard input, a URL list, a feed)
        if not (url_lists or feeds or "-" in files):
            counter.total = count + sum(map(is_url, paths))
    try:
        report = run_ingest(articles(), db, nlp=nlp, lexicon=lexicon, n_process=jobs, on_article=article_done,
                            whole_files=whole_files)
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook
        counter.close()
        db.close()
    report.unchanged += web.unchanged  # known URLs, not fetched: as far as kg can tell, unchanged
    report.failed = failed
    if undated:
        click.echo(one_line(f"warning: {len(undated)} article(s) have no date; relative times resolved against "
                            f"today (give --date): {', '.join(map(str, undated[:3]))}"), err=True)
    for note in notes:
        click.echo(one_line(f"note: {note}"), err=True)
    for source, reason in failed:
        click.echo(one_line(f"failed: {reason}" if source in reason else f"failed: {source}: {reason}"), err=True)
    if fail_fast and failed:
        click.echo("stopped at the first failure (--fail-fast); the articles before it are stored", err=True)
    click.echo(report.summary())
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("file")
@click.option("--date", callback=_date, help="Publication date, if the file has none (YYYY-MM-DD).")
@format_option("table", ("table", "jsonl", "json", "turtle"))
@model_option
@lexicon_option
def extract(file, date, fmt, model, lexicon) -> None:
    """Print the facts of one article without storing them.

    `--format jsonl` prints one fact per line (the contract the evaluation scorers read).

    \b
    Example:
      kg extract data/articles/sochi-2013-11-09.md --format jsonl
    """
    from kg.ingest import with_overrides
    from kg.pipeline import extract as run_extract

    failed: list[tuple[str, str]] = []
    articles = list(_load_all((file,), "txt", failed))
    if failed:
        raise click.ClickException(failed[0][1] if failed[0][0] in failed[0][1] else f"{failed[0][0]}: {failed[0][1]}")
    from kg.nlp import load_nlp

    nlp = load_nlp(model)
    for article in articles:
        extraction = run_extract(with_overrides(article, date=date or article.date), nlp, lexicon)
        if fmt == "turtle":
            from kg.rdf import to_graphs
            from kg.vocab import bind_prefixes

            own, shared = to_graphs(extraction)
            merged = own + shared  # what the store would hold, in one Turtle document
            bind_prefixes(merged)
            click.echo(merged.serialize(format="turtle"))
            continue
        facts = [fact_record(f) for f in extraction.facts]
        if fmt == "jsonl":
            for record in facts:
                click.echo(json.dumps(record, ensure_ascii=False))
        elif fmt == "json":
            click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        else:
            headers = ["type", "agent", "theme", "recipient", "place", "time"]
            # a generic event shows its verb: "Occurrence: leave"
            emit(headers, [[f"{r['type']}: {r['predicate']}" if h == "type" and r["predicate"] else r[h]
                            for h in headers] for r in facts], "table")


def fact_record(event) -> dict:
    """The JSON-lines fact contract (shared/eval/README.md)."""
    def name(arg):
        return None if arg is None else arg.name

    return {
        "type": event.type, "agent": name(event.agent), "theme": name(event.theme),
        "recipient": name(event.recipient), "place": name(event.place),
        "time": event.time.value if event.time else None,
        "time_bound": None if event.bound is None else (
            {"latest": event.bound.latest.isoformat()} if event.bound.latest else
            {"earliest": event.bound.earliest.isoformat() if event.bound.earliest else None}),
        "trigger": event.trigger, "predicate": event.predicate,
        "quantities": [{"role": q.role, "value": q.value, "unit": q.unit, "text": q.text} for q in event.quantities],
        "sentence": event.sentence, "start": event.start, "end": event.end, "confidence": event.confidence,
    }
