"""The JSON API and the pages without JavaScript give what the CLI gives for the same workbook."""

from __future__ import annotations

import io
import json

import openpyxl
import pypdf

import toolkit as pe
from toolkit.catalog import packaged_catalogue
from toolkit.typography import french_text

from .conftest import FIXTURES, SAMPLE

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_api_check_answers_exactly_check_json(browser) -> None:
    """The JSON of `check --json`, its advice worded for the page (no command, option or setting) and, for a
    usable workbook, the `depot` the page sends back to diagnose it."""
    from toolkit.web.service import check_payload

    for name in ("valide.xlsx", "hors_echelle.xlsx", "code_inconnu.xlsx", "valide.ods", "pas_un_zip.xlsx"):
        r = browser.post_file("/api/check", FIXTURES / name)
        assert r.status_code == 200
        got = r.json()
        assert ("depot" in got) == got["utilisable"], name
        got.pop("depot", None)
        cli = pe.check_json(pe.check(FIXTURES / name))
        assert got == check_payload(pe.check(FIXTURES / name)) and got.keys() == cli.keys(), name


def test_script_without_cookie_needs_no_token(client) -> None:
    client.cookies.clear()
    with open(FIXTURES / "hors_echelle.xlsx", "rb") as fh:
        r = client.post("/api/check", files={"classeur": ("hors_echelle.xlsx", fh)})
    assert r.status_code == 200
    body = r.json()
    assert body["utilisable"] is False
    assert [e["cellule"] for e in body["qualite_donnees"]["erreurs"]] == ["Actions!E4"]


def test_missing_file_field_is_a_french_400(browser) -> None:
    r = browser.c.post("/api/check", data={"autre": "x"}, headers={"X-CSRF-Token": browser.csrf})
    assert r.status_code == 400
    assert "Aucun fichier reçu" in r.json()["erreur"]


