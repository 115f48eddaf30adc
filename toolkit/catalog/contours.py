"""Quartier contours, read and projected once: GeoJSON (WGS 84) in, plane shapes in metres out.

    contours = packaged_contours()               # the 105 QPV of Occitanie, 2015 geography (data/contours/)
    contours = load_contours("qpv-2024.geojson") # a file the user brings (e.g. the official 2024 perimeters)
    contours.shape("QP011005").rings             # Lambert-93 metres, ready for an SVG path

Projections: each quartier in the official plane projection of where it lies (`ZONES`), so that a scale bar
drawn from its metres is right.
- Mainland France and Corsica: Lambert-93 (EPSG:2154: conformal conic on the GRS80 ellipsoid, standard parallels
  44° and 49°, origin 3° E / 46.5° N, false easting 700 km and northing 6 600 km; formulas of IGN's note NTG_71);
  scale error from −0.1 % (46.5° N) to +0.3 % (southern Corsica), at most +0.17 % in Occitanie.
- Overseas départements: the UTM zone of their official system (Antilles: RGAF09 / UTM 20 N, EPSG:5490; Guyane:
  RGFG95 / UTM 22 N, EPSG:2972; La Réunion: RGR92 / UTM 40 S, EPSG:2975; Mayotte: RGM04 / UTM 38 S, EPSG:4471),
  transverse Mercator by Snyder's series (USGS Professional Paper 1395, 1987, p. 61); scale error under 0.1 %.
These systems and WGS 84 differ by far less than the data's own precision (10⁻⁴ degree, about 10 m). A map
draws the quartiers of one zone only (a territory lies in one); the regional map of the observatory is
Lambert-93, so it names the overseas territories instead of placing them. A feature outside every zone is left
aside (and counted) rather than drawn wrong.

Pure data out (frozen dataclasses of floats): the report draws them (`report/maps.py`) and never reads a file.
A bad file raises `ContoursError`, whose `problem` is the toolkit's one located problem type, in French.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

from ..problems import ERROR, Problem, problem
from ..resources import data_dir

#: A user file larger than this is refused before it is parsed (the national 2024 file is about 30 Mo).
MAX_BYTES = 64 * 1024 * 1024
#: Vertices kept in all, a bound on memory and drawing time (the national 2024 file has about 1,5 million).
MAX_POINTS = 3_000_000
#: Mainland France and Corsica, with a margin (longitude, latitude in degrees).
METROPOLE = (-5.8, 41.2, 10.0, 51.3)
#: Name of the projection of mainland shapes, the only one the regional map uses.
LAMBERT93 = "Lambert-93"

PACKAGED = "contours/qp_occitanie_2015.geojson"
PACKAGED_SOURCE = "contours des QPV 2015, data.gouv.fr, via Toulouse DataViz Hackaviz 2021"

_CODE_KEYS = ("code_qp", "code_quartier", "codeqp", "code_qpv", "qp", "code")
_NAME_KEYS = ("nom_qp", "lib_qp", "libelle_qp", "nom_quartier", "nom", "lib", "name")
_COMMUNE_KEYS = ("code_commune", "insee_com", "code_insee", "insee", "commune_insee")


class ContoursError(ValueError):
    """A contours file that cannot be used; `problem` says why and what to do, in French."""

    def __init__(self, p: Problem) -> None:
        super().__init__(p.format())
        self.problem = p


Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class QuartierShape:
    """One quartier: its code, name, main commune and rings (exterior then holes), in metres of `projection`
    (the plane projection of its zone, named as the map's caption names it)."""

    code: str
    nom: str
    commune: str | None
    rings: tuple[Ring, ...]
    projection: str = LAMBERT93

    @property
    def mainland(self) -> bool:
        """In Lambert-93 (mainland France and Corsica), the plane of the observatory's regional map."""
        return self.projection == LAMBERT93

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [x for r in self.rings for x, _ in r]
        ys = [y for r in self.rings for _, y in r]
        return min(xs), min(ys), max(xs), max(ys)

    @cached_property
    def centre(self) -> tuple[float, float]:
        """Area-weighted centroid of the exterior rings (the bounding box centre for a degenerate shape)."""
        a_sum = cx = cy = 0.0
        for ring in self.rings:
            a, x, y = _ring_centroid(ring)
            if a > 0:  # exterior rings are counted by absolute area; holes are small enough to ignore here
                a_sum += a
                cx += a * x
                cy += a * y
        if a_sum <= 0:
            x0, y0, x1, y1 = self.bbox
            return (x0 + x1) / 2, (y0 + y1) / 2
        return cx / a_sum, cy / a_sum


@dataclass(frozen=True)
class Contours:
    """Projected quartier shapes by code, with the citation of the file they come from."""

    source: str
    shapes: tuple[QuartierShape, ...]
    hors_zone: int = 0  # features left aside: outside France (mainland, Corsica and the overseas départements)
    _by_code: dict[str, QuartierShape] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._by_code.update({s.code.upper(): s for s in self.shapes})

    def shape(self, code: str | None) -> QuartierShape | None:
        if not code:
            return None
        return self._by_code.get(code.strip().upper())

    def for_quartiers(self, codes) -> tuple[QuartierShape, ...]:
        """The shapes of these codes that exist, in the order given."""
        return tuple(s for c in codes if (s := self.shape(c)) is not None)


# ------------------------------------------------------------------------------------------ projection

_A = 6378137.0  # GRS80
_E = 0.0818191910428158
_LON0 = math.radians(3.0)
_X0, _Y0 = 700000.0, 6600000.0


def _t(phi: float) -> float:
    s = math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - _E * s) / (1 + _E * s)) ** (_E / 2)


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)


