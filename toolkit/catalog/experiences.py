"""Real, sourced transferable experiences (`data/experiences.toml`), tagged by enjeux and action types."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model import CHAMPS, TYPOLOGIES
from ..resources import data_dir
from ..text import normalize_key
from .actions import ActionDef, CatalogueError, packaged_actions
from .enjeux import enjeu_by_key


def normalize_commune(code: object) -> str:
    """INSEE commune code as text on 5 characters (`"1262"` or 1262 -> `"01262"`; `2A004` kept)."""
    text = str(code).strip().upper()
    return text.zfill(5) if text.isdigit() else text


#: How an experience from the follow-up is cited (its first source), by `suivi.candidates`.
FOLLOW_UP_CITATION = "suivi de "


@dataclass(frozen=True)
class Experience:
    code: str
    titre: str
    lieu: str
    annee: str | None
    resume: str
    enjeux: tuple[str, ...]
    action_types: tuple[str, ...]  # catalogue action codes or champs
    typologie: str | None
    sources: tuple[str, ...]
    partenaires: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()  # INSEE codes of where it happened: never offered to those communes
    resultats: tuple[tuple[str, str], ...] = ()  # documented outcomes: (text, source URL)
    contact: str | None = None  # organisation to contact (the carrier of the experience)
    #: documented cost of the experience in euros (its scale): an experience is not linked to an action whose
    #: cost differs by more than plan.experiences.SCALE_FACTOR (an €8 M equipment and a €15,000 action)
    cout: float | None = None

    @property
    def from_follow_up(self) -> bool:
        """Measured in a territory's annual follow-up and validated by the resource centre (issue 27): cited
        « suivi de <territoire>, <année> » (`suivi.candidates.citation`)."""
        return bool(self.sources) and self.sources[0].startswith(FOLLOW_UP_CITATION)


def _resultat(entry: object, where: str) -> tuple[str, str]:
    if not isinstance(entry, dict) or not entry.get("texte") or not str(entry.get("source", "")).startswith("http"):
        raise CatalogueError(f"{where} : chaque [[experience.resultats]] demande un texte et une source (adresse http)")
    return str(entry["texte"]).strip(), str(entry["source"]).strip()


def _parse(entry: dict, where: str, actions: dict[str, ActionDef]) -> tuple[Experience, str | None]:
    def action_def(code: str) -> ActionDef | None:
        return actions.get(normalize_key(code).replace(" ", "_"))

    for key in ("code", "titre", "lieu", "resume", "enjeux", "actions", "sources"):
        if not entry.get(key):
            raise CatalogueError(f"{where} : champ « {key} » manquant")
    where = f"{where} ({entry['code']})"
    enjeux = []
    for e in entry["enjeux"]:
        d = enjeu_by_key(e)
        if d is None:
            raise CatalogueError(f"{where} : enjeu « {e} » inconnu")
        enjeux.append(d.code)
    for a in entry["actions"]:
        if action_def(a) is None and a not in CHAMPS:
            raise CatalogueError(f"{where} : action ou champ « {a} » inconnu")
    typ = entry.get("typologie")
    if typ is not None and typ not in TYPOLOGIES:
        raise CatalogueError(f"{where} : typologie « {typ} » inconnue")
    cout = entry.get("cout")
    if cout is not None and (isinstance(cout, bool) or not isinstance(cout, int | float) or cout <= 0):
        raise CatalogueError(f"{where} : cout (euros) doit être un nombre positif")
    exp = Experience(
        code=str(entry["code"]),
        titre=entry["titre"],
        lieu=entry["lieu"],
        annee=str(entry["annee"]) if entry.get("annee") else None,
        resume=entry["resume"],
        enjeux=tuple(enjeux),
        action_types=tuple(ad.code if (ad := action_def(a)) else a for a in entry["actions"]),
        typologie=typ,
        sources=tuple(entry["sources"]),
        partenaires=tuple(entry.get("partenaires", ())),
        communes=tuple(normalize_commune(c) for c in entry.get("communes", ())),
        resultats=tuple(_resultat(r, where) for r in entry.get("resultats", ())),
        contact=str(entry["contact"]).strip() if entry.get("contact") else None,
        cout=float(cout) if cout is not None else None,
    )
    return exp, entry.get("region")


def load_experiences(
    path: str | Path, actions: tuple[ActionDef, ...] | None = None
) -> tuple[tuple[Experience, str | None], ...]:
    """(experience, region) pairs; `actions`: the action catalogue their codes refer to (packaged by default).

    Raises CatalogueError with a French message on a bad file."""
    index = {normalize_key(a.code): a for a in (packaged_actions() if actions is None else actions)}
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path} : catalogue d'expériences illisible ({exc})") from None
    return tuple(
        _parse(e, f"{path.name}, expérience n° {i}", index) for i, e in enumerate(data.get("experience", []), start=1)
    )


@cache
def packaged_experiences() -> tuple[tuple[Experience, str | None], ...]:
    return load_experiences(data_dir() / "experiences.toml")
