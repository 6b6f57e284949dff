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
@click.option("--queue", "queue", is_flag=True,
              help="Queue findings the ledger lacks for review (implies --check; see "
                   "'allies review').")
@click.option("--store", metavar="PATH", envvar="ALLIES_STORE",
              help="Review store for --queue (default: the user's data folder).")
@click.pass_context
@edge
def scan(ctx: click.Context, paths: tuple[str, ...], workers: int, scheduler: str | None,
         do_check: bool, published: str | None, max_mb: float, shard_mb: float,
         output: str | None, timeout: float, queue: bool, store: str | None) -> None:
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
    do_check = do_check or queue
    review_store = None
    if queue:  # open (or create) the store first: a bad store fails before the scan
        from .review import Store

        review_store = Store(store)
    if do_check:  # fail early, in one line, on a bad ledger or --data file
        from .ledger import load_ledger

        load_ledger(data)
    opts = Options(check=do_check, published=published, max_bytes=int(max_mb * 1024 * 1024),
                   data=data, sign=queue)
    queued = {"added": 0, "already_queued": 0, "new_candidates": 0}
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
                if review_store is not None:  # one transaction per shard
                    for k, v in review_store.import_docs(r.docs).items():
                        if k in queued:
                            queued[k] += v
                for d in r.docs:
                    d.pop("text_minhash", None)
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
    if review_store is not None:
        from .cli_review import _import_line

        err.print(_import_line(queued, review_store.path), markup=False, soft_wrap=True)
        review_store.close()


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
