"""Commands that ask the graph: query (SPARQL, named or inline) and queries (the list)."""
from __future__ import annotations

import click

from kg.cli.main import cli, format_option, store_option
from kg.cli.output import emit, unicode_escaped


@cli.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, bound as an RDF term (repeatable).")
@format_option("table", ("table", "json", "csv", "tsv"))
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop the query after this long.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="X",
              help="Only facts of confidence X or more (for the queries that list facts: --param min_confidence=X).")
@store_option
def query(query, params, fmt, timeout, min_confidence, store) -> None:
    """Run a SPARQL query: a name from `kg queries`, a .rq file, or inline SPARQL.

    \b
    Example:
      kg query who-enacted
      kg query timeline --param from=2013-01-01 --param to=2013-12-31
      kg query who-called-for --min-confidence 0.8
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?e a sem:Event }' --format json
    """
    from kg.query import bind, find_query, parse_params
    from kg.store import query_with_timeout

    named = find_query(query)
    given = parse_params(params)
    if min_confidence is not None:
        given["min_confidence"] = str(min_confidence)
    sparql = bind(named, given)
    # in a child process, with or without a time limit: a damaged store can make the storage
    # engine abort the process that reads it, and that is then reported, not our end
    result = query_with_timeout(store, sparql, timeout)
    if result.boolean is not None:
        click.echo("true" if result.boolean else "false")
    elif result.graph is not None:
        click.echo(unicode_escaped(result.graph.serialize(format="turtle")))
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
