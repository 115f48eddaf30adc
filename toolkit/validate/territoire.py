"""The `Territoire` sheet: two columns `Champ` | `Valeur`, one row per field of the contract."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from ..catalog.communes import commune, is_commune
from ..catalog.prefill import packaged_population_year
from ..io.reader import RawSheet
from ..layout import TERRITOIRE, TERRITOIRE_FIELDS, TYPOLOGIES
from ..model import Cell, Quartier, Territoire
from ..results import Geography
from .fields import Row, split_list
from .messages import suggestion
from .table import Collector, locate_table, loose_key

COLUMNS = TERRITOIRE.columns
FIELDS = TERRITOIRE_FIELDS
_BY_KEY = {loose_key(k): f for f in FIELDS for k in (f.label, *f.aliases)}
_QUARTIER = re.compile(r"^(Q[PN][0-9A-Z]{5,8})\s*(?:[-–—:]\s*(.*))?$", re.IGNORECASE)
_DEPARTEMENT = re.compile(r"^(0?[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-8]|98[4-9])$", re.IGNORECASE)
T = TypeVar("T")
_COMMUNE_SHAPE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
#: The 2015 list of quartiers prioritaires was replaced on 1 January 2024 (décret n° 2023-1314, modifié par le
#: décret n° 2024-806): a report dated that year or later on QP… codes describes an outdated perimeter.
GEOGRAPHY_2024_YEAR = 2024


def read_territoire(sheet: RawSheet, out: Collector) -> Territoire | None:
    table = locate_table(sheet, COLUMNS, out)
    if table is None:
        return None
    values: dict[str, object] = {}
    cells = {}
    blank_cells: dict[str, Cell] = {}
    seen: set[str] = set()  # fields present, valid or not (an invalid one is already reported)
    for r in table.rows:
        head = Row(table, r, out)
        name = head.text("champ")
        if name is None:
            out.rows_read += 1
            head.error("valeur-manquante", "champ", expected="le nom du champ (colonne Champ)")
            continue
        field = _BY_KEY.get(loose_key(name))
        row = Row(table, r, out, label=field.label if field else name)
        if row.blank("valeur") and row.ok:
            if field is not None:
                blank_cells.setdefault(field.key, row.cell("valeur"))
            continue  # a field of the template left empty: required ones are reported below
        out.rows_read += 1
        if field is None:
            out.warn(
                "champ-inconnu",
                cell=table.cell(r, "champ"),
                champ=name,
                expected=suggestion(name, [f.label for f in FIELDS]).removeprefix(" ; ") or None,
            )
            continue
        if field.key in seen:
            out.warn("champ-en-double", cell=table.cell(r, "champ"), champ=field.label)
            continue
        seen.add(field.key)
        value = _FIELD_READERS[field.key](row) if row.ok else None
        if value is not None and row.ok:
            values[field.key] = value
            cells[field.key] = row.cell("valeur")
            out.rows_used += 1
    missing = [f for f in FIELDS if f.required and f.key not in values]
    for f in missing:
        if f.key not in seen:
            out.error(
                "champ-manquant",
                sheet=sheet.name,
                cell=blank_cells.get(f.key),
                champ=f.label,
                expected=_EXPECTED.get(f.key, "une valeur"),
            )
    if missing:
        return None
    if "departement" in values:
        _check_departement(values, cells, out)
    diagnosed = _value(values, "date", date)
    if diagnosed is None:  # a required field: reported above
        return None
    return Territoire(
        version=str(values["version"]),
        nom=str(values["nom"]),
        communes=_value(values, "communes", tuple) or (),
        typologie=str(values["typologie"]),
        date_diagnostic=diagnosed,
        epci=_value(values, "epci", str),
        departement=_value(values, "departement", str),
        quartiers=_value(values, "quartiers", tuple) or (),
        population_quartiers=_value(values, "population", int),
        population_annee=packaged_population_year(
            tuple(q.code for q in _value(values, "quartiers", tuple) or ()), _value(values, "population", int)
        ),
        periode=_value(values, "periode", tuple),
        structure=_value(values, "structure", str),
        cell=cells.get("nom"),
        cells=dict(cells),
    )


def _value(values: dict[str, object], key: str, kind: type[T]) -> T | None:
    """The value a field's parser gave (`_PARSERS`), of the type it gives, or None when absent."""
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise TypeError(f"Territoire : {key} = {value!r}, attendu {kind.__name__}")
    return value


