"""Files built to exhaust the machine are refused in seconds, with bounded memory, and a French message naming
the limit; the limits come from `--config` `[limites]`.

Each hostile file is checked in a fresh subprocess that reports its own peak memory (`ru_maxrss`), so the
measure is not blurred by the test process (`VmHWM`, or `ru_maxrss` off Linux); the subprocess timeout is the "never hangs" guard.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PEAK_MB = 300  # "a few hundred MB" at most, interpreter and libraries included

_PROBE = """
import json, resource, sys
from toolkit.config import load_config
from toolkit.validate import check
limits = load_config(sys.argv[2] if len(sys.argv) > 2 else None).limits
report = check(sys.argv[1], limits)
try:  # VmHWM belongs to this process image; ru_maxrss may carry the parent's peak across exec on Linux
    peak_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"exit": report.exit_code, "code": report.issues[0].code if report.issues else None,
                  "message": report.issues[0].message if report.issues else "", "peak_mb": peak_kb / 1024}))
"""


def probe(path: Path, config: Path | None = None) -> dict:
    args = [sys.executable, "-c", _PROBE, str(path)] + ([str(config)] if config else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def zeros_bomb(path: Path, size_mb: int, member: str = "xl/worksheets/sheet1.xml") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(member, "w", force_zip64=True) as fh:
        for _ in range(size_mb):
            fh.write(b"\0" * (1 << 20))
    return path


def replace_sheet(path: Path, sheet_index: int, body: bytes) -> Path:
    """The valid fixture with worksheet `sheet_index` replaced by `body` (a <sheetData> content)."""
    src = zipfile.ZipFile(FIXTURES / "valide.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                data = (
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>' + body + b"</sheetData></worksheet>"
                )
            dst.writestr(item, data)
    return path


def test_classic_zip_bomb(tmp_path):
    result = probe(zeros_bomb(tmp_path / "bombe.xlsx", 1024))  # 1 GiB of zeros in ~1 MB
    assert (result["exit"], result["code"]) == (2, "archive-trop-grosse")
    assert "bombe zip" in result["message"] and "200,0 Mo" in result["message"]
    assert result["peak_mb"] < PEAK_MB


def test_bomb_lying_about_its_size_is_stopped_while_streaming(tmp_path):
    """Central directory patched to declare 1 KB for a 150 MB member: the streaming budget still stops it."""
    path = zeros_bomb(tmp_path / "menteuse.xlsx", 150)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    result = probe(path)
    assert result["exit"] == 2 and result["code"] in ("archive-trop-grosse", "archive-suspecte", "pas-un-classeur")
    assert result["peak_mb"] < PEAK_MB


def test_too_many_members(tmp_path):
    path = tmp_path / "eclats.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}.xml", b"")
    result = probe(path)
    assert (result["exit"], result["code"]) == (2, "archive-suspecte") and "10001" in result["message"]


def test_one_cell_far_right_is_refused_before_parsing(tmp_path):
    """5 KB file, one cell in XFD5000: read naively, a dense 5,000 x 16,384 grid (gigabytes)."""
    path = tmp_path / "large.xlsx"
    wb = openpyxl.load_workbook(FIXTURES / "valide.xlsx")
    wb["Actions"]["XFD4000"] = "perdu"
    wb.save(path)
    result = probe(path)
    assert (result["exit"], result["code"]) == (2, "trop-de-colonnes")
    assert "« Actions »" in result["message"] and "XFD" in result["message"] and "maximum : 200" in result["message"]
    assert result["peak_mb"] < 150


def test_million_rows_refused_with_the_sheet_named(tmp_path):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(1, 1_000_001))
    path = replace_sheet(tmp_path / "long.xlsx", 3, rows)
    assert path.stat().st_size < 20 * 1024 * 1024
    result = probe(path)
    assert (result["exit"], result["code"]) == (2, "trop-de-lignes")
    assert "1000000 lignes" in result["message"] and "maximum : 5000" in result["message"]
    assert result["peak_mb"] < PEAK_MB


def test_one_cell_at_the_last_row_is_refused(tmp_path):
    path = replace_sheet(tmp_path / "bas.xlsx", 2, b'<row r="1048576"><c r="N1048576"><v>1</v></c></row>')
    result = probe(path)
    assert (result["exit"], result["code"]) == (2, "trop-de-lignes") and "1048576" in result["message"]
    assert result["peak_mb"] < 150


def test_file_size_limit_names_the_limit_and_the_config_key(tmp_path):
    path = tmp_path / "gros.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/media/image1.png", bytes(range(256)) * 4096 * 3)  # 3 MiB, incompressible enough
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[limites]\ntaille_fichier_mo = 1\n", encoding="utf-8")
    result = run_cli("check", str(path), "--config", str(cfg), cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "trop volumineux" in result.stdout + result.stderr and "maximum : 1,0 Mo" in result.stdout + result.stderr
    assert "taille_fichier_mo" in result.stdout + result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("lignes_par_feuille", 5, "trop-de-lignes"),
        ("colonnes_par_feuille", 3, "trop-de-colonnes"),
        ("taille_decompressee_mo", 0.01, "archive-trop-grosse"),
    ],
)
def test_every_limit_is_configurable(tmp_path, key, value, code):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text(f"[limites]\n{key} = {value}\n", encoding="utf-8")
    result = probe(FIXTURES / "valide.xlsx", cfg)
    assert (result["exit"], result["code"]) == (2, code)
    assert probe(FIXTURES / "valide.xlsx")["exit"] == 0  # the defaults accept it


def test_unknown_limit_key_is_a_french_error(tmp_path):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[limites]\nlignes = 5\n", encoding="utf-8")
    result = run_cli("check", str(FIXTURES / "valide.xlsx"), "--config", str(cfg), cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and "clé « lignes » inconnue" in result.stderr + result.stdout
