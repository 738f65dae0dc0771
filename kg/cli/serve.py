"""`kg serve`: the embedded store as a SPARQL endpoint for other tools.

The limits are options because the right ones depend on the store and the machine: the defaults
let any single client cost at most about half a minute of one core and a few GiB of memory."""
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
@click.option("--writable", is_flag=True,
              help="Accept SPARQL updates (read-only without). Only as application/sparql-update, or as "
                   "a form that no other web page sent (no foreign Origin or Referer).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=30, show_default=True,
              metavar="SECONDS", help="Stop a query or update that runs longer (answer: 503).")
@click.option("--max-queries", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Queries at once, each in a process of its own (with --writable: 1). More wait up "
                   "to 10 s for a free one, then get 503.")
@click.option("--max-result", type=click.IntRange(1), default=128, show_default=True, metavar="MiB",
              help="Largest answer; a larger one is refused (413).")
@click.option("--max-memory", type=click.IntRange(1024), default=2048, show_default=True, metavar="MiB",
              help="Memory (address space) of each query process; a query that needs more is "
                   "stopped (503), and the server goes on.")
@click.option("--allow-service", is_flag=True,
              help="Allow federated queries (SERVICE) and, with --writable, LOAD. Off by default: "
                   "they make the server fetch any URL a client names.")
@click.option("--allow-host", multiple=True, metavar="NAME",
              help="Also answer requests addressed to NAME (the Host header), e.g. this machine's "
                   "DNS name with --bind 0.0.0.0. Repeatable. Loopback names and the --bind "
                   "address are always accepted; others are refused (421), against DNS rebinding.")
@store_option
def serve(port, bind, writable, timeout, max_queries, max_result, max_memory, allow_service, allow_host,
          store) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (queries at /query, updates at /update) and
    kg view's explorer over it, at /explorer.

    Read-only unless --writable. Other kg commands can use it as their store
    (--store http://127.0.0.1:7878/query), so can any SPARQL tool. Ctrl-C stops it.

    Each query runs in a process of its own, stopped at --timeout or --max-memory;
    SERVICE and LOAD are refused unless --allow-service. The explorer draws a part of
    the store: the facts of its best connected entities, or /explorer?entity=NAME.

    \b
    Example:
      kg serve --port 7878
      kg query who-enacted --store http://127.0.0.1:7878/query
      xdg-open http://127.0.0.1:7878/explorer   # the explorer, in a browser
    """
    from kg.store import is_endpoint
    from kg.store.server import Limits, MiB, make_server

    if is_endpoint(store):
        raise StoreError(f"{store} is a server already; kg serve serves an embedded store folder")
    limits = Limits(timeout=timeout, max_queries=max_queries, max_result=max_result * MiB,
                    max_memory=max_memory * MiB, allow_service=allow_service)
    server = make_server(Path(store), host=bind, port=port, writable=writable, limits=limits,
                         allowed_hosts=tuple(allow_host))
    # the explorer's first page, drawn as soon as the server answers its queries
    import threading

    threading.Thread(target=server.draw_overview, name="explorer", daemon=True).start()
    # a service manager's SIGTERM stops it as cleanly as Ctrl-C (the store is flushed and closed)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    mode = f"read-write, updates at {server.url}/update" if writable else "read-only"
    click.echo(f"serving {store} at {server.url}/query ({mode}); Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        # a second Ctrl-C or SIGTERM (a process group's, say) must not cut the store's closing short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server.server_close()  # the listening socket, then the store, which the worker processes hold
    click.echo("stopped", err=True)
