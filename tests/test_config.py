from pathlib import Path

import pytest

from toolkit.config import (
    ActionWeights,
    Config,
    ConfigError,
    EnjeuRules,
    EnjeuWeights,
    Limits,
    ReportSettings,
    RoadmapSettings,
    RobustnessConfig,
    Tiers,
    load_config,
)


def test_defaults_sum_to_one() -> None:
    c = Config()
    assert sum(c.enjeu_weights.as_dict().values()) == pytest.approx(1.0)
    assert sum(c.action_weights.as_dict().values()) == pytest.approx(1.0)
    assert c.robustness.tirages >= 1000


def test_toml_overrides_only_given_keys(tmp_path: Path) -> None:
    f = tmp_path / "pilier.toml"
    f.write_text("[actions.poids]\nimpact = 0.5\n[robustesse]\ntirages = 3000\n[limites]\ntaille_fichier_mo = 2\n")
    c = load_config(f)
    assert c.action_weights.impact == 0.5
    assert c.action_weights.pertinence == Config().action_weights.pertinence
    assert c.robustness.tirages == 3000 and isinstance(c.robustness.tirages, int)
    assert c.limits.max_file_bytes == 2 * 1024 * 1024
    assert c.source == str(f)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("[actions.poids]\nimpakt = 0.5\n", "clé « impakt » inconnue"),
        ("[poids]\nimpact = 0.5\n", "section [poids] inconnue"),
        ("[actions.poids]\nimpact = -1\n", "[actions.poids] impact = -1.0 : un poids doit être positif ou nul"),
        ("[actions.poids]\nimpact = 'fort'\n", "[actions.poids] impact = 'fort' : un poids doit être un nombre"),
        ("[enjeux.poids]\nindicateurs = 0\nimportance = 0\nvotes = 0\n", "strictement positive"),
        ("[actions.poids\n", "TOML illisible"),
    ],
)
def test_bad_config_is_a_french_error_naming_the_file(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(f)
    assert fragment in str(err.value)
    assert str(f) in str(err.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="introuvable"):
        load_config(tmp_path / "absent.toml")


#: (a value built in Python, the same written in pilier.toml, the message naming the key)
INVALID = [
    (
        lambda: ActionWeights(cout=-0.5),
        "[actions.poids]\ncout = -0.5\n",
        "[actions.poids] cout = -0.5 : un poids doit être positif ou nul",
    ),
    (
        lambda: EnjeuWeights(0, 0, 0),
        "[enjeux.poids]\nindicateurs = 0\nimportance = 0\nvotes = 0\n",
        "[enjeux.poids] : les poids sont tous nuls ; la somme des poids doit être strictement positive",
    ),
    (
        lambda: Tiers(10, 90),
        "[actions.priorites]\nniveau1 = 10\nniveau2 = 90\n",
        "[actions.priorites] niveau1 = 10.0, niveau2 = 90.0 : le seuil de la priorité 1 doit être supérieur ou égal à celui de la priorité 2",
    ),
    (lambda: Tiers(niveau1=120), "[actions.priorites]\nniveau1 = 120\n", "[actions.priorites] niveau1 = 120"),
    (
        lambda: RobustnessConfig(tirages=0),
        "[robustesse]\ntirages = 0\n",
        "[robustesse] tirages = 0 : un nombre entier d'au moins 1",
    ),
    (
        lambda: RobustnessConfig(tirages=2.5),
        "[robustesse]\ntirages = 2.5\n",
        "[robustesse] tirages = 2.5 : un nombre entier",
    ),
    (
        lambda: RobustnessConfig(seuil_fragile=1.5),
        "[robustesse]\nseuil_fragile = 1.5\n",
        "[robustesse] seuil_fragile = 1.5 : une probabilité entre 0 et 1",
    ),
    (lambda: Limits(taille_fichier_mo=0), "[limites]\ntaille_fichier_mo = 0\n", "[limites] taille_fichier_mo = 0"),
    (
        lambda: ReportSettings(actions_detaillees=0),
        "[rapport]\nactions_detaillees = 0\n",
        "[rapport] actions_detaillees = 0",
    ),
    (lambda: RoadmapSettings(capacite=-1), "[feuille_de_route]\ncapacite = -1\n", "[feuille_de_route] capacite = -1"),
    (
        lambda: EnjeuRules(votants_min=-5),
        "[enjeux.regles]\nvotants_min = -5\n",
        "[enjeux.regles] votants_min = -5 : un nombre entier d'au moins 1",
    ),
    (
        lambda: EnjeuRules(ecart_perception=500.0),
        "[enjeux.regles]\necart_perception = 500.0\n",
        "[enjeux.regles] ecart_perception = 500.0 : un nombre de points entre 0 et 100",
    ),
    (
        lambda: EnjeuRules(ecart_perception="beaucoup"),  # type: ignore[arg-type]  # the mistake under test
        '[enjeux.regles]\necart_perception = "beaucoup"\n',
        "[enjeux.regles] ecart_perception = 'beaucoup' : un nombre de points entre 0 et 100",
    ),
]


@pytest.mark.parametrize("build, toml, message", INVALID)
def test_a_value_refuses_nonsense_built_in_python(build, toml, message) -> None:
    """`ActionWeights(cout=-0.5)` or `Tiers(10, 90)` would otherwise give nonsense priorities, silently."""
    with pytest.raises(ConfigError) as err:
        build()
    assert message.split(" = ")[0] in str(err.value)
    assert message.split(" : ")[-1] in str(err.value)


@pytest.mark.parametrize("build, toml, message", INVALID)
def test_the_same_value_in_pilier_toml_is_refused_naming_file_and_key(tmp_path: Path, build, toml, message) -> None:
    f = tmp_path / "pilier.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(f)
    assert str(err.value).startswith(f"{f} : ")
    assert message in str(err.value)


def test_a_config_part_must_be_of_its_type() -> None:
    with pytest.raises(
        ConfigError, match=r"Config : tiers = \(10, 90\) ; attendu : un Tiers \(section \[actions.priorites\]\)"
    ):
        Config(tiers=(10, 90))  # type: ignore[arg-type]  # the mistake under test
    with pytest.raises(ConfigError, match=r"Config : enjeu_rules = 3 ; attendu : un EnjeuRules"):
        Config(enjeu_rules=3)  # type: ignore[arg-type]  # the mistake under test


def test_valid_edges_are_accepted(tmp_path: Path) -> None:
    assert Tiers(60, 60).niveau1 == 60 and RobustnessConfig(concentration=0).concentration == 0
    assert EnjeuWeights(1, 0, 0).indicateurs == 1 and Limits(actions=1).actions == 1
    f = tmp_path / "pilier.toml"
    f.write_text("[robustesse]\ntirages = 3000.0\n[actions.priorites]\nniveau1 = 100\nniveau2 = 0\n", encoding="utf-8")
    c = load_config(f)
    assert c.robustness.tirages == 3000 and isinstance(c.robustness.tirages, int)
    assert (c.tiers.niveau1, c.tiers.niveau2) == (100.0, 0.0)
