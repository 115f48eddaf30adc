"""Maps as a reader sees them: the portrait draws the quartiers' perimeters with names and a scale bar, says in
words which quartier has no contour, and a user's GeoJSON replaces the packaged contours."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace

import pytest
from pdf_helpers import pdf_text

from tests.report_factories import sample_diagnostic
from toolkit.catalog.contours import lambert93, load_contours, packaged_contours
from toolkit.model import Quartier
from toolkit.report.view import build_view

from .conftest import ROOT, run


def _svg(markup: str) -> str:
    uri = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', str(markup)).group(1)
    return base64.b64decode(uri).decode("utf-8")


#: One place per zone (longitude, latitude) and the EPSG code of the official system its map uses.
PLACES = [
    ((2.3522, 48.8566), 2154, "Lambert-93"),  # Paris
    ((2.3536, 43.2130), 2154, "Lambert-93"),  # Carcassonne
    ((9.4500, 42.7000), 2154, "Lambert-93"),  # Bastia
    ((9.1600, 41.4000), 2154, "Lambert-93"),  # Bonifacio area: Lambert-93's largest scale error
    ((-61.5330, 16.2410), 5490, "UTM fuseau 20 Nord"),  # Pointe-à-Pitre
    ((-61.0700, 14.6100), 5490, "UTM fuseau 20 Nord"),  # Fort-de-France
    ((-52.3300, 4.9400), 2972, "UTM fuseau 22 Nord"),  # Cayenne
    ((-54.0300, 5.5000), 2972, "UTM fuseau 22 Nord"),  # Saint-Laurent-du-Maroni, 3° from the zone's meridian
    ((55.4500, -20.8800), 2975, "UTM fuseau 40 Sud"),  # Saint-Denis
    ((45.2300, -12.7800), 4471, "UTM fuseau 38 Sud"),  # Mamoudzou
]


def _feature(code: str, lon: float, lat: float, d: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Feature", "properties": {"code_qp": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


@pytest.mark.parametrize(("place", "epsg", "projection"), PLACES)
def test_each_quartier_is_projected_as_the_official_system_of_its_zone_does(place, epsg, projection):
    """Against PROJ (pyproj), the reference implementation no one here wrote: same metres to the centimetre."""
    from pyproj import Transformer

    from toolkit.catalog.contours import parse_geojson

    shape = parse_geojson({"type": "FeatureCollection", "features": [_feature("QN00000N", *place)]}, "f", "s").shapes[0]
    assert shape.projection == projection
    expected = Transformer.from_crs(4326, epsg, always_xy=True).transform(*place)
    # rings are kept to the decimetre: the data's own precision is about 10 m
    assert abs(shape.rings[0][0][0] - expected[0]) < 0.1 and abs(shape.rings[0][0][1] - expected[1]) < 0.1
    if epsg == 2154:
        assert lambert93(*place) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(("place", "epsg", "projection"), PLACES)
def test_a_scale_bar_drawn_from_the_metres_is_right_everywhere(place, epsg, projection):
    """The map's scale bar is metres of the plane: a 1 km segment on the ground stays 1 km within 0.35 % (the
    worst is Lambert-93 at its edges: +0.3 % in southern Corsica; UTM overseas stays within 0.1 %)."""
    from pyproj import Geod

    from toolkit.catalog.contours import parse_geojson

    lon, lat = place
    shape = parse_geojson({"type": "FeatureCollection", "features": [_feature("QN00000N", lon, lat)]}, "f", "s")
    (x0, y0), (x1, y1) = shape.shapes[0].rings[0][:2]  # the south edge, 0.01° of longitude
    _, _, ground = Geod(ellps="GRS80").inv(lon, lat, lon + 0.01, lat)
    error = abs(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / ground - 1)
    assert error < (0.0035 if projection == "Lambert-93" else 0.0011)


def test_an_overseas_quartier_gets_its_map_in_its_own_projection():
    from toolkit.catalog.contours import parse_geojson

    contours = parse_geojson(
        {
            "type": "FeatureCollection",
            "features": [_feature("QN97401M", 55.45, -20.89), _feature("QP011005", 2.35, 43.2)],
        },
        "c.geojson",
        "c.geojson (fichier fourni)",
    )
    diag = sample_diagnostic("bedarieux")
    t = replace(diag.territoire, quartiers=(Quartier("QN97401M", "Quartier réunionnais (illustratif)"),))
    shapes = contours.for_quartiers(["QN97401M"])
    view = build_view(
        replace(diag, territoire=t, definitions=replace(diag.definitions, contours=shapes, contours_source="c.geojson"))
    )
    svg = _svg(view.carte).replace("\u00a0", " ").replace("\u202f", " ")
    assert "1. QN97401M (QN97401M)" in svg and view.carte_absente == ""  # named as the file names it
    assert "projection UTM fuseau 40 Sud" in svg and "Lambert" not in svg
    assert re.search(r">\d+ (m|km)<", svg)  # the scale bar


def test_a_file_outside_france_is_refused_but_an_overseas_only_file_is_not():
    from toolkit.catalog.contours import ContoursError, parse_geojson

    overseas = parse_geojson(
        {"type": "FeatureCollection", "features": [_feature("QN97101M", -61.53, 16.24)]}, "g.geojson", "g"
    )
    assert [s.projection for s in overseas.shapes] == ["UTM fuseau 20 Nord"] and overseas.hors_zone == 0
    mixed = parse_geojson(
        {"type": "FeatureCollection", "features": [_feature("QN97101M", -61.53, 16.24), _feature("X1", -73.9, 40.7)]},
        "g.geojson",
        "g",
    )
    assert len(mixed.shapes) == 1 and mixed.hors_zone == 1  # New York left aside, and counted
    with pytest.raises(ContoursError, match="aucun contour en France, métropole ou départements d'outre-mer"):
        parse_geojson({"type": "FeatureCollection", "features": [_feature("X1", -73.9, 40.7)]}, "ny.geojson", "ny")


def test_carcassonne_portrait_draws_its_five_quartiers_with_names_scale_and_source():
    view = build_view(sample_diagnostic("carcassonne"))
    svg = _svg(view.carte)
    for name in (
        "La Conte - Ozanam",
        "Le Viguier - Saint-Jacques",
        "Bastide Pont-Vieux",
        "Fleming La Reille",
        "Grazailles",
    ):
        assert name in svg
    assert (
        svg.count('class="quartier"') == 5
        and re.search(r">\d+ km<", svg.replace("\u00a0", " ").replace("\u202f", " "))
        and ">N<" in svg
    )
    assert "contours des QPV 2015" in svg and view.carte_absente == ""
    assert str(view.carte).count("data:image/svg+xml") == 1  # one image, allowed by the PDF fetcher:
    assert any(u in str(view.carte) for u in view.data_uris)


def test_a_quartier_without_contour_is_named_instead_of_drawing_nothing():
    diag = sample_diagnostic("bedarieux")
    t = replace(diag.territoire, quartiers=(Quartier("QN03401M", "Quartier 2024 inconnu"),))
    # as `diagnose` leaves it with the packaged contours: no shape, no source named
    view = build_view(
        replace(diag, territoire=t, definitions=replace(diag.definitions, contours=(), contours_source=""))
    )
    assert view.carte is None
    assert "Carte non dessinée : aucun contour pour Quartier 2024 inconnu (QN03401M)" in view.carte_absente
    assert "périmètres officiels (fichier GeoJSON de data.gouv.fr)" in view.carte_absente
    assert "--" not in view.carte_absente  # read by élus: no command option (issue 25 § 14)

    none = replace(
        diag, territoire=replace(diag.territoire, quartiers=()), definitions=replace(diag.definitions, contours=())
    )
    assert "aucun code de quartier" in build_view(none).carte_absente


def test_user_contours_replace_the_packaged_ones_and_missing_quartiers_are_listed(tmp_path):
    shape = packaged_contours().shape("QP011005")
    source = json.loads((ROOT / "toolkit" / "data" / "contours" / "qp_occitanie_2015.geojson").read_text("utf-8"))
    (feature,) = [f for f in source["features"] if f["properties"]["code_qp"] == "QP011005"]
    feature["properties"] = {"CODE_QP": "QP011005", "lib_qp": "Fleming (périmètre fourni)"}
    mine = tmp_path / "mes-contours.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    loaded = load_contours(mine)
    assert loaded.shape("qp011005").rings == shape.rings and loaded.source == "mes-contours.geojson (fichier fourni)"

    out = tmp_path / "carcassonne.html"
    run(
        "diagnose",
        str(ROOT / "sample_data" / "carcassonne.xlsx"),
        "--contours",
        str(mine),
        "-o",
        str(tmp_path / "c.pdf"),
        "--html",
        str(out),
    )
    html = out.read_text(encoding="utf-8")
    assert "Sans contour disponible, donc absent de la carte : La Conte - Ozanam (QP011002)" in html.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
    svg = "".join(
        base64.b64decode(u).decode() for u in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    )
    assert "Fleming (périmètre fourni)" in svg and "mes-contours.geojson" in svg
    text = " ".join(pdf_text(tmp_path / "c.pdf").split())
    assert text.count("Sans contour disponible") == 1  # said once, under the map, not also inside it


def test_a_user_contours_file_without_the_quartier_is_named_and_not_asked_for_again(tmp_path):
    """Issue 27 audit § 2: the user gave a file; the report names it, and does not ask for the file just given."""
    source = json.loads((ROOT / "toolkit" / "data" / "contours" / "qp_occitanie_2015.geojson").read_text("utf-8"))
    mine = tmp_path / "perimetres-2024.geojson"
    carcassonne = [f for f in source["features"] if f["properties"]["code_qp"] == "QP011005"]
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": carcassonne}), encoding="utf-8")
    out = tmp_path / "vauvert.html"
    workbook = str(ROOT / "sample_data" / "vauvert.xlsx")
    run("diagnose", workbook, "--contours", str(mine), "-o", str(tmp_path / "v.pdf"), "--html", str(out))
    html = " ".join(out.read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ").split())
    said = re.search(r"Carte non dessinée : [^<]*", html).group(0).replace("’", "'")
    assert "aucun contour pour Les Costières (QP030015)" in said and "perimetres-2024.geojson" in said
    assert "Vérifiez que ce fichier couvre ce territoire" in said
    assert "Occitanie" not in said and "fournissez" not in said


@pytest.mark.parametrize("sample", ["bedarieux", "vauvert"])
def test_each_sample_portrait_has_its_map_in_the_pdf(sample, tmp_path):

    pdf = tmp_path / f"{sample}.pdf"
    run("diagnose", str(ROOT / "sample_data" / f"{sample}.xlsx"), "-o", str(pdf))
    text = " ".join(pdf_text(pdf).split())
    assert "projection Lambert-93" in text
    assert {"bedarieux": "1. Centre Ville (QP034020)", "vauvert": "1. Les Costières (QP030015)"}[sample] in text


# ----------------------------------------------------------------------------- the regional map's labels

#: Territories a few kilometres apart (longitude, latitude), as a regional base holds them.
CLOSE = {
    "Blagnac": (1.393, 43.641),
    "Colomiers": (1.336, 43.611),
    "Toulouse – Le Mirail": (1.402, 43.574),
    "Cugnaux": (1.344, 43.537),
    "Muret": (1.327, 43.462),
    "Lunel": (4.136, 43.676),
    "Vauvert": (4.277, 43.694),
    "Sète": (3.697, 43.403),
    "Frontignan": (3.756, 43.448),
    "Carcassonne": (2.353, 43.213),
    "Bédarieux": (3.157, 43.615),
}
SVG = "{http://www.w3.org/2000/svg}"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font_width():
    """The real advance width of a text in DejaVu Sans (the maps' font), from the font file itself."""
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU)
    cmap, hmtx, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return lambda text, size: sum(hmtx[cmap[ord(c)]][0] for c in text if ord(c) in cmap) / em * size


