"""What a render process runs: the same library calls as the CLI commands, with their outputs in a job folder.

Each function takes plain picklable values (a Diagnostic, paths, the Config), writes its files in
`folder`, reports its step in `progress.json`, and returns
`{"fichiers": {key: (path, download name, label)}, "resume": …, "details": {…}}`. A failure a user can
act on is a `JobFailure` with a French message; nothing here reaches the network (the renderers' own
fetcher refuses every URL).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, NamedTuple

from ..report.formatting import agree, plural

PROGRESS = "progress.json"


class JobFailure(Exception):
    """A job that cannot produce its result; the message is shown to the user as is."""


def end_with_parent() -> None:
    """This process ends when the server does, even when the server is killed (SIGKILL leaves no goodbye):
    a daemon thread notices that the parent is gone (the process is re-parented) and exits within a second.

    Not `prctl(PR_SET_PDEATHSIG)`: Linux ties it to the *thread* that started the process, and pools start
    processes from short-lived threads, which would end them with that thread instead of the server."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="fin-avec-le-serveur", daemon=True).start()


def init_check_worker(memory_bytes: int) -> None:
    """A check process: ends with the server, and its address space is capped (a workbook needing more is refused)."""
    import resource

    end_with_parent()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one check, one thread: numpy's
        os.environ.setdefault(var, "1")  # thread pools would reserve address space per core under the cap
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def init_worker() -> None:
    """Pay the slow imports once per process (WeasyPrint, the report templates); end with the server."""
    import logging

    end_with_parent()
    import weasyprint

    from ..report import render  # noqa: F401 - warms the report stack once per worker

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # the first layout of a process loads fontconfig and Pango (seconds): pay it now, not in a user's job
    weasyprint.HTML(string="<p style='font-family: DejaVu Sans'>é</p>").write_pdf()


def ping() -> int:
    return os.getpid()


def _step(folder: Path, label: str, start: float, part: float) -> None:
    """Record the current step for the page's progress bar (atomic: the server may read at any time)."""
    from ..io.output import atomic_write_text

    atomic_write_text(
        folder / PROGRESS,
        json.dumps({"etape": label, "pid": os.getpid(), "debut": start, "part": part, "depuis": time.time()}),
    )


class Document(NamedTuple):
    """One document of a diagnostic job: its file in the job folder, the download's name suffix and label, the
    progress bar's step and the share of the job's time it takes."""

    file: str
    suffix: str
    label: str
    step: str
    part: float


#: The documents a diagnostic job can make, in the order it makes them. The page asks for all; a script may ask
#: for fewer (`documents=pdf,xlsx`).
DOCUMENTS: dict[str, Document] = {
    "pdf": Document("rapport.pdf", ".pdf", "Rapport PDF", "Mise en page du rapport PDF", 0.62),
    "xlsx": Document("resultats.xlsx", "-resultats.xlsx", "Résultats Excel", "Tableau des résultats (Excel)", 0.04),
    "docx": Document("rapport.docx", ".docx", "Rapport Word (modifiable)", "Rapport Word", 0.1),
    "pptx": Document("comite.pptx", "-comite.pptx", "Diaporama du comité de pilotage", "Diaporama du comité", 0.05),
    "note": Document("note-elus.pdf", "-note-elus.pdf", "Note d'une page aux élus (PDF)", "Note aux élus", 0.05),
}


def render_diagnostic(
    diag, folder: str, slug: str, config, documents: tuple[str, ...] = tuple(DOCUMENTS)
) -> dict[str, Any]:
    """The `documents` of a Diagnostic (kinds of DOCUMENTS; by default all: PDF, Excel results, then the editable
    Word report, comité deck and note aux élus); the HTML preview and the JSON are made before, in the server.
    Each is a download (`/api/jobs/ID/docx`…)."""
    import toolkit as pe

    render = {
        "pdf": pe.render_pdf,
        "xlsx": pe.render_xlsx,
        "docx": pe.render_docx,
        "pptx": pe.render_pptx,
        "note": pe.render_note,
    }
    out = Path(folder)
    files: dict[str, tuple[str, str, str]] = {}
    start = 0.1
    for kind in (k for k in DOCUMENTS if k in documents):
        doc = DOCUMENTS[kind]
        _step(out, doc.step, start, doc.part)
        start += doc.part
        files[kind] = (str(render[kind](diag, out / doc.file)), f"{slug}{doc.suffix}", doc.label)
    return {"fichiers": files}


