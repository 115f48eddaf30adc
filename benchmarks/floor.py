"""The floor: a bare WeasyPrint process rendering a report's HTML, with the options pilier-eco uses.

    python benchmarks/floor.py rapport.html rapport.pdf

Same engine, same HTML, same PDF variant (tagged PDF/UA-1) and base URL as toolkit/report/pdf.py, but
no pilier-eco import, no workbook, no scoring: what a process cannot go below with this engine.
"""

import sys

from weasyprint import HTML

TEMPLATES = sys.argv[3] if len(sys.argv) > 3 else None

if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as fh:
        html = fh.read()
    HTML(string=html, base_url=TEMPLATES).write_pdf(
        target, pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=False
    )
