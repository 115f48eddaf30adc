"""The `Indicateurs` sheet: catalogue codes (label, unit, enjeu, direction from the catalogue) or `PERSO_…`."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import get_args

from ..catalog import IndicatorDef
from ..catalog.catalogue import Catalogue
from ..catalog.prefill import PrefilledIndicator, packaged_qpv_perimeter, written_indicator
from ..io.numbers import french_number
from ..io.reader import RawSheet
from ..layout import INDICATEURS, SENS_VALUES
from ..model import COMPARISON_SCALES, Indicateur, Sens
from ..plausibility import FUTURE_YEAR, PER_MILLE, PER_MILLE_MAX, RATIO, REFERENCE_RATIO, implausible_values
from ..problems import WARNING, as_information
from ..text import normalize_key
from .fields import Row, report_cells
from .messages import suggestion
from .table import Collector, locate_table

COLUMNS = INDICATEURS.columns
PERSO_PREFIX = "PERSO_"
OLD_YEARS = 5
#: Units of catalogue indicators shown for context that need no reference value (a count of people or firms:
#: the quartier's count compared with a commune's says nothing).
UNSCORED_UNITS = ("nb",)
#: a direction as read (spelled as in the contract) -> the same, typed as the model's
_SENS: dict[str | None, Sens] = {s: s for s in get_args(Sens)}
_SENS_ALIASES = {
    "degradation": "hausse = dégradation",
    "hausse degradation": "hausse = dégradation",
    "amelioration": "hausse = amélioration",
    "hausse amelioration": "hausse = amélioration",
}
_CONTEXT = {"contexte", "(contexte)", "aucun", "-"}
#: Warnings that, on a row the tool pre-filled and the user left as written, point at nothing she can correct
#: (an old vintage of the packaged INSEE figures, a real gap between two of them): told as information, in the
#: wording of the variant. Other warnings on such a row stay warnings (a missing reference can be added).
PREFILLED_INFORMATION = {
    "annee-ancienne": "annee-ancienne/pre-rempli",
    "reference-invraisemblable": "reference-invraisemblable/pre-rempli",
}


def read_indicateurs(
    sheet: RawSheet, out: Collector, date_diagnostic: date | None, catalogue: Catalogue, today: date | None = None
) -> tuple[Indicateur, ...]:
    """`today` (default: the system date) bounds the plausible years: a datum cannot come from the future."""
    today = today or date.today()
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return ()
    result: list[Indicateur] = []
    first_seen: dict[str, str] = {}
    illustrative: list[int] = []
    for r in table.rows:
        out.rows_read += 1
        row = Row(table, r, out)
        first_issue = len(out.issues)
        item = _read_row(row, date_diagnostic, today, catalogue)
        if item is None or not row.ok:
            continue
        _prefilled_as_information(row, item, out, first_issue)
        perimeter = packaged_qpv_perimeter(item.code, item.source, dict(item.comparaisons).get("qpv"))
        if perimeter is not None:
            item = replace(item, perimetre_qpv=perimeter)
        if item.code in first_seen:
            out.warn("doublon", cell=row.cell("code"), quoi="Indicateur", code=item.code, premier=first_seen[item.code])
            continue
        first_seen[item.code] = str(row.cell("code"))
        if item.illustratif:
            illustrative.append(r)
        result.append(item)
        out.rows_used += 1
    report_cells(out, table, "source", illustrative, code="source-illustrative")
    return tuple(result)


def _read_row(row: Row, date_diagnostic: date | None, today: date, catalogue: Catalogue) -> Indicateur | None:
    code = row.text("code")
    if code is None:
        row.error("valeur-manquante", "code", expected="un code du catalogue (ex. « CHOMAGE_15_64 ») ou « PERSO_… »")
        return None
    code = code.strip().upper().replace(" ", "_")
    definition = catalogue.indicator(code)
    perso = code.startswith(PERSO_PREFIX) and len(code) > len(PERSO_PREFIX)
    if definition is None and not perso:
        row.error(
            "code-inconnu",
            "code",
            found=code,
            suggestion=suggestion(code, [i.code for i in catalogue.indicators]),
            expected="un code du catalogue ou un code libre commençant par « PERSO_ »",
        )
        return None
    why = f"un indicateur libre ({code})"
    libelle = row.text("libelle") or (definition.libelle if definition else row.required_text("libelle", why))
    enjeu = _enjeu(row, definition, why, catalogue)
    sens = _sens(row, definition, why)
    unit_hint = definition.unite if definition else None
    value = row.number("valeur", percent_points=unit_hint in ("%", None))
    reference = row.number("reference", percent_points=unit_hint in ("%", None))
    unite = unit_hint or next((p.unit for p in (value, reference) if p is not None and p.unit), None) or "nb"
    for key, parsed in (("valeur", value), ("reference", reference)):
        if parsed is None:
            continue
        if definition and parsed.unit and parsed.unit != definition.unite:
            row.warn(
                "unite-incoherente",
                key,
                unite=parsed.unit,
                code=code,
                attendue=definition.unite,
                found=row.raw(key),
                expected=f"une valeur en {definition.unite}",
            )
        if unite == "%" and not 0 <= parsed.value <= 100:
            row.error(
                "hors-echelle",
                key,
                found=row.raw(key),
                expected="un pourcentage entre 0 et 100 (en points : « 12,5 » pour 12,5 %)",
            )
    comparaisons = tuple(
        (scale, parsed.value)
        for scale in COMPARISON_SCALES
        if (parsed := row.number(f"ref_{scale}", percent_points=unit_hint in ("%", None))) is not None
    )
    annee = row.year("annee")
    source = row.text("source")
    cible_annee = row.year("cible_annee")
    if cible_annee is not None and not 2000 <= cible_annee <= 2100:
        row.error("hors-echelle", "cible_annee", found=row.raw("cible_annee"), expected="une année, par ex. « 2030 »")
    cible = row.number("cible_valeur", percent_points=unit_hint in ("%", None))
    if cible is not None and unite == "%" and not 0 <= cible.value <= 100:
        row.error(
            "hors-echelle",
            "cible_valeur",
            found=row.raw("cible_valeur"),
            expected="un pourcentage entre 0 et 100 (en points : « 12,5 » pour 12,5 %)",
        )
    if not row.ok:
        return None
    if value is None:
        row.warn("valeur-quartier-manquante", "valeur", code=code, expected="la valeur observée dans le quartier")
        return None
    if reference is None and not comparaisons and not (definition and definition.unite in UNSCORED_UNITS):  # a count
        row.warn(
            "reference-manquante",
            "reference",
            code=code,
            expected="la valeur du territoire de comparaison : commune, EPCI ou France",
        )
    _plausible(row, unite, value.value, reference.value if reference else None, comparaisons, annee, today)
    if annee is not None and annee <= today.year and date_diagnostic is not None:
        if annee < date_diagnostic.year - OLD_YEARS:
            row.warn(
                "annee-ancienne",
                "annee",
                annee=annee,
                ans=OLD_YEARS,
                diagnostic=date_diagnostic.year,
                found=annee,
                expected="une donnée plus récente si elle existe",
            )
        elif annee > date_diagnostic.year:
            row.warn("annee-future", "annee", annee=annee, diagnostic=date_diagnostic.isoformat(), found=annee)
    return Indicateur(
        code=code,
        libelle=libelle or code,
        enjeu=enjeu,
        sens=sens or "hausse = dégradation",
        unite=unite,
        valeur_quartier=value.value,
        valeur_reference=reference.value if reference else None,
        territoire_reference=row.text("territoire_ref"),
        annee=annee,
        source=source,
        commentaire=row.text("commentaire"),
        cible_annee=cible_annee,
        cible_valeur=cible.value if cible is not None else None,
        cell=row.cell("code"),
        value_cell=row.cell("valeur"),
        comparaisons=comparaisons,
        cells={k: row.cell(k) for k in ("valeur", "reference", "annee", *(f"ref_{s}" for s in COMPARISON_SCALES))},
    )


def _prefilled_as_information(row: Row, item: Indicateur, out: Collector, first_issue: int) -> None:
    """Turn this row's warnings of `PREFILLED_INFORMATION` into information when the tool wrote the row and
    the user left it as written: same value, year and source as the pre-fill would write today, and, for a
    warning on a comparison value, that value too. Change any of them and the row is hers: warnings again."""
    written = written_indicator(item.code, item.source)
    if written is None or written.annee != item.annee or not _same(written.valeur, item.valeur_quartier):
        return
    tool_cells = {row.cell(k) for k in ("valeur", "annee", "source")}
    tool_cells |= {row.cell(k) for k, v in _comparisons(written).items() if _same(v, _read(item, k))}
    for n in range(first_issue, len(out.issues)):
        p = out.issues[n]
        if p.level == WARNING and p.template in PREFILLED_INFORMATION and p.cell in tool_cells:
            out.issues[n] = as_information(p, PREFILLED_INFORMATION[p.template])


def _comparisons(written: PrefilledIndicator) -> dict[str, float | None]:
    """The comparison columns the pre-fill writes (the others are always the user's)."""
    return {"reference": written.valeur_reference, "ref_qpv": written.valeur_qpv}


def _read(item: Indicateur, key: str) -> float | None:
    if key == "reference":
        return item.valeur_reference
    return dict(item.comparaisons).get(key.removeprefix("ref_"))


def _same(written: float | None, read: float | None) -> bool:
    return written is not None and read is not None and math.isclose(written, read, rel_tol=1e-9, abs_tol=1e-9)


def _plausible(
    row: Row, unite: str, value: float, reference: float | None, comparaisons, annee: int | None, today: date
) -> None:
    """Warnings on values that read but are unlikely to be what the user meant (a slip of the keyboard, a
    value typed in the wrong unit). The rule is `plausibility.implausible_values`: the same findings make the
    scoring leave the indicator out (« non noté — valeur à vérifier »), so no such value moves an enjeu."""
    for f in implausible_values(unite, value, reference, comparaisons, annee, today.year):
        if f.code == PER_MILLE:
            row.warn(
                "valeur-invraisemblable",
                f.field,
                unite=unite,
                found=row.raw(f.field),
                expected=f"une valeur pour 1 000 habitants, donc au plus {french_number(PER_MILLE_MAX)} ‰ ; vérifiez la "
                "saisie (séparateur de milliers, virgule décimale) ; l'indicateur ne sera pas noté",
            )
        elif f.code == RATIO:
            much = "au moins dix fois" if (f.ratio or 0) >= REFERENCE_RATIO else "au plus le dixième de"
            row.warn(
                "reference-invraisemblable",
                f.field,
                ecart=much,
                valeur=french_number(value),
                unite=unite,
                found=row.raw(f.field),
                expected=f"une valeur du même ordre que celle du quartier (entre {french_number(value / REFERENCE_RATIO)} "
                f"et {french_number(value * REFERENCE_RATIO)}) ; vérifiez l'unité et la saisie ; l'indicateur ne sera pas "
                "noté",
            )
        elif f.code == FUTURE_YEAR:
            row.warn(
                "annee-future/aujourdhui",
                "annee",
                annee=annee,
                found=annee,
                expected=f"une année passée ou l'année en cours ({today.year} au plus) ; l'indicateur ne sera pas noté",
            )


def _enjeu(row: Row, definition: IndicatorDef | None, why: str, catalogue: Catalogue) -> str | None:
    text = row.text("enjeu")
    if text is None:
        if definition is None:
            row.required_text("enjeu", why)
            return None
        return definition.enjeu
    if normalize_key(text) in _CONTEXT:
        return None
    found = catalogue.enjeu(text)
    if found is None:
        known = [e.code for e in catalogue.enjeux]
        row.error(
            "enjeu-inconnu",
            "enjeu",
            found=text,
            suggestion=suggestion(text, known),
            expected="un code d'enjeu (" + ", ".join(known) + ") ou « contexte »",
        )
        return None
    return found.code


def _sens(row: Row, definition: IndicatorDef | None, why: str) -> Sens | None:
    if row.blank("sens"):
        if definition is None:
            row.required_text("sens", why)
            return None
        return _SENS.get(definition.sens)
    return _SENS.get(row.choice("sens", SENS_VALUES, _SENS_ALIASES))
