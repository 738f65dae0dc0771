"""Used by cog to put real command output into README.md (`make readme`; checked by
tests/test_readme.py). Commands run in a scratch folder that sees the project's data/ and
queries/, against a throwaway store, so files they write (graph.html) land there."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import cog

ROOT = Path(__file__).resolve().parent.parent
_SCRATCH = Path(tempfile.mkdtemp(prefix="kg-readme-"))
_STORE = _SCRATCH / "kg-store"
for _name in ("data", "queries", "examples"):
    (_SCRATCH / _name).symlink_to(ROOT / _name)
_BIN = Path(sys.executable).parent


def shell(command: str, *, head: int | None = None, shown: dict[str, str] | None = None) -> None:
    """Run a `kg ...` command line and write it with its output as a console block; `shown`
    replaces strings (a temporary folder's path) in what the README shows."""
    env = dict(os.environ, KG_STORE=str(_STORE), PATH=f"{_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               COLUMNS="200")
    # one stream, unbuffered: the lines appear in the order a terminal shows them
    proc = subprocess.run(command, shell=True, cwd=_SCRATCH, env=dict(env, PYTHONUNBUFFERED="1"),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = proc.stdout.rstrip("\n").splitlines()
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["..."]
    def show(text: str) -> str:
        for old, new in (shown or {}).items():
            text = text.replace(old, new)
        return text

    cog.outl("```console")
    cog.outl(f"$ {show(command)}")
    for line in lines:
        cog.outl(show(line.rstrip()))
    cog.outl("```")


__all__ = ["shell", "shlex"]
