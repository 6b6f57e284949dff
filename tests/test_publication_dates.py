"""Publication dates as feeds and pages write them: ISO days, ISO datetimes and e-mail/RSS
dates, wherever a publication date is given (flag, record, HTML metadata). A record whose
date cannot be read is still read, with its date unknown and a warning."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.dates import PublicationDateWarning, parse_published
from allies.errors import BadDate
from allies.read.inputs import read_html, read_path

TEXT = "Finland joined NATO today, the alliance said."


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), obj={})
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("text", [
    "2023-04-04", "2023-04-04T10:00:00Z", "2023-04-04T23:30:00-05:00", "2023-04-04 10:00",
    "2023-04-04T10:00:00.123+02:00", "Tue, 04 Apr 2023 10:00:00 GMT", "04 Apr 2023 10:00 +0000",
])
def test_forms_give_the_written_day(text: str) -> None:
    assert parse_published(text) == dt.date(2023, 4, 4)


@pytest.mark.parametrize(
    "text", ["last Tuesday", "2023-02-30T10:00Z", "Tue, 35 Apr 2023", "4/4/23"]
)
def test_unreadable_dates_name_the_forms(text: str) -> None:
    with pytest.raises(BadDate) as e:
        parse_published(text)
    assert repr(text) in str(e.value) and "e-mail date" in str(e.value)


def test_flag_takes_an_email_date(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    code, out, err = run("read", str(f), "--published", "Tue, 04 Apr 2023 10:00:00 GMT", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert (doc["published"], doc["events"][0]["date"]) == ("2023-04-04", "2023-04-04")


def test_records_take_every_form_and_a_bad_one_is_read_undated(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    recs = [
        {"text": TEXT, "published": "Tue, 04 Apr 2023 10:00:00 GMT"},
        {"text": TEXT, "published": "2023-04-04T10:00:00Z"},
        {"text": TEXT, "published": "last Tuesday"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    code, out, err = run("read", str(f), "--json")
    assert code == 0
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["published"], d["events"][0]["date"]) for d in docs] == [
        ("2023-04-04", "2023-04-04"), ("2023-04-04", "2023-04-04"), (None, None)
    ]
    assert err == (
        f"warning: {f} line 3: bad publication date 'last Tuesday': use YYYY-MM-DD, an ISO "
        "datetime (2023-04-05T10:00:00Z) or an e-mail date (Wed, 05 Apr 2023 10:00:00 GMT); "
        "read with its date unknown\n"
    )
    with pytest.warns(PublicationDateWarning):
        results = list(read_path(f))
    assert [r.ok for r in results] == [True, True, True]


def test_html_metadata_in_rss_form() -> None:
    html = ('<html><head><meta property="article:published_time" '
            'content="Tue, 04 Apr 2023 10:00:00 GMT"></head>'
            f"<body><article><p>{TEXT}</p></article></body></html>")
    r = read_html(html)
    assert str(r.published) == "2023-04-04"
