"""Merging scoring sheets: located refusals (nothing written), votes appended to a NEW workbook, turnout."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from toolkit.catalog import packaged_catalogue
from toolkit.validate import check
from toolkit.workshop.items import ballot_items
from toolkit.workshop.merge import plan_merge, write_merged
from toolkit.workshop.sheet import FIRST_ROW

from .conftest import SAMPLE, VALIDE

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_out_of_scale_note_is_located_and_nothing_is_written(sample_workbook, fill, tmp_path):
    ok = fill(sample_workbook, "a.xlsx", [4, 5], participant="Alice")
    bad = fill(sample_workbook, "notation.xlsx", [3, 3, 3, 7, 2.5, "cinq"], participant="Bob")
    plan = plan_merge(sample_workbook, [ok, bad], False, None, CAT)
    assert not plan.ok
    row7 = FIRST_ROW + 3
    assert [e.text for e in plan.errors] == [
        f"notation.xlsx, Notation!E{row7} : note « 7 » hors échelle (attendu : entier de 1 à 5)",
        f"notation.xlsx, Notation!E{row7 + 1} : note « 2,5 » : nombre entier attendu (attendu : entier de 1 à 5)",
        f"notation.xlsx, Notation!E{row7 + 2} : note « cinq » : nombre entier attendu (attendu : entier de 1 à 5)",
    ]
    with pytest.raises(ValueError):
        write_merged(SAMPLE, plan, tmp_path / "new.xlsx")
    assert not (tmp_path / "new.xlsx").exists()


def test_unknown_object_and_note_without_object_are_errors(valide_workbook, fill, tmp_path):
    path = fill(valide_workbook, "n.xlsx", [4, 4], participant="Alice")
    wb = openpyxl.load_workbook(path)
    ws = wb["Notation"]
    ws.cell(FIRST_ROW, 3).value = "PAS_UN_CODE"
    ws.cell(FIRST_ROW + 1, 3).value = None
    wb.save(path)
    plan = plan_merge(valide_workbook, [path], False, None, CAT)
    texts = [e.text for e in plan.errors]
    assert texts[0].startswith(f"n.xlsx, Notation!C{FIRST_ROW} : objet « PAS_UN_CODE » inconnu du classeur")
    assert texts[1].startswith(f"n.xlsx, Notation!C{FIRST_ROW + 1} : note sans objet")


def test_unreadable_sheet_and_missing_columns_are_errors(valide_workbook, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"pas un classeur")
    other = tmp_path / "autre.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Nom", "Commentaire"])
    wb.active.append(["Alice", "rien"])
    wb.save(other)
    plan = plan_merge(valide_workbook, [junk, other], False, None, CAT)
    assert len(plan.errors) == 2
    assert plan.errors[0].text.startswith("junk.xlsx : ce fichier n'est pas un classeur")
    assert plan.errors[1].text.startswith("autre.xlsx, Sheet : Ligne d'en-tête introuvable")
    wb = openpyxl.Workbook()
    wb.active.append(["Participant", "Objet"])
    wb.active.append(["Alice", "EMPLOI"])
    wb.save(other)
    plan = plan_merge(valide_workbook, [other], False, None, CAT)
    assert [e.text for e in plan.errors] == [
        (
            "autre.xlsx, Sheet!1:1 : Colonne « Note (1-5) » absente "
            "(attendu : une colonne « Note (1-5) » dans la ligne d'en-tête 1)"
        )
    ]


def test_merge_writes_a_new_workbook_with_every_vote_and_leaves_the_original(sample_workbook, fill, tmp_path):
    source = tmp_path / "bedarieux.xlsx"
    shutil.copy(SAMPLE, source)
    before = digest(source)
    items = ballot_items(sample_workbook, CAT)
    a = fill(sample_workbook, "a.xlsx", [5, 4, None, 2], participant="Alice Martin", structure="Mairie")
    b = fill(sample_workbook, "b.xlsx", [1] * len(items), participant="Bruno")
    plan = plan_merge(sample_workbook, [a, b], False, None, CAT)
    assert plan.ok and len(plan.votes) == 3 + len(items)
    assert [(t.participant, t.scored, t.total) for t in plan.turnout] == [
        ("Alice Martin", 3, len(items)),
        ("Bruno", len(items), len(items)),
    ]
    out = write_merged(source, plan, tmp_path / "new.xlsx")
    assert digest(source) == before
    report = check(out)
    assert report.ok, [i.format() for i in report.errors]
    merged = report.workbook.votes
    assert len(merged) == len(sample_workbook.votes) + len(plan.votes)
    alice = [(v.objet, v.note, v.structure) for v in merged if v.participant == "Alice Martin"]
    assert alice == [(items[0].objet, 5, "Mairie"), (items[1].objet, 4, "Mairie"), (items[3].objet, 2, "Mairie")]
    libre = next(i for i in items if i.key.startswith("LIBRE"))
    assert any(v.participant == "Bruno" and v.objet == libre.key for v in merged)  # local action found by title


def test_merge_into_a_workbook_without_votes_sheet_creates_it(valide_workbook, fill, tmp_path):
    source = tmp_path / "v.xlsx"
    wb = openpyxl.load_workbook(VALIDE)
    if "Votes" in wb.sheetnames:
        del wb["Votes"]
    wb.save(source)
    base = check(source)
    assert base.ok
    plan = plan_merge(base.workbook, [fill(base.workbook, "a.xlsx", [3, 4], participant="Alice")], False, None, CAT)
    out = write_merged(source, plan, tmp_path / "out.xlsx")
    names = openpyxl.load_workbook(out).sheetnames
    assert names[-1] == "Votes"  # no `Listes` sheet in this fixture: appended at the end
    assert [(v.participant, v.note) for v in check(out).workbook.votes] == [("Alice", 3), ("Alice", 4)]


def test_pseudonyms_are_consistent_and_skip_those_already_used(sample_workbook, fill):
    used = {v.participant for v in sample_workbook.votes}
    a1 = fill(sample_workbook, "a1.xlsx", [4], participant="Alice")
    b = fill(sample_workbook, "b.xlsx", [None, 3], participant="Bruno")
    a2 = fill(sample_workbook, "a2.xlsx", [None, None, 5], participant="  alice ")
    plan = plan_merge(sample_workbook, [a1, b, a2], True, None, CAT)
    names = [v.participant for v in plan.votes]
    assert names[0] == names[2] != names[1]
    assert all(n.startswith("P") and n not in used for n in names)
    assert "Alice" not in str(plan.votes) and "Bruno" not in str(plan.votes)
    assert plan.pseudonyms["Alice"] == names[0] and plan.pseudonyms["Bruno"] == names[1]


def test_duplicates_are_warned_and_kept_once(sample_workbook, fill):
    a = fill(sample_workbook, "a.xlsx", [4], participant="Alice")
    again = fill(sample_workbook, "a-bis.xlsx", [2], participant="Alice")
    existing = sample_workbook.votes[0]
    old = fill(sample_workbook, "old.xlsx", [], participant=existing.participant)
    wb = openpyxl.load_workbook(old)
    ws = wb["Notation"]
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 3).value == existing.objet)
    ws.cell(row, 5).value = 1
    wb.save(old)
    plan = plan_merge(sample_workbook, [a, again, old], False, None, CAT)
    assert plan.ok and [(v.participant, v.note) for v in plan.votes] == [("Alice", 4)]
    assert len(plan.warnings) == 2
    assert "deuxième fois" in plan.warnings[0].text and "a-bis.xlsx, Notation!C" in plan.warnings[0].text
    assert "déjà noté" in plan.warnings[1].text


def test_blank_participant_inherits_from_above_or_the_file_name(valide_workbook, fill, tmp_path):
    path = fill(valide_workbook, "salle-2.xlsx", [3, 4, 5, 2])
    wb = openpyxl.load_workbook(path)
    ws = wb["Notation"]
    ws.cell(FIRST_ROW + 2, 1).value = "Chloé"
    wb.save(path)
    plan = plan_merge(valide_workbook, [path], False, None, CAT)
    assert [v.participant for v in plan.votes] == ["salle-2", "salle-2", "Chloé", "Chloé"]
    assert any("participant non renseigné" in w.text for w in plan.warnings)


def test_formula_like_text_is_neutralised_in_the_new_workbook(valide_workbook, fill, tmp_path):
    evil = '=HYPERLINK("http://exemple.invalid","clic")'
    path = fill(valide_workbook, "e.xlsx", [4], participant=evil, structure="+33 1 23", raw_participant=True)
    plan = plan_merge(valide_workbook, [path], False, None, CAT)
    assert plan.ok and plan.votes[0].participant == evil
    out = write_merged(VALIDE, plan, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out)["Votes"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
