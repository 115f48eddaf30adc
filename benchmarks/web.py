"""Benchmark of `pilier-eco serve` (not a test): the web door against the library and the CLI on one file.

    .venv/bin/python benchmarks/web.py [CLASSEUR.xlsx] [--repeat 10]

Starts the real server (`python -m toolkit serve` on a free loopback port), then measures
1. `/api/check` round trip vs `toolkit.check` in this process (target ≤ 1.5×);
2. the HTML preview: time from the end of the check to the preview received (target ≤ 1 s);
3. the PDF: from the upload to the PDF downloadable vs `pilier-eco diagnose` in a new process (target ≤ 1.2×).
Prints one JSON object with medians in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(data: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--dossier", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise SystemExit("le serveur n'a pas démarré")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("classeur", nargs="?", default=str(ROOT / "sample_data" / "carcassonne.xlsx"))
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    src = Path(args.classeur)
    import toolkit as pe

    pe.check(src)  # warm imports
    lib = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        pe.check(src)
        lib.append(time.perf_counter() - t)

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _server(Path(tmp))
        time.sleep(20)  # the render processes start with the server (imports, fonts): measure a server in use
        try:
            c = httpx.Client(base_url=url, timeout=300)
            c.headers["X-CSRF-Token"] = re.search(r'csrf-token" content="(\w+)"', c.get("/").text).group(1)
            data = src.read_bytes()
            c.post("/api/check", files={"classeur": (src.name, data)})  # warm
            web = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                r = c.post("/api/check", files={"classeur": (src.name, data)})
                web.append(time.perf_counter() - t)
                assert r.status_code == 200
            preview, pdf_ready = [], []
            for _ in range(max(3, args.repeat // 3)):
                t0 = time.perf_counter()
                r = c.post("/api/diagnose", files={"classeur": (src.name, data)})
                job = r.json()
                c.get(job["apercu"]).raise_for_status()
                preview.append(time.perf_counter() - t0 - statistics.median(web))
                while c.get(job["etat"]).json()["etat"] not in ("termine", "echec"):
                    time.sleep(0.05)
                pdf_ready.append(time.perf_counter() - t0)
        finally:
            os.killpg(proc.pid, 9)
        cli = []
        for i in range(max(3, args.repeat // 3)):
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "toolkit",
                    "diagnose",
                    str(src),
                    "-o",
                    f"{tmp}/r{i}.pdf",
                    "--xlsx",
                    f"{tmp}/r{i}.xlsx",
                ],
                check=True,
                capture_output=True,
            )
            cli.append(time.perf_counter() - t)

    m = statistics.median
    out = {
        "fichier": src.name,
        "repetitions": args.repeat,
        "check_bibliotheque_s": round(m(lib), 4),
        "check_api_s": round(m(web), 4),
        "ratio_check": round(m(web) / m(lib), 2),
        "apercu_apres_check_s": round(m(preview), 3),
        "pdf_web_s": round(m(pdf_ready), 2),
        "pdf_cli_s": round(m(cli), 2),
        "ratio_pdf": round(m(pdf_ready) / m(cli), 2),
    }
    out["detail"] = {
        "check_api": [round(x, 3) for x in web],
        "pdf_web": [round(x, 2) for x in pdf_ready],
        "pdf_cli": [round(x, 2) for x in cli],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