def test_diagnose_job_gives_pdf_xlsx_json_of_the_library(browser, tmp_path) -> None:
    r = browser.post_file("/api/diagnose", SAMPLE)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["verification"]["utilisable"] is True
    status = browser.wait(job["tache"])
    assert status["etat"] == "termine", status
    links = {d["type"]: d for d in status["telechargements"]}
    assert set(links) == {"pdf", "xlsx", "json", "html", "docx", "pptx", "note"}
    pdf = browser.c.get(links["pdf"]["url"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment")
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Carcassonne" in text
    expected = pe.to_json(pe.diagnose(pe.read(SAMPLE)))
    got = json.loads(browser.c.get(links["json"]["url"]).content)
    assert got["territoire"] == expected["territoire"]
    assert [a["code"] for a in got["actions"]] == [a["code"] for a in expected["actions"]]
    wb = openpyxl.load_workbook(io.BytesIO(browser.c.get(links["xlsx"]["url"]).content))
    assert len(wb.sheetnames) >= 2
    assert "Carcassonne" in status["resume"]
    # the editable documents of the same job, from the same render pool (issue 24)
    import docx
    import pptx

    word = browser.c.get(f"/api/jobs/{job['tache']}/docx")
    assert word.headers["content-type"].endswith("wordprocessingml.document")
    assert word.headers["content-disposition"].startswith("attachment")
    headings = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Synthèse"
    deck = pptx.Presentation(io.BytesIO(browser.c.get(f"/api/jobs/{job['tache']}/pptx").content))
    assert 10 <= len(deck.slides) <= 14
    note = browser.c.get(f"/api/jobs/{job['tache']}/note")
    assert note.headers["content-type"] == "application/pdf"
    assert len(pypdf.PdfReader(io.BytesIO(note.content)).pages) == 1


def test_a_script_can_ask_for_some_documents_only(browser) -> None:
    """`documents=pdf,xlsx`: the job makes those (with the preview and the JSON, made at once), nothing else."""
    r = browser.post_file("/api/diagnose", FIXTURES / "valide.xlsx", data={"documents": "xlsx, PDF"})
    assert r.status_code == 202, r.text
    status = browser.wait(r.json()["tache"])
    assert status["etat"] == "termine", status
    assert {d["type"] for d in status["telechargements"]} == {"pdf", "xlsx", "json", "html"}
    assert browser.c.get(f"/api/jobs/{r.json()['tache']}/docx").status_code == 404

    bad = browser.post_file("/api/diagnose", FIXTURES / "valide.xlsx", data={"documents": "pdf,odt"})
    assert bad.status_code == 422 and bad.json()["tache"] is None
    message = bad.json()["erreur"].replace("\u00a0", " ").replace("\u202f", " ")
    assert message.startswith("Documents demandés inconnus : odt. Possibles : pdf, xlsx, docx, pptx, note")


def test_unusable_workbook_starts_no_job_and_lists_errors(browser) -> None:
    r = browser.post_file("/api/diagnose", FIXTURES / "code_inconnu.xlsx")
    assert r.status_code == 422
    body = r.json()
    assert body["tache"] is None
    assert "aucun diagnostic" in body["erreur"]
    assert body["verification"] == pe.check_json(pe.check(FIXTURES / "code_inconnu.xlsx"))


def test_check_page_without_javascript_groups_issues_by_sheet(browser) -> None:
    with open(FIXTURES / "hors_echelle.xlsx", "rb") as fh:
        r = browser.c.post("/verifier", data={"csrf": browser.csrf}, files={"classeur": ("hors_echelle.xlsx", fh)})
    assert r.status_code == 200
    html = r.text
    assert "classeur à corriger" in html
    assert "<strong>Actions</strong>" in html
    assert '<span class="cellule">E4</span>' in html
    assert french_text("Attendu :") in html  # the page's French typography: no-break space before the colon


def test_check_page_lists_prefilled_rows_in_their_own_calmer_group(browser, tmp_path) -> None:
    """Issue 25, point 13: the tool's own old INSEE figures, after the warnings, in a closed group « Pour
    information » that says why nothing is asked; the sheet groups and their counts leave them out."""
    from prefilled_factories import prefilled_workbook

    from toolkit.problems import INFORMATION_NOTE

    from .conftest import shown_text, typography_faults

    path = prefilled_workbook(tmp_path / "carcassonne.xlsx")
    r = browser.post_file("/api/check", path)
    q = r.json()["qualite_donnees"]
    assert r.json()["utilisable"] is True and [i["niveau"] for i in q["informations"]] == ["information"] * 7
    with open(path, "rb") as fh:
        page = browser.c.post("/verifier", data={"csrf": browser.csrf}, files={"classeur": ("carcassonne.xlsx", fh)})
    assert page.status_code == 200
    html = page.text
    assert "classeur utilisable" in html
    assert french_text("0 erreur, 3 avertissements et 7 remarques pour information") in html
    assert "<strong>Indicateurs</strong>" not in html  # no sheet group: nothing there to correct
    group = html[html.index('<details class="feuille information">') :]
    assert html.index("<strong>Territoire</strong>") < html.index('<details class="feuille information">')
    assert "<strong>Pour information</strong>" in group and french_text(INFORMATION_NOTE) in group
    assert group.count('<li class="information"><span class="niveau">Information</span>') == 7
    assert '<span class="cellule">Indicateurs!F9</span>' in group  # the sheet is named: one group for all
    assert typography_faults(shown_text(html)) == []


def test_diagnose_form_redirects_to_job_page_with_preview(browser) -> None:
    with open(SAMPLE, "rb") as fh:
        r = browser.c.post("/diagnostic", data={"csrf": browser.csrf}, files={"classeur": ("c.xlsx", fh)})
    assert r.status_code == 303
    page = browser.c.get(r.headers["location"])
    assert page.status_code == 200
    assert 'sandbox=""' in page.text and "/apercu" in page.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    preview = browser.c.get(f"/taches/{job_id}/apercu")
    assert preview.status_code == 200 and "Carcassonne" in preview.text
    browser.wait(job_id)


def test_template_blank_and_prefilled(browser) -> None:
    blank = browser.c.get("/modele.xlsx")
    assert blank.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(blank.content))
    assert "Actions" in wb.sheetnames
    readme = " ".join(str(c.value) for row in wb["Lisez-moi"].iter_rows() for c in row if c.value)
    readme = readme.replace("\u00a0", " ").replace("\u202f", " ")  # French typography's no-break spaces
    assert "pilier-eco check" not in readme and "--qpv" not in readme  # issue 25: no command words on the web
    assert "page « Vérifier »" in readme and "page « Modèle »" in readme
    pre = browser.c.get("/modele.xlsx", params={"qpv": "QP011004, QP011005"})
    assert pre.status_code == 200
    assert 'filename="classeur-qp011004-qp011005.xlsx"' in pre.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(pre.content))
    values = [c.value for row in wb["Territoire"].iter_rows() for c in row if c.value]
    assert any("QP011004" in str(v) for v in values)


