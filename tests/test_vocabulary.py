"""Vocabulary of the 2024 contrats de ville: the 2023 circulaire retired the « piliers »; what users read says
« emploi et développement économique » or « volet économique » (docs/glossary.md). Only the product's own
name, pilier-eco, keeps the word."""

from __future__ import annotations

import re
from pathlib import Path

from report_factories import build_diagnostic

from toolkit.report import render_html

ROOT = Path(__file__).resolve().parent.parent
RETIRED = re.compile(r"\bpiliers?\b(?![-_.](?:eco|toml))", re.IGNORECASE)  # pilier-eco, pilier.toml: names


def test_no_template_users_read_speaks_of_a_pilier():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "templates").rglob("*.html"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if RETIRED.search(line)
    ]
    assert found == []


def test_the_report_speaks_of_engagements_quartiers_2030_not_of_a_pilier():
    html = render_html(build_diagnostic())
    assert not RETIRED.search(re.sub(r"<[^>]+>", " ", html))
    assert "Engagements Quartiers 2030" in html


def test_no_french_text_of_the_code_speaks_of_a_pilier():
    """Help texts, workbook guide and sheet prompts, review footers: every string literal of the package."""
    found = []
    for p in sorted((ROOT / "toolkit").rglob("*.py")):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#") and RETIRED.search(line):
                found.append(f"{p.relative_to(ROOT)}:{n}")
    assert found == []
