"""One funnel for tabular output: table on a terminal, json/jsonl/csv/tsv for pipes."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import click

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
_MAX_CELL = 60
# Control characters (C0 but tab and newline, DEL, C1) are never written raw: article text is
# untrusted, and an escape sequence in a headline can rewrite a terminal's title or hide text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_AND_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with each control character shown as its escape (`\\x1b`), for people to read."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def one_line(text: str) -> str:
    """A message that must stay one line (an error, a `failed:` line): line breaks escaped too."""
    return _CONTROLS_AND_BREAKS.sub(lambda m: repr(m[0])[1:-1], text)


def unicode_escaped(text: str) -> str:
    """`text` with each control character written `\\u001b`: JSON, Turtle, N-Triples, TriG and
    N-Quads read it back as the same character, and a terminal shows it harmlessly."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _cell(value: Any) -> str:
    return "" if value is None else printable(str(value))


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
            return unicode_escaped(json.dumps(records, ensure_ascii=False, indent=2))
        return "\n".join(unicode_escaped(json.dumps(r, ensure_ascii=False)) for r in records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def emit(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    text = render(headers, rows, fmt)
    if text:
        click.echo(text)
