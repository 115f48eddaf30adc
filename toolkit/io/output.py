"""Where outputs go and how they are written: atomically, never over an input, never steered by workbook text.

A report is written to a temporary file in the destination folder, then moved into place with
`os.replace`, so that a crash or a full disk never leaves a half-written PDF that looks complete.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..text import slugify


class OutputError(ValueError):
    """A French message about an output path that cannot be used."""


def default_report_path(territory_name: str, suffix: str = ".pdf", directory: str | Path = "reports") -> Path:
    """`reports/<slug>.pdf`: the slug is ASCII with no separator, so a territory name never picks the folder."""
    return Path(directory) / f"{slugify(territory_name)}{suffix}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output_path(path: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output path that is an input file or an existing folder; return it as a `Path`."""
    out = Path(path)
    for src in inputs:
        if _same_file(out, Path(src)):
            raise OutputError(f"{out} : le fichier de sortie est aussi un fichier d'entrée ; choisissez un autre nom")
    if out.is_dir():
        raise OutputError(f"{out} : c'est un dossier ; indiquez un nom de fichier")
    refuse_special(out)
    return out


#: What the system said, in French: a message the user reads never carries the C library's English.
_OS_REASONS = {
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "support en lecture seule",
    errno.ENOENT: "dossier introuvable",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "nom trop long",
    errno.EDQUOT: "quota disque dépassé",
}


def os_reason(exc: OSError) -> str:
    """The reason of a system error in French (« accès refusé »), never the C library's English."""
    return _OS_REASONS.get(exc.errno or 0, f"erreur système n° {exc.errno}" if exc.errno else "erreur système")


def refuse_special(path: Path) -> None:
    """An existing target that is not a regular file (a device such as /dev/null, a pipe, a socket) is never
    replaced: writing there would turn a device into a file, or block on a pipe."""
    try:
        st = os.stat(path)  # follows links: a link to a device is a device
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{path} : sortie inaccessible ({os_reason(exc)}) ; choisissez un autre fichier") from None
    if not stat.S_ISREG(st.st_mode):
        what = "un dossier" if stat.S_ISDIR(st.st_mode) else "un fichier spécial (périphérique, tube ou socket)"
        raise OutputError(f"{path} : c'est {what}, pas un fichier ordinaire ; indiquez un nom de fichier")


def check_distinct(paths: Iterable[Path]) -> None:
    """Two outputs of one run must not overwrite each other."""
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise OutputError(f"{p} : ce fichier est demandé deux fois comme sortie")
        seen[key] = p


def atomic_write(path: str | Path, writer: Callable[[Path], object], mode: int = 0o644) -> Path:
    """Call `writer(tmp_path)` on a temporary file beside `path`, then move it into place.

    The folder is created if needed. An existing target that is not a regular file (a device, a pipe) is
    refused with `OutputError`, before anything is written. On any failure the temporary file is removed
    and the previous content of `path`, if any, is left untouched. `mode` is the file's permissions: 0600
    for private outputs (follow-up bases and their backups, live atelier journals).
    """
    target = Path(path)
    refuse_special(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(path: str | Path, text: str, mode: int = 0o644) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode)
