"""Numbers a comité can defend (issue 22): read from the produced JSON and PDF text.

The three samples, a 2024-geography (QN…) copy of Vauvert (built as in tests/test_geography_2024.py) and a
workbook whose every figure is implausible or illustrative. PDFs are rendered once per module.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import toolkit as pe
from toolkit.cli.app import app
from toolkit.config import Config, EnjeuRules, ReportSettings, load_config
from toolkit.report.records import to_json

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("bedarieux", "carcassonne", "vauvert")
TODAY = date(2026, 12, 7)  # the report's date
PROJET = "PROJET — non diffusable"
runner = CliRunner()


def _copy(tmp: Path, sample: str, name: str) -> Path:
    path = tmp / f"{name}.xlsx"
    shutil.copy(ROOT / "sample_data" / f"{sample}.xlsx", path)
    return path


def _set_territoire(path: Path, field: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    row = next(r for r in wb["Territoire"].iter_rows() if r[0].value == field)
    row[1].value = value
    wb.save(path)


def _indicator_rows(ws) -> list:
    return [r for r in ws.iter_rows(min_row=4) if r[0].value and not str(r[0].value).startswith("#")]


def _set_indicator(path: Path, code: str, column: int, value: object) -> str:
    """Sets one cell of the row of `code` (column 1-based); returns its address, e.g. `C12`."""
    wb = openpyxl.load_workbook(path)
    row = next(r for r in _indicator_rows(wb["Indicateurs"]) if r[0].value == code)
    row[column - 1].value = value
    wb.save(path)
    return row[column - 1].coordinate


def _all_wrong(path: Path) -> None:
    """Every figure illustrative, the per-mille ones typed ×10 000 (slips), one year in the future."""
    wb = openpyxl.load_workbook(path)
    for r in _indicator_rows(wb["Indicateurs"]):
        r[6].value = "illustratif"
        if r[0].value in ("ETAB_1000_HAB", "SERVICES_1000_HAB"):
            r[2].value = 15_000
    wb.save(path)


def _diagnose(path: Path, config: Config | None = None):
    report = pe.check(path)
    assert report.workbook is not None
    return report, pe.diagnose(report.workbook, config, report=report, today=TODAY)


def _pdf_pages(diag, path: Path) -> list[str]:
    pe.render_pdf(diag, path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.fixture(scope="module")
def samples():
    return {s: _diagnose(ROOT / "sample_data" / f"{s}.xlsx") for s in SAMPLES}


@pytest.fixture(scope="module")
def qn(tmp_path_factory):
    path = _copy(tmp_path_factory.mktemp("qn"), "vauvert", "vauvert-2024")
    _set_territoire(path, "Quartiers prioritaires", "QN03001M – Costières et centre-ville")
    return path, *_diagnose(path)


@pytest.fixture(scope="module")
def wrong(tmp_path_factory):
    path = _copy(tmp_path_factory.mktemp("wrong"), "vauvert", "tout-faux")
    _all_wrong(path)
    return path, *_diagnose(path)


# ------------------------------------------------------------------ 1. invalid values never score


def test_an_implausible_value_is_not_scored_with_its_cell_and_reason(tmp_path: Path):
    path = _copy(tmp_path, "carcassonne", "carcassonne")
    cell = _set_indicator(path, "ETAB_1000_HAB", 3, "1 500")  # 1 500 ‰: a thousands separator slip
    report, diag = _diagnose(path)
    warned = [i for i in report.issues if i.code == "valeur-invraisemblable"]
    assert [str(i.cell) for i in warned] == [f"Indicateurs!{cell}"]  # the same rule at check…
    assert report.exit_code == 0
    data = to_json(diag)
    row = next(i for i in data["indicateurs"] if i["code"] == "ETAB_1000_HAB")
    assert row["score"] is None and row["raison_non_note_code"] == "valeur-invraisemblable"  # …and in scoring
    assert row["a_verifier"] == [
        {"code": "valeur-invraisemblable", "champ": "valeur", "valeur": 1500.0, "cellule": f"Indicateurs!{cell}"}
    ]
    assert "valeur à vérifier" in row["raison_non_note"]
    enjeu = next(e for e in data["enjeux"] if e["code"] == "ENTREPRENEURIAT")
    assert "ETAB_1000_HAB" not in enjeu["indicateurs"]  # scored without it
    assert any(p["regle"] == "valeurs-a-verifier" for p in data["vigilance"])  # listed, never silently dropped


def test_a_reference_ten_times_the_quartier_and_a_future_year_are_not_scored(tmp_path: Path):
    path = _copy(tmp_path, "carcassonne", "carcassonne")
    ref = _set_indicator(path, "EMPLOI_15_64", 4, 3)  # 64,7 % typed 3: a tenth of the quartier's 33,7 % or less
    year = _set_indicator(path, "EMPLOI_FEMMES", 6, 2031)
    report, diag = _diagnose(path)
    assert {(i.code, str(i.cell)) for i in report.issues} >= {
        ("reference-invraisemblable", f"Indicateurs!{ref}"),
        ("annee-future", f"Indicateurs!{year}"),  # the « dans le futur » variant of the message
    }
    rows = {i["code"]: i for i in to_json(diag)["indicateurs"]}
    assert rows["EMPLOI_15_64"]["score"] is None
    assert rows["EMPLOI_15_64"]["raison_non_note_code"] == "reference-invraisemblable"
    assert rows["EMPLOI_FEMMES"]["score"] is None
    assert rows["EMPLOI_FEMMES"]["raison_non_note_code"] == "annee-future/aujourdhui"


def test_an_enjeu_left_without_any_valid_value_is_a_objectiver(wrong):
    _, _, diag = wrong
    data = to_json(diag)
    entre = next(e for e in data["enjeux"] if e["code"] == "COMMERCE")
    # COMMERCE's only figure is implausible: perception remains, never a score
    assert entre["a_objectiver"] and entre["score"] is None and entre["niveau"] is None


# ------------------------------------------------------------------ 2. drafts look like drafts


def test_samples_are_not_drafts_unless_asked(samples, tmp_path: Path):
    for _, diag in samples.values():
        data = to_json(diag)
        assert data["projet"] is False and data["valeurs_illustratives"] * 2 <= data["valeurs_notees"]
    _, diag = _diagnose(ROOT / "sample_data" / "vauvert.xlsx", Config(report=ReportSettings(projet=True)))
    assert to_json(diag)["projet"] is True and to_json(diag)["projet_raison"] == "demande"
    toml = tmp_path / "pilier.toml"
    toml.write_text("[rapport]\nprojet = true\n", encoding="utf-8")
    assert load_config(toml).report.projet is True
    toml.write_text("[rapport]\nprojet = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="true ou false"):
        load_config(toml)


def test_a_workbook_all_illustrative_or_implausible_is_a_projet_with_its_reasons(wrong):
    path, report, diag = wrong
    data = to_json(diag)
    assert report.exit_code == 0 and runner.invoke(app, ["check", str(path)]).exit_code == 0
    assert data["projet"] is True and data["projet_raison"] in ("illustratif", "aucune-valeur-notee")
    listed = {i["code"] for i in data["indicateurs"] if i["a_verifier"]}
    assert {"ETAB_1000_HAB", "SERVICES_1000_HAB"} <= listed


@pytest.mark.lent
def test_every_page_of_a_projet_says_so(wrong, tmp_path: Path):
    _, _, diag = wrong
    pages = _pdf_pages(diag, tmp_path / "projet.pdf")
    assert len(pages) > 5
    assert all(PROJET in " ".join(p.split()) for p in pages), [i for i, p in enumerate(pages) if PROJET not in p]
    text = " ".join(" ".join(pages).split())
    assert "valeur à vérifier" in text and "Indicateurs!C" in text  # the reasons and their cells are listed
    synthese = next(" ".join(p.split()) for p in pages[2:] if "Synthèse" in p)
    assert "les priorités sont provisoires" in synthese


# ------------------------------------------------------------------ 3. geography per workbook


def test_a_qn_workbook_is_described_as_2024_geography(qn):
    _, report, diag = qn
    donnees = to_json(diag)["donnees"]
    assert donnees["geographie"] == "2024" and "2023-1314" in donnees["geographie_libelle"]
    assert "2024-806" in donnees["geographie_libelle"] and "2015" not in donnees["geographie_libelle"]
    assert "EMPLOI_15_64" in donnees["figures_geographie_2015"]  # said per figure
    assert donnees["geographie_remplacee"] is False and donnees["donnees_fournies"]["geographie"] == "2015"
    assert not [i for i in report.issues if i.code == "geographie-qp-remplacee"]


def test_a_qp_workbook_checked_after_2024_is_warned(samples):
    for report, diag in samples.values():
        warned = [i for i in report.issues if i.code == "geographie-qp-remplacee"]
        assert warned and warned[0].sheet == "Territoire" and warned[0].cell is not None
        assert to_json(diag)["donnees"]["geographie"] == "2015"
        assert to_json(diag)["donnees"]["geographie_remplacee"] is True
        assert report.exit_code == 0


@pytest.mark.lent
def test_cover_says_the_workbook_geography(qn, samples, tmp_path: Path):
    _, _, diag = qn
    qn_pages = [" ".join(p.split()) for p in _pdf_pages(diag, tmp_path / "qn.pdf")]
    cover = qn_pages[0]
    assert "géographie prioritaire 2024" in cover and "2023-1314" in cover
    assert "géographie prioritaire 2015" not in cover and "remplacée au 1er janvier 2024" not in cover
    body = " ".join(qn_pages[1:])  # the portrait names, figure by figure, what came from 2015 data
    assert "Quartiers en géographie prioritaire 2024" in body and "géographie prioritaire 2015" not in body
    assert "Chiffres issus de données en géographie 2015" in body and "Taux d’emploi des 15-64 ans" in body
    _, carca = samples["carcassonne"]
    pages = _pdf_pages(carca, tmp_path / "carcassonne.pdf")
    cover = " ".join(pages[0].split())
    assert "Géographie 2015, remplacée au 1er janvier 2024 ; chiffres à actualiser avec la base INSEE 2024" in cover
    assert "--donnees" not in cover and "pilier-eco" not in cover.replace("avec pilier-eco", "")
    assert "à la date du rapport (2026)" in cover  # data age against the report's date
    portrait = next(" ".join(p.split()) for p in pages if "Portrait du territoire" in p and "Comparaisons" in p)
    # 4. every comparator with its year, the one the score uses marked
    # the QPV set of the packaged data is Occitanie's, and the national reference is the ONPV's 2015 figure:
    # each comparator with its own territory and year, never the quartier's year lent to it
    assert "▸ Ensemble des QPV d’Occitanie (2020) :" in portrait
    assert "Unités urbaines englobantes, France (2015) : 64,7 %" in portrait and "France (2020)" not in portrait
    assert "37,6 %" in portrait and "64,7 %" in portrait
    # 6. the worst quartier's half of the score is said
    assert "quartier le plus en difficulté" in portrait


# ------------------------------------------------------------------ 4. comparators


def test_every_comparator_is_in_the_json_with_the_basis_of_the_score(samples):
    _, diag = samples["carcassonne"]
    row = next(i for i in to_json(diag)["indicateurs"] if i["code"] == "EMPLOI_15_64")
    scales = {p["echelle"] for p in row["positions"]}
    assert {"qpv", "france"} <= scales and row["base_note"] == "qpv"
    by_scale = {p["echelle"]: p for p in row["positions"]}
    assert (by_scale["qpv"]["territoire"], by_scale["qpv"]["annee"]) == ("Ensemble des QPV d'Occitanie", 2020)
    assert (by_scale["france"]["territoire"], by_scale["france"]["annee"]) == (
        "Unités urbaines englobantes (France)",
        2015,
    )


def test_a_reference_the_user_typed_has_no_year_lent_to_it(tmp_path: Path):
    """The workbook has no year column for `Valeur référence`: the catalogue's year goes with the catalogue's
    value only; a value the user typed says « année non précisée », and a QPV value she typed is not called
    Occitanie's."""
    path = _copy(tmp_path, "carcassonne", "refs")
    _set_indicator(path, "EMPLOI_15_64", 4, 66.1)  # Valeur référence
    _set_indicator(path, "EMPLOI_FEMMES", 15, 35.0)  # Valeur ensemble des QPV
    _, diag = _diagnose(path)
    rows = {i["code"]: {p["echelle"]: p for p in i["positions"]} for i in to_json(diag)["indicateurs"]}
    assert rows["EMPLOI_15_64"]["france"]["annee"] is None and rows["EMPLOI_15_64"]["france"]["reference"] == 66.1
    assert rows["EMPLOI_FEMMES"]["qpv"]["territoire"] is None and rows["EMPLOI_FEMMES"]["qpv"]["annee"] == 2020
    pdf = tmp_path / "refs.pdf"
    pe.render_pdf(diag, pdf)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Unités urbaines englobantes, France (année non précisée) : 66,1" in text
    assert "Ensemble des QPV (2020) : 35" in text


