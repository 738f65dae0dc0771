"""Control characters in article text (an ESC sequence that retitles the terminal, a vertical
tab) never reach a terminal raw, and every export stays well-formed."""
from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from kg.articles import load_text
from kg.cli import cli
from kg.cli.output import one_line, printable
from kg.types import Article

runner = CliRunner()
HOSTILE = "\x1b]0;owned\x07"  # xterm: set the window title
RAW = ("\x1b", "\x07", "\x0b", "\x9b")


def test_the_loader_drops_control_characters():
    article, = load_text(f"Senate {HOSTILE}votes\n\nThe Senate\x0bpassed the\x9b budget {HOSTILE}law.\x0c Done.")
    assert not any(c in article.text for c in RAW)
    assert article.title == "Senate ]0;ownedvotes"
    assert "The Senate\npassed the budget ]0;ownedlaw.\n Done." in article.text


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, nlp, lexicon):
    """A store whose text holds control characters, as one written by an older kg or through a
    writable `kg serve` may: the loader is not the only way in."""
    from kg.ingest import ingest
    from kg.store import open_store

    path = tmp_path_factory.mktemp("hostile") / "s"
    text = (f"Freedonia {HOSTILE}votes\n\nThe Parliament of Freedonia{HOSTILE} passed the budget\x0b law{HOSTILE} "
            f"on Friday. Prime Minister Rufus\x9b Firefly welcomed the law.")
    store = open_store(path)
    ingest([Article(text=text, title=f"Freedonia {HOSTILE}votes", date=dt.date(2020, 5, 1), source="x.txt")],
           store, nlp=nlp, lexicon=lexicon)
    store.close()
    return path


def kg(*args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_stay_well_formed(hostile_store, fmt):
    out = kg("export", "--format", fmt, "--store", str(hostile_store))
    root = ET.fromstring(out.encode("utf-8"))
    assert "\\x1b]0;owned\\x07" in "".join(root.itertext()) + out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig", "nquads"])
def test_rdf_exports_escape_controls_and_read_back_the_same(hostile_store, fmt):
    from rdflib import Dataset

    out = kg("export", "--format", fmt, "--store", str(hostile_store))
    assert not any(c in out for c in RAW)
    data = Dataset()
    data.parse(data=out, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert any(HOSTILE in str(q[2]) for q in data.quads())  # the same text, escaped in the syntax only


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("query", "articles"), ("query", "articles", "--format", "csv"), ("query", "articles", "--format", "json"),
    ("query", "events", "--format", "tsv"), ("query", "CONSTRUCT { ?a ?p ?o } WHERE { ?a a schema:NewsArticle ; ?p ?o }"),
    ("entity", "Rufus\x9b Firefly"), ("entity", "Rufus\x9b Firefly", "--format", "json"),
])
def test_terminal_output_shows_controls_escaped(hostile_store, args):
    out = kg(*args, "--store", str(hostile_store))
    assert not any(c in out for c in RAW)
    assert "owned" in out or "Firefly" in out


def test_message_helpers():
    assert printable("a\x1bb\tc\nd") == "a\\x1bb\tc\nd"
    assert one_line("bad\nname\x1b.txt: no text") == "bad\\nname\\x1b.txt: no text"


@pytest.mark.slow
def test_a_failed_line_is_one_line_whatever_the_file_name(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "evil\nname\x1b]0;x\x07.txt"
    bad.write_text("")
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", str(tmp_path), "--store", str(tmp_path / "s")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if "failed" in line]
    assert failed == [f"failed: [E010] {tmp_path}/evil\\nname\\x1b]0;x\\x07.txt: no text (empty)"]
