"""Docs stay true: docstring examples run, the README shows real output, versions agree."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import allies
import allies.ledger
import allies.read
from allies.cli import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", [allies, allies.ledger, allies.read])
def test_docstring_examples(module: object) -> None:
    res = doctest.testmod(module)  # type: ignore[arg-type]
    assert res.failed == 0 and res.attempted > 0


def test_readme_outputs_are_current() -> None:
    p = subprocess.run([sys.executable, str(ROOT / "scripts/update_readme.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout


def test_changelog_names_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (?!Unreleased\b)(\S+)", text, re.M)  # the first released one
    assert first and first.group(1) == allies.__version__


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        assert f"allies {name}" in readme, name
        assert cmd.help, name
