"""The Diagnostic the report tests render: `diagnose()` of a real sample workbook, never a hand-made one.

`sample_data/carcassonne.xlsx` is built on real INSEE figures of its QPV (values without a source are
marked `illustratif`), so every score, part and vigilance point is one the engine really produces.
`hostile=True` then fills the free-text fields with markup, formula-like text and URLs to check that
nothing is interpreted downstream.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from toolkit.diagnostic import diagnose
from toolkit.model import Quartier
from toolkit.results import Diagnostic
from toolkit.validate import check

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
GENERATED = date(2025, 3, 20)  # the report's « généré le », fixed so that snapshots are stable


@cache
def sample_diagnostic(name: str = "carcassonne") -> Diagnostic:
    report = check(SAMPLES / f"{name}.xlsx")
    assert report.ok and report.workbook is not None, [i.format() for i in report.errors]
    return diagnose(report.workbook, report=report, today=GENERATED)  # the roadmap is anchored to this date


def build_diagnostic(hostile: bool = False, payload: str = "", sample: str = "carcassonne") -> Diagnostic:
    diag = sample_diagnostic(sample)
    return _make_hostile(diag, payload) if hostile else diag


def _make_hostile(diag: Diagnostic, payload: str) -> Diagnostic:
    """Put `payload` (markup, URLs, formula-like text) wherever the workbook supplies free text."""
    t = replace(
        diag.territoire, nom=payload + " Carcassonne", structure=payload, quartiers=(Quartier("QP011002", payload),)
    )
    inds = tuple(
        replace(
            i,
            indicateur=replace(
                i.indicateur, libelle=payload + i.indicateur.libelle, source=payload, commentaire=payload
            ),
        )
        for i in diag.indicateurs
    )
    enjeux = tuple(replace(e, atouts=payload, faiblesses=payload) for e in diag.enjeux)
    actions = tuple(
        replace(
            a,
            action=replace(
                a.action,
                intitule=payload + a.action.intitule,
                pilote=payload,
                partenaires=(payload,),
                commentaire=payload,
            ),
        )
        for a in diag.actions
    )
    gov = replace(
        diag.governance,
        partners=tuple(replace(p, structures=(payload,)) for p in diag.governance.partners),
        detail=tuple((c, q, payload) for c, q, _ in diag.governance.detail),
    )
    # a point names its action by the title typed in the workbook: the payload travels there too
    vig = tuple(
        replace(v, params=tuple((k, payload + val if k == "action" else val) for k, val in v.params))
        for v in diag.vigilance
    )
    quality = replace(diag.qualite, issues=tuple(replace(i, found=payload) for i in diag.qualite.issues))
    return replace(
        diag,
        territoire=t,
        indicateurs=inds,
        enjeux=enjeux,
        actions=actions,
        governance=gov,
        vigilance=vig,
        qualite=quality,
    )
