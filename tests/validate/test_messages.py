"""Message templates and their documentation stay in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.model import Cell
from toolkit.validate.messages import MESSAGES, make_issue, suggestion

DOC = Path(__file__).resolve().parents[2] / "docs" / "erreurs.md"


def test_every_code_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [code for code in MESSAGES if f"`{code}`" not in text]
    assert missing == []


def test_every_code_used_in_the_code_has_a_template():
    import re

    source = "".join(p.read_text(encoding="utf-8") for p in (DOC.parents[1] / "toolkit").rglob("*.py"))
    used = set(re.findall(r'(?:error|warn|make_issue)\(\s*"(?:erreur|avertissement)?"?,?\s*"([a-z-]+)"', source))
    used |= set(re.findall(r'\.(?:error|warn)\("([a-z-]+)"', source))
    used |= set(re.findall(r'ReadFailure\(\s*"([a-z-]+)"', source))
    assert used and used <= set(MESSAGES), used - set(MESSAGES)


def test_issue_format_is_located_and_french():
    issue = make_issue("erreur", "hors-echelle", cell=Cell("Actions", "E4"), colonne="Impact", found=7.0,
                       expected="un entier de 1 à 5")
    assert issue.format() == "Actions!E4 : Impact : valeur hors de l'échelle (trouvé : « 7 » ; attendu : un entier de 1 à 5)"
    assert issue.sheet == "Actions"


@pytest.mark.parametrize(("word", "near"), [("EMPLOIS", "EMPLOI"), ("comerce", "COMMERCE"), ("zzz", None)])
def test_suggestion(word, near):
    text = suggestion(word, ["EMPLOI", "COMMERCE", "JEUNES"])
    assert (near in text) if near else text == ""
