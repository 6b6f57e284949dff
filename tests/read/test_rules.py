"""Reader rules are checked records: each runs on its own examples and fires, and stays
silent on its counter-examples; a malformed rule file is refused with every problem named."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from allies.errors import DataError
from allies.read import read, split_sentences
from allies.read.acts import Acts
from allies.read.discourse import Discourse
from allies.read.occasion import compile_rules
from allies.read.pipeline import reader
from allies.read.rules import Rule, parse_rules, rules

PUB = "2024-06-01"


def _holder_rules_fired(text: str) -> set[str]:
    return {c.rule.removeprefix("claim.") for c in read(text, PUB).claims}


def _discourse_fired(rule: Rule, text: str) -> bool:
    r = reader()
    mentions = r.scan.resolve(text, r.scan(text))
    stage = Discourse((rule,))
    kind = rule.get("kind")
    if kind == "capital":
        added = stage.capital_mentions(text, mentions)
    elif kind == "pronoun":
        added = stage.pronoun_mentions(text, mentions)
    else:
        added = stage.group_mentions(
            text, mentions, lambda t, cs: r.match.groups(t, cs, roles=False)
        )
    return bool(added)


HOLDERS = [(r, s) for r in rules()["holders"] for s in r.examples]
HOLDERS_NOT = [(r, s) for r in rules()["holders"] for s in r.counter_examples]
DISCOURSE = [(r, s) for r in rules()["discourse"] for s in r.examples]
DISCOURSE_NOT = [(r, s) for r in rules()["discourse"] for s in r.counter_examples]


@pytest.mark.parametrize(("rule", "text"), HOLDERS, ids=lambda x: getattr(x, "id", ""))
def test_holder_rule_fires_on_its_examples(rule: Rule, text: str) -> None:
    assert rule.id in _holder_rules_fired(text)


@pytest.mark.parametrize(("rule", "text"), HOLDERS_NOT, ids=lambda x: getattr(x, "id", ""))
def test_holder_rule_is_silent_on_its_counter_examples(rule: Rule, text: str) -> None:
    assert rule.id not in _holder_rules_fired(text)


@pytest.mark.parametrize(("rule", "text"), DISCOURSE, ids=lambda x: getattr(x, "id", ""))
def test_discourse_rule_fires_on_its_examples(rule: Rule, text: str) -> None:
    assert _discourse_fired(rule, text)


@pytest.mark.parametrize(("rule", "text"), DISCOURSE_NOT, ids=lambda x: getattr(x, "id", ""))
def test_discourse_rule_is_silent_on_its_counter_examples(rule: Rule, text: str) -> None:
    assert not _discourse_fired(rule, text)


def test_every_rule_has_examples() -> None:
    for stage in rules().values():
        for r in stage:
            assert r.examples, r.id


GOOD = {"id": "h.x", "side": "before", "patterns": ["include"], "examples": ["a"]}


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ({"holders": [{**GOOD, "sides": "before"}]}, "unknown key 'sides'"),
        ({"holders": [{**GOOD, "examples": []}]}, "needs at least one example"),
        ({"holders": [{**GOOD, "patterns": "include|including"}]}, "non-empty list of strings"),
        ({"holders": [{**GOOD, "patterns": ["(unclosed"]}]}, "bad pattern"),
        ({"holders": [GOOD, GOOD]}, "duplicate id"),
        ({"holderz": [GOOD]}, "unknown stage 'holderz'"),
        ({"scope": [{**GOOD, "category": "maybe", "direction": "up"}]}, "unknown key 'side'"),
        (
            {"scope": [{**GOOD, "side": None, "category": "maybe", "direction": "up"}]},
            "'category' must be one of",
        ),
    ],
)
def test_a_malformed_rule_is_refused(doc: dict, problem: str) -> None:
    doc = {
        k: [{kk: vv for kk, vv in r.items() if vv is not None} for r in v] for k, v in doc.items()
    }
    with pytest.raises(DataError) as e:
        parse_rules(doc)
    assert problem in str(e.value) or any(problem in p for p in e.value.problems)


def test_a_wellformed_rule_compiles() -> None:
    got = parse_rules({"holders": [GOOD]})["holders"][0]
    assert (got.id, got.patterns, got.examples, dict(got.params)) == (
        "h.x",
        ("include",),
        ("a",),
        {"side": "before"},
    )


def _occasion_dated(rule: Rule, text: str) -> bool:
    """True when `rule` alone dates an event that has no date without it."""
    base = copy.copy(reader())
    base.occasions = []
    undated = {e.key() for e in base(text, dt.date(2024, 6, 1)).events if e.date is None}
    one = copy.copy(reader())
    one.occasions = compile_rules((rule,))
    return any(
        e.key() in undated and e.date is not None for e in one(text, dt.date(2024, 6, 1)).events
    )


OCCASION = [(r, s) for r in rules()["occasion"] for s in r.examples]
OCCASION_NOT = [(r, s) for r in rules()["occasion"] for s in r.counter_examples]
ROLE = [(r, s) for r in rules()["role"] for s in r.examples]
ROLE_NOT = [(r, s) for r in rules()["role"] for s in r.counter_examples]


@pytest.mark.parametrize(("rule", "text"), OCCASION, ids=lambda x: getattr(x, "id", ""))
def test_occasion_rule_dates_its_examples(rule: Rule, text: str) -> None:
    assert _occasion_dated(rule, text)


@pytest.mark.parametrize(("rule", "text"), OCCASION_NOT, ids=lambda x: getattr(x, "id", ""))
def test_occasion_rule_is_silent_on_its_counter_examples(rule: Rule, text: str) -> None:
    assert not _occasion_dated(rule, text)


@pytest.mark.parametrize(("rule", "text"), ROLE, ids=lambda x: getattr(x, "id", ""))
def test_role_rule_makes_its_examples_background(rule: Rule, text: str) -> None:
    events = read(text, PUB).events
    assert events and all(rule.rx.search(e.evidence.text) for e in events)
    assert {e.role for e in events} == {"background"}


@pytest.mark.parametrize(("rule", "text"), ROLE_NOT, ids=lambda x: getattr(x, "id", ""))
def test_role_rule_is_silent_on_its_counter_examples(rule: Rule, text: str) -> None:
    assert not rule.rx.search(text)


def _bracketed(text: str) -> tuple[str, int, int]:
    """'Sweden could [join] NATO.' -> the text without brackets and the act's span."""
    start = text.index("[")
    end = text.index("]") - 1
    return text.replace("[", "").replace("]", ""), start, end


