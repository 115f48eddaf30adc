"""The one message table (`toolkit.problems`), the code that uses it and `docs/erreurs.md` stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.model import Cell
from toolkit.problems import MESSAGES, Problem, codes, errors, problem, warnings
from toolkit.validate.messages import suggestion

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "erreurs.md"


def _documented() -> set[str]:
    """Codes in the first column of the tables of docs/erreurs.md."""
    return set(re.findall(r"^\| `([a-z-]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_every_code_is_documented_and_no_stale_code():
    assert sorted(set(codes()) - _documented()) == []
    assert sorted(_documented() - set(codes())) == []


def test_every_template_used_in_the_code_exists_and_every_template_is_used():
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "toolkit").rglob("*.py") if p.name != "problems.py")
    called = set(
        re.findall(
            r'\b(?:error|warn|problem|failure)\((?:\w+, )?(?:"(?:erreur|avertissement)", )?"(?!erreur"|avertissement")([a-z/-]+)"',
            source,
        )
    )
    assert called and called <= set(MESSAGES), called - set(MESSAGES)
    used = {t for t in MESSAGES if f'"{t}"' in source}
    assert set(MESSAGES) - used == set()


def test_no_template_is_a_bare_placeholder():
    assert [t for t, text in MESSAGES.items() if re.fullmatch(r"\{\w+\}", text.strip())] == []


def test_problem_format_is_located_and_french():
    issue = problem(
        "erreur", "hors-echelle", cell=Cell("Actions", "E4"), colonne="Impact", found=7.0, expected="un entier de 1 à 5"
    )
    assert (
        issue.format()
        == "Actions!E4 : Impact : valeur hors de l'échelle (trouvé : « 7 » ; attendu : un entier de 1 à 5)"
    )
    assert issue.sheet == "Actions" and issue.code == "hors-echelle"
    assert issue.to_json() == {
        "niveau": "erreur",
        "code": "hors-echelle",
        "cellule": "Actions!E4",
        "message": "Impact : valeur hors de l'échelle",
        "trouve": "7",
        "attendu": "un entier de 1 à 5",
        "texte": issue.format(),
    }


def test_a_variant_keeps_its_public_code_and_the_file_names_an_unreadable_file():
    p = problem("erreur", "pas-un-classeur/autre-document", file="rapport.xlsx", nature="un document Word")
    assert p.code == "pas-un-classeur" and p.location == ""
    assert p.format().startswith("rapport.xlsx : ce fichier est un document Word, pas un classeur. Pour continuer : ")
    located = problem("avertissement", "participant-manquant", file="n.xlsx", cell=Cell("Notation", "A4"), nom="n")
    assert located.text == "n.xlsx, Notation!A4 : participant non renseigné : les notes sont attribuées à « n »"


def test_one_level_filter():
    items = [
        problem("erreur", "feuille-vide", sheet="Actions", feuille="Actions"),
        problem("avertissement", "feuille-ignoree", sheet="Brouillon", feuille="Brouillon"),
    ]
    assert [p.code for p in errors(items)] == ["feuille-vide"]
    assert [p.code for p in warnings(items)] == ["feuille-ignoree"]
    assert all(isinstance(p, Problem) for p in items)


@pytest.mark.parametrize(("word", "near"), [("EMPLOIS", "EMPLOI"), ("comerce", "COMMERCE"), ("zzz", None)])
def test_suggestion(word, near):
    text = suggestion(word, ["EMPLOI", "COMMERCE", "JEUNES"])
    assert (near in text) if near else text == ""
