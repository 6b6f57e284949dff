"""Without the optional `[scale]` extras, `allies scan` of a WARC file says in one line what
to install, instead of a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from allies.cli import cli


def test_scan_of_a_warc_without_warcio_prints_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "warcio" or m.startswith("warcio.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "warcio", None)  # as if it were not installed
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(b"WARC/1.0\r\n")
    r = CliRunner().invoke(cli, ["scan", str(warc)], obj={})
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (
        "Error: reading WARC files needs warcio: pip install 'allies[scale]' "
        "(or pip install warcio)\n"
    )
