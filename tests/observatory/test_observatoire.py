"""The observatory as a user meets it: the PDF and the page show every territory, candidates are validated with
a name and a date, a validated experience reaches another sample's report and never its own territory's."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from pdf_helpers import pdf_text

from .conftest import CANDIDATE, ROOT, run


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_shows_the_three_samples_progress_readiness_and_the_candidate(sample_base, tmp_path):
    before = _digest(sample_base)
    out = tmp_path / "observatoire.pdf"
    proc = run("observatoire", "--base", str(sample_base), "-o", str(out), subprocess_run=True)  # as typed
    assert "3 territoires, 1 prêt pour" in proc.stdout and "(s)" not in proc.stdout
    text = " ".join(_pdf_text(out).split())
    for name in ("Carcassonne", "Bédarieux", "Vauvert"):
        assert name in text
    assert "Territoires et avancement" in text and "Enjeux côte à côte" in text
    assert "Types d’actions adoptés" in text and "Prérequis qui bloquent le plus souvent" in text
    assert "Évaluation à mi-parcours 2027" in text and "pratique recommandée, pas une obligation légale" in text
    assert "Mobilisation des partenaires" in text  # the prerequisite most often still to lift
    assert "Personnes accompagnées vers un emploi ou une formation : 42" in text  # the candidate and its figure
    assert "en attente de validation" in text
    assert "1 territoire sur 3 est prêt : Carcassonne" in text
    assert "Carte des 3 territoires placés" in text or "100 km" in text  # the regional map is drawn
    assert _digest(sample_base) == before  # read only


def test_filter_by_departement_and_epci(sample_base, tmp_path):
    out = tmp_path / "aude.pdf"
    run("observatoire", "--base", str(sample_base), "-o", str(out), "--departement", "11")
    text = _pdf_text(out)
    assert "Carcassonne" in text and "Vauvert" not in text and "Bédarieux" not in text
    out2 = tmp_path / "grand-orb.pdf"
    run("observatoire", "--base", str(sample_base), "-o", str(out2), "--epci", "cc grand orb")
    text2 = _pdf_text(out2)
    assert "Bédarieux" in text2 and "Carcassonne" not in text2
    proc = run(
        "observatoire", "--base", str(sample_base), "-o", str(tmp_path / "x.pdf"), "--departement", "12", check=False
    )
    assert proc.returncode == 1 and "Départements présents : 11, 30, 34" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_candidate_validated_then_offered_to_bedarieux_never_to_carcassonne(base_copy, tmp_path):
    listing = run("observatoire", "experiences", "--base", str(base_copy))
    assert CANDIDATE in listing.stdout and "en attente de validation" in listing.stdout
    pending = tmp_path / "attente.toml"
    run("observatoire", "experiences", "--base", str(base_copy), "-o", str(pending))
    import tomllib

    assert tomllib.loads(pending.read_text(encoding="utf-8")).get("experience", []) == []  # nothing active yet

    done = run(
        "observatoire", "valider", CANDIDATE.lower(), "--par", "Centre de ressources VTO", "--base", str(base_copy)
    )
    assert "Validée" in done.stdout and "Centre de ressources VTO" in done.stdout
    catalogue = tmp_path / "candidates.toml"
    run("observatoire", "experiences", "--base", str(base_copy), "-o", str(catalogue))
    (entry,) = tomllib.loads(catalogue.read_text(encoding="utf-8"))["experience"]
    assert entry["code"] == CANDIDATE and entry["communes"] == ["11069"]
    assert entry["sources"][0] == "suivi de Carcassonne – 5 quartiers prioritaires, 2026"
    assert entry["validee_par"] == "Centre de ressources VTO"

    config = tmp_path / "pilier.toml"
    config.write_text('[catalogues]\nexperiences = "candidates.toml"\n', encoding="utf-8")
    for sample, offered in (("bedarieux", True), ("carcassonne", False)):
        report, pdf = tmp_path / f"{sample}.json", tmp_path / f"{sample}.pdf"
        workbook = str(ROOT / "sample_data" / f"{sample}.xlsx")
        run("diagnose", workbook, "--config", str(config), "-o", str(pdf), "--json", str(report))
        experiences = {e["code"]: e for e in json.loads(report.read_text(encoding="utf-8"))["experiences"]}
        assert (CANDIDATE in experiences) is offered, (sample, list(experiences))
        if offered:  # with its figures and its citation
            assert "Personnes accompagnées vers un emploi ou une formation = 42" in experiences[CANDIDATE]["resume"]
    text = " ".join(_pdf_text(tmp_path / "bedarieux.pdf").split())
    # cited in the report's sources annex, with its proof
    assert "Plateforme de mobilité solidaire : suivi de Carcassonne – 5 quartiers prioritaires, 2026" in text
    assert "https://www.carcassonne-agglo.fr/bilan-plateforme-mobilite-2026" in text


def test_validation_is_recorded_with_who_and_when_and_unknown_code_is_refused(base_copy):
    import sqlite3

    proc = run("observatoire", "valider", "SUIVI_INCONNU", "--par", "X", "--base", str(base_copy), check=False)
    assert proc.returncode == 1 and "aucune expérience candidate « SUIVI_INCONNU »" in proc.stderr
    run(
        "observatoire", "valider", CANDIDATE, "--par", "A. Martin, VTO", "--refuser", "--motif", "résultat non vérifié",
        "--base", str(base_copy),
    )  # fmt: skip
    with sqlite3.connect(base_copy) as con:
        ((etat, par, le, motif),) = con.execute("SELECT etat, par, le, motif FROM validations").fetchall()
    assert (etat, par, motif) == ("refusée", "A. Martin, VTO", "résultat non vérifié")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", le)


def test_older_and_newer_bases_are_refused_in_french_and_untouched(sample_base, tmp_path):
    import sqlite3

    newer = tmp_path / "recente.sqlite"
    shutil.copy(sample_base, newer)
    with sqlite3.connect(newer) as con:
        con.execute("UPDATE meta SET valeur = '99' WHERE cle = 'schema_version'")
    before = _digest(newer)
    proc = run("observatoire", "--base", str(newer), "-o", str(tmp_path / "o.pdf"), check=False)
    assert proc.returncode == 1 and "version plus récente de pilier-eco" in proc.stderr
    assert "Traceback" not in proc.stderr and _digest(newer) == before and not (tmp_path / "o.pdf").exists()

    older = tmp_path / "ancienne.sqlite"
    shutil.copy(sample_base, older)
    with sqlite3.connect(older) as con:
        con.execute("UPDATE meta SET valeur = '3' WHERE cle = 'schema_version'")
    before = _digest(older)
    proc = run("observatoire", "--base", str(older), "-o", str(tmp_path / "o.pdf"), check=False)
    assert proc.returncode == 1 and "mettez-la à niveau" in proc.stderr and "pilier-eco suivi historique" in proc.stderr
    assert _digest(older) == before

    missing = run(
        "observatoire", "--base", str(tmp_path / "absente.sqlite"), "-o", str(tmp_path / "o.pdf"), check=False
    )
    assert missing.returncode == 1 and "aucune base de suivi" in missing.stderr
    assert not (tmp_path / "absente.sqlite").exists()


def _square(x: float, y: float, d: float) -> str:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    feature = {"type": "Feature", "properties": {"code_qp": "QP011005"}, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("ceci n'est pas du JSON", "n'est pas un GeoJSON"),
        ('{"type": "Feature"}', "n'est pas un GeoJSON"),
        (_square(650000, 6230000, 1000), "coordonnées sont en mètres"),  # Lambert-93, not WGS 84
        (_square(-73.9, 40.7, 0.1), "aucun contour en France, métropole ou départements d'outre-mer"),  # New York
    ],
)
def test_bad_contours_file_gets_a_french_message_and_nothing_is_written(sample_base, tmp_path, content, expected):
    bad = tmp_path / "contours.geojson"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "o.pdf"
    proc = run("observatoire", "--base", str(sample_base), "-o", str(out), "--contours", str(bad), check=False)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr and "Pour continuer" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_too_big_contours_file_is_refused_before_reading(tmp_path, monkeypatch):
    from toolkit.catalog import contours

    monkeypatch.setattr(contours, "MAX_BYTES", 1000)
    big = tmp_path / "gros.geojson"
    big.write_text('{"type":"FeatureCollection","features":[]}' + " " * 2000, encoding="utf-8")
    with pytest.raises(contours.ContoursError) as err:
        contours.load_contours(big)
    assert "trop volumineux" in str(err.value) and err.value.problem.code == "contours-inutilisables"


def test_web_page_lists_the_territories_filters_and_never_writes(sample_base, tmp_path):
    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    before = _digest(sample_base)
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(sample_base)))
    with TestClient(app, base_url="http://127.0.0.1") as client:  # the server answers only to its own names
        page = client.get("/observatoire")
        assert page.status_code == 200
        html = page.text
        for name in ("Carcassonne", "Bédarieux", "Vauvert"):
            assert name in html
        assert "<svg" in html and "carte-observatoire" in html  # the regional map, inline
        assert "Évaluation à mi-parcours 2027" in html and CANDIDATE in html.replace("<wbr>", "")  # may wrap at « _ »
        from tests.web.conftest import shown_text, typography_faults

        assert typography_faults(shown_text(html)) == []  # French typography, as on every page
        filtered = client.get("/observatoire", params={"departement": "30"}).text
        assert "Vauvert" in filtered and "Fleming" not in filtered and "Carcassonne – 5" not in filtered
    assert _digest(sample_base) == before


def test_late_actions_and_budgets_agree_with_each_territory_annual_review(sample_base):
    import toolkit as pe
    from toolkit.suivi.observatory import observe

    with pe.open_base(sample_base, readonly=True) as b:
        obs = observe(b)
        reviews = {t: pe.build_review(b.snapshots(t)) for t in b.territories()}
    assert len(obs.territories) == 3
    for t in obs.territories:
        r = reviews[t.nom]
        assert t.count("en_retard") == r.count("en_retard"), t.nom
        assert t.count("realisees") == r.count("realisees") and t.budget("realise") == r.budget("realise")
    (carcassonne,) = [t for t in obs.territories if t.nom.startswith("Carcassonne")]
    assert carcassonne.count("en_retard") == 1 and carcassonne.snapshots == 2
    assert carcassonne.ready and carcassonne.state == "prete"
    assert [t.missing for t in obs.territories if t is not carcassonne] == [
        ("point-de-depart", "situation-recente", "statuts", "cibles")
    ] * 2


def test_the_view_pages_the_territories_tables_but_counts_every_territory(sample_base):
    import toolkit as pe
    from toolkit.report.observatoire import build_observatory_view
    from toolkit.suivi.observatory import observe

    with pe.open_base(sample_base, readonly=True) as b:
        obs = observe(b, departement=None)
    second = build_observatory_view(obs, page=2, per_page=2)
    assert (second.page, second.pages, second.first_row) == (2, 2, 3)
    assert [r.nom for r in second.territories] == [obs.territories[2].nom]
    assert second.shown == 3 and sum(n for _, _, n in second.states) == 3


def test_a_territory_without_quartier_code_is_listed_and_said_unplaced(base_copy, tmp_path):
    from dataclasses import replace

    import toolkit as pe
    from tests.suivi.helpers import snapshot_of

    snap = snapshot_of(ROOT / "sample_data" / "vauvert.xlsx")
    with pe.open_base(base_copy) as b:
        b.record(
            replace(snap, territoire="Territoire sans code (illustratif)", quartiers=(), communes=(), departement=None)
        )
    out = tmp_path / "o.pdf"
    run("observatoire", "--base", str(base_copy), "-o", str(out))
    text = " ".join(_pdf_text(out).split())
    assert "Territoire sans code (illustratif)" in text and "aucun code de quartier" in text
    assert "Non placés (aucun contour de quartier) : Territoire sans code (illustratif)" in text


def test_an_overseas_territory_is_named_under_the_regional_map(base_copy, tmp_path):
    """The regional map is Lambert-93: a territory of La Réunion (its quartier drawn in its own report's map) is
    named under it rather than placed at a wrong spot or left out silently."""
    from dataclasses import replace

    import toolkit as pe
    from tests.suivi.helpers import snapshot_of

    snap = snapshot_of(ROOT / "sample_data" / "vauvert.xlsx")
    with pe.open_base(base_copy) as b:
        b.record(
            replace(
                snap,
                territoire="Saint-Denis (La Réunion, illustratif)",
                quartiers=(("QN97401M", "Quartier réunionnais (illustratif)"),),
                communes=("97411",),
                departement="974",
            )
        )
    source = json.loads((ROOT / "toolkit" / "data" / "contours" / "qp_occitanie_2015.geojson").read_text("utf-8"))
    source["features"] += json.loads(_square(55.45, -20.89, 0.01).replace("QP011005", "QN97401M"))["features"]
    contours = tmp_path / "contours.geojson"
    contours.write_text(json.dumps(source), encoding="utf-8")
    out = tmp_path / "o.pdf"
    run("observatoire", "--base", str(base_copy), "-o", str(out), "--contours", str(contours))
    text = " ".join(_pdf_text(out).split())
    assert "Outre-mer, hors de cette carte (chaque rapport a la sienne) : Saint-Denis (La Réunion, illustratif)" in text
    assert "Non placés" not in text  # it has its contour: not confused with a territory without one


def test_one_epci_typed_two_ways_is_one_epci_named_officially(base_copy):
    """Two workbooks of the CC Grand Orb, one typing « CC Grand Orb », the other « Grand Orb » (and a neighbour
    typing nothing): the observatory lists one EPCI, by its official name, and a short name filters it."""
    from dataclasses import replace

    import toolkit as pe
    from tests.suivi.helpers import snapshot_of
    from toolkit.suivi.observatory import filtered, observe

    snap = snapshot_of(ROOT / "sample_data" / "bedarieux.xlsx")
    with pe.open_base(base_copy) as b:
        b.record(replace(snap, territoire="Lamalou-les-Bains (illustratif)", communes=("34126",), epci="Grand Orb"))
        obs = observe(b)
    official = "CC Grand Orb Communauté de Communes en Languedoc"
    assert obs.epcis == ("CA Carcassonne Agglo", "CC de Petite Camargue", official)
    kept = filtered(obs, epci="grand orb")
    assert sorted(t.nom for t in kept.territories) == ["Bédarieux – Centre-ville", "Lamalou-les-Bains (illustratif)"]
    assert {t.epci for t in kept.territories} == {official}
    assert filtered(obs, epci="Orb et Jaur").territories == ()  # a name that is not its own designates nothing


def test_the_page_shows_a_validation_made_after_its_first_view(base_copy, tmp_path):
    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(base_copy)))
    with TestClient(app, base_url="http://127.0.0.1") as client:  # the server answers only to its own names
        assert "en attente de validation" in client.get("/observatoire").text
        run("observatoire", "valider", CANDIDATE, "--par", "Centre de ressources VTO", "--base", str(base_copy))
        after = client.get("/observatoire").text
    assert "par Centre de ressources VTO" in after and "en attente de validation" not in after


def test_the_page_tells_an_old_base_in_french_and_leaves_it_untouched(sample_base, tmp_path):
    import sqlite3

    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    older = tmp_path / "ancienne.sqlite"
    shutil.copy(sample_base, older)
    with sqlite3.connect(older) as con:
        con.execute("UPDATE meta SET valeur = '3' WHERE cle = 'schema_version'")
    before = _digest(older)
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(older)))
    with TestClient(app, base_url="http://127.0.0.1") as client:  # the server answers only to its own names
        page = client.get("/observatoire")
    assert page.status_code == 503 and "mettez-la à niveau" in page.text and "Traceback" not in page.text
    assert _digest(older) == before


def test_diagnose_with_a_bad_contours_file_writes_nothing(tmp_path):
    bad = tmp_path / "contours.geojson"
    bad.write_text(_square(650000, 6230000, 1000), encoding="utf-8")
    out = tmp_path / "rapport.pdf"
    proc = run(
        "diagnose", str(ROOT / "sample_data" / "vauvert.xlsx"), "--contours", str(bad), "-o", str(out), check=False
    )
    assert proc.returncode == 2 and "coordonnées sont en mètres" in proc.stderr and "WGS 84" in proc.stderr
    assert not out.exists()


def test_a_base_migrated_from_schema_2_is_placed_by_its_quartier_codes(tmp_path):
    import toolkit as pe
    from toolkit.suivi.observatory import observe

    old = tmp_path / "suivi.sqlite"
    shutil.copy(ROOT / "tests" / "suivi" / "data" / "suivi-schema2.sqlite", old)
    kept = tmp_path / "copie.sqlite"
    shutil.copy(old, kept)
    with pe.open_base(old) as b:  # a command that may write migrates it (2 -> 3 -> … -> 7), once
        assert b.schema_version() == 7 and b.upgraded == (2, 7)
    with pe.open_base(old) as b:
        assert b.upgraded is None
    # and the command-line says so once: older versions of pilier-eco (a colleague's) no longer read it
    said = run("suivi", "historique", "--base", str(kept)).stderr
    assert f"Base {kept} mise à niveau du schéma 2 au schéma 7" in said and _sentences_with_two_colons(said) == []
    assert "mise à niveau" not in run("suivi", "historique", "--base", str(kept)).stderr
    with pe.open_base(old, readonly=True) as b:
        (t,) = observe(b).territories
    assert t.departement == "11" and t.epci is None and t.communes == ()  # QP011… : Aude; EPCI unknown before 4
    out = tmp_path / "o.pdf"
    run("observatoire", "--base", str(old), "-o", str(out))
    assert "EPCI non renseigné" in _pdf_text(out)


def test_the_library_way_offers_the_validated_candidate_as_the_docs_say(base_copy):
    """docs/observatoire.md: `validated_experiences(candidates(base), cfg.catalogue)`, then
    `cfg.catalogue.with_experiences(…)` passed to `diagnose` — the same offer as the exported TOML."""
    from dataclasses import replace

    import toolkit as pe
    from toolkit.suivi.candidates import candidates, decide, validated_experiences
    from toolkit.suivi.store import open_base

    cfg = pe.load_config()
    with open_base(base_copy, create=False) as base:
        assert validated_experiences(candidates(base), cfg.catalogue) == ()  # nothing validated yet
        decide(base, CANDIDATE, par="Centre de ressources VTO")
        pairs = validated_experiences(candidates(base), cfg.catalogue)
    assert [e.code for e, _ in pairs] == [CANDIDATE]
    cfg = replace(cfg, catalogue=cfg.catalogue.with_experiences(pairs, "base de suivi"))
    for sample, offered in (("bedarieux", True), ("carcassonne", False)):
        diag = pe.diagnose(pe.read(ROOT / "sample_data" / f"{sample}.xlsx", cfg), cfg)
        assert (CANDIDATE in {m.experience.code for m in diag.experiences}) is offered, sample


def test_enjeux_side_by_side_show_each_territory_report_figures_and_no_score_for_an_enjeu_a_objectiver(sample_base):
    """Issue 27 audit § 1: an enjeu no scored indicator informs is « à objectiver » in the territory's own report,
    without a figure; side by side it says so too, and every figure shown is the report's (rank and score)."""
    import toolkit as pe
    from toolkit.report import formatting as fmt
    from toolkit.report.observatoire import build_observatory_view, render_observatory_html
    from toolkit.suivi.observatory import observe

    with pe.open_base(sample_base, readonly=True) as b:
        view = build_observatory_view(observe(b))
    columns = [code for code, _ in view.enjeux]
    for sample in ("bedarieux", "vauvert"):  # one snapshot each: the sample workbook itself
        diag = pe.diagnose(pe.read(ROOT / "sample_data" / f"{sample}.xlsx"))
        (row,) = [r for r in view.territories if r.nom == diag.territoire.nom]
        shown = dict(zip(columns, row.enjeux, strict=True))
        expected = {
            e.code: "à objectiver" if e.a_objectiver else f"{e.rang} ({fmt.score(e.score)})" for e in diag.enjeux
        }
        assert shown == expected, sample
    bedarieux = next(r for r in view.territories if r.nom.startswith("Bédarieux"))
    assert dict(zip(columns, bedarieux.enjeux, strict=True))["MOBILITE"] == "à objectiver"  # 75 on perception only
    html = " ".join(render_observatory_html(view).split())
    assert "« à objectiver » signifie qu’aucun indicateur chiffré" in html.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_filter_without_match_on_the_page_says_so_and_shows_no_empty_section(sample_base, tmp_path):
    """Issue 27 audit § 4: as the command does, the page names the départements present instead of « 0 territoire »
    over empty tables; a name designating several EPCIs is said ambiguous, with the EPCIs it designates."""
    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(sample_base)))
    with TestClient(app, base_url="http://127.0.0.1") as client:  # the server answers only to its own names
        html = client.get("/observatoire", params={"departement": "99"}).text
        ambiguous = client.get("/observatoire", params={"epci": "CC"}).text
    text = " ".join(html.replace("\u202f", " ").replace("\u00a0", " ").split())
    assert "Aucun territoire ne correspond au filtre (département 99). Départements présents : 11, 30, 34." in text
    assert "0 territoire" not in text and "Aucun prérequis à lever" not in text and "<table" not in html
    assert 'name="departement"' in html  # the filters stay, to choose another
    said = " ".join(ambiguous.replace("\u202f", " ").replace("\u00a0", " ").split())
    assert "Le nom d'EPCI « CC » est ambigu" in said.replace("’", "'")
    assert (
        "CC de Petite Camargue, CC Grand Orb Communauté de Communes en Languedoc" in said and "<table" not in ambiguous
    )


