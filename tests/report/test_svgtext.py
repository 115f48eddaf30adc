"""The whole-run SVG text shim draws the same words at the same places as WeasyPrint's per-letter code."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import weasyprint
import weasyprint.svg as wsvg

from toolkit.report import svgtext

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300"
 font-family="DejaVu Sans, sans-serif">
 <text x="10" y="20" font-size="11">Début à gauche</text>
 <text x="200" y="45" font-size="9" text-anchor="middle" font-weight="bold">Centré en gras</text>
 <text x="390" y="70" font-size="10" text-anchor="end">Aligné à droite</text>
 <text x="10" y="95" font-size="10" dominant-baseline="central">Ligne médiane</text>
 <text x="10" y="120" font-size="10">Avant <tspan font-weight="bold">gras</tspan> après</text>
 <text x="10" y="145" font-size="10"><tspan dx="30">Décalé</tspan></text>
 <text transform="rotate(-90 30 280)" x="30" y="280" font-size="8" text-anchor="middle">Vertical</text>
 <text x="10 60 110" y="180" font-size="10">ABC</text>
 <text x="10" y="205" font-size="10" rotate="0 20 0">Rot</text>
 <text x="10" y="230" font-size="10" letter-spacing="3">Espacé</text>
</svg>"""


def _render(tmp_path: Path, name: str, shim: bool) -> list[tuple[str, float, float, float, float]]:
    html = f'<html lang="fr"><body style="margin:0">{SVG}</body></html>'
    target = tmp_path / f"{name}.pdf"
    document = weasyprint.HTML(string=html)
    if shim:
        with svgtext.whole_runs():
            document.write_pdf(target)
    else:
        document.write_pdf(target)
    out = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in words]


def test_same_words_at_the_same_places(tmp_path: Path) -> None:
    """On a WeasyPrint the shim does not mirror, `whole_runs()` is inert and the pages are trivially equal."""
    reference = _render(tmp_path, "reference", shim=False)
    shimmed = _render(tmp_path, "shimmed", shim=True)
    assert [w[0] for w in shimmed] == [w[0] for w in reference]
    assert {"Centré", "droite", "gras", "Décalé", "Vertical"} <= {w[0] for w in reference}
    for ref, got in zip(reference, shimmed, strict=False):
        # Whole runs keep kerning, so a word's end may move by a fraction of a point, never more.
        assert got[1:] == pytest.approx(ref[1:], abs=1.0), (ref, got)


def test_swap_lasts_one_render_even_on_error() -> None:
    original = wsvg.text
    with pytest.raises(RuntimeError), svgtext.whole_runs():
        if svgtext.supported():
            assert wsvg.text is not original
            assert wsvg.TAGS["text"] is wsvg.text and wsvg.TAGS["tspan"] is wsvg.text
        raise RuntimeError("boom")
    assert wsvg.text is original
    assert wsvg.TAGS["text"] is original and wsvg.TAGS["tspan"] is original


def test_nested_use_does_not_wrap_twice() -> None:
    with svgtext.whole_runs():
        inner_before = wsvg.text
        with svgtext.whole_runs():
            assert wsvg.text is inner_before
        assert wsvg.text is inner_before


def test_unknown_weasyprint_keeps_its_own_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    original = wsvg.text
    with svgtext.whole_runs():
        assert wsvg.text is original
