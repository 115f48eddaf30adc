"""Refuse, before any parsing, a file that cannot be a workbook or would cost too much to open.

Every check here reads at most the file header and the zip central directory, then streams each member
through a bounded decompressor, so a zip bomb is stopped after a few megabytes of work whatever its
declared sizes say. The result is a file-level `Problem` (French message saying how to go on), never an exception.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..config import Limits
from ..problems import Problem, problem

ACCEPTED = (".xlsx", ".xlsm", ".ods")
_CHUNK = 1 << 16


def failure(path: Path | str, template: str, /, **params: Any) -> Problem:
    """Why `path` cannot be read at all (exit code 2): a file-level `Problem` whose message says how to go on."""
    return problem("erreur", template, file=Path(path).name, **params)


def _mo(n_bytes: float) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} Mo".replace(".", ",")


def check_file(path: Path, limits: Limits) -> Problem | None:
    """Existence, extension, size and magic bytes."""
    if not path.exists():
        return failure(path, "fichier-introuvable")
    if path.is_dir():
        return failure(path, "fichier-introuvable/dossier")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return failure(path, "format-csv")
    if suffix == ".xls":
        return failure(path, "format-xls")
    size = path.stat().st_size
    if size == 0:
        return failure(path, "fichier-vide")
    if size > limits.max_file_bytes:
        return failure(path, "fichier-trop-gros", taille=_mo(size), maximum=_mo(limits.max_file_bytes))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .xls, or an encrypted .xlsx
        return failure(path, "format-xls/protege")
    if not head.startswith(b"PK"):
        return failure(path, "pas-un-classeur")
    if suffix not in ACCEPTED:
        return failure(path, "extension-inconnue", extension=path.suffix or "(aucune)")
    return None


def check_zip(path: Path, limits: Limits) -> Problem | None:
    """Central directory first (declared sizes and ratios), then a bounded streaming decompression of every
    member, which also catches members whose declared size lies and corrupted (CRC) data."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000:
                return failure(path, "archive-suspecte", n=len(infos))
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_bytes:
                return failure(
                    path, "archive-trop-grosse", taille=_mo(total), maximum=_mo(limits.max_uncompressed_bytes)
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > limits.taux_compression_max:
                    return failure(
                        path,
                        "archive-suspecte/taux",
                        taux=f"{ratio:.0f}",
                        element=info.filename,
                        maximum=f"{limits.taux_compression_max:.0f}",
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
                            return failure(path, "archive-trop-grosse/flux")
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    extents[info.filename] = (scan.rows, scan.cols)
            too_big = _check_extents(zf, path, extents, limits)
            if too_big is not None:
                return too_big
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        return failure(path, "pas-un-classeur/endommage", erreur=_damage(exc))
    except RuntimeError:  # encrypted member
        return failure(path, "pas-un-classeur/chiffre")
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


def _check_extents(
    zf: zipfile.ZipFile, path: Path, extents: dict[str, tuple[int, int]], limits: Limits
) -> Problem | None:
    if not any(r > limits.lignes_par_feuille or c > limits.colonnes_par_feuille for r, c in extents.values()):
        return None
    from .cellmeta import _xlsx_sheet_paths

    sheet_of = {part: sheet for sheet, part in _xlsx_sheet_paths(zf).items()}
    for part, (rows, cols) in extents.items():
        sheet = sheet_of.get(part, part)
        if rows > limits.lignes_par_feuille:
            return failure(path, "trop-de-lignes", feuille=sheet, lignes=rows, maximum=limits.lignes_par_feuille)
        if cols > limits.colonnes_par_feuille:
            return failure(
                path,
                "trop-de-colonnes",
                feuille=sheet,
                colonnes=cols,
                lettre=_col_letters(cols),
                maximum=limits.colonnes_par_feuille,
            )
    return None


_OTHER_DOCUMENTS = (
    ("word/", "un document Word"),
    ("ppt/", "une présentation PowerPoint"),
    ("META-INF/manifest.xml", "un document OpenDocument qui n'est pas un classeur"),
)


def sniff_kind(path: Path) -> str | Problem:
    """`xlsx` or `ods` from the zip's content, whatever the extension says (an .ods renamed .xlsx is read)."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
            if not mimetype or "spreadsheet" in mimetype:
                return "ods"
    what = next(
        (label for prefix, label in _OTHER_DOCUMENTS if any(n.startswith(prefix) for n in names)), "une archive zip"
    )
    return failure(path, "pas-un-classeur/autre-document", nature=what)


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
