"""The synthesis page says a workshop happened (voters, notes, where the room split) and the workshop table's
numeric headers stay apart — read from the report a user opens."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def synthesis(tmp_path: Path, workbook: Path) -> str:
    html = tmp_path / f"{workbook.stem}.html"
    r = runner.invoke(app, ["diagnose", str(workbook), "-o", str(tmp_path / "r.pdf"), "--html", str(html)])
    assert r.exit_code == 0, r.output
    page = htmllib.unescape(html.read_text(encoding="utf-8"))
    return page[page.index('<h1 id="synthese">') : page.index("</section>", page.index('<h1 id="synthese">'))]


def test_the_synthesis_says_a_workshop_happened(tmp_path):
    text = (
        re.sub(r"<[^>]+>", "", synthesis(tmp_path, ROOT / "sample_data" / "bedarieux.xlsx"))
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .replace("’", "'")
    )
    # bedarieux.xlsx holds the Votes of 7 participants: 27 notes on 2 enjeux and 2 actions (named, not « 4 objets »),
    # Mobilité split the room
    assert "Un atelier de notation a réuni jusqu'à 7 votants (27 notes sur 2 enjeux et 2 actions)." in text
    assert "Avis partagés sur l'enjeu « Mobilité vers l'emploi »" in text


def test_no_workshop_no_workshop_sentence(tmp_path):
    without = tmp_path / "sans-atelier.xlsx"
    shutil.copy(ROOT / "sample_data" / "bedarieux.xlsx", without)
    wb = openpyxl.load_workbook(without)
    del wb["Votes"]
    wb.save(without)
    assert "Atelier." not in synthesis(tmp_path, without)


def test_workshop_table_headers_are_whole_words_in_their_own_columns():
    table = (ROOT / "templates" / "atelier_votes.html").read_text(encoding="utf-8")
    assert "Écart interq." not in table and table.count("Écart inter&shy;quartile") == 2
    widths = [
        [int(w) for w in re.findall(r"width:(\d+)%", group)]
        for group in re.findall(r"<colgroup>(.*?)</colgroup>", table)
    ]
    assert all(sum(w) == 100 for w in widths)
    assert all(w[4] >= 10 for w in widths[:1])  # « Médiane » fits its column at 8 pt
