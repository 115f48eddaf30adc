"""Cases the long fuzz run found, kept as plain tests (see docs/securite.md)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from toolkit.validate import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_nameless_sheet_is_still_located(tmp_path):
    """A damaged workbook.xml gave a sheet the empty name: its warning had no location at all."""
    path = tmp_path / "sans_nom.xlsx"
    src = zipfile.ZipFile(FIXTURES / "valide.xlsx")
    with zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/workbook.xml":
                data = data.replace(b'name="Lisez-moi"', b'name=""')
            dst.writestr(name, data)
    report = check(path)
    assert report.exit_code == 0
    assert ("feuille-ignoree", "(feuille sans nom n° 1)") in [(i.code, i.location) for i in report.issues]
