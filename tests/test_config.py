from pathlib import Path

import pytest

from toolkit.config import Config, ConfigError, load_config


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
        ("[actions.poids]\nimpact = -1\n", "nombre positif"),
        ("[actions.poids]\nimpact = 'fort'\n", "nombre positif"),
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
