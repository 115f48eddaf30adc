"""Benchmark of the follow-up (issue 15), not a test: targets are printed with PASS/FAIL, nothing fails the run.

    nice .venv/bin/python benchmarks/suivi.py [--territoires 1600] [--annees 7] [--json mesures-suivi.json]

1. Recording a snapshot (take_snapshot + one transaction into a SQLite base): target ≤ 0.5 s.
2. `bilan` over 7 yearly snapshots against a diagnostic render, per page: target ≤ 1.3 ×.
3. A base of 1,600 territories × 7 years, written directly through the store from the Carcassonne snapshot
   (names numbered, indicator values shifted, statuses cycled, vigilance messages per territory with a
   quarter reworded each year: illustrative, never real): target < 200 MB, and `historique` (whole base,
   one territory; library and CLI process) under 1 s; recording into it ≤ 0.5 s; `verifier` (full check).
Wall-clock times, best of N; for processes also their CPU time (user + system, from os.wait4), which the
load of the machine disturbs less. Everything is written under a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
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
SAMPLE = ROOT / "sample_data" / "carcassonne.xlsx"
STATUTS = (None, "à venir", "en cours", "réalisée", "en pause", "bloquée")


def best(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def process(cmd: list[str], stdout: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one process, its output written to `stdout` (as `> fichier` would)."""
    with stdout.open("wb") as fh:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} : code {proc.returncode} : {proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def best_process(cmd: list[str], stdout: Path, n: int) -> tuple[float, float]:
    runs = [process(cmd, stdout) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def yearly(snap, year: int, k: int, name: str | None = None):
    """The snapshot as if filled in `year`: values shifted, statuses and budgets moving (illustratif).

    Under another `name`, the vigilance messages are that territory's own (its name appended) and a quarter
    of them is reworded each year: the shared-texts table then grows as it would with real territories,
    instead of holding one set of messages for the whole base."""
    inds = tuple(
        replace(
            i,
            valeur_quartier=None if i.valeur_quartier is None else round(i.valeur_quartier * (1 - 0.02 * k), 3),
            cible_annee=2030,
            cible_valeur=None if i.valeur_quartier is None else round(i.valeur_quartier * 0.85, 3),
        )
        for i in snap.indicateurs
    )
    acts = tuple(
        replace(
            a,
            statut=STATUTS[(j + k) % len(STATUTS)] if k else None,
            budget_engage=(a.cout or 0) * min(1.0, 0.2 * k) or None,
            budget_realise=(a.cout or 0) * min(1.0, 0.15 * k) or None,
            note=f"Note {year} (illustratif) : avancement de l'action." if k else None,
        )
        for j, a in enumerate(snap.actions)
    )
    vig = snap.vigilance
    if name:
        vig = tuple(
            replace(v, message=f"{v.message} ({name})" + (f" Revu en {year}." if (j + k) % 4 == 0 else ""))
            for j, v in enumerate(vig)
        )
    return replace(
        snap,
        territoire=name or snap.territoire,
        date_situation=date(year, 3, 31),
        indicateurs=inds,
        actions=acts,
        vigilance=vig,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--territoires", type=int, default=1600)
    ap.add_argument("--annees", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import toolkit as pe
    from toolkit.report.review import render_review_pdf
    from toolkit.suivi.review import build_review
    from toolkit.suivi.snapshot import take_snapshot
    from toolkit.suivi.store import open_base

    tmp = Path(tempfile.mkdtemp(prefix="bench-suivi-"))
    out: dict[str, object] = {}
    try:
        report = pe.check(SAMPLE)
        diag = pe.diagnose(report.workbook, report=report)
        base_snap = take_snapshot(report.workbook, diag)
        years = list(range(2024, 2024 + args.annees))

        # 1. recording
        db = tmp / "record.sqlite"
        open_base(db).close()
        counter = iter(range(10_000))

        def record_one() -> None:
            k = next(counter)
            with open_base(db) as b:  # as `suivi enregistrer`: header and schema checked, no full read
                b.record(yearly(base_snap, 2024 + k % 7, k, name=f"Mesure {k}"))

        out["enregistrement_s"] = best(record_one, 7)
        out["instantane_seul_s"] = best(lambda: take_snapshot(report.workbook, diag), 5)
        print(
            f"1. Enregistrer un instantané (ouverture + contrôle de l'en-tête + transaction) : {out['enregistrement_s']:.3f} s "
            f"(cible ≤ 0,5 s : {'OK' if out['enregistrement_s'] <= 0.5 else 'MANQUÉ'}) ; "
            f"construire l'instantané : {out['instantane_seul_s']:.3f} s ; check + diagnose non compris"
        )

        # 2. bilan vs diagnostic, per page
        snaps = [yearly(base_snap, y, k) for k, y in enumerate(years)]
        db7 = tmp / "sept.sqlite"
        with open_base(db7) as b:
            for s in snaps:
                b.record(s)
            stored = b.snapshots(base_snap.territoire)
        review = build_review(stored)
        rpdf, dpdf = tmp / "revue.pdf", tmp / "diag.pdf"
        t_rev = best(lambda: render_review_pdf(review, rpdf), 3)
        t_diag = best(lambda: pe.render_pdf(diag, dpdf), 3)
        p_rev, p_diag = pages(rpdf), pages(dpdf)
        ratio = (t_rev / p_rev) / (t_diag / p_diag)
        out.update(bilan_s=t_rev, bilan_pages=p_rev, diagnostic_s=t_diag, diagnostic_pages=p_diag, ratio_par_page=ratio)
        print(
            f"2. bilan sur {len(years)} instantanés : {t_rev:.2f} s pour {p_rev} pages ; diagnostic : {t_diag:.2f} s "
            f"pour {p_diag} pages ; rapport par page {ratio:.2f} × (cible ≤ 1,3 : {'OK' if ratio <= 1.3 else 'MANQUÉ'})"
        )

        # 3. big base
        big = tmp / "grande.sqlite"
        t0 = time.perf_counter()
        with open_base(big) as b:
            batch = []
            for i in range(args.territoires):
                name = f"Territoire {i + 1:04d} (illustratif)"
                batch.extend(yearly(base_snap, y, k + i, name=name) for k, y in enumerate(years))
                if len(batch) >= 700:
                    b.record_many(batch)
                    batch = []
            if batch:
                b.record_many(batch)
        t_fill = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in big.parent.glob(big.name + "*")) / 1e6
        with open_base(big) as b:
            b.engine.dispose()
        size_after = big.stat().st_size / 1e6
        out.update(remplissage_s=t_fill, taille_mo=size_after, taille_avec_wal_mo=size)
        middle = f"Territoire {max(1, args.territoires // 2):04d} (illustratif)"
        with open_base(big) as b:
            n = len(b.history())
            t_all = best(b.history, 3)
            t_one = best(lambda: b.history(middle), 5)
            t_snaps = best(lambda: b.snapshots(middle), 5)
        cli = [sys.executable, "-m", "toolkit", "suivi", "historique", "--base", str(big)]
        t_cli_one, cpu_cli_one = best_process([*cli, "--territoire", middle], tmp / "un.txt", 3)
        t_cli_all, cpu_cli_all = best_process([*cli, "--json"], tmp / "tout.json", 3)
        assert len(json.loads((tmp / "tout.json").read_text(encoding="utf-8"))) == n
        t_cli_bare, cpu_cli_bare = best_process(
            [sys.executable, "-m", "toolkit", "suivi", "--help"], tmp / "aide.txt", 3
        )
        recs = iter(range(1, 100))
        t_rec_big = best(
            lambda: _record_into(big, yearly(base_snap, 2030 + next(recs), 99, name="Territoire 0001 (illustratif)")), 3
        )
        t_verify = best(lambda: open_base(big, check=True).close(), 1)
        t_cli_verify, cpu_cli_verify = best_process(
            [sys.executable, "-m", "toolkit", "suivi", "verifier", "--base", str(big)], tmp / "verif.txt", 1
        )
        out.update(
            instantanes=n,
            historique_base_s=t_all,
            historique_territoire_s=t_one,
            instantanes_territoire_s=t_snaps,
            cli_historique_territoire_s=t_cli_one,
            cli_historique_territoire_cpu_s=cpu_cli_one,
            cli_historique_json_base_s=t_cli_all,
            cli_historique_json_base_cpu_s=cpu_cli_all,
            cli_aide_s=t_cli_bare,
            cli_aide_cpu_s=cpu_cli_bare,
            enregistrement_grande_base_s=t_rec_big,
            verifier_s=t_verify,
            cli_verifier_s=t_cli_verify,
            cli_verifier_cpu_s=cpu_cli_verify,
        )
        print(
            f"3. {n} instantanés ({args.territoires} territoires × {len(years)} ans) écrits en {t_fill:.0f} s ; "
            f"taille {size_after:.0f} Mo (cible < 200 Mo : {'OK' if size_after < 200 else 'MANQUÉ'})"
        )
        print(
            f"   historique (bibliothèque) : toute la base {t_all:.3f} s, un territoire {t_one:.3f} s ; "
            f"7 instantanés complets d'un territoire {t_snaps:.3f} s"
        )
        print(
            f"   historique (processus pilier-eco) : un territoire {t_cli_one:.2f} s (CPU {cpu_cli_one:.2f} s ; "
            f"cible < 1 s : {'OK' if t_cli_one < 1 else 'MANQUÉ'}), toute la base en JSON {t_cli_all:.2f} s "
            f"(CPU {cpu_cli_all:.2f} s) ; « pilier-eco suivi --help » seul : {t_cli_bare:.2f} s (CPU {cpu_cli_bare:.2f} s)"
        )
        print(
            f"   enregistrer dans cette grande base : {t_rec_big:.3f} s (cible ≤ 0,5 s : "
            f"{'OK' if t_rec_big <= 0.5 else 'MANQUÉ'}) ; contrôle complet (verifier) : bibliothèque {t_verify:.2f} s, "
            f"processus {t_cli_verify:.2f} s (CPU {cpu_cli_verify:.2f} s)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _record_into(db: Path, snap) -> None:
    from toolkit.suivi.store import open_base

    with open_base(db) as b:
        b.record(snap)


if __name__ == "__main__":
    os.environ.setdefault("PILIER_ECO_DEBUG", "1")
    main()
