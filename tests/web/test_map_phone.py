"""The map on a phone and across history: markers for states too small to see, a hatch for
"also MNNA" that reads in greyscale and matches its legend swatch, the chosen date in ISO,
and notes for what the map cannot show (modern borders before 1990-10-03, dates before 1947,
the future)."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from typing import Any

import pytest

from allies.web import views


def test_path_box_reads_absolute_and_relative_paths() -> None:
    assert views.path_box("M10 20l5 0 0 5-5 0z") == (10.0, 20.0, 15.0, 25.0)
    assert views.path_box("M0 0L4 3H9V-2zm1 1l1 1") == (0.0, -2.0, 9.0, 3.0)
    assert views.path_box("") == (0.0, 0.0, 0.0, 0.0)


def test_small_states_get_markers(client: Any) -> None:
    small = views.small_shapes()
    assert {"BEL", "LUX", "NLD", "QAT", "KWT", "ISR"} <= set(small)
    assert not {"USA", "DEU", "FRA", "COL"} & set(small)
    data = client.get("/index.json?on=2022-06-01").json()
    cat = {r["iso3"]: r["category"] for r in data["countries"]}
    page = client.get("/?on=2022-06-01").text
    markers = dict(re.findall(r'id="k-([A-Z]{3})" data-marker-for="[A-Z]{3}" '
                              r'data-category="([a-z]+)"', page))
    assert set(markers) == set(small)
    for iso3, c in markers.items():
        assert c == cat.get(iso3, "none"), iso3
    assert markers["BEL"] == "nato" and markers["QAT"] == "mnna"
    x, y = small["BEL"]
    assert f'<circle cx="{x}" cy="{y}" r="3.5" class="dot marker s-nato" id="k-BEL"' in page


def _css_colour(name: str) -> str:
    css = resources.files("allies").joinpath("static/style.css").read_text("utf-8")
    if name.startswith("--"):
        m = re.search(rf"{name}: (#[0-9a-f]{{6}})", css)
    else:
        m = re.search(rf"\.{name} {{ fill: (#[0-9a-f]{{6}}); }}", css)
    assert m, name
    return m.group(1)


def _grey(h: str) -> float:
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b  # what a greyscale print keeps


def test_also_mnna_hatch_reads_in_greyscale(client: Any) -> None:
    page = client.get("/?on=2022-06-01").text
    pat = re.search(r'<pattern id="p-mnna"[^>]*>(.*?)</pattern>', page)
    assert pat, "no MNNA pattern"
    classes = re.findall(r'class="(pk-[a-z]+)"', pat.group(1))
    assert classes == ["pk-edge", "pk-light"]  # dark and light bands, no colour blend
    dark, light = _grey(_css_colour("--edge")), _grey(_css_colour("pk-light"))
    assert light - dark >= 0.8  # black and white bands: a hatch on any fill, in greyscale
    # the legend swatch is the same overlay on the same fill as on the map
    assert ('<rect class="s-treaty" width="10" height="10"/><rect class="mk mk-mnna" '
            'width="10" height="10"/>') in page
    assert 'class="mk mk-mnna" id="m-COL"' in page


@pytest.mark.parametrize(
    "url,ids",
    [
        ("/?on=2022-06-01", ["on"]),
        ("/country/COL?on=2022-06-01", ["on"]),
        ("/framework/mnna?on=2022-06-01", ["on"]),
        ("/frameworks?on=2022-06-01", ["on"]),
        ("/changes?since=2022-01-01&until=2022-06-01", ["since", "until"]),
    ],
)
def test_date_inputs_show_the_date_in_iso(client: Any, url: str, ids: list[str]) -> None:
    page = client.get(url).text
    for i in ids:
        value = re.search(rf'<input type="date" id="{i}" name="{i}" value="([\d-]+)"', page)
        assert value, (url, i)
        out = f'<output class="iso-date" for="{i}" id="{i}-iso">{value.group(1)}</output>'
        assert out in page


GDR = "before 3 October 1990 Germany's shape includes the former GDR"


@pytest.mark.parametrize(
    "on,want",
    [
        ("1960-01-01", [GDR]),
        ("1990-10-02", [GDR]),
        ("1990-10-03", []),
        ("2022-06-01", []),
        ("1930-01-01", ["is before 1947, where the record starts", GDR]),
    ],
)
def test_map_notes(client: Any, on: str, want: list[str]) -> None:
    notes = client.get(f"/index.json?on={on}").json()["notes"]
    assert len(notes) == len(want)
    for note, piece in zip(notes, want, strict=True):
        assert piece in note
    page = client.get(f"/?on={on}").text
    shown = re.findall(r'<li class="note">([^<]*)</li>', page)
    assert [n.replace("&#39;", "'") for n in shown] == [f"{n}." for n in notes]


def test_future_date_note_is_the_apis(client: Any, ledger: Any) -> None:
    on = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    notes = client.get(f"/index.json?on={on}").json()["notes"]
    assert notes == ledger.status("COL", on)["warnings"]
