"""Failures are clear and harmless: a killed ingest leaves whole articles, two writers never
corrupt a store, bad input is listed while good input is kept, runaway queries stop."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import open_store

runner = CliRunner()
KG = [sys.executable, "-m", "kg"]
TOPICS = ["budget law", "climate bill", "data protection law", "pension reform", "tax measure", "press law"]


def _write_articles(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        (folder / f"story-{i:03d}.txt").write_text(
            f"Parliament of Freedonia {i}\n\nThe Parliament of Freedonia passed the {topic} number {i} on Friday. "
            f"Prime Minister Rufus Firefly said the {topic} would help. Opposition leader Chicolini criticised "
            f"the {topic} and called for a referendum.\n", encoding="utf-8")


def _quads(path: Path) -> set[str]:
    store = open_store(path, read_only=True)
    try:
        return set(store.export("nquads").decode("utf-8").splitlines())
    finally:
        store.close()


def _article_count(path: Path) -> int:
    try:
        store = open_store(path, read_only=True)
    except Exception:  # not created yet
        return 0
    try:
        return len(store.named_graphs())
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_whole_articles_and_a_rerun_completes_it(tmp_path):
    articles = tmp_path / "in"
    _write_articles(articles, 80)
    reference = tmp_path / "reference"
    done = subprocess.run(KG + ["ingest", str(articles), "--date", "2020-05-01", "--store", str(reference)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    killed = tmp_path / "killed"
    proc = subprocess.Popen(KG + ["ingest", str(articles), "--date", "2020-05-01", "--store", str(killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _article_count(killed) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _article_count(killed)
    assert 0 < partial < 80, "the kill should land in the middle of the ingest"

    # only whole articles: each stored article graph is exactly the uninterrupted run's graph
    full, cut = _quads(reference), _quads(killed)
    stored_graphs = {line.rsplit(" ", 2)[-2] for line in cut if "/article/" in line.rsplit(" ", 2)[-2]}
    for graph in stored_graphs:
        assert {q for q in cut if q.endswith(f" {graph} .")} == {q for q in full if q.endswith(f" {graph} .")}

    rerun = subprocess.run(KG + ["ingest", str(articles), "--date", "2020-05-01", "--store", str(killed)],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial} unchanged" in rerun.stdout
    assert _quads(killed) == full


def test_second_writer_is_refused_with_the_pid_and_readers_keep_working(tmp_path, sample_store):
    store = tmp_path / "s"
    writer = open_store(store)
    try:
        result = subprocess.run(KG + ["ingest", str(Path(__file__).parent.parent / "data" / "articles"),
                                      "--store", str(store)], capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stderr.strip() == (f"Error: [E040] store at {store} is in use by another kg process "
                                         f"(PID {os.getpid()}); try again when it has finished (reading works meanwhile)")
        reader = subprocess.run(KG + ["stats", "--store", str(store)], capture_output=True, text=True)
        assert reader.returncode == 0, reader.stderr
    finally:
        writer.close()
    assert not (store / "kg-writer.pid").exists()


def test_bad_inputs_are_listed_good_ones_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text("Vote\n\nThe Senate of Freedonia passed the budget law on Friday.\n")
    (folder / "b-empty.txt").write_text("")
    (folder / "c-binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (folder / "d-latin1.txt").write_bytes("Caf\xe9 vote\n\nThe Senate of Freedonia passed the caf\xe9 law.\n"
                                           .encode("latin-1"))
    (folder / "e-huge.txt").write_text("Huge\n\n" + "word " * 300_000)
    (folder / "f-nojson.json").write_text('{"title": "no text here"}')
    (folder / "g-baddate.md").write_text("---\ndate: someday\n---\n# H\n\nBody text here.\n")
    (folder / "h-empty.html").write_text("<html><body><nav>menu</nav></body></html>")
    before = set(folder.iterdir())
    result = subprocess.run(KG + ["ingest", str(folder), "--date", "2020-01-01", "--max-bytes", "1000000",
                                  "--store", str(tmp_path / "s")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("articles: 2 added")
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 6
    for name in ("b-empty", "c-binary", "e-huge", "f-nojson", "g-baddate", "h-empty"):
        assert sum(name in line for line in failed) == 1, name
    assert any(line.startswith("note:") and "d-latin1.txt" in line and "decoded as" in line
               for line in result.stderr.splitlines())
    assert set(folder.iterdir()) == before  # inputs are never touched

    stop = subprocess.run(KG + ["ingest", str(folder), "--date", "2020-01-01", "--fail-fast",
                                "--store", str(tmp_path / "s2")], capture_output=True, text=True)
    assert stop.returncode == 1 and "--fail-fast" in stop.stderr
    assert stop.stdout.startswith("articles: 1 added")


def test_runaway_query_stops_at_timeout(sample_store):
    started = time.monotonic()
    result = runner.invoke(cli, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                                 "--timeout", "1", "--store", str(sample_store)])
    assert result.exit_code == 1
    assert "query stopped after 1 s (--timeout)" in result.output
    assert time.monotonic() - started < 20
    quick = runner.invoke(cli, ["query", "ASK { ?s ?p ?o }", "--timeout", "30", "--store", str(sample_store)])
    assert quick.output.strip() == "true"


@pytest.mark.parametrize("value", ['x" } ; DROP ALL ; #', "}", ";", "' OR 1=1 --", "\\", "\u2028"])
def test_param_values_cannot_change_a_query(sample_store, value):
    before = _quads(sample_store)
    result = runner.invoke(cli, ["query", "who-enacted", "-p", f"agent={value}", "--format", "json",
                                 "--store", str(sample_store)])
    assert result.exit_code == 0 and result.output.strip() == "[]"
    assert _quads(sample_store) == before
