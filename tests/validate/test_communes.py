"""The communes catalogue built from @etalab/decoupage-administratif 6.0.0."""

from __future__ import annotations

from toolkit.catalog.communes import codes, commune, commune_name, is_commune
from toolkit.resources import data_dir


def test_known_communes():
    assert commune_name("11069") == "Carcassonne"
    assert commune_name(" 2a004 ") == "Ajaccio"
    assert commune("34032").departement == "34"


def test_unknown_and_non_current_codes():
    assert commune_name("99999") is None
    assert commune_name("11000") is None  # a postal code, not an INSEE code
    assert not is_commune("")


def test_size_and_shape():
    all_codes = codes()
    assert 34_000 < len(all_codes) < 36_000
    assert all(len(c) == 5 for c in all_codes)
    assert sum(1 for c in all_codes if (found := commune(c)) is not None and found.departement == "2A") > 100


def test_provenance_is_recorded():
    text = (data_dir() / "communes.SOURCE.md").read_text(encoding="utf-8")
    assert "@etalab/decoupage-administratif" in text and "6.0.0" in text and "MIT" in text


def test_the_shipped_names_index_is_the_one_the_communes_file_gives():
    """`communes-noms.tsv` is derived from `communes.csv` (scripts/build_communes.py): rebuilt from the file
    with today's folding, it is the same, so `check` finds the names the communes file has."""
    import csv

    from toolkit.catalog.communes import Commune, communes_by_name, names_index
    from toolkit.resources import data_dir

    with (data_dir() / "communes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]  # as scripts/build_communes.py writes then indexes them
    shipped = communes_by_name()
    assert shipped == names_index(Commune(*row) for row in rows)
    assert shipped["montpellier"] == "34" and set(shipped["saint denis"].split(",")) >= {"93", "974", "11"}
    assert shipped["oeuilly"]  # « Œuilly »: the ligature spelt out, as the workbook's text is folded
