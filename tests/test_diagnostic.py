"""diagnose() end to end and to_json(): contract keys, JSON Schema, determinism, config, golden samples.

Golden files: `tests/golden/<sample>.json` hold `to_json(diagnose(...))` for each workbook of
`sample_data/`. After an intended change of method or catalogue, regenerate them and review the diff:

    PILIER_ECO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_diagnostic.py -q
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from engine_factories import acteur, action, indicateur, reponse, sample_workbook, vote, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.config import ActionWeights, Config, EnjeuWeights
from toolkit.diagnostic import diagnose
from toolkit.model import Cell, CheckReport, Issue
from toolkit.report.records import to_json
from toolkit.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted((ROOT / "sample_data").glob("*.xlsx"))
CONTRACT_KEYS = {
    "version",
    "territoire",
    "indicateurs",
    "enjeux",
    "actions",
    "vigilance",
    "experiences",
    "qualite_donnees",
}


@pytest.fixture(scope="module")
def schema():
    return json.loads((data_dir() / "diagnostic.schema.json").read_text(encoding="utf-8"))


def roundtrip(diag) -> dict:
    return json.loads(json.dumps(to_json(diag), ensure_ascii=False))


def test_schema_is_valid_draft_2020_12(schema):
    jsonschema.Draft202012Validator.check_schema(schema)


def test_sample_like_workbook_json_has_contract_keys_and_validates(schema):
    data = roundtrip(diagnose(sample_workbook()))
    assert set(data) >= CONTRACT_KEYS and {"gouvernance", "similaires", "methode"} <= set(data)
    jsonschema.validate(data, schema)
    assert set(data["territoire"]) >= {
        "nom",
        "communes",
        "typologie",
        "population_quartiers",
        "quartiers",
        "date_diagnostic",
    }
    a = data["actions"][0]
    assert set(a) >= {
        "code",
        "intitule",
        "champ",
        "enjeux",
        "score",
        "rang",
        "priorite",
        "debut",
        "fin",
        "vigilance",
        "cellule",
    }
    assert data["indicateurs"][0]["cellule"] == "Indicateurs!C4"


def test_a_broken_json_is_rejected_by_the_schema(schema):
    data = roundtrip(diagnose(sample_workbook()))
    data["actions"][0]["priorite"] = 4
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    del data["qualite_donnees"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_every_action_vigilance_point_is_also_in_the_global_list():
    data = roundtrip(diagnose(sample_workbook()))
    everything = [json.dumps(p, sort_keys=True) for p in data["vigilance"]]
    for a in data["actions"]:
        for p in a["vigilance"]:
            assert json.dumps(p, sort_keys=True) in everything and p["ref"] == a["cle"]


def test_deterministic():
    assert to_json(diagnose(sample_workbook())) == to_json(diagnose(sample_workbook()))


def test_minimal_workbook_with_missing_optional_sheets(schema):
    wb = workbook(missing_sheets=("Enjeux", "Acteurs", "Gouvernance", "Votes"))
    d = diagnose(wb)
    assert d.governance.maturite is None and not d.governance.available
    (a,) = d.actions
    partners = next(c for c in a.criteria if c.name == "partenaires")
    assert partners.imputed and partners.normalised == 0.5
    assert {p.ref for p in d.vigilance if p.rule == "feuille-absente"} == {"Enjeux", "Acteurs", "Gouvernance", "Votes"}
    jsonschema.validate(roundtrip(d), schema)


def test_no_action_and_no_scored_indicator(schema):
    d = diagnose(workbook(actions=(), indicateurs=(indicateur("CHOMAGE_15_64", None, 7.5),)))
    assert d.actions == () and d.enjeux == ()
    jsonschema.validate(roundtrip(d), schema)


def test_config_weights_are_used_and_traced():
    cfg = Config(enjeu_weights=EnjeuWeights(1, 0, 0), action_weights=ActionWeights(0, 1, 0, 0, 0, 0))
    d = diagnose(sample_workbook(), cfg)
    assert d.method.action_weights["impact"] == 1
    for s in d.actions:  # impact alone decides
        impact = next(c for c in s.criteria if c.name == "impact")
        assert s.score == pytest.approx(100 * impact.normalised)
    emploi = next(e for e in d.enjeux if e.code == "EMPLOI")
    assert emploi.score == pytest.approx(emploi.parts[0].value)
    assert roundtrip(d)["methode"]["poids_actions"]["impact"] == 1


def test_data_quality_comes_from_the_check_report():
    issue = Issue("avertissement", "colonne-inconnue", "colonne ignorée", cell=Cell("Actions", "P3"))
    report = CheckReport("x.xlsx", (issue,), None, rows_read=40, rows_used=38)
    q = roundtrip(diagnose(sample_workbook(), report=report))["qualite_donnees"]
    assert (q["lignes_lues"], q["lignes_utilisees"]) == (40, 38)
    assert q["avertissements"][0]["cellule"] == "Actions!P3" and q["erreurs"] == []


def test_local_action_key_and_catalogue_fields():
    d = diagnose(
        workbook(actions=(action("LIBRE", row=12, intitule="Conciergerie"), action("EMP_EMPLOIS_FRANCS", row=13)))
    )
    by_key = {s.key: s for s in d.actions}
    assert "LIBRE@Actions!A12" in by_key and by_key["LIBRE@Actions!A12"].libelle_catalogue is None
    assert "31/12/2024" in by_key["EMP_EMPLOIS_FRANCS"].programme_status


# ------------------------------------------------------------------------------------- golden samples


#: The generation date the golden files were made on: the roadmap is anchored to it.
GOLDEN_DATE = date(2026, 12, 2)


def _sample_json(path: Path) -> dict:
    from toolkit.validate import check

    report = check(path)
    assert report.ok, [i.format() for i in report.errors]
    return roundtrip(diagnose(report.workbook, report=report, today=GOLDEN_DATE))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_golden_sample(sample, schema):
    data = _sample_json(sample)
    jsonschema.validate(data, schema)
    golden = GOLDEN / f"{sample.stem}.json"
    if os.environ.get("PILIER_ECO_UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if not os.environ.get("PILIER_ECO_UPDATE_GOLDEN"):
            pytest.fail(f"{golden.name} créé : relancer les tests après l'avoir relu")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert data == expected, (
        f"diagnostic de {sample.name} différent de {golden.name} (voir en-tête du module pour mettre à jour)"
    )


def test_worked_example_of_the_method_document_matches_the_code():
    doc = (ROOT / "docs" / "methode.md").read_text(encoding="utf-8")
    d = diagnose(sample_workbook())
    fr = lambda x: f"{x:.1f}".replace(".", ",")  # noqa: E731 - a one-line helper of this test
    enjeux = {e.code: e.score for e in d.enjeux}
    actions = {s.key: s for s in d.actions}
    for value in (enjeux["EMPLOI"], enjeux["JEUNES"], actions["EMP_ALLER_VERS"].score, actions["IMMO_PEPINIERE"].score,
                  d.governance.maturite):  # fmt: skip
        assert f"**{fr(value)}**" in doc, fr(value)
    activite = next(s for s in d.indicateurs if s.indicateur.code == "ACTIVITE_15_64")
    assert f"**{fr(activite.score)}**" in doc
    assert actions["EMP_ALLER_VERS"].priorite == 1 and actions["IMMO_PEPINIERE"].priorite == 3


# ------------------------------------------------------------------------------------- random workbooks

_codes = st.sampled_from(
    ["COM_BOUTIQUE_ESSAI", "EMP_TZCLD", "MOB_PERMIS", "IMMO_PEPINIERE", "EMP_EMPLOIS_FRANCS", "LIBRE"]
)
_note = st.one_of(st.none(), st.integers(1, 5))
_status = st.sampled_from(["Fait", "En cours", "À faire", "Sans objet"])
_actions = st.lists(
    st.builds(lambda c, i, f, cost, p, r, wish: action(c, row=r, impact=i, faisabilite=f, cout=cost, prerequis=p, echeance=wish),
              _codes, _note, _note, st.one_of(st.none(), st.floats(0, 3e6)), st.tuples(_status, _status, _status),
              st.integers(4, 99), st.sampled_from([None, "2024-S2", "2026-S1", "2030-S2"])),
    max_size=6,
)  # fmt: skip
_inds = st.lists(
    st.builds(lambda c, q, r, y: indicateur(c, q, r, annee=y),
              st.sampled_from(["CHOMAGE_15_64", "EMPLOI_15_64", "VACANCE_COMMERCIALE", "PAUVRETE", "PERSO_X"]),
              st.one_of(st.none(), st.floats(0, 100)), st.one_of(st.none(), st.floats(0, 100)), st.integers(2000, 2024)),
    max_size=5,
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_actions, _inds, st.lists(st.sampled_from(["Oui", "Partiel", "Non", "Ne sait pas", None]), max_size=5),
       st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from(["EMPLOI", "COMMERCE", "EMP_TZCLD"]), st.integers(1, 5)), max_size=8))  # fmt: skip
def test_any_valid_workbook_gives_a_schema_valid_bounded_diagnostic(acts, inds, answers, votes):
    schema = json.loads((data_dir() / "diagnostic.schema.json").read_text(encoding="utf-8"))
    wb = workbook(
        actions=tuple(acts), indicateurs=tuple(inds),
        gouvernance=tuple(reponse(f"G{i}", a) for i, a in enumerate(answers)),
        votes=tuple(vote(p, o, n) for p, o, n in votes),
        acteurs=(acteur("Ville", "Commune", 2),),
    )  # fmt: skip
    d = diagnose(wb)
    data = roundtrip(d)
    jsonschema.validate(data, schema)
    assert all(0 <= s.score <= 100 for s in d.actions) and all(0 <= e.score <= 100 for e in d.enjeux)
    assert all(s.debut >= date(2024, 7, 1) for s in d.actions)


# ------------------------------------------------------------------ schema <-> records (one serialisation path)


def _resolve(schema: dict, node: dict) -> dict:
    return _resolve(schema, schema["$defs"][node["$ref"].split("/")[-1]]) if "$ref" in node else node


def _alternatives(schema: dict, node: dict) -> list[dict]:
    node = _resolve(schema, node)
    return [a for alt in node["anyOf"] for a in _alternatives(schema, alt)] if "anyOf" in node else [node]


def _keys(schema: dict, node: dict, value, path: str = "$") -> tuple[set[str], set[str]]:
    """(paths emitted but not declared, paths declared) along `value`; maps (additionalProperties: {…}) are free."""
    undeclared, declared = set(), set()
    alts = _alternatives(schema, node)
    if isinstance(value, dict):
        props = {k: v for a in alts for k, v in a.get("properties", {}).items()}
        is_map = any(isinstance(a.get("additionalProperties"), dict) for a in alts)
        declared |= {f"{path}.{k}" for k in props}
        for k, v in value.items():
            if k in props:
                u, d = _keys(schema, props[k], v, f"{path}.{k}")
                undeclared, declared = undeclared | u, declared | d
            elif not is_map:
                undeclared.add(f"{path}.{k}")
    elif isinstance(value, list):
        for a in alts:
            for v in value if "items" in a else ():
                u, d = _keys(schema, a["items"], v, f"{path}[]")
                undeclared, declared = undeclared | u, declared | d
    return undeclared, declared


@pytest.fixture(scope="module")
def sample_jsons():
    return [_sample_json(p) for p in SAMPLES]


def test_every_field_the_records_emit_is_declared_in_the_schema(schema, sample_jsons):
    """A field added to `toolkit.records` without its declaration in diagnostic.schema.json fails here."""
    for data in sample_jsons:
        undeclared, _ = _keys(schema, schema, data)
        assert not undeclared, f"champs absents de diagnostic.schema.json : {sorted(undeclared)}"


def test_every_field_the_schema_declares_is_emitted(schema, sample_jsons):
    """…and a field the schema promises but the records no longer produce fails too."""
    emitted: set[str] = set()
    for data in sample_jsons:
        _, seen = _keys(schema, schema, data)
        emitted |= {p for p in seen if _present(data, p)}
    _, declared = _keys(schema, schema, sample_jsons[0])
    assert declared - emitted == set()


def _present(data, path: str) -> bool:
    nodes = [data]
    for part in path[2:].split("."):
        key, many = (part[:-2], True) if part.endswith("[]") else (part, False)
        nodes = [n[key] for n in nodes if isinstance(n, dict) and key in n]
        if many:
            nodes = [x for n in nodes if isinstance(n, list) for x in n]
    return bool(nodes) or path.endswith("[]")


def test_the_schema_checker_sees_an_undeclared_field(schema, sample_jsons):
    data = json.loads(json.dumps(sample_jsons[0]))
    data["actions"][0]["nouveau_champ"] = 1
    assert _keys(schema, schema, data)[0] == {"$.actions[].nouveau_champ"}


def test_workshop_votes_reach_the_json(sample_jsons, schema):
    data = next(d for d in sample_jsons if d["votes"])
    jsonschema.validate(data, schema)
    v = data["votes"][0]
    assert v["type"] in ("enjeu", "action") and 1 <= v["mediane"] <= 5 and v["n"] >= 1
    enjeu = next(e for e in data["enjeux"] if e["code"] == v["objet"]) if v["type"] == "enjeu" else None
    if enjeu is not None:
        assert enjeu["votes"]["n"] == v["n"] and enjeu["votes"]["mediane"] == v["mediane"]
