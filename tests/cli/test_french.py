"""What the command-line parser prints reaches the user in French."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.cli.french import translate


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "english, french",
    [
        ("Usage: pilier-eco check [OPTIONS] FILE", "Utilisation : pilier-eco check [OPTIONS] FILE"),
        ("Error: Missing argument 'CLASSEUR'.", "Erreur : argument manquant : CLASSEUR."),
        ("Error: No such option: --bogus", "Erreur : option inconnue : --bogus"),
        ("  --help  Show this message and exit.", "  --help  Affiche cette aide et quitte."),
        ("Error: Invalid value for '--jobs': 'x' is not a valid integer.",
         "Erreur : valeur invalide pour --jobs : « x » n'est pas un nombre entier."),
    ],
)  # fmt: skip
def test_known_phrases_are_translated(english: str, french: str) -> None:
    assert translate(english) == french


def test_french_text_passes_untouched() -> None:
    text = "Actions!F7 : note « 7 » hors échelle (attendu : entier de 1 à 5)\nUsage courant : voir l'aide"
    assert translate(text) == text


def test_usage_errors_and_help_are_french() -> None:
    res = run("commande-inexistante")
    assert res.returncode == 2
    assert "Erreur : commande inconnue" in res.stderr and "Error" not in res.stderr
    res = run("check")
    assert res.returncode == 2 and "argument manquant" in res.stderr
    res = run("check", "--help")
    assert res.returncode == 0
    assert "Utilisation :" in res.stdout and "Affiche cette aide" in res.stdout and "Show this" not in res.stdout
