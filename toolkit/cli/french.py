"""French wording for the few English strings the command-line parser prints (usage, help, usage errors).

typer vendors its own copy of click with hard-coded English; rather than patch its internals (which change
between releases), the CLI writes through a stream that rewrites those fixed phrases. Only whole known
phrases are replaced, so the project's own French text passes through untouched.
"""

from __future__ import annotations

import re
from typing import TextIO

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^(\s*)Usage: ", r"\1Utilisation : "),
        (r" COMMAND \[ARGS\]\.\.\.", " COMMANDE [ARGUMENTS]..."),
        (r"^Arguments:$", "Arguments :"),
        (r"^Options:$", "Options :"),
        (r"^Commands:$", "Commandes :"),
        (r"Show this message and exit\.", "Affiche cette aide et quitte."),
        (r"\[required\]", "[obligatoire]"),
        (r"\[default: ([^\]]*)\]", r"[par défaut : \1]"),
        (r"^Try '([^']*)' for help\.", r"Aide : « \1 »."),
        (r"^Error: ", "Erreur : "),
        (r"Missing argument '([^']*)'\.", r"argument manquant : \1."),
        (r"Missing option '([^']*)'\.", r"option obligatoire manquante : \1."),
        (r"No such option: (\S+)", r"option inconnue : \1"),
        (r"No such command '([^']*)'\.", r"commande inconnue : « \1 »."),
        (r"Missing command\.", "commande manquante."),
        (r"Got unexpected extra argument(?:s|\(s\))? \(([^)]*)\)", r"argument(s) en trop : \1"),
        (r"Invalid value for '([^']*)' / '([^']*)': ", r"valeur invalide pour \1 (\2) : "),
        (r"Invalid value for '([^']*)': ", r"valeur invalide pour \1 : "),
        (r"Option '([^']*)' does not take a value\.", r"l'option \1 ne prend pas de valeur."),
        (r"Option '([^']*)' requires an argument\.", r"l'option \1 attend une valeur."),
        (r"'([^']*)' is not a valid int(?:eger)?( range)?\.", r"« \1 » n'est pas un nombre entier."),
        (r"'([^']*)' is not a valid float( range)?\.", r"« \1 » n'est pas un nombre."),
        (r"(File|Path|Directory) '([^']*)' does not exist\.", r"« \2 » n'existe pas."),
        (r"(File|Path) '([^']*)' is a directory\.", r"« \2 » est un dossier, pas un fichier."),
        (r"Directory '([^']*)' is a file\.", r"« \1 » est un fichier, pas un dossier."),
        (r"Did you mean ([^?]*)\?", r"Vouliez-vous dire \1 ?"),
        (r"^Aborted!?$", "Interrompu."),
    )
)


#: Help extras the formatter may have wrapped over two lines: matched across the line break.
_WRAPPED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\[default:(\s+)", r"[par défaut :\1"),
        (r"(-?[\d.]+)<=x<=(-?[\d.]+)", r"de \1 à \2"),
        (r"\bx>=(-?[\d.]+)", r"au moins \1"),
        (r"\bx<=(-?[\d.]+)", r"au plus \1"),
        (r"<list\[Path\]>", "<chemins>"),
        (r"<path>", "<chemin>"),
        (r"<file>", "<fichier>"),
        (r"<directory>", "<dossier>"),
        (r"<text>", "<texte>"),
        (r"<integer>", "<entier>"),
        (r"<float>", "<nombre>"),
        (r"<boolean>", "<oui/non>"),
    )
)


def translate(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for pattern, repl in _RULES:
            line = pattern.sub(repl, line)
        lines[i] = line
    text = "\n".join(lines)
    for pattern, repl in _WRAPPED:
        text = pattern.sub(repl, text)
    return text


class FrenchStream:
    """A text stream proxy that translates what it writes; everything else goes to the wrapped stream."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(translate(text))
        return len(text)

    def __getattr__(self, name: str):  # flush, isatty, encoding, buffer…
        return getattr(self._stream, name)
