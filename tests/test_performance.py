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
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


class _Node:
    """A weak-referenceable object to build reference cycles with."""


def test_collector_paused_during_render_and_its_cycles_freed_after(tmp_path, monkeypatch, collector_on):
    import weakref

    import weasyprint

    seen, refs = [], []

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def render(self, **kwargs):  # html_to_pdf renders, then writes the document it got
            return self

        def write_pdf(self, target, **kwargs):
            seen.append(gc.isenabled())
            for _ in range(100):  # cyclic garbage, as layout leaves behind
                a, b = _Node(), _Node()
                a.other, b.other = b, a
                refs.append(weakref.ref(a))
            Path(target).write_bytes(b"%PDF-1.7")

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert seen == [False] and gc.isenabled()
    assert all(r() is None for r in refs)  # collected on return, not left for a later full pass


def test_collector_comes_back_when_weasyprint_fails(tmp_path, monkeypatch, collector_on):
    import weasyprint

    class Boom:
        def __init__(self, **kwargs):
            pass

        def render(self, **kwargs):  # html_to_pdf renders, then writes the document it got
            return self

        def write_pdf(self, *args, **kwargs):
            raise RuntimeError("échec de mise en page")

    monkeypatch.setattr(weasyprint, "HTML", Boom)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_keeps_it_disabled(tmp_path, monkeypatch, collector_on):
    import weasyprint

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def render(self, **kwargs):  # html_to_pdf renders, then writes the document it got
            return self

        def write_pdf(self, target, **kwargs):
            Path(target).write_bytes(b"%PDF-1.7")

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    gc.disable()
    pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert not gc.isenabled()


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
    values = lambda wb: [i.valeur_quartier for i in wb.indicateurs]  # noqa: E731 - a one-line helper of this test
    assert values(first) != values(again)
