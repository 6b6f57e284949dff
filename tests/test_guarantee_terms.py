"""The security guarantee in plain words: each treaty's operative article, quoted and cited,
is data in frameworks.toml (validated on load) and is shown by `status`, `entails`, the API
and the pages, so "must the U.S. defend Colombia?" gets an honest answer."""

from __future__ import annotations

import re
import warnings
from importlib import resources

import pytest
from click.testing import CliRunner

from allies.cli import cli
from allies.errors import DataError
from allies.frameworks import guarantee_terms, parse_frameworks
from allies.ledger import load_ledger

TOML = resources.files("allies").joinpath("data/frameworks.toml").read_text("utf-8")


def test_every_guarantee_has_its_terms() -> None:
    fws = parse_frameworks(TOML)
    for f in fws.values():
        assert bool(f.guarantee_terms) == f.security_guarantee, f.id
        for t in f.guarantee_terms:
            assert t.quote and t.plain and t.sources and t.article


@pytest.mark.parametrize(
    "fid,article,words",
    [
        ("nato", "Art. 5", "such action as it deems necessary"),
        ("rio", "Art. 20", "no State shall be required to use armed force without its consent"),
        ("anzus", "Art. IV", "in accordance with its constitutional processes"),
        ("us-ph", "Art. IV", "in accordance with its constitutional processes"),
        ("us-jp", "Art. V", "in accordance with its constitutional provisions and processes"),
        ("us-kr", "Art. III", "in accordance with its constitutional processes"),
        ("us-roc", "Art. V", "in accordance with its constitutional processes"),
        ("manila", "Art. IV(1)", "in accordance with its constitutional processes"),
        ("manila", "Understanding", "apply only to communist aggression"),
    ],
)
def test_what_each_treaty_commits(fid: str, article: str, words: str) -> None:
    terms = parse_frameworks(TOML)[fid].guarantee_terms
    assert any(article in t.article and words in t.quote for t in terms), [
        (t.article, t.quote) for t in terms
    ]


def _without_terms(fid: str) -> str:
    """frameworks.toml with the guarantee_terms tables of `fid` removed."""
    parts = re.split(r"(?m)^(?=\[\[framework\]\])", TOML)
    out = []
    for p in parts:
        if re.search(rf'(?m)^id = "{fid}"$', p):
            p = re.sub(r"(?ms)^\[\[framework\.guarantee_terms\]\]\n.*?(?=^\[\[|\Z)", "", p)
        out.append(p)
    return "".join(out)


def test_a_guarantee_without_terms_is_refused() -> None:
    with pytest.raises(DataError) as e:
        parse_frameworks(_without_terms("rio"))
    assert any("framework rio: a security guarantee needs its" in p for p in e.value.problems)


@pytest.mark.parametrize(
    "line,problem",
    [
        ('plainly = "x"', "unknown key 'plainly'"),
        ('quote = "said \\"no\\""', "without quotation marks"),
        ("verified = 1", "verified must be true or false"),
        ("sources = []", "'sources' must be a non-empty list"),
    ],
)
def test_bad_terms_are_named(line: str, problem: str) -> None:
    key = line.split(" = ")[0]
    head = '[[framework.guarantee_terms]]\narticle = "North Atlantic Treaty Art. 5"\n'
    i = TOML.index(head)
    end = TOML.index("\n\n", i)
    block = TOML[i:end]
    lines = [x for x in block.split("\n") if not x.startswith(f"{key} = ")]
    if key in ("sources",):  # drop the multi-line list too
        lines = [x for x in lines if not x.startswith("  ") and x != "]"]
    bad = TOML[:i] + "\n".join([*lines, line]) + TOML[end:]
    with pytest.raises(DataError) as e:
        parse_frameworks(bad)
    assert any(problem in p and "framework nato guarantee_terms #1" in p
               for p in e.value.problems), e.value.problems


def _run(*args: str) -> str:
    r = CliRunner().invoke(cli, list(args), obj={})
    assert r.exit_code == 0, r.output
    return r.stdout


def test_status_and_entails_quote_the_articles() -> None:
    for out in (_run("status", "colombia", "--on", "2022-06-01"),
                _run("entails", "colombia", "--on", "2022-06-01")):
        assert ("  rio, Rio Treaty Art. 20: \u201cno State shall be required to use armed force "
                "without its consent\u201d") in out
    nato = _run("status", "germany", "--on", "2022-06-01")
    assert "such action as it deems necessary" in nato
    none = _run("status", "qatar", "--on", "2022-06-01")
    assert "Art." not in none


def test_api_and_pages_show_the_terms() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from allies.web import create_app

    ledger = load_ledger()
    c = TestClient(create_app(ledger))
    fws = {f["id"]: f for f in c.get("/api/frameworks").json()}
    for fid, f in ledger.frameworks.items():
        assert fws[fid]["security_guarantee"]["terms"] == [t.to_dict() for t in f.guarantee_terms]
    page = c.get("/country/COL?on=2022-06-01").text
    block = re.search(r'<div class="terms" id="guarantee-terms">(.*?)</div>', page, re.S)
    assert block
    terms = c.get("/country/COL.json?on=2022-06-01").json()["guarantee_terms"]
    assert terms == guarantee_terms(ledger.frameworks, ["rio"])
    for t in terms:
        assert f"<strong>{t['article']}</strong>: <q>{t['quote']}</q>" in block.group(1)
    page = c.get("/framework/nato").text
    assert "<q>will assist the Party or Parties so attacked" in page
    assert 'id="guarantee-terms"' not in c.get("/country/QAT?on=2022-06-01").text


def test_terms_follow_the_guarantee() -> None:
    ledger = load_ledger()
    g = ledger.status("COL", "2022-06-01")["security_guarantee"]
    terms = guarantee_terms(ledger.frameworks, g["via"])
    assert {t["framework"] for t in terms} == {"rio"}
    assert guarantee_terms(ledger.frameworks, ["mnna"]) == []
