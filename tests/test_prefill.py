"""Pre-filling from INSEE QPV records: aggregation rules, secret values, territory fields, unknown codes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from toolkit.catalog.indicators import IndicatorDef
from toolkit.catalog.prefill import (
    UnknownQpvError,
    aggregate,
    indicator_rows,
    prefill,
    prefill_codes,
    resolve,
    split_codes,
    territoire,
)
from toolkit.catalog.qpv import SOURCE, Millesime, QpCommune, QpvRecord


def rec(code, pop, nom=None, commune="Villeneuve", **values) -> QpvRecord:
    return QpvRecord(
        code=code, nom=nom or f"Quartier {code[-1]}", commune=commune, pop_mun=pop, values={"pop_mun": pop, **values}
    )


A = rec("QP099001", 1000, taux=10.0, nb=5.0, etab=10.0)
B = rec("QP099002", 3000, taux=30.0, nb=7.0, etab=30.0)
C = rec("QP099003", 2000, taux=None, nb=None, etab=None)  # secret
COMMUNES = {
    "QP099001": QpCommune("QP099001", "Q1", "99001", "Villeneuve", "Villeneuve", "99"),
    "QP099002": QpCommune("QP099002", "Q2", "99001", "Villeneuve", "Villeneuve", "99"),
    "QP099003": QpCommune("QP099003", "Q3", "98002", "Autreville", "Autreville, Voisine", "98"),
}
MILL = {
    "taux": Millesime("taux", "revenus", 2017, "base", "INSEE"),
    "etab": Millesime("etab", "établissements", 2019, "année de publication", "INSEE"),
}


def ind(code, col, method, unite="%", ref=None) -> IndicatorDef:
    return IndicatorDef(
        code=code,
        libelle=f"Libellé {code}",
        unite=unite,
        enjeu="EMPLOI",
        sens="hausse = dégradation",
        ecart_critique=10,
        reference_valeur=ref,
        reference_territoire="France" if ref else None,
        reference_annee=2018 if ref else None,
        reference_source="ONPV" if ref else None,
        insee_colonne=col,
        insee_agregation=method,
    )


def test_weighted_mean_uses_population_and_skips_secret():
    agg = aggregate([A, B, C], "taux", "moyenne_ponderee")
    assert agg.value == pytest.approx((10 * 1000 + 30 * 3000) / 4000)  # 25, not the plain mean 20
    assert agg.used == ("QP099001", "QP099002") and agg.skipped == ("QP099003",)


def test_sum_of_counts_skips_secret():
    agg = aggregate([A, B, C], "nb", "somme")
    assert agg.value == 12 and agg.skipped == ("QP099003",)


def test_density_recomputed_from_sums_of_available_qpv():
    agg = aggregate([A, B, C], "etab", "densite_1000")
    assert agg.value == pytest.approx((10 + 30) / (1000 + 3000) * 1000)  # secret QPV's population left out too


def test_weight_needs_a_population():
    no_pop = rec("QP099004", None, taux=50.0)
    agg = aggregate([A, no_pop], "taux", "moyenne_ponderee")
    assert agg.value == 10 and agg.skipped == ("QP099004",)


def test_all_secret_gives_none_and_no_row():
    assert aggregate([C], "taux", "moyenne_ponderee").value is None
    assert indicator_rows([C], [ind("X", "taux", "moyenne_ponderee")], MILL, SOURCE) == ()


def test_zero_counts_are_flagged():
    z = rec("QP099005", 500, nb=0.0)
    agg = aggregate([A, z], "nb", "somme")
    assert agg.value == 5 and agg.zeros == ("QP099005",)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="méthode"):
        aggregate([A], "taux", "mediane")


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(1, 20000), hs.one_of(hs.none(), hs.floats(0, 100))), min_size=1, max_size=8))
def test_weighted_mean_stays_within_the_values(pairs):
    records = [rec(f"QP0990{i:02d}", pop, taux=v) for i, (pop, v) in enumerate(pairs)]
    agg = aggregate(records, "taux", "moyenne_ponderee")
    known = [v for _, v in pairs if v is not None]
    if not known:
        assert agg.value is None
    else:
        assert min(known) - 1e-9 <= agg.value <= max(known) + 1e-9
        assert len(agg.used) + len(agg.skipped) == len(pairs)


def test_indicator_rows_cite_source_year_reference_and_method():
    defs = [
        ind("TAUX", "taux", "moyenne_ponderee", ref=14.6),
        ind("NB", "nb", "somme", unite="nb"),
        ind("DENS", "etab", "densite_1000", unite="‰"),
        ind("SANS", None, None),
    ]
    rows = {r.code: r for r in indicator_rows([A, B, C], defs, MILL, "INSEE test")}
    assert set(rows) == {"TAUX", "NB", "DENS"}  # no INSEE column -> no row
    t = rows["TAUX"]
    assert t.valeur == 25.0 and t.annee == 2017 and t.valeur_reference == 14.6 and t.territoire_reference == "France"
    assert t.source == "INSEE test ; QPV QP099001, QP099002, QP099003"
    assert "pondérée" in t.commentaire and "pop_mun" in t.commentaire
    assert "QP099003" in t.commentaire and "2 QPV sur 3" in t.commentaire
    assert "Référence : France 2018, ONPV" in t.commentaire
    assert rows["NB"].valeur == 12 and isinstance(rows["NB"].valeur, int) and rows["NB"].annee is None
    assert "Somme" in rows["NB"].commentaire and "Pas de valeur de référence" in rows["NB"].commentaire
    assert rows["DENS"].valeur == 10.0 and "Densité recalculée" in rows["DENS"].commentaire
    assert "année de publication" in rows["DENS"].commentaire


def test_single_qpv_comment_says_it_is_the_qpv_value():
    (row,) = indicator_rows([A], [ind("TAUX", "taux", "moyenne_ponderee")], MILL, "INSEE")
    assert row.valeur == 10.0 and "Valeur du QPV QP099001" in row.commentaire


def test_territoire_fields_dedupe_communes_and_sum_population():
    terr, notes = territoire([A, B], COMMUNES)
    assert terr.communes == ("99001",) and terr.departement == "99" and terr.population == 4000
    assert terr.fields()["quartiers"] == "QP099001 – Quartier 1; QP099002 – Quartier 2"
    assert terr.nom == "Villeneuve – 2 quartiers prioritaires" and notes == ()


def test_territoire_notes_when_data_is_incomplete():
    terr, notes = territoire([A, C, rec("QP099009", None)], COMMUNES)
    assert terr.departement is None and terr.population is None
    assert terr.communes == ("99001", "98002")
    text = " ".join(notes)
    assert "plusieurs départements" in text and "plusieurs communes" in text and "QP099009" in text


def test_split_codes_tolerates_case_commas_and_duplicates():
    assert split_codes(["qp011002, QP011003", " QP011002 ;QP011004"]) == ("QP011002", "QP011003", "QP011004")


def test_unknown_codes_listed_with_near_matches():
    with pytest.raises(UnknownQpvError) as err:
        resolve(["QP099001", "QP09901", "quartier 2"], [A, B, C], "test.csv")
    msg = str(err.value)
    assert "test.csv" in msg and "« QP09901 »" in msg and "QP099001 (Quartier 1, Villeneuve)" in msg
    assert "« QUARTIER 2 »" in msg and "QP099002" in msg
    assert set(err.value.unknown) == {"QP09901", "QUARTIER 2"}


def test_no_code_at_all_is_an_error():
    with pytest.raises(UnknownQpvError):
        resolve([" , "], [A])


def test_prefill_combines_territory_rows_and_notes():
    p = prefill([A, B], [ind("TAUX", "taux", "moyenne_ponderee")], COMMUNES, MILL, "INSEE")
    assert p.territoire.population == 4000 and [r.code for r in p.indicateurs] == ["TAUX"]


def test_real_bedarieux_values_from_bundled_file():
    p = prefill_codes(["QP034020"])
    rows = {r.code: r for r in p.indicateurs}
    assert p.territoire.communes == ("34028",) and p.territoire.population == 1955
    assert rows["EMPLOI_15_64"].valeur == 40.9 and rows["PAUVRETE"].valeur == 38.5
    assert rows["ETAB_1000_HAB"].valeur == pytest.approx(round(269 / 1955 * 1000, 1))
    assert "MENAGES_ALLOC_CHOMAGE" not in rows  # secret in the file
    assert all(r.source.startswith(SOURCE) for r in rows.values())
