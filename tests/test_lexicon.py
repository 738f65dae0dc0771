"""The lexicon as data: the shipped files, a user's folder added to them, and every mistake named
with its file and line."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.errors import LexiconError
from kg.lexicon import load_lexicon, read_lexicon
from kg.resources import data_file

SCORED = {"Enact", "Propose", "Repeal", "Ban", "Call", "Statement", "Criticize", "Support", "Release",
          "Protest", "Host", "Attack", "Die", "Arrest", "Charge", "Sentence", "Rule", "Sue",
          "Investigate", "Meet", "Elect", "Appoint", "Resign", "Agree", "Reject"}
SHIPPED = data_file("lexicon")


def user_lexicon(folder: Path, **files: str) -> Path:
    """A user's lexicon folder with these files (`types="..."` writes types.jsonl)."""
    folder.mkdir(exist_ok=True)
    for stem, text in files.items():
        (folder / (f"{stem}.json" if stem == "words" else f"{stem}.jsonl")).write_text(text)
    return folder


def test_shipped_lexicon_covers_every_scored_type_in_families():
    lexicon = load_lexicon()
    used = {t.type for entries in lexicon.triggers.values() for t in entries}
    assert used >= SCORED
    assert all(lexicon.types[t].parent is not None for t in SCORED)
    assert lexicon.families["Enact"] == "Law & policy" and lexicon.families["Arrest"] == "Justice"
    assert lexicon.types["Statement"].speech and lexicon.types["Arrest"].agentless


def test_specific_entries_are_tried_first():
    sign = load_lexicon().candidates("sign", "VERB")
    assert sign[0].prep == "into" and sign[0].object == "law"


def test_named_word_lists_are_expanded():
    pass_law = next(t for t in load_lexicon().candidates("pass", "VERB") if t.type == "Enact")
    assert {"law", "bill", "budget"} <= pass_law.theme_lemmas  # "@legislation" and its own words


def test_a_user_type_and_trigger_are_added(tmp_path):
    user = user_lexicon(tmp_path / "mine",
                        types='{"type": "Recall", "label": "Recall", "description": "A maker recalls a product."}\n',
                        triggers='{"lemma": "recall", "type": "Recall"}\n')
    lexicon = load_lexicon(user)
    assert lexicon.types["Recall"].family == "Recall"
    assert [t.type for t in lexicon.candidates("recall", "VERB")] == ["Recall"]
    assert len(lexicon) == len(load_lexicon()) + 1
    assert lexicon.digest != load_lexicon().digest


def test_a_user_entry_replaces_the_shipped_one_of_the_same_id(tmp_path):
    user = user_lexicon(tmp_path / "mine",
                        triggers='{"lemma": "enact", "type": "Enact", "theme_lemmas": ["@legislation"]}\n',
                        words='{"negations": ["not", "never"]}\n')
    lexicon = load_lexicon(user)
    (enact,) = lexicon.candidates("enact", "VERB")
    assert enact.id == "Enact:enact" and "law" in enact.theme_lemmas
    assert lexicon.word_set("negations") == {"not", "never"}
    assert len(lexicon) == len(load_lexicon())


def test_a_user_type_may_join_a_shipped_family(tmp_path):
    user = user_lexicon(tmp_path / "mine", types='{"type": "Pardon", "parent": "Justice"}\n',
                        triggers='{"lemma": "pardon", "type": "Pardon"}\n')
    assert load_lexicon(user).families["Pardon"] == "Justice"


