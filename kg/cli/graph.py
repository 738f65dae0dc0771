"""Commands on the whole graph: view (HTML), export, stats, remove."""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.main import _date, cli, format_option, lexicon_option, store_option
from kg.cli.output import emit, printable, unicode_escaped
from kg.errors import KgError

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
@click.option("--max-nodes", type=click.IntRange(1), default=6000, show_default=True,
              help="At most N nodes: the facts nearest --entity, then the best connected, whole.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="X", help="Only facts of confidence X or more.")
@click.option("--generic", is_flag=True, help="Also generic events (a verb no event type covers: kg:Occurrence).")
@click.option("--title", default="kg: news knowledge graph", show_default=True, help="Page title.")
@store_option
@lexicon_option
def view(output, entity, hops, types, since, until, article, max_nodes, min_confidence, generic, title, store,
         lexicon) -> None:
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
        graph = build_network(db, lexicon.families, generic=generic, candidates=True)
    finally:
        db.close()
    type_set = {t.strip() for t in types.split(",") if t.strip()} if types else None
    graph = filter_graph(graph, entity=entity, hops=hops, types=type_set, since=since, until=until,
                         article=article, max_nodes=max_nodes, min_confidence=min_confidence)
    write_html(graph, Path(output), title=title)
    facts = sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "Fact")
    click.echo(f"wrote {output}: {graph.number_of_nodes() - facts} entities, {facts} facts")
    left_out = graph.graph.get("facts_left_out", 0)
    if left_out:
        click.echo(f"left out {left_out} more facts to stay within --max-nodes {max_nodes}; narrow the view with "
                   "--entity, --since/--until, --type or --article, or raise --max-nodes", err=True)


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

    rdf_format = EXPORT_FORMATS[fmt]  # None for the network formats (GraphML, GEXF)
    db = open_store(store, read_only=True)
    try:
        if rdf_format is None:
            import io

            import networkx as nx

            from kg.network import build_network

            graph = build_network(db)
            for attrs in [*(d for _, d in graph.nodes(data=True)), *(d for *_, d in graph.edges(data=True))]:
                for key, value in list(attrs.items()):  # GraphML/GEXF take scalars only
                    if isinstance(value, list):
                        value = "; ".join(value)
                    if value is None:
                        del attrs[key]
                    elif isinstance(value, str):
                        attrs[key] = printable(value)  # XML 1.0 has no way to write most controls
            buffer = io.BytesIO()
            (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
            data = buffer.getvalue()
        else:
            data = unicode_escaped(db.export(rdf_format).decode("utf-8")).encode("utf-8")
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
  (COUNT(DISTINCT ?g) AS ?generic)
  (COUNT(DISTINCT ?x) AS ?entities)
WHERE {
  { ?a a schema:NewsArticle } UNION { ?e a sem:Event ; kg:asserted true }
  UNION { ?g a sem:Event ; kg:asserted true ; kg:predicate ?p }
  UNION { ?x kg:mentionedIn ?m }
}"""


@cli.command()
@format_option("table", ("table", "json", "csv", "tsv"))
@store_option
def stats(fmt, store) -> None:
    """Count articles, facts (typed and generic, and by type), entities and triples in the store.

    \b
    Example:
      kg stats
    """
    from kg.store import open_store

    db = open_store(store, read_only=True)
    try:
        articles, facts, generic, entities = db.query(_STATS).rows[0]
        types = db.query("SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a sem:Event ; kg:asserted true ; a ?c "
                         "FILTER(STRSTARTS(STR(?c), STR(kg:))) } GROUP BY ?c ORDER BY DESC(?n)").rows
        triples = len(db)
    finally:
        db.close()
    assert articles is not None and facts is not None and generic is not None and entities is not None  # COUNTs are bound
    rows = [["articles", int(articles)], ["facts", int(facts)], ["facts: typed", int(facts) - int(generic)],
            ["facts: generic", int(generic)], ["entities", int(entities)], ["triples", triples]]
    for c, n in types:
        assert n is not None  # a COUNT is bound in every group
        rows.append([f"facts: {str(c).rsplit('#', 1)[-1]}", int(n)])
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
