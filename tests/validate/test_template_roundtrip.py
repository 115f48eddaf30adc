"""The blank workbook of `pilier-eco template`, filled as a user would, passes `check`."""

from __future__ import annotations

from datetime import date

import openpyxl

from toolkit.io.template import make_template
from toolkit.validate import check


def _row_of(ws, label):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def test_blank_template_only_lacks_what_the_user_must_fill(tmp_path):
    report = check(make_template(tmp_path / "modele.xlsx", qpv=["QP011002"]))
    assert report.readable
    assert {i.code for i in report.errors} <= {"champ-manquant", "feuille-vide"}
    assert report.rows_comment > 0  # the grey # examples are recognised


def test_filled_template_is_usable(tmp_path):
    path = make_template(tmp_path / "modele.xlsx", qpv=["QP011002"])
    wb = openpyxl.load_workbook(path)
    t = wb["Territoire"]
    t.cell(_row_of(t, "Typologie"), 2, "Ville moyenne")
    t.cell(_row_of(t, "Date du diagnostic"), 2, date(2024, 3, 31))
    a = wb["Actions"]
    a.append(["COM_MANAGER", None, None, None, 4, 4, 60000])
    a.append(["LIBRE", "Marché de nuit", "Commerce", "COMMERCE", 3, 5])
    wb.save(path)
    report = check(path)
    assert report.exit_code == 0, [i.format() for i in report.errors]
    assert [x.code for x in report.workbook.actions] == ["COM_MANAGER", "LIBRE"]
    assert report.workbook.territoire.communes == ("11069",)
