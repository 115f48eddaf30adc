"""Refuse, before any parsing, a file that cannot be a workbook or would cost too much to open.

Every check here reads at most the file header and the zip central directory, then streams each member
through a bounded decompressor, so a zip bomb is stopped after a few megabytes of work whatever its
declared sizes say. The result is a `ReadFailure` value (French message + hint), never an exception.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits

ACCEPTED = (".xlsx", ".xlsm", ".ods")
_CHUNK = 1 << 16
_CONVERT = (
    "ouvrez-le dans Excel ou LibreOffice puis « Fichier > Enregistrer sous… » au format "
    "Classeur Excel (.xlsx) ou Classeur OpenDocument (.ods)"
)


@dataclass(frozen=True)
class ReadFailure:
    """Why a file cannot be read at all (exit code 2)."""

    code: str
    message: str
    hint: str

    def format(self) -> str:
        return f"{self.message}\n  → {self.hint}"


def _mo(n_bytes: float) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} Mo".replace(".", ",")


def check_file(path: Path, limits: Limits) -> ReadFailure | None:
    """Existence, extension, size and magic bytes."""
    name = path.name
    if not path.exists():
        return ReadFailure("fichier-introuvable", f"{name} : fichier introuvable", "vérifiez le chemin du fichier")
    if path.is_dir():
        return ReadFailure("fichier-introuvable", f"{name} est un dossier, pas un fichier", "indiquez un fichier .xlsx ou .ods")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return ReadFailure(
            "format-csv",
            f"{name} : les fichiers CSV ne sont pas acceptés (ils perdent les feuilles, les listes et les formats)",
            f"remplissez le classeur généré par « pilier-eco template », ou {_CONVERT}",
        )
    if suffix == ".xls":
        return ReadFailure(
            "format-xls",
            f"{name} : l'ancien format Excel 97-2003 (.xls) n'est pas accepté",
            _CONVERT,
        )
    size = path.stat().st_size
    if size == 0:
        return ReadFailure("fichier-vide", f"{name} : le fichier est vide (0 octet)", "réenregistrez le classeur depuis Excel ou LibreOffice")
    if size > limits.max_file_bytes:
        return ReadFailure(
            "fichier-trop-gros",
            f"{name} : fichier trop volumineux ({_mo(size)} ; maximum : {_mo(limits.max_file_bytes)})",
            "supprimez les images et feuilles inutiles, ou relevez [limites] taille_fichier_mo dans --config",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .xls, or an encrypted .xlsx
        return ReadFailure(
            "format-xls",
            f"{name} : ancien format Excel 97-2003 ou classeur protégé par mot de passe",
            "retirez le mot de passe éventuel, puis " + _CONVERT,
        )
    if not head.startswith(b"PK"):
        return ReadFailure(
            "pas-un-classeur",
            f"{name} : ce fichier n'est pas un classeur .xlsx ou .ods (contenu non reconnu)",
            "vérifiez qu'il s'agit bien du classeur rempli ; sinon " + _CONVERT,
        )
    if suffix not in ACCEPTED:
        return ReadFailure(
            "extension-inconnue",
            f"{name} : extension « {path.suffix or '(aucune)'} » non prise en charge",
            "renommez le fichier en .xlsx (Excel) ou .ods (LibreOffice) selon son format",
        )
    return None


def check_zip(path: Path, limits: Limits) -> ReadFailure | None:
    """Central directory first (declared sizes and ratios), then a bounded streaming decompression of every
    member, which also catches members whose declared size lies and corrupted (CRC) data."""
    name = path.name
    bomb_hint = "ce fichier n'a pas été produit par un tableur ; demandez à l'expéditeur de le réenregistrer"
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000:
                return ReadFailure("archive-suspecte", f"{name} : archive anormale ({len(infos)} éléments)", bomb_hint)
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_bytes:
                return ReadFailure(
                    "archive-trop-grosse",
                    f"{name} : contenu décompressé trop volumineux ({_mo(total)} ; maximum : "
                    f"{_mo(limits.max_uncompressed_bytes)}) — possible « bombe zip »",
                    bomb_hint + ", ou relevez [limites] taille_decompressee_mo",
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > limits.taux_compression_max:
                    return ReadFailure(
                        "archive-suspecte",
                        f"{name} : taux de compression anormal ({ratio:.0f} pour 1 sur « {info.filename} » ; "
                        f"maximum : {limits.taux_compression_max:.0f}) — possible « bombe zip »",
                        bomb_hint,
                    )
            budget = limits.max_uncompressed_bytes
            extents: dict[str, tuple[int, int]] = {}
            for info in infos:
                if info.is_dir():
                    continue
                scan = _Extent() if _is_worksheet(info.filename) else None
                with zf.open(info) as member:  # zipfile stops at the declared size and checks the CRC
                    while chunk := member.read(_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            return ReadFailure(
                                "archive-trop-grosse",
                                f"{name} : contenu décompressé trop volumineux — possible « bombe zip »",
                                bomb_hint,
                            )
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    extents[info.filename] = (scan.rows, scan.cols)
            failure = _check_extents(zf, name, extents, limits)
            if failure is not None:
                return failure
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        return ReadFailure(
            "pas-un-classeur",
            f"{name} : fichier endommagé ou qui n'est pas un classeur ({_damage(exc)})",
            "rouvrez-le dans Excel ou LibreOffice et réenregistrez-le au format .xlsx ou .ods",
        )
    except RuntimeError:  # encrypted member
        return ReadFailure("pas-un-classeur", f"{name} : archive chiffrée", "retirez le mot de passe du classeur")
    return None


# A cell reference attribute of a worksheet part: `<c r="XFD5000" …>` (a row's `r="12"` has no letters).
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')


def _is_worksheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


class _Extent:
    """Largest row and column referenced by the cells of one worksheet part, fed chunk by chunk.

    calamine allocates a dense grid from A1 to the farthest cell before we see any value, so one cell in
    XFD5000 (a 5 KB file) would cost gigabytes: the extent must be known before calamine opens the sheet.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.cols = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        for letters, digits in _CELL_REF.findall(data):
            self.rows = max(self.rows, int(digits))
            self.cols = max(self.cols, _col_number(letters))
        self._tail = data[-24:]  # a reference cut by the chunk boundary is seen whole next time


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _col_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_extents(zf: zipfile.ZipFile, name: str, extents: dict[str, tuple[int, int]], limits: Limits) -> ReadFailure | None:
    if not any(r > limits.lignes_par_feuille or c > limits.colonnes_par_feuille for r, c in extents.values()):
        return None
    from .cellmeta import _xlsx_sheet_paths  # noqa: PLC0415 - only for the message

    sheet_of = {part: sheet for sheet, part in _xlsx_sheet_paths(zf).items()}
    for part, (rows, cols) in extents.items():
        sheet = sheet_of.get(part, part)
        if rows > limits.lignes_par_feuille:
            return ReadFailure(
                "trop-de-lignes",
                f"{name} : la feuille « {sheet} » compte {rows} lignes (maximum : {limits.lignes_par_feuille})",
                "supprimez les lignes inutiles (ou vides mais mises en forme), ou relevez "
                "[limites] lignes_par_feuille dans --config",
            )
        if cols > limits.colonnes_par_feuille:
            return ReadFailure(
                "trop-de-colonnes",
                f"{name} : la feuille « {sheet} » s'étend sur {cols} colonnes, jusqu'à la colonne "
                f"{_col_letters(cols)} (maximum : {limits.colonnes_par_feuille})",
                "supprimez le contenu des colonnes lointaines (souvent une cellule oubliée très à droite), "
                "ou relevez [limites] colonnes_par_feuille dans --config",
            )
    return None


