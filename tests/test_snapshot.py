"""What kg extracts from the corpus and the samples is what the snapshot in snapshot/ says: a
change to the rules shows as a diff there. After a deliberate change, run `make snapshot`."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, SAMPLES, SHARED

sys.path.insert(0, str(ROOT / "snapshot"))
from make_snapshot import snapshot  # noqa: E402

CORPUS = SHARED / "corpus" / "wikinews"


@pytest.mark.slow
@pytest.mark.parametrize("folder, name", [
    (SAMPLES, "samples.jsonl"),
    pytest.param(CORPUS, "wikinews.jsonl", marks=pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared corpus")),
])
def test_extraction_matches_the_snapshot(folder, name):
    expected = (ROOT / "snapshot" / name).read_text(encoding="utf-8").splitlines()
    got = list(snapshot(folder))
    assert got == expected, f"snapshot/{name} is out of date: run `make snapshot` and review the diff"
