"""One funnel for tabular output: table on a terminal, json/jsonl/csv/tsv for pipes."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
_MAX_CELL = 60


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "\u2026"

    cells = [[clip(_cell(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def render(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    if fmt == "table":
        return _table(headers, rows)
    if fmt in ("json", "jsonl"):
        records = [dict(zip(headers, row)) for row in rows]
        if fmt == "json":
            return json.dumps(records, ensure_ascii=False, indent=2)
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def emit(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    text = render(headers, rows, fmt)
    if text:
        click.echo(text)
