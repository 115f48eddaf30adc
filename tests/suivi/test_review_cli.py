"""The yearly follow-up as a chargé de mission runs it: fill the columns, record each year, review, export, back up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from suivi.helpers import snapshot_of, yearly_workbook
from toolkit.suivi.review import build_review

YEAR1 = {  # situation at 31/03/2025
    "EMP_PACTE_PLEIN_EMPLOI": {"Statut (suivi)": "à venir", "Note de l'année": "Convention en préparation (2025)."},
    "MOB_PERMIS": {"Statut (suivi)": "à venir"},
    "ACC_MICROCREDIT": {
        "Statut (suivi)": "en cours",
        "Date de démarrage réelle": date(2025, 1, 15),
        "Budget engagé (€)": 10000,
    },
    "EMP_CITES_EMPLOI": {"Statut (suivi)": "en cours"},
}
YEAR2 = {  # situation at 31/03/2026
    "EMP_PACTE_PLEIN_EMPLOI": {
        "Statut (suivi)": "en cours",
        "Date de démarrage réelle": date(2025, 10, 1),
        "Note de l'année": "Premier comité des financeurs tenu (2026).",
        "Lien vers une preuve": '=HYPERLINK("http://127.0.0.1:9/x")',
    },
    "MOB_PERMIS": {"Statut (suivi)": "à venir"},  # planned to start 07/2025: late
    "ACC_MICROCREDIT": {
        "Statut (suivi)": "réalisée",
        "Date de démarrage réelle": date(2025, 1, 15),
        "Budget engagé (€)": 15000,
        "Budget réalisé (€)": 14200,
        "Indicateur de résultat": "prêts accordés",
        "Valeur du résultat": 23,
    },
    "EMP_CITES_EMPLOI": {"Statut (suivi)": "bloquée"},
}


def _target(wb) -> None:
    """A cible 2030 on the first indicator, through the template's columns."""
    ws = wb["Indicateurs"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Code")
    cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    first = next(
        r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, 1).value and not str(ws.cell(r, 1).value).startswith("#")
    )
    ws.cell(first, cols["Année cible"]).value = 2030
    ws.cell(first, cols["Valeur cible"]).value = 20


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PILIER_ECO_DEBUG": ""},
    )


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    d = tmp_path_factory.mktemp("suivi")
    y1 = yearly_workbook(d, 2025, follow_up=YEAR1, edit=_target)
    y2 = yearly_workbook(d, 2026, tweak=-1.0, follow_up=YEAR2, edit=_target)
    return d, y1, y2


def test_follow_up_columns_are_read_from_the_workbook(two_years):
    _, y1, y2 = two_years
    s1, s2 = snapshot_of(y1), snapshot_of(y2)
    micro = s2.action("ACC_MICROCREDIT")
    assert (micro.statut, micro.date_demarrage, micro.budget_engage, micro.budget_realise) == (
        "réalisée",
        date(2025, 1, 15),
        15000,
        14200,
    )
    assert micro.indicateur_resultat == "prêts accordés" and micro.valeur_resultat == 23
    assert s1.action("EMP_PACTE_PLEIN_EMPLOI").note == "Convention en préparation (2025)."
    assert s2.indicateurs[0].cible_annee == 2030 and s2.indicateurs[0].cible_valeur == 20
    assert s1.action("COM_MARCHE").statut is None  # a blank cell stays unknown


def test_typing_en_retard_is_refused_with_its_cell(tmp_path):
    import toolkit as pe

    path = yearly_workbook(tmp_path, 2026, follow_up={"MOB_PERMIS": {"Statut (suivi)": "en retard"}})
    report = pe.check(path)
    (err,) = list(report.errors)
    assert err.location.startswith("Actions!") and "calculé par pilier-eco" in err.format()