# ------------------------------------------------------------------ 5. perception is governed


def test_perception_alone_never_makes_an_enjeu_fort(samples):
    _, diag = samples["bedarieux"]
    commerce = next(e for e in to_json(diag)["enjeux"] if e["code"] == "COMMERCE")
    assert commerce["part_donnees"] == 0.0 and commerce["part_perception"] == 100.0
    assert commerce["divergence"] == "perception" and commerce["niveau"] == "faible"  # the data's level
    # the report says whose level it is: « 50 » beside a bare « enjeu faible » contradicts the thresholds
    from toolkit.report.view.assemble import build_view

    blocks = {b.code: b for b in build_view(diag).enjeux}
    assert commerce["score"] >= 40 and blocks["COMMERCE"].niveau.startswith("enjeu faible selon les données")
    assert not any("selon les données" in b.niveau for code, b in blocks.items() if code != "COMMERCE")


def test_votes_count_only_from_the_minimum_of_voters(samples):
    report, _ = samples["vauvert"]
    wb = report.workbook
    enjeu = next(v.objet.strip().upper() for v in wb.votes)
    few = pe.diagnose(wb, Config(enjeu_rules=EnjeuRules(votants_min=99)), today=TODAY)
    e = next(x for x in to_json(few)["enjeux"] if x["code"] == enjeu)
    votes = next(p for p in e["parts"] if p["source"] == "votes")
    assert e["votes_non_comptes"] and votes["valeur"] is None and votes["n"] > 0  # shown, not counted
    assert votes["detail_valeurs"]["counted"] is False and "non comptés" in votes["detail"]


