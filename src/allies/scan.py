"""Read whole news archives: JSONL (plain or gzip), WARC (plain or gzip), folders of articles,
on every core of one machine or on a Dask cluster.

The work is cut into shards: a large JSONL file into line-aligned byte ranges, any other file
whole. Each shard is read where it runs (a worker process, or a Dask worker that can see the
same path) and returns only what was found: articles with at least one event or claim, the
reasons records were skipped, and counts. Results come back in input order whatever ran them,
so one machine, two processes or a cluster give the same output.

>>> plan_shards([])
[]
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AlliesError, BadInput

SHARD_BYTES = 32 * 1024 * 1024
WARCIO_HINT = "reading WARC files needs warcio: pip install 'allies[scale]' (or pip install warcio)"
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


@dataclass(frozen=True, slots=True)
class Shard:
    """A piece of work: a whole file, or bytes [start, end) of a JSONL file whose first
    line is `first_line`."""

    path: str
    kind: str  # jsonl | warc | file
    start: int = 0
    end: int | None = None
    first_line: int = 1


@dataclass(slots=True)
class ShardResult:
    shard: Shard
    docs: list[dict[str, Any]] = field(default_factory=list)  # articles with findings only
    skipped: list[str] = field(default_factory=list)
    articles: int = 0  # records read (with or without findings)
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class Options:
    check: bool = False
    published: str | None = None
    max_bytes: int = 10 * 1024 * 1024  # per article (a record, a page, a file)
    data: str | None = None  # extra events file for check (must be readable on workers)
    sign: bool = False  # add each article's MinHash ("text_minhash") for the review queue


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "file"


def _line_aligned(path: Path, shard_bytes: int) -> list[Shard]:
    """Cut a plain JSONL file at the first newline after every `shard_bytes`, counting lines
    on the way so each shard knows the number of its first line."""
    size = path.stat().st_size
    if size <= shard_bytes:
        return [Shard(str(path), "jsonl", 0, None, 1)]
    shards: list[Shard] = []
    start, line = 0, 1
    with path.open("rb") as f:
        while start < size:
            f.seek(start)
            chunk = f.read(shard_bytes)
            cut = start + len(chunk)
            if cut < size:
                rest = f.readline()  # finish the line the cut fell in
                cut += len(rest)
                chunk += rest
            shards.append(Shard(str(path), "jsonl", start, cut, line))
            line += chunk.count(b"\n")
            start = cut
    return shards


def plan_shards(
    paths: Iterable[str | os.PathLike[str]], shard_bytes: int = SHARD_BYTES
) -> list[Shard]:
    """Shards for files and folders (folders: every file under them, sorted, hidden ones
    skipped). A missing path raises BadInput."""
    from .read.inputs import find_files

    if shard_bytes < 1:
        raise BadInput(f"shard size {shard_bytes} bytes: use a positive size")
    shards: list[Shard] = []
    for p in paths:
        files, unreadable = find_files(p)
        for why in unreadable:  # named in the output's skip reasons, never lost silently
            shards.append(Shard(why.split(": unreadable folder")[0], "unreadable"))
        for f in files:
            kind = _kind(f)
            if kind == "jsonl" and not f.name.lower().endswith(".gz"):
                try:
                    shards.extend(_line_aligned(f, shard_bytes))
                except OSError:
                    shards.append(Shard(str(f), "file"))  # read_file reports why
            else:
                shards.append(Shard(str(f), kind))
    return shards


# -- work done in workers ------------------------------------------------------------------


def _finish(res: ShardResult, reading: Any, check_fn: Callable[[Any], Any] | None,
            sign: bool = False) -> None:
    res.articles += 1
    if not reading.events and not reading.claims:
        return
    doc = check_fn(reading) if check_fn else reading.to_dict()
    if sign:
        # near-duplicate signature for the review queue, made here (spread over the scan's
        # workers) and only for articles with findings the queue takes
        from .dedup import signature
        from .review import queue_worthy

        if queue_worthy(doc) if check_fn else any(e.role == "news" for e in reading.events):
            doc["text_minhash"] = signature(reading.text)
    res.docs.append(doc)


def _jsonl_lines(shard: Shard) -> Iterator[tuple[int, bytes]]:
    path = Path(shard.path)
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as g:
            for n, line in enumerate(g, start=1):
                yield n, line
        return
    with path.open("rb") as f:
        f.seek(shard.start)
        data = f.read() if shard.end is None else f.read(shard.end - shard.start)
    for n, line in enumerate(data.split(b"\n"), start=shard.first_line):
        yield n, line


def _read_jsonl(shard: Shard, opts: Options, res: ShardResult, check_fn: Any) -> None:
    from .read import read_record
    from .read.inputs import crash_reason, loads

    name = shard.path
    for n, line in _jsonl_lines(shard):
        res.bytes += len(line) + 1
        if not line.strip():
            continue
        where = f"{name} line {n}"
        if len(line) > opts.max_bytes:
            res.skipped.append(
                f"{where}: oversized ({len(line)} bytes > limit {opts.max_bytes}); raise --max-mb"
            )
            continue
        try:
            rec = loads(line)
        except UnicodeDecodeError:
            res.skipped.append(f"{where}: not UTF-8")
            continue
        except json.JSONDecodeError as e:
            res.skipped.append(f"{where}: broken JSON ({e.msg})")
            continue
        if isinstance(rec, dict) and opts.published and not rec.get("published"):
            rec["published"] = opts.published
        try:
            reading = read_record(rec, where, path=name, line=n)
            _finish(res, reading, check_fn, opts.sign)
        except AlliesError as e:
            res.skipped.append(str(e) if str(e).startswith(where) else f"{where}: {e}")
        except Exception as e:  # noqa: BLE001 - one bad record never stops a batch
            res.skipped.append(crash_reason(where, e))


def _read_warc(shard: Shard, opts: Options, res: ShardResult, check_fn: Any) -> None:
    """HTML (and plain-text) responses of a WARC file; the WARC-Target-URI is the url."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise AlliesError(WARCIO_HINT) from None

    from .read import read, read_html
    from .read.inputs import crash_reason

    name = shard.path
    with open(name, "rb") as f:
        it = ArchiveIterator(f)
        n = 0
        try:
            for i, rec in enumerate(it):
                if i == 0 and rec.format.startswith("arc"):
                    uri = rec.rec_headers.get_header("uri") or ""
                    if not uri.startswith("filedesc:") and "://" not in uri:
                        raise ArchiveLoadFailed("no WARC or ARC header at the start")
                if rec.rec_type not in ("response", "resource"):
                    continue
                n += 1
                url = rec.rec_headers.get_header("WARC-Target-URI") or None
                where = f"{name} record {n}" + (f" ({url})" if url else "")
                ctype = (
                    rec.http_headers.get_header("Content-Type") if rec.http_headers else None
                ) or rec.rec_headers.get_header("Content-Type") or ""
                ctype = ctype.lower()
                if "html" not in ctype and not ctype.startswith("text/plain"):
                    continue
                if rec.http_headers and not rec.http_headers.get_statuscode().startswith("2"):
                    continue
                body = rec.content_stream().read(opts.max_bytes + 1)
                res.bytes += len(body)
                if len(body) > opts.max_bytes:
                    res.skipped.append(
                        f"{where}: oversized (> limit {opts.max_bytes} bytes); raise --max-mb"
                    )
                    continue
                if not body.strip():
                    continue
                charset = "utf-8"
                if "charset=" in ctype:
                    charset = ctype.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
                try:
                    text = body.decode(charset, errors="replace")
                except LookupError:
                    text = body.decode("utf-8", errors="replace")
                try:
                    if "html" in ctype:
                        reading = read_html(text, opts.published, url=url, path=name, name=where)
                    else:
                        reading = read(text, opts.published, path=name)
                    _finish(res, reading, check_fn, opts.sign)
                except AlliesError as e:
                    res.skipped.append(str(e) if str(e).startswith(where) else f"{where}: {e}")
                except Exception as e:  # noqa: BLE001 - one bad page never stops a batch
                    res.skipped.append(crash_reason(where, e))
        except ArchiveLoadFailed:
            res.skipped.append(
                f"{name}: not a WARC file (no WARC/1.x header); scan WARC, JSONL or text files"
            )
            return
        except Exception:  # noqa: BLE001 - warcio fails in many ways on broken records
            res.skipped.append(
                f"{name}: broken WARC data after {n} response record(s); the rest of the "
                "file was not read"
            )
            return
    if name.lower().endswith(".gz"):
        # warcio stops quietly at a truncated gzip member: check the whole stream
        try:
            with gzip.open(name, "rb") as g:
                while g.read(1 << 20):
                    pass
        except (EOFError, OSError, zlib.error) as e:
            res.skipped.append(
                f"{name}: broken gzip ({e}); records after the break were not read"
            )