def _map_parts(svg: str):
    """(the map's frame, labels as (text, box), markers' boxes, north arrow and scale bar boxes, text under it)."""
    import xml.etree.ElementTree as ET

    width = _font_width()
    root = ET.fromstring(svg)
    frame_el = root.find(f"{SVG}rect")
    frame = (
        float(frame_el.get("x")),
        float(frame_el.get("y")),
        float(frame_el.get("x")) + float(frame_el.get("width")),
        float(frame_el.get("y")) + float(frame_el.get("height")),
    )

    def text_box(el):
        size, x, y = float(el.get("font-size")), float(el.get("x")), float(el.get("y"))
        w = width(el.text, size)
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[el.get("text-anchor", "start")]
        return (x0, y - 0.93 * size, x0 + w, y + 0.24 * size)

    def shape_box(el):
        tag = el.tag.removeprefix(SVG)
        if tag == "circle":
            cx, cy, r = (float(el.get(k)) for k in ("cx", "cy", "r"))
            return (cx - r, cy - r, cx + r, cy + r)
        if tag == "rect":
            x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
            return (x, y, x + w, y + h)
        points, at = [], (0.0, 0.0)  # a path: M/L absolute, l relative
        for op, a, b in re.findall(r"([MLl])\s*(-?[\d.]+),(-?[\d.]+)", el.get("d")):
            at = (float(a), float(b)) if op in "ML" else (at[0] + float(a), at[1] + float(b))
            points.append(at)
        xs, ys = zip(*points, strict=True)
        return (min(xs), min(ys), max(xs), max(ys))

    labels, markers, fixed = [], [], []
    for g in root.iter(f"{SVG}g"):
        kind = g.get("class", "")
        if kind.startswith("territoire"):
            for el in g:
                if el.tag == f"{SVG}text":
                    labels.append((el.text, text_box(el)))
                elif el.tag not in (f"{SVG}title", f"{SVG}line"):  # a number's leader line is no marker
                    markers.append(shape_box(el))
        elif kind in ("north", "scale-bar"):
            boxes = [text_box(el) if el.tag == f"{SVG}text" else shape_box(el) for el in g]
            fixed.append(tuple(f(b[i] for b in boxes) for i, f in enumerate((min, min, max, max))))
    below = " ".join(el.text for el in root.findall(f"{SVG}text")).replace("\u00a0", " ").replace("\u202f", " ")
    return frame, labels, markers, fixed, below


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _check_labels(points, chart) -> None:
    frame, labels, markers, fixed, below = _map_parts(chart.svg)
    for i, (text, box) in enumerate(labels):
        assert frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3], text
        assert not any(_overlap(box, other) for _, other in labels[i + 1 :]), f"{text} chevauche une étiquette"
        assert not any(_overlap(box, m) for m in markers), f"{text} chevauche un repère"
        assert not any(_overlap(box, f) for f in fixed), f"{text} chevauche la flèche du nord ou l'échelle"
    for m in markers:
        assert not any(_overlap(m, f) for f in fixed), "un repère sous la flèche du nord ou l'échelle"
    named = {t for t, _ in labels}
    numbers = dict(re.findall(r"(\d+)\. ([^;.]+?)(?: ;|\.)", below.split("Numéros sur la carte :")[-1]))
    for p in points:  # every territory named, beside its marker or by its number under the map
        assert p.label in named or (
            p.label in numbers.values() and {n for n, t in numbers.items() if t == p.label} <= named
        )


