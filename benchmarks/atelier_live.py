"""Load benchmark of the live atelier (not a test): N phones voting at once on the real server, on loopback.

    .venv/bin/python benchmarks/atelier_live.py [--participants 60] [--resend 3]

Starts `python -m toolkit serve --code …` on a free loopback port, opens an atelier on the sample workbook,
then N threads (one httpx client each, like N phones) join and score every item at the same moment; every
`--resend`-th participant sends each note twice (a lost answer resent). Meanwhile a projector thread polls
the atelier's state as the trainer's screen does. Measures
1. the latency of one vote (median, 95th percentile, max) and the whole burst;
2. lost or doubled votes (expected: 0 and 0), read back from the state and from the closed workbook;
3. the projector: state request latency, and the delay between the last acknowledged vote and the first
   state showing every note (target ≤ 1 s with a 700 ms poll).
Prints one JSON object (seconds).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "carcassonne.xlsx"
CODE = "banc-atelier-2026"
POLL = 0.7  # the projector page's poll interval (templates/web/static/direct.js)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=60)
    ap.add_argument("--resend", type=int, default=3)
    args = ap.parse_args()
    n = args.participants
    data = Path(tempfile.mkdtemp(prefix="banc-atelier-"))
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--dossier", str(data), "--code", CODE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        trainer = httpx.Client(base_url=url, timeout=60, headers={"x-code-acces": CODE})
        trainer.headers["x-csrf-token"] = _csrf(trainer.get("/atelier").text)
        room = trainer.post("/atelier/direct", files={"classeur": (SAMPLE.name, SAMPLE.read_bytes())}).headers[
            "location"
        ]
        code = re.search(r"Code : <strong>([A-Z0-9]+)</strong>", trainer.get(room).text).group(1)

        phones = []
        for _ in range(n):
            c = httpx.Client(base_url=url, timeout=60)
            tok = _csrf(c.get(f"/rejoindre?code={code}").text)
            c.post("/rejoindre", data={"code": code, "csrf": tok})
            objets = re.findall(r'data-objet="([^"]+)"', c.get("/p").text)
            phones.append((c, tok, objets))
        items = len(phones[0][2])
        expected = n * items
        latencies: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(n + 1)
        last_ack = [0.0]

        def vote(k: int) -> None:
            c, tok, objets = phones[k]
            barrier.wait()
            for j, objet in enumerate(objets):
                body = {"objet": objet, "note": 1 + (k + j) % 5, "id": f"{k}-{j}", "t": j}
                for _ in range(2 if args.resend and k % args.resend == 0 else 1):
                    t0 = time.perf_counter()
                    r = c.post("/p/note", json=body, headers={"x-csrf-token": tok})
                    t1 = time.perf_counter()
                    assert r.status_code == 200, r.text
                    with lock:
                        latencies.append(t1 - t0)
                        last_ack[0] = max(last_ack[0], t1)

        seen_all = [None]
        poll_lat: list[float] = []
        stop = threading.Event()

        def projector() -> None:
            while not stop.is_set():
                t0 = time.perf_counter()
                st = trainer.get(room + "/etat").json()
                t1 = time.perf_counter()
                poll_lat.append(t1 - t0)
                if seen_all[0] is None and st["participation"]["notes"] == expected:
                    seen_all[0] = t1
                time.sleep(POLL)

        watcher = threading.Thread(target=projector)
        with ThreadPoolExecutor(n) as pool:
            futures = [pool.submit(vote, k) for k in range(n)]
            barrier.wait()
            start = time.perf_counter()
            watcher.start()
            for f in futures:
                f.result()
        burst = last_ack[0] - start
        time.sleep(POLL * 2 + 0.5)
        stop.set()
        watcher.join()
        state = trainer.get(room + "/etat").json()
        trainer.post(room + "/clore")
        merged = data / "fusion.xlsx"
        merged.write_bytes(trainer.get(room + "/classeur").content)
        import toolkit as pe

        live = pe.read(merged).votes[len(pe.read(SAMPLE).votes) :]
        q = statistics.quantiles(latencies, n=20)
        print(
            json.dumps(
                {
                    "participants": n,
                    "objets": items,
                    "envois": len(latencies),
                    "notes_attendues": expected,
                    "notes_serveur": state["participation"]["notes"],
                    "notes_classeur": len(live),
                    "doublons_classeur": len(live) - len({(v.participant, v.objet) for v in live}),
                    "vote_mediane_s": round(statistics.median(latencies), 4),
                    "vote_p95_s": round(q[18], 4),
                    "vote_max_s": round(max(latencies), 4),
                    "rafale_s": round(burst, 3),
                    "ecran_requete_mediane_s": round(statistics.median(poll_lat), 4),
                    "ecran_requete_max_s": round(max(poll_lat), 4),
                    "ecran_delai_apres_dernier_vote_s": round(seen_all[0] - last_ack[0], 3) if seen_all[0] else None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        for c, _, _ in phones:
            c.close()
        trainer.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
