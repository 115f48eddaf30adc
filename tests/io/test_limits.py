"""Files that must be refused before parsing: fast, bounded in memory, with a French hint."""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest

from toolkit.config import Limits, load_config
from toolkit.io.limits import check_file, check_zip
from toolkit.io.reader import read_raw
from toolkit.validate import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _bomb(path: Path, size_mb: int) -> Path:
    """A zip whose one member is `size_mb` MiB of zeros (compresses ~1000:1)."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(size_mb):
            fh.write(chunk)
    return path


def test_zip_bomb_total_size_refused_from_the_central_directory(tmp_path):
    path = _bomb(tmp_path / "bombe.xlsx", 300)
    assert path.stat().st_size < 2 * 1024 * 1024
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = check(path)
    assert (report.exit_code, report.issues[0].code) == (2, "archive-trop-grosse")
    assert "bombe zip" in report.issues[0].message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100 * 1024  # KiB: < 100 MiB


def test_zip_bomb_ratio_refused(tmp_path):
    path = _bomb(tmp_path / "bombe.xlsx", 20)  # under the total limit, but ~1000:1
    failure = check_zip(path, Limits())
    assert failure is not None and failure.code == "archive-suspecte"


def test_lying_central_directory_is_caught_while_streaming(tmp_path):
    """A member declaring a small size but holding more: stopped by the CRC/size check, not trusted."""
    path = tmp_path / "menteur.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<a/>" * 100_000)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size in central directory
    path.write_bytes(bytes(data))
    failure = check_zip(path, Limits())
    assert failure is not None and failure.code in ("pas-un-classeur", "archive-trop-grosse")


def test_file_too_large(tmp_path):
    path = tmp_path / "gros.xlsx"
    path.write_bytes(b"PK" + b"\0" * 2_000_000)
    failure = check_file(path, Limits(taille_fichier_mo=1))
    assert failure is not None and failure.code == "fichier-trop-gros" and "--config" in failure.message


def test_too_many_rows_stops_with_exit_2():
    report = check(FIXTURES / "valide.xlsx", Limits(lignes_par_feuille=5))
    assert (report.exit_code, report.issues[0].code) == (2, "trop-de-lignes")
    assert "Territoire" in report.issues[0].message


def test_limits_from_config_file(tmp_path):
    cfg = tmp_path / "pilier.toml"
    cfg.write_text("[limites]\nlignes_par_feuille = 5\n", encoding="utf-8")
    report = check(FIXTURES / "valide.xlsx", load_config(cfg).limits)
    assert report.exit_code == 2


def test_wrong_extension_of_a_real_workbook(tmp_path):
    path = tmp_path / "classeur.zip"
    path.write_bytes((FIXTURES / "valide.xlsx").read_bytes())
    assert check_file(path, Limits()).code == "extension-inconnue"


def test_ods_content_under_xlsx_name_or_corrupt_zip_gives_clean_failure(tmp_path):
    path = tmp_path / "casse.xlsx"
    data = (FIXTURES / "valide.xlsx").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = read_raw(path)
    assert not hasattr(result, "sheets") and result.code == "pas-un-classeur"


@pytest.mark.parametrize("name", ["valide.xlsx", "valide.ods", "valide.xlsm"])
def test_real_workbooks_pass_the_limits(name):
    path = FIXTURES / name
    assert check_file(path, Limits()) is None and check_zip(path, Limits()) is None


def test_renamed_ods_and_xlsx_are_read_by_content(tmp_path):
    for src, dst in (("valide.ods", "renomme.xlsx"), ("valide.xlsx", "renomme.ods")):
        path = tmp_path / dst
        path.write_bytes((FIXTURES / src).read_bytes())
        assert check(path).exit_code == 0


def test_word_document_is_named(tmp_path):
    path = tmp_path / "rapport.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    report = check(path)
    assert report.exit_code == 2 and "document Word" in report.issues[0].message


def test_unreadable_file_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    import toolkit.io.reader as reader

    def denied(*_args):
        raise PermissionError(13, "Permission non accordée")

    monkeypatch.setattr(reader, "check_file", denied)
    report = check(FIXTURES / "valide.xlsx")
    assert (report.exit_code, report.issues[0].code) == (2, "fichier-inaccessible")
