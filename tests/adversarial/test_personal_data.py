"""Personal data: the report names organisations, never the participants of `Votes`; `--pseudonymiser`
replaces their names by stable pseudonyms before anything is computed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pdf_helpers import pdf_text
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.model import Vote
from toolkit.pseudonyms import pseudonym_map, pseudonymise_votes
from toolkit.validate import read

from .conftest import run_cli
from .hostile import builder

NAMES = ("Jeanne Confidentielle", "Ysolde Secretdefamille")


@pytest.fixture(scope="module")
def named_votes(tmp_path_factory):
    b = builder()
    sheets = b.base()
    sheets["Votes"][2][:] = [
        [NAMES[0], "Ville", "EMPLOI", 5],
        [NAMES[0], "Ville", "EMPLOI", 4],  # a duplicate: warned in the data-quality annex
        [NAMES[1], "CCI", "COM_MANAGER", 4],
        [NAMES[1].upper(), "CCI", "EMPLOI", 2],
        ["", "", "Marché de nuit estival", 3],
    ]
    return b.write(tmp_path_factory.mktemp("votes") / "votes.xlsx", sheets)


@pytest.mark.parametrize("flag", [(), ("--pseudonymiser",)])
def test_no_output_names_a_participant(tmp_path, named_votes, flag):
    result = run_cli(
        "diagnose",
        str(named_votes),
        "-o",
        "r.pdf",
        "--html",
        "r.html",
        "--xlsx",
        "r.xlsx",
        "--json",
        "r.json",
        *flag,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    import openpyxl

    cells = " ".join(
        str(c.value)
        for ws in openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
    )
    outputs = {
        "html": (tmp_path / "r.html").read_text(encoding="utf-8"),
        "json": (tmp_path / "r.json").read_text(encoding="utf-8"),
        "xlsx": cells,
        "pdf": pdf_text(tmp_path / "r.pdf"),
        "console": result.stdout + result.stderr,
    }
    for kind, text in outputs.items():
        for name in NAMES:
            for part in (name, name.split()[1]):
                assert part.lower() not in text.lower(), (kind, part)
    assert "Votes!C3" in outputs["html"]  # the duplicate is still reported, by its cell


def test_pseudonyms_are_stable_and_loose_about_spelling():
    names = ["Marie Dupont", "Paul", "marie  DUPONT ", "anonyme", "Zoé", "Paul"]
    mapping = pseudonym_map(names)
    assert mapping == {"marie dupont": "P01", "paul": "P02", "zoe": "P03"}
    assert pseudonym_map(names) == mapping  # same list, same pseudonyms


def test_pseudonymise_votes_keeps_everything_but_the_name():
    wb = read(_valid())
    votes = (
        Vote("Marie Dupont", "Ville", "EMPLOI", 5),
        Vote("marie dupont", "Ville", "COM_MANAGER", 3),
        Vote("anonyme", None, "EMPLOI", 2),
        Vote("Paul", "CCI", "EMPLOI", 1),
    )
    out = pseudonymise_votes(replace(wb, votes=votes))
    assert [v.participant for v in out.votes] == ["P01", "P01", "anonyme", "P02"]
    assert [(v.structure, v.objet, v.note) for v in out.votes] == [(v.structure, v.objet, v.note) for v in votes]
    assert out.actions == wb.actions and wb.votes != out.votes  # a copy; the original is untouched


def _valid():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "fixtures" / "valide.xlsx"


def test_diagnose_pseudonymiser_hands_only_pseudonyms_to_the_engine(tmp_path, monkeypatch, named_votes):
    seen = []
    import toolkit.diagnostic as diagnostic

    real = diagnostic.diagnose

    def spy(workbook, *args, **kwargs):
        seen.append(tuple(v.participant for v in workbook.votes))
        return real(workbook, *args, **kwargs)

    monkeypatch.setattr(diagnostic, "diagnose", spy)
    monkeypatch.setattr(
        "toolkit.report.render_pdf", lambda diag, path, theme=None, **kw: path
    )  # the engine is the point
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["diagnose", str(named_votes), "-o", "r.pdf"]).exit_code == 0
    assert runner.invoke(app, ["diagnose", str(named_votes), "-o", "r.pdf", "--pseudonymiser"]).exit_code == 0
    assert set(seen[0]) >= {NAMES[0]}
    assert seen[1] == ("P01", "P02", "P02", "anonyme")
