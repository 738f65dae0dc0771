"""The CLI end to end, on the shipped sample articles."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import cli

from conftest import SAMPLES, SOCHI

runner = CliRunner()


def run(*args: str, store=None):
    argv = list(args) + (["--store", str(store)] if store else [])
    return runner.invoke(cli, argv, catch_exceptions=False)


def rows(result):
    return json.loads(result.output)


def test_who_enacted(sample_store):
    out = rows(run("query", "who-enacted", "--format", "json", store=sample_store))
    assert {"who": "Russia", "law": 'anti-gay "propaganda" laws', "time": "2013",
            "article": "Heartbreaking Video Imagines the Sochi Olympics for Gay Athletes"} in out


def test_who_called_for(sample_store):
    out = rows(run("query", "who-called-for", "--format", "json", store=sample_store))
    calls = {(r["who"], r["whom"]): r for r in out}
    assert "repeal its anti-gay laws" in calls[("All Out", "Russia")]["what"]
    un = [r for r in out if r["who"] == "United Nations General Assembly"]
    assert un and "truce" in un[0]["what"] and un[0]["time"] == "2013-W45"


def test_timeline_is_ordered_and_filterable(sample_store):
    out = rows(run("query", "timeline", "-p", "from=1990-01-01", "-p", "to=2014-12-31", "--format", "json",
                   store=sample_store))
    seen = [(r["time"], r["type"]) for r in out]
    for expected in [("1993", "Repeal"), ("2013", "Enact"), ("2013-10", "Statement"), ("2013-10", "Protest"),
                     ("2013-11-04", "Release"), ("2014", "Host")]:
        assert expected in seen
    begins = [r["begin"] for r in out]
    assert begins == sorted(begins)
    only_2013 = rows(run("query", "timeline", "-p", "from=2013-01-01", "-p", "to=2013-12-31", "--format", "json",
                         store=sample_store))
    assert only_2013 and all(r["begin"] <= "2013-12-31" and r["end"] >= "2013-01-01" for r in only_2013)
    assert ("1993", "Repeal") not in [(r["time"], r["type"]) for r in only_2013]


def test_query_output_formats(sample_store):
    table = run("query", "who-enacted", store=sample_store).output.splitlines()
    assert table[0].split() == ["who", "law", "time", "article"] and set(table[1]) <= {"-", " "}
    csv_out = run("query", "who-enacted", "--format", "csv", store=sample_store).output
    assert csv_out.startswith("who,law,time,article\n")
    tsv_out = run("query", "who-enacted", "--format", "tsv", store=sample_store).output
    assert tsv_out.startswith("who\tlaw\ttime\tarticle\n")
    count = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:NewsArticle }", "--format", "json",
                store=sample_store)
    assert rows(count) == [{"n": "5"}]
    assert run("query", "ASK { ?a a schema:NewsArticle }", store=sample_store).output.strip() == "true"


def test_queries_lists_names_and_parameters():
    out = rows(run("queries", "--format", "json"))
    by_name = {r["name"]: r for r in out}
    assert {"who-enacted", "who-called-for", "timeline", "entity", "sources", "laws", "statements",
            "co-actors", "articles", "events", "entity-timeline"} <= set(by_name)
    assert by_name["timeline"]["parameters"] == "from (date), to (date), min_confidence (decimal), generic (boolean)"


def test_entity_and_sources(sample_store):
    out = rows(run("query", "entity", "-p", "name=Putin", "--format", "json", store=sample_store))
    assert out and {r["entity"] for r in out} == {"Vladimir Putin"} and out[0]["role"] == "agent"
    src = rows(run("query", "sources", "-p", "event=Putin", "--format", "json", store=sample_store))
    assert src and src[0]["sentence"].startswith("Russian President Vladimir Putin told Reuters")


def test_entity_timeline_orders_every_event_of_an_entity(sample_store):
    out = rows(run("query", "entity-timeline", "-p", "name=Russia", "--format", "json", store=sample_store))
    assert out
    # dated events first, in time order; an undated one shows its bound ("by <article date>")
    assert ("1993", "Repeal") in {(r["when"], r["type"]) for r in out}
    assert any(r["when"].startswith("by 2013-11-09") for r in out)
    dated = [r["when"] for r in out if not r["when"].startswith("by ")]
    assert dated == sorted(dated)
    assert any("recipient" in r["roles"] for r in out)
    assert not rows(run("query", "entity-timeline", "-p", "name=Nobody Atall", "--format", "json",
                        store=sample_store))


def test_events_of_a_family_and_generic_events_on_request(sample_store):
    law = rows(run("query", "events", "-p", "type=LawAndPolicy", "--format", "json", store=sample_store))
    assert {r["event_type"] for r in law} >= {"Enact", "Repeal"} and {r["event_type"] for r in law} <= {
        "Enact", "Repeal", "Ban", "Propose"}
    typed = rows(run("query", "events", "--format", "json", store=sample_store))
    every = rows(run("query", "events", "-p", "generic=yes", "--format", "json", store=sample_store))
    assert not any(r["predicate"] for r in typed)
    generic = [r for r in every if r["predicate"]]
    assert generic and {r["event_type"] for r in generic} == {"Occurrence"} and len(every) == len(typed) + len(generic)
    wrong = run("query", "events", "-p", "generic=perhaps", store=sample_store)
    assert wrong.exit_code != 0 and "is not true or false" in wrong.output


def test_extract_jsonl_contract():
    result = run("extract", str(SOCHI), "--format", "jsonl")
    facts = [json.loads(line) for line in result.output.splitlines()]
    assert facts
    for fact in facts:
        assert set(fact) >= {"type", "agent", "theme", "recipient", "place", "time", "sentence", "start", "end"}
    enact = [f for f in facts if f["type"] == "Enact" and f["time"] == "2013"]
    assert enact and enact[0]["agent"] == "Russia"


def test_extract_turtle_and_table():
    turtle = run("extract", str(SOCHI), "--format", "turtle").output
    assert "kg:Enact" in turtle and "schema:NewsArticle" in turtle
    table = run("extract", str(SOCHI)).output
    assert table.splitlines()[0].split() == ["type", "agent", "theme", "recipient", "place", "time"]


def test_ingest_twice_reports_unchanged(tmp_path):
    first = run("ingest", str(SOCHI), store=tmp_path / "s")
    assert first.exit_code == 0 and first.output.startswith("articles: 1 added")
    again = run("ingest", str(SOCHI), store=tmp_path / "s")
    assert "0 added, 0 replaced, 1 unchanged" in again.output and "triples written: 0" in again.output


def test_ingest_stdin_with_metadata(tmp_path):
    text = "Workers protested against the pension reform in Lyon on Monday."
    result = runner.invoke(cli, ["ingest", "-", "--date", "2020-01-08", "--title", "Strike in Lyon",
                                 "--url", "https://example.org/lyon", "--store", str(tmp_path / "s")], input=text)
    assert result.exit_code == 0, result.output
    out = rows(run("query", "articles", "--format", "json", store=tmp_path / "s"))
    assert out[0]["headline"] == "Strike in Lyon" and out[0]["date"] == "2020-01-08"
    assert out[0]["url"] == "https://example.org/lyon"


def test_bad_files_are_listed_and_good_ones_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Vote\n\nThe Senate of Freedonia passed the budget law on Friday.\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run("ingest", str(folder), "--date", "2020-01-01", store=tmp_path / "s")
    assert result.exit_code == 1
    assert "1 added" in result.output
    assert "empty.txt" in result.output and "binary.txt" in result.output


def test_errors_are_one_line_without_traceback(tmp_path):
    for args in (["query", "who-enacte", "--store", str(tmp_path / "s")],
                 ["query", "SELECT ?x WHERE { ?x ", "--store", str(tmp_path / "nostore")],
                 ["extract", str(tmp_path / "missing.txt")],
                 ["ingest", str(SOCHI), "--date", "not-a-date"]):
        proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_stats_export_remove(tmp_path):
    store = tmp_path / "s"
    run("ingest", str(SAMPLES), store=store)
    stats = {r["what"]: r["count"] for r in rows(run("stats", "--format", "json", store=store))}
    assert stats["articles"] == 5 and stats["facts"] > 20 and stats["triples"] > 1000
    assert stats["facts: typed"] + stats["facts: generic"] == stats["facts"] and stats["facts: generic"] > 0
    trig = run("export", "--format", "trig", store=store).output
    assert "GRAPH" in trig or "{" in trig
    graphml = run("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml"), store=store)
    assert graphml.exit_code == 0 and (tmp_path / "g.graphml").read_text().startswith("<?xml")
    removed = run("remove", "Heartbreaking Video Imagines the Sochi Olympics for Gay Athletes", store=store)
    assert removed.output.strip() == "removed 1 article(s)"
    after = {r["what"]: r["count"] for r in rows(run("stats", "--format", "json", store=store))}
    assert after["articles"] == 4 and after["facts"] < stats["facts"]


def test_view_writes_html(tmp_path, sample_store):
    out = tmp_path / "g.html"
    result = run("view", "-o", str(out), store=sample_store)
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "Russia" in html and "<script" in html
    focused = run("view", "-o", str(out), "--entity", "Russia", "--hops", "1", store=sample_store)
    assert focused.exit_code == 0 and "entities" in focused.output


@pytest.mark.parametrize("command", ["ingest", "extract", "query", "queries", "view", "export", "stats", "remove"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output


@pytest.mark.slow
def test_the_wikinews_corpus_folder_ingests_cleanly_with_its_manifest(tmp_path):
    """A real folder of articles: ATTRIBUTION.md skipped, MANIFEST.jsonl read as metadata, so
    every article gets its URL, and the run exits 0."""
    from conftest import SHARED

    corpus = SHARED / "corpus" / "wikinews"
    if not (corpus / "MANIFEST.jsonl").exists():
        pytest.skip("../shared/corpus is not here")
    result = runner.invoke(cli, ["ingest", str(corpus), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert f"skipped: {corpus / 'ATTRIBUTION.md'}: not an article by its name" in result.output
    manifest = [json.loads(line) for line in (corpus / "MANIFEST.jsonl").read_text().splitlines() if line.strip()]
    assert f"articles: {len(manifest)} added, 0 replaced" in result.output
    stored = rows(run("query", "articles", "--format", "json", store=tmp_path / "s"))
    assert len(stored) == len(manifest) and all(r["url"].startswith("https://en.wikinews.org/") for r in stored)


def test_progress_lines_when_piped_say_done_total_rate_and_time_left():
    from kg.cli.ingest import Progress
    from kg.types import Article

    now = [100.0]
    lines: list[str] = []
    progress = Progress(10, tty=False, every=5.0, clock=lambda: now[0], echo=lambda text, nl: lines.append(text))
    for second, source in enumerate(["a.txt", "b.txt", "c.txt", "c.txt", "d.txt"], start=1):
        now[0] = 100.0 + 2 * second  # an article every 2 s; c.txt holds two records
        progress.update(Article(text="x", source=source))
    progress.close()
    assert lines == ["ingesting: 3/10 files, 0.5 articles/s, about 14 s left"]  # at 6 s, then not before 11 s


def test_progress_on_a_terminal_is_one_line_redrawn_then_cleared():
    from kg.cli.ingest import Progress
    from kg.types import Article

    now = [0.0]
    out: list[str] = []
    progress = Progress(None, tty=True, clock=lambda: now[0], echo=lambda text, nl: out.append(text))
    for _ in range(3):
        now[0] += 1
        progress.update(Article(text="x", source="-"))
    progress.close()
    assert out[-1] == "\r\033[K" and all(o.startswith("\r\033[Kingesting: ") for o in out[:-1]) and len(out) == 4


def test_min_confidence_filters_the_facts_of_a_named_query(sample_store):
    every = rows(run("query", "events", "--format", "json", store=sample_store))
    sure = rows(run("query", "events", "--format", "json", "--min-confidence", "0.8", store=sample_store))
    assert 0 < len(sure) < len(every)
    confidences = rows(run("query", "SELECT ?c WHERE { ?e a kg:Enact ; kg:confidence ?c }", "--format", "json",
                           store=sample_store))
    assert confidences and all(0 <= float(r["c"]) <= 1 for r in confidences)
    refused = runner.invoke(cli, ["query", "articles", "--min-confidence", "0.8", "--store", str(sample_store)])
    assert refused.exit_code == 1 and "has no parameter 'min_confidence'" in refused.output
    bad = runner.invoke(cli, ["query", "events", "--param", "min_confidence=high", "--store", str(sample_store)])
    assert bad.exit_code == 1 and "'high' is not a number" in bad.output


def test_view_min_confidence_leaves_out_less_trusted_facts(sample_store, tmp_path):
    every = run("view", "-o", str(tmp_path / "a.html"), store=sample_store).output
    sure = run("view", "-o", str(tmp_path / "b.html"), "--min-confidence", "0.8", store=sample_store).output
    facts = [int(out.split(", ")[1].split()[0]) for out in (every, sure)]
    assert 0 < facts[1] < facts[0]


def test_every_fact_has_a_time_or_a_bound_from_its_article_date(sample_store):
    untimed = rows(run("query", "SELECT ?e WHERE { ?e a sem:Event ; kg:asserted true FILTER NOT EXISTS { ?e sem:hasTime ?t } }",
                       "--format", "json", store=sample_store))
    assert untimed == []
    bounds = rows(run("query", """SELECT ?by ?published WHERE {
        ?e sem:hasTime ?t ; prov:wasDerivedFrom/schema:datePublished ?published .
        ?t a kg:TimeBound ; sem:hasLatestEndTimeStamp ?by FILTER NOT EXISTS { ?t kg:timexValue ?v } }""",
                      "--format", "json", store=sample_store))
    assert bounds and all(b["by"] == b["published"] for b in bounds)