SCOPE = [(r, s) for r in rules()["scope"] for s in r.examples]
SCOPE_NOT = [(r, s) for r in rules()["scope"] for s in r.counter_examples]


@pytest.mark.parametrize(("rule", "text"), SCOPE, ids=lambda x: getattr(x, "id", ""))
def test_scope_rule_covers_the_act_in_its_examples(rule: Rule, text: str) -> None:
    plain, start, end = _bracketed(text)
    assert rule.id in {i for _, i in reader().scope.covering(plain, start, end)}


@pytest.mark.parametrize(("rule", "text"), SCOPE_NOT, ids=lambda x: getattr(x, "id", ""))
def test_scope_rule_leaves_the_act_in_its_counter_examples(rule: Rule, text: str) -> None:
    plain, start, end = _bracketed(text)
    assert rule.id not in {i for _, i in reader().scope.covering(plain, start, end)}


def _act_rules_fired(rule: Rule, text: str) -> set[str]:
    """The rules of the acts stage, restricted to `rule`, that fire on `text`'s sentences."""
    r = copy.copy(reader())
    r.acts = Acts((rule,), r.scope, r.match._cited)
    fired = set()
    for sentence in split_sentences(text):
        mentions = r.discourse(
            sentence.text,
            r.scan.resolve(sentence.text, r.scan(sentence.text)),
            lambda t, cs: r.match.groups(t, cs, roles=False),
        )
        dates = [(d.start, d.end) for d in r.dates(sentence.text, dt.date(2024, 6, 1))]
        strong = frozenset(m.value for m in mentions if m.kind == "term" and not m.weak)
        fired |= {
            c.rule.split(":")[0]
            for c in r._acts(sentence.text, r._parts(sentence.text, mentions, dates, strong))
        }
    return fired


ACTS = [(r, s) for r in rules()["act"] for s in r.examples]
ACTS_NOT = [(r, s) for r in rules()["act"] for s in r.counter_examples]


@pytest.mark.parametrize(("rule", "text"), ACTS, ids=lambda x: getattr(x, "id", ""))
def test_act_rule_fires_on_its_examples(rule: Rule, text: str) -> None:
    assert rule.id in _act_rules_fired(rule, text)


@pytest.mark.parametrize(("rule", "text"), ACTS_NOT, ids=lambda x: getattr(x, "id", ""))
def test_act_rule_is_silent_on_its_counter_examples(rule: Rule, text: str) -> None:
    assert rule.id not in _act_rules_fired(rule, text)


def test_a_comitative_list_shares_the_act() -> None:
    r = read("Slovakia was admitted to NATO in 2004, along with Bulgaria and Latvia.", PUB)
    assert {(e.country, e.action) for e in r.events} == {
        ("SVK", "accede"),
        ("BGR", "accede"),
        ("LVA", "accede"),
    }
