"""`serve --contours`: the web page's reports and the observatory draw the quartiers from the user's GeoJSON
(e.g. the official 2024 perimeters), as `diagnose --contours` does; a bad file stops the start in French."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from toolkit.catalog.contours import load_contours
from toolkit.cli.app import app as cli
from toolkit.config import Config
from toolkit.web import WebSettings, create_app

from .conftest import SAMPLE, Browser, TestClient

ROOT = Path(__file__).resolve().parents[2]


def _my_contours(tmp_path: Path) -> Path:
    """Fleming's packaged perimeter under another name: the one quartier of Carcassonne this file draws."""
    source = json.loads((ROOT / "toolkit" / "data" / "contours" / "qp_occitanie_2015.geojson").read_text("utf-8"))
    (feature,) = [f for f in source["features"] if f["properties"]["code_qp"] == "QP011005"]
    feature["properties"] = {"CODE_QP": "QP011005", "lib_qp": "Fleming (périmètre de la ville)"}
    mine = tmp_path / "perimetres-equipe.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return mine


def test_the_page_reports_draw_the_contours_the_server_was_given(tmp_path) -> None:
    config = replace(Config(), contours=load_contours(_my_contours(tmp_path)))
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, config=config))
    with TestClient(app, follow_redirects=False) as client:
        browser = Browser(client)
        r = browser.post_file("/api/diagnose", SAMPLE)
        assert r.status_code == 202, r.text
        preview = client.get(f"/taches/{r.json()['tache']}/apercu").text  # written by the server before the PDF
    svg = "".join(
        base64.b64decode(u).decode() for u in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", preview)
    )
    assert "Fleming (périmètre de la ville)" in svg and "perimetres-equipe.geojson" in svg
    text = preview.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Sans contour disponible, donc absent de la carte : La Conte - Ozanam (QP011002)" in text


def test_a_file_that_is_not_geojson_stops_serve_in_french_before_it_listens(tmp_path) -> None:
    bad = tmp_path / "contours.geojson"
    bad.write_text("ceci n'est pas du GeoJSON", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--contours", str(bad), "--dossier", str(tmp_path / "web")])
    assert result.exit_code == 2
    out = result.output
    assert "Contours :" in out and "Rien n'a été écrit." in out and "Traceback" not in out
    assert not (tmp_path / "web").exists()  # stopped before creating anything
