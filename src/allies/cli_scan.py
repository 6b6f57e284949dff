"""`allies scan`: read whole archives on every core, or on a Dask cluster (thin shell over
`allies.scan`)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import IO

import click
from rich.console import Console

from .cli import PositiveNumber, edge
from .errors import AlliesError
from .export import move_into_place, temp_beside


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes on this machine (with --dask local: Dask workers).")
@click.option("--dask", "scheduler", metavar="ADDRESS",
              help="Run on a Dask cluster (tcp://HOST:8786), or 'local' for a local one. "
                   "Workers must see the same paths.")
@click.option("--check", "do_check", is_flag=True,
              help="Check every finding against the ledger (as `allies check`).")
@click.option("--published", metavar="DATE",
              help="Publication date for records that have none (YYYY-MM-DD).")
@click.option("--max-mb", type=PositiveNumber("megabytes"), default=10.0,
              show_default=True, help="Skip articles (records, pages, files) larger than this.")
@click.option("--shard-mb", type=PositiveNumber("megabytes"), default=32.0,
              show_default=True, help="Cut large JSONL files into pieces of about this size.")
@click.option("-o", "--output", metavar="FILE",
              help="Write the JSONL results to FILE (atomically); default stdout.")
@click.option("--timeout", type=PositiveNumber("seconds"), default=10.0,
              show_default=True, help="Seconds to wait for the Dask scheduler.")
@click.pass_context
@edge
def scan(ctx: click.Context, paths: tuple[str, ...], workers: int, scheduler: str | None,
         do_check: bool, published: str | None, max_mb: float, shard_mb: float,
         output: str | None, timeout: float) -> None:
    """Read archives (JSONL, JSONL.gz, WARC, folders) and write one JSON line per article
    with findings; records without events or claims are counted, not written.

    \b
    Examples:
      allies scan news/2022/ --workers 2 -o found.jsonl
      allies scan crawl.warc.gz --check
      allies scan s3-mirror/ --dask tcp://10.0.0.5:8786 --check -o found.jsonl
    """
    from rich.progress import Progress

    from .scan import Options, Totals, scan

    _refuse_output_among_inputs(output, paths)
    data = (ctx.obj or {}).get("data")
    if do_check:  # fail early, in one line, on a bad ledger or --data file
        from .ledger import load_ledger

        load_ledger(data)
    opts = Options(check=do_check, published=published, max_bytes=int(max_mb * 1024 * 1024),
                   data=data)
    t0 = time.perf_counter()
    shards, results = scan(paths, workers=workers, scheduler=scheduler, opts=opts,
                           shard_bytes=int(shard_mb * 1024 * 1024), timeout=timeout)
    totals = Totals(files=len({s.path for s in shards}))
    err = Console(stderr=True, highlight=False)
    out, tmp = _open_output(output)
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("scanning", total=len(shards))
            for r in results:
                for d in r.docs:
                    out.write(json.dumps(d, ensure_ascii=False) + "\n")
                for why in r.skipped:
                    err.print(f"skipped: {why}", markup=False, soft_wrap=True)
                totals.add(r)
                progress.advance(task)
        out.flush()
        if tmp is not None:
            out.close()
            _commit(tmp, output or "")
            tmp = None
    finally:
        if tmp is not None:  # failed or interrupted: never leave a half-written file
            out.close()
            Path(tmp).unlink(missing_ok=True)
    totals.seconds = time.perf_counter() - t0
    err.print(totals.line(), markup=False, soft_wrap=True)
    if output and output != "-":
        err.print(f"wrote {output}", markup=False, soft_wrap=True)


def _refuse_output_among_inputs(output: str | None, paths: tuple[str, ...]) -> None:
    """Writing the results over an input (or into a folder being read) would lose it."""
    if not output or output == "-":
        return
    out = Path(output).resolve()
    for p in paths:
        src = Path(p).resolve()
        if out == src or (src.is_dir() and src in out.parents):
            where = "one of the inputs" if out == src else f"inside the input folder {p}"
            raise AlliesError(f"-o {output} is {where}; write the results somewhere else")


def _open_output(output: str | None) -> tuple[IO[str], str | None]:
    if not output or output == "-":
        return sys.stdout, None
    _, fd, tmp = temp_beside(output, ".jsonl")
    return os.fdopen(fd, "w", encoding="utf-8"), tmp


def _commit(tmp: str, output: str) -> None:
    move_into_place(tmp, Path(output))
