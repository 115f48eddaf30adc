"""pilier-eco benchmark (issue 6): every target of docs/performance.md measured side by side in one run.

    .venv/bin/python benchmarks/run.py             # full run (about 6-8 min on 2 cores): `make bench`
    .venv/bin/python benchmarks/run.py --quick     # smoke run (fewer repeats, 10 synthetic workbooks)
    .venv/bin/python benchmarks/run.py --json mesures.json --synthetic 100 --sequential 8

Prints, with targets and PASS/FAIL: `check` as a whole process and the `-X importtime` proof that the
PDF stack is not imported on that path; `diagnose` as a whole process against a bare WeasyPrint process
rendering the same HTML (the floor); `batch --jobs 2` against separate `diagnose` processes run one
after the other, with the peak RSS of each pool worker; N synthetic workbooks through `batch`,
extrapolated to 1 600 territories; the stage breakdown of one report. Timings are wall-clock, best of
N where repeated; nothing here is a unit test and nothing fails the process on a missed target.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402 - after sys.path gets benchmarks/
import measure  # noqa: E402 - after sys.path gets benchmarks/
import synthetic  # noqa: E402 - after sys.path gets benchmarks/

PY = sys.executable
CLI = [str(Path(PY).with_name("pilier-eco"))] if Path(PY).with_name("pilier-eco").exists() else [PY, "-m", "toolkit"]
#: Never to be imported by `check` (the PDF and data-frame stacks); numpy is not needed either.
FORBIDDEN_ON_CHECK = ("weasyprint", "pydyf", "fontTools", "cairocffi", "PIL", "matplotlib", "pandas", "numpy")
TARGETS = {
    "check_s": 0.3,
    "diagnose_floor_ratio": 1.2,
    "batch_ratio": 2.5,
    "worker_rss_mb": 250,
    "country_min": 30,
    "reports_per_min": 55,
}
COUNTRY = 1600

results: dict[str, object] = {}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def line(label: str, value: str, target: str = "", status: str = "") -> None:
    print(f"  {label:<52} {value:>18}  {target:<16} {status}")


def section(title: str) -> None:
    print(f"\n== {title}")


def load_text() -> str:
    la = machine.load_average()
    return "inconnue" if la is None else f"{la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f}"


# ------------------------------------------------------------------------------------------- sections


def bench_check(samples: list[Path], repeat: int) -> None:
    section(f"check — processus complet, meilleur de {repeat} (cible ≤ {TARGETS['check_s']} s)")
    worst = 0.0
    per_file = {}
    for f in samples:
        best, times = measure.best_of([*CLI, "check", str(f)], repeat)
        if best.returncode not in (0, 1):
            line(f.name, f"code {best.returncode}", "", "ERREUR")
            print("   ", best.stderr.strip()[:300])
            continue
        worst = max(worst, best.seconds)
        per_file[f.name] = {"best_s": best.seconds, "all_s": times, "maxrss_mb": best.maxrss_mb}
        line(
            f"{f.name} (RSS {best.maxrss_mb:.0f} Mo)",
            f"{best.seconds:.3f} s",
            f"≤ {TARGETS['check_s']} s",
            verdict(best.seconds <= TARGETS["check_s"]),
        )
    proc = subprocess.run(
        [PY, "-X", "importtime", "-m", "toolkit", "check", str(samples[0])], capture_output=True, text=True, cwd=ROOT
    )
    mods = measure.imported_modules(proc.stderr)
    found = sorted({m.split(".")[0] for m in mods} & set(FORBIDDEN_ON_CHECK))
    total_ms = sum(us for _, us in measure.top_level_imports(proc.stderr)) / 1000
    top = ", ".join(f"{n} {us / 1000:.0f} ms" for n, us in measure.top_level_imports(proc.stderr)[:4])
    line(
        "imports -X importtime : pile PDF absente",
        "aucun" if not found else ", ".join(found),
        "aucun",
        verdict(not found),
    )
    print(f"    {len(mods)} modules importés, {total_ms:.0f} ms d'imports ; les plus lents : {top}")
    results["check"] = {
        "files": per_file,
        "worst_s": worst,
        "forbidden_imported": found,
        "imports_ms": total_ms,
        "modules": len(mods),
    }


def bench_diagnose(samples: list[Path], repeat: int, work: Path) -> None:
    section(
        f"diagnose — processus complet contre WeasyPrint seul sur le même HTML, meilleur de {repeat} "
        f"(cible ≤ {TARGETS['diagnose_floor_ratio']} ×)"
    )
    templates = (
        subprocess.run(
            [PY, "-c", "from toolkit.resources import templates_dir; print(templates_dir().as_uri())"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.strip()
        + "/"
    )
    rows = {}
    worst = 0.0
    for f in samples:
        html, pdf, floor_pdf = work / f"{f.stem}.html", work / f"{f.stem}.pdf", work / f"{f.stem}-floor.pdf"
        first = measure.run([*CLI, "diagnose", str(f), "-o", str(pdf), "--html", str(html), "--force"], cwd=ROOT)
        if first.returncode != 0:
            line(f.name, f"code {first.returncode}", "", "ERREUR")
            print("   ", first.stderr.strip()[:300])
            continue
        diag_t, floor_t = [], []
        rss_d = rss_f = 0.0
        for _ in range(repeat):  # interleaved, so that a burst of load hits both sides
            d = measure.run([*CLI, "diagnose", str(f), "-o", str(pdf), "--force"], cwd=ROOT)
            b = measure.run([PY, str(HERE / "floor.py"), str(html), str(floor_pdf), templates], cwd=ROOT)
            diag_t.append(d.seconds)
            floor_t.append(b.seconds)
            rss_d, rss_f = max(rss_d, d.maxrss_mb), max(rss_f, b.maxrss_mb)
        pages = measure.pdf_pages(pdf)
        ratio = min(diag_t) / min(floor_t)
        worst = max(worst, ratio)
        rows[f.name] = {
            "diagnose_s": min(diag_t),
            "floor_s": min(floor_t),
            "ratio": ratio,
            "pages": pages,
            "diagnose_all_s": diag_t,
            "floor_all_s": floor_t,
            "rss_diagnose_mb": rss_d,
            "rss_floor_mb": rss_f,
        }
        line(
            f"{f.name} ({pages} p.) : {min(diag_t):.2f} s contre {min(floor_t):.2f} s",
            f"{ratio:.2f} ×",
            f"≤ {TARGETS['diagnose_floor_ratio']} ×",
            verdict(ratio <= TARGETS["diagnose_floor_ratio"]),
        )
    results["diagnose"] = {"files": rows, "worst_ratio": worst}


def _batch(folder: Path, out: Path, jobs: int) -> measure.Run:
    return measure.run(
        [*CLI, "batch", str(folder), "--out-dir", str(out), "--jobs", str(jobs), "--force"],
        cwd=ROOT,
        watch_children=True,
    )


def bench_batch(files: list[Path], work: Path, jobs: int) -> None:
    n = len(files)
    section(
        f"batch --jobs {jobs} contre {n} processus diagnose lancés l'un après l'autre, mêmes {n} classeurs "
        f"(cible ≥ {TARGETS['batch_ratio']} ×, ≤ {TARGETS['worker_rss_mb']} Mo par worker)"
    )
    out_sep = work / "separes"
    t = time.perf_counter()
    failures = 0
    for f in files:
        r = measure.run([*CLI, "diagnose", str(f), "-o", str(out_sep / f"{f.stem}.pdf"), "--force"], cwd=ROOT)
        failures += r.returncode != 0
    sep = time.perf_counter() - t
    folder = work / "lot"
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    b = _batch(folder, work / "lot-sortie", jobs)
    sep_rate, batch_rate = n / sep * 60, n / b.seconds * 60
    ratio = sep / b.seconds
    peak = max(b.worker_peaks_mb.values(), default=b.maxrss_mb)
    line(
        f"{n} processus diagnose séparés",
        f"{sep:.1f} s",
        f"{sep_rate:.1f} rapports/min",
        "" if not failures else f"{failures} échec(s)",
    )
    line(f"batch --jobs {jobs} (code {b.returncode})", f"{b.seconds:.1f} s", f"{batch_rate:.1f} rapports/min")
    line(
        "accélération batch / processus séparés",
        f"{ratio:.2f} ×",
        f"≥ {TARGETS['batch_ratio']} ×",
        verdict(ratio >= TARGETS["batch_ratio"]),
    )
    line(
        f"pic de RSS par worker ({len(b.worker_peaks_mb)} workers, /proc VmHWM)",
        f"{peak:.0f} Mo",
        f"≤ {TARGETS['worker_rss_mb']} Mo",
        verdict(peak <= TARGETS["worker_rss_mb"]),
    )
    print(f"    pic de RSS de tout l'arbre batch (wait4) : {b.maxrss_mb:.0f} Mo")
    results["batch"] = {
        "n": n,
        "jobs": jobs,
        "separate_s": sep,
        "batch_s": b.seconds,
        "ratio": ratio,
        "separate_per_min": sep_rate,
        "batch_per_min": batch_rate,
        "worker_peak_mb": peak,
        "worker_peaks_mb": sorted(b.worker_peaks_mb.values()),
        "tree_maxrss_mb": b.maxrss_mb,
        "returncode": b.returncode,
        "separate_failures": failures,
    }


def bench_country(files: list[Path], work: Path, jobs: int) -> None:
    n = len(files)
    section(
        f"{n} classeurs synthétiques par batch --jobs {jobs}, extrapolé à {COUNTRY} territoires "
        f"(cible ≤ {TARGETS['country_min']} min)"
    )
    folder = work / "pays"
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    out = work / "pays-sortie"
    b = _batch(folder, out, jobs)
    written = sorted(out.glob("*.pdf"))
    pages = [p for p in (measure.pdf_pages(x) for x in written[:10]) if p]
    mean_pages = sum(pages) / len(pages) if pages else None
    rate = len(written) / b.seconds * 60 if written else 0.0
    minutes = COUNTRY / rate if rate else float("inf")
    peak = max(b.worker_peaks_mb.values(), default=b.maxrss_mb)
    line(f"{len(written)}/{n} rapports écrits (code {b.returncode})", f"{b.seconds:.1f} s", f"{rate:.1f} rapports/min")
    if mean_pages:
        eq20 = rate * mean_pages / 20
        line(
            f"pages par rapport (moyenne sur {len(pages)}) ; en équivalent 20 pages",
            f"{mean_pages:.1f} p.",
            f"{eq20:.1f} rapp./min",
            verdict(eq20 >= TARGETS["reports_per_min"]) + " (≥ 55 × 20 p.)",
        )
    line(
        f"EXTRAPOLATION à {COUNTRY} territoires (même débit)",
        f"{minutes:.1f} min",
        f"≤ {TARGETS['country_min']} min",
        verdict(minutes <= TARGETS["country_min"]),
    )
    line(
        "pic de RSS par worker",
        f"{peak:.0f} Mo",
        f"≤ {TARGETS['worker_rss_mb']} Mo",
        verdict(peak <= TARGETS["worker_rss_mb"]),
    )
    sep = results.get("batch", {}).get("separate_per_min") if isinstance(results.get("batch"), dict) else None
    if sep and rate:
        steady = rate / sep
        line(
            f"débit établi : batch sur {n} / processus séparés",
            f"{steady:.2f} ×",
            f"≥ {TARGETS['batch_ratio']} ×",
            verdict(steady >= TARGETS["batch_ratio"]),
        )
        results["steady_ratio"] = steady
    results["country"] = {
        "n": n,
        "written": len(written),
        "seconds": b.seconds,
        "per_min": rate,
        "extrapolated_min": minutes,
        "mean_pages": mean_pages,
        "worker_peak_mb": peak,
        "returncode": b.returncode,
    }


def bench_stages(sample: Path, repeat: int) -> None:
    section(f"étapes d'un rapport ({sample.name}), en processus, API publique — 1er rapport et meilleur de {repeat}")
    proc = subprocess.run(
        [PY, str(HERE / "stages.py"), str(sample), "--repeat", str(repeat)], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        print("   ", proc.stderr.strip()[-500:])
        return
    data = json.loads(proc.stdout)
    cold, warm = data["cold"], data["warm"]
    print(f"  {'étape':<20} {'1er rapport':>12} {'rapport suivant':>16} {'part':>7}")
    print(f"  {'imports':<20} {data['imports']:>10.3f} s {'—':>16}")
    for k in ("read", "validate", "score", "robustness", "charts", "html", "layout", "write", "gc"):
        if k not in warm:
            continue
        share = warm[k] / warm["total"] * 100
        print(f"  {k:<20} {cold[k]:>10.3f} s {warm[k]:>14.3f} s {share:>6.1f} %")
    print(f"  {'  dont analyse HTML':<20} {cold['parse']:>10.3f} s {warm['parse']:>14.3f} s")
    print(f"  {'total':<20} {cold['total']:>10.3f} s {warm['total']:>14.3f} s")
    results["stages"] = data


# ------------------------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description="Mesures de performance de pilier-eco (issue 6).")
    ap.add_argument("--quick", action="store_true", help="mesure rapide : moins de répétitions et de classeurs")
    ap.add_argument("--synthetic", type=int, default=None, help="classeurs synthétiques pour l'extrapolation (100)")
    ap.add_argument("--sequential", type=int, default=None, help="classeurs pour batch contre processus séparés (8)")
    ap.add_argument("--jobs", type=int, default=2, help="workers de batch (2)")
    ap.add_argument("--json", type=Path, default=None, help="écrire aussi les mesures en JSON")
    ap.add_argument(
        "--only",
        nargs="*",
        default=None,
        choices=("check", "diagnose", "batch", "country", "stages"),
        help="ne lancer que ces mesures",
    )
    args = ap.parse_args()
    quick = args.quick
    n_synth = args.synthetic or (10 if quick else 100)
    n_seq = args.sequential or (4 if quick else 8)
    rep_check, rep_diag, rep_stage = (3, 1, 1) if quick else (7, 3, 3)
    only = set(args.only or ("check", "diagnose", "batch", "country", "stages"))

    info = machine.describe()
    results["machine"] = info
    results["load_before"] = machine.load_average()
    print("pilier-eco — mesures de performance" + (" (rapide)" if quick else ""))
    print(
        f"  machine : {info['nproc']} cœurs, {info['cpu']}, {info['ram_gib']:.1f} Gio, {info['os']}, "
        f"Python {info['python']}"
    )
    print("  versions : " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(
        f"  charge moyenne (1/5/15 min) au départ : {load_text()} — au-delà de ~1 sur 2 cœurs, les mesures "
        "sont ralenties par les autres processus"
    )
    speed = results["indice_vitesse"] = machine.speed_index()
    print(
        f"  indice de vitesse (boucle Python fixe, meilleur de 3) : {speed['seul_s']:.3f} s seul, "
        f"{speed['tous_coeurs_s']:.3f} s sur tous les cœurs à la fois — à citer avec les mesures (docs/performance.md)"
    )

    samples = sorted((ROOT / "sample_data").glob("*.xlsx"))
    with tempfile.TemporaryDirectory(prefix="pilier-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        synth = synthetic.make_workbooks(samples, work / "synth", max(n_synth, n_seq, 1))
        print(
            f"  {len(synth)} classeurs synthétiques générés en {time.perf_counter() - t:.1f} s "
            "(échantillons renommés, valeurs variées : illustratif)"
        )
        if "check" in only:
            bench_check(samples + synth[:1], rep_check)
        if "diagnose" in only:
            bench_diagnose(samples, rep_diag, work)
        if "batch" in only:
            bench_batch(synth[:n_seq], work, args.jobs)
        if "country" in only:
            bench_country(synth[:n_synth], work, args.jobs)
        if "stages" in only:
            bench_stages(samples[1] if len(samples) > 1 else samples[0], rep_stage)

    results["load_after"] = machine.load_average()
    print(f"\n  charge moyenne à la fin : {load_text()}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"  mesures écrites dans {args.json}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
