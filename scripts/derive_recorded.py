"""Derive src/allies/data/recorded.csv from the data's git history: each bundled event row
takes the data release (manifest data_version) of the first commit whose events.csv had its id.

Run from the repository root after a data release: python scripts/derive_recorded.py
The package never reads git: it reads the CSV this writes (validated on load).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib
from pathlib import Path

DATA = "src/allies/data"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def main() -> int:
    commits = git("log", "--reverse", "--format=%H", "--", f"{DATA}/events.csv").split()
    first: dict[str, str] = {}
    for c in commits:
        manifest = tomllib.loads(git("show", f"{c}:{DATA}/manifest.toml"))
        release = str(manifest["data_version"])
        rows = csv.DictReader(io.StringIO(git("show", f"{c}:{DATA}/events.csv")))
        for row in rows:
            first.setdefault(row["id"], release)
    current = csv.DictReader(io.StringIO(Path(DATA, "events.csv").read_text("utf-8")))
    release_now = str(tomllib.loads(Path(DATA, "manifest.toml").read_text("utf-8"))["data_version"])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "release"])
    for row in current:
        w.writerow([row["id"], first.get(row["id"], release_now)])
    Path(DATA, "recorded.csv").write_text(out.getvalue(), "utf-8")
    print(f"wrote {DATA}/recorded.csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
