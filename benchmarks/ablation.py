"""What each render setting of `toolkit/report/pdf.py` is worth, measured by switching it off (A/B).

    python benchmarks/ablation.py [--rounds 4] [classeur.xlsx …]   # default: the three samples

The same reports are rendered in turn with every setting, then without each one (whole-run SVG text,
deflate level 6 finisher, one collection after the render), in one process, interleaved round after round so that
a burst of load hits every variant; the figure is the median CPU time (`time.process_time`) of a round.
The machine varies by ±5 %: read differences below that as noise (docs/performance.md).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {
    "whole_runs": "libellés SVG posés en une fois",
    "deflate_streams": "compression niveau 6",
    "gc": "une passe de ramasse-miettes après le rendu",
}


class _CollectorUntouched:
    """`gc` as `render_scope` sees it with setting 6 off: disable/enable/collect do nothing."""

    def __getattr__(self, name: str):
        import gc

        return (lambda *a, **k: None) if name in ("disable", "enable", "collect") else getattr(gc, name)


def _off(name: str):
    return {"whole_runs": contextlib.nullcontext, "deflate_streams": None, "gc": _CollectorUntouched()}[name]


def main() -> None:
    ap = argparse.ArgumentParser(description="Part de chaque réglage du rendu PDF (A/B entrelacé).")
    ap.add_argument("workbooks", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    import toolkit as pe
    from toolkit.report import pdf
    from toolkit.report.render import render_view
    from toolkit.report.view import build_view

    files = args.workbooks or sorted((ROOT / "sample_data").glob("*.xlsx"))
    docs = []
    for f in files:
        view = build_view(pe.diagnose(pe.read(f)))
        docs.append((render_view(view), view.data_uris))
    originals = {name: getattr(pdf, name) for name in SETTINGS}
    variants = {"tous les réglages": None, **{f"sans {label}": name for name, label in SETTINGS.items()}}
    times: dict[str, list[float]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "r.pdf"
        for r in range(args.rounds + 1):  # round 0 warms every variant up and is not counted
            for label, off in variants.items():
                for name, fn in originals.items():
                    setattr(pdf, name, _off(name) if name == off else fn)
                t = time.process_time()
                for html, uris in docs:
                    pdf.html_to_pdf(html, target, uris)
                if r:
                    times[label].append(time.process_time() - t)
        for name, fn in originals.items():
            setattr(pdf, name, fn)
    base = statistics.median(times["tous les réglages"])
    print(f"{len(docs)} rapports par tour, médiane de {args.rounds} tours (temps CPU)")
    for label, ts in times.items():
        med = statistics.median(ts)
        print(f"  {label:<55} {med:7.2f} s  {med / base:5.2f} ×")


if __name__ == "__main__":
    main()
