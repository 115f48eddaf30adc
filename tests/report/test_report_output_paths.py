"""Outputs: atomic writes, slugs that never steer the folder, outputs equal to an input refused; cell safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.io.output import (
    OutputError,
    atomic_write,
    atomic_write_text,
    check_distinct,
    check_output_path,
    default_report_path,
)
from toolkit.io.safe_cells import neutralise


@pytest.mark.parametrize(
    "name", ["../../etc", "../../etc/passwd", "/etc/passwd", "..", "a/../../b", "C:\\Windows\\x", ""]
)
def test_default_path_stays_in_reports_folder(name):
    path = default_report_path(name)
    assert path.parent == Path("reports")
    assert ".." not in path.name and "/" not in path.name and "\\" not in path.name
    assert path.suffix == ".pdf" and path.stem


def test_default_path_is_an_ascii_slug_of_the_territory():
    assert default_report_path("Béziers — La Devèze").name == "beziers-la-deveze.pdf"
    assert default_report_path("Carcassonne", ".html", "out").as_posix() == "out/carcassonne.html"


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=80))
def test_any_territory_name_gives_a_safe_file_name(name):
    path = default_report_path(name)
    assert path.parent == Path("reports")
    assert path.name.isascii() and path.name not in (".pdf", "..pdf")
    assert "/" not in path.name and ".." not in path.name.removesuffix(".pdf")


def test_output_equal_to_input_is_refused(tmp_path):
    src = tmp_path / "carcassonne.xlsx"
    src.write_bytes(b"PK")
    with pytest.raises(OutputError, match="fichier d'entrée"):
        check_output_path(src, [src])
    with pytest.raises(OutputError, match="fichier d'entrée"):
        check_output_path(tmp_path / "x" / ".." / "carcassonne.xlsx", [src])
    link = tmp_path / "lien.pdf"
    link.symlink_to(src)
    with pytest.raises(OutputError):
        check_output_path(link, [src])
    assert check_output_path(tmp_path / "r.pdf", [src]) == tmp_path / "r.pdf"


def test_output_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match="dossier"):
        check_output_path(tmp_path, [])


def test_same_output_twice_is_refused(tmp_path):
    with pytest.raises(OutputError, match="deux fois"):
        check_distinct([tmp_path / "a.pdf", tmp_path / "." / "a.pdf"])
    check_distinct([tmp_path / "a.pdf", tmp_path / "a.html"])


def test_atomic_write_creates_folder_and_replaces(tmp_path):
    target = tmp_path / "sub" / "r.txt"
    atomic_write_text(target, "un")
    atomic_write_text(target, "deux")
    assert target.read_text(encoding="utf-8") == "deux"
    assert [p.name for p in target.parent.iterdir()] == ["r.txt"]


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"ancien")

    def boom(tmp: Path) -> None:
        tmp.write_bytes(b"moiti")
        raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_bytes() == b"ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


@pytest.mark.parametrize("text", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e.vil")'])
def test_dangerous_texts_are_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Commerce", "1 234", "", " =pas en tête", 12, -3.5, None])
def test_harmless_values_pass_through(value):
    assert neutralise(value) == value