def test_template_unknown_code_is_explained(browser) -> None:
    r = browser.c.get("/modele.xlsx", params={"qpv": "QP011999"})
    assert r.status_code == 400
    assert "QP011999" in r.text and "introuvable" in r.text


def test_qpv_search_by_commune_name_and_code(browser) -> None:
    by_name = browser.c.get("/api/qpv", params={"q": "carcas"}).json()["resultats"]
    assert by_name and all(q["commune"] == "Carcassonne" for q in by_name)
    by_code = browser.c.get("/api/qpv", params={"q": "11069"}).json()["resultats"]
    assert {q["code"] for q in by_code} == {q["code"] for q in by_name}
    assert browser.c.get("/api/qpv", params={"q": "QP011004"}).json()["resultats"][0]["nom"] == "Bastide Pont-Vieux"


def test_compare_two_workbooks(browser, workbooks) -> None:
    files = [("classeurs", (p.name, p.read_bytes())) for p in workbooks[:2]]
    r = browser.c.post("/comparer", data={"csrf": browser.csrf}, files=files)
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    status = browser.wait(job_id)
    assert status["etat"] == "termine", status
    assert "2\u00a0territoires comparés" in status["resume"]  # a count held to its word
    pdf = browser.c.get(f"/api/jobs/{job_id}/pdf")
    assert pdf.content.startswith(b"%PDF")


def test_compare_refuses_a_bad_workbook_with_its_cells(browser) -> None:
    files = [("classeurs", (n, (FIXTURES / n).read_bytes())) for n in ("valide.xlsx", "hors_echelle.xlsx")]
    r = browser.c.post("/comparer", data={"csrf": browser.csrf}, files=files)
    assert r.status_code == 422
    assert "Aucune comparaison produite" in r.text and "E4" in r.text


