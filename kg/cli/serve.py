"""`kg serve`: the embedded store as a SPARQL endpoint for other tools."""
from __future__ import annotations

import signal
from pathlib import Path

import click

from kg.cli.main import cli, store_option
from kg.errors import StoreError


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (there is no authentication).")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (read-only without).")
@store_option
def serve(port, bind, writable, store) -> None:
    """Serve the store as a SPARQL 1.1 endpoint: queries at /query, updates at /update.

    Read-only unless --writable. Other kg commands can use it as their store
    (--store http://127.0.0.1:7878/query), so can any SPARQL tool. Ctrl-C stops it.

    \b
    Example:
      kg serve --port 7878
      kg query who-enacted --store http://127.0.0.1:7878/query
    """
    from kg.store import is_endpoint
    from kg.store.server import make_server

    if is_endpoint(store):
        raise StoreError(f"{store} is a server already; kg serve serves an embedded store folder")
    server = make_server(Path(store), host=bind, port=port, writable=writable)
    # a service manager's SIGTERM stops it as cleanly as Ctrl-C (the store is flushed and closed)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    mode = f"read-write, updates at {server.url}/update" if writable else "read-only"
    click.echo(f"serving {store} at {server.url}/query ({mode}); Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.store.close()
    click.echo("stopped", err=True)
