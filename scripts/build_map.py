"""Build src/allies/static/world_paths.json: SVG path strings of the world's countries.

Source: Natural Earth 1:110m admin-0 countries (public domain) as TopoJSON in the npm package
``world-atlas`` (ISC). Countries too small for 1:110m (Bahrain, Singapore, the Pacific and
Caribbean islands...) are taken from the 1:50m file as points (a projected centroid), so the
map can still show them as dots.

    cd /tmp && npm pack world-atlas && mkdir -p wa && tar xzf world-atlas-*.tgz -C wa
    .venv/bin/python scripts/build_map.py /tmp/wa/package

Projection: Robinson (table interpolation), coordinates rounded to 0.1 unit, relative path
commands. The web page renders these paths server-side; nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "allies" / "static" / "world_paths.json"
WIDTH = 1000.0
SKIP = {"ATA"}  # Antarctica: no statuses, a lot of ink

# Robinson table: latitude 0..90 step 5 -> (X, Y)
_ROB = [
    (1.0000, 0.0000),
    (0.9986, 0.0620),
    (0.9954, 0.1240),
    (0.9900, 0.1860),
    (0.9822, 0.2480),
    (0.9730, 0.3100),
    (0.9600, 0.3720),
    (0.9427, 0.4340),
    (0.9216, 0.4958),
    (0.8962, 0.5571),
    (0.8679, 0.6176),
    (0.8350, 0.6769),
    (0.7986, 0.7346),
    (0.7597, 0.7903),
    (0.7186, 0.8435),
    (0.6732, 0.8936),
    (0.6213, 0.9394),
    (0.5722, 0.9761),
    (0.5322, 1.0000),
]
_XMAX = 0.8487 * math.pi  # x of lon=180 at the equator (R=1)
SCALE = WIDTH / (2 * _XMAX)
NORTH, SOUTH = 84.0, -57.0  # crop: Antarctica is skipped


def _ry(lat: float) -> float:
    a = min(abs(lat), 90.0) / 5.0
    i = min(int(a), 17)
    f = a - i
    y0, y1 = _ROB[i][1], _ROB[i + 1][1]
    return 1.3523 * (y0 + (y1 - y0) * f) * (1 if lat >= 0 else -1)


TOP = _ry(NORTH) * SCALE
HEIGHT = round(TOP - _ry(SOUTH) * SCALE, 1)


def robinson(lon: float, lat: float) -> tuple[float, float]:
    a = min(abs(lat), 90.0) / 5.0
    i = min(int(a), 17)
    f = a - i
    xr = _ROB[i][0] + (_ROB[i + 1][0] - _ROB[i][0]) * f
    x = 0.8487 * xr * math.radians(lon)
    return (x + _XMAX) * SCALE, TOP - _ry(lat) * SCALE


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Delta-decoded, untransformed arcs as (lon, lat) lists."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs: list[list[tuple[float, float]]], idx: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in idx:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    return pts


def unwrap(r: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous along a ring (a ring crossing the antimeridian then
    leaves [-180, 180] on one side instead of jumping across the map)."""
    out = [r[0]]
    for lon, lat in r[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(r: list[tuple[float, float]], edge: float, keep_below: bool) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clip of a ring against the vertical line lon = edge."""

    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[tuple[float, float]] = []
    for i, cur in enumerate(r):
        prev = r[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(_cross(prev, cur, edge))
            out.append(cur)
        elif inside(prev):
            out.append(_cross(prev, cur, edge))
    return out


def _cross(a: tuple[float, float], b: tuple[float, float], edge: float) -> tuple[float, float]:
    t = (edge - a[0]) / (b[0] - a[0])
    return (edge, a[1] + (b[1] - a[1]) * t)


def split_antimeridian(r: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    u = unwrap(r)
    lo, hi = min(p[0] for p in u), max(p[0] for p in u)
    if lo >= -180 and hi <= 180:
        return [u]
    edge = 180.0 if hi > 180 else -180.0
    shift = -360.0 if edge > 0 else 360.0
    inner = clip(u, edge, keep_below=edge > 0)
    outer = [(lon + shift, lat) for lon, lat in clip(u, edge, keep_below=edge < 0)]
    return [x for x in (inner, outer) if len(x) >= 3]


def polygons(geom: dict[str, Any]) -> list[list[list[int]]]:
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["arcs"])
    return []


def path_of(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for r in rings:
        pts = [tuple(round(v * 10) for v in robinson(lon, lat)) for lon, lat in r]
        dedup = [pts[0]] + [p for a, p in zip(pts, pts[1:], strict=False) if p != a]
        if len(dedup) < 3:
            continue
        (x0, y0) = dedup[0]
        s = [f"M{_n(x0)} {_n(y0)}l"]
        px, py = x0, y0
        coords = []
        for x, y in dedup[1:]:
            coords.append(f"{_n(x - px)} {_n(y - py)}")
            px, py = x, y
        s.append(" ".join(coords))
        s.append("z")
        parts.append("".join(s))
    return "".join(parts).replace(" -", "-")


def _n(tenths: int) -> str:
    """Tenths as a short decimal: 123 -> 12.3, 120 -> 12, -5 -> -.5."""
    sign = "-" if tenths < 0 else ""
    a = abs(tenths)
    whole, frac = divmod(a, 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


def centroid(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Projected centroid of the largest ring (good enough for a dot)."""
    best, best_area = (0.0, 0.0), -1.0
    for r in rings:
        pts = [robinson(lon, lat) for lon, lat in r]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=False):
            c = x0 * y1 - x1 * y0
            a += c
            cx += (x0 + x1) * c
            cy += (y0 + y1) * c
        if abs(a) > best_area and a != 0:
            best_area = abs(a)
            best = (cx / (3 * a), cy / (3 * a))
        elif a == 0 and best_area < 0:
            best = pts[0]
            best_area = 0.0
    return round(best[0], 1), round(best[1], 1)


