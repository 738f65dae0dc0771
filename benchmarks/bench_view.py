"""Benchmark of the HTML view: Python render time and time to first drawn frame in Chromium.

    .venv/bin/python benchmarks/bench_view.py              # 5,000 nodes
    .venv/bin/python benchmarks/bench_view.py --nodes 1500 --repeat 3
    .venv/bin/python benchmarks/bench_view.py --store kg-store   # the graph of a real store
    .venv/bin/python benchmarks/bench_view.py --served 800000 [--source kg-store]
        # kg serve's explorer over a store of ~800k triples (copies of the Wikinews corpus's
        # extractions, as benchmarks/bench_query.py builds it): the server's answer, and the
        # first frame in Chromium after navigating to /explorer

The graph is synthetic but shaped like the real one: facts joining an agent and a theme (some a
recipient or place, a few a nested fact as theme), entities drawn from a Zipf-like popularity so
that a few hubs ("Russia") have hundreds of facts and most entities one or two.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.view import render_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
KINDS = ["Person", "Organization", "Place", "Group", "Legislation", "CreativeWork", "Event", "Thing"]
KIND_WEIGHTS = [30, 25, 15, 10, 6, 5, 4, 5]
EVENT_TYPES = [
    "Enact", "Propose", "Repeal", "Ban", "Call", "Statement", "Criticize", "Support", "Release",
    "Protest", "Host", "Attack", "Die", "Arrest", "Charge", "Sentence", "Rule", "Sue",
    "Investigate", "Meet", "Elect", "Appoint", "Resign", "Agree", "Reject",
]


def synthetic_graph(nodes: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """A graph of exactly `nodes` nodes, about 40% entities and 60% facts.

    Like news: each article mostly involves its own cast (people, places, laws of one story),
    and now and then a globally popular entity (Zipf-like popularity over the whole pool).
    """
    rng = random.Random(seed)
    pool = max(4, int(nodes * 0.45))
    kinds = rng.choices(KINDS, KIND_WEIGHTS, k=pool)
    popularity = [1.0 / (rank + 1) ** 1.1 for rank in range(pool)]
    article_count = max(1, nodes // 40)
    casts = [rng.sample(range(pool), k=min(pool, 12)) for _ in range(article_count)]
    graph = nx.MultiDiGraph()

    def entity(i: int, article: str) -> str:
        key = f"e{i}"
        if key not in graph:
            graph.add_node(key, label=f"{kinds[i]} {i}", kind=kinds[i], aliases=[f"alias {i}"], articles=[])
        if article not in graph.nodes[key]["articles"]:
            graph.nodes[key]["articles"].append(article)
        return key

    def pick(a: int) -> int:
        local = rng.random() < 0.75
        return rng.choice(casts[a]) if local else rng.choices(range(pool), popularity)[0]

    facts: list[str] = []
    while graph.number_of_nodes() < nodes:
        a = rng.randrange(article_count)
        article = f"Article {a}"
        event_type = rng.choice(EVENT_TYPES)
        year, month = rng.randint(2010, 2015), rng.randint(1, 12)
        fact = f"f{len(facts)}"
        graph.add_node(
            fact,
            label=f"{event_type.lower()} ({year})",
            kind="Fact",
            event_type=event_type,
            time=f"{year}-{month:02d}",
            time_begin=f"{year}-{month:02d}-01",
            time_end=f"{year}-{month:02d}-28",
            sentence=f"Synthetic sentence number {len(facts)} about a {event_type.lower()}.",
            article=article,
            article_id=f"urn:kg:article:{a}",
        )
        graph.add_edge(entity(pick(a), article), fact, role="agent", label="agent")
        if facts and rng.random() < 0.05:
            graph.add_edge(fact, rng.choice(facts[-20:]), role="theme", label="theme")
        else:
            graph.add_edge(fact, entity(pick(a), article), role="theme", label="theme")
        for role, chance in (("recipient", 0.15), ("place", 0.2)):
            if rng.random() < chance and graph.number_of_nodes() < nodes:
                graph.add_edge(fact, entity(pick(a), article), role=role, label=role)
        facts.append(fact)
    return graph


def time_render(graph: nx.MultiDiGraph, repeat: int) -> tuple[list[float], str]:
    times, page = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        page = render_html(graph, title=f"Synthetic graph of {graph.number_of_nodes()} nodes")
        times.append(time.perf_counter() - start)
    return times, page


def time_browser(path: Path | str, repeat: int) -> list[dict[str, float]]:
    """Per run: ms from navigation start to vis's first frame, and to pixels seen on the canvas."""
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(path.as_uri() if isinstance(path, Path) else path)
            page.wait_for_function("window.__kgDrawnAt !== undefined", timeout=120_000)
            # Pixels: the canvas holds something other than the transparent/white background.
            painted = page.evaluate(
                """() => {
                    const c = document.querySelector('#kg-graph canvas');
                    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let ink = 0;
                    for (let i = 0; i < px.length; i += 4)
                        if (px[i + 3] > 0 && (px[i] < 250 || px[i + 1] < 250 || px[i + 2] < 250)) ink++;
                    return {ink: ink, at: performance.now()};
                }"""
            )
            if painted["ink"] == 0:
                raise SystemExit("the canvas is blank")
            runs.append({"drawn": page.evaluate("window.__kgDrawnAt"), "pixels": painted["at"]})
            page.close()
        browser.close()
    return runs


