"""Commands on entities and the graph's health: entity, merge, split, validate."""
from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

import click

from kg.cli.main import cli, format_option, lexicon_option, model_option, store_option
from kg.cli.output import emit, one_line, unicode_escaped

if TYPE_CHECKING:  # the store (and rdflib) are imported when a command runs, not for `kg --help`
    from kg.store import GraphStore


@cli.command()
@click.argument("name", required=False)
@click.option("--candidates", is_flag=True,
              help="Instead of one entity, list the likely duplicates kg did not join, best first, "
                   "each with the reason and the `kg merge` command that joins them.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="With --candidates: at most this many.")
@format_option("table", ("table", "json"))
@store_option
def entity(name, candidates, limit, fmt, store) -> None:
    """Show an entity: its names, kinds, the events it takes part in by role, its articles,
    and why names were linked to it.

    NAME is its name, one of its other names, or its IRI.

    \b
    Example:
      kg entity Putin
      kg entity --candidates
    """
    from kg.store import open_store

    if candidates == bool(name):
        raise click.UsageError("give an entity's NAME, or --candidates (not both)")
    db = open_store(store, read_only=True)
    try:
        if candidates:
            _candidates(db, limit, fmt, "" if store == "kg-store" else f" --store {shlex.quote(str(store))}")
            return
        from kg.curate import describe, find_entity

        report = describe(db, find_entity(db, name))
    finally:
        db.close()
    if fmt == "json":
        click.echo(unicode_escaped(json.dumps(report.__dict__, ensure_ascii=False, indent=2)))
        return
    click.echo(one_line(f"{report.label}  <{report.iri}>"))
    click.echo(one_line(f"kind: {', '.join(report.kinds)}"))
    if report.names:
        click.echo(one_line(f"also: {'; '.join(report.names)}"))
    for same in report.same_as:
        click.echo(one_line(f"same as: {same}"))
    click.echo()
    emit(["role", "type", "event", "time", "article"], report.roles, "table")
    click.echo()
    emit(["article", "date"], report.articles, "table")
    if report.links:
        click.echo()
        emit(["linked name", "because", "in article"], report.links, "table")


def _candidates(db: GraphStore, limit: int | None, fmt: str, where: str) -> None:
    """`kg entity --candidates`: likely duplicates, with the command that merges each pair."""
    from kg.entities import load_index

    index = load_index(db)
    found = index.candidates()[:limit]
    rows: list[list] = []
    for c in found:
        keep, other = index.known[c.keep], index.known[c.other]
        command = f"kg merge {_quoted(index.handle(c.keep))} {_quoted(index.handle(c.other))}{where}"
        rows.append([keep.label, keep.kind, keep.articles, other.label, other.kind, other.articles, c.reason, command])
    if fmt == "json":
        keys = ["keep", "keep_kind", "keep_articles", "other", "other_kind", "other_articles", "reason", "merge"]
        click.echo(unicode_escaped(json.dumps([dict(zip(keys, r)) for r in rows], ensure_ascii=False, indent=2)))
        return
    if not rows:
        click.echo("no likely duplicates")
        return
    click.echo(f"{len(rows)} pair(s) of entities that are likely one; review each, then run its command:")
    for row in rows:
        click.echo()
        click.echo(one_line(f"{row[0]} ({row[1]}, {row[2]} article(s)) ~ {row[3]} ({row[4]}, {row[5]} article(s))"))
        click.echo(one_line(f"  because: {row[6]}"))
        click.echo(one_line(f"  {row[7]}"))


def _quoted(text: str) -> str:
    """A shell word: in double quotes, as the README writes them, unless the shell would read
    something inside them."""
    return f'"{text}"' if not any(c in text for c in '"$`\\!') else shlex.quote(text)


def _corrected(report, what: str) -> None:
    click.echo(f"{what}; {report.added + report.reanalysed} article(s) analysed again")


@cli.command()
@click.argument("keep")
@click.argument("other")
@store_option
@model_option
@lexicon_option
def merge(keep, other, store, model, lexicon) -> None:
    """Correct the resolver: OTHER is the same entity as KEEP.

    The correction is kept in the store (graph kg:corrections) and applies to every later
    ingest; the articles that mention OTHER are analysed again now.

    \b
    Example:
      kg merge "Vladimir Putin" "Putin"
    """
    from kg.curate import find_entity, merge as run_merge
    from kg.nlp import load_nlp
    from kg.store import open_store

    db = open_store(store)
    try:
        keep_iri, other_iri = find_entity(db, keep), find_entity(db, other)
        report = run_merge(db, keep_iri, other_iri, nlp=load_nlp(model), lexicon=lexicon)
    finally:
        db.close()
    _corrected(report, f"merged {other!r} into {keep!r}")


@cli.command()
@click.argument("name")
@click.option("--from", "entity_name", required=True, help="The entity NAME must not mean (name or IRI).")
@store_option
@model_option
@lexicon_option
def split(name, entity_name, store, model, lexicon) -> None:
    """Correct the resolver: the name NAME is not the entity given with --from.

    Undoes a merge or an automatic link; the articles involved are analysed again.

    \b
    Example:
      kg split "Johnson" --from "Boris Johnson"
    """
    from kg.curate import find_entity, split as run_split
    from kg.nlp import load_nlp
    from kg.store import open_store

    db = open_store(store)
    try:
        report = run_split(db, name, find_entity(db, entity_name), nlp=load_nlp(model), lexicon=lexicon)
    finally:
        db.close()
    _corrected(report, f"kept {name!r} apart from {entity_name!r}")


@cli.command()
@store_option
def check(store) -> None:
    """Read the whole store and report damage (a damaged file, indexes that disagree).

    Exits with status 1 when the store is damaged. `kg validate` checks this first.

    \b
    Example:
      kg check
    """
    quads = _check(store)
    click.echo(f"{store}: {quads:,} quads read from every index: no damage found")


def _check(store) -> int:
    from kg.store import is_endpoint, read_in_child

    if is_endpoint(store):
        raise click.UsageError("kg check reads an embedded store folder; a SPARQL server checks its own storage")
    return read_in_child(store, _check_embedded)


def _check_embedded(db: GraphStore) -> int:
    from kg.store.embedded import EmbeddedStore

    assert isinstance(db, EmbeddedStore)  # _check refused an endpoint: the store is a folder
    return db.check()


@cli.command()
@format_option("table", ("table", "json"))
@store_option
@lexicon_option
def validate(fmt, store, lexicon) -> None:
    """Check the store for damage (as `kg check`), then against the SHACL shapes in
    data/shapes.ttl, and every fact's class against the event types of the lexicon (with your
    own types, give their --lexicon).

    Exits with status 1 when the store is damaged or something does not conform.

    \b
    Example:
      kg validate
    """
    from kg.store import is_endpoint, open_store
    from kg.validate import validate as run_validate

    if not is_endpoint(store):
        _check(store)
    db = open_store(store, read_only=True)
    try:
        report = run_validate(db, lexicon)
    finally:
        db.close()
    rows = [[v.focus, v.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1], v.message] for v in report.violations]
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "triples": report.triples,
                               "violations": [dict(zip(["focus", "path", "message"], r)) for r in rows]}, indent=2))
    else:
        verdict = "conforms" if report.conforms else f"does not conform: {len(rows)} violation(s)"
        click.echo(f"{report.triples} triples checked against data/shapes.ttl: {verdict}")
        if rows:
            emit(["focus", "path", "message"], rows[:50], "table")
    if not report.conforms:
        raise SystemExit(1)