def test_an_action_resting_on_an_a_objectiver_enjeu_is_marked(samples):
    _, diag = samples["vauvert"]
    data = to_json(diag)
    objectiver = {e["code"] for e in data["enjeux"] if e["a_objectiver"]}
    for a in data["actions"]:
        assert set(a["enjeux_a_objectiver"]) == set(a["enjeux"]) & objectiver


# ------------------------------------------------------------------ 6. need per quartier


def test_one_quartier_cannot_hide_the_others(samples):
    _, diag = samples["carcassonne"]
    data = to_json(diag)
    etab = next(i for i in data["indicateurs"] if i["code"] == "ETAB_1000_HAB")
    assert etab["score_ensemble"] < 10 and etab["score_pire_quartier"] == 100.0
    assert etab["score"] == pytest.approx((etab["score_ensemble"] + etab["score_pire_quartier"]) / 2, abs=0.1)
    entre = next(e for e in data["enjeux"] if e["code"] == "ENTREPRENEURIAT")
    assert entre["niveau"] != "faible"  # was 22 « faible » on the aggregate alone
    for s in ("bedarieux", "vauvert"):  # one quartier: the aggregate is the quartier
        assert not any(i["pire_quartier"] for i in to_json(samples[s][1])["indicateurs"])


# ------------------------------------------------------------------ 7. fair ranking


