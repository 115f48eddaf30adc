"""Where the time of one report goes, stage by stage, through the public API (run in its own process).

    python benchmarks/stages.py classeur.xlsx [--repeat 3]   # prints JSON: imports, cold and warm stages

Stages: read (`read_raw`), validate (`validate`), score (`diagnose` minus robustness), robustness (the
Monte Carlo draws, timed by wrapping the function `diagnose` calls), charts (the SVG chart functions the
view calls), HTML (view + Jinja, i.e. `render_pdf` minus charts, layout, write and gc), layout
(WeasyPrint's HTML parsing, `weasyprint.HTML(...)`, reported also apart as `parse`, plus
`weasyprint.HTML.render`), write (`Document.write_pdf`, PDF serialisation and font subsetting) and gc
(the one collection `html_to_pdf` runs after the render).
The wrappers only add a clock around the same calls `pilier-eco diagnose` makes.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

CHART_FUNCTIONS = ("enjeux_chart", "matrix_chart", "gantt_chart", "partner_map")
ORDER = ("read", "validate", "score", "robustness", "charts", "html", "layout", "write", "gc")

_spent: dict[str, float] = defaultdict(float)


def _timed(stage: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _spent[stage] += time.perf_counter() - t

    return wrapper


def _instrument() -> None:
    import gc

    import weasyprint
    import weasyprint.document

    from toolkit import diagnostic
    from toolkit.report import charts, pdf

    class _TimedGC:  # the collection html_to_pdf runs once after each render
        collect = staticmethod(_timed("gc", gc.collect))

        def __getattr__(self, name: str):
            return getattr(gc, name)

    pdf.gc = _TimedGC()
    diagnostic.robustness = _timed("robustness", diagnostic.robustness)
    for name in CHART_FUNCTIONS:
        setattr(charts, name, _timed("charts", getattr(charts, name)))
    weasyprint.HTML.__init__ = _timed("parse", weasyprint.HTML.__init__)
    weasyprint.HTML.render = _timed("layout", weasyprint.HTML.render)
    weasyprint.document.Document.write_pdf = _timed("write", weasyprint.document.Document.write_pdf)


def one_report(path: Path, out: Path) -> dict[str, float]:
    from toolkit.config import Config
    from toolkit.diagnostic import diagnose
    from toolkit.io.reader import read_raw
    from toolkit.report import render_pdf
    from toolkit.validate.workbook import validate

    _spent.clear()
    cfg = Config()
    t0 = time.perf_counter()
    raw = read_raw(path, cfg.limits)
    t1 = time.perf_counter()
    report = validate(raw, cfg.catalogue)
    t2 = time.perf_counter()
    diag = diagnose(report.workbook, cfg, report=report)
    t3 = time.perf_counter()
    render_pdf(diag, out)
    t4 = time.perf_counter()
    robust, charts, parse, write, collect = (_spent[k] for k in ("robustness", "charts", "parse", "write", "gc"))
    layout = parse + _spent["layout"]
    return {
        "read": t1 - t0,
        "validate": t2 - t1,
        "score": (t3 - t2) - robust,
        "robustness": robust,
        "charts": charts,
        "html": (t4 - t3) - charts - layout - write - collect,
        "layout": layout,
        "write": write,
        "gc": collect,
        "parse": parse,
        "total": t4 - t0,
    }


def main(argv: list[str]) -> dict:
    path = Path(argv[0])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    t = time.perf_counter()
    import weasyprint  # noqa: F401 - the import is what is timed here

    import toolkit.diagnostic
    import toolkit.report.pdf
    import toolkit.validate  # noqa: F401 - the import is what is timed here

    imports = time.perf_counter() - t
    _instrument()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rapport.pdf"
        cold = one_report(path, out)
        warm = [one_report(path, out) for _ in range(repeat)]
    best = min(warm, key=lambda s: s["total"])
    return {"imports": imports, "cold": cold, "warm": best}


if __name__ == "__main__":
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    print(json.dumps(main(sys.argv[1:])))
