"""A Snapshot: what one recording keeps of a territory's diagnostic, as a frozen value.

    snap = take_snapshot(workbook, diag)     # pure: Diagnostic + Workbook -> Snapshot
    snap.empreinte                           # content hash: same workbook, same tool, same settings -> same hash

A snapshot keeps the figures with their year and source, the enjeu scores, each action's rank, planned dates
and follow-up fields (statut, budgets, note of the year…), the vigilance points, and the tool version,
catalogues and configuration used. It never keeps the workbook file itself, nor workshop participants.

Actions are identified across years by `cle`: the catalogue code, or `LIBRE:<intitulé>` for a local action
(a row's position in the sheet changes between two years; its title rarely does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from ..text import normalize_key

if TYPE_CHECKING:  # the store reads snapshots without loading the workbook model (historique starts fast)
    from ..model import Workbook
    from ..results import Diagnostic

#: Follow-up statuses a user may type (« en retard » is computed by the review, never typed).
STATUTS = ("à venir", "en cours", "réalisée", "en pause", "bloquée", "abandonnée")
#: Statuses that mean the action has started.
STARTED = frozenset({"en cours", "réalisée", "en pause", "bloquée"})


@dataclass(frozen=True)
class IndicatorFigure:
    code: str
    libelle: str
    enjeu: str | None
    sens: str
    unite: str
    valeur_quartier: float | None
    valeur_reference: float | None
    territoire_reference: str | None
    annee: int | None
    source: str | None
    illustratif: bool
    score: float | None
    cible_annee: int | None = None
    cible_valeur: float | None = None


@dataclass(frozen=True)
class EnjeuFigure:
    code: str
    libelle: str
    score: float
    rang: int
    niveau: str


@dataclass(frozen=True)
class ActionState:
    cle: str
    code: str
    intitule: str
    champ: str
    score: float
    rang: int
    priorite: int
    pilote: str | None = None
    debut_prevu: date | None = None
    fin_prevue: date | None = None
    echeance: str | None = None
    cout: float | None = None
    statut: str | None = None
    date_demarrage: date | None = None
    budget_engage: float | None = None
    budget_realise: float | None = None
    indicateur_resultat: str | None = None
    valeur_resultat: float | None = None
    note: str | None = None
    preuve: str | None = None
    financeur: str | None = None  # main funder, as typed (schema 5)
    nature_financement: str | None = None  # « Crédits spécifiques » | « Droit commun »
    #: the enjeux the action targets, codes separated by « ; » (schema 7): what an experience drawn from it
    #: answers; outside the content hash (they already weigh in the action's score)
    enjeux: str | None = None


@dataclass(frozen=True)
class VigilanceState:
    niveau: str
    objet: str
    ref: str
    regle: str
    message: str

    @property
    def identity(self) -> tuple[str, str, str]:
        """Same rule on the same object: the same point from one year to the next."""
        return (self.regle, self.objet, self.ref)


@dataclass(frozen=True)
class Snapshot:
    territoire: str
    date_situation: date
    periode: tuple[int, int]
    version_classeur: str
    version_outil: str
    fichier: str
    configuration: str  # canonical JSON
    quartiers: tuple[tuple[str, str], ...]
    indicateurs: tuple[IndicatorFigure, ...]
    enjeux: tuple[EnjeuFigure, ...]
    actions: tuple[ActionState, ...]
    vigilance: tuple[VigilanceState, ...]
    # where the territory is (schema 4): the observatory's filters; not content, so outside `empreinte`
    communes: tuple[str, ...] = field(default=(), compare=False)
    epci: str | None = field(default=None, compare=False)
    departement: str | None = field(default=None, compare=False)
    # set by the store when read back
    id: int | None = field(default=None, compare=False)
    enregistre_le: str | None = field(default=None, compare=False)

    @property
    def annee(self) -> int:
        return self.date_situation.year

    @property
    def empreinte(self) -> str:
        """SHA-256 of the content (not of the recording time nor the file name): the no-op test of `record`."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_CONTENT}
        blob = json.dumps(_plain(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def action(self, cle: str) -> ActionState | None:
        return next((a for a in self.actions if a.cle == cle), None)

    def indicator(self, code: str) -> IndicatorFigure | None:
        return next((i for i in self.indicateurs if i.code == code), None)

    def a_objectiver(self, e: EnjeuFigure) -> bool:
        """The enjeu `e` is « à objectiver » in this snapshot's report (`enjeu_a_objectiver`)."""
        scored = scored_enjeux(i.enjeu for i in self.indicateurs if i.score is not None)
        return enjeu_a_objectiver(e.code, e.libelle, scored)


def scored_enjeux(named: Iterable[str | None]) -> frozenset[str]:
    """The enjeux named by a snapshot's scored indicators (their `enjeu` column, a code or a label typed
    freely), as the set `enjeu_a_objectiver` reads."""
    return frozenset(normalize_key(enjeu) for enjeu in named if enjeu is not None)


def enjeu_a_objectiver(code: str, libelle: str, scored: AbstractSet[str]) -> bool:
    """An enjeu of a snapshot is « à objectiver » when no scored indicator of that snapshot names it (by code or
    label; `scored` from `scored_enjeux`): its diagnostic (`score/enjeux.py`) gave it no figure, its stored
    score is perception alone. The one rule of the follow-up: the observatory's enjeux side by side and the
    annual review's enjeu movements both read it, and show « à objectiver », never that score."""
    return not (scored & {normalize_key(code), normalize_key(libelle)})


#: Fields outside the content hash: when and from which file it was recorded, and where the territory is
#: (added in schema 4: a workbook recorded before and after that version keeps one hash).
_NOT_CONTENT = frozenset({"id", "enregistre_le", "fichier", "communes", "epci", "departement"})


def _plain(x: Any) -> Any:
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "__dataclass_fields__"):
        data = asdict(x)
        if isinstance(x, ActionState):
            data = {k: v for k, v in data.items() if k not in ACTION_NOT_CONTENT}
        # fields added by a later schema hash as before while empty: an unchanged workbook keeps its hash
        return _plain({k: v for k, v in data.items() if not (k in LATER_FIELDS and v is None)})
    return x


#: ActionState fields added after schema 3 (schema 5: the main funding; schema 7: the enjeux targeted), left out
#: of the hash when empty.
LATER_FIELDS = frozenset({"financeur", "nature_financement", "enjeux"})
#: ActionState fields never in the hash: a workbook recorded before schema 7 keeps its hash (`record` then
#: completes the stored snapshot with them).
ACTION_NOT_CONTENT = frozenset({"enjeux"})


def action_keys(labels: list[tuple[str, str]]) -> list[str]:
    """Stable keys for (code, intitulé) pairs: the code, or `LIBRE:<intitulé>` (numbered if repeated)."""
    seen: dict[str, int] = {}
    keys = []
    for code, intitule in labels:
        base = code if code != "LIBRE" else "LIBRE:" + " ".join(intitule.split())
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base} #{seen[base]}")
    return keys


