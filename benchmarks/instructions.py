"""Instructions one report costs in steady state, counted by valgrind: a measure the host's load cannot move.

    .venv/bin/python benchmarks/instructions.py            # ≈ 5 min, both cores (two valgrind runs at once)
    .venv/bin/python benchmarks/instructions.py --json mesures-instructions.json

The shared host of this project changes speed by ±50 % within an hour, so wall-clock figures of different
hours do not compare (docs/performance.md). Instructions do: `valgrind --tool=callgrind` counts the same
total for the same code and input whatever else runs. One process renders one report, another renders
two, both through the public API as `batch` does; the difference is one report after the imports and
first-use costs, the unit of the « pays entier » throughput. The workbook is the first synthetic one of
`synthetic.py`, as in `make bench`. To compare two versions, run this script from each checkout.

Instruction counts ignore memory stalls (what the cyclic collector costs is partly cache misses), so a
change that only saves memory traffic shows less here than on the clock. Needs Debian's `valgrind`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402 - after sys.path gets benchmarks/
import synthetic  # noqa: E402 - after sys.path gets benchmarks/

RENDER = """
import sys
import toolkit as pe
from toolkit.report import render_pdf
for i in range(int(sys.argv[1])):
    render_pdf(pe.diagnose(pe.read(sys.argv[2])), sys.argv[3] + f"/r{i}.pdf")
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def count(renders: int, workbook: Path, work: Path) -> int:
    """Instructions of a whole process that renders `workbook` `renders` times."""
    out = work / f"sortie-{renders}"
    out.mkdir()
    proc = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={work / f'callgrind.{renders}'}",
            sys.executable,
            "-c",
            RENDER,
            str(renders),
            str(workbook),
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"valgrind a échoué ({proc.returncode}) :\n{proc.stderr[-1500:]}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description="Instructions d'un rapport en régime établi (valgrind).")
    ap.add_argument("--json", type=Path, default=None, help="écrire aussi les mesures en JSON")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind introuvable : installez-le (sudo apt-get install valgrind).")
    with tempfile.TemporaryDirectory(prefix="pilier-instructions-") as tmp:
        work = Path(tmp)
        workbook = synthetic.make_workbooks(sorted((ROOT / "sample_data").glob("*.xlsx")), work / "classeurs", 1)[0]
        with ThreadPoolExecutor(max_workers=2) as pool:
            one, two = pool.map(lambda n: count(n, workbook, work), (1, 2))
        pages = measure.pdf_pages(work / "sortie-1" / "r0.pdf") or 1
    per_report = two - one
    print(f"classeur : {workbook.name} ({pages} pages)")
    print(f"  processus qui rend 1 rapport (imports compris) : {one / 1e9:8.2f} G instructions")
    print(f"  processus qui rend 2 rapports                  : {two / 1e9:8.2f} G instructions")
    print(
        f"  un rapport en régime établi                    : {per_report / 1e9:8.2f} G instructions, "
        f"{per_report / pages / 1e9:.3f} G par page"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "classeur": workbook.name,
                    "pages": pages,
                    "un_rapport_processus": one,
                    "deux_rapports_processus": two,
                    "rapport_etabli": per_report,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