_EXPECTED = {
    "version": "« 1 »",
    "communes": "les codes INSEE des communes, séparés par « ; » (ex. « 11069 »)",
    "typologie": " | ".join(TYPOLOGIES),
    "date": "une date, par ex. « 31/03/2024 »",
}


def _version(row: Row) -> str | None:
    text = row.required_text("valeur")
    if text is None:
        return None
    if text.strip() not in ("1", "1.0", "v1", "V1"):
        row.warn("version-inconnue", "valeur", version=text, found=text, expected="« 1 »")
    return "1"


def _communes(row: Row) -> tuple[str, ...] | None:
    raw = row.raw("valeur")
    zero_pad = row.meta("valeur").zero_pad
    text = row.required_text("valeur")
    if text is None:
        return None
    codes = []
    for item in split_list(text.replace(" ", ";") if " " in text and ";" not in text else text):
        code = item.strip().upper()
        if isinstance(raw, (int, float)) and not zero_pad and len(code) == 4 and code.isdigit():
            row.warn("code-numerique", "valeur", code="0" + code, found=code, expected="un code INSEE à 5 caractères")
            code = "0" + code
        if not _COMMUNE_SHAPE.match(code):
            row.error(
                "commune-inconnue",
                "valeur",
                found=item,
                expected="un code INSEE à 5 caractères (ex. « 11069 » pour Carcassonne, « 2A004 » pour "
                "Ajaccio) — pas le code postal",
            )
            continue
        if not is_commune(code):
            row.error(
                "commune-inconnue",
                "valeur",
                found=item,
                expected="le code INSEE d'une commune en vigueur (Code officiel géographique 2026) — "
                "attention à ne pas saisir le code postal",
            )
            continue
        codes.append(code)
    if not codes:
        return None
    return tuple(dict.fromkeys(codes))


def _typologie(row: Row) -> str | None:
    if row.blank("valeur"):
        return None
    return row.choice("valeur", TYPOLOGIES)


def _departement(row: Row) -> str | None:
    text = row.text("valeur")
    if text is None:
        return None
    code = text.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if not _DEPARTEMENT.match(code):
        row.error(
            "valeur-hors-liste", "valeur", found=text, expected="un code de département (« 11 », « 2A », « 971 »)"
        )
        return None
    return code


def _check_departement(values: dict[str, object], cells: dict[str, Cell], out: Collector) -> None:
    dep = str(values["departement"])
    found = [commune(c) for c in _value(values, "communes", tuple) or ()]
    if found and all(c is not None and c.departement != dep for c in found):
        out.warn(
            "departement-incoherent",
            cell=cells["departement"],
            departement=dep,
            found=dep,
            expected="le département des communes : " + ", ".join(sorted({c.departement for c in found if c})),
        )


def _quartiers(row: Row) -> tuple[Quartier, ...] | None:
    text = row.text("valeur")
    if text is None:
        return None
    out = []
    for item in (p.strip() for p in text.replace("\n", ";").split(";") if p.strip()):
        m = _QUARTIER.match(item)
        if not m:
            row.warn("quartier-illisible", "valeur", item=item, found=item, expected="« QP011002 – La Conte-Ozanam »")
            out.append(Quartier("", item))
            continue
        out.append(Quartier(m.group(1).upper(), (m.group(2) or "").strip()))
    return tuple(out)


def _population(row: Row) -> int | None:
    parsed = row.number("valeur")
    if parsed is None:
        return None
    if parsed.value < 0 or not parsed.value.is_integer():
        row.error("hors-echelle", "valeur", found=row.raw("valeur"), expected="un nombre entier d'habitants")
        return None
    return int(parsed.value)


_PERIODE = re.compile(r"^(\d{4})\s*[-–/à ]+\s*(\d{4})$")


