"""Every command that writes a file refuses to replace an existing one without --force (exit 1, French
message, the file untouched), and replaces it with --force."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
runner = CliRunner()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command",
    [
        lambda out: ["template", str(out)],
        lambda out: ["diagnose", str(SAMPLES / "vauvert.xlsx"), "-o", str(out.with_suffix(".pdf"))],
        lambda out: [
            "diagnose",
            str(SAMPLES / "vauvert.xlsx"),
            "-o",
            str(out.parent / "r.pdf"),
            "--json",
            str(out.with_suffix(".json")),
        ],
        lambda out: [
            "compare",
            str(SAMPLES / "vauvert.xlsx"),
            str(SAMPLES / "bedarieux.xlsx"),
            "-o",
            str(out.with_suffix(".pdf")),
        ],
    ],
    ids=["template", "diagnose", "diagnose --json", "compare"],
)
def test_an_existing_output_is_kept_without_force(tmp_path, command):
    args = command(tmp_path / "existant.xlsx")
    target = Path(next(a for a in reversed(args) if "existant" in a))
    target.write_bytes(b"travail du consultant")
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output
    assert "existe déjà" in r.output and "--force" in r.output
    assert target.read_bytes() == b"travail du consultant"
    r = runner.invoke(app, [*args, "--force"])
    assert r.exit_code == 0, r.output
    assert target.read_bytes() != b"travail du consultant"
