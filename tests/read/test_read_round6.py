"""Round 6: families of phrasing found missing on unseen prose (translated status names,
anaphoric announcements, notices to Congress, plural and "same day" anaphora, NATO entry
told with other verbs). Each rule has a differently worded positive and a hard negative."""

from __future__ import annotations

import pytest

from allies.read import read


def events(text: str, pub: str) -> set[tuple[str, str, str, str]]:
    return {(e.country, e.action, e.intent_of or "", str(e.date)) for e in read(text, pub).events}


@pytest.mark.parametrize(
    "text, pub, want",
    [
        (  # translated status name
            "Washington made official on Tuesday the designation of Ecuador as a major ally"
            " outside NATO.",
            "2024-03-06",
            {("ECU", "designate", "", "2024-03-05")},
        ),
        (  # "taken steps to" is a stated plan
            "The president said on Friday he had taken the first steps to designate Mongolia a"
            " major non-NATO ally.",
            "2024-03-06",
            {("MNG", "announce_intent", "designate", "2024-03-01")},
        ),
        (  # "U.S. Congress": the abbreviation's dots do not end the notice
            "On Monday the White House notified the U.S. Congress that it intends to designate"
            " Ecuador a major non-NATO ally.",
            "2024-03-06",
            {("ECU", "notify_congress", "designate", "2024-03-04")},
        ),
        (  # notice sent to the Speaker, the notice after it
            "On 3 March the president transmitted to the Speaker of the House a notification of"
            " his intent to designate Ecuador as a major non-NATO ally.",
            "2024-03-06",
            {("ECU", "notify_congress", "designate", "2024-03-03")},
        ),
        (  # a promise dated apart from the notice is its own announcement
            "Biden on Thursday notified Congress he would designate Ecuador a major non-NATO ally,"
            " keeping a promise he made to its president in February.",
            "2024-03-06",
            {
                ("ECU", "notify_congress", "designate", "2024-02-29"),
                ("ECU", "announce_intent", "designate", "2024-02"),
            },
        ),
        (  # "the move had been flagged": the announcement of the antecedent's designation
            "Ecuador became a major non-NATO ally on Monday. The move had been flagged in"
            " February, when officials briefed reporters.",
            "2024-03-06",
            {
                ("ECU", "designate", "", "2024-03-04"),
                ("ECU", "announce_intent", "designate", "2024-02"),
            },
        ),
        (  # "revealed the plan", its setting naming a partnership
            "Ecuador became a major non-NATO ally on Monday. Trump revealed the plan during a stop"
            " in Quito in February, when he and Noboa signed a strategic partnership accord.",
            "2024-03-06",
            {
                ("ECU", "designate", "", "2024-03-04"),
                ("ECU", "announce_intent", "designate", "2024-02"),
            },
        ),
        (  # "fulfils what was announced"
            "Ecuador was designated a major non-NATO ally yesterday. The step fulfils what was"
            " announced in Quito on 4 February.",
            "2024-03-06",
            {
                ("ECU", "designate", "", "2024-03-05"),
                ("ECU", "announce_intent", "designate", "2024-02-04"),
            },
        ),
        (  # "the same day": the date of the event just before
            "Biden said on Monday he would designate Ecuador a major non-NATO ally. Congress was"
            " notified the same day.",
            "2024-03-06",
            {
                ("ECU", "announce_intent", "designate", "2024-03-04"),
                ("ECU", "notify_congress", "designate", "2024-03-04"),
            },
        ),
        (  # a regional ordinal and "to be designated" between "become" and the term
            "Kuwait has become the second Gulf state to be designated a major non-NATO ally, after"
            " Bush signed the memorandum on Thursday.",
            "2004-01-17",
            {("KWT", "designate", "", "2004-01-15")},
        ),
        (
            "NATO leaders met. Finland and Sweden were invited jointly at the summit in Madrid in"
            " June 2022.",
            "2023-03-06",
            {("FIN", "invite", "", "2022-06"), ("SWE", "invite", "", "2022-06")},
        ),
        (  # membership counted from a recent moment
            "Sweden has been a member of NATO since this morning.",
            "2024-03-07",
            {("SWE", "accede", "", "2024-03-07")},
        ),
        (
            "NATO grew on Monday, when Latvia handed over its instrument of accession. Estonia and"
            " Lithuania joined at the same ceremony.",
            "2004-03-30",
            {
                ("LVA", "accede", "", "2004-03-29"),
                ("EST", "accede", "", "2004-03-29"),
                ("LTU", "accede", "", "2004-03-29"),
            },
        ),
        (
            "NATO expanded. Montenegro joined two years ago.",
            "2019-03-30",
            {("MNE", "accede", "", "2017")},
        ),
        (  # the alliance as the subject of "admitted", with gapping
            "NATO is seventy. The alliance admitted Greece and Turkey in 1952 and West Germany in"
            " 1955.",
            "2019-03-30",
            {
                ("GRC", "accede", "", "1952"),
                ("TUR", "accede", "", "1952"),
                ("DEU", "accede", "", "1955"),
            },
        ),
        (
            "NATO met. North Macedonia received its formal invitation at the July 2018 summit.",
            "2019-03-30",
            {("MKD", "invite", "", "2018-07")},
        ),
        (  # a counted plural subject: the two countries just named
            "NATO met in Prague. Estonia and Latvia were invited to join NATO in November 2002."
            " The two countries joined on Monday.",
            "2004-03-30",
            {
                ("EST", "invite", "", "2002-11"),
                ("LVA", "invite", "", "2002-11"),
                ("EST", "accede", "", "2004-03-29"),
                ("LVA", "accede", "", "2004-03-29"),
            },
        ),
    ],
)
def test_round6_positive(text: str, pub: str, want: set[tuple[str, str, str, str]]) -> None:
    assert events(text, pub) == want