def time_served(triples: int, source: str | None, repeat: int) -> None:
    """kg serve over a big store: seconds for /explorer's page, and to the first frame."""
    import subprocess
    import urllib.request

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_query import CORPUS, corpus_nquads, replicate

    from kg.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        if source:
            store = open_store(source, read_only=True)
            nquads = store.export("nquads")
            store.close()
        else:
            nquads = corpus_nquads(CORPUS, scratch)
        copies = max(1, round(triples / nquads.count(b"\n")))
        native = replicate(nquads, copies, scratch / "big")
        print(f"store: {len(native):,} triples ({copies} copies)")
        del native
        server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(scratch / "big"),
                                   "--port", "0"], stderr=subprocess.PIPE, text=True)
        try:
            line = server.stderr.readline() if server.stderr else ""
            url = line.split(" at ", 1)[1].split("/query", 1)[0]
            for what in ("", "?entity=Donald%20Trump"):
                answers = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    with urllib.request.urlopen(f"{url}/explorer{what}", timeout=120) as answer:
                        size = len(answer.read())
                    answers.append(time.perf_counter() - start)
                print(f"/explorer{what}: page {size / 1e6:.1f} MB in median {statistics.median(answers):.2f} s "
                      f"(runs: {', '.join(f'{t:.2f}' for t in answers)})")
            runs = time_browser(f"{url}/explorer", repeat)
            drawn = [r["drawn"] / 1000 for r in runs]
            print(f"chromium: first frame of /explorer median {statistics.median(drawn):.2f} s after navigation "
                  f"(runs: {', '.join(f'{t:.2f}' for t in drawn)})")
        finally:
            server.terminate()
            server.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="also write the page here")
    parser.add_argument("--store", help="draw the graph of this store instead of a synthetic one")
    parser.add_argument("--served", type=int, metavar="TRIPLES",
                        help="time kg serve's explorer over a store of about this many triples")
    parser.add_argument("--source", help="with --served: replicate this store (default: ingest the corpus)")
    args = parser.parse_args(argv)

    if args.served:
        time_served(args.served, args.source, args.repeat)
        return 0
    if args.store:
        from kg.network import build_network
        from kg.store import open_store

        store = open_store(args.store, read_only=True)
        try:
            started = time.perf_counter()
            graph = build_network(store)
            print(f"build_network from the store: {time.perf_counter() - started:.2f} s")
        finally:
            store.close()
    else:
        graph = synthetic_graph(args.nodes, seed=args.seed)
    print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    render_times, page = time_render(graph, args.repeat)
    print(
        f"render_html: median {statistics.median(render_times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in render_times)}), page {len(page) / 1e6:.1f} MB"
    )
    if args.keep:
        args.keep.write_text(page, encoding="utf-8")
    if not CHROMIUM.exists():
        print("no /usr/bin/chromium: browser timing skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "view.html"
        path.write_text(page, encoding="utf-8")
        runs = time_browser(path, args.repeat)
    drawn = [r["drawn"] / 1000 for r in runs]
    pixels = [r["pixels"] / 1000 for r in runs]
    print(
        f"chromium: first frame median {statistics.median(drawn):.2f} s after navigation "
        f"(runs: {', '.join(f'{t:.2f}' for t in drawn)}); "
        f"pixels confirmed by {statistics.median(pixels):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
