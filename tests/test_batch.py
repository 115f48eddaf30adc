"""Batch: folder listing, output names, per-file isolation in the worker (no process pool needed here)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit import batch
from toolkit.batch import FileResult, Job, find_workbooks, plan_jobs, process_one, run_batch
from toolkit.config import Config

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_finds_workbooks_of_the_folder_only(tmp_path):
    for name in ("b.xlsx", "A.ods", "c.XLSM", "notes.txt", "rapport.pdf", "~$b.xlsx", ".~lock.b.xlsx#", ".cache.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sous-dossier").mkdir()
    (tmp_path / "sous-dossier" / "d.xlsx").write_bytes(b"x")
    assert [p.name for p in find_workbooks(tmp_path)] == ["A.ods", "b.xlsx", "c.XLSM"]


def test_output_names_are_slugs_deduplicated_in_order(tmp_path):
    files = [
        Path("Carcassonne.ods"),
        Path("carcassonne.xlsx"),
        Path("Bédarieux (v2).xlsx"),
        Path("../..//x.xlsx"),
        Path("CARCASSONNE.xlsm"),
    ]
    jobs = plan_jobs(files, tmp_path, html=True)
    assert [j.pdf.name for j in jobs] == [
        "carcassonne.pdf",
        "carcassonne-2.pdf",
        "bedarieux-v2.pdf",
        "x.pdf",
        "carcassonne-3.pdf",
    ]
    assert all(j.pdf.parent == tmp_path and j.html == j.pdf.with_suffix(".html") for j in jobs)
    assert plan_jobs(files[:1], tmp_path)[0].html is None


def test_unreadable_and_invalid_files_become_status_values(tmp_path):
    broken = process_one(Job(FIXTURES / "pas_un_zip.xlsx", tmp_path / "a.pdf"), Config())
    assert (broken.status, broken.ok, broken.outputs) == ("illisible", False, ())
    assert broken.errors == 1 and broken.message
    invalid = process_one(Job(FIXTURES / "code_inconnu.xlsx", tmp_path / "b.pdf"), Config())
    assert invalid.status == "erreurs" and invalid.errors >= 1 and "Actions!" in invalid.message
    missing = process_one(Job(tmp_path / "absent.xlsx", tmp_path / "c.pdf"), Config())
    assert missing.status in ("illisible", "échec") and not missing.ok
    assert not list(tmp_path.glob("*.pdf"))


def test_a_crash_while_rendering_is_caught_and_reported(tmp_path, monkeypatch):
    def explode(*args, **kwargs):
        raise MemoryError("plus de mémoire")

    monkeypatch.setattr("toolkit.report.render_pdf", explode)
    result = process_one(Job(FIXTURES / "valide.xlsx", tmp_path / "v.pdf"), Config())
    assert result.status == "échec" and "plus de mémoire" in result.message
    assert "mémoire insuffisante" in result.message and "MemoryError" not in result.message  # no Python names
    assert not (tmp_path / "v.pdf").exists()


def test_pool_returns_results_in_job_order_and_reports_each(tmp_path):
    jobs = [
        Job(FIXTURES / "pas_un_zip.xlsx", tmp_path / "a.pdf"),
        Job(FIXTURES / "code_inconnu.xlsx", tmp_path / "b.pdf"),
    ]
    seen: list[FileResult] = []
    results = run_batch(jobs, workers=2, on_done=seen.append)
    assert [r.source for r in results] == ["pas_un_zip.xlsx", "code_inconnu.xlsx"]
    assert [r.status for r in results] == ["illisible", "erreurs"]
    assert sorted(r.source for r in seen) == sorted(r.source for r in results)
    assert batch.failed(results) == results
    assert run_batch([], workers=2) == ()


def _die(job, config=None, theme=None):
    import os

    if job.source.name.startswith("tue"):
        os._exit(1)  # a worker process dying (killed, out of memory)
    return FileResult(job.source.name, "ok", outputs=(str(job.pdf),))


def test_a_dying_worker_fails_only_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "process_one", _die)
    monkeypatch.setattr(batch, "init_worker", lambda: None)
    jobs = [Job(tmp_path / n, tmp_path / f"{n}.pdf") for n in ("a.xlsx", "tue.xlsx", "b.xlsx")]
    results = run_batch(jobs, workers=2)
    assert [r.status for r in results] == ["ok", "échec", "ok"]
    assert "brutalement" in results[1].message


@pytest.mark.parametrize("workers", [None, 0, 99])
def test_worker_count_is_bounded(workers, tmp_path, monkeypatch):
    captured = {}

    class FakePool:
        def __init__(self, max_workers, initializer):
            captured["n"] = max_workers

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            from concurrent.futures import Future

            f: Future = Future()
            f.set_result(FileResult(args[0].source.name, "ok"))
            return f

    monkeypatch.setattr(batch, "ProcessPoolExecutor", FakePool)
    shutil.copy(FIXTURES / "valide.xlsx", tmp_path / "v.xlsx")
    run_batch([Job(tmp_path / "v.xlsx", tmp_path / "v.pdf")] * 3, workers=workers)
    assert 1 <= captured["n"] <= 3


def test_defaults_given_or_not_are_the_same_inputs(tmp_path):
    """A run from the command line (defaults loaded) and one from the API (None) agree on what changed."""
    from toolkit.config import load_config
    from toolkit.report.theme import load_theme

    jobs = plan_jobs([FIXTURES / "valide.xlsx"], tmp_path)
    assert batch.input_digests(jobs, Config()) == batch.input_digests(jobs, load_config(None), load_theme(None))


def test_word_and_deck_per_workbook_and_their_names_in_the_digest(tmp_path):
    """`batch --docx --pptx`: each workbook also gets its Word report and comité deck, in the same worker."""
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "bedarieux.xlsx"
    (job,) = plan_jobs([sample], tmp_path, docx=True, pptx=True)
    assert (job.docx.name, job.pptx.name) == ("bedarieux.docx", "bedarieux-comite.pptx")
    result = process_one(job, Config())
    assert result.status == "ok" and result.outputs == tuple(str(p) for p in (job.pdf, job.docx, job.pptx))
    assert job.docx.read_bytes()[:2] == job.pptx.read_bytes()[:2] == b"PK"
    plain = batch.input_digests(plan_jobs([sample], tmp_path), Config())
    assert batch.input_digests([job], Config()) != plain  # asking for Word later redoes the file, never « inchangé »