def render_comparison(cmp, folder: str, config, slug: str = "comparaison") -> dict[str, Any]:
    from ..report.compare import render_compare_pdf

    out = Path(folder)
    _step(out, "Mise en page de la comparaison PDF", 0.1, 0.85)
    pdf = render_compare_pdf(cmp, out / "comparaison.pdf")
    return {"fichiers": {"pdf": (str(pdf), f"{slug}.pdf", "Comparaison PDF")}}


def workshop_kit(workbook, folder: str, participants: int, config) -> dict[str, Any]:
    """`pilier-eco atelier kit`: scoring sheet(s), A6 cards, facilitator sheet, plus one zip of the lot."""
    import zipfile

    from ..workshop.kit import make_kit

    out = Path(folder)
    kit_dir = out / "kit"
    _step(out, "Feuille de notation, cartes et fiche animateur", 0.1, 0.85)
    result = make_kit(workbook, kit_dir, participants, True, config, commands=False)
    zpath = out / "kit-atelier.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in (*result.sheets, result.cards, result.facilitator):
            zf.write(p, p.name)
    files = {
        "zip": (str(zpath), "kit-atelier.zip", "Kit complet (zip)"),
        "notation": (str(result.sheets[0]), "notation.xlsx", "Feuille de notation (Excel)"),
        "cartes": (str(result.cards), "cartes.pdf", "Cartes A6 (PDF)"),
        "animateur": (str(result.facilitator), "animateur.pdf", "Fiche animateur (PDF)"),
    }
    return {
        "fichiers": files,
        "resume": f"{plural(result.n_items, 'objet')} à noter ; {plural(len(result.sheets), 'feuille')} de notation.",
    }


def workshop_merge(
    workbook, source: str, sheets: list[str], pseudonymise: bool, folder: str, slug: str, config
) -> dict[str, Any]:
    """`pilier-eco atelier merge`: every note checked first; the new workbook only when all are right."""
    from ..workshop.merge import plan_merge, write_merged

    out = Path(folder)
    _step(out, "Lecture des feuilles de notation", 0.1, 0.5)
    plan = plan_merge(workbook, sheets, pseudonymise, config.limits, config.catalogue)
    details = {
        "erreurs": [i.text for i in plan.errors],
        "avertissements": [i.text for i in plan.warnings],
        "participation": [
            {"participant": t.participant, "structure": t.structure or "", "notes": t.scored, "total": t.total}
            for t in plan.turnout
        ],
    }
    if not plan.ok:
        n = len(plan.errors)
        return {
            "details": details,
            "erreur": f"{plural(n, 'erreur')} dans les feuilles : aucun "
            "classeur écrit. Corrigez-les puis déposez-les de nouveau.",
        }
    if not plan.votes:
        return {"details": details, "erreur": "Aucune note trouvée dans ces feuilles : aucun classeur écrit."}
    suffix = Path(source).suffix.lower()
    _step(out, "Écriture du nouveau classeur", 0.6, 0.35)
    try:
        target = write_merged(source, plan, out / f"fusion{suffix}")
    except ValueError as exc:
        raise JobFailure(f"Fusion impossible : {exc}") from None
    n = len(plan.votes)
    return {
        "fichiers": {"xlsx": (str(target), f"{slug}-atelier{suffix}", "Classeur avec les votes")},
        "details": details,
        "resume": f"{plural(n, 'note')} {agree(n, 'ajoutée')} à la feuille Votes d'un "
        "nouveau classeur ; le classeur déposé n'a pas été modifié.",
    }


def suivi_review(base: str, territoire: str, folder: str, slug: str, avis: tuple = ()) -> dict[str, Any]:
    """`pilier-eco suivi bilan`: the revue annuelle of one territory from the snapshots of the base."""
    import toolkit as pe

    from ..suivi.store import SuiviError

    out = Path(folder)
    _step(out, "Lecture des instantanés", 0.05, 0.1)
    try:
        with pe.open_base(base, create=False) as b:
            snaps = b.snapshots(territoire)
    except SuiviError as exc:
        raise JobFailure(str(exc)) from None
    _step(out, "Mise en page de la revue annuelle (PDF)", 0.15, 0.7)
    review = pe.build_review(snaps, avis)
    pdf = pe.render_review(review, out / "revue.pdf")
    _step(out, "Revue annuelle en Word", 0.85, 0.1)
    from ..report.word import render_review_docx

    docx = render_review_docx(review, out / "revue.docx")
    return {
        "fichiers": {
            "pdf": (str(pdf), f"revue-{slug}.pdf", "Revue annuelle (PDF)"),
            "docx": (str(docx), f"revue-{slug}.docx", "Revue annuelle (Word modifiable)"),
        },
        "resume": review.summary_line(),
    }
