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


def test_lambert93_matches_the_official_projection_of_paris():
    x, y = lambert93(2.3522, 48.8566)  # Notre-Dame area: IGN gives about (652 469, 6 862 035)
    assert abs(x - 652469) < 5 and abs(y - 6862035) < 5


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
