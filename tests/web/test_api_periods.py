"""The API's on/since/until take a month or a year as well as a day."""

from __future__ import annotations

import json
from typing import Any

from allies.ledger import load_ledger

L = load_ledger()


def test_api_takes_periods(client: Any) -> None:
    r = client.get("/api/status/COL", params={"on": "2022"})
    assert r.status_code == 200 and r.json() == json.loads(json.dumps(L.status("COL", "2022")))
    r = client.get("/api/members/nato", params={"on": "2023-04"})
    assert r.json()["changes"][0]["country"] == "FIN"
    r = client.get("/api/changes", params={"since": "2022", "until": "2022-03"})
    assert (r.json()["since"], r.json()["until"]) == ("2022-01-01", "2022-03-31")
    r = client.get("/api/status/COL", params={"on": "2022-13"})
    assert r.status_code == 400 and "YYYY-MM or YYYY" in r.json()["error"]