def test_workshop_kit_then_merge(browser, tmp_path) -> None:
    with open(SAMPLE, "rb") as fh:
        r = browser.c.post(
            "/atelier/kit",
            data={"csrf": browser.csrf, "participants": "2"},
            files={"classeur": ("carcassonne.xlsx", fh)},
        )
    assert r.status_code == 303
    kit = browser.wait(r.headers["location"].rsplit("/", 1)[1])
    assert kit["etat"] == "termine", kit
    sheet = browser.c.get(next(d["url"] for d in kit["telechargements"] if d["type"] == "notation")).content
    wb = openpyxl.load_workbook(io.BytesIO(sheet))
    ws = wb.active
    header = next(r for r in range(1, 15) if any(c.value == "Note (1-5)" for c in ws[r]))
    note_col = next(c.column for c in ws[header] if c.value == "Note (1-5)")
    part_col = next(c.column for c in ws[header] if c.value == "Participant")
    for r, note in zip(range(header + 1, header + 4), (5, 4, 2), strict=False):
        ws.cell(r, note_col, note)
        ws.cell(r, part_col, "Camille")
    filled = tmp_path / "notation-camille.xlsx"
    wb.save(filled)
    files = [("classeur", ("carcassonne.xlsx", SAMPLE.read_bytes())), ("notations", (filled.name, filled.read_bytes()))]
    r = browser.c.post("/atelier/fusion", data={"csrf": browser.csrf, "pseudonymiser": "oui"}, files=files)
    assert r.status_code == 303, r.text
    merged = browser.wait(r.headers["location"].rsplit("/", 1)[1])
    assert merged["etat"] == "termine", merged
    assert "3\u00a0notes ajoutées" in merged["resume"]
    pseudo = merged["details"]["participation"][0]["participant"]
    assert pseudo.startswith("P") and pseudo[1:].isdigit()  # next free pseudonym after the workbook's own
    out = browser.c.get(f"/api/jobs/{merged['id']}/xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(out.content))
    votes = [[c.value for c in row] for row in wb["Votes"].iter_rows()]
    assert sum(1 for row in votes if pseudo in row) == 3
    assert not any("Camille" in str(v) for row in votes for v in row)


def test_merge_with_a_wrong_note_writes_nothing_and_names_the_cell(browser, tmp_path) -> None:
    from toolkit.workshop.items import ballot_items
    from toolkit.workshop.sheet import write_sheet

    wbk = pe.read(SAMPLE)
    path = write_sheet(tmp_path / "n.xlsx", ballot_items(wbk, CAT), wbk.territoire.nom, "P09")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(r for r in range(1, 15) if any(c.value == "Note (1-5)" for c in ws[r]))
    col = next(c.column for c in ws[header] if c.value == "Note (1-5)")
    ws.cell(header + 1, col, 9)
    wb.save(path)
    files = [("classeur", ("carcassonne.xlsx", SAMPLE.read_bytes())), ("notations", ("n.xlsx", path.read_bytes()))]
    r = browser.c.post("/atelier/fusion", data={"csrf": browser.csrf}, files=files)
    status = browser.wait(r.headers["location"].rsplit("/", 1)[1])
    assert status["etat"] == "echec"
    assert "aucun classeur écrit" in status["message"]
    assert any(
        "hors échelle" in e and f"{ws.cell(header + 1, col).coordinate}" in e for e in status["details"]["erreurs"]
    )
    assert not status["telechargements"]


def test_forget_me_deletes_the_session_files(app, browser) -> None:
    r = browser.post_file("/api/diagnose", FIXTURES / "valide.xlsx", data={"documents": "pdf"})
    job_id = r.json()["tache"]
    browser.wait(job_id)
    sid_dirs = list((app.state.settings.data_dir / "sessions").iterdir())
    assert sid_dirs
    r = browser.c.post("/effacer", data={"csrf": browser.csrf})
    assert r.status_code == 200 and "effacés" in r.text
    assert browser.c.get(f"/api/jobs/{job_id}").status_code == 404
    assert browser.c.get(f"/api/jobs/{job_id}/pdf").status_code == 404


def test_idle_sessions_are_purged(app, browser) -> None:
    import time as _t

    r = browser.post_file("/api/check", SAMPLE)
    assert r.status_code == 200
    store = app.state.sessions
    gone = store.purge(now=_t.time() + store.keep_seconds + 1)
    assert gone
    assert not any((store.root / g).exists() for g in gone)


def test_a_missing_sheet_is_explained_without_a_command(browser, tmp_path) -> None:
    """The command-line's « voir le modèle : pilier-eco template » is, on the page and in /api/check, the Modèle page."""
    wb = openpyxl.load_workbook(SAMPLE)
    del wb["Actions"]
    path = tmp_path / "sans_actions.xlsx"
    wb.save(path)
    cli = json.dumps(pe.check_json(pe.check(path)), ensure_ascii=False)
    assert "pilier-eco template" in cli  # the command-line keeps its words
    api = browser.post_file("/api/check", path)
    assert api.status_code == 200 and "téléchargez le modèle depuis la page Modèle" in api.text
    with open(path, "rb") as fh:
        page = browser.c.post("/verifier", data={"csrf": browser.csrf}, files={"classeur": (path.name, fh)})
    assert page.status_code == 200 and "téléchargez le modèle depuis la page Modèle" in page.text
    for r in (api, page):
        assert "pilier-eco template" not in r.text
