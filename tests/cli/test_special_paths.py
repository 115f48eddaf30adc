"""A folder, a device or a pipe given where a file is expected is refused at once (exit 2, French message),
never read nor written: reading a pipe would block the command forever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "carcassonne.xlsx"
REFUSED = "pas un fichier ordinaire ; indiquez un nom de fichier"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés POSIX")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from toolkit.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.parametrize("kind", ["fifo", "dossier"])
@pytest.mark.parametrize("command", [("suivi", "enregistrer", str(SAMPLE)), ("observatoire", "-o", "o.pdf")])
def test_a_base_that_is_not_a_file_is_refused_at_once(tmp_path, kind, command) -> None:
    base = tmp_path / "fb.sqlite"
    if kind == "fifo":
        os.mkfifo(base)
    else:
        base.mkdir()
    r = run(*command, "--base", str(base))
    assert r.returncode == 2, r.stderr
    # the base named once, one « : » in the sentence
    assert r.stderr.startswith(f"Base de suivi {base} : c'est ") and REFUSED in r.stderr
    assert r.stderr.count(" : ") == 1, r.stderr
    assert "Traceback" not in r.stderr and not (ROOT / "o.pdf").exists()


def test_template_onto_a_pipe_says_what_other_commands_say(tmp_path) -> None:
    out = tmp_path / "f.xlsx"
    os.mkfifo(out)
    r = run("template", str(out), "--force")
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("Sortie refusée :") and REFUSED in r.stderr
    assert "illisibles" not in r.stderr