def test_close_territories_get_labels_that_do_not_collide_or_a_number_named_under_the_map():
    """Issue 27 audit § 5: Blagnac and Colomiers, Lunel and Vauvert, Sète and Frontignan each get a readable label
    (never over another label, a marker, the north arrow or the scale bar), else a number named under the map."""
    from toolkit.report.maps import MapPoint, regional_map

    points = [MapPoint(name, *lambert93(lon, lat), "depart") for name, (lon, lat) in CLOSE.items()]
    context = [s.centre for s in packaged_contours().shapes if s.mainland]
    chart = regional_map(points, context, "contours des QPV 2015")
    _check_labels(points, chart)
    labels = _map_parts(chart.svg)[1]
    assert {"Blagnac", "Colomiers", "Lunel", "Vauvert", "Sète", "Frontignan"} <= {t for t, _ in labels}
    assert regional_map(points, context, "contours des QPV 2015").svg == chart.svg  # deterministic

    crowded = [MapPoint(f"Quartier {i}", *lambert93(1.40 + 0.004 * i, 43.60), "en-cours") for i in range(8)]
    far = MapPoint("Perpignan", *lambert93(2.89, 42.69), "prete")
    dense = regional_map([*crowded, far], [], "test")
    _check_labels([*crowded, far], dense)
    assert "Numéros sur la carte : 1. Quartier" in " ".join(dense.svg.split())