def _periode(row: Row) -> tuple[int, int] | None:
    text = row.text("valeur")
    if text is None:
        return None
    m = _PERIODE.match(text.strip())
    if not m or int(m.group(1)) > int(m.group(2)):
        row.error("valeur-hors-liste", "valeur", found=text, expected="deux années, par ex. « 2024-2030 »")
        return None
    return int(m.group(1)), int(m.group(2))


def _date(row: Row) -> date | None:
    return row.date("valeur")


def _plain(row: Row) -> str | None:
    return row.text("valeur")


_FIELD_READERS = {
    "version": _version,
    "nom": _plain,
    "communes": _communes,
    "epci": _plain,
    "departement": _departement,
    "quartiers": _quartiers,
    "population": _population,
    "typologie": _typologie,
    "periode": _periode,
    "date": _date,
    "structure": _plain,
}


# ------------------------------------------------------------------ geography of codes and of figures

_GEO_MARKS = {
    "2015": re.compile(r"\bQP(\d{2}[\dAB]|97\d)\d{3}\b|hackaviz|g[ée]ographie (prioritaire )?2015", re.IGNORECASE),
    "2024": re.compile(
        r"\bQN(\d{2}[\dAB]|97\d)\d{2}[NMI]\b|g[ée]ographie (prioritaire )?2024|quartiers 2024", re.IGNORECASE
    ),
}


def source_geography(source: str | None) -> str | None:
    """The QPV geography a figure's source names (QP/QN codes, the bundled 2015 file), or None."""
    found = {g for g, pattern in _GEO_MARKS.items() if pattern.search(source or "")}
    return found.pop() if len(found) == 1 else None


def check_geography(territoire: Territoire | None, indicateurs, out: Collector, today: date | None = None) -> None:
    """Warn, row by row, when figures come from the other QPV geography than the territory's codes.

    A QN… (2024) quartier described with 2015 figures (or the reverse) mixes two perimeters. QP… (2015)
    codes checked in 2024 or later (`today`, the date a report would carry) describe a replaced list.
    """
    from ..catalog.qpv import geography

    if territoire is None:
        return
    today = today or date.today()
    geos = {g for g in (geography(q.code) for q in territoire.quartiers) if g}
    if len(geos) != 1:
        return
    (geo,) = geos
    codes = ", ".join(q.code for q in territoire.quartiers if geography(q.code))
    if geo == "2015" and today.year >= GEOGRAPHY_2024_YEAR:
        out.warn(
            "geographie-qp-remplacee",
            sheet="Territoire",
            cell=territoire.cells.get("quartiers"),
            quartiers=codes,
            found=codes,
            # every door shows this (check, the web page, the report's annex D): no command words (issue 25)
            expected="les codes QN… de la géographie 2024 et les chiffres de la base INSEE 2024, à pré-remplir "
            "depuis le fichier de l'INSEE avec le modèle de classeur de pilier-eco",
        )
    for ind in indicateurs:
        other = source_geography(ind.source)
        if other is not None and other != geo:
            out.warn(
                "geographies-melangees",
                cell=ind.cell,
                geo_quartiers=geo,
                quartiers=codes,
                indicateur=ind.code,
                geo_indicateur=other,
                source=ind.source,
                found=ind.source,
                expected=f"des chiffres de la géographie {geo} (voir docs/donnees.md)",
            )


def workbook_geography(wb, today: date) -> Geography:
    """The geography the workbook's own QPV codes describe, and which figures come from the other one.

    `today`: the report's date; QP… (2015) codes in a report dated 2024 or later are flagged `remplacee`.
    """
    from ..catalog.qpv import geography

    codes = tuple(q.code for q in wb.territoire.quartiers if geography(q.code))
    geos = {geography(c) for c in codes}
    geo = geos.pop() if len(geos) == 1 else None
    by_source = [(i.code, source_geography(i.source)) for i in wb.indicateurs]
    return Geography(
        geographie=geo,
        codes=codes,
        figures_2015=tuple(c for c, g in by_source if g == "2015"),
        figures_2024=tuple(c for c, g in by_source if g == "2024"),
        remplacee=geo == "2015" and today.year >= GEOGRAPHY_2024_YEAR,
        annee_rapport=today.year,
        annees=tuple(sorted({i.annee for i in wb.indicateurs if i.annee is not None})),
    )
