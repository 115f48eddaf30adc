"""« Territoires qui vous ressemblent »: the QPV of the bundled INSEE file closest to the diagnosed one.

Features are the catalogue indicators mapped to an INSEE column (rates and densities; counts are left
out because size is its own feature, log of the population). Each feature is standardised over all QPV
of the file (z-score); the distance is the root mean square of the z-score gaps over the features known
on both sides (at least MIN_FEATURES). The territory's profile comes from its own QPV codes when the file
knows them (aggregated as in pre-filling), otherwise from its indicator values; its own QPV are excluded.
When its codes are of the other geography (QN… 2024 against 2015 data), the QPV of its own communes are
excluded too: they are its own quartier in another perimeter, not a territory that resembles it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..catalog.catalogue import Catalogue
from ..catalog.prefill import aggregate
from ..catalog.qpv import QpvRecord, geography, qp_communes, qpv_occitanie
from ..model import Workbook
from ..results import FeatureGap, SimilarTerritory

MIN_FEATURES = 3
DEFAULT_TOP = 5
SIZE_LABEL = "Population des quartiers (échelle logarithmique)"


@dataclass(frozen=True)
class Feature:
    code: str  # indicator code, or "TAILLE"
    libelle: str
    unite: str
    column: str | None
    method: str | None


def features(catalogue: Catalogue) -> tuple[Feature, ...]:
    out = [
        Feature(d.code, d.libelle, d.unite, d.insee_colonne, d.insee_agregation)
        for d in catalogue.indicators
        if d.insee_colonne and d.insee_agregation in ("moyenne_ponderee", "densite_1000")
    ]
    return (*tuple(out), Feature("TAILLE", SIZE_LABEL, "hab.", None, None))


def _record_vector(records: Sequence[QpvRecord], feats: Sequence[Feature]) -> list[float]:
    out = []
    for f in feats:
        if f.column is None:
            pop = sum(r.pop_mun or 0 for r in records)
            out.append(math.log(pop) if pop > 0 else math.nan)
        elif f.method is None:
            raise ValueError(f"indicateur {f.code} : colonne INSEE {f.column} sans méthode d'agrégation")
        else:
            v = aggregate(records, f.column, f.method).value
            out.append(math.nan if v is None else v)
    return out


def _workbook_vector(wb: Workbook, feats: Sequence[Feature]) -> list[float]:
    values = {i.code.upper(): i.valeur_quartier for i in wb.indicateurs if i.valeur_quartier is not None}
    pop = wb.territoire.population_quartiers
    out = []
    for f in feats:
        if f.column is None:
            out.append(math.log(pop) if pop else math.nan)
        else:
            out.append(values.get(f.code, math.nan))
    return out


def _gap(f: Feature, value: float, target: float) -> FeatureGap:
    """The size feature is compared on log(population): shown back in inhabitants."""
    if f.column is None:
        return FeatureGap(f.libelle, f.unite, math.exp(value), math.exp(target))
    return FeatureGap(f.libelle, f.unite, value, target)


def similar_territories(
    wb: Workbook,
    records: Sequence[QpvRecord] | None = None,
    top: int = DEFAULT_TOP,
    *,
    catalogue: Catalogue,
) -> tuple[tuple[SimilarTerritory, ...], tuple]:
    """The `top` closest QPV, and how the profile was built or why there is none: a code and its numbers,
    (`qpv-du-territoire`, n QPV, codes) / (`feuille-indicateurs`,) / (`aucun-autre-quartier`,) /
    (`trop-peu-d-indicateurs`, minimum)."""
    records = tuple(records if records is not None else qpv_occitanie())
    feats = features(catalogue)
    own_codes = {q.code.strip().upper() for q in wb.territoire.quartiers}
    own = [r for r in records if r.code.upper() in own_codes]
    basis: tuple[str | int | tuple[str, ...], ...]
    if own:
        target = np.asarray(_record_vector(own, feats))
        basis = ("qpv-du-territoire", len(own), tuple(r.code for r in own))
    else:
        target = np.asarray(_workbook_vector(wb, feats))
        basis = ("feuille-indicateurs",)
    candidates = [r for r in records if r.code.upper() not in own_codes]
    data_geos = {geography(r.code) for r in records} - {None}
    if any(geography(c) not in data_geos | {None} for c in own_codes):
        communes = {c.strip().zfill(5) for c in wb.territoire.communes}
        where = qp_communes()
        candidates = [
            r
            for r in candidates
            if (r.code_commune or getattr(where.get(r.code.upper()), "code_commune", None)) not in communes
        ]
    if not candidates:
        return (), ("aucun-autre-quartier",)
    matrix = np.asarray([_record_vector([r], feats) for r in records], dtype=float)
    mean = np.nanmean(matrix, axis=0)
    std = np.nanstd(matrix, axis=0)
    std[~(std > 0)] = math.nan
    z_target = (target - mean) / std
    z_cand = (np.asarray([_record_vector([r], feats) for r in candidates]) - mean) / std
    gaps = z_cand - z_target
    known = ~np.isnan(gaps)
    n_known = known.sum(axis=1)
    if n_known.max(initial=0) < MIN_FEATURES:
        return (), ("trop-peu-d-indicateurs", MIN_FEATURES)
    dist = np.sqrt(np.nansum(gaps**2, axis=1) / np.maximum(n_known, 1))
    dist[n_known < MIN_FEATURES] = np.inf
    order = sorted(range(len(candidates)), key=lambda i: (dist[i], candidates[i].code))[:top]
    out = []
    for i in order:
        if not math.isfinite(dist[i]):
            break
        r = candidates[i]
        idx = [j for j in range(len(feats)) if known[i, j]]
        by_gap = sorted(idx, key=lambda j: (abs(gaps[i, j]), j))
        raw = _record_vector([r], feats)
        gaps_ = [_gap(feats[j], raw[j], float(target[j])) for j in by_gap]
        out.append(
            SimilarTerritory(r.code, r.nom, r.commune, float(dist[i]), len(idx), tuple(gaps_[:2]), gaps_[-1], r.pop_mun)
        )
    return tuple(out), basis
