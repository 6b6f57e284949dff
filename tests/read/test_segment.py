from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from allies.read import split_sentences
from allies.read.segment import segmenter


def texts(t: str) -> list[str]:
    return [s.text for s in split_sentences(t)]


def test_abbreviations_and_initials() -> None:
    t = "Mr. Biden met Gen. Smith on Jan. 6. John F. Kennedy spoke. It was the U.S. Army."
    assert texts(t) == [
        "Mr. Biden met Gen. Smith on Jan. 6.",
        "John F. Kennedy spoke.",
        "It was the U.S. Army.",
    ]


def test_us_can_end_a_sentence() -> None:
    assert texts("Aid came from the U.S. The talks went well.") == [
        "Aid came from the U.S.",
        "The talks went well.",
    ]


def test_newlines_and_quotes() -> None:
    t = 'Headline here\n\n"Really?" he asked. She said: "Yes." Then left!'
    assert texts(t) == ["Headline here", '"Really?" he asked.', 'She said: "Yes."', "Then left!"]


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\"'U.S.Mr ")), max_size=200))
def test_offsets_are_exact(t: str) -> None:
    prev = 0
    for s in split_sentences(t):
        assert t[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= prev
        prev = s.end


@given(
    st.text(alphabet=st.sampled_from(list("ab .!?\n\"'U.S.Mr F")), max_size=200),
    st.lists(st.integers(min_value=0, max_value=199), max_size=10),
)
def test_around_agrees_with_full_split(t: str, positions: list[int]) -> None:
    seg = segmenter()
    positions = [p for p in positions if p < len(t)]
    full = seg(t)
    want = [s for s in full if any(s.start <= p < s.end for p in positions)]
    assert seg.around(t, positions) == want


def test_an_overlong_sentence_is_read_in_bounded_pieces() -> None:
    from allies.read.segment import MAX_SENTENCE, Sentence, bounded

    text = "NATO invited Finland and " * 400 + "Sweden."
    pieces = bounded([Sentence(0, len(text), text)])
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE and text[p.start : p.end] == p.text for p in pieces)
    gaps = [text[a.end : b.start] for a, b in zip(pieces, pieces[1:], strict=False)]
    assert "".join(gaps).strip() == ""
    assert (pieces[0].start, pieces[-1].end) == (0, len(text))


def test_a_long_list_still_reads_every_country() -> None:
    from allies.read import read

    names = ["Japan", "Israel", "Egypt", "Jordan", "Kuwait"] * 60
    r = read("Major non-NATO allies include " + ", ".join(names) + ".", "2024-01-01")
    assert {c.country for c in r.claims} >= {"JPN", "ISR", "EGY", "JOR", "KWT"}


def test_a_line_wrapped_mid_phrase_stays_in_its_sentence() -> None:
    from allies.read import split_sentences

    text = "They were invited to join at the November\n2002 summit in Prague.\nNext story."
    assert [s.text for s in split_sentences(text)] == [
        "They were invited to join at the November\n2002 summit in Prague.",
        "Next story.",
    ]
    assert [s.text for s in split_sentences("A headline of the\n\nBody here.")] == [
        "A headline of the",
        "Body here.",
    ]
