"""Pre-filling a workbook from official QPV data: INSEE records -> `Territoire` fields and indicator rows.

Pure functions: the caller hands in the records, catalogues and vintages, and writes the result with
`toolkit.io.template`. When a territory covers several QPV, the file only holds each quartier's rates,
not their numerators and denominators, so rates are averaged with the population (`pop_mun`) as weight —
an approximation the comment of every row states. Counts are summed; densities are recomputed from sums.
An empty cell is a value under statistical secrecy: it is skipped, never read as zero.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .indicators import IndicatorDef
from .qpv import Millesime, QpCommune, QpvRecord
from ..text import normalize_key

METHODS = ("moyenne_ponderee", "somme", "densite_1000")
_SPLIT = re.compile(r"[,;]+")
_CODE_LIKE = re.compile(r"^Q[PN]\w*$", re.IGNORECASE)


class UnknownQpvError(ValueError):
    """Some codes are not in the data file; the message (French) lists them with near matches."""

    def __init__(self, unknown: Mapping[str, tuple[str, ...]], source_name: str):
        self.unknown = dict(unknown)
        lines = [f"Code(s) QPV introuvable(s) dans {source_name} :"]
        for code, near in self.unknown.items():
            hint = f" — vouliez-vous dire : {', '.join(near)} ?" if near else " — aucun code proche."
            lines.append(f"  « {code} »{hint}")
        lines.append("Les codes attendus sont ceux de la géographie 2015 (QP + 6 chiffres, ex. QP011002).")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Aggregate:
    """A value computed over several QPV, with what it rests on."""

    value: float | None
    method: str
    used: tuple[str, ...]  # QPV codes whose value entered the result
    skipped: tuple[str, ...]  # QPV codes left out (secret value, or no population for a weight)
    zeros: tuple[str, ...] = ()  # QPV codes whose value is 0: real or a hidden gap, worth checking


@dataclass(frozen=True)
class PrefilledIndicator:
    """One row of the `Indicateurs` sheet; `values()` keys it by the columns of `layout.INDICATEURS`."""

    code: str
    libelle: str
    valeur: float | int | None
    valeur_reference: float | None
    territoire_reference: str | None
    annee: int | None
    source: str
    enjeu: str | None
    sens: str
    commentaire: str

    def values(self) -> dict[str, object]:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "valeur": self.valeur,
            "reference": self.valeur_reference,
            "territoire_ref": self.territoire_reference,
            "annee": self.annee,
            "source": self.source,
            "enjeu": self.enjeu,
            "sens": self.sens,
            "commentaire": self.commentaire,
        }


@dataclass(frozen=True)
class PrefilledTerritoire:
    nom: str
    communes: tuple[str, ...]  # INSEE codes
    departement: str | None
    quartiers: tuple[tuple[str, str], ...]  # (code, nom)
    population: int | None

    def fields(self) -> dict[str, str | int | None]:
        """Field key of `layout.TERRITOIRE_FIELDS` -> value (only the fields official data can fill)."""
        return {
            "nom": self.nom,
            "communes": ";".join(self.communes) or None,
            "departement": self.departement,
            "quartiers": "; ".join(f"{c} – {n}" for c, n in self.quartiers) or None,
            "population": self.population,
        }


@dataclass(frozen=True)
class Prefill:
    territoire: PrefilledTerritoire
    indicateurs: tuple[PrefilledIndicator, ...]
    notes: tuple[str, ...] = ()  # French remarks for the user (what could not be filled, and why)


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """`["QP011002,QP011003", " qp034020 "]` -> upper-case codes, in order, without duplicates.

    Spaces separate codes (`"QP011002 QP011003"`) but not words of a name typed by mistake (`"la conte"`),
    which stays one term so that the error can suggest the matching quartier.
    """
    out: list[str] = []
    for value in values:
        for part in _SPLIT.split(value or ""):
            words = part.split()
            terms = words if words and all(_CODE_LIKE.match(w) for w in words) else [" ".join(words)]
            for term in terms:
                code = term.upper()
                if code and code not in out:
                    out.append(code)
    return tuple(out)


def resolve(codes: Sequence[str], records: Sequence[QpvRecord], source_name: str = "les données") -> tuple[QpvRecord, ...]:
    """The records of `codes`, in order; raises `UnknownQpvError` naming near codes and quartier names."""
    index = {r.code.upper(): r for r in records}
    unknown: dict[str, tuple[str, ...]] = {}
    found: list[QpvRecord] = []
    for code in split_codes(codes):
        if code in index:
            found.append(index[code])
        else:
            unknown[code] = suggestions(code, records)
    if unknown:
        raise UnknownQpvError(unknown, source_name)
    if not found:
        raise UnknownQpvError({"(aucun code)": ()}, source_name)
    return tuple(found)


def suggestions(text: str, records: Sequence[QpvRecord], n: int = 3) -> tuple[str, ...]:
    """Near matches on codes (`QP11002`) and on quartier or commune names (`grazaille`)."""
    labels = {r.code: f"{r.code} ({r.nom}, {r.commune})" for r in records}
    by_code = difflib.get_close_matches(text.upper(), list(labels), n=n, cutoff=0.6)
    names: dict[str, list[str]] = {}
    for r in records:
        for name in (normalize_key(r.nom), normalize_key(r.commune)):
            names.setdefault(name, []).append(r.code)
    by_name = [
        code
        for name in difflib.get_close_matches(normalize_key(text), list(names), n=n, cutoff=0.6)
        for code in names[name]
    ]
    ordered = list(dict.fromkeys(by_code + by_name))[:n]
    return tuple(labels[c] for c in ordered)


def aggregate(records: Sequence[QpvRecord], column: str, method: str) -> Aggregate:
    """Combine one INSEE column over several QPV (see module docstring for the rules)."""
    if method not in METHODS:
        raise ValueError(f"méthode d'agrégation inconnue : {method!r} (attendu : {', '.join(METHODS)})")
    used: list[str] = []
    skipped: list[str] = []
    zeros: list[str] = []
    num = den = 0.0
    for r in records:
        v = r.values.get(column)
        needs_pop = method != "somme"
        if v is None or (needs_pop and not r.pop_mun):
            skipped.append(r.code)
            continue
        used.append(r.code)
        if v == 0:
            zeros.append(r.code)
        if method == "somme":
            num += v
        elif method == "moyenne_ponderee":
            num += v * r.pop_mun
            den += r.pop_mun
        else:  # densite_1000
            num += v
            den += r.pop_mun
    if not used:
        value = None
    elif method == "somme":
        value = num
    elif method == "moyenne_ponderee":
        value = num / den
    else:
        value = num / den * 1000
    return Aggregate(value, method, tuple(used), tuple(skipped), tuple(zeros))


def _rounded(value: float | None, unite: str) -> float | int | None:
    if value is None:
        return None
    if unite == "nb":
        return int(round(value))
    if unite == "€":
        return int(round(value))
    return round(value, 1)


def _comment(agg: Aggregate, column: str, n_total: int, unite: str, millesime: Millesime | None) -> str:
    parts: list[str] = []
    if n_total == 1:
        parts.append(f"Valeur du QPV {agg.used[0]} (colonne INSEE {column})." if agg.used else "")
    elif agg.method == "moyenne_ponderee":
        what = "médianes" if unite == "€" else "taux"
        parts.append(
            f"Moyenne des {what} de {len(agg.used)} QPV pondérée par leur population municipale (pop_mun) : "
            "approximation, les dénominateurs exacts ne figurent pas dans le fichier INSEE "
            f"(colonne {column})."
        )
    elif agg.method == "somme":
        parts.append(f"Somme sur {len(agg.used)} QPV (colonne {column}).")
    else:
        parts.append(
            f"Densité recalculée : somme des établissements ({column}) / somme des populations × 1 000, "
            f"sur {len(agg.used)} QPV."
        )
    if agg.skipped:
        parts.append(
            f"Valeur absente (secret statistique) pour {', '.join(agg.skipped)} : "
            f"résultat établi sur {len(agg.used)} QPV sur {n_total}."
        )
    if agg.zeros and unite in ("nb", "‰"):
        parts.append(f"Valeur nulle dans le fichier pour {', '.join(agg.zeros)} : à vérifier (donnée manquante possible).")
    if millesime is not None and millesime.certitude != "base":
        parts.append(f"Année {millesime.annee} : {millesime.certitude} (voir millesimes.csv).")
    return " ".join(p for p in parts if p)


def _reference_comment(ind: IndicatorDef) -> str:
    if ind.reference_valeur is None:
        return "Pas de valeur de référence dans le catalogue : à compléter (ex. commune ou unité urbaine)."
    year = f" {ind.reference_annee}" if ind.reference_annee else ""
    return f"Référence : {ind.reference_territoire or 'non précisé'}{year}, {ind.reference_source or 'source non précisée'}."


def indicator_rows(
    records: Sequence[QpvRecord],
    indicators: Iterable[IndicatorDef],
    millesimes: Mapping[str, Millesime],
    source: str,
) -> tuple[PrefilledIndicator, ...]:
    """One row per catalogue indicator that maps an INSEE column; rows with no usable value are dropped."""
    codes = ", ".join(r.code for r in records)
    rows: list[PrefilledIndicator] = []
    for ind in indicators:
        if not ind.insee_colonne:
            continue
        method = ind.insee_agregation or "moyenne_ponderee"
        agg = aggregate(records, ind.insee_colonne, method)
        if agg.value is None:
            continue
        m = millesimes.get(ind.insee_colonne)
        comment = _comment(agg, ind.insee_colonne, len(records), ind.unite, m) + " " + _reference_comment(ind)
        rows.append(
            PrefilledIndicator(
                code=ind.code,
                libelle=ind.libelle,
                valeur=_rounded(agg.value, ind.unite),
                valeur_reference=ind.reference_valeur,
                territoire_reference=ind.reference_territoire,
                annee=m.annee if m else None,
                source=f"{source} ; QPV {codes}",
                enjeu=ind.enjeu,
                sens=ind.sens,
                commentaire=comment.strip(),
            )
        )
    return tuple(rows)


def territoire(records: Sequence[QpvRecord], communes: Mapping[str, QpCommune]) -> tuple[PrefilledTerritoire, tuple[str, ...]]:
    """Territoire fields from the records; also returns French notes on what could not be filled."""
    notes: list[str] = []
    names = list(dict.fromkeys(r.commune for r in records))
    if len(records) == 1:
        nom = f"{records[0].commune} – {records[0].nom}"
    else:
        nom = f"{', '.join(names)} – {len(records)} quartiers prioritaires"
    codes: list[str] = []
    deps: list[str] = []
    for r in records:
        c = communes.get(r.code.upper())
        if c is None:
            notes.append(f"Commune de {r.code} inconnue des contours QPV : complétez « Communes » à la main.")
            continue
        if c.code_commune not in codes:
            codes.append(c.code_commune)
        if c.departement not in deps:
            deps.append(c.departement)
        if "," in c.communes_englobantes:
            notes.append(
                f"{r.code} s'étend sur plusieurs communes ({c.communes_englobantes}) : seule la commune "
                f"principale ({c.code_commune}) est connue, complétez « Communes »."
            )
    departement = deps[0] if len(deps) == 1 else None
    if len(deps) > 1:
        notes.append(f"Les QPV relèvent de plusieurs départements ({', '.join(deps)}) : « Département » laissé vide.")
    pops = [r.pop_mun for r in records if r.pop_mun is not None]
    if len(pops) < len(records):
        notes.append("Population municipale absente pour au moins un QPV : la population totale n'est pas calculée.")
    population = sum(pops) if len(pops) == len(records) else None
    terr = PrefilledTerritoire(
        nom=nom,
        communes=tuple(codes),
        departement=departement,
        quartiers=tuple((r.code, r.nom) for r in records),
        population=population,
    )
    return terr, tuple(notes)


def prefill(
    records: Sequence[QpvRecord],
    indicators: Iterable[IndicatorDef],
    communes: Mapping[str, QpCommune],
    millesimes: Mapping[str, Millesime],
    source: str,
) -> Prefill:
    """Everything official data can put in a workbook for these QPV records."""
    terr, notes = territoire(records, communes)
    return Prefill(terr, indicator_rows(records, indicators, millesimes, source), notes)


def prefill_codes(codes: Sequence[str], records: Sequence[QpvRecord] | None = None, source_name: str | None = None) -> Prefill:
    """Convenience edge: resolve codes in `records` (default: bundled Occitanie file) with the shipped catalogues."""
    from .indicators import indicators
    from .qpv import SOURCE, millesimes, qp_communes, qpv_occitanie

    data = records if records is not None else qpv_occitanie()
    chosen = resolve(codes, data, source_name or "les données INSEE d'Occitanie")
    return prefill(chosen, indicators(), qp_communes(), millesimes(), SOURCE)