def _checker(opts: Options) -> Callable[[Any], Any] | None:
    if not opts.check:
        return None
    from .check import check
    from .ledger import load_ledger

    ledger = load_ledger(opts.data)
    return lambda reading: check(reading, ledger)


def read_shard(shard: Shard, opts: Options) -> ShardResult:
    """Read one shard (runs in a worker). Bad records are skipped with a reason; only an
    unloadable ledger (with --check) raises."""
    from .read import read_file

    res = ShardResult(shard)
    if shard.kind == "unreadable":
        try:
            os.listdir(shard.path)
            why = "could not be listed"
        except OSError as e:
            why = e.strerror or str(e)
        res.skipped.append(f"{shard.path}: unreadable folder ({why}); its files were not read")
        return res
    check_fn = _checker(opts)
    try:
        if shard.kind == "jsonl":
            _read_jsonl(shard, opts, res, check_fn)
        elif shard.kind == "warc":
            _read_warc(shard, opts, res, check_fn)
        else:
            for r in read_file(Path(shard.path), max_bytes=opts.max_bytes,
                               published=opts.published):
                if r.reading is None:
                    res.skipped.append(r.skipped or f"{shard.path}: skipped")
                else:
                    _finish(res, r.reading, check_fn, opts.sign)
            res.bytes += _size(shard.path)
    except (EOFError, gzip.BadGzipFile, zlib.error):
        res.skipped.append(
            f"{shard.path}: not gzip data, or a truncated gzip file; re-compress it or drop "
            "the .gz suffix"
        )
    except OSError as e:
        res.skipped.append(f"{shard.path}: unreadable ({e.strerror or e})")
    except AlliesError:
        raise  # an unloadable ledger (with --check): the run cannot go on
    except Exception as e:  # noqa: BLE001 - never lose the batch for one bad file
        from .read.inputs import crash_reason

        res.skipped.append(crash_reason(shard.path, e))
    return res


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# -- drivers -------------------------------------------------------------------------------


