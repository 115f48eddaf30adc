"""Raw sheets -> `Workbook` + every issue, in one pass over the file.

Sheet order of the checks follows the contract; `Votes` comes after `Actions` because a vote may name an
action of the workbook. An invalid row is reported and left out; the model is built whenever the
`Territoire` sheet gives its required fields, so even a file with errors shows how far it got.
"""

from __future__ import annotations

from datetime import date

from ..catalog.catalogue import Catalogue
from ..io.reader import RawWorkbook
from ..layout import (
    ACTEURS,
    ACTIONS,
    ENJEUX,
    GOUVERNANCE,
    INDICATEURS,
    OPTIONAL_SHEETS,
    REQUIRED_SHEETS,
    TEMPLATE_SHEETS,
    TERRITOIRE,
    VOTES,
)
from ..model import CheckReport, Workbook
from ..text import normalize_key
from .acteurs import read_acteurs
from .actions import read_actions
from .enjeux import read_enjeux
from .gouvernance import read_gouvernance
from .identity import check_identity
from .indicateurs import read_indicateurs
from .table import Collector, find_sheet
from .territoire import check_geography, read_territoire
from .votes import read_votes

REQUIRED = REQUIRED_SHEETS
OPTIONAL = OPTIONAL_SHEETS


def validate(raw: RawWorkbook, catalogue: Catalogue, today: date | None = None) -> CheckReport:
    out = Collector(raw.name)
    sheets = {name: find_sheet(raw, name) for name in (*REQUIRED, *OPTIONAL)}
    known = {normalize_key(n) for n in (*REQUIRED, *OPTIONAL, *TEMPLATE_SHEETS)}
    for sheet in raw.sheets:
        if normalize_key(sheet.name) not in known:
            out.warn(
                "feuille-ignoree",
                sheet=sheet.name,
                feuille=sheet.name,
                expected="les feuilles " + ", ".join((*REQUIRED, *OPTIONAL)),
            )
    for name in REQUIRED:
        if sheets[name] is None:
            out.error(
                "feuille-manquante",
                feuille=name,
                sheet=name,
                expected=f"une feuille nommée « {name} » (voir le modèle : pilier-eco template)",
            )
    for name, consequence in OPTIONAL.items():
        if sheets[name] is None:
            out.warn("feuille-optionnelle-absente", feuille=name, consequence=consequence, sheet=name)

    territoire = read_territoire(raw_t, out) if (raw_t := sheets[TERRITOIRE.name]) else None
    date_diag = territoire.date_diagnostic if territoire else None
    indicateurs = (
        read_indicateurs(raw_i, out, date_diag, catalogue, today) if (raw_i := sheets[INDICATEURS.name]) else ()
    )
    check_geography(territoire, indicateurs, out, today)
    enjeux = read_enjeux(raw_e, out, catalogue) if (raw_e := sheets[ENJEUX.name]) else ()
    acteurs = read_acteurs(raw_a, out) if (raw_a := sheets[ACTEURS.name]) else ()
    gouvernance = read_gouvernance(raw_g, out, catalogue) if (raw_g := sheets[GOUVERNANCE.name]) else ()
    actions = read_actions(raw_x, out, catalogue) if (raw_x := sheets[ACTIONS.name]) else ()
    votes = read_votes(raw_v, out, actions, catalogue) if (raw_v := sheets[VOTES.name]) else ()
    check_identity(territoire, acteurs, indicateurs, out)
    for spec, items in ((INDICATEURS, indicateurs), (ACTIONS, actions)):
        found = sheets[spec.name]
        if found is not None and not items and not _sheet_has_errors(out, found.name):
            out.error(
                "feuille-vide",
                sheet=found.name,
                feuille=found.name,
                expected="au moins une ligne remplie sous la ligne d'en-tête",
            )

    workbook = None
    if territoire is not None:
        workbook = Workbook(
            source=raw.name,
            territoire=territoire,
            indicateurs=indicateurs,
            actions=actions,
            enjeux=enjeux,
            acteurs=acteurs,
            gouvernance=gouvernance,
            votes=votes,
            missing_sheets=tuple(n for n in OPTIONAL if sheets[n] is None),
        )
    return CheckReport(
        path=raw.path,
        issues=tuple(out.issues),
        workbook=workbook,
        rows_read=out.rows_read,
        rows_used=out.rows_used,
        rows_comment=out.comments,
    )


def _sheet_has_errors(out: Collector, sheet: str) -> bool:
    return any(i.level == "erreur" and i.sheet == sheet for i in out.issues)
