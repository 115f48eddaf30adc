"""The valid fixture and its .ods / .xlsm twins read into the same model."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.model import Cell
from toolkit.validate import check, read


@pytest.mark.parametrize("name", ["valide.xlsx", "valide.ods", "valide.xlsm"])
def test_valid_workbook_is_usable(fixture_path, name):
    report = check(fixture_path(name))
    assert report.exit_code == 0, [i.format() for i in report.errors]
    assert report.rows_read == report.rows_used == 32
    assert report.rows_comment == 2


def test_model_content(fixture_path):
    wb = read(fixture_path("valide.xlsx"))
    t = wb.territoire
    assert t.communes == ("11069",)
    assert t.typologie == "Ville moyenne"
    assert t.date_diagnostic == date(2024, 3, 31)
    assert t.periode == (2024, 2030)
    assert [q.code for q in t.quartiers] == ["QP011002", "QP011004"]
    assert t.population_quartiers == 5835
    chomage = wb.indicateurs[0]
    assert (chomage.code, chomage.valeur_quartier, chomage.valeur_reference) == ("CHOMAGE_15_64", 28.1, 12.4)
    assert chomage.enjeu == "EMPLOI" and chomage.unite == "%"  # from the catalogue
    assert chomage.cell == Cell("Indicateurs", "A3") and chomage.value_cell == Cell("Indicateurs", "C3")
    perso = wb.indicateurs[-1]
    assert (perso.code, perso.enjeu, perso.sens) == ("PERSO_CREATIONS", "ENTREPRENEURIAT", "hausse = amélioration")


def test_actions_catalogue_and_local(fixture_path):
    wb = read(fixture_path("valide.xlsx"))
    by_code = {a.key: a for a in wb.actions}
    pep = by_code["IMMO_PEPINIERE"]
    assert pep.champ == "Immobilier" and pep.enjeux  # catalogue fills what the row leaves empty
    assert pep.prerequis == {
        "Diagnostic préalable": "Fait",
        "Étude de faisabilité": "À faire",
        "Mobilisation des partenaires": "En cours",
    }
    assert pep.echeance.date == date(2026, 12, 31) and pep.echeance.text == "2026-S2"
    assert pep.partenaires == ("CCI", "Bailleur")
    manager = by_code["COM_MANAGER"]
    assert manager.cout == 60000 and manager.enjeux == ("COMMERCE",)
    assert manager.echeance.date == date(2025, 12, 31)
    libres = [a for a in wb.actions if a.code == "LIBRE"]
    assert [a.intitule for a in libres] == ["Marché de nuit estival", "Club des entrepreneurs du quartier"]
    assert libres[0].enjeux == ("COMMERCE", "ATTRACTIVITE")
    assert libres[1].key == "LIBRE@Actions!A7"


def test_optional_sheets(fixture_path):
    wb = read(fixture_path("valide.xlsx"))
    assert [e.enjeu for e in wb.enjeux] == ["EMPLOI", "COMMERCE", "JEUNES", "ENTREPRENEURIAT"]  # label -> code
    assert wb.acteurs[1].type == "Réseau pour l'emploi" and wb.acteurs[2].signataire is False
    assert [g.reponse for g in wb.gouvernance] == ["Oui", "Partiel", "Non"]
    assert wb.gouvernance[0].question  # filled from the catalogue when left empty
    objets = [v.objet for v in wb.votes]
    assert objets[:2] == ["EMPLOI", "COM_MANAGER"]
    assert objets[2].startswith("LIBRE@Actions!")  # a local action named by its title
    assert wb.missing_sheets == ()


def test_ods_and_xlsx_give_the_same_model(fixture_path):
    a, b = read(fixture_path("valide.xlsx")), read(fixture_path("valide.ods"))
    assert a.territoire == b.territoire.__class__(**{**b.territoire.__dict__, "cell": a.territoire.cell})
    assert [(i.code, i.valeur_quartier, i.value_cell) for i in a.indicateurs] == [
        (i.code, i.valeur_quartier, i.value_cell) for i in b.indicateurs
    ]
    assert [x.key for x in a.actions] == [x.key for x in b.actions]


def test_illustrative_sources_are_one_warning(fixture_path):
    report = check(fixture_path("valide.xlsx"))
    illus = [i for i in report.warnings if i.code == "source-illustrative"]
    assert len(illus) == 1 and "G3" in illus[0].message and "G6" in illus[0].message
