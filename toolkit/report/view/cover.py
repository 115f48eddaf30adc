"""The cover: territory, quartiers, communes, period, and the geography and vintage of the data."""

from __future__ import annotations

from ...results import Diagnostic
from .. import formatting as fmt
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
        population=(fmt.number(t.population_quartiers, 0) + " habitants")
        if t.population_quartiers
        else "non renseignée",
        periode=f"{periode[0]}–{periode[1]}",
        date_diagnostic=fmt.long_date(t.date_diagnostic),
        structure=fmt.text(t.structure) or "Structure rédactrice non renseignée",
        logo=theme.logo_data_uri,
        donnees=data_mention(diag),
    )


def data_mention(diag: Diagnostic) -> str:
    """Geography and vintages of the data, printed on the cover and under the portrait."""
    m = diag.definitions.donnees
    if m is None:
        return ""
    return f"Données INSEE en {m.geographie_libelle} ; millésimes : {m.millesimes} ({m.source})."
