"""`allies review` and `allies replay`: thin shells over allies.review and allies.replay."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from .cli import _console, _emit_json, _print_table, edge, json_option
from .errors import AlliesError


def _set_store(ctx: click.Context, _param: Any, value: str | None) -> None:
    if value:
        ctx.ensure_object(dict)["store"] = value


store_option = click.option(
    "--store", metavar="PATH", expose_value=False, callback=_set_store, envvar="ALLIES_STORE",
    help="Review store (SQLite; also $ALLIES_STORE). Default: the user's data folder "
         "($XDG_DATA_HOME/allies/review.sqlite).",
)


def _store(ctx: click.Context) -> Any:
    from .review import Store

    return Store((ctx.obj or {}).get("store"))


def _reviewer(by: str | None) -> str:
    if by:
        return by
    try:
        return os.environ.get("ALLIES_REVIEWER") or getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover (no user name on this system)
        return "unknown"


by_option = click.option("--by", metavar="NAME",
                         help="Reviewer's name for the record (default $ALLIES_REVIEWER or the "
                              "login name).")


@click.group()
@store_option
def review() -> None:
    """The review queue: findings the ledger lacks, to accept (with sources) or reject.

    \b
    Examples:
      allies scan crawl/ --check --queue
      allies review list
      allies review show 3
      allies --data mine.csv review accept 3 --precision day
      allies review reject 4 --reason "reports a proposal, not a step"
    """


def _read_jsonl(paths: tuple[str, ...]) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for p in paths:
        try:
            lines = Path(p).read_text("utf-8").splitlines()
        except OSError as e:
            raise AlliesError(f"cannot read {p!r}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise AlliesError(f"{p!r} is not UTF-8 JSONL; give the output of "
                              "'allies scan --check'") from None
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                raise AlliesError(f"{p} line {n}: broken JSON ({e.msg}); give the output of "
                                  "'allies scan --check'") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("events", []), list):
                raise AlliesError(f"{p} line {n}: not an article's findings (an object with "
                                  "'events'); give the output of 'allies scan --check'")
            docs.append(doc)
    return docs


@review.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="FINDINGS.jsonl...")
@store_option
@click.pass_context
@edge
def import_(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Queue the findings of `allies scan --check` output (unchecked articles are checked
    against the ledger, with --data, first)."""
    from .check import check
    from .cli import _ledger

    docs = _read_jsonl(paths)
    if any("summary" not in d for d in docs):
        ledger = _ledger(ctx)
        docs = [d if "summary" in d else check(d, ledger) for d in docs]
    with _store(ctx) as store:
        counts = store.import_docs(docs)
        click.echo(_import_line(counts, store.path), err=True)


def _import_line(counts: dict[str, int], path: Path) -> str:
    return (f"queued {counts['added']} finding(s) ({counts['already_queued']} already queued) "
            f"into {counts['new_candidates']} new candidate(s); store {path}")


@review.command("list")
@click.option("--status", "status", default="open", show_default=True,
              type=click.Choice(["open", "accepted", "rejected", "all"]))
@store_option
@json_option
@click.pass_context
@edge
def list_(ctx: click.Context, status: str, as_json: bool) -> None:
    """Candidates in the queue."""
    with _store(ctx) as store:
        rows = store.list(status)
    if as_json:
        _emit_json(rows)
        return
    con = _console()
    if not rows:
        con.print(f"no {'' if status == 'all' else status + ' '}candidates")
        return
    out = []
    for r in rows:
        act = r["action"] + (f" ({r['intent_of']})" if r["intent_of"] else "")
        dates = r["date_lo"] or "?"
        if r["date_hi"] and r["date_hi"] != r["date_lo"]:
            dates += f"..{r['date_hi']}"
        what = "new event" if r["kind"] == "new_event" else f"sources for {r['ledger_event']}"
        out.append((str(r["id"]), what, r["framework"], r["country"], act, dates,
                    str(r["sources"]), str(r["urls"]), "yes" if r["official"] else "",
                    r["status"]))
    _print_table(con, f"{len(rows)} candidate(s)",
                 ("id", "kind", "framework", "country", "action", "date", "sources", "urls",
                  "official", "status"), out, optional=("urls", "status"))


