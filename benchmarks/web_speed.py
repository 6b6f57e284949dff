"""Web speed: GET /api/status/COL?on=2022-06-01 at 4 connections with wrk, against allies
(uvicorn) and, side by side in the same run, Datasette serving the ledger's SQLite export
for the same row (periods of COL in mnna); then the home page (the map) of the same allies
server, GET /?on=2022-06-01, printed beside /api/status.

Goals: allies >= 10x Datasette's requests/s, allies p99 <= 10 ms; the home page
>= 1,000 req/s with p99 <= 20 ms.
Needs `wrk` (apt-get install wrk). Datasette is NOT a project dependency: it is installed
into a throwaway venv under the temp dir (pip, PyPI) unless --datasette points at one.
Every server binds 127.0.0.1, is started here and stopped here.

Run: .venv/bin/python benchmarks/web_speed.py [--duration 10] [--datasette PATH]
     [--no-datasette]   (only allies: /api/status beside the home page; no PyPI needed)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"
ALLIES_PATH = "/api/status/COL?on=2022-06-01"
DATASETTE_PATH = "/allies/periods.json?country=COL&framework=mnna&_shape=array"
HOME_PATH = "/?on=2022-06-01"
BROWSER = ("Accept-Encoding: gzip",)  # what every browser sends: the map comes gzipped
GOAL_RATIO, GOAL_P99_MS = 10.0, 10.0
GOAL_HOME_RPS, GOAL_HOME_P99_MS = 1000.0, 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not ready: {url}")


@contextlib.contextmanager
def server(cmd: list[str], url: str) -> Iterator[None]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(url, proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    url: str, duration: int, threads: int = 2, conns: int = 4, headers: tuple[str, ...] = ()
) -> dict[str, float]:
    extra = [arg for h in headers for arg in ("-H", h)]
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": _ms(*m.groups()) if m else float("nan"),
        "p50_ms": _ms(*p50.groups()) if p50 else float("nan"),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def datasette_bin(given: str | None, tmp: Path) -> str:
    if given:
        return given
    found = shutil.which("datasette")
    if found:
        return found
    venv = tmp / "dsvenv"
    print("installing datasette into a throwaway venv ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "datasette"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if pip.returncode != 0:
        raise RuntimeError(f"pip install datasette failed:\n{pip.stderr[-2000:]}")
    return str(venv / "bin" / "datasette")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--datasette", help="path to a datasette executable (default: install)")
    ap.add_argument(
        "--no-datasette", action="store_true", help="measure allies only (status and home page)"
    )
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install wrk", file=sys.stderr)
        return 2

    from allies.export import write_sqlite
    from allies.ledger import load_ledger

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="allies-bench-") as td:
        tmp = Path(td)
        db = tmp / "allies.db"
        write_sqlite(load_ledger(), db)
        ds = None if args.no_datasette else datasette_bin(args.datasette, tmp)

        port = free_port()
        url = f"http://{HOST}:{port}{ALLIES_PATH}"
        cmd = [
            sys.executable,
            "-c",
            f"from allies.web import serve; serve(host={HOST!r}, port={port})",
        ]
        with server(cmd, url):
            body = json.loads(urllib.request.urlopen(url).read())
            assert body["country"]["iso3"] == "COL", body
            run_wrk(url, 2)  # warm-up
            results["allies"] = run_wrk(url, args.duration)
            home = f"http://{HOST}:{port}{HOME_PATH}"
            page = urllib.request.urlopen(home).read()
            assert b'id="map"' in page, "the home page has no map"
            run_wrk(home, 2, headers=BROWSER)
            results["home page"] = run_wrk(home, args.duration, headers=BROWSER)

        port = free_port()
        url = f"http://{HOST}:{port}{DATASETTE_PATH}"
        if ds is None:
            return report(results, args.duration)
        cmd = [
            ds,
            "serve",
            str(db),
            "-h",
            HOST,
            "-p",
            str(port),
            "--setting",
            "num_sql_threads",
            "3",
        ]
        with server(cmd, url):
            rows = json.loads(urllib.request.urlopen(url).read())
            assert rows and rows[0]["country"] == "COL", rows
            run_wrk(url, 2)
            results["datasette"] = run_wrk(url, args.duration)

    return report(results, args.duration)


def report(results: dict[str, dict[str, float]], duration: int) -> int:
    a, h = results["allies"], results["home page"]
    print(f"wrk -t2 -c4 -d{duration}s on {os.cpu_count()} CPUs, loopback")
    print(f"{'server':<10} {'route':<32} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    routes = {"allies": ALLIES_PATH, "home page": HOME_PATH, "datasette": DATASETTE_PATH}
    for name, r in results.items():
        print(
            f"{name:<10} {routes[name][:32]:<32} {r['rps']:>10.0f} {r['p50_ms']:>8.2f} "
            f"{r['p99_ms']:>8.2f} {r['non_2xx']:>8.0f}"
        )
    ok = a["non_2xx"] == 0 and h["non_2xx"] == 0
    if "datasette" in results:
        d = results["datasette"]
        ratio = a["rps"] / d["rps"] if d["rps"] else float("inf")
        print(f"ratio allies/datasette: {ratio:.1f}x (goal >= {GOAL_RATIO:g}x)")
        ok = ok and ratio >= GOAL_RATIO
    print(f"allies /api/status p99: {a['p99_ms']:.2f} ms (goal <= {GOAL_P99_MS:g} ms)")
    print(
        f"home page: {h['rps']:.0f} req/s (goal >= {GOAL_HOME_RPS:g}), "
        f"{h['rps'] / a['rps']:.2f}x /api/status; p99 {h['p99_ms']:.2f} ms "
        f"(goal <= {GOAL_HOME_P99_MS:g} ms)"
    )
    ok = ok and a["p99_ms"] <= GOAL_P99_MS
    ok = ok and h["rps"] >= GOAL_HOME_RPS and h["p99_ms"] <= GOAL_HOME_P99_MS
    print("PASS" if ok else "BELOW GOAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
