"""Is the territory one place? Commune ↔ département ↔ QPV codes ↔ EPCI, partners, populations (issue 22).

Each finding is a located warning of `check` (`Territoire!B4`, `Acteurs!A9`): a workbook copied from another
territory, a partner of another département, two populations that disagree are caught before page 1 of a
report. Checked against the shipped communes file (`data/communes.csv`) and the packaged INSEE QPV data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..catalog.communes import Commune, commune, communes_by_name, epci, same_epci
from ..model import Acteur, Cell, Indicateur, Territoire
from ..text import fold_words, normalize_key
from .table import Collector

#: A commune name shorter than this, or one of these words, is too common to say where a partner is.
MIN_NAME = 6
_GENERIC = frozenset(
    [
        "france",
        "orange",
        "commerce",
        "industrie",
        "emploi",
        "travail",
        "entreprises",
        "entreprise",
        "mission",
        "association",
        "agence",
        "region",
        "departement",
        "metropole",
        "agglomeration",
        "communaute",
        "commune",
        "ville",
        "centre",
        "quartier",
    ]
)
#: Two populations of the same quartiers differing by more than this share are flagged.
POPULATION_GAP = 0.10


def _words(text: str) -> str:
    return " " + fold_words(str(text)).replace("\n", " ") + " "


def _departements_named(name: str) -> frozenset[str] | None:
    """The départements having a commune called `name` (folded), None for a short or generic word."""
    if len(name) < MIN_NAME or name in _GENERIC:
        return None
    deps = communes_by_name().get(name)
    return frozenset(deps.split(",")) if deps else None


def places_named(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Commune names that appear as whole words in `text`, with the départements that have one."""
    words = _words(text)
    tokens = words.split()
    found = []
    for n in range(min(5, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            key = " ".join(tokens[i : i + n])
            deps = _departements_named(key)
            if deps:
                found.append((key, deps))
    return tuple(found)


def _qpv_departement(code: str) -> str | None:
    """`QP011002` / `QN03001M` -> `11` / `30`; `QP02A001` -> `2A`; `QP971001` -> `971`."""
    m = re.match(r"^Q[PN](97\d|\d{2}[\dAB])", code.strip().upper())
    if not m:
        return None
    dep = m.group(1)
    return dep if dep.startswith("97") else dep[1:] if dep.startswith("0") else dep


def check_identity(
    territoire: Territoire | None,
    acteurs: Sequence[Acteur],
    indicateurs: Sequence[Indicateur],
    out: Collector,
) -> None:
    if territoire is None:
        return
    cells = territoire.cells
    found = [(code, commune(code)) for code in territoire.communes]
    deps = {c.departement for _, c in found if c is not None}
    dep = (territoire.departement or "").strip().upper() or None
    if dep is not None and deps and dep in deps:
        for code, c in found:  # some communes in the département, others elsewhere
            if c is not None and c.departement != dep:
                out.warn(
                    "commune-autre-departement",
                    sheet="Territoire",
                    cell=cells.get("communes"),
                    commune=f"{c.nom} ({code})",
                    departement=c.departement,
                    attendu=dep,
                    found=code,
                    expected=f"une commune du département {dep}, ou le bon département",
                )
    home = {dep} if dep else deps
    for q in territoire.quartiers:
        qdep = _qpv_departement(q.code) if q.code else None
        if qdep is not None and home and qdep not in home:
            out.warn(
                "quartier-autre-departement",
                sheet="Territoire",
                cell=cells.get("quartiers"),
                code=q.code,
                departement=qdep,
                attendu=", ".join(sorted(home)),
                found=q.code,
                expected=f"un quartier prioritaire du département {', '.join(sorted(home))}",
            )
    _check_epci(territoire, [c for _, c in found if c is not None], home, out)
    if home:
        for a in acteurs:
            for name, where in places_named(a.structure):
                if not where & home and name not in _words(" ".join(c.nom for _, c in found if c)):
                    out.warn(
                        "partenaire-autre-departement",
                        cell=a.cell,
                        structure=a.structure,
                        lieu=name,
                        departements=", ".join(sorted(where)),
                        found=a.structure,
                        expected=f"un partenaire du territoire (département {', '.join(sorted(home))}), "
                        "ou une structure régionale nommée comme telle",
                    )
                    break
    _populations(territoire, indicateurs, out)


def _check_epci(territoire: Territoire, communes: Sequence[Commune], home: set[str], out: Collector) -> None:
    """The EPCI typed must be the communes' own (COG 2026); for communes without one (Saint-Martin, islands),
    at least not a place of another département."""
    cells = territoire.cells
    official = sorted({e for c in communes if (e := epci(c.epci)) is not None}, key=str)
    if territoire.epci and official:  # the communes' EPCI is known: the typed name must designate it
        if not any(same_epci(territoire.epci, e) for e in official):
            names = " ; ".join(f"{e.nom} (SIREN {e.siren})" for e in official)
            out.warn(
                "epci-different",
                sheet="Territoire",
                cell=cells.get("epci"),
                epci=territoire.epci,
                officiel=names,
                found=territoire.epci,
                expected=f"l'EPCI des communes du territoire : {names}",
            )
    elif home and territoire.epci:  # communes without an EPCI: at least not a place of another département
        for name, where in places_named(territoire.epci):
            if not where & home:
                out.warn(
                    "epci-autre-departement",
                    sheet="Territoire",
                    cell=cells.get("epci"),
                    epci=territoire.epci,
                    lieu=name,
                    departements=", ".join(sorted(where)),
                    found=territoire.epci,
                    expected=f"l'EPCI des communes du territoire (département {', '.join(sorted(home))})",
                )
                break


def _populations(territoire: Territoire, indicateurs: Sequence[Indicateur], out: Collector) -> None:
    """The population typed in Territoire against a population row of Indicateurs and the packaged INSEE
    populations of its QPV codes (when every code is in the packaged data)."""
    typed = territoire.population_quartiers
    if not typed:
        return
    others: list[tuple[str, float, Cell | None]] = []
    for i in indicateurs:
        if (
            i.unite == "nb"
            and i.valeur_quartier
            and ("POPULATION" in i.code or normalize_key(i.libelle).startswith("population"))
        ):
            others.append((f"Indicateurs ({i.code})", i.valeur_quartier, i.value_cell or i.cell))
    codes = [q.code.upper() for q in territoire.quartiers if q.code]
    if codes:
        from ..catalog.qpv import qpv_occitanie

        data = {r.code.upper(): r for r in qpv_occitanie()}
        pops = [p for c in codes if c in data for p in (data[c].pop_mun,) if p]
        if len(pops) == len(codes):  # every quartier known, each with its population
            others.append(("données INSEE des quartiers (recensement 2015)", float(sum(pops)), None))
    for what, value, cell in others:
        if abs(value - typed) > POPULATION_GAP * typed:
            out.warn(
                "population-incoherente",
                sheet="Territoire",
                cell=territoire.cells.get("population") if cell is None else cell,
                typed=f"{typed:,}".replace(",", " "),
                autre=f"{round(value):,}".replace(",", " "),
                ou=what,
                found=typed,
                expected="la même population des quartiers partout, ou l'écart expliqué (millésime, périmètre)",
            )
