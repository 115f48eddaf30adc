"""The library as a notebook user meets it: tab completion lists the API, a what-if on weights is one call,
results come as pandas tables, compare and batch are public, the example configuration ships and every
key is documented, and docs/notebook.md runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import toolkit as pe
from toolkit.config import _SECTIONS, Catalogues, Config

ROOT = Path(__file__).resolve().parent.parent
VAUVERT = ROOT / "sample_data" / "vauvert.xlsx"
EXAMPLE = ROOT / "sample_data" / "pilier.toml"


@pytest.fixture(scope="module")
def diag():
    return pe.diagnose(pe.read(VAUVERT))


def test_dir_lists_the_api_and_check_stays_light():
    names = dir(pe)
    for name in (
        "check",
        "read",
        "diagnose",
        "tables",
        "compare",
        "batch",
        "load_config",
        "render_pdf",
        "to_json",
        "Config",
    ):
        assert name in names
    assert "import_module" not in names and "annotations" not in names
    code = (
        "import sys, toolkit as pe; dir(pe); pe.check(sys.argv[1]); "
        "print(sorted(m for m in ('pandas', 'weasyprint', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(VAUVERT)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_with_weights_is_one_call_validated_in_french(diag):
    cfg = pe.load_config(EXAMPLE)
    cheap = cfg.with_weights(actions={"cout": 0.4}, enjeux={"votes": 0})
    assert cheap.action_weights.cout == 0.4 and cheap.enjeu_weights.votes == 0
    assert cheap.action_weights.impact == cfg.action_weights.impact and cfg.action_weights.cout == 0.1
    assert cheap.limits == cfg.limits and cheap.catalogue is cfg.catalogue
    rescored = pe.diagnose(pe.read(VAUVERT), cheap)
    assert [a.key for a in rescored.actions] != [a.key for a in diag.actions]  # the ranking moved
    with pytest.raises(pe.ConfigError, match=r"poids « couts » inconnu dans \[actions.poids\] ; clés possibles : "):
        cfg.with_weights(actions={"couts": 0.4})
    with pytest.raises(pe.ConfigError, match=r"\[enjeux.poids\] votes = -1 : un poids doit être positif ou nul"):
        cfg.with_weights(enjeux={"votes": -1})
    with pytest.raises(pe.ConfigError, match="strictement positive"):
        cfg.with_weights(enjeux={"indicateurs": 0, "importance": 0, "votes": 0})


def test_an_action_has_its_own_label(diag):
    catalogue_action = next(a for a in diag.actions if a.libelle_catalogue)
    local = next(a for a in diag.actions if a.action.code == "LIBRE")
    assert catalogue_action.label == catalogue_action.libelle_catalogue
    assert local.label == local.action.intitule


def test_tables_are_dataframes_with_french_columns_and_numbers(diag):
    t = pe.tables(diag)
    assert list(t.actions.columns[:9]) == [
        "Rang",
        "Clé",
        "Code",
        "Action",
        "Champ",
        "Enjeux visés",
        "Score",
        "Priorité",
        "Gain rapide",
    ]
    criteria = ["Pertinence", "Impact", "Faisabilité", "Coût", "Partenaires", "Prérequis"]
    assert set(criteria) <= set(t.actions.columns)
    assert len(t.actions) == len(diag.actions) and len(t.enjeux) == len(diag.enjeux)
    assert len(t.indicateurs) == len(diag.indicateurs) and len(t.vigilance) == len(diag.vigilance)
    assert len(t.feuille_de_route) == len(diag.actions)
    for frame, column in (
        (t.actions, "Score"),
        (t.enjeux, "Score"),
        (t.indicateurs, "Quartier"),
        *((t.actions, c) for c in criteria),
    ):
        assert pd.api.types.is_float_dtype(frame[column]), column
    first = diag.actions[0]
    row = t.actions.iloc[0]
    assert row["Action"] == first.label and row["Score"] == first.score  # full precision, not rounded
    impact = next(c for c in first.criteria if c.name == "impact")
    assert row["Impact"] == pytest.approx(impact.normalised * 100)
    assert {"Niveau", "Message", "Cellules"} <= set(t.vigilance.columns)
    assert {"Début", "Fin", "Pilote"} <= set(t.feuille_de_route.columns)


def test_compare_and_batch_are_public(diag, tmp_path):
    other = pe.diagnose(pe.read(ROOT / "sample_data" / "bedarieux.xlsx"))
    cmp = pe.compare([diag, other], ["vauvert.xlsx", "bedarieux.xlsx"])
    assert [t.nom for t in cmp.territories] == [diag.territoire.nom, other.territoire.nom]
    from toolkit.compare import Comparison

    assert isinstance(cmp, Comparison)
    folder = tmp_path / "classeurs"
    folder.mkdir()
    (folder / "vauvert.xlsx").write_bytes(VAUVERT.read_bytes())
    (folder / "note.xlsx").write_bytes(b"pas un classeur")
    results = pe.batch(folder, tmp_path / "rapports", workers=1)
    assert [(r.source, r.status) for r in results] == [("note.xlsx", "illisible"), ("vauvert.xlsx", "ok")]
    assert (tmp_path / "rapports" / "vauvert.pdf").stat().st_size > 0


def _config_keys() -> list[tuple[str, str]]:
    keys = [(".".join(section), f.name) for section, (_, cls) in _SECTIONS.items() for f in fields(cls)]
    return keys + [("catalogues", f.name) for f in fields(Catalogues)]


def test_the_example_configuration_ships_loads_and_holds_every_key():
    cfg = pe.load_config(EXAMPLE)
    default = Config()
    for attr in ("enjeu_weights", "action_weights", "tiers", "robustness", "limits"):
        assert getattr(cfg, attr) == getattr(default, attr), attr
    text = EXAMPLE.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for section, key in _config_keys():
        if section == "catalogues":  # commented out: its files are the user's own
            assert re.search(rf"^# {key} = ", text, re.MULTILINE), key
            continue
        table = data
        for part in section.split("."):
            table = table[part]
        assert key in table, (section, key)


def test_every_configuration_key_is_documented_in_the_method():
    doc = (ROOT / "docs" / "methode.md").read_text(encoding="utf-8")
    missing = [
        f"[{s}] {k}"
        for s, k in _config_keys()
        if not re.search(rf"^\| `\[{re.escape(s)}\]` \| `{k}` \|", doc, re.MULTILINE)
    ]
    assert missing == []


def test_the_notebook_walkthrough_runs_as_written(monkeypatch, capsys):
    matplotlib.use("Agg")  # no display in the tests; a notebook shows the figure under the cell
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "notebook.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/notebook.md", "exec"), namespace)
    what_if = namespace["et_si"]
    assert list(what_if.columns) == [
        "Clé",
        "Action",
        "Rang actuel",
        "Score actuel",
        "Rang si coût 0,4",
        "Score si coût 0,4",
        "Gain de rangs",
    ]
    assert what_if["Gain de rangs"].sum() == 0 and what_if["Gain de rangs"].abs().sum() > 0  # a re-ranking
    assert len(namespace["ax"].patches) == 2 * len(what_if)  # two bars per action
    out = capsys.readouterr().out
    assert "poids « couts » inconnu" in out and "points de vigilance partagés" in out
