"""The `kg` command line: a thin shell over the library. Every command parses its options,
calls library functions and prints; every error is one `Error: ...` line on stderr."""
from __future__ import annotations

import os
import sys

import click

from kg.cli import entity, graph, ingest, query  # noqa: F401  (register the commands)
from kg.cli import serve  # noqa: F401  (kg serve)
from kg.cli.main import cli
from kg.cli.output import one_line


def main() -> None:
    try:
        code = cli.main(prog_name="kg", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see 'kg {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.parent else " (see 'kg --help')"
        click.echo(one_line(f"Error: {exc.format_message()}{hint}"), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(one_line(f"Error: {exc.format_message()}"), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Error: aborted", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug, not bad input: still one line unless asked for more
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(one_line(f"Error: unexpected {type(exc).__name__}: {exc} (set KG_DEBUG=1 for the traceback)"),
                   err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["cli", "main"]