def test_review_flags_late_actions_status_changes_and_questions(two_years):
    _, y1, y2 = two_years
    r = build_review([snapshot_of(y1), snapshot_of(y2)])
    changes = {c.cle: (c.avant, c.apres) for c in r.status_changes}
    assert changes["EMP_PACTE_PLEIN_EMPLOI"] == ("à venir", "en cours")
    assert changes["ACC_MICROCREDIT"] == ("en cours", "réalisée")
    assert changes["EMP_CITES_EMPLOI"] == ("en cours", "bloquée")
    late = {a.state.cle: a.retard for a in r.late}
    assert "démarrage prévu le 01/07/2025" in late["MOB_PERMIS"]
    assert "EMP_PACTE_PLEIN_EMPLOI" not in late  # started, within its planned end
    assert (r.count("realisees"), r.budget("engage"), r.budget("realise")) == (1, 15000, 14200)
    assert any("Cité de l'emploi" in q and "bloquée" in q for q in r.questions)
    assert any("en retard" in q and "Permis" in q for q in r.questions)
    chomage = r.indicators[0]
    assert [p.situation.year for p in chomage.points] == [2025, 2026] and chomage.cible_valeur == 20


def test_end_to_end_from_the_readme(two_years, tmp_path):
    _d, y1, y2 = two_years
    base = tmp_path / "suivi.sqlite"
    out = run("suivi", "enregistrer", str(y1), "--base", str(base), cwd=tmp_path)
    assert out.returncode == 0 and "Enregistré : 1er instantané d" in out.stdout, out.stderr
    again = run("suivi", "enregistrer", str(y1), "--base", str(base), cwd=tmp_path)
    assert again.returncode == 0 and "Déjà enregistré" in again.stdout and "rien n'a été écrit" in again.stdout
    assert run("suivi", "enregistrer", str(y2), "--base", str(base), cwd=tmp_path).returncode == 0

    hist = run("suivi", "historique", "--base", str(base), "--json", cwd=tmp_path)
    rows = json.loads(hist.stdout)
    assert [r["date_situation"] for r in rows] == ["2025-03-31", "2026-03-31"]
    text = run("suivi", "historique", "--base", str(base), cwd=tmp_path).stdout
    assert "situation au 31/03/2026" in text and "2 instantanés, 1 territoire." in text

    avis = tmp_path / "avis-conseil-citoyen.txt"
    avis.write_text("Le conseil citoyen <b>demande</b> un point sur le permis.\nDeuxième ligne.", encoding="utf-8")
    pdf, html = tmp_path / "revue.pdf", tmp_path / "revue.html"
    res = run(
        "suivi",
        "bilan",
        "--base",
        str(base),
        "--territoire",
        "Carcassonne",
        "-o",
        str(pdf),
        "--html",
        str(html),
        "--avis",
        str(avis),
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    assert "revue annuelle 2026" in res.stdout
    page_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    for chapter in (
        "1. Orientations et actions du contrat",
        "2. Évolution de la situation des quartiers au regard des objectifs",
        "3. Actions menées dans l’année",
        "5. Perspectives et améliorations",
        "Annexe A. Avis reçus et suites données",
        "Questions pour le prochain comité de pilotage",
    ):
        assert chapter in page_text
    assert "Changements de statut depuis la revue précédente" in page_text
    assert "en retard" in page_text and "démarrage prévu le 01/07/2025" in page_text
    assert "Le conseil citoyen <b>demande</b> un point sur le permis." in " ".join(page_text.split())
    html_text = html.read_text(encoding="utf-8")
    assert "&lt;b&gt;demande&lt;/b&gt;" in html_text and "<b>demande" not in html_text
    assert "Premier comité des financeurs tenu (2026)." in html_text

    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.metadata.title.startswith("Contribution du volet")

    refused = run("suivi", "bilan", "--base", str(base), "--territoire", "Carcassonne", "-o", str(pdf), cwd=tmp_path)
    assert refused.returncode == 1 and "existe déjà" in refused.stderr and "--force" in refused.stderr  # as diagnose

    xlsx, csv_dir = tmp_path / "plan.xlsx", tmp_path / "csv"
    exp = run(
        "suivi",
        "export",
        "--base",
        str(base),
        "--territoire",
        "Carcassonne",
        "-o",
        str(xlsx),
        "--csv",
        str(csv_dir),
        cwd=tmp_path,
    )
    assert exp.returncode == 0, exp.stderr
    assert sorted(p.name for p in csv_dir.iterdir()) == [
        "actions.csv",
        "indicateurs.csv",
        "instantanes.csv",
        "plan.csv",
    ]

    copy = tmp_path / "sauvegarde.sqlite"
    save = run("suivi", "sauvegarde", "--base", str(base), str(copy), cwd=tmp_path)
    assert save.returncode == 0 and "Écrit (sauvegarde)" in save.stdout, save.stderr
    assert json.loads(run("suivi", "historique", "--base", str(copy), "--json", cwd=tmp_path).stdout) == rows

    unknown = run(
        "suivi", "bilan", "--base", str(base), "--territoire", "Lunel", "-o", str(tmp_path / "x.pdf"), cwd=tmp_path
    )
    assert unknown.returncode == 1 and "aucun instantané pour le territoire « Lunel »" in unknown.stderr


def test_notes_of_each_year_are_kept_and_export_reads_back_equal(two_years, tmp_path):
    from toolkit.suivi import export as ex
    from toolkit.suivi.store import open_base

    _, y1, y2 = two_years
    with open_base(tmp_path / "suivi.sqlite") as base:
        base.record(snapshot_of(y1))
        base.record(snapshot_of(y2))
        snaps = base.snapshots("Carcassonne")
    frames = ex.frames(snaps)
    notes = frames["Actions"].query("cle == 'EMP_PACTE_PLEIN_EMPLOI'")[["annee_situation", "note"]].values.tolist()
    assert notes == [[2025, "Convention en préparation (2025)."], [2026, "Premier comité des financeurs tenu (2026)."]]

    path = ex.write_xlsx(snaps, tmp_path / "plan.xlsx")
    raw = openpyxl.load_workbook(path)["Actions"]
    assert not any(c.data_type == "f" for row in raw.iter_rows() for c in row)  # the =HYPERLINK proof is text
    back = ex.read_xlsx(path)
    for name in ex.SHEETS:
        _equal(back[name], _as_shown(frames[name]))  # the XLSX reads back what people saw in it
        ex.write_csv(frames[name], tmp_path / f"{name}.csv")  # the CSV is data: exactly as stored
        _equal(ex.read_csv(tmp_path / f"{name}.csv"), frames[name])


def _as_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the free texts of the XLSX in French typography (’, no-break spaces), as write_xlsx shows them."""
    from toolkit.suivi import export as ex
    from toolkit.typography import french_text

    shown = frame.copy()
    for col in ex.SHOWN_COLUMNS & set(shown.columns):
        shown[col] = [french_text(v) if isinstance(v, str) else v for v in shown[col]]
    return shown


def _equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, same rows, same values with the same types (numbers stay numbers, dates stay dates)."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for col in expected.columns:
        for a, b in zip(got[col], expected[col], strict=False):
            a, b = _plain(a), _plain(b)
            assert a == b and type(a) is type(b), (col, a, b)


def _plain(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") and not isinstance(v, (str, date)) else v


def test_postgres_backup_uses_pg_dump(pg_server, tmp_path, two_years):
    from toolkit.suivi.store import open_base

    url = pg_server.new_database()
    with open_base(url) as base:
        base.record(snapshot_of(two_years[1]))
    dump = tmp_path / "suivi.dump"
    res = run("suivi", "sauvegarde", "--base", url, str(dump), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format, restorable with pg_restore


def _without_indicator(code: str):
    """An `edit` that turns the indicator row `code` into an ignored example row (« # … »): its enjeu, if no
    other indicator informs it, is then « à objectiver » that year."""

    def edit(wb) -> None:
        ws = wb["Indicateurs"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == code)
        ws.cell(row, 1).value = f"# {code}"

    return edit


def test_an_enjeu_a_objectiver_shows_no_score_nor_a_move_computed_from_one(tmp_path):
    """Issue 27 audit: an enjeu « à objectiver » in a year (no scored indicator names it in the snapshot, the
    observatory's rule) shows « à objectiver » in the annual review, never its perception score, its level or a
    move computed from a rank its report did not print — in the year it is so and in the year after."""
    import toolkit as pe
    from toolkit.report import formatting as fmt
    from toolkit.report.review import render_review_html
    from toolkit.suivi.snapshot import enjeu_a_objectiver, scored_enjeux

    y1 = yearly_workbook(tmp_path, 2025)
    y2 = yearly_workbook(tmp_path, 2026, tweak=-1.0, edit=_without_indicator("ETAB_1000_HAB"))  # its only one
    y3 = yearly_workbook(tmp_path, 2027, tweak=-1.5)
    s1, s2, s3 = (snapshot_of(p) for p in (y1, y2, y3))
    diag2 = pe.diagnose(pe.read(y2))
    expected = {e.code for e in diag2.enjeux if e.a_objectiver}
    assert "ENTREPRENEURIAT" in expected and "MOBILITE" in expected
    scored = scored_enjeux(i.enjeu for i in s2.indicateurs if i.score is not None)
    assert {e.code for e in s2.enjeux if enjeu_a_objectiver(e.code, e.libelle, scored)} == expected

    r2 = build_review([s1, s2])
    moves = {m.ref: m for m in r2.enjeu_moves}
    assert {c for c, m in moves.items() if m.a_objectiver} == expected  # the report's own « à objectiver »
    for code in expected:
        m = moves[code]
        assert (m.score, m.score_avant, m.apres, m.niveau) == (None, None, None, None), code
    assert moves["ENTREPRENEURIAT"].evolution == "à objectiver (rang 4 en 2025)"  # last year's printed rank
    assert moves["MOBILITE"].evolution == "à objectiver"  # à objectiver both years: no move
    assert moves["EMPLOI"].evolution == "inchangé" and moves["EMPLOI"].score is not None
    # ranked both years: a move counts only places among those, never the gap an « à objectiver » one left
    for code, m in moves.items():
        if m.avant is not None and m.apres is not None and m.score == m.score_avant:
            assert m.evolution == "inchangé", (code, m.avant, m.apres, m.evolution)
    # JEUNES (rank 2 in 2025) loses its only indicator: COMMERCE, 3rd then, is printed 2nd, at the same place
    # among the enjeux ranked both years — « inchangé », not « ▲ monte de 1 »
    (tmp_path / "b").mkdir()
    y2b = yearly_workbook(tmp_path / "b", 2026, edit=_without_indicator("NEET_16_25"))
    shifted = {m.ref: m for m in build_review([s1, snapshot_of(y2b)]).enjeu_moves}
    assert shifted["JEUNES"].a_objectiver and (shifted["COMMERCE"].avant, shifted["COMMERCE"].apres) == (3, 2)
    assert shifted["COMMERCE"].evolution == "inchangé" and shifted["EMPLOI"].evolution == "inchangé"
    assert "(s)" not in r2.summary_line() and "1 actions" not in r2.summary_line()

    r3 = build_review([s1, s2, s3])
    back = {m.ref: m for m in r3.enjeu_moves}["ENTREPRENEURIAT"]
    assert back.avant is None and back.score_avant is None and back.score is not None
    assert back.evolution == "chiffré cette année (à objectiver en 2026)"

    html = " ".join(render_review_html(r2).replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'").split())

    def row(code: str) -> tuple[str, str]:
        e = next(e for e in s2.enjeux if e.code == code)
        return html.split(f"<td>{e.libelle.replace('’', chr(39))}</td>", 1)[1].split("</tr>", 1)[0], e

    cells, mobilite = row("MOBILITE")  # 70 in the base: the perception alone, which its report never prints
    assert "à objectiver" in cells and fmt.score(mobilite.score) not in cells and mobilite.niveau not in cells
    cells, _ = row("ENTREPRENEURIAT")
    assert "à objectiver (rang 4 en 2025)" in cells and "descend" not in cells and "monte" not in cells