def iso3_by_numeric() -> dict[int, str]:
    from countrycode import codelist

    out = {}
    for n, c in zip(codelist["iso3n"], codelist["iso3c"], strict=True):
        if n is not None and c:
            out[int(n)] = c
    return out


def load(path: Path) -> tuple[dict[str, Any], list[list[tuple[float, float]]]]:
    topo = json.loads(path.read_text("utf-8"))
    return topo, decode_arcs(topo)


def country_rings(
    topo: dict[str, Any], arcs: list[list[tuple[float, float]]], codes: dict[int, str]
) -> dict[str, list[list[tuple[float, float]]]]:
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id")
        iso3 = codes.get(int(gid)) if gid not in (None, "") else None
        if not iso3 or iso3 in SKIP:
            continue
        rings = [ring(arcs, poly[0]) for poly in polygons(g)]  # outer rings only
        for r in rings:
            if r:
                out.setdefault(iso3, []).extend(split_antimeridian(r))
    return out


def build(src: Path) -> dict[str, Any]:
    codes = iso3_by_numeric()
    topo, arcs = load(src / "countries-110m.json")
    rings110 = country_rings(topo, arcs, codes)
    paths = {iso3: p for iso3, rs in sorted(rings110.items()) if (p := path_of(rs))}
    points: dict[str, list[float]] = {}
    fifty = src / "countries-50m.json"
    if fifty.exists():
        topo50, arcs50 = load(fifty)
        for iso3, rs in sorted(country_rings(topo50, arcs50, codes).items()):
            if iso3 not in paths and rs:
                points[iso3] = list(centroid(rs))
    return {
        "source": "Natural Earth 1:110m (points: 1:50m) admin-0 countries via npm world-atlas "
        "2.x; public domain",
        "projection": "robinson",
        "viewBox": f"0 0 {WIDTH:g} {HEIGHT:g}",
        "paths": paths,
        "points": points,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path, help="unpacked world-atlas package folder")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args()
    data = build(args.src)
    text = json.dumps(data, separators=(",", ":"), sort_keys=False)
    args.output.write_text(text + "\n", "utf-8")
    print(
        f"wrote {args.output} ({len(text) // 1024} KB, {len(data['paths'])} paths, "
        f"{len(data['points'])} points)"
    )


if __name__ == "__main__":
    main()
