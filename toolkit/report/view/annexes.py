"""Annexes: method (weights, rules), data quality, sources."""

from __future__ import annotations

from ...model import Issue
from ...results import Diagnostic
from .. import formatting as fmt
from .common import _title
from .labels import (
    CRITERIA_LABELS,
    CRITERIA_RULES,
    ENJEU_SOURCE_RULES,
    ENJEU_WEIGHT_LABELS,
    ROBUSTNESS_LABELS,
    TIER_LABELS,
)
from .model import MethodView


def _issue_text(i: Issue) -> str:
    """The finding without its location (shown in its own column): `message (trouvé : « … » ; attendu : …)`."""
    extra = [f"trouvé : « {i.found} »"] if i.found is not None else []
    extra += [f"attendu : {i.expected}"] if i.expected is not None else []
    return i.message + (" (" + " ; ".join(extra) + ")" if extra else "")


def _method(diag: Diagnostic) -> MethodView:
    m = diag.method
    ecarts = []
    for s in diag.indicateurs:
        d = diag.definitions.indicator(s.indicateur.code)
        if d and d.ecart_critique is not None:
            ecarts.append((d.libelle, fmt.gap(d.ecart_critique, d.unite).lstrip("+")))
    return MethodView(
        enjeu_weights=tuple(
            (ENJEU_WEIGHT_LABELS.get(k, k), ENJEU_SOURCE_RULES.get(k, ""), fmt.share(v))
            for k, v in m.enjeu_weights.items()
        ),
        action_weights=tuple(
            (CRITERIA_LABELS.get(k, k), CRITERIA_RULES.get(k, ""), fmt.share(v)) for k, v in m.action_weights.items()
        ),
        tiers=tuple((TIER_LABELS.get(k, k), fmt.number(v, 0)) for k, v in m.tiers.items()),
        robustness=tuple(
            (
                ROBUSTNESS_LABELS.get(k, (k, 2))[0],
                fmt.number(v, ROBUSTNESS_LABELS.get(k, (k, 2))[1]) if k != "graine" else str(v),
            )
            for k, v in m.robustness.items()
        ),
        ecarts_critiques=tuple(ecarts),
        config_source=(
            f"Paramètres lus dans {m.config_source}."
            if m.config_source
            else "Paramètres par défaut de pilier-eco (aucun fichier de configuration fourni)."
        )
        + (f" Catalogues de pilier-eco complétés par : {', '.join(m.catalogues)}." if m.catalogues else ""),
    )


def _sources(diag: Diagnostic) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every source cited, grouped (indicators, actions, experiences, comparisons), each cited once."""
    seen: set[str] = set()
    groups: dict[str, list[str]] = {
        "Indicateurs": [],
        "Actions (catalogue)": [],
        "Expériences transférables": [],
        "Territoires comparables": [],
    }

    def add(group: str, key: str, entry: str) -> None:
        if key and key not in seen:
            seen.add(key)
            groups[group].append(entry)

    for s in diag.indicateurs:
        i = s.indicateur
        src = fmt.text(i.source)
        if src and not i.illustratif:
            add("Indicateurs", src, f"{fmt.text(i.libelle) or i.code} ({i.annee or 'année non précisée'}) : {src}")
        d = diag.definitions.indicator(i.code)
        # the catalogue's reference is cited only when the workbook uses that very value
        if d and d.reference_source and i.valeur_reference is not None and d.reference_valeur == i.valeur_reference:
            add(
                "Indicateurs",
                d.reference_source,
                f"{d.libelle}, valeur de référence ({d.reference_annee or 'année non précisée'}) : {d.reference_source}",
            )
    for a in diag.actions:
        for src in a.sources:
            add("Actions (catalogue)", fmt.text(src), f"{fmt.text(a.libelle_catalogue) or _title(a)} : {fmt.text(src)}")
    for m in diag.experiences:
        for src in m.experience.sources:
            add("Expériences transférables", fmt.text(src), f"{fmt.text(m.experience.titre)} : {fmt.text(src)}")
    source = diag.definitions.comparison_source
    if diag.similaires and source:
        add("Territoires comparables", source, source)
    return tuple((title, tuple(entries)) for title, entries in groups.items() if entries)
