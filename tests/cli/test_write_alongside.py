"""The editable documents are written alongside the PDF, in a copy of the command's process (two cores: no
extra wait): what the copy writes is listed in order, and its failures are the command's, in French."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import os, sys, typer
    from pathlib import Path
    from toolkit.cli.common import _forkable, write_outputs

    out = Path(sys.argv[1])
    def write(text):
        return lambda p: p.write_text(f"{text} {os.getpid()}")
    def fails(p):
        raise PermissionError(13, "Permission non accordée", str(p))
    def bug(p):
        raise ValueError("défaut")
    alongside = {
        "ok": [("Word", out / "r.docx", write("w")), ("note", out / "n.pdf", write("n"))],
        "os": [("Word", out / "r.docx", fails)],
        "bug": [("Word", out / "r.docx", bug)],
    }[sys.argv[2]]
    print("forkable", _forkable(), flush=True)
    try:
        write_outputs([("PDF", out / "r.pdf", write("p"))], alongside=alongside)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    """
)


def _run(tmp_path: Path, case: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), case], capture_output=True, text=True, timeout=60
    )


def test_documents_are_written_by_a_copy_of_the_process_and_listed_in_order(tmp_path):
    r = _run(tmp_path, "ok")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "forkable True",
        f"Écrit (PDF) : {tmp_path / 'r.pdf'}",
        f"Écrit (Word) : {tmp_path / 'r.docx'}",
        f"Écrit (note) : {tmp_path / 'n.pdf'}",
    ]
    pdf_pid = (tmp_path / "r.pdf").read_text().split()[1]
    assert (tmp_path / "r.docx").read_text().split()[1] != pdf_pid  # another process wrote it, at the same time


def test_a_write_failure_in_the_copy_is_the_command_s_exit_1_in_french(tmp_path):
    r = _run(tmp_path, "os")
    assert r.returncode == 1
    assert f"Écriture impossible : {tmp_path / 'r.docx'} (" in r.stderr and "Traceback" not in r.stderr
    assert f"Écrit (PDF) : {tmp_path / 'r.pdf'}" in r.stdout  # what was written stays listed


def test_an_unexpected_error_in_the_copy_is_raised_in_the_command(tmp_path):
    r = _run(tmp_path, "bug")
    assert r.returncode == 1 and "ValueError: défaut" in r.stderr
