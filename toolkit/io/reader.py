"""Read a workbook file into raw sheets: values (via python-calamine) plus the metadata that matters.

No validation here, only faithful reading: every value keeps its position in THAT file (row 0 = Excel row
1), so the validator can cite `Feuille!B7` exactly as the user sees it. Macros of an .xlsm are never run
(calamine does not execute anything). Before parsing, `limits` refuses what is not a reasonable workbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Limits
from ..problems import Problem
from .cellmeta import CellMeta, ods_meta, xlsx_meta
from .limits import check_file, check_zip, failure, sniff_kind

_NO_META = CellMeta()


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> `B7`."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


@dataclass(frozen=True)
class RawSheet:
    name: str
    rows: tuple[tuple[object, ...], ...]  # calamine values; "" for an empty cell
    meta: Mapping[tuple[int, int], CellMeta] = field(default_factory=dict)

    def value(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def meta_at(self, row: int, col: int) -> CellMeta:
        return self.meta.get((row, col), _NO_META)


@dataclass(frozen=True)
class RawWorkbook:
    path: str
    sheets: tuple[RawSheet, ...]

    @property
    def name(self) -> str:
        return Path(self.path).name


def read_raw(path: str | Path, limits: Limits | None = None) -> RawWorkbook | Problem:
    """The raw sheets of an .xlsx/.xlsm/.ods, or why it cannot be read (never raises for a bad file)."""
    limits = limits or Limits()
    path = Path(path)
    try:
        refused = check_file(path, limits) or check_zip(path, limits)
        kind = refused or sniff_kind(path)
    except OSError as exc:
        return failure(path, "fichier-inaccessible", erreur=exc.strerror or exc)
    if isinstance(kind, Problem):
        return kind
    import python_calamine as pc

    expected_kind = "ods" if path.suffix.lower() == ".ods" else "xlsx"
    try:
        if kind == expected_kind:
            wb = pc.CalamineWorkbook.from_path(str(path))
        else:  # content and extension disagree: let calamine detect the format from the bytes
            with path.open("rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
        with wb:
            names = [m.name for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
            values: dict[str, Sequence[Sequence[object]]] = {}
            for sheet_name in names:
                sheet = wb.get_sheet_by_name(sheet_name)
                end = sheet.end
                n_rows = (end[0] + 1) if end else 0
                if n_rows > limits.lignes_par_feuille:
                    return failure(
                        path, "trop-de-lignes", feuille=sheet_name, lignes=n_rows, maximum=limits.lignes_par_feuille
                    )
                n_cols = (end[1] + 1) if end else 0
                if n_cols > limits.colonnes_par_feuille:
                    return failure(
                        path,
                        "trop-de-colonnes",
                        feuille=sheet_name,
                        colonnes=n_cols,
                        lettre=a1(0, n_cols - 1)[:-1],
                        maximum=limits.colonnes_par_feuille,
                    )
                values[sheet_name] = sheet.to_python(skip_empty_area=False, nrows=limits.lignes_par_feuille)
    except Exception:  # noqa: BLE001 - calamine raises a variety of errors on corrupt/unknown files (in English: not shown)
        return failure(path, "pas-un-classeur/illisible", erreur="format non reconnu ou fichier endommagé")
    try:
        if kind == "ods":
            meta = ods_meta(str(path), set(names), limits.lignes_par_feuille)
        else:
            meta = xlsx_meta(str(path), set(names), limits.lignes_par_feuille)
    except Exception:  # noqa: BLE001 - metadata is a refinement: a file calamine could read is still read
        meta = {}
    sheets = tuple(  # a nameless sheet (damaged file) still needs a name that locates its issues
        RawSheet(n if n.strip() else f"(feuille sans nom n° {i})", tuple(tuple(r) for r in values[n]), meta.get(n, {}))
        for i, n in enumerate(names, start=1)
    )
    return RawWorkbook(str(path), sheets)