def _local(shards: Sequence[Shard], opts: Options, workers: int) -> Iterator[ShardResult]:
    if workers <= 1 or len(shards) <= 1:
        for s in shards:
            yield read_shard(s, opts)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
        yield from ex.map(read_shard, shards, [opts] * len(shards))


def _dask(
    shards: Sequence[Shard], opts: Options, scheduler: str, workers: int, timeout: float
) -> Iterator[ShardResult]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise AlliesError(
            "Dask is not installed: pip install 'allies[scale]' (or use --workers)"
        ) from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=max(workers, 1), threads_per_worker=1, host="127.0.0.1",
                dashboard_address=None, processes=True,
            )
            client = Client(cluster, timeout=f"{timeout}s")
        else:
            client = Client(scheduler, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as e:
        if cluster is not None:
            cluster.close()
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise AlliesError(
            f"cannot reach Dask scheduler {scheduler!r} ({reason}); start one with "
            "'dask scheduler' and 'dask worker ADDRESS', or use --workers N on this machine"
        ) from None
    try:
        futures = client.map(read_shard, list(shards), opts=opts, pure=False)
        for fut in futures:  # in input order
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def scan(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    opts: Options | None = None,
    shard_bytes: int = SHARD_BYTES,
    timeout: float = 10.0,
) -> tuple[list[Shard], Iterator[ShardResult]]:
    """Plan the shards, then read them: in this process (`workers=1`), in `workers` local
    processes, or on Dask (`scheduler` = a scheduler address such as tcp://10.0.0.5:8786,
    or "local" for a local cluster of `workers` processes). Returns the shards and an
    iterator of their results in input order."""
    opts = opts or Options()
    if workers < 1:
        raise BadInput(f"--workers {workers}: use 1 or more")
    if opts.published is not None:
        from .dates import parse_published

        parse_published(opts.published, "--published date")
    shards = plan_shards(paths, shard_bytes)
    if any(s.kind == "warc" for s in shards):
        import importlib.util

        if importlib.util.find_spec("warcio") is None:  # say so before reading anything
            raise AlliesError(WARCIO_HINT)
    if opts.sign:  # import the MinHash library once, before workers fork
        from .dedup import warm

        warm()
    if scheduler:
        return shards, _dask(shards, opts, scheduler, workers, timeout)
    return shards, _local(shards, opts, workers)


@dataclass(slots=True)
class Totals:
    files: int = 0
    shards: int = 0
    articles: int = 0
    with_findings: int = 0
    skipped: int = 0
    events: int = 0
    claims: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def add(self, r: ShardResult) -> None:
        self.shards += 1
        self.articles += r.articles
        self.with_findings += len(r.docs)
        self.skipped += len(r.skipped)
        self.events += sum(len(d["events"]) for d in r.docs)
        self.claims += sum(len(d["claims"]) for d in r.docs)
        self.bytes += r.bytes

    def line(self) -> str:
        mb = self.bytes / 1e6
        rate = f", {mb / self.seconds:.1f} MB/s" if self.seconds > 0 else ""
        return (
            f"summary: {self.files} file(s) in {self.shards} shard(s), {self.articles} "
            f"article(s) read, {self.with_findings} with findings, {self.skipped} skipped, "
            f"{self.events} events, {self.claims} claims, {mb:.1f} MB in "
            f"{self.seconds:.1f} s{rate}"
        )

