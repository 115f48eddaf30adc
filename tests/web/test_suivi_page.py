"""The follow-up page over HTTP: record a dropped workbook, history, revue annuelle PDF from the render pool."""

from __future__ import annotations

import time

from pdf_helpers import pdf_text

import toolkit as pe
from toolkit.typography import french_text
from toolkit.web import WebSettings, create_app

from .conftest import SAMPLE, TestClient, csrf_of


def _drop(c: TestClient, csrf: str, path, name: str | None = None):
    with open(path, "rb") as fh:
        return c.post("/suivi/enregistrer", files={"classeur": (name or path.name, fh)}, data={"csrf": csrf})


def test_without_a_base_the_page_says_how_to_get_one(tmp_path) -> None:
    with TestClient(create_app(WebSettings(data_dir=tmp_path, workers=1))) as c:
        r = c.get("/suivi")
        assert r.status_code == 200 and "relancer avec une base de suivi" in r.text and "--base" not in r.text
        assert c.post("/suivi/enregistrer", headers={"x-csrf-token": csrf_of(r.text)}).status_code == 404


def test_record_history_and_revue(tmp_path) -> None:
    base = tmp_path / "suivi.sqlite"
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(base)))
    with TestClient(app, follow_redirects=False) as c:
        page = c.get("/suivi")
        assert "Aucun instantané" in page.text
        csrf = csrf_of(page.text)
        first = _drop(c, csrf, SAMPLE)
        assert first.status_code == 200
        assert french_text("1er instantané de Carcassonne") in first.text
        again = _drop(c, csrf, SAMPLE)
        assert french_text("Déjà enregistré (1er instantané de Carcassonne") in again.text
        assert french_text("rien n'a été écrit") in again.text
        with pe.open_base(base, create=False) as b:  # the page wrote through the public functions
            rows = b.history()
        assert len(rows) == 1 and rows[0].fichier == SAMPLE.name
        assert f"<td>{SAMPLE.name}</td>" in again.text and '<option value="Carcassonne' in again.text
        # a broken workbook: the check's errors, nothing recorded
        bad = tmp_path / "casse.xlsx"
        bad.write_bytes(b"ceci n'est pas un classeur")
        refused = _drop(c, csrf, bad)
        assert refused.status_code == 422 and "casse.xlsx" in refused.text
        with pe.open_base(base, create=False) as b:
            assert len(b.history()) == 1
        # the revue annuelle: a job of the render pool, then a PDF
        r = c.post("/suivi/revue", data={"csrf": csrf, "territoire": rows[0].territoire})
        assert r.status_code == 303
        job = r.headers["location"].rsplit("/", 1)[1]
        end = time.monotonic() + 240
        while (status := c.get(f"/api/jobs/{job}").json())["etat"] not in ("termine", "echec"):
            assert time.monotonic() < end
            time.sleep(0.3)
        assert status["etat"] == "termine", status.get("message")
        pdf = c.get(next(d["url"] for d in status["telechargements"] if d["type"] == "pdf"))
        assert pdf.content.startswith(b"%PDF") and "revue-" in pdf.headers["content-disposition"]
        word = c.get(next(d["url"] for d in status["telechargements"] if d["type"] == "docx"))
        assert word.content.startswith(b"PK") and ".docx" in word.headers["content-disposition"]
        # an unknown territory fails the job with the library's French message
        r = c.post("/suivi/revue", data={"csrf": csrf, "territoire": "Atlantide"})
        job = r.headers["location"].rsplit("/", 1)[1]
        while (status := c.get(f"/api/jobs/{job}").json())["etat"] not in ("termine", "echec"):
            time.sleep(0.3)
        assert status["etat"] == "echec" and "Atlantide" in status["message"]


def test_avis_export_and_backup_from_the_page(tmp_path) -> None:
    """Issue 25 § 15: the conseil citoyen's avis and the response given go into the revue; the follow-up is
    exported and the base backed up from the page."""
    import io
    import sqlite3
    import stat

    import openpyxl

    base = tmp_path / "suivi.sqlite"
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(base)))
    with TestClient(app, follow_redirects=False) as c:
        csrf = csrf_of(c.get("/suivi").text)
        assert _drop(c, csrf, SAMPLE).status_code == 200
        with pe.open_base(base, create=False) as b:
            territoire = b.territories()[0]
        assert stat.S_IMODE(base.stat().st_mode) == 0o600  # a private base
        r = c.post(
            "/suivi/revue",
            data={
                "csrf": csrf,
                "territoire": territoire,
                "avis": "Le conseil citoyen demande un point emploi des jeunes.",
                "reponse": "Un atelier jeunesse est inscrit au plan 2027.",
            },
        )
        job = r.headers["location"].rsplit("/", 1)[1]
        end = time.monotonic() + 240
        while (status := c.get(f"/api/jobs/{job}").json())["etat"] not in ("termine", "echec"):
            assert time.monotonic() < end
            time.sleep(0.3)
        assert status["etat"] == "termine", status
        pdf = c.get(next(d["url"] for d in status["telechargements"] if d["type"] == "pdf")).content
        text = pdf_text(pdf).replace("\n", " ")
        assert "point emploi des jeunes" in text and "atelier jeunesse" in text
        xlsx = c.post("/suivi/export", data={"csrf": csrf, "territoire": territoire})
        assert xlsx.status_code == 200 and "suivi-carcassonne" in xlsx.headers["content-disposition"]
        assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
        copy = c.post("/suivi/sauvegarde", data={"csrf": csrf})
        assert copy.status_code == 200 and copy.content.startswith(b"SQLite format 3")
        saved = tmp_path / "copie.sqlite"
        saved.write_bytes(copy.content)
        assert sqlite3.connect(saved).execute("select count(*) from instantanes").fetchone()[0] == 1
