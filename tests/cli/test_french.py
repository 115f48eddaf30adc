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


# English words the parser (typer, click, pydantic) could print; none may reach a French user.
ENGLISH = (
    "usage",
    "show",
    "message",
    "exit",
    "default",
    "required",
    "error",
    "missing",
    "invalid",
    "value",
    "input",
    "should",
    "integer",
    "path",
    "list",
    "try",
    "such",
    "got",
    "unexpected",
    "extra",
    "does",
    "take",
    "requires",
    "argument(s)",
    "commands",
    "less",
    "greater",
    "equal",
    "than",
    "valid",
    "parse",
)
COMMANDS = (
    ["check"],
    ["diagnose"],
    ["compare"],
    ["batch"],
    ["template"],
    ["atelier"],
    ["atelier", "kit"],
    ["atelier", "merge"],
)


def _printed(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """`pilier-eco ARGS` run through the real entry point, in this process: (exit code, stdout + stderr)."""
    from toolkit.cli.app import main

    monkeypatch.setattr(sys, "argv", ["pilier-eco", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code or 0, out.out + out.err


def _english_words(text: str) -> set[str]:
    words = {w.strip(".,:;[]()«»'\"").lower() for w in text.split() if not w.startswith(("-", "pilier-eco"))}
    return words & set(ENGLISH)


@pytest.mark.parametrize("command", [[], *COMMANDS], ids=lambda c: " ".join(c) or "pilier-eco")
def test_every_help_is_french(monkeypatch, capsys, command: list[str]) -> None:
    code, text = _printed(monkeypatch, capsys, *command, "--help")
    assert code == 0 and "Utilisation :" in text
    assert not _english_words(text), (_english_words(text), text)
    assert "<=x" not in text and "x<=" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "a.xlsx", "b.xlsx"],
        ["check", "--bogus", "a.xlsx"],
        ["check", "a.xlsx", "--json=oui"],
        ["batch", "d", "-o", "o", "--jobs", "abc"],
        ["batch", "d", "-o"],
        ["compare"],
        ["inconnue"],
        ["atelier", "kit", "a.xlsx", "-o", "k", "-n", "500"],
        ["atelier", "kit", "a.xlsx", "-o", "k", "-n", "-3"],
        ["atelier", "merge"],
        ["template"],
    ],
    ids=" ".join,
)
def test_every_usage_error_is_french(monkeypatch, capsys, args: list[str]) -> None:
    code, text = _printed(monkeypatch, capsys, *args)
    assert code == 2 and "Erreur :" in text
    assert not _english_words(text), (_english_words(text), text)
