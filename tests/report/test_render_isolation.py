"""A PDF render leaves the process as it found it, and renders from several threads give the same PDFs."""

from __future__ import annotations

import base64
import gc
import io
import logging
import sys
import threading
import zlib
from pathlib import Path

import pydyf
import pytest
import weasyprint
import weasyprint.svg as wsvg
from pypdf import PdfReader

from toolkit.report import pdf, svgtext

CHART = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120"
 font-family="DejaVu Sans, sans-serif"><rect x="10" y="30" width="{w}" height="20" fill="#2a6f97"/>
 <text x="10" y="20" font-size="11">Taux d'emploi des 15-64 ans</text>
 <text x="290" y="45" font-size="9" text-anchor="end">{w} %</text></svg>"""


def _document(title: str, width: int) -> tuple[str, tuple[str, ...]]:
    """A small report-like page: heading, chart as a `data:` SVG image (as the report does), table."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(CHART.format(w=width).encode()).decode()
    rows = "".join(f"<tr><td>Action {i}</td><td>{i * 7 % 5 + 1}</td></tr>" for i in range(40))
    html = (
        f'<html lang="fr"><head><title>{title}</title></head><body><h1>{title}</h1>'
        f'<img src="{uri}" alt="graphique"><table>{rows}</table></body></html>'
    )
    return html, (uri,)


def _state() -> dict:
    """Everything process-wide a render could leave changed."""
    import weasyprint.document as wdocument_now
    import weasyprint.svg as wsvg_now

    return {
        "layout_context": wdocument_now.LayoutContext,
        "gc_enabled": gc.isenabled(),
        "gc_threshold": gc.get_threshold(),
        "pydyf_zlib": pydyf.zlib,
        "svg_text": wsvg_now.text,
        "svg_tags": dict(wsvg_now.TAGS),
        "pydyf_page_references": pydyf.PDF.__dict__["page_references"],
        "loggers": {n: logging.getLogger(n).level for n in ("weasyprint", "fontTools", "fontTools.subset")},
        "stdout": sys.stdout,
        "stderr": sys.stderr,
    }


def _valid_pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data), strict=True)
    return [page.extract_text() for page in reader.pages]


def test_two_threads_render_the_same_pdfs_as_one_and_leave_global_state_as_found(tmp_path: Path) -> None:
    docs = {"Carcassonne": _document("Carcassonne", 180), "Vauvert": _document("Vauvert", 90)}
    single = {}
    for name, (html, uris) in docs.items():
        pdf.html_to_pdf(html, tmp_path / f"{name}-seul.pdf", uris)
        single[name] = (tmp_path / f"{name}-seul.pdf").read_bytes()
    before = _state()

    start, errors = threading.Barrier(len(docs)), []

    def render(name: str) -> None:
        try:
            start.wait(timeout=30)
            html, uris = docs[name]
            pdf.html_to_pdf(html, tmp_path / f"{name}-fil.pdf", uris)
        except Exception as exc:  # reported below: an exception in a thread would otherwise be lost
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(name,)) for name in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and not any(t.is_alive() for t in threads)
    for name in docs:
        threaded = (tmp_path / f"{name}-fil.pdf").read_bytes()
        assert threaded == single[name]
        text = _valid_pages(threaded)
        assert name in text[0] and "Action 39" in "".join(text)
    assert single["Carcassonne"] != single["Vauvert"]
    assert _state() == before


def test_global_state_restored_when_the_render_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonttools, level = logging.getLogger("fontTools"), logging.getLogger("fontTools").level
    fonttools.setLevel(logging.DEBUG)  # a notebook user debugging fonts
    before = _state()
    seen = {}

    class Boom:
        def __init__(self, **kwargs: object) -> None:
            pass

        def render(self, *args: object, **kwargs: object) -> None:
            seen["during"] = _state()
            raise RuntimeError("échec de mise en page")

    monkeypatch.setattr(weasyprint, "HTML", Boom)
    try:
        with pytest.raises(RuntimeError):
            pdf.html_to_pdf("<p>x</p>", tmp_path / "r.pdf")
        after = _state()
    finally:
        fonttools.setLevel(level)
    during = seen["during"]
    assert not during["gc_enabled"] and during["loggers"]["fontTools"] == logging.ERROR
    if svgtext.supported():
        assert during["svg_text"] is not before["svg_text"]
    if int(weasyprint.__version__.split(".")[0]) in pdf.RELEASED_LAYOUT_MAJORS:
        assert during["layout_context"] is not before["layout_context"]
    assert after == before and after["loggers"]["fontTools"] == logging.DEBUG


