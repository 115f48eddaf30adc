"""The action catalogue is current: national programmes carry a state, an end date, a check date and a source.

`PILIER_ECO_MAX_AGE_DAYS` (default `MAX_AGE_DAYS` = 365) sets how old a check may be, against today's date:
when a year has passed without re-checking a programme, this suite fails on purpose.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import PROGRAMME_STATES, ActionDef, CatalogueError, load_actions, packaged_actions
from toolkit.model import PREREQUIS
from toolkit.resources import data_dir

#: Words that mark an action resting on a national programme or measure.
NATIONAL = (
    "Entrepreneuriat Quartiers",
    "zéro chômeur",
    "Cité de l'emploi",
    "Emplois francs",
    "cœur de ville",
    "Quartiers productifs",
    "PAQTE",
    "ANCT",
    "ZFU",
    "comité local pour l'emploi",
)


#: A programme whose state was last checked longer ago than this is stale (override: PILIER_ECO_MAX_AGE_DAYS).
MAX_AGE_DAYS = 365


def stale_programmes(defs: tuple[ActionDef, ...], today: date, max_age_days: int = MAX_AGE_DAYS) -> tuple[str, ...]:
    """French messages for national programmes checked more than `max_age_days` before `today`."""
    out = []
    for a in defs:
        p = a.programme
        if p is not None and (today - p.verifie_le).days > max_age_days:
            out.append(
                f"{a.code} : état de « {p.nom} » vérifié le {p.verifie_le:%d/%m/%Y}, il y a plus de "
                f"{max_age_days} jours ; revérifiez-le ({p.source})"
            )
    return tuple(out)


def _max_age() -> int:
    return int(os.environ.get("PILIER_ECO_MAX_AGE_DAYS", MAX_AGE_DAYS))


def test_every_national_programme_has_a_state_a_check_date_and_a_source():
    national = [a for a in packaged_actions() if any(w.lower() in a.intitule.lower() for w in NATIONAL)]
    assert len(national) >= 9
    for a in national:
        assert a.programme is not None, f"{a.code} : programme national sans [action.programme]"
        assert a.programme.etat in PROGRAMME_STATES
        assert a.programme.statut and a.programme.source.startswith("http")


def test_no_programme_check_is_older_than_the_allowed_age():
    assert stale_programmes(packaged_actions(), date.today(), _max_age()) == ()


def test_an_old_check_is_reported_with_the_programme_and_its_source(tmp_path: Path):
    path = tmp_path / "actions.toml"
    path.write_text(
        """
[[action]]
code = "VIEUX"
intitule = "Dispositif national vérifié il y a longtemps"
champ = "Emploi et insertion"
enjeux = ["EMPLOI"]
duree_mois = 12
cout_bande = "< 50 k€"

