"""How far kg:confidence can be trusted: on the hand-annotated dev set, the share of facts that
are right (matched to a gold fact by ../shared/eval/score_facts.py's own alignment) at each
confidence, and at or above each threshold.

    .venv/bin/python benchmarks/calibration.py                     # ../shared/eval/dev/manifest.jsonl
    .venv/bin/python benchmarks/calibration.py path/to/manifest.jsonl

Only the 25 scored types count, as in score_facts.py. The README's calibration table comes from
this script.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
from collections import Counter
from pathlib import Path

from kg.articles import load_path
from kg.cli.ingest import fact_record
from kg.ingest import with_overrides
from kg.lexicon import load_lexicon
from kg.nlp import load_nlp
from kg.pipeline import extract

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_facts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifest", type=Path, nargs="?", default=EVAL / "dev" / "manifest.jsonl")
    args = ap.parse_args()
    score = scorer(args.manifest.parent.parent / "score_facts.py")
    nlp, lexicon = load_nlp(), load_lexicon()
    right: Counter[float] = Counter()
    total: Counter[float] = Counter()
    for line in args.manifest.read_text().splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        base = args.manifest.parent
        golds = [json.loads(x) for x in (base / doc["gold"]).read_text().splitlines() if x.strip()]
        (article,) = load_path(base / doc["text"])
        article = with_overrides(article, date=dt.date.fromisoformat(doc["date"]))
        preds = [fact_record(f) for f in extract(article, nlp, lexicon).facts]
        preds = [p for p in preds if p["type"] in score.TYPES]
        matched = {id(p) for p, _ in score.align(preds, golds)}
        for p in preds:
            total[p["confidence"]] += 1
            right[p["confidence"]] += id(p) in matched
    print("confidence   facts  right  precision   | at or above: facts  precision")
    for c in sorted(total, reverse=True):
        at_least = [k for k in total if k >= c]
        n, r = sum(total[k] for k in at_least), sum(right[k] for k in at_least)
        print(f"{c:>10.2f}  {total[c]:>6}  {right[c]:>5}  {right[c] / total[c]:>9.2f}   | {n:>17}  {r / n:>9.2f}")


if __name__ == "__main__":
    main()