_OTHER_DOCUMENTS = (("word/", "un document Word"), ("ppt/", "une présentation PowerPoint"),
                    ("META-INF/manifest.xml", "un document OpenDocument qui n'est pas un classeur"))


def sniff_kind(path: Path) -> str | ReadFailure:
    """`xlsx` or `ods` from the zip's content, whatever the extension says (an .ods renamed .xlsx is read)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
            if not mimetype or "spreadsheet" in mimetype:
                return "ods"
    what = next((label for prefix, label in _OTHER_DOCUMENTS if any(n.startswith(prefix) for n in names)),
                "une archive zip")
    return ReadFailure(
        "pas-un-classeur",
        f"{path.name} : ce fichier est {what}, pas un classeur",
        "envoyez le classeur rempli (.xlsx ou .ods) issu de « pilier-eco template »",
    )


def _damage(exc: BaseException) -> str:
    """What is wrong with the archive, in words a user can read (never a Python class name)."""
    if isinstance(exc, zipfile.BadZipFile):
        return "ce n'est pas une archive de classeur valide"
    if isinstance(exc, (zlib.error, EOFError)):
        return "contenu compressé tronqué ou corrompu"
    if isinstance(exc, NotImplementedError):
        return "méthode de compression non prise en charge"
    if isinstance(exc, OSError):
        return "lecture du fichier impossible"
    return "structure interne illisible"
