"""The server under hostile load: stalled uploads, and many large checks at once.

    .venv/bin/python benchmarks/server_load.py [--checks 50] [--mb 1] [--stalled 10]

Starts `allies serve` (as the command runs it: readings in child processes, the guarded
protocol) on a free loopback port, then measures:

1. baseline: /api/status/COL latency (p50, p99) with nothing else going on;
2. a small POST /api/read (one sentence) while `--stalled` connections have sent their
   headers and a few bytes of a body they never finish (goal: < 1 s each);
3. /api/status/COL latency (p50, p99) while `--checks` clients each POST a `--mb` MB
   article to /api/check at the same time (goal: p99 < 50 ms), and what those clients got
   (200, 503 busy, 422 over budget).

Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx

SMALL = b"NATO invited Finland to join the alliance."
FILLER = (
    "The council met on Tuesday to discuss parking fees, the new library's opening hours "
    "and the budget for road repairs. "
)
NEWS = "On Monday the United States designated Colombia a major non-NATO ally. "


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    code = f"from allies.web.app import serve; serve(port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/version", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def status_latencies(base: str, n: int | None = None, until: threading.Event | None = None,
                     limit_s: float = 120) -> list[float]:
    out: list[float] = []
    end = time.monotonic() + limit_s
    with httpx.Client() as c:
        while time.monotonic() < end:
            if n is not None and len(out) >= n:
                break
            if until is not None and until.is_set():
                break
            t = time.perf_counter()
            r = c.get(f"{base}/api/status/COL")
            out.append(time.perf_counter() - t)
            assert r.status_code == 200
            time.sleep(0.005)
    return out


def stall(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"POST /api/read HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
              b"Content-Length: 100000\r\n\r\nNATO invited")
    return s


def article(mb: float) -> bytes:
    unit = FILLER * 9 + NEWS
    n = int(mb * 1024 * 1024 / len(unit)) + 1
    return (unit * n).encode()[: int(mb * 1024 * 1024)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--checks", type=int, default=50)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--stalled", type=int, default=10)
    args = ap.parse_args(argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        httpx.post(f"{base}/api/read", content=SMALL, timeout=60)  # warm up
        base_lat = status_latencies(base, n=300)
        print(f"baseline /api/status: p50 {1000 * pct(base_lat, 50):.1f} ms, "
              f"p99 {1000 * pct(base_lat, 99):.1f} ms ({len(base_lat)} requests)")

        socks = [stall(port) for _ in range(args.stalled)]
        time.sleep(0.3)
        took = []
        codes: Counter[int] = Counter()
        with httpx.Client(timeout=30) as c:
            for _ in range(20):
                t = time.perf_counter()
                codes[c.post(f"{base}/api/read", content=SMALL).status_code] += 1
                took.append(time.perf_counter() - t)
        for s in socks:
            s.close()
        print(f"small /api/read under {args.stalled} stalled uploads: p50 "
              f"{1000 * pct(took, 50):.0f} ms, max {1000 * max(took):.0f} ms, answers "
              f"{dict(codes)} (goal < 1 s: {'MEETS' if max(took) < 1 else 'MISSES'})")

        body = article(args.mb)
        results: Counter[int] = Counter()
        lock = threading.Lock()

        def one_check() -> None:
            try:
                r = httpx.post(f"{base}/api/check", content=body, timeout=120,
                               headers={"content-type": "text/plain"})
                code = r.status_code
            except httpx.HTTPError:
                code = 0
            with lock:
                results[code] += 1

        done = threading.Event()
        lat: list[float] = []
        watcher = threading.Thread(
            target=lambda: lat.extend(status_latencies(base, until=done)), daemon=True
        )
        t0 = time.perf_counter()
        threads = [threading.Thread(target=one_check, daemon=True) for _ in range(args.checks)]
        watcher.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(150)
        done.set()
        watcher.join(30)
        wall = time.perf_counter() - t0
        p99 = pct(lat, 99) if lat else float("nan")
        print(f"{args.checks} concurrent {args.mb:g} MB checks: answers {dict(results)} in "
              f"{wall:.1f} s")
        print(f"/api/status meanwhile: p50 {1000 * pct(lat, 50):.1f} ms, p99 {1000 * p99:.1f} "
              f"ms, max {1000 * max(lat):.1f} ms ({len(lat)} requests) (goal p99 < 50 ms: "
              f"{'MEETS' if p99 < 0.05 else 'MISSES'})")
        print(f"(cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f})")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
