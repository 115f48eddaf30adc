"""Rendering fetches nothing: URLs in workbook text stay inert text, and the fetcher refuses the network.

A local HTTP listener counts requests; its URL is planted in every free text of a Diagnostic as `<img>`,
`<link>`, CSS `url()` and `@import`. After rendering HTML and PDF, it must have received zero requests.
"""

from __future__ import annotations

import pytest
from report_factories import build_diagnostic

from toolkit.report import render_html, render_pdf
from toolkit.report.fetcher import FetchRefused, SafeURLFetcher
from toolkit.report.pdf import html_to_pdf
from toolkit.resources import templates_dir


def payload(base: str) -> str:
    """Every way markup could fetch: image, stylesheet link, @import, CSS url(), SVG image, iframe (kept short:
    the payload lands in every free text, and long unbreakable strings slow the layout down)."""
    return (
        f'<img src="{base}/img.png"> <link rel="stylesheet" href="{base}/x.css"> '
        f'<style>@import "{base}/imp.css"; b {{ background: url({base}/bg.png) }}</style> '
        f'<svg><image href="{base}/svg.png"/></svg> <iframe src="{base}/frame"></iframe> '
    )


def test_rendering_html_and_pdf_fetches_nothing(listener, tmp_path):
    base, hits = listener
    diag = build_diagnostic(hostile=True, payload=payload(base))
    html = render_html(diag)
    render_pdf(diag, tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").stat().st_size > 10_000
    assert hits == []
    assert f"&lt;img src=&#34;{base}/img.png&#34;&gt;" in html
    assert f'<img src="{base}' not in html and f'<link rel="stylesheet" href="{base}' not in html
    css = html[html.index("<style>\n") : html.index("\n</style>")]
    assert base not in css  # the real stylesheet never carries workbook text


def test_fetcher_refuses_network_and_outside_files_even_in_raw_html(listener, tmp_path):
    """Second lock: even markup that escaped escaping could not reach the network or the disk."""
    base, hits = listener
    raw = (
        f'<html><head><link rel="stylesheet" href="{base}/x.css"><style>@import url("{base}/i.css");'
        f"p {{ background: url({base}/bg.png) }}</style></head><body><p>x</p>"
        f'<img src="{base}/a.png" alt="a"><img src="file:///etc/passwd" alt="b">'
        f'<img src="ftp://127.0.0.1/x.png" alt="c"><img src="data:image/png;base64,iVBORw0KGgo=" alt="d">'
        f'<img src="../../../../etc/hostname" alt="e"></body></html>'
    )
    fetcher = html_to_pdf(raw, tmp_path / "raw.pdf")
    assert hits == []
    refused = " ".join(fetcher.refused)
    for needle in (base, "file:///etc/passwd", "ftp://", "data:image/png", "etc/hostname"):
        assert needle in refused, needle


def test_fetcher_serves_only_files_under_the_templates_dir(tmp_path):
    root = templates_dir()
    fetcher = SafeURLFetcher(root, allowed_data_uris=("data:text/plain;base64,b2s=",))
    css = next(root.glob("*.css"))
    assert fetcher.fetch(css.resolve().as_uri()).read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (
        outside.as_uri(),
        (root / ".." / "pyproject.toml").as_uri(),
        "http://127.0.0.1:9/",
        "https://example.org/",
        "data:text/plain;base64,c2VjcmV0",
        "file://host/share/x.css",
        "javascript:x",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