def test_quick_wins_are_listed_apart_and_an_event_is_never_the_first_structuring_priority(samples):
    for _, diag in samples.values():
        actions = to_json(diag)["actions"]
        for cat in ("structurante", "gain-rapide"):
            ranks = [a["rang_categorie"] for a in actions if a["categorie"] == cat]
            assert ranks == list(range(1, len(ranks) + 1))
        assert all(a["categorie"] == "gain-rapide" for a in actions if a["quick_win"] or a["evenement"])
        first = next(a for a in actions if a["categorie"] == "structurante")
        assert not first["evenement"]
    forum = next(a for a in to_json(samples["vauvert"][1])["actions"] if a["code"] == "ANIM_FORUM_EMPLOI")
    assert forum["evenement"] and forum["categorie"] == "gain-rapide"


# ------------------------------------------------------------------ suggestions


def test_strong_enjeux_without_action_get_catalogue_suggestions(samples):
    report, _ = samples["carcassonne"]
    wb = report.workbook
    from dataclasses import replace

    no_emploi = replace(
        wb, actions=tuple(a for a in wb.actions if "EMPLOI" not in a.enjeux and "JEUNES" not in a.enjeux)
    )
    diag = pe.diagnose(no_emploi, today=TODAY)
    strong = {e.code for e in diag.enjeux if e.niveau == "fort" and not e.a_objectiver}
    served = {x for a in no_emploi.actions for x in a.enjeux}
    suggested = {s["enjeu"]: s for s in to_json(diag)["suggestions"]}
    assert "EMPLOI" in suggested and set(suggested) <= strong - served
    codes = [a["code"] for a in suggested["EMPLOI"]["actions"]]
    cat = pe.Config().catalogue
    assert codes and all("EMPLOI" in cat.action(c).enjeux for c in codes)
    assert "EMPLOI_FRANCS" not in codes  # an ended programme is never suggested


