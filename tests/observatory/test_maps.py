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
        and "1 km" in svg.replace("\u00a0", " ").replace("\u202f", " ")
        and ">N<" in svg
    )
    assert "contours des QPV 2015" in svg and view.carte_absente == ""
    assert str(view.carte).count("data:image/svg+xml") == 1  # one image, allowed by the PDF fetcher:
    assert any(u in str(view.carte) for u in view.data_uris)


def test_a_quartier_without_contour_is_named_instead_of_drawing_nothing():
    diag = sample_diagnostic("bedarieux")
    t = replace(diag.territoire, quartiers=(Quartier("QN03401M", "Quartier 2024 inconnu"),))
    view = build_view(replace(diag, territoire=t, definitions=replace(diag.definitions, contours=())))
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


@pytest.mark.parametrize("sample", ["bedarieux", "vauvert"])
def test_each_sample_portrait_has_its_map_in_the_pdf(sample, tmp_path):

    pdf = tmp_path / f"{sample}.pdf"
    run("diagnose", str(ROOT / "sample_data" / f"{sample}.xlsx"), "-o", str(pdf))
    text = " ".join(pdf_text(pdf).split())
    assert "projection Lambert-93" in text
    assert {"bedarieux": "1. Centre Ville (QP034020)", "vauvert": "1. Les Costières (QP030015)"}[sample] in text
