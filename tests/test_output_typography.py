"""French typography « in every output » (issue 13): the workshop kit (cards, facilitator sheet) and the
spreadsheets the tool writes (results, scoring sheet, merged `Votes` sheet, follow-up export, template).

The rule checked is the one of `typography.py`: a text is well set when `french_text` leaves it as it
is — no straight apostrophe between letters, no ordinary space before « : ; ! ? » » or after « « ». Cells kept
raw on purpose are listed below with their reason (values the tool reads back, identifiers, verbatim quotes);
the reader folds ’ and no-break spaces, which the last test proves on a workbook set in typography.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from report_factories import build_diagnostic, sample_diagnostic

from toolkit.catalog import packaged_catalogue
from toolkit.typography import french_text

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
FAULTS = (re.compile(r"\w'\w"), re.compile(r"[ \t\n][:;!?»]"), re.compile(r"«[ \t\n]"))


def faults(text: str) -> list[str]:
    return [m.group(0) for rx in FAULTS for m in rx.finditer(text)]


def well_set(text: str) -> bool:
    return french_text(text) == text and not faults(text)


# ------------------------------------------------------------------------------------------- workshop kit


class _Text(HTMLParser):
    """Text nodes of a page, without <style>, <script> and the verbatim <pre>/<code> (commands to paste)."""

    SKIP = frozenset({"style", "script", "pre", "code"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &#39; is read as the apostrophe it shows
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def bedarieux():
    from toolkit.validate import check

    report = check(SAMPLES / "bedarieux.xlsx")
    assert report.ok
    return report.workbook


def test_workshop_cards_are_in_french_typography(bedarieux):
    from toolkit.workshop.documents import cards_html
    from toolkit.workshop.items import ballot_items

    text = page_text(cards_html(ballot_items(bedarieux, CAT), bedarieux.territoire.nom))
    assert "l’emploi" in text  # the sample's labels do carry apostrophes
    assert faults(text) == []


def test_facilitator_sheet_is_in_french_typography_and_its_commands_verbatim(bedarieux, tmp_path):
    from toolkit.diagnostic import diagnose
    from toolkit.workshop.documents import facilitator_html, facilitator_view
    from toolkit.workshop.items import ballot_items

    items = ballot_items(bedarieux, CAT)
    # a folder name a shell must get back exactly as typed: no ’, no no-break space in the command
    view = facilitator_view(
        items,
        diagnose(bedarieux),
        "bedarieux.xlsx",
        merge_command="pilier-eco atelier merge bedarieux.xlsx 'kit d'\"'\"'atelier ?' -o x.xlsx",
    )
    html = facilitator_html(view)
    text = page_text(html)
    assert "l’atelier" in text and faults(text) == []
    pre = re.search(r"<pre>(.*?)</pre>", html, re.S).group(1)
    assert view.merge_command in unescape(re.sub(r"</?span[^>]*>", "", pre))


# ------------------------------------------------------------------------------------------- spreadsheets


def string_cells(path: Path, raw=lambda ws, cell: False) -> tuple[list[str], list[str]]:
    """(every text cell not kept raw, the badly set ones as `Sheet!A1 = '…'`)."""
    seen, bad = [], []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not raw(ws, cell):
                    seen.append(cell.value)
                    if not well_set(cell.value):
                        bad.append(f"{ws.title}!{cell.coordinate} = {cell.value!r}")
    return seen, bad


def _header(ws, cell) -> str:
    return str(ws.cell(1, cell.column).value)


#: Results workbook: columns of identifiers (codes, cell references) and the « Trouvé » quote of a cell.
RESULTS_RAW = {"Code", "Cellule", "Cellules", "Emplacement", "Trouvé"}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    from toolkit.report.results_xlsx import write_results

    path = tmp_path_factory.mktemp("res") / "resultats.xlsx"
    write_results(sample_diagnostic("carcassonne"), path)
    return path


def test_results_workbook_is_in_french_typography(results):
    seen, bad = string_cells(results, lambda ws, cell: cell.row > 1 and _header(ws, cell) in RESULTS_RAW)
    assert any("’" in s for s in seen) and any("\u00a0:" in s or "\u202f;" in s for s in seen)
    assert bad == []


def test_results_numbers_stay_numbers_and_raw_columns_stay_as_recorded(results):
    from toolkit.report.records import diagnostic_record

    wb = openpyxl.load_workbook(results)
    ws = wb["Enjeux"]
    scores = [ws.cell(r, 4).value for r in range(2, ws.max_row + 1)]  # Score: a number, or empty « à objectiver »
    assert all(isinstance(v, (int, float)) or v is None for v in scores) and any(scores)
    assert all(isinstance(ws.cell(r, 1).value, int) for r in range(2, ws.max_row + 1))  # Rang
    rec = diagnostic_record(sample_diagnostic("carcassonne"))
    ws = wb["Qualité des données"]
    found = [ws.cell(r, 5).value or "" for r in range(2, ws.max_row)]
    q = rec["qualite_donnees"]
    assert found == [i["trouve"] or "" for i in (*q["erreurs"], *q["avertissements"], *q["informations"])]
    levels = [ws.cell(r, 1).value for r in range(2, ws.max_row)]
    assert levels.index("information") == len(q["erreurs"]) + len(q["avertissements"])  # after the warnings


def test_results_formula_neutralising_comes_after_typography(tmp_path):
    from toolkit.report.results_xlsx import write_results

    payload = '=HYPERLINK("http://x") l\'emploi ?'
    write_results(build_diagnostic(hostile=True, payload=payload), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["Enjeux"]
    cell = ws.cell(2, 16)  # Atouts
    assert cell.value == "'" + french_text(payload) and cell.data_type == "s"
    assert cell.value.endswith("l’emploi\u202f?")


def test_workshop_sheet_is_in_french_typography(bedarieux, tmp_path):
    from toolkit.workshop.items import BallotItem, ballot_items
    from toolkit.workshop.sheet import FIRST_ROW, OBJET_COL, write_sheet

    items = (*ballot_items(bedarieux, CAT), BallotItem("action", "Marché d'été", "=l'atelier ?"))
    path = write_sheet(tmp_path / "notation.xlsx", items, "Saint-Martin-d'Hères")
    # Objet: read back by the merge (enjeu or action code, or a local action's title as typed in the workbook)
    _seen, bad = string_cells(path, lambda ws, cell: cell.row >= FIRST_ROW and cell.column == OBJET_COL)
    assert bad == []
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(1, 1).value.endswith("Saint-Martin-d’Hères")
    last = FIRST_ROW + len(items) - 1
    assert ws.cell(last, OBJET_COL).value == "Marché d'été"  # raw: what the merge matches
    assert ws.cell(last, OBJET_COL + 1).value == "'=l’atelier\u202f?"  # set, then neutralised
    prompts = [t for dv in ws.data_validations.dataValidation for t in (dv.prompt, dv.error) if t]
    assert prompts and all(well_set(t) for t in prompts)


def test_merged_votes_sheet_headings_are_in_french_typography():
    from toolkit.workshop.merge import _new_votes_sheet

    wb = openpyxl.Workbook()
    ws = _new_votes_sheet(wb)
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Votes d’atelier" in texts and all(well_set(t) for t in texts)


def test_follow_up_export_is_in_french_typography(tmp_path):
    from suivi.helpers import snapshot_of, yearly_workbook

    from toolkit.suivi import export as ex
    from toolkit.suivi.store import open_base

    follow = {"EMP_PACTE_PLEIN_EMPLOI": {"Statut (suivi)": "en cours", "Note de l'année": "Comité tenu : l'État ?"}}
    with open_base(tmp_path / "suivi.sqlite") as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025, follow_up=follow)))
        snaps = base.snapshots("Carcassonne")
    path = ex.write_xlsx(snaps, tmp_path / "plan.xlsx")

    def raw(ws, cell):
        # header row: the column keys read_xlsx reads back; other columns: codes, statuses, territory names,
        # links, file names and the method's configuration (JSON), kept as stored like the CSV
        return cell.row == 1 or _header(ws, cell) not in ex.SHOWN_COLUMNS

    seen, bad = string_cells(path, raw)
    assert "Comité tenu\u00a0: l’État\u202f?" in seen and bad == []
    back = ex.read_xlsx(path)["Actions"]
    assert "Comité tenu\u00a0: l’État\u202f?" in set(back["note"])  # read back as shown
    assert list(back.columns) == list(ex.frames(snaps)["Actions"].columns)
    assert back["score"].map(lambda v: isinstance(v, float)).all()  # numbers stay numbers
    assert ex._cell("=l'avis ?", True) == "'=l’avis\u202f?"  # typography, then neutralising


#: Template: what the reader takes back as data stays as it is.
def _template_raw(ws, cell) -> bool:
    from toolkit.io.template import FIRST_ROW

    if ws.title == "Listes":  # hidden values of the drop-downs: a list validation compares them as typed
        return True
    if cell.row < FIRST_ROW:
        return False
    first = ws.cell(cell.row, 1).value
    if ws.title == "Territoire":  # column B: the values (pre-filled from INSEE data)
        return cell.column == 2
    if ws.title == "Indicateurs":  # pre-filled indicator rows (the `#` example rows are set)
        return not str(first).startswith("#")
    if ws.title == "Gouvernance":  # the catalogue's question, read back into the diagnostic
        return cell.column == 2
    return False


def test_template_is_in_french_typography(tmp_path):
    from toolkit.io.template import make_template

    path = make_template(tmp_path / "modele.xlsx", qpv=["QP011002"], today=date(2025, 3, 1))
    seen, bad = string_cells(path, _template_raw)
    assert "Note de l’année" in seen and bad == []
    wb = openpyxl.load_workbook(path)
    prompts = [
        t
        for ws in wb.worksheets
        for dv in ws.data_validations.dataValidation
        for t in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error)
        if t
    ]
    assert any("’" in t for t in prompts) and [t for t in prompts if not well_set(t)] == []
    assert "Ville-centre d'agglomération" in [c.value for c in wb["Listes"]["A"]]  # drop-down values: raw


# ------------------------------------------------------------------------------------------- reading back


def test_a_workbook_set_in_typography_reads_like_a_straight_one(tmp_path):
    """Headers, field labels, sheet names and drop-down values with ’ and no-break spaces (as the template now
    writes them, or as Excel autocorrects them) give the same workbook as the straight ones."""
    from toolkit.validate import check

    wb = openpyxl.load_workbook(SAMPLES / "carcassonne.xlsx")
    territoire = wb["Territoire"]
    for row in territoire.iter_rows(min_row=4):
        if row[0].value == "Typologie":
            row[1].value = "Ville-centre d'agglomération"
    acteurs = wb["Acteurs"]
    acteurs.cell(5, 2).value = "Réseau pour l'emploi"
    actions = wb["Actions"]
    note = next(c.column for c in actions[3] if c.value and "Note de l" in c.value)
    actions.cell(3, note).value = "Note de l'année"
    actions.cell(6, note).value = "Une note"
    straight = tmp_path / "droit.xlsx"
    wb.save(straight)

    for ws in wb.worksheets:
        for cell in ws[3]:  # header rows
            if isinstance(cell.value, str):
                cell.value = french_text(cell.value).replace(" ", "\u00a0")
    for row in territoire.iter_rows(min_row=4):  # field labels and the typologie value
        row[0].value = french_text(row[0].value).replace(" ", "\u00a0") if row[0].value else row[0].value
    typ = next(r for r in territoire.iter_rows(min_row=4) if r[0].value == "Typologie")
    typ[1].value = french_text("Ville-centre d'agglomération")
    acteurs.cell(5, 2).value = french_text("Réseau pour l'emploi")
    wb["Lisez-moi"].title = "Mode d’emploi"
    typographic = tmp_path / "typo.xlsx"
    wb.save(typographic)

    a, b = check(straight), check(typographic)
    assert a.ok and b.ok
    assert [i.code for i in a.issues] == [i.code for i in b.issues]
    assert replace(b.workbook, source=a.workbook.source) == a.workbook
    assert a.workbook.territoire.typologie == "Ville-centre d'agglomération"
    assert any(x.type == "Réseau pour l'emploi" for x in a.workbook.acteurs)
    assert any(x.note == "Une note" for x in a.workbook.actions)