[action.programme]
nom = "Ancien dispositif"
etat = "en cours"
statut = "en cours"
verifie_le = 2024-01-15
source = "https://exemple.fr/dispositif"
""",
        encoding="utf-8",
    )
    msgs = stale_programmes(load_actions(path), date(2026, 12, 2), 365)
    assert (
        len(msgs) == 1 and "VIEUX" in msgs[0] and "15/01/2024" in msgs[0] and "https://exemple.fr/dispositif" in msgs[0]
    )
    assert stale_programmes(load_actions(path), date(2024, 6, 1), 365) == ()


@pytest.mark.parametrize("missing", ["etat", "statut", "verifie_le", "source"])
def test_a_programme_without_state_or_check_date_is_refused(tmp_path: Path, missing: str):
    fields = {
        "nom": '"X"',
        "etat": '"en cours"',
        "statut": '"en cours"',
        "verifie_le": "2026-11-01",
        "source": '"https://x.fr"',
    }
    del fields[missing]
    body = "\n".join(f"{k} = {v}" for k, v in fields.items())
    path = tmp_path / "a.toml"
    path.write_text(
        f'[[action]]\ncode = "A"\nintitule = "A"\nchamp = "Emploi et insertion"\nenjeux = ["EMPLOI"]\n'
        f'duree_mois = 6\ncout_bande = "< 50 k€"\n[action.programme]\n{body}\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=missing):
        load_actions(path)


def test_every_action_details_its_prerequisites():
    for a in packaged_actions():
        assert a.prerequis_detail, f"{a.code} : aucun prérequis détaillé"
        covered = {p.quoi for p in a.prerequis_detail}
        for name in a.prerequis:
            if name not in PREREQUIS:  # the workbook's three columns keep their own status cells
                assert name in covered, f"{a.code} : « {name} » sans détail"
        for p in a.prerequis_detail:
            assert p.quoi and p.pourquoi and p.qui and p.duree_mois >= 0


def test_items_corrected_in_december_2026():
    text = (data_dir() / "actions.toml").read_text(encoding="utf-8")
    assert "ex-CitésLab" not in text
    assert "service public de l'emploi" not in text.lower()
    eq = packaged_catalogue().action("ACC_ENTREPRENEURIAT_Q2030")
    assert all(w in eq.intitule for w in ("CitésLab", "Bus", "Carrefours"))
    assert packaged_catalogue().action("EMP_EMPLOIS_FRANCS").statut_niveau == "bloquant"


def test_settled_facts_of_7_december_2026():
    """domain-facts §8: Cités de l'emploi is attention with an alternative; TZCLD after 2026 is uncertain, not
    « au plus tôt en 2030 »; QPV tax exemptions « à vérifier »; EPARECA went to the ANCT in 2020; ACV/PVD in
    the past or conditional tense."""
    cat = packaged_catalogue()
    cites = cat.action("EMP_CITES_EMPLOI")
    assert cites.programme.etat == "non reconduit" and cites.statut_niveau == "attention"
    assert "actions jugées prioritaires" in cites.programme.statut
    assert "comité local pour l'emploi" in cites.programme.successeur and "déduction" in cites.programme.successeur
    assert cites.programme.verifie_le == date(2026, 12, 7)

    tz = cat.action("EMP_TZCLD")
    assert tz.programme.fin == date(2026, 12, 31) and tz.programme.verifie_le == date(2026, 12, 7)
    assert all(w in tz.programme.statut for w in ("27 au 28/01/2026", "96 voix", "incertain"))
    habilitation = next(p for p in tz.prerequis_detail if "abilitation" in p.quoi)
    assert "incertain" in habilitation.quoi and "07/12/2026" in habilitation.pourquoi and not habilitation.bloquant
    # the blocking chain no longer adds emergence and habilitation: at most diagnostic + emergence
    blocking = sum(p.duree_mois for p in tz.prerequis_detail if p.bloquant)
    assert blocking <= 4 + 24

    acv = cat.action("ATT_COEUR_DE_VILLE")
    assert acv.programme.fin == date(2026, 12, 31) and acv.programme.successeur
    assert "avait été annoncée" in acv.programme.successeur and "non vérifiés" in acv.programme.successeur
    assert "municipales" not in acv.programme.successeur

    exo = cat.action("ATT_EXONERATIONS_ZONEES")
    assert exo.programme.fin == date(2025, 12, 31) and exo.programme.etat == "à vérifier"
    assert "2025-127" in exo.programme.statut and "à vérifier" in exo.programme.statut
    assert "article 12" in exo.programme.statut and "2030" in exo.programme.statut

    fonciere = cat.action("IMMO_FONCIERE_COMMERCE")
    assert "ANCT" in fonciere.programme.statut and "01/01/2020" in fonciere.programme.statut


@pytest.mark.parametrize(
    "code, words",
    [
        ("FORM_PRIC_REGION", ("2024-2027",)),
        ("EMP_CEJ", ("01/03/2022",)),
        ("ENT_TERRITOIRES_INDUSTRIE", ("2023-2027", "183")),
        ("EMP_FSE_PLUS", ("2021-2027", "6,7 Md€")),
        ("EMP_GEIQ", ("814 €", "1 400 €")),
        ("ATT_EXONERATIONS_ZONEES", ("QPV",)),
    ],
)
def test_catalogue_gaps_are_filled_with_a_state_and_a_check_date(code, words):
    a = packaged_catalogue().action(code)
    assert a is not None and a.programme is not None, code
    assert a.programme.etat in PROGRAMME_STATES and a.programme.verifie_le == date(2026, 12, 7)
    text = f"{a.programme.nom} {a.programme.statut}"
    assert all(w in text for w in words), (code, text)
    assert a.programme.source.startswith("http") and a.sources


def test_old_actor_type_name_is_still_accepted(tmp_path: Path):
    path = tmp_path / "a.toml"
    path.write_text(
        '[[action]]\ncode = "A"\nintitule = "A"\nchamp = "Emploi et insertion"\nenjeux = ["EMPLOI"]\n'
        'partenaires = ["Service public de l\'emploi", "Réseau pour l\'emploi"]\nduree_mois = 6\n'
        'cout_bande = "< 50 k€"\n',
        encoding="utf-8",
    )
    (a,) = load_actions(path)
    assert len(set(a.partner_types)) == 1