def test_territories_at_the_corners_of_a_small_contours_file_keep_clear_of_the_north_arrow_and_scale():
    """With a user's file covering two territories only, they sit at the corners where the north arrow and the
    scale bar are drawn: neither their markers nor their labels go under them."""
    from toolkit.report.maps import MapPoint, regional_map

    points = [
        MapPoint("Carcassonne", *lambert93(2.353, 43.213), "prete"),
        MapPoint("Bédarieux", *lambert93(3.157, 43.615), "depart"),
    ]
    chart = regional_map(points, [], "perimetres.geojson (fichier fourni)")
    _check_labels(points, chart)
    assert {t for t, _ in _map_parts(chart.svg)[1]} == {"Carcassonne", "Bédarieux"}


def test_territories_of_one_commune_are_labelled_by_their_names_and_each_label_sits_by_its_own_marker():
    """Issue 27 re-audit § 2: four territories of Montpellier are labelled (or numbered) by their own names —
    « Mosson », not « 2. Montpellier ; 3. Montpellier » — and no name is read as another marker's: « Sète »
    nearer its own marker than Agde's (a name set apart has a leader line)."""
    import xml.etree.ElementTree as ET

    from toolkit.report.maps import MapPoint, _gap, regional_map, text_box
    from toolkit.report.observatoire import _distinct_labels

    places = {
        "Montpellier – Mosson": (3.818, 43.620),
        "Montpellier – Celleneuve": (3.832, 43.615),
        "Montpellier – Petit Bard Pergola": (3.845, 43.607),
        "Montpellier – Vert-Bois": (3.866, 43.628),
        "Sète – Centre Ville - Ile Sud": (3.697, 43.404),
        "Agde – Centre Ville": (3.475, 43.311),
        "Frontignan – Les Deux Pins": (3.756, 43.449),
    }
    raw = [MapPoint(n.split(" – ")[0], *lambert93(lon, lat), "depart", n) for n, (lon, lat) in places.items()]
    points = _distinct_labels(raw, {})
    assert [p.label for p in points] == [
        "Mosson",
        "Celleneuve",
        "Petit Bard Pergola",
        "Vert-Bois",
        "Sète",
        "Agde",
        "Frontignan",
    ]
    chart = regional_map(points, [s.centre for s in packaged_contours().shapes if s.mainland], "contours")
    _check_labels(points, chart)
    assert "Montpellier ;" not in chart.svg and "Montpellier." not in chart.svg
    svg = "{http://www.w3.org/2000/svg}"
    groups = [g for g in ET.fromstring(chart.svg).iter(f"{svg}g") if g.get("class", "").startswith("territoire")]
    centres = [(float(c.get("cx")), float(c.get("cy"))) for g in groups for c in g.iter(f"{svg}circle")]
    assert len(centres) == len(points)
    for g in groups:
        t = g.find(f"{svg}text")
        if t is None or g.find(f"{svg}line") is not None:  # numbered under the map, or joined by a leader line
            continue
        box = text_box(t.text, float(t.get("x")), float(t.get("y")), t.get("text-anchor", "start"), 8)
        (own,) = [(float(c.get("cx")), float(c.get("cy"))) for c in g.iter(f"{svg}circle")]
        nearest = min(centres, key=lambda c: _gap(box, *c))
        assert nearest == own, f"« {t.text} » est plus près d'un autre repère que du sien"


