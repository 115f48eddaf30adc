"""A strong enjeu that no action serves gets catalogue suggestions (issue 22 pt 10), never a discontinued one."""

from __future__ import annotations

from engine_factories import action, indicateur, workbook

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.actions import suggested_actions
from toolkit.diagnostic import diagnose
from toolkit.report.wording import vigilance_message

CAT = packaged_catalogue()


def test_formation_and_youth_get_the_new_droit_commun_entries():
    assert suggested_actions(CAT.actions, "FORMATION")[0].code == "FORM_PRIC_REGION"
    assert "EMP_CEJ" in [a.code for a in suggested_actions(CAT.actions, "JEUNES")]
    # commerce surfaces the QPV tax exemptions, « à vérifier » but asked about by élus (domain-facts §8)
    assert "ATT_EXONERATIONS_ZONEES" in [a.code for a in suggested_actions(CAT.actions, "COMMERCE")]


def test_never_a_discontinued_programme_nor_an_action_already_in_the_workbook():
    for enjeu in ("EMPLOI", "ENTREPRISES", "JEUNES"):
        codes = [a.code for a in suggested_actions(CAT.actions, enjeu, limit=50)]
        # ended (emplois francs) or not continued as such (Cités de l'emploi: its actions go to the comité local)
        assert not {"EMP_EMPLOIS_FRANCS", "EMP_CITES_EMPLOI"} & set(codes)
    first = suggested_actions(CAT.actions, "EMPLOI")[0].code
    assert first not in [a.code for a in suggested_actions(CAT.actions, "EMPLOI", exclude=(first,))]


def test_the_vigilance_point_names_the_suggestions():
    wb = workbook(actions=(action("COM_BOUTIQUE_ESSAI"),), indicateurs=(indicateur("CHOMAGE_15_64", 25.0, 7.5),))
    (p,) = [p for p in diagnose(wb).vigilance if p.rule == "enjeu-fort-sans-action"]
    params = dict(p.params)
    assert params["suggestions_codes"] and "COM_BOUTIQUE_ESSAI" not in params["suggestions_codes"]
    text = vigilance_message(p)
    assert "Pistes du catalogue" in text and params["suggestions"][0] in text
