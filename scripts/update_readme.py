"""Re-run every `$ allies ...` command shown in README.md and put its real output under it.

Usage: .venv/bin/python scripts/update_readme.py [--check]
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n\$ (allies [^\n]*)\n.*?```", re.S)


def render(match: re.Match[str]) -> str:
    cmd = match.group(1)
    exe = str(Path(sys.executable).parent / "allies")
    argv = [exe, *shlex.split(cmd)[1:]]
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    p = subprocess.run(argv, capture_output=True, text=True, env=env)
    out = (p.stdout + p.stderr).rstrip("\n")
    lines = [ln.rstrip() for ln in out.splitlines()]
    return "```console\n$ " + cmd + "\n" + "\n".join(lines) + "\n```"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = BLOCK.sub(render, text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md command outputs are stale: run scripts/update_readme.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
