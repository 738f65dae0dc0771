"""Files of several articles (a JSON list, JSON lines): every record is an article of its own,
known by its content; a record edited, added or deleted in the file is edited, added or deleted
in the store, and nothing else is; a record that cannot be read loses no other."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import open_store

pytestmark = pytest.mark.slow  # loads the spaCy model
runner = CliRunner()


def record(i: int, law: str = "law") -> dict:
    return {"title": f"Story {i}", "date": "2019-03-09", "text": f"The Senate passed {law} {i} on Monday."}


def ingest(path: Path, store: Path):
    return runner.invoke(cli, ["ingest", str(path), "--store", str(store)], catch_exceptions=False)


def headlines(store: Path) -> list[str]:
    result = runner.invoke(cli, ["query", "articles", "--format", "json", "--store", str(store)],
                           catch_exceptions=False)
    return sorted(r["headline"] for r in json.loads(result.output))


def write_jsonl(path: Path, records: list[dict | str]) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")


def test_a_json_list_of_records_without_urls_stores_every_record(tmp_path):
    # the review's reproduction: "64 added, 136 replaced" and 25 articles stored
    path = tmp_path / "a.json"
    path.write_text(json.dumps([record(i) for i in range(200)]), encoding="utf-8")
    result = ingest(path, tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "200 added, 0 replaced" in result.output
    store = open_store(tmp_path / "s", read_only=True)
    try:
        assert len(store.named_graphs()) == 200
    finally:
        store.close()
    assert "200 unchanged" in ingest(path, tmp_path / "s").output


def test_an_edited_record_replaces_only_its_own_earlier_version(tmp_path):
    path, store = tmp_path / "a.json", tmp_path / "s"
    records = [record(i) for i in range(5)]
    path.write_text(json.dumps(records), encoding="utf-8")
    ingest(path, store)
    records[2] = record(2, law="the budget law")
    path.write_text(json.dumps(records), encoding="utf-8")
    result = ingest(path, store)
    assert "0 added, 1 replaced, 4 unchanged" in result.output
    assert headlines(store) == [f"Story {i}" for i in range(5)]
    texts = runner.invoke(cli, ["query", "events", "--format", "json", "--store", str(store)]).output
    assert "budget law" in texts and "law 2 " not in texts


def test_appending_and_deleting_lines_of_a_jsonl_file(tmp_path):
    path, store = tmp_path / "a.jsonl", tmp_path / "s"
    records = [record(i) for i in range(5)]
    write_jsonl(path, records)
    ingest(path, store)
    write_jsonl(path, records + [record(5)])
    assert "1 added, 0 replaced, 5 unchanged" in ingest(path, store).output
    assert headlines(store) == [f"Story {i}" for i in range(6)]
    write_jsonl(path, records[1:] + [record(5)])  # the first line deleted: every later one moves up
    assert "0 added, 0 replaced, 5 unchanged, 1 removed" in ingest(path, store).output
    assert headlines(store) == [f"Story {i}" for i in range(1, 6)]


def test_a_record_repeated_in_a_file_is_one_article(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [record(1), record(2), record(1)])
    assert "2 added, 0 replaced, 1 unchanged" in ingest(path, tmp_path / "s").output


def test_a_malformed_line_loses_no_other_record(tmp_path):
    path, store = tmp_path / "a.jsonl", tmp_path / "s"
    lines: list[dict | str] = [record(1), record(2), record(3), '{"title": "broken", "text": ', record(5)]
    write_jsonl(path, lines)
    result = ingest(path, store)
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert failed == [f"failed: [E010] {path}, line 4: invalid JSON at column 29: Expecting value"]
    assert "4 added" in result.output
    assert headlines(store) == ["Story 1", "Story 2", "Story 3", "Story 5"]


def test_a_record_that_breaks_keeps_its_stored_version_until_it_is_fixed(tmp_path):
    # a file read in part deletes nothing: the line may be mid-edit
    path, store = tmp_path / "a.jsonl", tmp_path / "s"
    records: list[dict | str] = [record(i) for i in range(3)]
    write_jsonl(path, records)
    ingest(path, store)
    write_jsonl(path, [records[0], "{oops", records[2]])
    assert ingest(path, store).exit_code == 1
    assert headlines(store) == ["Story 0", "Story 1", "Story 2"]


def test_bad_records_of_a_json_list_are_named_and_the_others_stored(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([record(1), {"title": "no text"}, record(3), [1]]), encoding="utf-8")
    result = ingest(path, tmp_path / "s")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert [re.sub(r"\(.*", "", f) for f in failed] == [
        f"failed: [E010] {path}, record 2: no article text ", f"failed: [E010] {path}, record 4: expected a JSON object, got a list"]
    assert headlines(tmp_path / "s") == ["Story 1", "Story 3"]