@pytest.mark.parametrize("files, where, message", [
    ({"triggers": '{"lemma": "recall", "type": "Recal"}'}, "triggers.jsonl:1", "unknown event type 'Recal'"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "theme_lemmas": "@legislaton"}'}, "triggers.jsonl:1",
     "unknown word list '@legislaton'"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "colour": "red"}'}, "triggers.jsonl:1", "unknown key"),
    ({"triggers": '{"lemma": "x", "type": "Enact"}\n{"lemma": "x", "type": "Enact"}'}, "triggers.jsonl:2",
     "duplicate id 'Enact:x'"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "roles": {"agent": "subj"}}'}, "triggers.jsonl:1",
     "names no dependency"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "roles": {"theme": "dobj|objekt"}}'}, "triggers.jsonl:1",
     "names no dependency"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "requires": "object"}'}, "triggers.jsonl:1",
     "names no dependency"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "roles": {"actor": "nsubj"}}'}, "triggers.jsonl:1", "unknown role"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "theme_kinds": ["Persn"]}'}, "triggers.jsonl:1", "entity kinds"),
    ({"triggers": '{"lemma": "x", "type": "Enact", "pos": "ADJ"}'}, "triggers.jsonl:1", "pos must be"),
    ({"triggers": '{"lemma": "x"}'}, "triggers.jsonl:1", "'type' is required"),
    ({"triggers": '\n{"lemma": "x", '}, "triggers.jsonl:2", "not valid JSON"),
    ({"types": '{"type": "Recall", "parent": "Busines"}'}, "types.jsonl:1", "unknown parent type 'Busines'"),
    ({"types": '{"type": "Recall", "agentles": true}'}, "types.jsonl:1", "unknown key"),
    ({"types": '{"type": "recall"}'}, "types.jsonl:1", "CamelCase"),
    ({"types": '{"type": "Group"}'}, "types.jsonl:1", "already a kg term"),
    ({"types": '{"type": "A", "parent": "B"}\n{"type": "B", "parent": "A"}'}, "types.jsonl:1", "its own ancestor"),
    ({"types": '{"type": "Recall"}\n{"type": "Recall"}'}, "types.jsonl:2", "duplicate id 'Recall'"),
    ({"words": '{\n  "negations": ["not"],\n  "pronouns": ["he"]\n}'}, "words.json:3", "must be a table"),
    ({"words": '{"negations": ['}, "words.json:1", "not valid JSON"),
    ({"words": '{\n  "quantity_preps": {"by": "bye"}\n}'}, "words.json:2", "unknown quantity role"),
])
def test_every_mistake_is_one_line_with_file_and_line(tmp_path, files, where, message):
    user = user_lexicon(tmp_path / "mine", **files)
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon(user)
    text = str(info.value)
    assert text.startswith(f"[E020] {user / where}:") and "\n" not in text


def test_a_folder_without_lexicon_files_or_with_a_misnamed_one_is_an_error(tmp_path):
    with pytest.raises(LexiconError, match="no such lexicon folder"):
        load_lexicon(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match="holds none of the lexicon files"):
        load_lexicon(tmp_path / "empty")
    user = user_lexicon(tmp_path / "typo", types='{"type": "Recall"}\n')
    (user / "trigger.jsonl").write_text('{"lemma": "recall", "type": "Recall"}\n')
    with pytest.raises(LexiconError, match="trigger.jsonl: not a lexicon file"):
        load_lexicon(user)


def test_the_shipped_files_are_checked_alike(tmp_path):
    broken = tmp_path / "lexicon"
    broken.mkdir()
    for name in ("types.jsonl", "words.json"):
        (broken / name).write_text((SHIPPED / name).read_text())
    (broken / "triggers.jsonl").write_text((SHIPPED / "triggers.jsonl").read_text() + '{"lemma": "x", "type": "Nope"}\n')
    lines = len((broken / "triggers.jsonl").read_text().splitlines())
    with pytest.raises(LexiconError, match=f"triggers.jsonl:{lines}: unknown event type 'Nope'"):
        read_lexicon([broken])


def test_one_type_at_most_is_generic(tmp_path):
    user = user_lexicon(tmp_path / "mine", types='{"type": "Happening", "generic": true}\n')
    with pytest.raises(LexiconError, match="only one type may be generic"):
        load_lexicon(user)
    shipped = load_lexicon()
    assert shipped.generic_type == "Occurrence"
    assert shipped.generic_entry("own") is not None and shipped.generic_entry("be") is None


def test_an_unknown_word_list_asked_for_by_code_is_an_error():
    with pytest.raises(LexiconError, match="no word list 'negatoins'"):
        load_lexicon().word_set("negatoins")


def test_the_digest_follows_content_not_layout(tmp_path):
    copy = tmp_path / "lexicon"
    copy.mkdir()
    for name in ("types.jsonl", "triggers.jsonl"):
        (copy / name).write_text((SHIPPED / name).read_text())
    words = json.loads((SHIPPED / "words.json").read_text())
    (copy / "words.json").write_text(json.dumps(words, indent=1))  # other whitespace, same lists
    assert read_lexicon([copy]).digest == load_lexicon().digest
    words["negations"].append("nary")
    (copy / "words.json").write_text(json.dumps(words))
    assert read_lexicon([copy]).digest != load_lexicon().digest


def test_a_linguist_can_add_a_type_and_trigger_without_code(tmp_path, nlp):
    from kg.pipeline import extract
    from kg.types import Article

    user = user_lexicon(tmp_path / "mine", types='{"type": "Recall", "label": "Recall"}\n',
                        triggers='{"lemma": "recall", "type": "Recall"}\n{"lemma": "torpedo", "type": "Reject"}\n')
    lexicon = load_lexicon(user)
    article = Article(text="Toyota recalled the Prius. The Senate torpedoed the trade agreement.", date=dt.date(2020, 1, 1))
    facts = extract(article, nlp, lexicon).facts
    assert [(f.type, f.agent.name) for f in facts if f.agent] == [("Recall", "Toyota"), ("Reject", "Senate")]
