"""Rules per sheet, on variants of the valid workbook built in tmp_path (one change each)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from toolkit.validate import check


@pytest.fixture
def make(builder, tmp_path):
    def _make(change, formats=None, name="variante.xlsx"):
        sheets = builder.base()
        change(sheets)
        return check(builder.write(tmp_path / name, sheets, formats=formats))

    return _make


def cell(sheets, sheet, row, col, value):
    sheets[sheet][2][row][col] = value


def codes(report, level="erreur"):
    return [(i.code, i.location) for i in report.issues if i.level == level]


def test_all_errors_in_one_pass(make):
    def change(s):
        cell(s, "Actions", 1, 4, 9)  # E4
        cell(s, "Actions", 2, 5, "beaucoup")  # F5
        cell(s, "Indicateurs", 1, 2, "n/a")  # C3
        cell(s, "Territoire", 7, 1, "Grande ville")  # B11

    report = make(change)
    assert set(codes(report)) >= {
        ("hors-echelle", "Actions!E4"),
        ("nombre-illisible", "Actions!F5"),
        ("nombre-illisible", "Indicateurs!C3"),
        ("valeur-hors-liste", "Territoire!B11"),
    }


def test_perso_indicator_needs_label_enjeu_sens(make):
    def change(s):
        s["Indicateurs"][2][4][1] = ""  # B6 libellé
        s["Indicateurs"][2][4][8] = ""  # I6 sens

    report = make(change)
    assert ("ligne-incomplete", "Indicateurs!B6") in codes(report)
    assert ("ligne-incomplete", "Indicateurs!I6") in codes(report)


def test_unknown_indicator_code_lists_near_matches(make):
    report = make(lambda s: cell(s, "Indicateurs", 1, 0, "CHOMAGE_15_46"))
    issue = report.errors[0]
    assert (issue.code, issue.location) == ("code-inconnu", "Indicateurs!A3")
    assert "CHOMAGE_15_64" in issue.message


def test_local_action_needs_title_champ_enjeux(make):
    def change(s):
        s["Actions"][2][3][1] = ""  # B6 intitulé of the LIBRE action
        s["Actions"][2][4][3] = ""  # D7 enjeux of the empty-code action

    report = make(change)
    assert ("ligne-incomplete", "Actions!B6") in codes(report)
    assert ("ligne-incomplete", "Actions!D7") in codes(report)


def test_unknown_enjeu_and_list_values(make):
    def change(s):
        cell(s, "Actions", 3, 3, "COMMERCE ; TOURISME")  # D6
        cell(s, "Actions", 1, 9, "Terminé ?")  # J4 prerequisite status
        cell(s, "Acteurs", 0, 1, "Mairie")  # Acteurs!B2
        cell(s, "Gouvernance", 0, 2, "Peut-être")  # Gouvernance!C2

    report = make(change)
    assert set(codes(report)) >= {
        ("enjeu-inconnu", "Actions!D6"),
        ("valeur-hors-liste", "Actions!J4"),
        ("valeur-hors-liste", "Acteurs!B2"),
        ("valeur-hors-liste", "Gouvernance!C2"),
    }


def test_vote_object_and_note(make):
    def change(s):
        cell(s, "Votes", 0, 2, "EMPLOIS")  # C2
        cell(s, "Votes", 1, 3, 0)  # D3

    report = make(change)
    assert ("objet-inconnu", "Votes!C2") in codes(report)
    assert ("hors-echelle", "Votes!D3") in codes(report)
    assert "EMPLOI" in report.errors[0].message  # suggestion


def test_implication_scale_is_0_to_3(make):
    report = make(lambda s: cell(s, "Acteurs", 0, 3, 4))
    assert codes(report) == [("hors-echelle", "Acteurs!D2")]
    assert make(lambda s: cell(s, "Acteurs", 0, 3, 0)).exit_code == 0


def test_warnings_do_not_block(make):
    def change(s):
        cell(s, "Indicateurs", 1, 3, "")  # D3 missing reference
        cell(s, "Indicateurs", 2, 5, 2015)  # F4 old year
        cell(s, "Actions", 1, 5, "")  # F4 missing faisabilité

    report = make(change)
    assert report.exit_code == 0
    warned = codes(report, "avertissement")
    assert ("reference-manquante", "Indicateurs!D3") in warned
    assert ("annee-ancienne", "Indicateurs!F4") in warned
    assert ("score-manquant", "Actions") in warned


def test_missing_required_field_and_column(make):
    def change(s):
        s["Territoire"][2][7][1] = ""  # B11 typologie left empty
        titles, header, rows = s["Actions"]
        s["Actions"] = (titles, [*header[:1], "Intitulé de l'action", *header[2:]], rows)

    report = make(change)
    assert ("champ-manquant", "Territoire!B11") in codes(report)
    assert report.workbook is None  # no territory, no model
    assert any(i.code == "colonne-ignoree" and i.location == "Actions!B2" for i in report.warnings)


def test_required_sheet_missing_is_error_optional_is_warning(builder, tmp_path):
    sheets = builder.base()
    del sheets["Territoire"], sheets["Votes"]
    report = check(builder.write(tmp_path / "x.xlsx", sheets))
    assert ("feuille-manquante", "Territoire") in codes(report)
    assert ("feuille-optionnelle-absente", "Votes") in codes(report, "avertissement")


def test_unknown_sheet_is_reported_template_sheets_are_not(builder, tmp_path):
    sheets = builder.base()
    sheets["Brouillon"] = ([], ["x", "y"], [[1, 2]])
    report = check(builder.write(tmp_path / "x.xlsx", sheets))
    ignored = [i.sheet for i in report.warnings if i.code == "feuille-ignoree"]
    assert ignored == ["Brouillon"]  # « Lisez-moi » is a template sheet


def test_numeric_commune_code_without_format_is_restored_with_warning(make):
    report = make(lambda s: cell(s, "Territoire", 2, 1, 1004))
    assert report.workbook.territoire.communes == ("01004",)
    assert ("code-numerique", "Territoire!B6") in codes(report, "avertissement")


def test_postal_code_is_not_a_commune(make):
    report = make(lambda s: cell(s, "Territoire", 2, 1, "11000"))  # Carcassonne's postal code
    assert codes(report) == [("commune-inconnue", "Territoire!B6")]
    assert "code postal" in report.errors[0].expected


def test_several_communes_and_corsica(make):
    report = make(lambda s: cell(s, "Territoire", 2, 1, "11069 ; 2A004, 11262"))
    assert report.workbook.territoire.communes == ("11069", "2A004", "11262")


def test_duplicate_indicator_is_reported_once_and_ignored(make):
    def change(s):
        s["Indicateurs"][2].append(copy.deepcopy(s["Indicateurs"][2][1]))  # row 7 = row 3

    report = make(change)
    assert ("doublon", "Indicateurs!A7") in codes(report, "avertissement")
    assert [i.code for i in report.workbook.indicateurs].count("CHOMAGE_15_64") == 1
    assert report.rows_read == report.rows_used + 1


def test_percent_out_of_range(make):
    report = make(lambda s: cell(s, "Indicateurs", 1, 2, 180))
    assert codes(report) == [("hors-echelle", "Indicateurs!C3")]


def test_dates_and_deadlines_in_every_form(make):
    def change(s):
        cell(s, "Territoire", 9, 1, "2024-03-31")
        cell(s, "Actions", 1, 12, "30/06/2027")
        cell(s, "Actions", 2, 12, "2026-s1")
        cell(s, "Actions", 4, 12, "bientôt")  # M7

    report = make(change)
    assert report.workbook.territoire.date_diagnostic == date(2024, 3, 31)
    assert codes(report) == [("echeance-illisible", "Actions!M7")]
    echeances = {a.code: a.echeance.date for a in report.workbook.actions if a.echeance}
    assert echeances["IMMO_PEPINIERE"] == date(2027, 6, 30)
    assert echeances["COM_MANAGER"] == date(2026, 6, 30)


def test_personal_data_in_actors_is_flagged(make):
    report = make(lambda s: cell(s, "Acteurs", 0, 2, "contact : jean.dupont@example.org, 06 12 34 56 78"))
    assert ("donnee-personnelle", "Acteurs!C2") in codes(report, "avertissement")
    # masked in the model and never echoed by the warning, which ends up in the report's annex
    role = report.workbook.acteurs[0].role
    assert "example.org" not in role and "06 12" not in role and "[coordonnées masquées]" in role
    assert not any("example.org" in i.format() for i in report.issues)


def test_every_non_empty_row_is_used_or_reported(make):
    def change(s):
        s["Actions"][2].append(["", "", "", "", "", "", "", "", "", "", "", "", "", "une note perdue ?"])  # N8

    report = make(change)
    # a row with only a comment: a local action without title -> reported, not silently dropped
    assert ("ligne-incomplete", "Actions!B8") in codes(report)
    assert report.rows_read == report.rows_used + 1


def test_number_turned_into_a_date_by_the_spreadsheet(make):
    report = make(lambda s: cell(s, "Indicateurs", 1, 2, date(2024, 5, 12)))  # "12.5" typed in French Excel
    issue = report.errors[0]
    assert (issue.code, issue.location, issue.found) == ("nombre-illisible", "Indicateurs!C3", "2024-05-12")
    assert "converti" in issue.expected


def test_same_participant_voting_twice_on_one_object(make):
    report = make(lambda s: s["Votes"][2].append(["P1", "Ville", "emploi", 2]))  # row 5, same as row 2
    assert ("doublon", "Votes!C5") in codes(report, "avertissement")
    assert [v.note for v in report.workbook.votes if v.participant == "P1"] == [5]


def test_former_actor_type_still_reads_as_the_reseau_pour_l_emploi(make):
    """A workbook filled before loi 2023-1196 says « Service public de l'emploi »: read, mapped, noticed."""
    report = make(lambda s: cell(s, "Acteurs", 1, 1, "service public de l'emploi"))  # Acteurs!B3
    assert report.exit_code == 0
    assert report.workbook.acteurs[1].type == "Réseau pour l'emploi"
    (notice,) = [i for i in report.warnings if i.code == "libelle-ancien"]
    assert notice.location == "Acteurs!B3" and notice.found == "service public de l'emploi"
    assert "lu comme « Réseau pour l'emploi »" in notice.format()
