"""`allies export -o`: what is at the path is never clobbered by surprise, and a killed
export leaves nothing behind once the next one has run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.export import TEMP_PREFIX


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "data" / "events.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    code, _, err = run("export", "-o", str(link))
    assert (code, err) == (0, f"wrote {link}\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("id,framework,country,action")
    assert temps(real.parent) == [] and temps(tmp_path) == []


def test_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "x.csv"
    link.symlink_to(tmp_path / "nowhere" / "y.csv")
    code, out, err = run("export", "-o", str(link))
    assert (code, out) == (1, "")
    assert err == (f"Error: cannot write '{link}': it is a symlink to "
                   f"'{tmp_path / 'nowhere' / 'y.csv'}', which does not exist; give a file path\n")


def test_fifo_is_refused_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out, err = run("export", "-o", str(fifo))
    assert (code, out) == (1, "")
    assert err == (f"Error: cannot write '{fifo}': it is a FIFO (named pipe), not a regular "
                   "file; give a file path\n")
    assert fifo.is_fifo() and temps(tmp_path) == []


def test_device_is_refused() -> None:
    code, out, err = run("export", "-o", "/dev/null")
    assert (code, out) == (1, "")
    assert err == ("Error: cannot write '/dev/null': it is a character device, not a regular "
                   "file; give a file path\n")


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_existing_file_keeps_its_mode(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"mine.{fmt}"
    out.write_text("secret\n")
    out.chmod(0o600)
    code, _, _ = run("export", "--format", fmt, "-o", str(out))
    assert code == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_bytes() != b"secret\n"


def test_stale_temp_files_are_cleaned_at_the_next_run(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(gone.stdout)
    stale = tmp_path / f"{TEMP_PREFIX}{dead}-abc123.sqlite"
    stale.write_bytes(b"x" * 1000)
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-live.csv"  # a live process's: kept
    mine.write_text("in progress")
    other = tmp_path / ".not-ours.tmp"
    other.write_text("keep")
    code, _, _ = run("export", "-o", str(tmp_path / "events.csv"))
    assert code == 0
    assert not stale.exists() and mine.exists() and other.exists()


def test_sigkill_mid_export_leaves_no_temp_file_after_the_next_run(tmp_path: Path) -> None:
    """Exports killed while their temp file exists (a few runs, bounded: at most ~15 s)."""
    import sqlite3

    target = tmp_path / "allies.sqlite"
    caught = 0
    for extra in (0.0, 0.02, 0.05):
        p = subprocess.Popen(
            [sys.executable, "-m", "allies", "export", "--format", "sqlite", "-o", str(target)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while p.poll() is None and not temps(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(extra)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.wait(timeout=10)
        caught += p.returncode == -signal.SIGKILL and bool(temps(tmp_path))
        if target.exists():  # the rename is atomic: a target that exists is whole
            con = sqlite3.connect(target)
            assert con.execute("select count(*) from events").fetchone()[0] > 0
            con.close()
    assert caught > 0  # at least one run died with its temp file on disk
    code, _, _ = run("export", "--format", "sqlite", "-o", str(target))
    assert code == 0
    assert temps(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["allies.sqlite"]