def test_the_population_says_its_year_only_when_it_is_the_packaged_figure(samples, tmp_path: Path):
    """« 9 831 habitants y vivent (INSEE, 2015) »: the pre-filled population is the packaged démographie 2015;
    a population the user typed has no year the tool could know, and none is printed."""
    from toolkit.report.view.synthesis import narrative

    _, diag = samples["carcassonne"]
    assert diag.territoire.population_annee == 2015
    situation = dict(narrative(diag))["La situation"]
    assert "9 831 habitants y vivent (INSEE, 2015)" in situation.replace("\u202f", " ")
    path = _copy(tmp_path, "carcassonne", "pop")
    _set_territoire(path, "Population des quartiers", 10_400)
    _, typed = _diagnose(path)
    assert typed.territoire.population_annee is None
    assert "(INSEE, 2015)" not in dict(narrative(typed))["La situation"]
    assert to_json(typed)["territoire"]["population_annee"] is None


def test_an_enjeu_sentence_never_rests_on_a_figure_that_contradicts_it(samples):
    """Bédarieux's « ressort fortement » was backed by an employment rate better than the other QPV's: the
    evidence is now a figure that says the enjeu (worse than its comparison), and one that is illustrative
    makes the level « provisoire »."""
    from toolkit.report.view.synthesis import _enjeux, _evidence, _marked

    for name in SAMPLES:
        _, diag = samples[name]
        text = " ".join(_enjeux(diag).split())
        for e in [e for e in diag.enjeux if _marked(e)][:3]:
            ev = _evidence(e, diag)
            assert ev is not None and ev.score >= 50, (name, e.code)
            if ev.indicateur.illustratif:
                assert "repose sur un chiffre illustratif, provisoire" in text
