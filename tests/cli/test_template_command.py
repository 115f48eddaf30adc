"""`pilier-eco template`: writes the workbook, pre-fills from --qpv/--donnees, French errors and exit 1."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.io.template import HEADER_ROW
from toolkit.typography import french_text

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["template", *args])


def _indicator_codes(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["Indicateurs"]
    return [
        r[0].value for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value and not str(r[0].value).startswith("#")
    ]


def test_writes_blank_template(tmp_path):
    out = tmp_path / "classeur.xlsx"
    result = run(str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file() and "pilier-eco check" in result.output
    assert _indicator_codes(out) == []


def test_prefills_with_several_codes_after_one_flag(tmp_path):
    out = tmp_path / "carcassonne.xlsx"
    result = run(str(out), "--qpv", "QP011002", "QP011003", "--qpv", "qp011004")
    assert result.exit_code == 0, result.output
    assert all(c in result.output for c in ("QP011002", "QP011003", "QP011004"))
    ws = openpyxl.load_workbook(out)["Territoire"]
    pop = next(
        ws.cell(r, 2).value
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(r, 1).value == "Population des quartiers"
    )
    assert pop == 2060 + 1862 + 3775
    assert "EMPLOI_15_64" in _indicator_codes(out)


def test_unknown_code_exit_1_with_suggestion_and_no_file(tmp_path):
    out = tmp_path / "x.xlsx"
    result = run(str(out), "--qpv", "QP011002", "QP01102")
    assert result.exit_code == 1
    assert "QP01102" in result.output and "QP011002" in result.output and "vouliez-vous dire" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"travail en cours")
    result = run(str(out))
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_bytes() == b"travail en cours"
    assert run(str(out), "--force").exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Lisez-moi"


def test_refuses_other_extensions_and_stray_arguments(tmp_path):
    result = run(str(tmp_path / "c.ods"))
    assert result.exit_code == 1 and ".xlsx" in result.output
    result = run(str(tmp_path / "c.xlsx"), "QP011002")
    assert result.exit_code == 1 and "--qpv" in result.output
    assert not (tmp_path / "c.xlsx").exists()


def test_other_region_data_file(tmp_path):
    data = tmp_path / "qp_autre.csv"
    data.write_text(
        "code_qp,nom_qp,nom_commune,pop_mun,tx_tot_empl,tp60,nbetab\n"
        "QP999001,Les Tilleuls,Ailleurs,1000,40,50,20\n"
        "QP999002,Le Port,Ailleurs,3000,60,,40\n",
        encoding="utf-8",
    )
    out = tmp_path / "autre.xlsx"
    result = run(str(out), "--qpv", "QP999001,QP999002", "--donnees", str(data))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    rows = {r[0].value: [c.value for c in r] for r in wb["Indicateurs"].iter_rows(min_row=HEADER_ROW + 1) if r[0].value}
    assert rows["EMPLOI_15_64"][2] == 55.0  # (40×1000 + 60×3000) / 4000
    assert rows["PAUVRETE"][2] == 50.0 and "1 QPV sur 2" in rows["PAUVRETE"][9]
    assert rows["ETAB_1000_HAB"][2] == 15.0
    readme = " ".join(str(c.value) for c in wb["Lisez-moi"]["A"] if c.value)
    # communes unknown outside the bundled contours: the user is told to complete them
    assert french_text("À compléter : Commune de QP999001 inconnue") in readme


def test_bad_data_file_is_a_french_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(str(tmp_path / "o.xlsx"), "--qpv", "QP999001", "--donnees", str(bad))
    assert result.exit_code == 1 and "colonnes manquantes" in result.output
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    result = run(str(tmp_path / "o.xlsx"), "--qpv", "QP999001", "--donnees", str(binary))
    assert result.exit_code == 1 and "illisible" in result.output
    result = run(str(tmp_path / "o.xlsx"), "--qpv", "QP999001", "--donnees", str(tmp_path / "absent.csv"))
    assert result.exit_code == 1 and "introuvable" in result.output
    assert not (tmp_path / "o.xlsx").exists()
