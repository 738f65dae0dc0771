"""The README is the documentation: every command is in it, and its output is real and current."""
from __future__ import annotations

import subprocess
import sys

from kg.cli import cli

from conftest import ROOT


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"`kg {name}" in readme, name


def test_readme_output_is_current():
    """Fails when a change alters what a README command prints: run `make readme`."""
    proc = subprocess.run([sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
