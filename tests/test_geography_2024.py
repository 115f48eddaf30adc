"""Geography 2024 (QN… codes) seen from the user's side: template, --donnees, check, similar territories.

The INSEE-layout files below are built by the tests; their figures are illustrative, never real.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import toolkit as pe
from toolkit.catalog import packaged_catalogue
from toolkit.catalog.qpv import geography, packaged_metadata
from toolkit.cli.app import app
from toolkit.model import Quartier
from toolkit.plan.similar import similar_territories

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

# INSEE 2024 layout: semicolons, CODGEO/LIBGEO, Filosofi variables suffixed with the year, decimal commas.
INSEE_2024_CSV = """CODGEO;LIBGEO;LIB_COM;INSEE_COM;POP_MUN;DISP_TP6021;DISP_MED21
QN03001M;Quartier illustratif A;Vauvert;30341;3000;45,6;12100
QN03002N;Quartier illustratif B;Nîmes;30189;1000;s;11800
"""


@pytest.mark.parametrize(
    "code, geo",
    [
        ("QP034020", "2015"),
        ("qn03001m", "2024"),
        ("QN02A01I", "2024"),
        ("QN0300M", None),
        ("QP11002", None),
        ("QN03001X", None),
    ],
)
def test_geography_of_a_code(code, geo):
    assert geography(code) == geo


def test_packaged_data_states_its_geography_and_vintages():
    meta = packaged_metadata()
    assert meta.geographie == "2015"
    assert "revenus 2017" in meta.millesimes and "démographie 2015" in meta.millesimes
    assert "2015" in meta.mention() and "8243167" in meta.geographie_2024_url


def test_template_with_a_qn_code_gives_a_blank_workbook_and_says_how_to_prefill(tmp_path: Path):
    out = tmp_path / "vauvert-2024.xlsx"
    res = runner.invoke(app, ["template", str(out), "--qpv", "QN03001M"])
    assert res.exit_code == 0, res.output
    assert out.exists()
    assert "vierge" in res.output and "https://www.insee.fr/fr/statistiques/8243167" in res.output
    assert "--donnees" in res.output and "QN03001M" in res.output
    assert "vouliez-vous dire" not in res.output and "QP0" not in res.output
    wb = openpyxl.load_workbook(out)
    values = {r[0].value: r[1].value for r in wb["Territoire"].iter_rows(min_row=1) if r[0].value}
    assert not values.get("Quartiers prioritaires")


def test_a_mistyped_qn_code_is_never_answered_with_a_2015_code(tmp_path: Path):
    res = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--qpv", "QN0300M"])
    assert res.exit_code == 1
    assert "QP0" not in res.output


def test_a_qn_code_with_a_wrong_last_letter_is_named_as_malformed(tmp_path: Path):
    res = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--qpv", "QN03401A"])
    assert res.exit_code == 1 and not (tmp_path / "x.xlsx").exists()
    assert "« QN03401A » — ce n'est pas un code valide de la géographie 2024" in res.output
    assert "N, M ou I" in res.output and "QP0" not in res.output


def _prefilled(path: Path) -> tuple[dict, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    terr = {r[0].value: r[1].value for r in wb["Territoire"].iter_rows() if r[0].value}
    rows = [
        tuple(c.value for c in r)
        for r in wb["Indicateurs"].iter_rows()
        if r[0].value and not str(r[0].value).startswith("#")
    ]
    return terr, rows


def test_donnees_in_the_insee_2024_csv_layout_prefills_the_workbook(tmp_path: Path):
    data = tmp_path / "donnees_qpv_2024.csv"
    data.write_text(INSEE_2024_CSV, encoding="utf-8")
    out = tmp_path / "q.xlsx"
    res = runner.invoke(app, ["template", str(out), "--qpv", "QN03001M", "--donnees", str(data)])
    assert res.exit_code == 0, res.output
    terr, rows = _prefilled(out)
    assert terr["Communes"] == "30341" and terr["Département"] == "30"
    assert "QN03001M" in terr["Quartiers prioritaires"] and terr["Population des quartiers"] == 3000
    pauvrete = next(r for r in rows if r[0] == "PAUVRETE")
    assert pauvrete[2] == 45.6
    assert pauvrete[5] is None  # the year is the user's to give, not the packaged 2017
    assert "donnees_qpv_2024.csv" in pauvrete[6] and "géographie 2024" in pauvrete[6]


def test_donnees_as_an_insee_xlsx_with_title_lines_and_secret_values(tmp_path: Path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Revenus, pauvreté et niveau de vie en 2021 - Quartiers 2024 (fichier de test, valeurs illustratives)"])
    ws.append([])
    ws.append(["code_qp", "lib_qp", "lib_com", "pop_mun", "DISP_TP6021", "DISP_MED21"])
    ws.append(["QN03002N", "Quartier illustratif B", "Nîmes", 1000, "s", 11800])
    data = tmp_path / "filosofi_qp24.xlsx"
    book.save(data)
    out = tmp_path / "b.xlsx"
    res = runner.invoke(app, ["template", str(out), "--qpv", "QN03002N", "--donnees", str(data)])
    assert res.exit_code == 0, res.output
    _, rows = _prefilled(out)
    codes = {r[0]: r for r in rows}
    assert "PAUVRETE" not in codes  # secret, never a zero
    assert codes["NIVEAU_VIE_MEDIAN"][2] == 11800


def test_unknown_code_in_a_2024_file_suggests_2024_codes_only(tmp_path: Path):
    data = tmp_path / "d.csv"
    data.write_text(INSEE_2024_CSV, encoding="utf-8")
    res = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--qpv", "QN03001N", "--donnees", str(data)])
    assert res.exit_code == 1
    assert "QN03001M" in res.output and "géographie 2024" in res.output and "QP0" not in res.output


def test_documented_format_still_works_for_another_region(tmp_path: Path):
    src = ROOT / "toolkit" / "data" / "insee" / "qp_occitanie.csv"
    data = tmp_path / "autre.csv"
    shutil.copy(src, data)
    res = runner.invoke(app, ["template", str(tmp_path / "a.xlsx"), "--qpv", "QP034020", "--donnees", str(data)])
    assert res.exit_code == 0, res.output


def _set_quartiers(path: Path, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Territoire"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Quartiers prioritaires")
    row[1].value = value
    wb.save(path)


def test_check_warns_when_a_qn_workbook_carries_2015_figures(tmp_path: Path):
    path = tmp_path / "vauvert.xlsx"
    shutil.copy(ROOT / "sample_data" / "vauvert.xlsx", path)
    assert not [i for i in pe.check(path).issues if i.code == "geographies-melangees"]
    _set_quartiers(path, "QN03001M – Costières et centre-ville")
    res = runner.invoke(app, ["check", str(path)])
    assert "geographies-melangees" in res.output or "géographie 2015" in res.output
    warnings = [i for i in pe.check(path).issues if i.code == "geographies-melangees"]
    assert warnings and all(i.level == "avertissement" for i in warnings)
    assert all(i.sheet == "Indicateurs" and i.cell for i in warnings)
    assert "QN03001M" in warnings[0].message and "2015" in warnings[0].message


def test_similar_territories_never_offer_a_qn_workbook_its_own_2015_perimeter():
    wb = pe.read(ROOT / "sample_data" / "vauvert.xlsx")
    qn = replace(wb, territoire=replace(wb.territoire, quartiers=(Quartier("QN03001M", "Costières et centre-ville"),)))
    everything, _ = similar_territories(qn, top=200, catalogue=CAT)
    assert "QP030015" not in {s.code for s in everything}
    elsewhere = replace(qn, territoire=replace(qn.territoire, communes=("30189",)))
    assert "QP030015" in {s.code for s in similar_territories(elsewhere, top=200, catalogue=CAT)[0]}
