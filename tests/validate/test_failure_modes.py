"""One regression fixture per failure mode: exact code and `Feuille!Cellule` of the message."""

from __future__ import annotations

import pytest

from toolkit.validate import WorkbookError, check, read


def _only_errors(report):
    return [(i.code, i.location) for i in report.errors]


@pytest.mark.parametrize(
    ("name", "code", "location"),
    [
        ("code_inconnu.xlsx", "code-inconnu", "Actions!A5"),
        ("hors_echelle.xlsx", "hors-echelle", "Actions!E4"),
        ("commune_inconnue.xlsx", "commune-inconnue", "Territoire!B6"),
        ("nombre_illisible.xlsx", "nombre-illisible", "Indicateurs!C4"),
        ("date_illisible.xlsx", "date-illisible", "Territoire!B13"),
        ("formule_sans_valeur.xlsx", "formule-sans-valeur", "Indicateurs!D3"),
        ("feuille_manquante.xlsx", "feuille-manquante", "Actions"),
    ],
)
def test_each_failure_is_reported_at_its_cell(fixture_path, name, code, location):
    report = check(fixture_path(name))
    assert report.readable
    assert report.exit_code == 1
    assert (code, location) in _only_errors(report)


def test_single_fault_gives_a_single_error(fixture_path):
    # every fixture differs from valide.xlsx by one cell: exactly one error, nothing else broken
    for name in (
        "code_inconnu.xlsx",
        "hors_echelle.xlsx",
        "commune_inconnue.xlsx",
        "nombre_illisible.xlsx",
        "date_illisible.xlsx",
        "formule_sans_valeur.xlsx",
    ):
        assert len(check(fixture_path(name)).errors) == 1, name


def test_unknown_code_suggests_the_near_code(fixture_path):
    issue = check(fixture_path("code_inconnu.xlsx")).errors[0]
    assert "COM_MANAGER" in issue.message
    assert issue.found == "COM_MANAGEUR"


def test_formula_without_value_shows_the_formula(fixture_path):
    issue = check(fixture_path("formule_sans_valeur.xlsx")).errors[0]
    assert issue.found == "=C3/2"


def test_invalid_row_is_left_out_but_others_are_kept(fixture_path):
    report = check(fixture_path("hors_echelle.xlsx"))
    codes = [a.code for a in report.workbook.actions]
    assert "IMMO_PEPINIERE" not in codes
    assert "COM_MANAGER" in codes
    assert report.rows_used == report.rows_read - 1


def test_read_raises_with_the_report(fixture_path):
    with pytest.raises(WorkbookError) as info:
        read(fixture_path("hors_echelle.xlsx"))
    assert info.value.report.errors[0].location == "Actions!E4"
    assert "Actions!E4" in str(info.value)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("vide.xlsx", "fichier-vide"),
        ("pas_un_zip.xlsx", "pas-un-classeur"),
        ("classeur.csv", "format-csv"),
        ("ancien.xls", "format-xls"),
        ("absent.xlsx", "fichier-introuvable"),
    ],
)
def test_unreadable_files_exit_2_with_a_hint(fixture_path, name, code):
    report = check(fixture_path(name))
    assert not report.readable
    assert report.exit_code == 2
    assert [i.code for i in report.issues] == [code]
    assert "Pour continuer" in report.issues[0].message


def test_csv_and_xls_messages_say_how_to_convert(fixture_path):
    for name in ("classeur.csv", "ancien.xls"):
        message = check(fixture_path(name)).issues[0].message
        assert "Enregistrer sous" in message and ".xlsx" in message and ".ods" in message
