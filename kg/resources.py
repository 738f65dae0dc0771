"""Where the shipped data files live: `data/` and `queries/` in a checkout, `kg/_data` and
`kg/_queries` in an installed wheel (the build copies them there)."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


def data_dir() -> Path:
    return _locate("_data", "data")


def queries_dir() -> Path:
    return _locate("_queries", "queries")


def data_file(*parts: str) -> Path:
    return data_dir().joinpath(*parts)
