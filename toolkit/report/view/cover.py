"""The cover: territory, quartiers, communes, period, and the geography and vintage of the data."""

from __future__ import annotations

from ...results import Diagnostic
from .. import formatting as fmt
from .. import wording
from ..theme import Theme
from .common import _commune_name
from .model import Cover


def _cover(diag: Diagnostic, theme: Theme) -> Cover:
    t = diag.territoire
    periode = t.periode or diag.periode
    return Cover(
        nom=fmt.text(t.nom) or "Territoire sans nom",
        quartiers=tuple(f"{q.code} – {fmt.text(q.nom)}" if fmt.text(q.nom) else q.code for q in t.quartiers),
        communes=tuple(_commune_name(c, diag.definitions) for c in t.communes),
        typologie=fmt.text(t.typologie) or fmt.DASH,
        epci=fmt.text(t.epci) or fmt.DASH,
        departement=fmt.text(t.departement) or fmt.DASH,
        population=(
            fmt.number(t.population_quartiers, 0)
            + " habitants"
            + (f" (INSEE, {t.population_annee})" if t.population_annee else "")
        )
        if t.population_quartiers
        else "non renseignée",
        periode=f"{periode[0]}–{periode[1]}",
        date_diagnostic=fmt.long_date(t.date_diagnostic),
        structure=fmt.text(t.structure) or "Structure rédactrice non renseignée",
        logo=theme.logo_data_uri,
        donnees=data_mention(diag, short=True),
        alerte_geographie=GEOGRAPHY_REPLACED if diag.geographie.remplacee else "",
        projet=projet_mark(diag),
    )


#: On the cover of a report on QP… codes dated 2024 or later (no command words in the PDF).
GEOGRAPHY_REPLACED = "Géographie 2015, remplacée au 1er janvier 2024 ; chiffres à actualiser avec la base INSEE 2024."
PROJET_MARK = "PROJET — non diffusable"


def projet_mark(diag: Diagnostic) -> str:
    if not diag.projet:
        return ""
    return f"{PROJET_MARK} ({wording.PROJET_REASONS.get(diag.projet_raison or '', 'document de travail')})"


def data_mention(diag: Diagnostic, short: bool = False) -> str:
    """Geography of the WORKBOOK (its own QPV codes) and the years of its figures, measured against the
    report's date; figures taken from the packaged 2015 data are named, figure by figure (`short`, for the
    cover: only how many, the portrait names them)."""
    g = diag.geographie
    text = f"Quartiers en {wording.geography_label(g.geographie)}."
    if g.annees:
        text += f" Chiffres de {wording.years_text(g.annees)}"
        if g.annee_rapport is not None:
            age = g.annee_rapport - min(g.annees)
            text += f" ; le plus ancien a {fmt.plural(age, 'an')} à la date du rapport ({g.annee_rapport})"
        text += "."
    m = diag.definitions.donnees
    if g.figures_2015 and short:
        n = len(g.figures_2015)
        if g.geographie == "2024":
            return text + f" {fmt.plural(n, 'chiffre')} en géographie 2015 (périmètres différents) : voir le portrait."
        return text + f" {fmt.plural(n, 'chiffre')} des données INSEE fournies avec l'outil : voir le portrait."
    if g.figures_2015:
        labels = ", ".join(_label(diag, c) for c in g.figures_2015)
        if g.geographie == "2024":
            text += (
                f" Chiffres issus de données en géographie 2015 (périmètres différents, à remplacer par la base "
                f"INSEE 2024) : {labels}."
            )
        elif m is not None:
            text += f" Chiffres des données INSEE fournies ({m.millesimes} ; {m.source}) : {labels}."
    return text


def _label(diag: Diagnostic, code: str) -> str:
    found = next((s.indicateur for s in diag.indicateurs if s.indicateur.code == code), None)
    return fmt.text(found.libelle) if found is not None else code
