"""Under load: concurrent sessions each get their own answer; a killed render process fails only its job."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx

from .conftest import FIXTURES, SAMPLE, new_browser


def _session(url: str) -> httpx.Client:
    import re

    c = httpx.Client(base_url=url, timeout=120)
    c.headers["X-CSRF-Token"] = re.search(r'name="csrf-token" content="([0-9a-f]+)"', c.get("/").text).group(1)
    return c


def test_20_simultaneous_uploads_each_get_their_own_check(live_server, workbooks) -> None:
    def one(path):
        c = _session(live_server.url)
        try:
            with open(path, "rb") as fh:
                r = c.post("/api/check", files={"classeur": (path.name, fh)})
            return path.name, r.status_code, r.json()
        finally:
            c.close()

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(one, workbooks))
    assert len(results) == 20
    for name, status, body in results:
        assert status == 200
        assert body["fichier"] == name and body["utilisable"] is True


def test_8_simultaneous_diagnoses_from_separate_sessions(live_server, workbooks) -> None:
    def one(path):
        c = _session(live_server.url)
        with contextlib.closing(c):
            with open(path, "rb") as fh:
                # the PDF only: this test is about sessions and the queue, not the editable documents
                r = c.post("/api/diagnose", files={"classeur": (path.name, fh)}, data={"documents": "pdf"})
            assert r.status_code == 202, r.text
            job = r.json()["tache"]
            end = time.monotonic() + 400
            while time.monotonic() < end:
                status = c.get(f"/api/jobs/{job}").json()
                if status["etat"] in ("termine", "echec"):
                    break
                time.sleep(0.5)
            got = c.get(f"/api/jobs/{job}/json").json()
            pdf = c.get(f"/api/jobs/{job}/pdf")
            return path, status, got, pdf

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, workbooks[:8]))
    for path, status, got, pdf in results:
        assert status["etat"] == "termine", status
        n = path.stem.split("-")[1]
        assert got["territoire"]["nom"] == f"Territoire n° {n} (illustratif)"
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert f"Territoire n°\u00a0{n} " in status["resume"]  # typeset: « n° » never parted from its number


def test_killing_a_render_process_fails_that_job_in_french_and_the_server_goes_on(app, browser) -> None:
    job_id = browser.post_file("/api/diagnose", SAMPLE, data={"documents": "pdf"}).json()["tache"]
    job = app.state.jobs.jobs[job_id]
    end = time.monotonic() + 120
    while time.monotonic() < end and not (job.state == "en_cours" and job.progress().get("pid")):
        time.sleep(0.05)
    pid = job.progress()["pid"]
    assert pid != os.getpid()
    os.kill(pid, signal.SIGKILL)
    status = browser.wait(job_id)
    assert status["etat"] == "echec"
    assert "arrêté brutalement" in status["message"] and "Relancez" in status["message"]
    assert not any(d["type"] == "pdf" for d in status["telechargements"])
    # the same session, and another one, go on: a new diagnosis completes (the small valid workbook: half the CPU)
    again = browser.post_file("/api/diagnose", FIXTURES / "valide.xlsx", data={"documents": "pdf"}).json()["tache"]
    other = new_browser(app)
    third = other.post_file("/api/diagnose", FIXTURES / "valide.xlsx", data={"documents": "pdf"}).json()["tache"]
    assert browser.wait(again)["etat"] == "termine"
    assert other.wait(third)["etat"] == "termine"
