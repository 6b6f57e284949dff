"""The `allies` command line: thin click shells over the library."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .dates import PublicationDateWarning
from .errors import AlliesError, DataError
from .version import __version__

F = TypeVar("F", bound=Callable[..., Any])

STATE_STYLE = {
    "active": "green",
    "announced": "yellow",
    "suspended": "magenta",
    "former": "red",
    "none": "dim",
}


class AlliesGroup(click.Group):
    """A click group whose usage errors are one line and exit 1, like every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help())
            sys.exit(0)
        except click.ClickException as e:
            hint = ""
            if isinstance(e, click.UsageError) and e.ctx is not None:
                hint = f" (see '{e.ctx.command_path} --help')"
            msg = " ".join(e.format_message().split())
            click.echo(f"Error: {msg}{hint}", err=True)
            sys.exit(1)
        except click.exceptions.Abort:
            click.echo("Error: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


class PositiveNumber(click.ParamType):
    """A finite number above 0 (`--max-mb 10`); 'nan', 'inf' and 0 are refused in one line."""

    name = "number"

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            x = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of {self.unit}", param, ctx)
        if not math.isfinite(x) or x <= 0 or x > 1e9:
            self.fail(f"{value!r}: give a finite number of {self.unit} above 0", param, ctx)
        return x


def _console() -> Console:
    """Tables fit the terminal; piped output is 120 columns wide unless COLUMNS says otherwise."""
    columns = os.environ.get("COLUMNS", "")
    wide = sys.stdout.isatty() or (columns.isdigit() and int(columns) > 0)
    return Console(highlight=False, soft_wrap=False, width=None if wide else 120)


# Columns a narrow terminal must never cut: their text is the answer ("announced",
# "2022-05-23"). Everything else wraps (long words and URLs fold).
KEY_WIDTH = {"state": 9, "since": 10, "date": 10, "iso3": 4}


def _columns(t: Table, *names: str) -> None:
    for name in names:
        t.add_column(name, overflow="fold", min_width=KEY_WIDTH.get(name))


NARROW = 90  # below this width, tables leave out their optional columns


def _print_table(
    con: Console, title: str, cols: tuple[str, ...], rows: Sequence[tuple[str, ...]],
    optional: tuple[str, ...] = (),
) -> None:
    """A table that fits: in a narrow terminal the `optional` columns (and columns with no
    text in any row) are left out before any key column would be cut."""
    keep = list(range(len(cols)))
    if con.width < NARROW:
        keep = [i for i in keep
                if cols[i] not in optional and any(r[i].strip() for r in rows)]
    t = Table(title=title, title_justify="left")
    _columns(t, *(cols[i] for i in keep))
    for r in rows:
        t.add_row(*(r[i] for i in keep))
    con.print(t)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """The library's warnings (a record read with its date unknown) as one stderr line."""
    click.echo(f"warning: {message}", err=True)


def edge(fn: F) -> F:
    """Turn library exceptions into one-line errors and exit code 1 (never a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", PublicationDateWarning)
                warnings.showwarning = _show_warning
                return fn(*args, **kwargs)
        except DataError as e:
            for p in e.problems:
                click.echo(f"Error: {p}", err=True)
            sys.exit(1)
        except AlliesError as e:
            _fail(str(e))
        except BrokenPipeError:  # pragma: no cover
            sys.exit(1)
        except KeyboardInterrupt:  # pragma: no cover
            click.echo("Error: interrupted; no output file was written", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _ledger(ctx: click.Context) -> Any:
    from .ledger import load_ledger

    ledger = load_ledger(ctx.obj.get("data"))
    known = ctx.obj.get("as_known_on")
    if not known:
        return ledger
    past = ledger.as_known_on(known)
    click.echo(f"note: as the ledger stood on {past.info.as_known_on}: {past.info.events} of "
               f"{ledger.info.events} events recorded by then", err=True)
    return past


def _set_known(ctx: click.Context, _param: Any, value: str | None) -> None:
    if value:
        ctx.ensure_object(dict)["as_known_on"] = value


known_option = click.option(
    "--as-known-on", metavar="DATE", expose_value=False, callback=_set_known,
    help="Answer as the ledger stood on DATE (only events recorded by then).",
)


def _print_terms(con: Console, ledger: Any, via: list[str]) -> None:
    """What each treaty behind a guarantee actually commits, quoted and cited."""
    from .frameworks import guarantee_terms

    for t in guarantee_terms(ledger.frameworks, via):
        con.print(f"  {t['framework']}, {escape(t['article'])}: \u201c{escape(t['quote'])}\u201d "
                  f"\u2014 {escape(t['plain'])}", soft_wrap=True)


def _emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def _version_text(ctx: click.Context) -> str:
    from .ledger import load_ledger

    try:
        ledger = load_ledger(ctx.params.get("data"))
    except AlliesError as e:
        return f"allies {__version__} (data not loaded: {e})"
    info = ledger.info
    return (
        f"allies {__version__}, data {info.data_version}, content hash {info.content_hash}, "
        f"{info.events} events, last event {info.last_event}\n{_coverage_text(ledger)}"
    )


def _coverage_text(ledger: Any) -> str:
    """Which frameworks the record covers completely, and through which day."""
    by_day: dict[str, list[str]] = {}
    partial = []
    for f in ledger.frameworks.values():
        if f.complete:
            by_day.setdefault(str(f.complete_through), []).append(f.id)
        else:
            partial.append(f.id)
    parts = [f"complete through {day}: {', '.join(ids)}" for day, ids in by_day.items()]
    if partial:
        parts.append(f"not claimed complete: {', '.join(partial)}")
    return "; ".join(parts) or "no framework is claimed complete"


def _print_version(ctx: click.Context, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(_version_text(ctx))
    ctx.exit()


json_option: Callable[[Any], Any] = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON instead of a table."
)
on_option = click.option(
    "--on", "on", metavar="DATE",
    help="Day to ask about (YYYY-MM-DD; default today), or a month (YYYY-MM) or year (YYYY): "
         "the state at its end and every change inside it.",
)


def _check_on(on: str | None) -> None:
    """Refuse a bad --on in the flag's own words (the library names its `on` parameter)."""
    from .dates import parse_period

    parse_period(on, "--on date")


def _check_range(since: str, until: str | None) -> None:
    import datetime as dt

    from .dates import parse_period

    lo = parse_period(since, "--since date").start
    hi = parse_period(until, "--until date").end
    if hi < lo and until is None:
        raise AlliesError(
            f"--since {lo} is after today ({dt.date.today()}): nothing has happened yet; give "
            "an earlier --since, or --until for recorded future events"
        )
    if hi < lo:
        raise AlliesError(f"--until {hi} is before --since {lo}; swap them")


def _print_changes(con: Console, res: dict[str, Any], country: bool = True) -> None:
    """Under a month's or a year's answer: every change inside the period."""
    if "period" not in res:
        return
    p = res["period"]
    ch = res["changes"]
    if not ch:
        con.print(f"No recorded change from {p['from']} to {p['until']}.")
        return
    con.print(f"Changes from {p['from']} to {p['until']}:")
    for e in ch:
        act = e["action"] + (f" ({e['intent_of']})" if e.get("intent_of") else "")
        who = f" {e['country_name']}" if country else ""
        con.print(f"  {_date_text(e)} {e['framework']}{who} {act}", markup=False,
                  soft_wrap=True)


@click.group("allies", cls=AlliesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    metavar="FILE",
    envvar="ALLIES_DATA",
    is_eager=True,
    help="Extra events CSV in the bundled format (also $ALLIES_DATA); validated the same way.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=False,
    callback=_print_version,
    help="Show code version, data version, data content hash and what the data covers.",
)
@known_option
@click.pass_context
def cli(ctx: click.Context, data: str | None) -> None:
    """allies: U.S. alliance statuses on any day, sourced.

    \b
    Examples:
      allies status colombia --on 2022-04-01
      allies members mnna
      allies history "South Korea" --json
    """
    ctx.ensure_object(dict)
    ctx.obj["data"] = data


def _warn_future(on: str | None, what: str = "--on") -> None:
    """A day (or a month or year) after today gets an answer (the record as it stands), and a
    warning."""
    import datetime as dt

    from .dates import parse_period, parse_published

    if not on:
        return
    try:
        start = parse_period(on).start if what == "--on" else parse_published(on)
    except AlliesError:
        return
    if start is not None and start > dt.date.today():
        click.echo(
            f"note: {what} {on} is in the future; the answer assumes nothing changes after today",
            err=True,
        )


def _date_text(e: dict[str, Any]) -> str:
    """A date with its precision when it is not a day ("2026-01 (month)")."""
    p = e.get("precision", "day")
    return e["date"] if p == "day" else f"{e['date']} ({p})"


def _since_text(s: dict[str, Any]) -> str:
    if not s.get("since"):
        return ""
    txt = f"{s['since']} ({s['precision']})"
    if s.get("uncertain"):
        txt += " ?"
    return txt


@cli.command()
@click.argument("country")
@on_option
@known_option
@json_option
@click.pass_context
@edge
def status(ctx: click.Context, country: str, on: str | None, as_json: bool) -> None:
    """Status of COUNTRY in every framework on a day, or at the end of a month or year."""
    _check_on(on)
    res = _ledger(ctx).status(country, on)
    _warn_future(on)
    if as_json:
        _emit_json(res)
        return
    con = _console()
    c = res["country"]
    if not res["statuses"]:
        con.print(f"{c['name']} ({c['iso3']}) on {res['on']}: no recorded status in any "
                  "framework (see 'allies frameworks')")
        _print_changes(con, res, country=False)
        return
    rows = []
    weak = False
    for s in res["statuses"]:
        last = s["events"][-1] if s["events"] else None
        state = s["state"] + (" (treated as)" if s.get("treated_as") else "")
        state += " *" if s.get("disputed") else ""
        since = _since_text(s)
        if any(e["date"] == s.get("since") and e["confidence"] == "low" for e in s["events"]):
            since += " ~"
            weak = True
        rows.append((
            s["framework"],
            f"[{STATE_STYLE[s['state']]}]{state}[/]",
            since,
            s["pending"] or "",
            f"{last['action']} {last['date']}" if last else "",
            str(len(last["sources"])) if last else "",
        ))
    _print_table(con, f"{c['name']} ({c['iso3']}) on {res['on']}",
                 ("framework", "state", "since", "pending", "last event", "sources"), rows,
                 optional=("sources",))
    g = res["security_guarantee"]
    if g["value"]:
        doubt = (f" (disputed via {', '.join(g['disputed_via'])}: see *)"
                 if g.get("disputed_via") else "")
        con.print(f"Security guarantee: yes, via {', '.join(g['via'])}{doubt}")
        if g.get("note"):
            con.print(f"  ({g['note']})", soft_wrap=True)
        for cv in g.get("caveats", []):
            con.print(f"  caveat on {cv['framework']}: {escape(cv['note'])}", soft_wrap=True)
        _print_terms(con, _ledger(ctx), g["via"])
    else:
        con.print("Security guarantee: none")
    if g["not_via"]:
        con.print(
            f"No guarantee via: {', '.join(g['not_via'])} (MNNA entails no security commitment)"
        )
    for s in res["statuses"]:
        for d in s.get("disputed", []):
            con.print(f"* {s['framework']}, sources disagree ({d['event']}): {escape(d['note'])}",
                      soft_wrap=True)
    if weak:
        con.print("~ low confidence: the date is inferred or thinly sourced (see the event's "
                  "note in --json or 'allies history')", soft_wrap=True)
    mine = [e for s in res["statuses"] for e in s["events"] if e.get("from_user_file")]
    if mine:
        con.print("Includes your own events (--data): "
                  + "; ".join(f"{e['id']} ({e['from_user_file']})" for e in mine), soft_wrap=True)
    if any(s.get("uncertain") for s in res["statuses"]):
        con.print("? the deciding event is known only to the month or year, and this day falls "
                  "in that period: the state may not yet have changed", soft_wrap=True)
    _print_changes(con, res, country=False)


@cli.command()
@click.argument("framework")
@on_option
@known_option
@json_option
@click.pass_context
@edge
def members(ctx: click.Context, framework: str, on: str | None, as_json: bool) -> None:
    """Members (state active) of FRAMEWORK on a day.

    FRAMEWORK is an id or a name, e.g. mnna, nato, rio, "SEATO" ('allies frameworks' lists
    them all)."""
    _check_on(on)
    res = _ledger(ctx).members(framework, on)
    _warn_future(on)
    if as_json:
        _emit_json(res)
        return
    n = res["count"]
    t = Table(
        title=f"{res['framework']} on {res['on']}: {n} member{'' if n == 1 else 's'}",
        title_justify="left",
    )
    _columns(t, "iso3", "name", "since", "note")
    for m in res["members"]:
        note = []
        if m.get("treated_as"):
            note.append("treated as MNNA by statute")
        if m.get("pending"):
            note.append(f"{m['pending']} pending")
        since = _since_text(m) + (" *" if m.get("disputed") else "")
        t.add_row(m["iso3"], m["name"], since, "; ".join(note))
    con = _console()
    con.print(t)
    if res["suspended"]:
        parties = ", ".join(f"{m['name']} (since {m['since']})" for m in res["suspended"])
        con.print(f"Also parties, participation suspended: {parties}", soft_wrap=True)
    for m in res["members"]:
        for d in m.get("disputed", []):
            con.print(f"* {m['name']}, sources disagree ({d['event']}): {escape(d['note'])}",
                      soft_wrap=True)
    _print_changes(con, res)


@cli.command()
@click.argument("country")
@json_option
@click.pass_context
@edge
def history(ctx: click.Context, country: str, as_json: bool) -> None:
    """Every event of COUNTRY, with sources."""
    res = _ledger(ctx).history(country)
    if as_json:
        _emit_json(res)
        return
    c = res["country"]
    if not res["events"]:
        _console().print(f"{c['name']} ({c['iso3']}): no recorded event in any framework "
                         "(see 'allies frameworks')")
        return
    rows = []
    urls: list[str] = []  # full URLs under the table: a wrapped URL cannot be copied
    for e in res["events"]:
        act = e["action"] + (f" ({e['intent_of']})" if e.get("intent_of") else "")
        date = _date_text(e) + (" *" if e.get("disputed") else "")
        if e["sources"][0] not in urls:
            urls.append(e["sources"][0])
        ref = f"[{urls.index(e['sources'][0]) + 1}]"
        more = len(e["sources"]) - 1
        ref += f" +{more}" if more else ""
        rows.append((date, e["framework"], act, e.get("instrument", ""), e["confidence"], ref))
    con = _console()
    _print_table(con, f"{c['name']} ({c['iso3']}): history",
                 ("date", "framework", "action", "instrument", "confidence", "source"), rows,
                 optional=("instrument", "confidence"))
    for i, u in enumerate(urls, start=1):
        con.print(f"[{i}] {u}", soft_wrap=True, markup=False, highlight=False)
    if any(len(e["sources"]) > 1 for e in res["events"]):
        con.print("(+N: more sources; see --json)", soft_wrap=True)
    for e in res["events"]:
        if e.get("disputed"):
            alt = f" (other dates: {', '.join(e['alt_dates'])})" if e.get("alt_dates") else ""
            con.print(f"* {e['id']}, sources disagree{alt}: {escape(e['disputed'])}",
                      soft_wrap=True)


@cli.command()
@click.option("--since", "since", required=True, metavar="DATE",
              help="First day (YYYY-MM-DD), or a month or year from its first day.")
@click.option("--until", "until", metavar="DATE",
              help="Last day (YYYY-MM-DD; default today), or a month or year to its last day.")
@json_option
@click.pass_context
@edge
def changes(ctx: click.Context, since: str, until: str | None, as_json: bool) -> None:
    """Events between --since and --until, all countries."""
    _check_range(since, until)
    res = _ledger(ctx).changes(since, until)
    if as_json:
        _emit_json(res)
        return
    t = Table(title=f"{res['count']} events {res['since']} .. {res['until']}", title_justify="left")
    _columns(t, "date", "framework", "country", "action")
    for e in res["events"]:
        act = e["action"] + (f" ({e['intent_of']})" if e.get("intent_of") else "")
        t.add_row(_date_text(e), e["framework"], e["country_name"], act)
    _console().print(t)


@cli.command()
@click.argument("country")
@on_option
@json_option
@click.pass_context
@edge
def entails(ctx: click.Context, country: str, on: str | None, as_json: bool) -> None:
    """What COUNTRY's statuses entail on a day (benefits, obligations, guarantee)."""
    _check_on(on)
    res = _ledger(ctx).entails(country, on)
    _warn_future(on)
    if as_json:
        _emit_json(res)
        return
    con = _console()
    c = res["country"]
    g = res["security_guarantee"]
    con.print(
        f"{c['name']} on {res['on']}: security guarantee "
        f"{'via ' + ', '.join(g['via']) if g['value'] else 'none'}"
    )
    if g["value"]:
        _print_terms(con, _ledger(ctx), g["via"])
    for f in res["frameworks"]:
        t = Table(title=f"{f['name']} ({f['framework']}) since {f['since']}", title_justify="left")
        _columns(t, "kind", "what", "citation", "verified", "applies")
        for e in f["entails"]:
            applies = e["applies"] + (f": {e['condition']}" if e["applies"] != "yes" else "")
            t.add_row(e["kind"], e["summary"], e["citation"], "yes" if e["verified"] else "no",
                      applies)
        con.print(t)
        for e in f["entails"]:
            if e.get("note"):
                con.print(f"  note on {e['id']}: {escape(e['note'])}", soft_wrap=True)
    _print_changes(con, res, country=False)


@cli.command()
@json_option
@click.pass_context
@edge
def frameworks(ctx: click.Context, as_json: bool) -> None:
    """The frameworks, their legal basis, whether they carry a security guarantee, and what
    the record covers completely (a step it lacks there did not happen)."""
    res = _ledger(ctx).frameworks_list()
    if as_json:
        _emit_json(res)
        return
    t = Table(title="frameworks", title_justify="left")
    _columns(t, "id", "name", "kind", "legal basis", "guarantee", "entails", "complete")
    for f in res:
        cov = f["coverage"]
        t.add_row(
            f["id"],
            f["name"],
            f["kind"],
            f["legal_basis"],
            "yes" if f["security_guarantee"]["value"] else "no",
            str(len(f["entails"])),
            f"{', '.join(cov['steps'])} through {cov['through']}" if cov["complete"] else "no",
        )
    con = _console()
    con.print(t)
    for f in res:
        if f["coverage"]["note"]:
            con.print(f"  {f['id']}: {escape(f['coverage']['note'])}", soft_wrap=True)


@cli.command()
@click.pass_context
@edge
def validate(ctx: click.Context) -> None:
    """Validate the bundled data (and --data FILE): one line per problem, exit 1 if any."""
    ledger = _ledger(ctx)  # loading validates; DataError lists every problem
    info = ledger.info
    click.echo(
        f"ok: {info.events} events in {len(ledger.frameworks)} frameworks, "
        f"data {info.data_version}, content hash {info.content_hash}"
    )


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "sqlite", "panel", "codebook"]),
    default="csv",
    show_default=True,
    help="csv: the events; panel: every COW state-year; codebook: the panel's columns.",
)
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE (required for sqlite; '-' or none: stdout). A symlink is "
                   "written through; a folder, FIFO or device is refused.")
