"""`allies read` and `allies check`: articles in, events and claims out (thin shells over
`allies.read` and `allies.check`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from .cli import PositiveNumber, _console, _emit_json, _ledger, _warn_future, edge, json_option
from .errors import AlliesError

F = TypeVar("F", bound=Callable[..., Any])


def _validated_published(published: str | None) -> str | None:
    if published is not None:
        from .dates import parse_published

        parse_published(published, "--published date")
    return published


def _iter_inputs(path: str, published: str | None, max_bytes: int) -> Any:
    """(results iterator, number of files or None for stdin)."""
    from .read import ReadResult, Source, read_file, read_stream
    from .read.inputs import find_files

    if path == "-":
        stream = sys.stdin.buffer
        return read_stream(stream, "<stdin>", max_bytes=max_bytes, published=published), None
    files, unreadable = find_files(path)

    def gen() -> Any:
        for why in unreadable:  # subfolders that could not be listed are named, not lost
            yield ReadResult(Source(path=why.split(": unreadable folder")[0]), skipped=why)
        for f in files:
            yield from read_file(f, max_bytes=max_bytes, published=published)

    return gen(), files


def _clip(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


VERDICT_STYLE = {
    "confirmed": "green",
    "contradicted": "red",
    "undated": "grey50",
    "not_in_ledger": "yellow",
}
PUBLISHED_HINT = (
    "hint: pass --published YYYY-MM-DD (the article's publication date) to check the undated "
    "items"
)


def _event_date(e: dict[str, Any], published: str | None) -> str:
    if e.get("date") and e.get("date_basis") != "publication":
        return f"{e['date']} ({e['precision']})"
    if published or e.get("date"):  # the text gives no date of its own
        return f"on or before {published or e['date']} (publication)"
    return "date unknown"


def _print_reading(con: Console, doc: dict[str, Any], checked: bool) -> None:
    src = doc.get("source", {})
    where = src.get("path") or src.get("url") or "input"
    if src.get("line"):
        where += f":{src['line']}"
    counts = (
        doc["summary"]["line"] if checked
        else f"{len(doc['events'])} events, {len(doc['claims'])} claims"
    )
    con.print(
        f"[bold]{escape(where)}[/] (published {doc.get('published') or 'unknown'}): "
        f"{escape(counts)}",
        soft_wrap=True,
    )
    for e in doc["events"]:
        act = e["action"] + (f" ({e['intent_of']})" if e.get("intent_of") else "")
        date = _event_date(e, doc.get("published"))
        role = " [background]" if e.get("role") == "background" else ""
        head = f"{e['framework']} {act} {e['country']} {date}{escape(role)}"
        if checked:
            v = e["verdict"]
            head = f"[{VERDICT_STYLE[v]}]{v}[/]: " + head
        con.print("  " + head)
        con.print(f"    text: {escape(_clip(e['evidence']['text'], 160))}", soft_wrap=True)
        for more in e.get("also_evidence", []):
            con.print(f"    also: {escape(_clip(more['text'], 160))}", soft_wrap=True)
        if checked:
            led = e["ledger"]
            if e.get("reason"):
                con.print(f"    why: {escape(e['reason'])}", soft_wrap=True)
            con.print(f"    ledger: {escape(led['fact'])}", soft_wrap=True)
            srcs = (led.get("event") or {}).get("sources") or led.get("sources") or []
            if srcs:
                con.print(f"    source: {escape(srcs[0])}", soft_wrap=True)
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for c in doc["claims"]:
        key = (c.get("verdict", ""), c["framework"], c["state"], c["evidence"]["text"])
        groups.setdefault(key, []).append(c["country"])
    for (verdict, fw, state, text), countries in groups.items():
        head = f"claim {fw} {state}: {', '.join(countries)}"
        if checked:
            head = f"[{VERDICT_STYLE[verdict]}]{verdict}[/]: " + head
        con.print("  " + head)
        con.print(f"    text: {escape(_clip(text, 160))}", soft_wrap=True)
    if checked:
        wrong = [c for c in doc["claims"] if c["verdict"] != "confirmed"]
        for c in wrong:
            con.print(f"    ledger on {c['country']}: {escape(c['ledger']['fact'])}",
                      soft_wrap=True)
    unread = doc.get("unread") or []
    if unread:
        n = len(unread)
        con.print(
            f"  [grey50]not understood: {n} sentence{'s' if n != 1 else ''} "
            f"nam{'e' if n != 1 else 'es'} a framework and a country but gave no event or "
            "claim; check by hand:[/]",
            soft_wrap=True,
        )
        for u in unread:
            con.print(f"    [grey50]{escape(_clip(u['text'], 160))}[/]", soft_wrap=True)
    if checked and doc["summary"].get("undated"):
        con.print(f"  [grey50]{escape(PUBLISHED_HINT)}[/]", soft_wrap=True)


def _read_or_check(
    ctx: click.Context, path: str, published: str | None, as_json: bool, max_mb: float,
    do_check: bool,
) -> None:
    from rich.progress import Progress

    published = _validated_published(published)
    _warn_future(published, "--published")
    max_bytes = int(max_mb * 1024 * 1024)
    results, files = _iter_inputs(path, published, max_bytes)
    ledger = _ledger(ctx) if do_check else None
    single = files is not None and len(files) == 1
    one_input = single or files is None
    got_any = False
    err = Console(stderr=True, highlight=False)
    out = _console()
    docs: list[dict[str, Any]] = []
    skipped: list[str] = []
    n_events = n_claims = n_read = 0
    show_progress = files is not None and len(files) > 1 and err.is_terminal
    with Progress(console=err, transient=True, disable=not show_progress) as progress:
        task = progress.add_task("reading", total=len(files) if files else None)
        last_path = None
        for res in results:
            if res.source.path != last_path:
                last_path = res.source.path
                progress.advance(task)
            if res.reading is None:
                why = res.skipped or "skipped"
                where = res.source.path or "<stdin>"
                if res.source.line:
                    where += f" line {res.source.line}"
                if not why.startswith(where.split(" line ")[0]):
                    why = f"{where}: {why}"  # always name the file (and line) skipped
                skipped.append(why)
                if not one_input or got_any:
                    err.print(f"skipped: {why}", markup=False, soft_wrap=True)
                continue
            if one_input and not got_any:  # skips held back in case nothing could be read
                for why in skipped:
                    err.print(f"skipped: {why}", markup=False, soft_wrap=True)
            got_any = True
            n_read += 1
            try:
                if do_check:
                    from .check import check

                    doc = check(res.reading, ledger)
                else:
                    doc = res.reading.to_dict()
            except Exception as e:  # noqa: BLE001 - one bad record never stops a batch
                from .read.inputs import crash_reason

                where = res.source.path or "<stdin>"
                where += f" line {res.source.line}" if res.source.line else ""
                skipped.append(crash_reason(where, e))
                err.print(f"skipped: {skipped[-1]}", markup=False, soft_wrap=True)
                n_read -= 1
                continue
            n_events += len(doc["events"])
            n_claims += len(doc["claims"])
            if as_json and not one_input:
                click.echo(json.dumps(doc, ensure_ascii=False))
            elif as_json:
                docs.append(doc)
            else:
                _print_reading(out, doc, do_check)
    if as_json and one_input:
        if len(docs) == 1:
            _emit_json(docs[0])
        elif docs:
            for d in docs:
                click.echo(json.dumps(d, ensure_ascii=False))
    if one_input and skipped and not got_any:
        if len(skipped) == 1:
            raise AlliesError(skipped[0])
        for why in skipped:
            err.print(f"skipped: {why}", markup=False, soft_wrap=True)
        raise AlliesError(f"{path}: nothing readable ({len(skipped)} records skipped)")
    if not one_input or skipped:
        n_files = len(files) if files else 1
        err.print(
            f"summary: {n_files} file{'s' if n_files != 1 else ''}, {n_read} article(s) read, "
            f"{len(skipped)} skipped, {n_events} events, {n_claims} claims",
            markup=False,
            soft_wrap=True,
        )


read_options = [
    click.argument("path", metavar="PATH|-"),
    click.option("--published", metavar="DATE",
                 help="Publication date (YYYY-MM-DD), if the input has none: resolves relative "
                      "dates and places statements the text does not date (check calls them "
                      "undated without it)."),
    click.option("--max-mb", type=PositiveNumber("megabytes"), default=10.0,
                 show_default=True,
                 help="Skip inputs larger than this many megabytes."),
    json_option,
]


def _apply(options: list[Any]) -> Callable[[F], F]:
    def deco(fn: F) -> F:
        for opt in reversed(options):
            fn = opt(fn)
        return fn

    return deco


@click.command()
@_apply(read_options)
@click.pass_context
@edge
def read(ctx: click.Context, path: str, published: str | None, max_mb: float,
         as_json: bool) -> None:
    """Extract status events and claims from a news article (file, folder or - for stdin).

    \b
    Inputs: .txt, .html, .pdf, .json/.jsonl records with text or html (+ published, url,
    title).
    A folder reads every file; bad files are skipped with a reason and never stop the run.
    With --json a single input prints one object, several print one object per line.
    """
    _read_or_check(ctx, path, published, as_json, max_mb, do_check=False)


@click.command()
@_apply(read_options)
@click.pass_context
@edge
def check(ctx: click.Context, path: str, published: str | None, max_mb: float,
          as_json: bool) -> None:
    """Read an article and check each event and claim against the ledger.

    \b
    Verdicts: confirmed; contradicted (with the ledger's fact and sources); undated (no
    publication date to place it in time: pass --published); not_in_ledger (after the
    ledger's coverage, or a step it does not record in full: for review).
    """
    _read_or_check(ctx, path, published, as_json, max_mb, do_check=True)
