"""`diagnose --docx --pptx --note`: the editable documents follow the rules of every output (issue 24).

An existing one is never replaced without --force (and then nothing at all is written), an output cannot be
an input, and with --force each is written and announced in French.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
runner = CliRunner()


def test_existing_note_blocks_every_output_until_force(tmp_path):
    note, docx, pptx, pdf = (tmp_path / n for n in ("note.pdf", "r.docx", "c.pptx", "r.pdf"))
    note.write_bytes(b"note retouchee")
    args = ["diagnose", str(SAMPLES / "bedarieux.xlsx"), "-o", str(pdf), "--docx", str(docx)]
    args += ["--pptx", str(pptx), "--note", str(note)]
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output
    assert "existe déjà" in r.output and "Rien n'a été écrit" in r.output
    assert note.read_bytes() == b"note retouchee" and not docx.exists() and not pptx.exists() and not pdf.exists()
    r = runner.invoke(app, [*args, "--force"])
    assert r.exit_code == 0, r.output
    for label, path in (("Word", docx), ("diaporama", pptx), ("note aux élus", note)):
        assert f"Écrit ({label}) : {path}" in r.output
    assert docx.read_bytes()[:2] == pptx.read_bytes()[:2] == b"PK" and note.read_bytes()[:4] == b"%PDF"
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary file


def test_an_output_cannot_be_the_workbook(tmp_path):
    src = tmp_path / "classeur.xlsx"
    src.write_bytes((SAMPLES / "bedarieux.xlsx").read_bytes())
    r = runner.invoke(app, ["diagnose", str(src), "-o", str(tmp_path / "r.pdf"), "--docx", str(src), "--force"])
    assert r.exit_code == 2 and "aussi un fichier d'entrée" in r.output
    assert src.read_bytes() == (SAMPLES / "bedarieux.xlsx").read_bytes()