def take_snapshot(workbook: Workbook, diag: Diagnostic, *, fichier: str | None = None) -> Snapshot:
    """The Snapshot of one diagnosed workbook (pure; the store dates the recording)."""
    # a snapshot keeps the report's words at rest (the vigilance sentence, the JSON method block): the one
    # declared exception to the layers (tests/test_architecture.py AT_REST)
    from ..report.records import to_json
    from ..report.wording import vigilance_message
    from .followup import action_followup, indicator_target

    t = diag.territoire
    method = to_json(diag)["methode"]
    method["configuration"] = _file_name(method.get("configuration"))
    config = json.dumps(method, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    indicateurs = []
    for s in diag.indicateurs:
        i = s.indicateur
        cible_annee, cible_valeur = indicator_target(i)
        indicateurs.append(
            IndicatorFigure(
                code=i.code,
                libelle=i.libelle,
                enjeu=i.enjeu,
                sens=i.sens,
                unite=i.unite,
                valeur_quartier=i.valeur_quartier,
                valeur_reference=i.valeur_reference,
                territoire_reference=i.territoire_reference,
                annee=i.annee,
                source=i.source,
                illustratif=i.illustratif,
                score=_r(s.score),
                cible_annee=cible_annee,
                cible_valeur=cible_valeur,
            )
        )
    keys = action_keys([(s.action.code, s.action.intitule) for s in diag.actions])
    actions = []
    for key, sc in zip(keys, diag.actions, strict=True):
        a = sc.action
        actions.append(
            ActionState(
                cle=key,
                code=a.code,
                intitule=a.intitule,
                champ=a.champ,
                score=_r(sc.score),
                rang=sc.rang,
                priorite=int(sc.priorite),
                pilote=a.pilote,
                debut_prevu=sc.debut,
                fin_prevue=sc.fin,
                echeance=a.echeance.text if a.echeance else None,
                cout=a.cout,
                **action_followup(a),
                enjeux=";".join(a.enjeux) or None,
            )
        )
    return Snapshot(
        territoire=t.nom,
        date_situation=t.date_diagnostic,
        periode=(diag.periode[0], diag.periode[1]),  # a list once read back from JSON
        version_classeur=diag.version,
        version_outil=_tool_version(),
        fichier=fichier or _file_name(workbook.source) or "",
        configuration=config,
        quartiers=tuple((q.code, q.nom) for q in t.quartiers),
        indicateurs=tuple(indicateurs),
        enjeux=tuple(EnjeuFigure(e.code, e.libelle, _r(e.score), e.rang, e.niveau) for e in diag.enjeux),
        actions=tuple(actions),
        vigilance=tuple(VigilanceState(p.niveau, p.objet, p.ref, p.rule, vigilance_message(p)) for p in diag.vigilance),
        communes=tuple(t.communes),
        epci=t.epci,
        departement=t.departement,
    )


@overload
def _r(x: float) -> float: ...
@overload
def _r(x: None) -> None: ...
@overload
def _r(x: float | None) -> float | None: ...
def _r(x: float | None) -> float | None:
    """Scores kept to 1e-6: far below what a report shows, and within what a spreadsheet cell holds (15
    significant digits), so that an XLSX export reads back equal."""
    return None if x is None else round(float(x), 6)


def _file_name(path: str | None) -> str | None:
    """The file name only: a snapshot never records the user's folders."""
    if not path:
        return path
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _tool_version() -> str:
    from .. import __version__

    return __version__
