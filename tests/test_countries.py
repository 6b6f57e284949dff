from __future__ import annotations

import pytest

from allies.countries import load_countries
from allies.errors import FormerState, UnknownCountry

C = load_countries()


@pytest.mark.parametrize(
    "name,iso3",
    [
        ("colombia", "COL"),
        ("COL", "COL"),
        ("CO", "COL"),
        ("Colombian", "COL"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("ROK", "KOR"),
        ("North Korea", "PRK"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Taiwan", "TWN"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("U.S.", "USA"),
        ("United States", "USA"),
        ("West Germany", "DEU"),
        ("Federal Republic of Germany", "DEU"),
        ("Czech Republic", "CZE"),
        ("North Macedonia", "MKD"),
        ("the Philippines", "PHL"),
        ("Filipino", "PHL"),
        ("Emirati", "ARE"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_resolves(name: str, iso3: str) -> None:
    assert C.resolve(name).iso3 == iso3


def test_unknown_country_suggests() -> None:
    with pytest.raises(UnknownCountry) as e:
        C.resolve("Kolombia")
    assert str(e.value) == (
        "unknown country 'Kolombia'; did you mean Colombia? (use a name, ISO2/ISO3 code or demonym)"
    )


def test_cow_codes_follow_history() -> None:
    de = C.get("DEU")
    assert (de.cow_in(1955), de.cow_in(1989), de.cow_in(1990), de.cow_in(2024)) == (
        260,
        260,
        255,
        255,
    )
    assert (C.get("USA").cow, C.get("KOR").cow, C.get("TWN").cow) == (2, 732, 713)


def test_every_alias_resolves_to_its_own_country() -> None:
    for c in C:
        for form in (c.name, *c.aliases, *c.demonyms):
            if form in ("Korean",):
                continue
            assert C.resolve(form).iso3 == c.iso3, (form, c.iso3)


@pytest.mark.parametrize(
    "name,iso3",
    [
        ("N. Korea", "PRK"),
        ("Burma", "MMR"),
        ("Kingdom of Saudi Arabia", "SAU"),
        ("Trinidad and Tobago", "TTO"),
        ("DR Congo", "COD"),
        ("la", "LAO"),
    ],
)
def test_names_resolve(name: str, iso3: str) -> None:
    assert C.resolve(name).iso3 == iso3


@pytest.mark.parametrize(
    "name", ["Not Colombia", "Sweden and Finland", "Northern Cyprus", "xx LAO yy"]
)
def test_a_name_inside_other_words_is_not_guessed(name: str) -> None:
    with pytest.raises(UnknownCountry):
        C.resolve(name)


@pytest.mark.parametrize(
    "name,successors",
    [
        ("East Germany", "Germany (DEU)"),
        ("USSR", "Russia (RUS)"),
        ("Soviet Union", "Russia (RUS)"),
        ("Czechoslovakia", "Czechia (CZE), Slovakia (SVK)"),
    ],
)
def test_former_states_say_what_to_ask_instead(name: str, successors: str) -> None:
    with pytest.raises(FormerState) as e:
        C.resolve(name)
    assert "a former state the ledger does not cover" in str(e.value)
    assert successors in str(e.value)
    assert isinstance(e.value, UnknownCountry)  # a 404 on the API, exit 1 on the CLI
