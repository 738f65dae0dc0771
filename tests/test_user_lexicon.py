"""A user's own event type, end to end through the CLI: `--lexicon DIR` (or $KG_LEXICON) gives
kg:Recall facts in `kg extract`, in the store, in `kg view`'s legend and in `kg validate`; an
article analysed with other rules is analysed again on the next ingest."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

STORY = """Toyota recalls 1,000 vehicles

Toyota recalled 1,000 vehicles on Monday, the company said.
"""


@pytest.fixture()
def recall(tmp_path: Path) -> Path:
    folder = tmp_path / "beat"
    folder.mkdir()
    (folder / "types.jsonl").write_text(
        '{"type": "Product", "label": "Products", "description": "What companies do with their products."}\n'
        '{"type": "Recall", "parent": "Product", "label": "Recall", "description": "A maker recalls a product."}\n')
    (folder / "triggers.jsonl").write_text('{"lemma": "recall", "type": "Recall"}\n')
    return folder


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    path = tmp_path / "recall.txt"
    path.write_text(STORY)
    return path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_a_user_type_reaches_extract_store_view_and_validate(tmp_path, recall, story):
    store = str(tmp_path / "store")
    facts = [json.loads(line) for line in run("extract", str(story), "--date", "2024-03-06", "--format", "jsonl",
                                              "--lexicon", str(recall)).output.splitlines()]
    assert {"type": "Recall", "agent": "Toyota", "time": "2024-03-04"}.items() <= next(
        f for f in facts if f["type"] == "Recall").items()

    # $KG_LEXICON works as --lexicon does
    result = run("ingest", str(story), "--date", "2024-03-06", "--store", store, env={"KG_LEXICON": str(recall)})
    assert result.exit_code == 0, result.output
    found = json.loads(run("query", "SELECT ?who WHERE { ?e a kg:Recall ; kg:agent/rdfs:label ?who }",
                           "--format", "json", "--store", store).output)
    assert found == [{"who": "Toyota"}]

    page = tmp_path / "graph.html"
    assert run("view", "-o", str(page), "--store", store, "--lexicon", str(recall)).exit_code == 0
    data = page.read_text()
    assert '"name": "Products"' in data or '"name":"Products"' in data  # the family, in the legend

    assert run("validate", "--store", store, "--lexicon", str(recall)).exit_code == 0
    without = run("validate", "--store", store, "--format", "json")
    assert without.exit_code == 1
    assert any("no event type of the lexicon" in v["message"] for v in json.loads(without.output)["violations"])


def test_another_lexicon_means_the_article_is_analysed_again(tmp_path, recall, story):
    store = str(tmp_path / "store")
    first = run("ingest", str(story), "--date", "2024-03-06", "--store", store)
    assert "1 added" in first.output
    assert "1 unchanged" in run("ingest", str(story), "--date", "2024-03-06", "--store", store).output
    again = run("ingest", str(story), "--date", "2024-03-06", "--store", store, "--lexicon", str(recall))
    assert "1 re-analysed" in again.output and "0 added" in again.output
    rows = json.loads(run("query", "SELECT DISTINCT ?x WHERE { ?s kg:extractor ?x }", "--format", "json",
                          "--store", store).output)
    assert len(rows) == 1 and rows[0]["x"].startswith("kg-extract/1+lexicon.")  # no mix of old and new rules
    assert "1 unchanged" in run("ingest", str(story), "--date", "2024-03-06", "--store", store,
                                "--lexicon", str(recall)).output


def test_a_mistake_in_the_users_lexicon_is_one_line(tmp_path, story):
    folder = tmp_path / "beat"
    folder.mkdir()
    (folder / "triggers.jsonl").write_text('{"lemma": "recall", "type": "Recal"}\n')
    result = CliRunner().invoke(cli, ["extract", str(story), "--lexicon", str(folder)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: [E020] {folder / 'triggers.jsonl'}:1: "
                                     "unknown event type 'Recal' (not in types.jsonl)")
