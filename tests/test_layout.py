"""The workbook contract is written once, in `toolkit/layout.py`: every header lives there and only there."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.layout import ACTIONS, NOTATION, SHEETS, TERRITOIRE_FIELDS
from toolkit.validate import check

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Single words that also name other things in the code (output columns, catalogue fields, sheet names)
GENERIC = {
    "Code",
    "Champ",
    "Valeur",
    "Enjeu",
    "Source",
    "Année",
    "Type",
    "Structure",
    "Commentaire",
    "Libellé",
    "Intitulé",
    "Question",
    "Réponse",
    "Objet",
    "Participant",
    "Partenaires",
    "Atouts",
    "Faiblesses",
    "Rôle",
    "EPCI",
    "Département",
    "Version",
    "Communes",
    "Typologie",
    "Sens",
}


def _headers() -> set[str]:
    names = {c.header for s in (*SHEETS, NOTATION) for c in s.columns}
    return names | {f.label for f in TERRITOIRE_FIELDS}


#: Outputs that echo some headers to their readers (results workbook columns, a chart legend): the words of
#: the report layer, not the input contract, which they never read.
OUTPUTS = ("report/", "io/results_xlsx.py", "tables.py")  # tables.py: the DataFrames of pe.tables


def test_each_contract_header_is_written_once_in_the_toolkit():
    sources = {
        p: p.read_text(encoding="utf-8")
        for p in TOOLKIT.rglob("*.py")
        if not str(p.relative_to(TOOLKIT)).startswith(OUTPUTS)
    }
    layout = TOOLKIT / "layout.py"
    for header in sorted(_headers() - GENERIC):
        places = [p.relative_to(TOOLKIT) for p, text in sources.items() if f'"{header}"' in text]
        assert places == [layout.relative_to(TOOLKIT)], (header, places)
        assert sources[layout].count(f'"{header}"') == 1, header


#: Used as a noun in a message (`Enjeu « EMPLOI » déjà présent…`, the `Enjeu`/`Action` badge of a card).
AS_WORDS = {"Enjeu", "Question"}


def test_workbook_modules_hold_no_header_at_all():
    """The modules that read or write the workbook take even the generic headers from the layout."""
    modules = [
        TOOLKIT / "io" / "template.py",
        TOOLKIT / "catalog" / "prefill.py",
        TOOLKIT / "plan" / "vigilance.py",
        *(TOOLKIT / "validate").glob("*.py"),
        *(TOOLKIT / "workshop").glob("*.py"),
    ]
    for path in modules:
        literals = set(re.findall(r'"([^"\n]+)"', path.read_text(encoding="utf-8")))
        assert literals & (_headers() - AS_WORDS) == set(), (path.name, literals & _headers())


def test_template_letters_follow_the_declaration():
    assert ACTIONS.letter("code") == "A" and ACTIONS.letter("prerequis_diagnostic") == "J"
    assert ACTIONS.letter("echeance") == "M"


def test_an_optional_column_absent_from_a_v1_workbook_raises_nothing(monkeypatch):
    """What the module docstring promises to the next engineer: declare a column, and v1 files still pass."""
    from dataclasses import replace

    import toolkit.validate.actions as actions_validator
    from toolkit.layout import Column

    extra = Column("statut", "Statut de l'action", "Où en est l'action.", 14, report_missing=False)
    monkeypatch.setattr(actions_validator, "COLUMNS", (*ACTIONS.columns, extra))
    report = check(FIXTURES / "valide.xlsx")
    assert report.ok and not [i for i in report.issues if "Statut" in i.message]
    assert replace(ACTIONS, columns=(*ACTIONS.columns, extra)).letter("statut") == "O"


def test_the_users_documentation_names_every_column_and_field():
    text = (TOOLKIT.parent / "docs" / "classeur.md").read_text(encoding="utf-8")
    missing = [c.header for s in SHEETS for c in s.columns if c.header not in text]
    missing += [f.label for f in TERRITOIRE_FIELDS if f.label not in text]
    assert missing == []
