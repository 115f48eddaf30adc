"""User catalogues (`[catalogues]` of --config) layered over the packaged ones, carried by the configuration."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import toolkit as pe
from toolkit.catalog import load_catalogue, packaged_catalogue
from toolkit.catalog.actions import packaged_actions
from toolkit.cli.app import app
from toolkit.config import ConfigError, load_config
from toolkit.typography import french_text  # the report applies French typography

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

LOCAL_ACTION = """
[[action]]
code = "LOCAL_FONCIERE_COMMERCE"
intitule = "Foncière de redynamisation commerciale du quartier"
champ = "Commerce"
enjeux = ["COMMERCE", "ATTRACTIVITE"]
partenaires = ["EPCI", "Financeur"]
prerequis = ["Diagnostic préalable", "Étude de faisabilité", "Mobilisation des partenaires"]
duree_mois = 30
cout_bande = "200 k€–1 M€"
cout_min = 200_000
cout_max = 1_000_000
cout_note = "illustratif"
suivi = ["Cellules commerciales reprises"]
sources = ["https://www.banquedesterritoires.fr/"]

[[action]]
code = "EMP_PACTE_PLEIN_EMPLOI"
intitule = "Pacte local pour l'emploi (version du territoire)"
champ = "Emploi et insertion"
enjeux = ["EMPLOI"]
duree_mois = 12
cout_bande = "< 50 k€"
cout_min = 10_000
cout_max = 50_000
"""

LOCAL_EXPERIENCE = """
[[experience]]
code = "FONCIERE_LOCALE_TEST"
titre = "Foncière commerciale d'une ville voisine"
lieu = "Ville voisine"
resume = "Rachat et remise en location de cellules vacantes en pied d'immeuble."
enjeux = ["COMMERCE"]
actions = ["LOCAL_FONCIERE_COMMERCE"]
typologie = "Ville-centre d'agglomération"
region = "Occitanie"
sources = ["https://www.banquedesterritoires.fr/"]
"""


@pytest.fixture
def setup(tmp_path):
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "actions-locales.toml").write_text(LOCAL_ACTION, encoding="utf-8")
    (tmp_path / "cat" / "experiences-locales.toml").write_text(LOCAL_EXPERIENCE, encoding="utf-8")
    config = tmp_path / "pilier.toml"
    config.write_text(
        '[catalogues]\nactions = "cat/actions-locales.toml"\nexperiences = "cat/experiences-locales.toml"\n',
        encoding="utf-8",
    )
    workbook = tmp_path / "local.xlsx"
    shutil.copy(ROOT / "sample_data" / "carcassonne.xlsx", workbook)
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Actions"]
    row = next(
        r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value and not str(ws.cell(r, 1).value).startswith("#")
    )
    ws.cell(row, 1).value = "LOCAL_FONCIERE_COMMERCE"
    wb.save(workbook)
    return tmp_path, config, workbook


def test_config_resolves_files_next_to_it(setup):
    tmp, config, _ = setup
    cfg = load_config(config)
    assert cfg.catalogues.actions == str((tmp / "cat" / "actions-locales.toml").resolve())
    assert cfg.catalogues.experiences.endswith("experiences-locales.toml")


@pytest.mark.parametrize(
    "body, expected",
    [
        ('[catalogues]\nactions = "absent.toml"\n', "absent.toml introuvable"),
        ('[catalogues]\nindicateurs = "x.toml"\n', "clé « indicateurs » inconnue dans [catalogues]"),
        ("[catalogues]\nactions = 3\n", "attendu : le chemin d'un fichier .toml"),
    ],
)
def test_bad_catalogue_entries_are_refused_in_french(tmp_path, body, expected):
    config = tmp_path / "pilier.toml"
    config.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match="pilier.toml") as exc:
        load_config(config)
    assert expected in str(exc.value)


def test_a_faulty_catalogue_entry_is_named_before_any_work(tmp_path):
    (tmp_path / "a.toml").write_text(
        LOCAL_ACTION.replace('champ = "Commerce"', 'champ = "Boulangerie"'), encoding="utf-8"
    )
    config = tmp_path / "pilier.toml"
    config.write_text('[catalogues]\nactions = "a.toml"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(ROOT / "sample_data" / "carcassonne.xlsx"), "--config", str(config)])
    assert result.exit_code == 2
    assert "a.toml, action n° 1 (LOCAL_FONCIERE_COMMERCE) : champ « Boulangerie » inconnu" in result.output
    assert "Traceback" not in result.output


def test_user_catalogue_is_a_value_beside_the_packaged_one(setup):
    tmp, _, _ = setup
    packaged = packaged_catalogue()
    before = packaged.action("EMP_PACTE_PLEIN_EMPLOI")
    cat = load_catalogue(tmp / "cat" / "actions-locales.toml", tmp / "cat" / "experiences-locales.toml")
    assert cat.action("local_fonciere_commerce").intitule.startswith("Foncière de redynamisation")
    assert cat.action("EMP_PACTE_PLEIN_EMPLOI").cout_bande == "< 50 k€"  # overridden, not duplicated
    assert len(cat.actions) == len(packaged_actions()) + 1
    assert any(e.code == "FONCIERE_LOCALE_TEST" for e in cat.experiences)
    assert cat.files == ("actions-locales.toml", "experiences-locales.toml")
    # the packaged catalogue is untouched: nothing global was switched
    assert packaged.action("LOCAL_FONCIERE_COMMERCE") is None
    assert packaged.action("EMP_PACTE_PLEIN_EMPLOI") == before
    assert not any(e.code == "FONCIERE_LOCALE_TEST" for e in packaged.experiences)


def test_public_api_carries_the_user_catalogue_to_scores_report_and_annex(setup):
    """`pe.diagnose(pe.read(f, cfg), cfg)` alone — no CLI, no context — sees the user's catalogue."""
    tmp, config, workbook = setup
    cfg = pe.load_config(config)
    with pytest.raises(pe.WorkbookError, match="LOCAL_FONCIERE_COMMERCE"):
        pe.read(workbook)  # packaged catalogue: the local code is unknown
    diag = pe.diagnose(pe.read(workbook, cfg), cfg)
    local = next(a for a in diag.actions if a.action.code == "LOCAL_FONCIERE_COMMERCE")
    assert local.libelle_catalogue == "Foncière de redynamisation commerciale du quartier"
    assert local.partner_types == ("EPCI", "Financeur")  # scored with the user's entry (partner criterion)
    assert not next(c for c in local.criteria if c.name == "partenaires").imputed
    pacte = next((a for a in diag.actions if a.action.code == "EMP_PACTE_PLEIN_EMPLOI"), None)
    if pacte is not None:
        assert pacte.quick_win == (pacte.action.faisabilite or 0) >= 4 and (pacte.action.cout or 0) < 50_000
    assert any(m.experience.code == "FONCIERE_LOCALE_TEST" for m in diag.experiences)
    assert diag.method.catalogues == ("actions-locales.toml", "experiences-locales.toml")
    assert [d.code for d in diag.definitions.actions].count("LOCAL_FONCIERE_COMMERCE") == 1
    data = pe.to_json(diag)
    assert data["methode"]["catalogues"] == ["actions-locales.toml", "experiences-locales.toml"]
    html = tmp / "r.html"
    pe.render_html(diag, html)
    text = unescape(html.read_text(encoding="utf-8"))
    assert "Foncière de redynamisation commerciale du quartier" in text
    assert french_text("Foncière commerciale d'une ville voisine") in text  # the user's experience
    assert (
        french_text("Catalogues de pilier-eco complétés par : actions-locales.toml, experiences-locales.toml.") in text
    )