def test_the_regional_map_s_text_agrees_with_its_numbers_and_says_what_is_off_the_map():
    """Audit (issue 27): « Carte des 1 territoires placés : 1 actions en retard » — the text alternative is
    read aloud; and with territories left off the map, the legend counts what is on it."""
    from toolkit.report.maps import MapPoint, regional_map

    one = [MapPoint("Vauvert", 810000.0, 6290000.0, "en-retard")]
    chart = regional_map(one, [], "contours")
    assert chart.alt.startswith("Carte des territoires (1 territoire placé) : actions en retard : 1")
    assert "1 territoires" not in chart.alt and "1 actions" not in chart.alt
    off = regional_map(one, [], "contours", unplaced=["Lunel"])
    svg = off.svg.replace("\u00a0", " ").replace("\u202f", " ")  # French typography's no-break spaces
    assert "actions en retard : 1 sur la carte" in svg and "1 sans contour, non placés" in off.alt


def test_the_web_page_gives_the_map_key_in_html_with_the_numbered_territories(sample_base):
    """Issue 27 re-audit § 5: on a phone the SVG's key is ≈ 6 px high: the web page gives it as HTML under the
    map (states with their counts, the numbered territories with their numbers); the PDF keeps the SVG's."""
    import html

    import toolkit as pe
    from toolkit.report.maps import MapPoint, regional_map
    from toolkit.report.observatoire import (
        build_observatory_view,
        map_key,
        observatory_body,
        render_observatory_html,
    )
    from toolkit.suivi.observatory import observe

    crowded = [
        MapPoint(f"Quartier {i}", *lambert93(1.40 + 0.004 * i, 43.60), "en-cours", f"Toulouse – Quartier {i}")
        for i in range(8)
    ]
    far = MapPoint("Perpignan", *lambert93(2.89, 42.69), "prete")
    key = map_key(regional_map([*crowded, far], [], "test"), 10)
    assert {code: n for code, _, n in key.states} == {"prete": 1, "en-cours": 8, "en-retard": 0, "depart": 0}
    assert key.numbers and [n for n, _ in key.numbers] == list(range(1, len(key.numbers) + 1))
    assert {name for _, name in key.numbers} <= {f"Toulouse – Quartier {i}" for i in range(8)}  # full names
    assert key.partial and key.state_text("en cours", 8) == "en cours : 8 sur la carte"  # 9 placed of 10

    from toolkit.catalog.contours import packaged_contours

    with pe.open_base(sample_base, readonly=True) as b:
        view = build_observatory_view(observe(b), contours=packaged_contours())
    assert view.map_key is not None and not view.map_key.partial
    body = " ".join(str(observatory_body(view)).replace("\u202f", " ").replace("\u00a0", " ").split())
    legend = re.search(r'<div class="legende-carte">(.*?)</div>', body)
    assert legend is not None
    for _, label, n in view.states:
        assert f"{label} : {n}</li>" in html.unescape(legend.group(1)).replace("’", "'"), label
    assert "legende-carte" not in render_observatory_html(view)  # the PDF: the SVG's own key