@pytest.mark.parametrize(
    "text, pub, want",
    [
        ("Ecuador asked on Tuesday to be named a major ally outside NATO.", "2024-03-06", set()),
        (
            "Among the ideas on the table, aides said, is naming Vietnam a major non-NATO ally.",
            "2024-03-06",
            set(),
        ),
        (
            "Officials said on Friday they had not taken steps to designate Mongolia a major"
            " non-NATO ally.",
            "2024-03-06",
            set(),
        ),
        (  # "United States" is no speech verb for "would"; a draft law is a proposal
            "A draft law tabled in the United States House on Friday would grant Armenia the"
            " status of major non-NATO ally.",
            "2024-03-06",
            set(),
        ),
        (
            "On 3 March the president transmitted to the Speaker of the House a report on training"
            " for Ecuador, a major non-NATO ally.",
            "2024-03-06",
            set(),
        ),
        (  # expected is no announcement
            "Ecuador became a major non-NATO ally on Monday. The move had been expected since"
            " February.",
            "2024-03-06",
            {("ECU", "designate", "", "2024-03-04")},
        ),
        (  # a plan of something else
            "Ecuador became a major non-NATO ally on Monday. Trump revealed the plan to build a new"
            " embassy in February.",
            "2024-03-06",
            {("ECU", "designate", "", "2024-03-04")},
        ),
        (
            "Peru became the first Andean country to host a conference on major non-NATO ally"
            " rules on Thursday.",
            "2004-01-17",
            set(),
        ),
        (
            "NATO leaders met. Finland and Sweden were invited together to attend the summit in"
            " Madrid in June 2022.",
            "2023-03-06",
            set(),
        ),
        ("Norway has been a member of NATO since 1949.", "2024-03-07", set()),
        ("NATO expanded. Ukraine has still not joined two years later.", "2019-03-30", set()),
        (
            "NATO is seventy. It admitted Russia had legitimate concerns in 1997.",
            "2019-03-30",
            set(),
        ),
        (
            "NATO met. Albania received an invitation to the gala dinner in April.",
            "2019-03-30",
            set(),
        ),
        (  # the count does not fit the countries named
            "NATO met in Prague. Estonia and Latvia were invited to join NATO in November 2002."
            " The three countries joined on Monday.",
            "2004-03-30",
            {("EST", "invite", "", "2002-11"), ("LVA", "invite", "", "2002-11")},
        ),
        (  # a recalled invitation after an accession is an event too (an earlier step of
            # the same process, under the real-news labelling rules), dated by its summit
            "NATO grew. Albania and Croatia joined NATO on Wednesday. Both countries were invited"
            " at last April's summit.",
            "2009-04-02",
            {
                ("ALB", "accede", "", "2009-04-01"),
                ("HRV", "accede", "", "2009-04-01"),
                ("ALB", "invite", "", "2008-04"),
                ("HRV", "invite", "", "2008-04"),
            },
        ),
    ],
)
def test_round6_negative(text: str, pub: str, want: set[tuple[str, str, str, str]]) -> None:
    assert events(text, pub) == want
