"""The API: on/since/until take a month or a year; published takes ISO datetimes and e-mail
dates."""

from __future__ import annotations

import json
from typing import Any

from allies.ledger import load_ledger

L = load_ledger()


def test_api_takes_periods(client: Any) -> None:
    r = client.get("/api/status/COL", params={"on": "2022"})
    got = r.json()
    cite = got.pop("cite")
    assert r.status_code == 200 and got == json.loads(json.dumps(L.status("COL", "2022")))
    assert cite["permalink"].endswith("/api/status/COL?on=2022")
    r = client.get("/api/members/nato", params={"on": "2023-04"})
    assert r.json()["changes"][0]["country"] == "FIN"
    r = client.get("/api/changes", params={"since": "2022", "until": "2022-03"})
    assert (r.json()["since"], r.json()["until"]) == ("2022-01-01", "2022-03-31")
    r = client.get("/api/status/COL", params={"on": "2022-13"})
    assert r.status_code == 400 and "YYYY-MM or YYYY" in r.json()["error"]


def test_api_published_takes_iso_datetimes_and_email_dates(client: Any) -> None:
    text = "Finland joined NATO today, the alliance said."
    for pub in ("Tue, 04 Apr 2023 10:00:00 GMT", "2023-04-04T10:00:00Z"):
        r = client.post("/api/read", json={"text": text, "published": pub})
        assert r.status_code == 200, r.text
        assert (r.json()["published"], r.json()["events"][0]["date"]) == (
            "2023-04-04", "2023-04-04"
        )
    r = client.post("/api/read", json={"text": text, "published": "last Tuesday"})
    assert r.status_code == 400 and "e-mail date" in r.json()["error"]