@click.option("--raw-cells", is_flag=True,
              help="Keep CSV cells that start with = + - @ as they are (for programs; by "
                   "default they get a leading ' so a spreadsheet does not run them).")
@click.pass_context
@edge
def export(ctx: click.Context, fmt: str, output: str | None, raw_cells: bool) -> None:
    """Export the ledger: events CSV, JSON, a SQLite file for Datasette, a country-year panel
    of every COW state, or the panel's codebook."""
    from .export import atomic_write_text, export_text, write_sqlite

    ledger = _ledger(ctx)
    if fmt == "sqlite":
        if not output or output == "-":
            raise AlliesError("--format sqlite needs -o FILE (a SQLite file is binary, not for "
                              "stdout)")
        write_sqlite(ledger, output)
        click.echo(f"wrote {output}", err=True)
        return
    text = export_text(ledger, fmt, raw=raw_cells)
    if output and output != "-":
        atomic_write_text(output, text, ".json" if fmt == "json" else ".csv")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; loopback by default (the server is read-only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--review-token-file", metavar="FILE",
              help="Add /review (the review queue, behind the token in FILE).")
@click.option("--store", metavar="PATH", envvar="ALLIES_STORE",
              help="Review store for /review (default: the user's data folder).")
@click.pass_context
@edge
def serve(ctx: click.Context, host: str, port: int, review_token_file: str | None,
          store: str | None) -> None:
    """Serve the web page and JSON API (read-only) at http://HOST:PORT/."""
    from .web.app import bind
    from .web.app import serve as run_server

    review = None
    if review_token_file:
        from .review import Store
        from .web.review import ReviewConfig

        review = ReviewConfig.from_token_file(review_token_file, store=store,
                                              events_file=ctx.obj.get("data"))
        Store(store).close()  # a bad store fails now, in one line
        data = ctx.obj.get("data")
        if data and not os.path.exists(data):  # accepting creates it; serve it empty till then
            from pathlib import Path

            from .review import HEADER, durable_write

            durable_write(Path(data), ",".join(HEADER) + "\n")
    ledger = _ledger(ctx)
    sock = bind(host, port)
    click.echo(f"allies: serving http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    if review is not None:
        click.echo(f"allies: review queue at http://{host}:{port}/review (token required)",
                   err=True)
    run_server(host=host, port=port, ledger=ledger, sock=sock, review=review)


from .cli_read import check as _check_command  # noqa: E402  (needs `edge` above)
from .cli_read import read as _read_command  # noqa: E402
from .cli_scan import scan as _scan_command  # noqa: E402

cli.add_command(_read_command)
cli.add_command(_check_command)
cli.add_command(_scan_command)

from .cli_review import replay as _replay_command  # noqa: E402
from .cli_review import review as _review_command  # noqa: E402

cli.add_command(_review_command)
cli.add_command(_replay_command)


def main() -> None:
    cli(obj={})


if __name__ == "__main__":  # pragma: no cover
    main()