@review.command()
@click.argument("cid", type=int, metavar="ID")
@store_option
@json_option
@click.pass_context
@edge
def show(ctx: click.Context, cid: int, as_json: bool) -> None:
    """A candidate's evidence sentences, URLs and dates, story by story (syndicated copies of
    one story count as one source)."""
    with _store(ctx) as store:
        c = store.get(cid)
    if as_json:
        _emit_json(c)
        return
    con = _console()
    act = c["action"] + (f" ({c['intent_of']})" if c["intent_of"] else "")
    con.print(f"candidate {c['id']} ({c['status']}): {c['framework']} {c['country']} {act}, "
              f"{c['date_lo'] or '?'}..{c['date_hi'] or '?'}; {c['sources']} independent "
              f"source(s), {c['urls']} URL(s), official source: "
              f"{'yes' if c['official'] else 'no'}", soft_wrap=True, markup=False)
    for i, s in enumerate(c["stories"], start=1):
        off = " (official)" if s["official"] else ""
        con.print(f"\nsource {i}{off}: dates {', '.join(s['dates']) or '?'}; published "
                  f"{', '.join(s['published']) or '?'}", soft_wrap=True, markup=False)
        for ev in s["evidence"]:
            con.print(f"  \u201c{escape(ev)}\u201d", soft_wrap=True)
        if s["fact"]:
            con.print(f"  ledger: {escape(s['fact'])}", soft_wrap=True)
        for u in s["urls"]:
            con.print(f"  {u}", soft_wrap=True, markup=False, highlight=False)


@review.command()
@click.argument("cid", type=int, metavar="ID")
@click.option("--date", metavar="DATE", help="The event's date (default: the date most "
              "sources give).")
@click.option("--precision", type=click.Choice(["day", "month", "year"]),
              help="Cut the date to this precision.")
@click.option("--instrument", metavar="TEXT", help="The legal instrument ('PD 2026-04').")
@click.option("--layer", type=click.Choice(["title10", "title22", "statute"]),
              help="MNNA layer (default title22 for a designation or termination).")
@click.option("--note", metavar="TEXT", help="A line in your own words.")
@by_option
@store_option
@json_option
@click.pass_context
@edge
def accept(ctx: click.Context, cid: int, date: str | None, precision: str | None,
           instrument: str | None, layer: str | None, note: str | None, by: str | None,
           as_json: bool) -> None:
    """Accept candidate ID: write its event row, with its URLs as sources, to your events file
    (--data FILE or $ALLIES_DATA; created if missing)."""
    data = (ctx.obj or {}).get("data")
    if not data:
        raise AlliesError("accept writes the event to your events file: give it as "
                          "'allies --data FILE review accept ID' (or set ALLIES_DATA); "
                          "a missing file is created")
    with _store(ctx) as store:
        entry = store.accept(cid, data, _reviewer(by), date=date, precision=precision,
                             instrument=instrument, note=note, layer=layer)
    if as_json:
        _emit_json(entry)
        return
    ev = entry["event"]
    click.echo(f"accepted candidate {cid}: {ev['id']} ({ev['date']}) written to {data}")


@review.command()
@click.argument("cid", type=int, metavar="ID")
@click.option("--reason", required=True, metavar="TEXT", help="Why, in a few words.")
@by_option
@store_option
@click.pass_context
@edge
def reject(ctx: click.Context, cid: int, reason: str, by: str | None) -> None:
    """Reject candidate ID, with a reason (kept in the audit log)."""
    with _store(ctx) as store:
        store.reject(cid, _reviewer(by), reason)
    click.echo(f"rejected candidate {cid}")


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="CORPUS...")
@click.option("--known-through", required=True, metavar="DATE",
              help="Cut the ledger at this day: events dated after it are hidden.")
@click.option("--window", type=click.IntRange(1, 3650), default=120, show_default=True,
              help="Days after the cut in which a real change counts.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True)
@json_option
@click.pass_context
@edge
def replay(ctx: click.Context, paths: tuple[str, ...], known_through: str, window: int,
           workers: int, as_json: bool) -> None:
    """Scan CORPUS with the ledger cut at --known-through, queue the findings (in a
    throwaway store) and report which later real changes the queue surfaced, how many days
    after the event each first appeared, and how many false candidates came with them."""
    from .replay import replay as run_replay

    rep = run_replay(paths, known_through, data=(ctx.obj or {}).get("data"), window=window,
                     workers=workers)
    if as_json:
        _emit_json(rep)
        return
    con = _console()
    rows = [(c["event"], c["date"], "yes" if c["surfaced"] else "no",
             "" if c["days_after"] is None else str(c["days_after"]),
             "" if c["candidate"] is None else str(c["candidate"]))
            for c in rep["changes"]]
    _print_table(con, f"replay, ledger known through {rep['known_through']}: "
                 f"{rep['articles']} articles",
                 ("real change", "date", "surfaced", "days after", "candidate"), rows)
    s = rep["summary"]
    con.print(f"surfaced {s['surfaced']} of {s['changes']} real changes ({s['recall']:.0%}); "
              f"{s['false_candidates']} false candidate(s), {s['false_per_true']:.2f} per true "
              f"one; goals: >= 90 % surfaced, <= 1 false per true: "
              f"{'met' if s['goals_met'] else 'not met'}", soft_wrap=True)
    for f in rep["false_candidates"]:
        con.print(f"  false: {f['framework']} {f['country']} {f['action']} {f['date'] or '?'} "
                  f"({f['sources']} source(s))", soft_wrap=True, markup=False)