def test_check_accepts_a_bare_limits_for_compatibility(setup):
    _, _, _workbook = setup
    report = pe.check(ROOT / "sample_data" / "carcassonne.xlsx", pe.load_config().limits)
    assert report.ok


def test_check_accepts_the_local_code_only_with_the_configuration(setup):
    _, config, workbook = setup
    without = runner.invoke(app, ["check", str(workbook)])
    assert without.exit_code == 1 and "LOCAL_FONCIERE_COMMERCE" in without.output
    with_config = runner.invoke(app, ["check", str(workbook), "--config", str(config)])
    assert with_config.exit_code == 0, with_config.output


def test_diagnose_scores_plans_and_cites_the_local_catalogue(setup):
    tmp, config, workbook = setup
    out = tmp / "out"
    result = runner.invoke(
        app,
        [
            "diagnose",
            str(workbook),
            "--config",
            str(config),
            "-o",
            str(out / "r.pdf"),
            "--json",
            str(out / "r.json"),
            "--html",
            str(out / "r.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    local = next(a for a in data["actions"] if a["code"] == "LOCAL_FONCIERE_COMMERCE")
    assert local["intitule"] == "Foncière de redynamisation commerciale du quartier"
    assert any(e["code"] == "FONCIERE_LOCALE_TEST" for e in data["experiences"])
    assert data["methode"]["catalogues"] == ["actions-locales.toml", "experiences-locales.toml"]
    html = (out / "r.html").read_text(encoding="utf-8")
    assert (
        french_text("Catalogues de pilier-eco complétés par : actions-locales.toml, experiences-locales.toml.") in html
    )
    assert packaged_catalogue().action("LOCAL_FONCIERE_COMMERCE") is None  # the packaged catalogue is untouched


def test_template_lists_the_local_code(setup):
    tmp, config, _ = setup
    target = tmp / "modele.xlsx"
    result = runner.invoke(app, ["template", str(target), "--config", str(config)])
    assert result.exit_code == 0, result.output
    values = {c for row in openpyxl.load_workbook(target)["Listes"].iter_rows(values_only=True) for c in row if c}
    assert "LOCAL_FONCIERE_COMMERCE" in values


def test_batch_workers_use_the_local_catalogue(setup):
    tmp, config, workbook = setup
    folder = tmp / "lot"
    folder.mkdir()
    shutil.copy(workbook, folder / "local.xlsx")
    result = runner.invoke(
        app, ["batch", str(folder), "--out-dir", str(tmp / "rapports"), "--jobs", "1", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp / "rapports" / "local.pdf").stat().st_size > 10_000


def _packaged_action_block(code: str) -> str:
    """The `[[action]]` block of one packaged action, as written in toolkit/data/actions.toml."""
    text = (ROOT / "toolkit" / "data" / "actions.toml").read_text(encoding="utf-8")
    start = text.index(f'[[action]]\ncode = "{code}"')
    end = text.find("\n[[action]]\n", start + 1)
    return text[start : end if end > 0 else None]


def _plain(html: str) -> str:
    """The report's text as read: tags dropped, French no-break spaces read as spaces."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ").replace("\xa0", " "))


def test_a_user_prerequisite_duration_reaches_synthesis_and_vigilance_alike(tmp_path):
    """Issue 26: a user catalogue setting a prerequisite of a priority action to 30 months (3 packaged) must be
    read by the synthesis as by the vigilance chapter; the synthesis used to look it up in the packaged
    catalogue, and printed the packaged duration beside a vigilance chapter planned on the user's."""
    step = "Comité local pour l'emploi installé et saisi du quartier"
    block = _packaged_action_block("EMP_PACTE_PLEIN_EMPLOI")
    at = block.index("duree_mois = 3\n", block.index(f'quoi = "{step}"'))
    (tmp_path / "actions-locales.toml").write_text(
        block[:at] + "duree_mois = 30\n" + block[at + len("duree_mois = 3\n") :], encoding="utf-8"
    )
    config = tmp_path / "pilier.toml"
    config.write_text('[catalogues]\nactions = "actions-locales.toml"\n', encoding="utf-8")
    cfg = pe.load_config(config)
    diag = pe.diagnose(pe.read(ROOT / "sample_data" / "carcassonne.xlsx", cfg), cfg)
    assert next(a for a in diag.actions if a.key == "EMP_PACTE_PLEIN_EMPLOI").priorite == 1
    text = _plain(pe.render_html(diag))
    # the synthesis names the long steps of the priorities, with their duration
    long_steps = re.search(r"Étapes longues, hors de la main du territoire : [^.]*\.", text)
    assert long_steps is not None, "a 30-month step of a priority action is a long step for élus"
    shown = french_text(step)  # the report sets French typography (’)
    assert f"{shown.lower()} pour « " in long_steps.group() and "(30 mois)" in long_steps.group()
    # the vigilance chapter plans the same step over the same 30 months
    start_m, start_y, end_m, end_y = re.search(
        re.escape(shown) + r" \((\w+) (\d{4}) – (\w+) (\d{4}), qui", text
    ).groups()
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre")
    months += ("novembre", "décembre")
    span = (int(end_y) - int(start_y)) * 12 + months.index(end_m) - months.index(start_m) + 1
    assert span == 30
