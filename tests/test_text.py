from hypothesis import given
from hypothesis import strategies as st

from toolkit.text import normalize_key, slugify


def test_normalize_key_folds_case_accents_and_spaces() -> None:
    assert normalize_key("  Valeur  QUARTIER ") == normalize_key("valeur quartier")
    assert normalize_key("Échéance souhaitée") == "echeance souhaitee"
    assert normalize_key("Ville-centre d’agglomération") == normalize_key("ville-centre d'agglomeration")


@given(st.text())
def test_slug_is_always_a_safe_file_name(text: str) -> None:
    s = slugify(text)
    assert s and "/" not in s and "\\" not in s and ".." not in s
    assert s.isascii() and len(s) <= 60


def test_slug_of_path_traversal() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Carcassonne — 5 QPV") == "carcassonne-5-qpv"


def test_a_place_name_contracts_its_article_after_a():
    """« à Le Viguier » is not French: « au Viguier », « aux Costières », « à La Conte »."""
    from toolkit.report.formatting import at_place

    assert at_place("Le Viguier - Saint-Jacques") == "au Viguier - Saint-Jacques"
    assert at_place("Les Costières") == "aux Costières"
    assert at_place("La Conte - Ozanam") == "à La Conte - Ozanam"
    assert at_place("Grazailles") == "à Grazailles" and at_place("Lesquin") == "à Lesquin"
