"""Time and memory of check, diagnose and the PDF against the number of actions (issue 14).

    python benchmarks/actions_scale.py [--counts 10 60 300 500] [--json mesures.json]

Each size is a copy of sample_data/carcassonne.xlsx whose Actions sheet is filled with N rows (catalogue
codes in turn, then LIBRE actions with varied titles, scores and costs: illustrative rows, never real
plans). Each size runs in its own process, so that peak memory (VmHWM) is that of one report:
check, diagnose, then the PDF; pages come from the PDF. Timings live here, never in a unit test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_workbook(n: int, target: Path) -> Path:
    """carcassonne.xlsx with N action rows (header kept; the sample's rows replaced)."""
    import tomllib

    import openpyxl

    catalogue = tomllib.loads((ROOT / "toolkit" / "data" / "actions.toml").read_text(encoding="utf-8"))
    codes = [a["code"] for a in catalogue["action"]]
    wb = openpyxl.load_workbook(ROOT / "sample_data" / "carcassonne.xlsx")
    ws = wb["Actions"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Code")
    first = header + 1
    while ws.cell(first, 1).value and str(ws.cell(first, 1).value).startswith("#"):
        first += 1
    ws.delete_rows(first, ws.max_row - first + 1)
    fields = (
        "Code",
        "Intitulé",
        "Champ",
        "Enjeux visés",
        "Impact",
        "Faisabilité",
        "Coût",
        "Pilote",
        "Partenaires",
        "Diagnostic",
        "Étude",
        "Mobilisation",
        "Échéance",
    )
    for i in range(n):
        if i < len(codes):
            row = [codes[i], None, None, None]
        else:
            row = ["LIBRE", f"Action locale n° {i + 1} (illustratif)", "Commerce", "COMMERCE;ATTRACTIVITE"]
        row += [
            1 + i % 5,
            1 + (i * 3) % 5,
            5000 + (i * 7919) % 200000,
            "Ville",
            "CCI ; bailleur",
            "Fait",
            "À faire",
            "En cours",
            2026 + i % 3,
        ]
        for col, value in enumerate(row[: len(fields)], start=1):
            ws.cell(first + i, col, value)
    wb.save(target)
    return target


def _measure_one(path: str, out_pdf: str) -> dict:
    """In a fresh process: check, diagnose, PDF; times and peak RSS."""
    sys.path.insert(0, str(ROOT))
    import toolkit as pe
    from toolkit.validate import check

    t = time.perf_counter()
    report = check(path)
    t_check = time.perf_counter() - t
    result = {
        "check_s": round(t_check, 3),
        "check_ok": report.ok,
        "check_errors": [i.format() for i in report.errors[:2]],
    }
    if report.ok:
        t = time.perf_counter()
        diag = pe.diagnose(report.workbook, report=report)
        result["diagnose_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        pe.render_pdf(diag, out_pdf)
        result["pdf_s"] = round(time.perf_counter() - t, 3)
        from pypdf import PdfReader

        result["pages"] = len(PdfReader(out_pdf).pages)
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                result["peak_rss_mo"] = round(int(line.split()[1]) / 1024)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description="Temps et mémoire selon le nombre d'actions.")
    ap.add_argument("--counts", type=int, nargs="*", default=[10, 60, 300, 500])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # internal: measure one workbook
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_measure_one(*args.one)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.counts:
            wb = make_workbook(n, Path(tmp) / f"actions-{n}.xlsx")
            t = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(wb), str(Path(tmp) / f"r-{n}.pdf")],
                capture_output=True,
                text=True,
                check=True,
            )
            row = {"actions": n, "total_s": round(time.perf_counter() - t, 2), **json.loads(proc.stdout)}
            rows.append(row)
            print(
                f"{n:>5} actions : check {row['check_s']:.2f} s, diagnose {row.get('diagnose_s', 0):.2f} s, "
                f"PDF {row.get('pdf_s', 0):.2f} s ({row.get('pages', '—')} pages), processus {row['total_s']:.1f} s, "
                f"pic mémoire {row['peak_rss_mo']} Mo"
                + ("" if row["check_ok"] else f" — refusé : {row['check_errors']}"),
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
