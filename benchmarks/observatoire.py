"""Benchmark of the observatory (issue 27), not a test: targets are printed with PASS/FAIL, nothing fails the run.

    nice .venv/bin/python benchmarks/observatoire.py [--territoires 1600] [--annees 7] [--base grande.sqlite]

A SQLite base of N territories × 7 yearly snapshots, written directly through the store from the Carcassonne
snapshot (benchmarks/suivi.py `yearly`: names numbered, values shifted, statuses cycled, vigilance reworded:
illustrative, never real); each territory is given one of the 105 Occitanie quartiers (round robin), so the
map places it, an EPCI (20 territories each) and, one territory in four, a « réalisée » action with a result
(a candidate experience). Then, as a user meets them:

1. `pilier-eco observatoire --base … -o observatoire.pdf` (whole process): target ≤ 60 s at 1,600 territories.
2. The page `/observatoire`, first view (a fresh app, a cold request through Starlette's TestClient): ≤ 2 s.
3. `pilier-eco observatoire experiences --base … -o candidates.toml` (whole process): ≤ 10 s.

Wall-clock times, with the processes' CPU time (user + system, os.wait4), which the shared host's load
disturbs less. `--base` keeps (or reuses) the generated base; otherwise everything is written under a
temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def process(cmd: list[str]) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} : {proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def build(db: Path, territories: int, years: int) -> float:
    from suivi import yearly  # benchmarks/suivi.py

    import toolkit as pe
    from toolkit.catalog.qpv import qp_communes
    from toolkit.suivi.snapshot import take_snapshot
    from toolkit.suivi.store import open_base

    report = pe.check(ROOT / "sample_data" / "carcassonne.xlsx")
    wb = report.workbook
    base_snap = take_snapshot(wb, pe.diagnose(wb, report=report, today=wb.territoire.date_diagnostic))
    qpv = sorted(qp_communes().values(), key=lambda q: q.code_qp)
    first_years = [2024 + k for k in range(years)]
    t0 = time.perf_counter()
    with open_base(db) as b:
        batch = []
        for i in range(territories):
            q = qpv[i % len(qpv)]
            name = f"Territoire {i + 1:04d} (illustratif)"
            for k, y in enumerate(first_years):
                snap = yearly(base_snap, y, k + i, name=name)
                acts = snap.actions
                if i % 4 == 0 and k == years - 1:  # a candidate experience
                    acts = tuple(
                        replace(
                            a,
                            statut="réalisée",
                            indicateur_resultat="Personnes accompagnées",
                            valeur_resultat=40.0 + i % 7,
                        )
                        if j == 0
                        else a
                        for j, a in enumerate(acts)
                    )
                batch.append(
                    replace(
                        snap,
                        date_situation=date(y, 3, 31),
                        actions=acts,
                        quartiers=((q.code_qp, q.nom_qp),),
                        communes=(q.code_commune,),
                        departement=q.departement,
                        epci=f"EPCI n° {i // 20 + 1} (illustratif)",
                    )
                )
            if len(batch) >= 700:
                b.record_many(batch)
                batch = []
        if batch:
            b.record_many(batch)
    return time.perf_counter() - t0


def views(db: Path, wait: float) -> list[tuple[str, float, float]]:
    """(what, wall, CPU of this process) of the first view `wait` seconds after the server started (it reads
    the base in the background from its start), the next one, a filter."""
    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    out = []
    with tempfile.TemporaryDirectory() as d:
        app = create_app(WebSettings(data_dir=Path(d), workers=1, suivi_base=str(db)))
        with TestClient(app, base_url="http://127.0.0.1") as client:  # the server answers only to its own names
            time.sleep(wait)
            for what, params in (
                ("première vue", {}),
                ("vue suivante", {}),
                ("filtre département 34", {"departement": "34"}),
            ):
                t, c = time.perf_counter(), time.process_time()
                r = client.get("/observatoire", params=params)
                out.append((what, time.perf_counter() - t, time.process_time() - c))
                assert r.status_code == 200 and "Territoire 00" in r.text, r.status_code
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--territoires", type=int, default=1600)
    ap.add_argument("--annees", type=int, default=7)
    ap.add_argument("--base", type=Path, help="garder la base ici (réutilisée si elle existe)")
    ap.add_argument("--etapes", default="pdf,page,experiences", help="mesures à faire (pdf, page, experiences)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pilier-eco-obs-"))
    try:
        db = args.base or tmp / "grande.sqlite"
        if not db.exists():
            t_fill = build(db, args.territoires, args.annees)
            print(f"base de {args.territoires} × {args.annees} : {t_fill:.1f} s, {db.stat().st_size / 1e6:.0f} Mo")
        n = args.territoires
        cli = [sys.executable, "-m", "toolkit", "observatoire", "--base", str(db)]
        steps = set(args.etapes.split(","))
        if "pdf" in steps:
            wall, cpu = process([*cli, "-o", str(tmp / "observatoire.pdf"), "--force"])
            from pypdf import PdfReader

            pages = len(PdfReader(tmp / "observatoire.pdf").pages)
            target = 60 * n / 1600
            print(
                f"1. observatoire PDF, {n} territoires, {pages} pages : {wall:.1f} s (CPU {cpu:.1f} s) ; "
                f"cible {target:.0f} s à cette échelle : {'OK' if wall <= target else 'MANQUÉ'} "
                f"(charge {os.getloadavg()[0]:.1f})"
            )
        if "page" in steps:
            for wait in (0.0, 20.0):
                for what, wall, cpu in views(db, wait):
                    print(
                        f"2. page /observatoire, {what}, visite {wait:g} s après le démarrage : {wall:.2f} s "
                        f"(CPU {cpu:.2f} s) ; cible ≤ 2 s : {'OK' if wall <= 2 else 'MANQUÉ'} "
                        f"(charge {os.getloadavg()[0]:.1f})"
                    )
        if "experiences" in steps:
            wall_c, cpu_c = process([*cli[:4], "experiences", "--base", str(db), "-o", str(tmp / "c.toml"), "--force"])
            print(
                f"3. experiences : {wall_c:.2f} s (CPU {cpu_c:.2f} s) ; cible ≤ 10 s : {'OK' if wall_c <= 10 else 'MANQUÉ'}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