_P1, _P2, _P0 = math.radians(44.0), math.radians(49.0), math.radians(46.5)
_N = (math.log(_m(_P1)) - math.log(_m(_P2))) / (math.log(_t(_P1)) - math.log(_t(_P2)))
_F = _m(_P1) / (_N * _t(_P1) ** _N)
_RHO0 = _A * _F * _t(_P0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """WGS 84 degrees -> Lambert-93 metres (x east, y north)."""
    rho = _A * _F * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


_E2 = _E * _E
_EP2 = _E2 / (1 - _E2)
# meridian arc coefficients (Snyder 3-21)
_M1 = 1 - _E2 / 4 - 3 * _E2**2 / 64 - 5 * _E2**3 / 256
_M2 = 3 * _E2 / 8 + 3 * _E2**2 / 32 + 45 * _E2**3 / 1024
_M3 = 15 * _E2**2 / 256 + 45 * _E2**3 / 1024
_M4 = 35 * _E2**3 / 3072


def utm(lon: float, lat: float, zone: int, south: bool) -> tuple[float, float]:
    """WGS 84 degrees -> UTM metres of `zone` (x east, y north; false northing 10 000 km in the south), GRS80.

    Snyder's series (8-9, 8-10): millimetre-exact within 3° of the central meridian, which covers each overseas
    département in its official zone."""
    phi, k0 = math.radians(lat), 0.9996
    lam = math.radians(lon - (zone * 6 - 183))
    s, c = math.sin(phi), math.cos(phi)
    n = _A / math.sqrt(1 - _E2 * s * s)
    t = (s / c) ** 2
    cc = _EP2 * c * c
    a = lam * c
    m = _A * (_M1 * phi - _M2 * math.sin(2 * phi) + _M3 * math.sin(4 * phi) - _M4 * math.sin(6 * phi))
    x = k0 * n * (a + (1 - t + cc) * a**3 / 6 + (5 - 18 * t + t * t + 72 * cc - 58 * _EP2) * a**5 / 120)
    y = k0 * (
        m
        + n
        * (s / c)
        * (
            a * a / 2
            + (5 - t + 9 * cc + 4 * cc * cc) * a**4 / 24
            + (61 - 58 * t + t * t + 600 * cc - 330 * _EP2) * a**6 / 720
        )
    )
    return 500000.0 + x, y + (10_000_000.0 if south else 0.0)


@dataclass(frozen=True)
class Zone:
    """Where a quartier lies (a box in degrees, with a margin) and the plane projection its map uses there."""

    nom: str
    box: tuple[float, float, float, float]  # longitude min, latitude min, longitude max, latitude max
    projection: str  # as the map's caption says it
    project: Callable[[float, float], tuple[float, float]]

    def holds(self, points: list[tuple[float, float]]) -> bool:
        lon0, lat0, lon1, lat1 = self.box
        return all(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in points)


#: The zones a quartier can lie in, tried in this order (mainland first: nearly every file is mostly mainland).
ZONES: tuple[Zone, ...] = (
    Zone("France métropolitaine et Corse", METROPOLE, LAMBERT93, lambert93),
    Zone("Antilles", (-63.5, 14.2, -60.6, 18.3), "UTM fuseau 20 Nord", lambda x, y: utm(x, y, 20, south=False)),
    Zone("Guyane", (-54.8, 2.0, -51.4, 6.0), "UTM fuseau 22 Nord", lambda x, y: utm(x, y, 22, south=False)),
    Zone("La Réunion", (55.1, -21.5, 55.9, -20.8), "UTM fuseau 40 Sud", lambda x, y: utm(x, y, 40, south=True)),
    Zone("Mayotte", (44.9, -13.1, 45.4, -12.5), "UTM fuseau 38 Sud", lambda x, y: utm(x, y, 38, south=True)),
)


def zone_of(points: list[tuple[float, float]]) -> Zone | None:
    """The zone holding every point (longitude, latitude), None when none does."""
    return next((z for z in ZONES if z.holds(points)), None)


def _ring_centroid(ring: Ring) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, 0.0, 0.0
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


# ------------------------------------------------------------------------------------------ reading


def _fail(template: str, file: str, **params: object) -> ContoursError:
    # the params are the template's own fields (never `cell` or `sheet`, which a GeoJSON does not have)
    # mypy cannot match `**params: object` to problem()'s typed keywords; the templates' fields are texts
    return ContoursError(problem(ERROR, template, file=file, **params))  # type: ignore[arg-type]  # see above


def _prop(props: dict, keys: tuple[str, ...]) -> str | None:
    lower = {str(k).lower(): v for k, v in props.items()}
    for k in keys:
        v = lower.get(k)
        if v is not None and str(v).strip():
            return str(v).strip()
    return None


def parse_geojson(data: object, file: str, source: str) -> Contours:
    """A GeoJSON FeatureCollection of (Multi)Polygons in WGS 84 -> projected Contours; ContoursError otherwise."""
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise _fail("contours-inutilisables/pas-geojson", file)
    crs = (((data.get("crs") or {}).get("properties") or {}).get("name") or "").upper()
    if crs and not any(k in crs for k in ("CRS84", "4326")):
        raise _fail("contours-inutilisables/projection", file, crs=crs)
    shapes: dict[str, QuartierShape] = {}
    points = hors_zone = without_code = 0
    for feature in data["features"]:
        if not isinstance(feature, dict):
            continue
        geom = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        kind = geom.get("type")
        coords = geom.get("coordinates")
        if kind not in ("Polygon", "MultiPolygon") or not isinstance(coords, list):
            continue
        code = _prop(props, _CODE_KEYS) if isinstance(props, dict) else None
        if not code:
            without_code += 1
            continue
        polys = coords if kind == "MultiPolygon" else [coords]
        rings: list[Ring] = []
        try:
            flat = [(float(p[0]), float(p[1])) for poly in polys for ring in poly for p in ring]
        except (TypeError, ValueError, IndexError):
            raise _fail("contours-inutilisables/pas-geojson", file) from None
        if not flat:
            continue
        points += len(flat)
        if points > MAX_POINTS:
            raise _fail(
                "contours-inutilisables/trop-gros", file, taille=f"plus de {MAX_POINTS:,} sommets".replace(",", " ")
            )
        if any(abs(x) > 180 or abs(y) > 90 for x, y in flat[:50]):
            raise _fail("contours-inutilisables/metres", file)
        zone = zone_of(flat)
        if zone is None:
            hors_zone += 1
            continue
        for poly in polys:
            for ring in poly:
                projected = tuple((round(x, 1), round(y, 1)) for x, y in (zone.project(p[0], p[1]) for p in ring))
                if len(projected) >= 3:
                    rings.append(projected)
        name = _prop(props, _NAME_KEYS) or code
        commune = _prop(props, _COMMUNE_KEYS)
        key = code.upper()
        if key not in shapes:
            shapes[key] = QuartierShape(code.upper(), name, commune, tuple(rings), zone.projection)
        elif shapes[key].projection == zone.projection:  # one quartier in several features: rings joined
            shapes[key] = replace(shapes[key], rings=shapes[key].rings + tuple(rings))
        else:  # the same code in two zones: a faulty file; the first part is kept, this one counted aside
            hors_zone += 1
    if not shapes:
        if hors_zone:
            raise _fail("contours-inutilisables/hors-france", file)
        if without_code:
            raise _fail("contours-inutilisables/sans-code", file, cles=", ".join(_CODE_KEYS[:3]))
        raise _fail("contours-inutilisables/vide", file)
    return Contours(source=source, shapes=tuple(shapes.values()), hors_zone=hors_zone)


def load_contours(path: str | Path) -> Contours:
    """A user's GeoJSON of quartier contours, checked (size, format, coordinates) and projected once."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _fail("contours-inutilisables/introuvable", name) from None
    except OSError as exc:
        raise _fail("contours-inutilisables/illisible", name, erreur=exc.strerror or exc) from None
    if path.is_dir():
        raise _fail("contours-inutilisables/introuvable", name)
    if size > MAX_BYTES:
        raise _fail(
            "contours-inutilisables/trop-gros",
            name,
            taille=f"{size / 1e6:.0f} Mo ; au plus {MAX_BYTES // (1024 * 1024)} Mo",
        )
    try:
        data = json.loads(path.read_bytes())
    except (UnicodeDecodeError, ValueError):
        raise _fail("contours-inutilisables/pas-geojson", name) from None
    except OSError as exc:
        raise _fail("contours-inutilisables/illisible", name, erreur=exc.strerror or exc) from None
    return parse_geojson(data, name, f"{name} (fichier fourni)")


@cache
def packaged_contours() -> Contours:
    """The 2015 contours of Occitanie's 105 quartiers, shipped in `data/contours/` (read once)."""
    path = data_dir() / PACKAGED
    return parse_geojson(json.loads(path.read_bytes()), path.name, PACKAGED_SOURCE)
