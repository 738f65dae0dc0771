from __future__ import annotations

import json

import pytest

from kg.errors import LexiconError
from kg.lexicon import build_lexicon, load_lexicon, read_triggers, read_words
from kg.resources import data_file


def test_shipped_lexicon_covers_every_event_type():
    lexicon = load_lexicon()
    types = {t.type for entries in lexicon.triggers.values() for t in entries}
    assert types >= {"Enact", "Propose", "Repeal", "Ban", "Call", "Statement", "Criticize", "Support", "Release",
                     "Protest", "Host", "Attack", "Die", "Arrest", "Charge", "Sentence", "Rule", "Sue",
                     "Investigate", "Meet", "Elect", "Appoint", "Resign", "Agree", "Reject"}


def test_specific_entries_are_tried_first():
    lexicon = load_lexicon()
    sign = lexicon.candidates("sign", "VERB")
    assert sign[0].prep == "into" and sign[0].object == "law"


@pytest.mark.parametrize("line, message", [
    ('{"lemma": "enact"}', "'type' is required"),
    ('{"lemma": "enact", "type": "Enact", "colour": "red"}', "unknown key"),
    ('{"lemma": "enact", "type": "Enact", "roles": {"actor": "nsubj"}}', "unknown role"),
    ('{"lemma": "enact", "type": "Enact", "roles": {"agent": "subj"}}', "unknown path"),
    ('{"lemma": "enact", "type": "Enact", "roles": {"theme": "dobj|objekt"}}', "unknown path"),
    ('{"lemma": "enact", "type": "Enact", "pos": "ADJ"}', "pos must be"),
    ('{"lemma": "enact", ', "not valid JSON"),
])
def test_bad_trigger_lines_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "triggers.jsonl"
    path.write_text('{"lemma": "pass", "type": "Enact"}\n' + line + "\n")
    with pytest.raises(LexiconError, match=message) as info:
        read_triggers(path)
    assert "triggers.jsonl:2" in str(info.value)
    assert str(info.value).startswith("[E020]")


def test_words_file_must_have_its_lists(tmp_path):
    path = tmp_path / "words.json"
    path.write_text(json.dumps({"ner_kinds": {}}))
    with pytest.raises(LexiconError, match="missing required list"):
        read_words(path)


def test_a_linguist_can_add_a_trigger_without_code(tmp_path, nlp):
    import datetime as dt

    from kg.pipeline import extract
    from kg.types import Article

    lines = data_file("lexicon", "triggers.jsonl").read_text() + '{"lemma": "torpedo", "type": "Reject"}\n'
    (tmp_path / "triggers.jsonl").write_text(lines)
    words = read_words(data_file("lexicon", "words.json"))
    lexicon = build_lexicon(read_triggers(tmp_path / "triggers.jsonl"), words)
    facts = extract(Article(text="The Senate torpedoed the trade agreement.", date=dt.date(2020, 1, 1)), nlp, lexicon).facts
    assert [(f.type, f.agent.name) for f in facts] == [("Reject", "Senate")]
