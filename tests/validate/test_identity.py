"""Issue 22 point 8: the territory is one place — commune, département, QPV codes, EPCI, partners and
populations agree, or `check` says where they do not (located warnings, exit code unchanged)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

import toolkit as pe
from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _edit(tmp_path: Path, sample: str, changes: dict[str, object], acteur: str | None = None) -> Path:
    path = tmp_path / f"{sample}.xlsx"
    shutil.copy(ROOT / "sample_data" / f"{sample}.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Territoire"]
    for row in ws.iter_rows():
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    if acteur is not None:
        acteurs = wb["Acteurs"]
        acteurs.append([acteur, "Association", "Accompagnement", 2, "Non"])
    wb.save(path)
    return path


def _codes(path: Path) -> dict[str, list]:
    out: dict[str, list] = {}
    for i in pe.check(path).issues:
        out.setdefault(i.code, []).append(i)
    return out


def test_samples_have_no_identity_warning():
    for sample in ("bedarieux", "carcassonne", "vauvert"):
        codes = _codes(ROOT / "sample_data" / f"{sample}.xlsx")
        assert not {
            k for k in codes if k.endswith("-autre-departement") or k in ("population-incoherente", "epci-different")
        }, sample


def test_a_commune_of_another_departement_is_located(tmp_path: Path):
    path = _edit(tmp_path, "carcassonne", {"Communes": "11069 ; 34172"})  # Montpellier beside Carcassonne
    found = _codes(path)["commune-autre-departement"]
    assert found[0].sheet == "Territoire" and found[0].cell and "Montpellier" in found[0].message
    assert pe.check(path).exit_code == 0  # a warning: exit code unchanged


def test_a_qpv_code_and_an_epci_of_another_departement(tmp_path: Path):
    path = _edit(
        tmp_path,
        "carcassonne",
        {
            "Quartiers prioritaires": "QP011002 – La Conte ; QP034020 – Mosson",
            "EPCI": "Montpellier Méditerranée Métropole",
        },
    )
    codes = _codes(path)
    assert "QP034020" in codes["quartier-autre-departement"][0].message
    epci = codes["epci-different"][0]
    assert epci.cell and epci.sheet == "Territoire"
    assert (
        "« Montpellier Méditerranée Métropole » : les communes du territoire appartiennent à CA Carcassonne "
        "Agglo (SIREN 200035715)" in epci.message
    )


def test_the_epci_is_checked_against_the_communes_official_one(tmp_path: Path):
    """Short names a chargé de mission types designate their EPCI; a neighbour's name does not."""
    from toolkit.catalog.communes import commune, epci, same_epci

    grand_orb = epci(commune("34028").epci)
    assert grand_orb is not None and grand_orb.nom == "CC Grand Orb Communauté de Communes en Languedoc"
    for typed in ("CC Grand Orb", "Grand Orb", "Communauté de communes Grand Orb", "200042646"):
        assert same_epci(typed, grand_orb), typed
    for typed in ("CC Grand Orb Hérault", "CC du Grand Pic Saint-Loup", "CC", "Orb et Taurou"):
        assert not same_epci(typed, grand_orb), typed

    path = _edit(tmp_path, "bedarieux", {"EPCI": "CC Avant-Monts"})  # a neighbouring EPCI of the Hérault
    (found,) = _codes(path)["epci-different"]
    assert "CC Grand Orb Communauté de Communes en Languedoc (SIREN 200042646)" in found.message
    assert found.cell and str(found.cell).endswith("7") and pe.check(path).exit_code == 0


def test_communes_without_an_epci_fall_back_to_the_place_names(tmp_path: Path):
    """Saint-Martin (a collectivité with quartiers prioritaires) belongs to no EPCI: the EPCI's name is still
    checked for a commune of another département."""
    path = _edit(
        tmp_path,
        "carcassonne",
        {"Communes": "97801", "Département": "978", "EPCI": "Montpellier Méditerranée Métropole"},
    )
    assert "epci-different" not in _codes(path)
    assert "montpellier" in _codes(path)["epci-autre-departement"][0].message.lower()


def test_a_partner_of_another_departement_is_located(tmp_path: Path):
    path = _edit(tmp_path, "carcassonne", {}, acteur="Mission locale de Montpellier")
    found = _codes(path)["partenaire-autre-departement"]
    assert found[0].sheet == "Acteurs" and found[0].cell and "Mission locale de Montpellier" in found[0].message


def test_populations_that_disagree_between_sheets(tmp_path: Path):
    path = _edit(tmp_path, "carcassonne", {"Population des quartiers": 25000})
    found = _codes(path)["population-incoherente"]
    assert found and "25 000" in found[0].message and found[0].cell


def test_suivi_enregistrer_warns_about_a_snapshot_without_a_qpv_code(tmp_path: Path):
    path = _edit(tmp_path, "vauvert", {"Quartiers prioritaires": None})
    res = runner.invoke(app, ["suivi", "enregistrer", str(path), "--base", str(tmp_path / "s.sqlite")])
    assert res.exit_code == 0, res.output
    assert "sans code de quartier prioritaire" in res.output
    ok = runner.invoke(app, ["suivi", "enregistrer", str(ROOT / "sample_data" / "vauvert.xlsx"), "--base",
                             str(tmp_path / "t.sqlite")])  # fmt: skip
    assert "sans code de quartier prioritaire" not in ok.output
