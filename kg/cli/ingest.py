"""Commands that read articles: ingest (into the store) and extract (print facts)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.main import _date, cli, format_option, model_option, store_option
from kg.cli.output import emit
from kg.errors import KgError

# ------------------------------------------------------------------------------- loading ----
def _load_all(paths: tuple[str, ...], fmt: str, failed: list[tuple[str, str]], title: str | None = None):
    from kg.articles import iter_paths, load_path, load_text

    for raw in paths:
        if raw == "-":
            text = sys.stdin.read()
            if title and fmt == "txt":  # with --title, standard input is all body
                text = f"{title}\n\n{text}"
            try:
                yield from load_text(text, fmt=fmt, source="-")
            except KgError as exc:
                failed.append(("-", str(exc)))
            continue
        path = Path(raw)
        if not path.exists():
            failed.append((raw, "no such file or folder"))
            continue
        for file in iter_paths([path]):
            try:
                yield from load_path(file)
            except KgError as exc:
                failed.append((str(file), str(exc)))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", callback=_date, help="Publication date for articles that lack one (YYYY-MM-DD).")
@click.option("--title", help="Headline, for a single article without one.")
@click.option("--url", help="The article's URL (schema:url).")
@click.option("--stdin-format", type=click.Choice(["txt", "md", "html", "json", "jsonl"]), default="txt",
              show_default=True, help="What `-` (standard input) contains.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parser processes.")
@store_option
@model_option
def ingest(paths, date, title, url, stdin_format, jobs, store, model) -> None:
    """Analyse articles and add their facts to the store.

    PATHS are files, folders (searched recursively for .txt .md .html .json .jsonl) or `-` for
    standard input. An article already in the store with the same content is left as it is; a
    changed version of a file replaces the facts of the old one.

    \b
    Example:
      kg ingest data/articles/
      kg ingest story.txt --date 2013-11-09 --url https://example.org/story
    """
    from kg.ingest import ingest as run_ingest, with_overrides
    from kg.lexicon import load_lexicon
    from kg.nlp import load_nlp
    from kg.store import open_store

    failed: list[tuple[str, str]] = []
    articles = [with_overrides(a, date=a.date or date, title=title, url=url) for a in _load_all(paths, stdin_format, failed, title)]
    undated = [a.source for a in articles if a.date is None]
    if undated:
        click.echo(f"warning: {len(undated)} article(s) have no date; relative times resolved against today "
                   f"(give --date): {', '.join(map(str, undated[:3]))}", err=True)
    nlp, lexicon = load_nlp(model), load_lexicon()
    db = open_store(store)
    try:
        with click.progressbar(length=len(articles), label="ingesting", file=sys.stderr,
                               hidden=len(articles) < 3 or not sys.stderr.isatty()) as bar:
            report = run_ingest(articles, db, nlp=nlp, lexicon=lexicon, n_process=jobs,
                                on_article=lambda a: bar.update(1))
    finally:
        db.close()
    report.failed = failed
    for source, reason in failed:
        click.echo(f"failed: {reason}" if source in reason else f"failed: {source}: {reason}", err=True)
    click.echo(report.summary())
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("file")
@click.option("--date", callback=_date, help="Publication date, if the file has none (YYYY-MM-DD).")
@format_option("table", ("table", "jsonl", "json", "turtle"))
@model_option
def extract(file, date, fmt, model) -> None:
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
    from kg.lexicon import load_lexicon
    from kg.nlp import load_nlp

    nlp, lexicon = load_nlp(model), load_lexicon()
    for article in articles:
        extraction = run_extract(with_overrides(article, date=date or article.date), nlp, lexicon)
        if fmt == "turtle":
            from kg.rdf import to_graph

            click.echo(to_graph(extraction).serialize(format="turtle"))
            continue
        facts = [fact_record(f) for f in extraction.facts]
        if fmt == "jsonl":
            for record in facts:
                click.echo(json.dumps(record, ensure_ascii=False))
        elif fmt == "json":
            click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        else:
            headers = ["type", "agent", "theme", "recipient", "place", "time"]
            emit(headers, [[r[h] for h in headers] for r in facts], "table")


def fact_record(event) -> dict:
    """The JSON-lines fact contract (shared/eval/README.md)."""
    def name(arg):
        return None if arg is None else arg.name

    return {
        "type": event.type, "agent": name(event.agent), "theme": name(event.theme),
        "recipient": name(event.recipient), "place": name(event.place),
        "time": event.time.value if event.time else None, "trigger": event.trigger,
        "sentence": event.sentence, "start": event.start, "end": event.end, "confidence": event.confidence,
    }
