"""Reading a QPV data file as INSEE publishes it (2015 or 2024 geography), with tolerant header names.

Users bring INSEE's « Données sur les quartiers 2024 de la politique de la ville »
(https://www.insee.fr/fr/statistiques/8243167) or any file in the documented format (`meta_qp.csv`): comma,
semicolon or tab separated text in UTF-8 or Windows-1252, or an .xlsx whose header row may sit below title
lines. Header names are matched loosely (case, accents, spaces and underscores ignored) against the aliases
below; INSEE's year-suffixed variables (`DISP_TP6021`) map to the documented column (`tp60`). Unknown numeric
columns are kept under their lower-cased name. Secret values (`s`, `nd`, empty) become None, never zero.
The aliases for INSEE's 2024 files follow INSEE's usual naming (CODGEO/LIBGEO, Filosofi DISP_*); they are
tolerant guesses, documented in docs/donnees.md, and the documented format always works.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

from ..text import normalize_key
from .geography import QpvRecord, geographies  # noqa: F401 - geographies re-exported for callers of insee_file

#: Documented column -> accepted header names (compared after `_key`).
TEXT_ALIASES: dict[str, tuple[str, ...]] = {
    "code_qp": ("code_qp", "codgeo", "code_qpv", "cod_qp", "code_quartier", "qp", "quartier", "code"),
    "nom_qp": ("nom_qp", "lib_qp", "libgeo", "lib_qpv", "libelle_qp", "nom_qpv", "nom_quartier", "libelle"),
    "nom_commune": ("nom_commune", "lib_com", "libcom", "commune_qp", "lib_commune", "nom_com", "commune", "communes"),
    "code_commune": ("code_commune", "insee_com", "code_com", "codgeo_com", "depcom", "com", "code_insee"),
}
#: Numeric columns: regular expressions on `_key(header)` -> documented column.
NUMERIC_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), col)
    for p, col in (
        (r"^(pop_mun|pop_muni|pmun|population|population_municipale|pop)(_?\d{2,4})?$", "pop_mun"),
        (r"^p\d{2}_pop$", "pop_mun"),
        (r"^disp_tp60(\d{2})?$", "tp60"),
        (r"^tp60(\d{2})?$", "tp60"),
        (r"^disp_med(\d{2})?$", "disp_q2"),
        (r"^disp_d1(\d{2})?$", "disp_d1"),
        (r"^disp_d9(\d{2})?$", "disp_d9"),
        (r"^dec_med(\d{2})?$", "decuc_q2"),
    )
)
SECRET = {"", "s", "nd", "n.d.", "n.d", "nc", "secret", "-", "x"}
MAX_HEADER_SCAN = 30


def _key(text: object) -> str:
    return normalize_key(str(text or "")).replace(" ", "_").replace("-", "_")


def _column_map(header: Sequence[object]) -> dict[int, str]:
    """Column index -> documented name (text aliases first, then numeric patterns, then the raw name)."""
    keys = [_key(h) for h in header]
    out: dict[int, str] = {}
    for name, aliases in TEXT_ALIASES.items():
        for alias in aliases:  # aliases are ordered by preference
            idx = next((i for i, k in enumerate(keys) if k == alias and i not in out), None)
            if idx is not None:
                out[idx] = name
                break
    taken = set(out.values())
    for i, k in enumerate(keys):
        if i in out or not k:
            continue
        target = next((col for pat, col in NUMERIC_PATTERNS if pat.match(k)), k)
        if target in taken:
            target = k
        out[i] = target
        taken.add(target)
    return out


def _is_header(row: Sequence[object]) -> bool:
    keys = {_key(c) for c in row}
    return any(a in keys for a in TEXT_ALIASES["code_qp"][:-1])  # "code" alone is too vague to mark a header


def _num(text: object) -> float | None:
    if isinstance(text, (int, float)):
        return float(text)
    value = str(text or "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if value.lower() in SECRET:
        return None
    return float(value.replace(",", "."))


def _rows_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError(
            f"{path.name} : fichier illisible (texte CSV en UTF-8 ou Windows-1252, ou classeur .xlsx attendu)"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(
            f"{path.name} : fichier illisible (texte CSV en UTF-8 ou Windows-1252, ou classeur .xlsx attendu)"
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(text.splitlines(), delimiter=delimiter))


def _rows_xlsx(path: Path) -> Sequence[Sequence[object]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, InvalidFileException) as exc:
        raise ValueError(f"{path.name} : classeur .xlsx illisible ({exc})") from None
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            if any(_is_header(r) for r in rows[:MAX_HEADER_SCAN]):
                return rows
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)] if wb.worksheets else []
    finally:
        wb.close()


def read_insee_file(path: str | Path):
    """QPV records from an INSEE-style file; ValueError (French, naming file and line) when unreadable."""
    path = Path(path)
    rows: Sequence[Sequence[object]] = (
        _rows_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _rows_csv(path)
    )
    start = next((i for i, r in enumerate(rows[:MAX_HEADER_SCAN]) if _is_header(r)), None)
    if start is None:
        accepted = ", ".join(TEXT_ALIASES["code_qp"][:-1])
        raise ValueError(
            f"{path.name} : colonnes manquantes, aucune ligne d'en-têtes avec un code de quartier dans les {MAX_HEADER_SCAN} premières "
            f"lignes (en-têtes acceptés : {accepted})"
        )
    columns = _column_map(rows[start])
    out = []
    for line, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = {columns[i]: v for i, v in enumerate(row) if i in columns}
        code = str(cells.get("code_qp") or "").strip().upper()
        if not code:
            continue
        values: dict[str, float | None] = {}
        for name, v in cells.items():
            if name in TEXT_ALIASES:
                continue
            try:
                values[name] = _num(v)
            except ValueError:
                if name in ("pop_mun", "tp60", "disp_q2", "disp_d1", "disp_d9", "decuc_q2"):
                    raise ValueError(
                        f"{path.name}, ligne {line}, colonne {name} : « {v} » n'est pas un nombre"
                    ) from None
                values.pop(name, None)  # another text column (e.g. département name): not a figure
        pop = values.get("pop_mun")
        commune_code = str(cells.get("code_commune") or "").strip() or None
        out.append(
            QpvRecord(
                code=code,
                nom=str(cells.get("nom_qp") or "").strip(),
                commune=str(cells.get("nom_commune") or "").strip(),
                pop_mun=int(pop) if pop is not None else None,
                values=values,
                code_commune=commune_code.zfill(5) if commune_code and commune_code.isdigit() else commune_code,
            )
        )
    return tuple(out)
