"""The dependency parser: who is the subject, what hangs under what, what is coordinated.

The reader asks these questions of candidate sentences; the parser is the project's own
(trained from UD English EWT, shipped in the package). Tests that need it skip with a
message when spaCy or the model is absent; `make test` installs spaCy.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from allies.read import syntax


@pytest.fixture(scope="module")
def parsed() -> None:
    if not syntax.available():
        pytest.skip("the parser is not available: install the 'parse' extra "
                    "(spaCy) and keep src/allies/data/parser")


def one(text: str) -> syntax.Parse:
    (p,) = syntax.parse([text])
    return p


def words(tokens: tuple[syntax.Token, ...]) -> list[str]:
    return [t.text for t in tokens]


def test_importing_allies_does_not_import_spacy() -> None:
    code = ("import sys, allies, allies.read, allies.read.syntax, allies.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert p.stdout.strip() == "[]"


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setattr(syntax, "_NLP", None)
    monkeypatch.setattr(syntax, "model_path", lambda: tmp_path / "parser")
    assert syntax.available() is False
    with pytest.raises(syntax.ParserUnavailable) as e:
        syntax.parse(["Montenegro joins NATO."])
    assert str(e.value) == (f"the trained parser is missing from {tmp_path / 'parser'}; "
                            "rebuild it with 'make model' from a source checkout")
    assert e.value.status == 503


def test_parse_takes_a_sequence_of_strings() -> None:
    with pytest.raises(TypeError, match="not one string"):
        syntax.parse("Montenegro joins NATO.")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bytes"):
        syntax.parse([b"Montenegro joins NATO."])  # type: ignore[list-item]


def test_the_country_that_joins_is_the_subject_not_the_one_defied(parsed: None) -> None:
    for text in ("Montenegro joins NATO, defying Russia.",
                 "Defying Russia, Montenegro joins NATO."):
        p = one(text)
        joins = p.find("joins")
        assert words(p.subjects(joins)) == ["Montenegro"], text
        assert words(p.objects(joins)) == ["NATO"], text
        russia = p.find("Russia")
        assert p.under(russia, ["defy", "defying"]), text
        assert not p.under(p.find("Montenegro"), ["defy", "defying"]), text
    p = one("Montenegro joins NATO, defying Russia.")
    assert p.head_verb(p.find("Russia")).text == "defying"  # type: ignore[union-attr]
    assert p.head_verb(p.find("Montenegro")).text == "joins"  # type: ignore[union-attr]


def test_the_joining_favoured_by_someone_hangs_under_favoured(parsed: None) -> None:
    p = one("He favoured Brazil joining NATO.")
    favour = {"favour", "favor", "favoured", "favored"}
    assert p.governor(p.find("Brazil"), favour).text == "favoured"  # type: ignore[union-attr]
    assert p.under(p.find("joining"), favour)
    assert p.head_verb(p.find("joining")).text == "favoured"  # type: ignore[union-attr]
    plain = one("Brazil joined NATO.")
    assert not plain.under(plain.find("Brazil"), favour)
    assert words(plain.subjects(plain.find("joined"))) == ["Brazil"]


def test_agreed_to_invite_two_coordinated_countries(parsed: None) -> None:
    p = one("Leaders agreed to invite Finland and Sweden.")
    invite = p.tokens[p.find("invite")]
    assert (invite.dep, p.tokens[invite.head].text) == ("xcomp", "agreed")
    assert words(p.objects(invite.i)) == ["Finland", "Sweden"]
    assert words(p.conjuncts(p.find("Sweden"))) == ["Finland", "Sweden"]
    assert words(p.conjuncts(p.find("Finland"))) == ["Finland", "Sweden"]
    # the invitation is the leaders' (the subject of "agreed" controls "invite")
    assert words(p.subjects(invite.i)) == ["Leaders"]
    assert p.under(p.find("Sweden"), ["agree"])


def test_object_control_gives_the_urged_country_as_the_subject(parsed: None) -> None:
    p = one("The senators urged Colombia to join the treaty.")
    assert words(p.subjects(p.find("join"))) == ["Colombia"]
    assert p.governor(p.find("Colombia"), ["urge"]).text == "urged"  # type: ignore[union-attr]
    q = one("The leaders invited Finland and Sweden to join the alliance.")
    assert words(q.subjects(q.find("join"))) == ["Finland", "Sweden"]
    assert words(q.subjects(q.find("invited"))) == ["leaders"]


def test_negation_and_modality_govern_the_clause(parsed: None) -> None:
    p = one("The alliance did not invite Georgia.")
    assert p.negation(p.find("Georgia")).text == "not"  # type: ignore[union-attr]
    q = one("The alliance could invite Georgia next year.")
    assert q.governor(q.find("Georgia"), ["could"]).text == "could"  # type: ignore[union-attr]
    assert q.negation(q.find("Georgia")) is None
    r = one("The alliance invited Georgia.")
    assert r.negation(r.find("Georgia")) is None
    assert not r.under(r.find("Georgia"), ["could"])


def test_a_conditional_marks_only_its_own_clause(parsed: None) -> None:
    p = one("If Sweden joins, Finland will follow.")
    assert p.condition(p.find("Sweden")).text == "If"  # type: ignore[union-attr]
    assert p.condition(p.find("Finland")) is None


def test_the_clause_containing_an_offset(parsed: None) -> None:
    text = "Officials said that Finland would join the alliance soon."
    p = one(text)
    c = p.clause_at(text.index("Finland") + 2)
    assert c is not None
    assert (c.head.text, c.text) == ("join", "that Finland would join the alliance soon")
    assert p.clause_at(0).head.text == "said"  # type: ignore[union-attr]
    assert p.clause_at(text.index(" that")) is None  # a space is in no token


def test_tokens_carry_offsets_lemmas_and_tags(parsed: None) -> None:
    text = "Qatar was designated a major non-NATO ally."
    p = one(text)
    assert p.text == text
    assert all(text[t.idx:t.end] == t.text for t in p.tokens)
    qatar = p.tokens[p.find("Qatar")]
    assert (qatar.idx, qatar.pos) == (0, "PROPN")
    designated = p.tokens[p.find("designated")]
    assert (designated.lemma, designated.pos) == ("designate", "VERB")
    assert qatar.dep == "nsubj:pass" and qatar.head == designated.i
    assert [t for t in p.tokens if t.is_root] == [designated]


def test_offsets_count_from_the_sentence_as_given(parsed: None) -> None:
    text = "  On Monday,  Qatar became an ally."
    p = one(text)
    assert all(text[t.idx:t.end] == t.text for t in p.tokens)
    assert p.tokens[p.find("Qatar")].idx == text.index("Qatar")
    assert p.token_at(text.index("ally") + 1) == p.tokens[p.find("ally")]


def test_parses_are_plain_values(parsed: None) -> None:
    a, b, empty = syntax.parse(["Qatar became an ally.", "Qatar became an ally.", ""])
    assert a == b and hash(a) == hash(b)
    assert pickle.loads(pickle.dumps(a)) == a
    assert empty.tokens == ()
    with pytest.raises(AttributeError):
        a.text = "x"  # type: ignore[misc]


def test_two_threads_parse_the_same_as_one(parsed: None) -> None:
    sents = [f"Country number {k} joined the alliance in {1950 + k}." for k in range(40)]
    want = syntax.parse(sents)
    got: list[list[syntax.Parse]] = [[], []]

    def work(k: int) -> None:
        got[k] = syntax.parse(sents)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want, want]
