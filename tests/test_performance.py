"""Performance helpers behave (never how fast: timings live in benchmarks/run.py, not in tests)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from toolkit.report import pdf
from toolkit.validate import check

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def default_threshold():
    old = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*old)


def test_render_restores_the_callers_gc_threshold(tmp_path, monkeypatch, default_threshold):
    import weasyprint

    seen = []

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, target, **kwargs):
            seen.append(gc.get_threshold())
            Path(target).write_bytes(b"%PDF-1.7")

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert seen == [(pdf.RENDER_GC_THRESHOLD0, 10, 10)]
    assert gc.get_threshold() == default_threshold


def test_page_streams_are_deflated_at_level_6_during_the_render_only(tmp_path, monkeypatch):
    import zlib

    import pydyf
    import weasyprint

    stream = b"0 0 m 10 10 l S BT /F1 9 Tf (Taux d'emploi des 15-64 ans) Tj ET\n" * 400
    seen = []

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, target, **kwargs):
            c = pydyf.zlib.compressobj(level=9)  # what pydyf asks for
            seen.append(c.compress(stream) + c.flush())
            raise RuntimeError("échec après compression")

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert seen == [zlib.compress(stream, pdf.DEFLATE_LEVEL)] and seen[0] != zlib.compress(stream, 9)
    assert zlib.decompress(seen[0]) == stream
    assert pydyf.zlib is zlib  # put back, even after a failure


def test_render_restores_gc_threshold_when_weasyprint_fails(tmp_path, monkeypatch, default_threshold):
    import weasyprint

    class Boom:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, *args, **kwargs):
            raise RuntimeError("échec de mise en page")

    monkeypatch.setattr(weasyprint, "HTML", Boom)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert gc.get_threshold() == default_threshold


def test_a_higher_threshold_set_by_the_caller_is_kept(tmp_path, monkeypatch):
    import weasyprint

    seen = []

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, target, **kwargs):
            seen.append(gc.get_threshold()[0])

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    old = gc.get_threshold()
    gc.set_threshold(50_000, 10, 10)
    try:
        pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
        assert seen == [50_000] and gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*old)


def test_synthetic_workbooks_differ_and_pass_check(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import make_workbooks
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    samples = sorted((ROOT / "sample_data").glob("*.xlsx"))
    paths = make_workbooks(samples, tmp_path, len(samples) + 1)
    reports = [check(p) for p in paths]
    assert all(r.ok for r in reports), [r.errors[:2] for r in reports if not r.ok]
    names = [r.workbook.territoire.nom for r in reports]
    assert len(set(names)) == len(names)
    first, again = reports[0].workbook, reports[-1].workbook  # same sample, other draw
    values = lambda wb: [i.valeur_quartier for i in wb.indicateurs]  # noqa: E731
    assert values(first) != values(again)