def test_streams_are_deflated_at_level_6_in_this_pdf_only(tmp_path: Path) -> None:
    html, uris = _document("Béziers", 120)
    pdf.html_to_pdf(html, tmp_path / "r.pdf", uris)
    reader = PdfReader(tmp_path / "r.pdf")
    content = reader.pages[0]["/Contents"].get_object()  # the stream as stored in the file
    raw, decoded = content._data, content.get_data()
    assert b"Tj" in decoded or b"TJ" in decoded  # a real page stream, with text
    assert raw == zlib.compress(decoded, pdf.DEFLATE_LEVEL) and raw != zlib.compress(decoded, 9)
    assert pydyf.zlib is zlib  # nothing patched: another PDF written now gets pydyf's own level
    other = pydyf.PDF()
    other.add_object(pydyf.Stream([b"0 0 m 10 10 l S"] * 200, compress=True))
    out = io.BytesIO()
    other.write(out)
    assert zlib.compress(b"\n".join([b"0 0 m 10 10 l S"] * 200), 9) in out.getvalue()


def test_whole_run_svg_text_only_acts_in_the_rendering_thread(tmp_path: Path) -> None:
    """While our render holds the shim, plain WeasyPrint in another thread draws with its own code."""
    if not svgtext.supported():
        pytest.fail(f"WeasyPrint {weasyprint.__version__} is outside the versions pyproject.toml allows")
    html = f'<html lang="fr"><body>{CHART.format(w=50)}</body></html>'
    reference = weasyprint.HTML(string=html).write_pdf()
    with svgtext.whole_runs():
        shimmed = weasyprint.HTML(string=html).write_pdf()
        result = {}
        other = threading.Thread(target=lambda: result.update(pdf=weasyprint.HTML(string=html).write_pdf()))
        other.start()
        other.join(timeout=60)
    assert shimmed != reference  # the shim did act here (one text operator per run, not per letter)
    assert result["pdf"] == reference
    assert not hasattr(wsvg.text, "__wrapped__") and wsvg.TAGS["text"] is wsvg.text


def test_cached_page_references_are_pydyfs_own_at_every_page_count() -> None:
    """The render-time cache of `PDF.page_references` gives what pydyf computes, also after a page is added."""
    pydyfs_own = pydyf.PDF.__dict__["page_references"].fget
    doc = pydyf.PDF()
    with pdf.cached_page_references():
        with pdf.cached_page_references():  # nested: left as the outer block set it
            for n in range(1, 4):
                doc.add_page(pydyf.Dictionary({"Type": "/Page"}))
                assert doc.page_references == pydyfs_own(doc) and len(doc.page_references) == n
        assert type(doc).page_references.fget is pdf._page_references
    assert type(doc).page_references.fget is pydyfs_own  # restored


def _left_to_collector(tmp_path: Path, name: str) -> tuple[int, int, bytes]:
    """Computed styles and table boxes a render leaves in reference cycles (the caller paused the collector)."""
    from weasyprint.css import ComputedStyle
    from weasyprint.formatting_structure.boxes import TableBox

    html, uris = _document("Sète", 150)
    gc.collect()
    gc.disable()  # a caller that paused the collector: render_scope leaves it paused and collects nothing
    try:
        pdf.html_to_pdf(html, tmp_path / name, uris)
        objects = gc.get_objects()
        styles = sum(isinstance(o, ComputedStyle) for o in objects)
        tables = sum(isinstance(o, TableBox) for o in objects)
        del objects
    finally:
        gc.enable()
        gc.collect()
    return styles, tables, (tmp_path / name).read_bytes()


@pytest.mark.skipif(
    int(weasyprint.__version__.split(".")[0]) not in pdf.RELEASED_LAYOUT_MAJORS,
    reason="WeasyPrint version whose layout context is left to the collector",
)
def test_a_render_leaves_its_styles_to_reference_counting_not_to_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    released, tables_released, pdf_released = _left_to_collector(tmp_path, "libere.pdf")
    monkeypatch.setattr(pdf, "RELEASED_LAYOUT_MAJORS", ())
    kept, tables_kept, pdf_kept = _left_to_collector(tmp_path, "garde.pdf")
    assert kept > 100  # without: every computed style of the page waits for the cyclic collector
    assert released * 20 < kept  # with: a handful in WeasyPrint's own small cycles
    assert tables_kept >= 1 and tables_released == 0  # the laid-out table and its cells, freed at once
    assert pdf_released == pdf_kept