def test_an_epci_name_designating_several_epcis_is_refused_with_the_candidates(sample_base, tmp_path):
    out = tmp_path / "cc.pdf"
    proc = run("observatoire", "--base", str(sample_base), "-o", str(out), "--epci", "CC", check=False)
    assert proc.returncode == 1 and not out.exists()
    assert "Le nom d'EPCI « CC » est ambigu : il désigne 2 EPCI de la base" in proc.stderr
    assert "CC de Petite Camargue, CC Grand Orb Communauté de Communes en Languedoc. Précisez lequel." in proc.stderr
    one = run("observatoire", "--base", str(sample_base), "-o", str(out), "--epci", "Petite Camargue")
    assert "1 territoire," in one.stdout  # a name designating one EPCI still filters


def test_a_refusal_without_a_motive_is_refused_in_french_and_nothing_recorded(base_copy):
    import sqlite3

    proc = run(
        "observatoire", "valider", CANDIDATE, "--par", "A. Martin, VTO", "--refuser", "--base", str(base_copy),
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "Un refus se motive : ajoutez --motif" in proc.stderr
    assert "Traceback" not in proc.stderr
    with sqlite3.connect(base_copy) as con:
        assert con.execute("SELECT COUNT(*) FROM validations").fetchone() == (0,)


def test_candidate_codes_wrap_only_after_an_underscore_in_the_pdf(sample_base, tmp_path):
    """Issue 27 audit § 6: a long code in a narrow column breaks after a « _ », never inside a word, and is copied
    from the PDF as it is typed."""
    import toolkit as pe
    from toolkit.suivi.candidates import candidates

    with pe.open_base(sample_base, readonly=True) as b:
        codes = [c.code for c in candidates(b)]
    out = tmp_path / "observatoire.pdf"
    run("observatoire", "--base", str(sample_base), "-o", str(out))
    pieces = [t for t in re.findall(r"[A-Z0-9_]*_[A-Z0-9_]*", _pdf_text(out)) if any(t in c for c in codes)]
    assert pieces and any(p.startswith("SUIVI_") for p in pieces)

    def whole_words(piece: str, code: str) -> bool:  # starts at a word's start, ends after « _ » or at the end
        return any(
            code.startswith(piece, i)
            and (i == 0 or code[i - 1] == "_")
            and (piece.endswith("_") or i + len(piece) == len(code))
            for i in range(len(code))
        )

    assert [p for p in pieces if not any(whole_words(p, c) for c in codes)] == []


def _carcassonne_2027(directory: Path, value: float) -> Path:
    """Carcassonne a year later: the validated action still « réalisée », its result now `value`."""
    from tests.suivi.helpers import action_codes, yearly_workbook

    statuses = {code: {"Statut (suivi)": "en cours"} for code in action_codes() if code != "LIBRE"}
    statuses["MOB_PLATEFORME"] = {
        "Statut (suivi)": "réalisée",
        "Indicateur de résultat": "Personnes accompagnées vers un emploi ou une formation",
        "Valeur du résultat": value,
        "Note de l'année": "Deuxième année de la plateforme.",
    }
    return yearly_workbook(directory, 2027, tweak=-1.0, follow_up=statuses)


def test_a_validated_experience_with_a_newer_result_says_it_is_to_revalidate(base_copy, tmp_path):
    """Issue 27 audit: a later snapshot with another result for the validated action is said everywhere the
    candidate is (listing, exported catalogue as a comment, observatory), while the experience offered keeps
    the validated figures; validating again takes the new ones and the warning goes."""
    import tomllib

    import toolkit as pe
    from toolkit.suivi.candidates import candidates, validated_experiences

    run("observatoire", "valider", CANDIDATE, "--par", "Centre de ressources VTO", "--base", str(base_copy))
    quiet = run("observatoire", "experiences", "--base", str(base_copy)).stdout
    assert "à revalider" not in quiet  # the validated result is the latest
    pe.record(_carcassonne_2027(tmp_path, 57), base=str(base_copy))
    said = "résultat plus récent dans le suivi, 57 en 2027 — à revalider"

    listing = run("observatoire", "experiences", "--base", str(base_copy)).stdout
    line = next(x for x in listing.splitlines() if x.startswith(CANDIDATE))
    assert "= 42" in line and ", 2026 :" in line and said in line
    catalogue = tmp_path / "candidates.toml"
    exported = run("observatoire", "experiences", "--base", str(base_copy), "-o", str(catalogue)).stdout
    assert "1 validée sur 1" in exported and "(s)" not in exported  # re-audit § 5: no « validée(s) »
    written = catalogue.read_text(encoding="utf-8")
    assert f"# {said}" in written
    (entry,) = tomllib.loads(written)["experience"]  # still offered, with the figures the centre validated
    assert "= 42" in entry["resume"] and entry["annee"] == "2026"
    page = tmp_path / "observatoire.html"
    run("observatoire", "--base", str(base_copy), "--html", str(page))
    html = " ".join(page.read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ").split())
    assert said in html and "garde les chiffres validés de 2026" in html
    pdf = tmp_path / "observatoire.pdf"
    run("observatoire", "--base", str(base_copy), "-o", str(pdf))
    assert "à revalider" in " ".join(_pdf_text(pdf).split())
    with pe.open_base(base_copy, readonly=True) as b:
        cands = candidates(b)
    ((exp, _),) = validated_experiences(cands, pe.load_config().catalogue)  # the library's way, the same
    assert "= 42" in exp.resume and "57" not in exp.resume

    run("observatoire", "valider", CANDIDATE, "--par", "Centre de ressources VTO", "--base", str(base_copy))
    again = run("observatoire", "experiences", "--base", str(base_copy)).stdout
    line = next(x for x in again.splitlines() if x.startswith(CANDIDATE))
    assert "= 57" in line and ", 2027 :" in line and "à revalider" not in line


def test_a_new_decision_keeps_the_earlier_ones_and_the_latest_is_in_force(base_copy, tmp_path):
    """Issue 27 audit: deciding again on a candidate no longer erases the earlier decision: the base keeps each
    (who, when, état, motif), the latest is in force, and the listings say « validée le … par … (décision
    précédente : refusée le … par …) »."""
    import sqlite3

    run(
        "observatoire", "valider", CANDIDATE, "--par", "B. Roux, VTO", "--refuser", "--motif", "preuve manquante",
        "--base", str(base_copy),
    )  # fmt: skip
    done = run("observatoire", "valider", CANDIDATE, "--par", "A. Martin, VTO", "--base", str(base_copy)).stdout
    assert "remplace la décision précédente : refusée le" in done and "par B. Roux, VTO" in done
    with sqlite3.connect(base_copy) as con:
        history = con.execute("SELECT etat, par, motif, le FROM decisions ORDER BY id").fetchall()
        in_force = con.execute("SELECT etat, par FROM validations").fetchall()
    assert [(e, p, m) for e, p, m, _ in history] == [
        ("refusée", "B. Roux, VTO", "preuve manquante"),
        ("validée", "A. Martin, VTO", None),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", le) for *_, le in history)
    assert in_force == [("validée", "A. Martin, VTO")]  # the latest decision is the one in force
    day = "/".join(reversed(history[0][3][:10].split("-")))
    day2 = "/".join(reversed(history[1][3][:10].split("-")))
    expected = f"validée le {day2} par A. Martin, VTO (décision précédente : refusée le {day} par B. Roux, VTO)"
    listing = run("observatoire", "experiences", "--base", str(base_copy)).stdout
    assert expected in listing
    catalogue = tmp_path / "candidates.toml"
    run("observatoire", "experiences", "--base", str(base_copy), "-o", str(catalogue))
    assert expected in catalogue.read_text(encoding="utf-8")  # in force: active, its history in a comment
    page = tmp_path / "observatoire.html"
    run("observatoire", "--base", str(base_copy), "--html", str(page))
    html = " ".join(page.read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ").split())
    assert (
        f"validée le {day2} par A. Martin, VTO (décision précédente : refusée le {day} par B. Roux, VTO — "
        "preuve manquante)" in html
    )


def test_a_validated_local_action_is_offered_with_the_enjeux_it_targets(base_copy, tmp_path):
    """Issue 27 re-audit § 1: the base keeps each action's « Enjeux visés » (schema 7), so a validated local
    action (LIBRE) — Carcassonne's Épicerie solidaire, targeting COMMERCE and ATTRACTIVITE — is an experience
    with those enjeux, not the territory's first one (EMPLOI), and reaches Bédarieux's report beside its
    shop-front action; never Carcassonne's."""
    from dataclasses import replace

    import toolkit as pe
    from tests.suivi.helpers import yearly_workbook
    from toolkit.suivi.candidates import candidates, decide, validated_experiences

    libre = {
        "Statut (suivi)": "réalisée",
        "Budget réalisé (€)": 60000,
        "Indicateur de résultat": "Ménages clients",
        "Valeur du résultat": 210,
    }
    pe.record(yearly_workbook(tmp_path, 2027, follow_up={"LIBRE": libre}), base=str(base_copy))
    cfg = pe.load_config()
    with pe.open_base(base_copy) as base:
        (cand,) = [c for c in candidates(base) if c.action_code == "LIBRE"]
        assert cand.enjeux == ("COMMERCE", "ATTRACTIVITE")
        decide(base, cand.code, par="Centre de ressources VTO")
        pairs = validated_experiences(candidates(base), cfg.catalogue)
    (exp,) = [e for e, _ in pairs if e.code == cand.code]
    assert set(exp.enjeux) == {"COMMERCE", "ATTRACTIVITE"}
    cfg = replace(cfg, catalogue=cfg.catalogue.with_experiences(pairs, "base de suivi"))
    for sample, offered in (("bedarieux", True), ("carcassonne", False)):
        diag = pe.diagnose(pe.read(ROOT / "sample_data" / f"{sample}.xlsx", cfg), cfg)
        assert (cand.code in {m.experience.code for m in diag.experiences}) is offered, sample


def _sentences_with_two_colons(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", " ".join(text.split())) if s.count(" : ") > 1]


def test_a_base_problem_and_a_motive_never_put_two_colons_in_one_sentence(base_copy, tmp_path):
    """Issue 27 re-audit § 1: « Base de suivi : old5.sqlite : base au schéma 5… » and « par B. Roux, VTO :
    Résultat à documenter : preuve manquante »: the base is named once (« Base de suivi old5.sqlite : … »), the
    motive follows a dash (« VTO — résultat à documenter : preuve manquante »)."""
    import sqlite3

    older = tmp_path / "ancienne.sqlite"
    shutil.copy(base_copy, older)
    with sqlite3.connect(older) as con:
        con.execute("UPDATE meta SET valeur = '5' WHERE cle = 'schema_version'")
    proc = run("observatoire", "--base", str(older), "-o", str(tmp_path / "o.pdf"), check=False)
    assert proc.returncode == 1 and f"Base de suivi {older} : base au schéma 5" in proc.stderr
    assert _sentences_with_two_colons(proc.stderr) == []
    wrong = run("observatoire", "valider", CANDIDATE[:-1], "--par", "X", "--base", str(base_copy), check=False)
    assert wrong.returncode == 1 and f"Base de suivi {base_copy} : aucune expérience candidate" in wrong.stderr
    assert f"vouliez-vous dire {CANDIDATE} ?" in wrong.stderr and _sentences_with_two_colons(wrong.stderr) == []

    run(
        "observatoire", "valider", CANDIDATE, "--par", "B. Roux, VTO", "--refuser",
        "--motif", "Résultat à documenter : preuve manquante", "--base", str(base_copy),
    )  # fmt: skip
    run("observatoire", "valider", CANDIDATE, "--par", "A. Martin, VTO", "--base", str(base_copy))
    page = tmp_path / "observatoire.html"
    run("observatoire", "--base", str(base_copy), "--html", str(page))
    html = " ".join(page.read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ").split())
    assert "par B. Roux, VTO — résultat à documenter : preuve manquante)" in html
    assert "VTO : Résultat" not in html
    shown = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", html, flags=re.S)
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"</?(p|li|td|th|tr|h\d|br|figcaption|div|small)\b[^>]*>", ". ", shown))
    assert _sentences_with_two_colons(shown) == []  # « Un territoire est dit prêt quand il réunit : … » too
    listing = run("observatoire", "experiences", "--base", str(base_copy)).stdout
    assert _sentences_with_two_colons(listing.replace(" ; ", ". ")) == []
    catalogue = tmp_path / "candidates.toml"
    run("observatoire", "experiences", "--base", str(base_copy), "-o", str(catalogue))
    comments = [x for x in catalogue.read_text(encoding="utf-8").splitlines() if x.startswith("#")]
    assert [x for x in comments if _sentences_with_two_colons(x)] == []


def test_the_state_cell_says_its_label_once_then_only_what_the_detail_adds(sample_base):
    """Issue 27 re-audit § 2: « un seul instantané (point de départ) un seul instantané, situation trop
    ancienne… » (PDF page 3 and the page): the label once, then only what it does not say."""
    import toolkit as pe
    from toolkit.report.observatoire import build_observatory_view, observatory_body, render_observatory_html
    from toolkit.suivi.observatory import observe

    with pe.open_base(sample_base, readonly=True) as b:
        view = build_observatory_view(observe(b))
    firsts = [t for t in view.territories if t.state == "depart"]
    assert firsts, "the fixture has territories with one snapshot"
    for t in firsts:
        assert t.state_label == "un seul instantané (point de départ)"
        assert "un seul instantané" not in t.manque
    for html in (render_observatory_html(view), str(observatory_body(view))):
        cells = re.findall(r'<td class="etat-[a-z-]+-texte">(.*?)</td>', html)
        assert len(cells) == len(view.territories)
        for cell in cells:
            text = " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            assert text.count("un seul instantané") <= 1, text
            assert not text.endswith("<small>"), text


def test_an_epci_filter_given_by_a_short_name_selects_its_option(sample_base, tmp_path):
    """Issue 27 re-audit § 3: `/observatoire?epci=Grand Orb` filtered rightly but left the EPCI list on « tous »:
    the option of the EPCI it designates is the selected one (and only it)."""
    from starlette.testclient import TestClient

    from toolkit.web import WebSettings, create_app

    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(sample_base)))
    official = "CC Grand Orb Communauté de Communes en Languedoc"
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for typed in ("Grand Orb", "grand orb", official):
            html = client.get("/observatoire", params={"epci": typed}).text
            select = re.search(r'<select id="epci" name="epci">(.*?)</select>', html, re.S)
            assert select is not None
            chosen = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
            assert chosen == [official], (typed, chosen)
            assert "Bédarieux" in html and "Vauvert –" not in html
        html = client.get("/observatoire").text
        select = re.search(r'<select id="epci" name="epci">(.*?)</select>', html, re.S)
        assert select is not None and " selected" not in select.group(1)


def test_a_recorded_snapshot_is_numbered_among_its_territory_s_own(base_copy, tmp_path):
    """Issue 27 re-audit § 4: « instantané n° 5 de « Carcassonne » » was the base's fifth, Carcassonne's third:
    the command and the page say the territory's own count (« 3e instantané de Carcassonne », « 1er » for a
    first), never the base-wide number."""
    from tests.web.conftest import csrf_of
    from toolkit.typography import french_text
    from toolkit.web import WebSettings, create_app

    workbook = _carcassonne_2027(tmp_path, 57)
    out = run("suivi", "enregistrer", str(workbook), "--base", str(base_copy)).stdout
    assert "Enregistré : 3e instantané de Carcassonne" in out and "n° " not in out, out
    again = run("suivi", "enregistrer", str(workbook), "--base", str(base_copy)).stdout
    assert "identique au 3e instantané de Carcassonne" in again and "n° " not in again, again
    first = run(
        "suivi", "enregistrer", str(ROOT / "sample_data" / "vauvert.xlsx"), "--base", str(tmp_path / "n.sqlite")
    )
    assert "Enregistré : 1er instantané de Vauvert" in first.stdout

    from starlette.testclient import TestClient

    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1, suivi_base=str(tmp_path / "w.sqlite")))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        csrf = csrf_of(c.get("/suivi").text)
        for path, said in ((ROOT / "sample_data" / "carcassonne.xlsx", "1er"), (workbook, "2e")):
            with open(path, "rb") as fh:
                r = c.post("/suivi/enregistrer", files={"classeur": (path.name, fh)}, data={"csrf": csrf})
            assert r.status_code == 200
            assert french_text(f"{said.capitalize()} instantané de Carcassonne") in r.text and "n° " not in r.text
