"""« Territoires qui vous ressemblent »: z-score distance over the 105 QPV, own QPV excluded."""

import math

from engine_factories import indicateur, territoire, workbook

from toolkit.catalog import packaged_catalogue
from toolkit.catalog.qpv import qpv_occitanie
from toolkit.model import Quartier
from toolkit.plan.similar import features, similar_territories
from toolkit.report.wording import similar_explanation

CAT = packaged_catalogue()  # what load_config gives without [catalogues]


def test_features_come_from_the_indicator_catalogue():
    codes = [f.code for f in features(CAT)]
    assert "PAUVRETE" in codes and "TAILLE" in codes and "DEMANDEURS_EMPLOI" not in codes  # counts left out


def test_a_qpv_is_closest_to_itself_when_not_excluded():
    rec = next(r for r in qpv_occitanie() if r.code == "QP011002")
    # profile built from indicator values equal to the QPV's own figures
    wb = workbook(
        territoire=territoire(quartiers=(Quartier("QN000000", "inconnu"),), population_quartiers=rec.pop_mun),
        indicateurs=tuple(
            indicateur(f.code, rec.values[f.column] if f.method == "moyenne_ponderee" else rec.values[f.column] / rec.pop_mun * 1000, None)
            for f in features(CAT) if f.column and rec.values.get(f.column) is not None
        ),
    )  # fmt: skip
    sims, basis = similar_territories(wb, catalogue=CAT)
    assert sims[0].code == "QP011002" and sims[0].distance < 1e-9
    assert basis == ("feuille-indicateurs",)


def test_own_qpv_excluded_top_five_sorted_and_explained():
    sims, basis = similar_territories(workbook(), catalogue=CAT)
    assert len(sims) == 5 and basis[0] == "qpv-du-territoire" and "QP011002" in basis[2]
    assert not {s.code for s in sims} & {"QP011002", "QP011003"}
    assert [s.distance for s in sims] == sorted(s.distance for s in sims)
    assert all(len(s.closest) == 2 and s.farthest is not None and s.n_features >= 3 for s in sims)
    text = similar_explanation(sims[0])
    assert "les plus proches" in text and "le plus éloigné" in text and sims[0].closest[0].libelle.lower() in text
    assert all(math.isfinite(s.distance) for s in sims)


def test_too_little_data_gives_no_comparison():
    wb = workbook(
        territoire=territoire(quartiers=(), population_quartiers=None),
        indicateurs=(indicateur("CHOMAGE_15_64", 20, 7),),
    )
    sims, basis = similar_territories(wb, catalogue=CAT)
    assert sims == () and basis == ("trop-peu-d-indicateurs", 3)
