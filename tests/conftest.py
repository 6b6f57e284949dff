"""Shared fixtures: small ledgers built in memory from text."""

from __future__ import annotations

import datetime as dt

import pytest

from allies.ledger import Ledger, build_ledger


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI tables are 120 columns wide when piped; a COLUMNS in the caller's environment
    would change every golden output."""
    monkeypatch.delenv("COLUMNS", raising=False)

MINI_FRAMEWORKS = """
[[framework]]
id = "mnna"
name = "Major Non-NATO Ally"
short = "MNNA"
kind = "designation"
designator = "USA"
established = 1986-11-14
complete_through = 2026-11-28
complete_steps = ["designate", "treat_as", "terminate"]
legal_basis = "22 U.S.C. 2321k"
security_guarantee = false
guarantee_citation = "no security commitment"
guarantee_sources = ["https://example.org/mnna"]
sources = ["https://example.org/2321k"]

[[framework.entails]]
id = "rd"
kind = "benefit"
summary = "Cooperative R&D"
citation = "10 U.S.C. 2350a"
verified = true
sources = ["https://example.org/2350a"]

[[framework]]
id = "nato"
name = "NATO"
short = "NATO"
kind = "alliance"
complete_through = 2026-11-28
complete_steps = ["accede", "enter_into_force"]
designator = "NATO"
legal_basis = "North Atlantic Treaty"
security_guarantee = true
guarantee_citation = "Art. 5"
guarantee_sources = ["https://example.org/nat"]
guarantee_terms = [
  {article = "Art. 1", quote = "will act", plain = "acts", verified = false, sources = [
    "https://example.org/nat"]},
]
sources = ["https://example.org/nat"]

[[framework]]
id = "rio"
name = "Rio Treaty"
short = "TIAR"
kind = "treaty"
designator = "USA"
legal_basis = "62 Stat. 1681"
security_guarantee = true
guarantee_citation = "Art. 3"
guarantee_sources = ["https://example.org/rio"]
guarantee_terms = [
  {article = "Art. 1", quote = "will act", plain = "acts", verified = false, sources = [
    "https://example.org/rio"]},
]
sources = ["https://example.org/rio"]
"""

HEADER = (
    "id,framework,country,action,intent_of,date,alt_dates,layer,instrument,basis,"
    "confidence,disputed,sources,note\n"
)

MINI_EVENTS = (
    HEADER
    + """\
a1,mnna,COL,announce_intent,,2022-03-10,2022-03-03,,joint statement,reported,high,one outlet says 3 March,https://example.org/a1,
a2,mnna,COL,notify_congress,designate,2022-04-21,,,letter,reported,high,,https://example.org/a2,
a3,mnna,COL,designate,,2022-05-23,,title22,PD 2022-14,reported,high,,https://example.org/a3,
b1,mnna,AFG,designate,,2012-07-06,2012-07-07,title22,,reported,high,,https://example.org/b1,
b2,mnna,AFG,announce_termination,,2022-07-06,,,,reported,high,,https://example.org/b2,
b3,mnna,AFG,terminate,,2022-09-23,,title22,PD 2022-24,reported,high,,https://example.org/b3,
c1,mnna,SAU,announce_intent,,2025-11-18,,,,reported,high,,https://example.org/c1,
c2,mnna,SAU,designate,,2026-01,,title22,,reported,medium,,https://example.org/c2,
t1,mnna,TWN,treat_as,,2002-09-30,,statute,P.L. 107-228 §1206,reported,high,,https://example.org/t1,
n1,nato,FIN,accede,,2023-04-04,,,,reported,high,,https://example.org/n1,
r1,rio,COL,join,,1948-12-03,,,,reported,high,,https://example.org/r1,
"""
)


@pytest.fixture
def mini() -> Ledger:
    return build_ledger(MINI_FRAMEWORKS, [("mini.csv", MINI_EVENTS)], today=dt.date(2026, 11, 28))
