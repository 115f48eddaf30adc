"""Pre-filling a workbook from official QPV data: INSEE records -> `Territoire` fields and indicator rows.

Pure functions: the caller hands in the records, catalogues and vintages, and writes the result with
`toolkit.io.template`. When a territory covers several QPV, the file only holds each quartier's rates,
not their numerators and denominators, so rates are averaged with the population (`pop_mun`) as weight —
an approximation the comment of every row states. Counts are summed; densities are recomputed from sums.
An empty cell is a value under statistical secrecy: it is skipped, never read as zero.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ..text import normalize_key
from .indicators import IndicatorDef
from .qpv import Millesime, QpCommune, QpvRecord

METHODS = ("moyenne_ponderee", "somme", "densite_1000")
_SPLIT = re.compile(r"[,;]+")
_CODE_LIKE = re.compile(r"^Q[PN]\w*$", re.IGNORECASE)
#: The source text of a row pre-filled from the packaged data: the data's source, then the QPV it covers.
_WRITTEN_SOURCE = re.compile(r"^(?P<source>.+) ; QPV (?P<codes>QP\w+(?:, QP\w+)*)$")


GEOGRAPHY_FORMATS = {
    "2015": "géographie 2015 (QP + 6 caractères)",
    "2024": "géographie 2024 (QN + département sur 3 caractères + 2 chiffres + N, M ou I)",
}


def _hint(code: str, near: tuple[str, ...]) -> str:
    """What to tell about one code not found: near codes, else a mistyped shape, else nothing close."""
    from .geography import geography

    if near:
        return f" — vouliez-vous dire : {', '.join(near)} ?"
    shape = {"QP": "2015", "QN": "2024"}.get(code[:2].upper())
    if shape and geography(code) is None:  # e.g. QN03401A: a 2024 code ends with N, M or I
        return f" — ce n'est pas un code valide de la {GEOGRAPHY_FORMATS[shape]}."
    return " — aucun code proche."


class UnknownQpvError(ValueError):
    """Some codes are not in the data file; the message (French) lists them with near matches."""

    def __init__(self, unknown: Mapping[str, tuple[str, ...]], source_name: str, geographie: str | None = "2015"):
        self.unknown = dict(unknown)
        lines = [f"Code(s) QPV introuvable(s) dans {source_name} :"]
        for code, near in self.unknown.items():
            lines.append(f"  « {code} »{_hint(code, near)}")
        if geographie in GEOGRAPHY_FORMATS:
            lines.append(f"Les codes de ce fichier sont ceux de la {GEOGRAPHY_FORMATS[geographie]}.")
        super().__init__("\n".join(lines))


class OtherGeographyError(UnknownQpvError):
    """Codes of one geography asked of a file of the other one (typically QN… codes, packaged 2015 data).

    No figure may be taken across geographies (the perimeters differ), so the caller creates a blank
    workbook and shows `message`: where to get INSEE's 2024 file and how to pre-fill with --donnees.
    """

    def __init__(self, codes: Sequence[str], data_geography: str, source_name: str):
        from .qpv import packaged_metadata

        self.codes = tuple(codes)
        url = packaged_metadata().geographie_2024_url
        asked = "2024" if data_geography == "2015" else "2015"
        listed = " ".join(self.codes)
        self.message = (
            f"{', '.join('« ' + c + ' »' for c in self.codes)} : code(s) de la géographie prioritaire {asked}, "
            f"alors que le fichier de données ({source_name}) est en {GEOGRAPHY_FORMATS[data_geography]}. "
            "Aucun chiffre n'en est repris : les périmètres diffèrent.\n"
            "Le classeur est créé vierge. Pour le pré-remplir avec les chiffres de ces quartiers :\n"
            "  1. téléchargez sur insee.fr les « Données sur les quartiers 2024 de la politique de la ville » "
            f"({url}), fichier .csv ou .xlsx ;\n"
            f"  2. relancez : pilier-eco template CLASSEUR.xlsx --qpv {listed} --donnees FICHIER --force\n"
            "Détails et format accepté : docs/donnees.md."
        )
        ValueError.__init__(self, self.message)
        self.unknown = dict.fromkeys(self.codes, ())


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
    valeur_qpv: float | None = None  # the same column over every QPV of the data file (same source and year)

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
            "ref_qpv": self.valeur_qpv,
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


def resolve(
    codes: Sequence[str], records: Sequence[QpvRecord], source_name: str = "les données"
) -> tuple[QpvRecord, ...]:
    """The records of `codes`, in order; raises `UnknownQpvError` naming near codes and quartier names.

    Codes of the other geography than the file's raise `OtherGeographyError`: never a suggestion across
    geographies (QN… is never answered with a QP… code of another town).
    """
    from .insee_file import geographies
    from .qpv import geography

    index = {r.code.upper(): r for r in records}
    data_geos = geographies(index)
    data_geo = next(iter(data_geos)) if len(data_geos) == 1 else None
    unknown: dict[str, tuple[str, ...]] = {}
    other: list[str] = []
    found: list[QpvRecord] = []
    for code in split_codes(codes):
        if code in index:
            found.append(index[code])
        elif data_geo and geography(code) and geography(code) != data_geo:
            other.append(code)
        else:
            unknown[code] = suggestions(code, records)
    if other and not unknown and data_geo:  # `other` holds codes of another geography than data_geo
        raise OtherGeographyError(other, data_geo, source_name)
    if unknown or other:
        unknown.update(dict.fromkeys(other, ()))
        raise UnknownQpvError(unknown, source_name, data_geo)
    if not found:
        raise UnknownQpvError({"(aucun code)": ()}, source_name)
    return tuple(found)


def suggestions(text: str, records: Sequence[QpvRecord], n: int = 3) -> tuple[str, ...]:
    """Near matches on codes (`QP11002`) and on quartier or commune names (`grazaille`), same geography only."""
    from .qpv import geography

    shape = text.strip().upper()[:2]
    asked = geography(text) or {"QP": "2015", "QN": "2024"}.get(shape)
    if asked is not None:
        records = [r for r in records if geography(r.code) in (asked, None)]
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
        pop = r.pop_mun or 0
        if v is None or (needs_pop and not pop):
            skipped.append(r.code)
            continue
        used.append(r.code)
        if v == 0:
            zeros.append(r.code)
        if method == "somme":
            num += v
        elif method == "moyenne_ponderee":
            num += v * pop
            den += pop
        else:  # densite_1000
            num += v
            den += pop
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
        return round(value)
    if unite == "€":
        return round(value)
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
        parts.append(
            f"Valeur nulle dans le fichier pour {', '.join(agg.zeros)} : à vérifier (donnée manquante possible)."
        )
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
    population: Sequence[QpvRecord] = (),
    population_label: str = "",
) -> tuple[PrefilledIndicator, ...]:
    """One row per catalogue indicator that maps an INSEE column; rows with no usable value are dropped.

    `population`: every QPV of the data file. For rates and densities the same column aggregated over all
    of them fills `Valeur ensemble des QPV` (same source, same year): where the quartier stands among QPV.
    """
    codes = ", ".join(r.code for r in records)
    wider = len(population) > len(records)
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
        among = aggregate(population, ind.insee_colonne, method).value if wider and method != "somme" else None
        if among is not None:
            comment += (
                f" Ensemble des QPV : {len(population)} quartiers{population_label} du même fichier, même calcul."
            )
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
                valeur_qpv=_rounded(among, ind.unite) if among is not None else None,
            )
        )
    return tuple(rows)


def territoire(
    records: Sequence[QpvRecord], communes: Mapping[str, QpCommune]
) -> tuple[PrefilledTerritoire, tuple[str, ...]]:
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
        if c is None and r.code_commune:
            c = QpCommune(r.code, r.nom, r.code_commune, r.commune, r.commune, _departement_of(r.code_commune))
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


def _departement_of(code_commune: str) -> str:
    return code_commune[:3] if code_commune.startswith("97") else code_commune[:2]


def prefill(
    records: Sequence[QpvRecord],
    indicators: Iterable[IndicatorDef],
    communes: Mapping[str, QpCommune],
    millesimes: Mapping[str, Millesime],
    source: str,
    population: Sequence[QpvRecord] = (),
    population_label: str = "",
) -> Prefill:
    """Everything official data can put in a workbook for these QPV records (`population`: the whole file)."""
    terr, notes = territoire(records, communes)
    return Prefill(terr, indicator_rows(records, indicators, millesimes, source, population, population_label), notes)


def prefill_codes(
    codes: Sequence[str], records: Sequence[QpvRecord] | None = None, source_name: str | None = None
) -> Prefill:
    """Convenience edge: resolve codes in `records` (default: bundled Occitanie file) with the shipped catalogues."""
    from .indicators import indicators
    from .qpv import REGION_LABEL, SOURCE, millesimes, qp_communes, qpv_occitanie

    if records is None:
        chosen = resolve(codes, qpv_occitanie(), source_name or f"les données INSEE {REGION_LABEL} fournies")
        return prefill(chosen, indicators(), qp_communes(), millesimes(), SOURCE, qpv_occitanie(), f" {REGION_LABEL}")
    # A user's file: its own name as source; the packaged vintages do not apply (year left for the user).
    from .insee_file import geographies

    name = source_name or "fichier fourni"
    chosen = resolve(codes, records, name)
    geos = geographies(r.code for r in chosen)
    where = f", géographie {next(iter(geos))}" if len(geos) == 1 else ""
    return prefill(chosen, indicators(), qp_communes(), {}, f"INSEE, fichier {name}{where}", records)


def packaged_population_year(codes: Sequence[str], population: int | None) -> int | None:
    """The year of the quartiers' population when it is the one the pre-fill writes from the packaged INSEE
    data (the sum of their `pop_mun`, démographie 2015); None for any other figure."""
    from .qpv import millesimes, qpv_occitanie

    if population is None or not codes:
        return None
    by_code = {r.code: r for r in qpv_occitanie()}
    pops = [by_code[c].pop_mun if c in by_code else None for c in codes]
    if any(p is None for p in pops) or sum(p for p in pops if p is not None) != population:
        return None
    vintage = millesimes().get("pop_mun")
    return vintage.annee if vintage is not None else None


def packaged_qpv_perimeter(code: str, source: str | None, value: float | None) -> str | None:
    """« Ensemble des QPV d'Occitanie » when `value` is the QPV comparison the tool pre-filled for this row
    from its packaged data; None otherwise (a user's own QPV value says its perimeter in its comment)."""
    from .qpv import QPV_PERIMETER

    written = written_indicator(code, source)
    if written is None or written.valeur_qpv is None or value is None:
        return None
    return QPV_PERIMETER if math.isclose(written.valeur_qpv, value, rel_tol=1e-9, abs_tol=1e-9) else None


def written_indicator(code: str, source: str | None) -> PrefilledIndicator | None:
    """The row the tool writes for indicator `code` when `source` is the source text of a row it pre-filled
    from its packaged data (`… Hackaviz 2021 ; QPV QP011002, QP011003`): recomputed from that data, so that
    the caller can tell an untouched pre-filled row (same value, year and source) from one the user edited.

    None for any other source, and for a user's data file (`--donnees`), which is not at hand when a
    workbook is checked. A later release shipping newer figures no longer writes the old ones: rows
    pre-filled before it then read as the user's own, which is what they have become.
    """
    from .qpv import SOURCE

    found = _WRITTEN_SOURCE.match(" ".join((source or "").split()))
    if found is None or found["source"] != SOURCE:
        return None
    return _packaged_rows(tuple(found["codes"].split(", "))).get(code)


@lru_cache(maxsize=64)
def _packaged_rows(codes: tuple[str, ...]) -> Mapping[str, PrefilledIndicator]:
    try:
        rows = prefill_codes(codes).indicateurs
    except UnknownQpvError:  # a code the packaged data does not know: nothing the tool could have written
        return MappingProxyType({})
    return MappingProxyType({r.code: r for r in rows})
