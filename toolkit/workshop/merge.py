"""Merging filled scoring sheets into a NEW copy of the territory workbook (`Votes` sheet).

Two steps, so that nothing is written when anything is wrong:

    cfg = load_config("pilier.toml")   # limits, and the catalogue the notes' codes are looked up in
    plan = plan_merge(workbook, ["p1.xlsx", "p2.xlsx"], True, cfg.limits, cfg.catalogue)   # pure reading + checks
    if plan.ok:
        write_merged("carcassonne.xlsx", plan, "carcassonne-atelier.xlsx")

`plan_merge` reads each sheet with the same guarded reader as `check` (size and zip-bomb limits), finds
its header row tolerantly, and returns every vote with the cell it came from, every error located as
`notation.xlsx, Notation!E7 : …`, and the turnout per participant. `write_merged` copies the workbook
with openpyxl, appends the votes after the last used row of `Votes` (created in the contract layout if
absent, its title and headers in French typography), neutralises formula-looking text, and writes
atomically; the source file is only read. The votes themselves are data: written as read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog.catalogue import Catalogue
from ..config import Limits
from ..io.numbers import french_number, parse_number
from ..io.reader import read_raw
from ..layout import LIBRE, LISTES, NOTATION, VOTES
from ..model import Cell, Vote, Workbook
from ..problems import Problem, errors, problem, warnings
from ..pseudonyms import Pseudonymiser, is_pseudonym
from ..text import normalize_key
from ..typography import french_text
from ..validate.fields import as_text
from ..validate.table import Collector, Table, find_sheet, is_blank, locate_table, matches
from .items import ballot_items
from .sheet import SCALE, SHEET

COLUMNS = NOTATION.columns
EXPECTED_NOTE = f"entier de {SCALE[0]} à {SCALE[1]}"


@dataclass(frozen=True)
class Turnout:
    participant: str
    structure: str | None
    scored: int  # objects this participant scored
    total: int  # objects on the sheet (enjeux + actions of the workbook)
    files: tuple[str, ...]
    remark: str = ""  # e.g. « fiche vierge du kit, ignorée »


@dataclass(frozen=True)
class MergePlan:
    votes: tuple[Vote, ...]  # in reading order; `cell` = the note cell in the participant's sheet
    sources: tuple[str, ...]  # file name of each vote (same order)
    issues: tuple[Problem, ...]  # `text` is the line printed to the user: `notation.xlsx, Notation!E7 : …`
    turnout: tuple[Turnout, ...]
    pseudonyms: dict[str, str] = field(default_factory=dict)  # name as typed -> P01… (only with pseudonymise)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors(self.issues)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings(self.issues)

    @property
    def ok(self) -> bool:
        return not self.errors


def _resolver(workbook: Workbook, catalogue: Catalogue):
    """Objet as typed -> what the `Votes` sheet should hold (enjeu code, action code, local action title)."""
    local = {normalize_key(a.intitule): a.intitule.strip() for a in workbook.actions if a.code == LIBRE}
    codes = {normalize_key(a.code): a.code for a in workbook.actions if a.code != LIBRE}

    def resolve(text: str) -> str | None:
        key = normalize_key(text)
        e = catalogue.enjeu(text)
        if e is not None:
            return e.code
        if key in codes:
            return codes[key]
        d = catalogue.action(text)
        if d is not None:
            return d.code
        return local.get(key)

    return resolve


def _note(value: object) -> tuple[int | None, str, str]:
    """The note if it is a whole number on the scale, else None; the value as the user typed it (« 4,5 »);
    and the template of the problem when there is one (not a whole number, or off the scale)."""
    shown = as_text(value) or ""
    not_whole = "nombre-non-entier/notation"
    if isinstance(value, bool):
        return None, shown, not_whole
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isfinite(number) and not number.is_integer():
            shown = french_number(number)
    elif isinstance(value, str):
        parsed = parse_number(value)
        if parsed is None or parsed.unit is not None:
            return None, shown, not_whole
        number = parsed.value
    else:
        return None, shown, not_whole
    if not math.isfinite(number) or not number.is_integer():
        return None, shown, not_whole
    if not SCALE[0] <= number <= SCALE[1]:
        return None, shown, "hors-echelle/notation"
    return int(number), shown, ""


#: File name of the blank master sheet the kit writes (kit.SHEET_NAME): left blank, it is not a participant.
MASTER_NAME = "notation.xlsx"
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods")


@dataclass(frozen=True)
class _Input:
    path: Path
    from_folder: bool  # found by listing a folder: a file that is not a scoring sheet is skipped, not an error


def _inputs(sheets: Sequence[str | Path], exclude: Sequence[str | Path]) -> list[_Input]:
    """Files as given, and the workbook files directly in each folder given (sorted; lock and hidden files,
    and the `exclude`d paths — the territory workbook, the output — left out)."""
    excluded = {Path(p).resolve() for p in exclude}
    found: list[_Input] = []
    for given in map(Path, sheets):
        if given.is_dir():
            found.extend(
                _Input(p, True)
                for p in sorted(given.iterdir(), key=lambda p: p.name.casefold())
                if p.is_file()
                and p.suffix.lower() in SHEET_SUFFIXES
                and not p.name.startswith((".", "~$"))
                and p.resolve() not in excluded
            )
        else:
            found.append(_Input(given, False))
    return found


def _read_sheet(item: _Input, limits: Limits | None) -> tuple[Table | None, list[Problem]]:
    name = item.path.name
    raw = read_raw(item.path, limits)
    if isinstance(raw, Problem):
        return None, [raw]
    sheet = find_sheet(raw, SHEET)
    if sheet is None and item.from_folder:  # a workbook, a results file… saved beside the sheets
        return None, [problem("avertissement", "pas-une-feuille-de-notation", file=name, dossier=item.path.parent.name)]
    sheet = sheet or find_sheet(raw, VOTES.name) or (raw.sheets[0] if raw.sheets else None)
    if sheet is None:
        return None, [problem("erreur", "feuille-manquante/notation", file=name)]
    out = Collector(name)
    table = locate_table(sheet, COLUMNS, out)
    return table, [i for i in out.issues if i.code != "colonne-ignoree"]


def typed_pseudonyms(sheets: Sequence[str | Path], limits: Limits | None = None) -> set[str]:
    """The kit's pseudonyms (P01…) written on these scoring sheets, normalised: the names a live atelier's
    phones must not carry, or a paper P05 would be merged into the phone P05."""
    out: set[str] = set()
    for item in _inputs(sheets, ()):
        table, _ = _read_sheet(item, limits)
        name = _typed_participant(table) if table is not None else None
        if name and is_pseudonym(name):
            out.add(normalize_key(name))
    return out


def _typed_participant(table: Table) -> str | None:
    """The first name written in the Participant column (the kit pre-fills it on P01… sheets)."""
    col = table.columns.get("participant")
    if col is None:
        return None
    return next((as_text(v) for r in table.rows if not is_blank(v := table.sheet.value(r, col))), None)


def plan_merge(
    workbook: Workbook,
    sheets: Sequence[str | Path],
    pseudonymise: bool,
    limits: Limits | None,
    catalogue: Catalogue,
    exclude: Sequence[str | Path] = (),
) -> MergePlan:
    """Read every scoring sheet and check every note; nothing is written here.

    `sheets` are files or folders (every .xlsx/.xlsm/.ods directly inside; one that has no `Notation` sheet
    is named in a warning and skipped). Every file read appears in `turnout`, a blank one included.
    Steps: read the sheets (`_read_tables`), reserve the pseudonyms already on them, then each sheet's rows
    (`_Merge.sheet`), each note checked (`_Merge.row`), and a sheet with no note kept still listed.
    """
    tables, issues, skipped = _read_tables(sheets, exclude, limits)
    typed = [n for _, t in tables if (n := _typed_participant(t))]
    # the kit's P05 stays P05: pseudonyms already on the sheets are reserved before anyone is renamed
    pseudo = Pseudonymiser(reserved=[v.participant for v in workbook.votes] + [n for n in typed if is_pseudonym(n)])
    merge = _Merge(
        resolve=_resolver(workbook, catalogue),
        total=len(ballot_items(workbook, catalogue)),
        existing={(normalize_key(v.participant), normalize_key(v.objet)) for v in workbook.votes},
        pseudo=pseudo if pseudonymise else None,
        issues=issues,
    )
    for path, table in tables:
        merge.sheet(path, table)
    for name in skipped:
        merge.attend("—", None, name, remark="pas une feuille de notation, ignoré")
    return merge.plan()


def _read_tables(
    sheets: Sequence[str | Path], exclude: Sequence[str | Path], limits: Limits | None
) -> tuple[list[tuple[Path, Table]], list[Problem], list[str]]:
    """(path, Notation table) of each readable sheet, the problems met, the files that are not scoring sheets."""
    issues: list[Problem] = []
    tables: list[tuple[Path, Table]] = []
    skipped: list[str] = []
    for item in _inputs(sheets, exclude):
        table, found = _read_sheet(item, limits)
        issues.extend(found)
        if table is not None:
            tables.append((item.path, table))
        elif any(p.code == "pas-une-feuille-de-notation" for p in found):
            skipped.append(item.path.name)
    return tables, issues, skipped


@dataclass(frozen=True)
class _Line:
    """One row of a Notation table: its cells and values by column key."""

    table: Table
    row: int

    def cell(self, key: str) -> Cell | None:
        return self.table.cell(self.row, key)

    def value(self, key: str) -> object:
        col = self.table.columns.get(key)
        return self.table.sheet.value(self.row, col) if col is not None else ""


@dataclass
class _Merge:
    """What the merge gathers, sheet after sheet (private to `plan_merge`, which returns a frozen MergePlan)."""

    resolve: Callable[[str], str | None]
    total: int  # objects on the ballot
    existing: set[tuple[str, str]]  # (participant, objet) already in the workbook's Votes
    pseudo: Pseudonymiser | None  # None: names kept as typed
    issues: list[Problem]
    votes: list[Vote] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    turnout: dict[str, dict] = field(default_factory=dict)
    typed_names: dict[str, str] = field(default_factory=dict)

    def attend(self, who: str, structure: str | None, name: str, remark: str = "") -> dict:
        t = self.turnout.setdefault(
            normalize_key(who) if not remark else f"\0{name}",
            {"name": who, "structure": structure, "n": 0, "files": [], "remark": remark},
        )
        if name not in t["files"]:
            t["files"].append(name)
        return t

    def sheet(self, path: Path, table: Table) -> None:
        """Every row of one sheet; a sheet with no note kept is listed all the same, never dropped silently."""
        name = path.name
        participant: str | None = None
        structure: str | None = None
        unnamed = from_stem = False
        notes_typed = 0
        for r in table.rows:
            line = _Line(table, r)
            if not is_blank(line.value("participant")):
                participant, from_stem = as_text(line.value("participant")), False
                structure = as_text(line.value("structure"))
            elif participant is None:
                participant, from_stem = path.stem, True
                structure = as_text(line.value("structure"))
            if is_blank(line.value("note")):
                continue  # not scored: allowed
            notes_typed += 1
            assert participant is not None
            if self.row(name, line, participant, structure):
                unnamed = unnamed or from_stem
        if notes_typed:
            if unnamed:
                cell = Cell(table.sheet.name, f"A{table.header_row + 2}")
                self.issues.append(
                    problem("avertissement", "participant-manquant", file=name, cell=cell, nom=path.stem)
                )
            return
        typed_name = _typed_participant(table)
        if typed_name is None and name.casefold() == MASTER_NAME:
            self.issues.append(problem("avertissement", "fiche-vierge", file=name))
            self.attend("—", None, name, remark="fiche vierge du kit, ignorée")
            return
        who = typed_name or path.stem
        if self.pseudo is not None:
            self.typed_names.setdefault(normalize_key(who), who)
            who = self.pseudo(who)
        self.issues.append(problem("avertissement", "feuille-sans-note", file=name, n=self.total))
        self.attend(who, structure, name)

    def row(self, name: str, line: _Line, participant: str, structure: str | None) -> bool:
        """One typed note checked and kept (True), or the located reason it is not."""
        note, shown, why = _note(line.value("note"))
        if note is None:
            self.issues.append(
                problem("erreur", why, file=name, cell=line.cell("note"), note=shown, expected=EXPECTED_NOTE)
            )
            return False
        objet_text = as_text(line.value("objet"))
        if objet_text is None:
            expected = "le code de l'enjeu ou de l'action noté"
            self.issues.append(
                problem("erreur", "objet-manquant", file=name, cell=line.cell("objet"), expected=expected)
            )
            return False
        objet = self.resolve(objet_text)
        if objet is None:
            self.issues.append(
                problem(
                    "erreur",
                    "objet-inconnu/notation",
                    file=name,
                    cell=line.cell("objet"),
                    objet=objet_text,
                    expected="un code d'enjeu ou d'action de la feuille de notation fournie par le kit",
                )
            )
            return False
        who = self.pseudo(participant) if self.pseudo is not None else participant
        self.typed_names.setdefault(normalize_key(participant), participant)
        key = (normalize_key(who), normalize_key(objet))
        cell = line.cell("objet")
        if key in self.existing:
            self.issues.append(
                problem("avertissement", "vote-deja-present", file=name, cell=cell, participant=who, objet=objet)
            )
            return False
        if key in self.seen:
            self.issues.append(
                problem(
                    "avertissement",
                    "doublon/notation",
                    file=name,
                    cell=cell,
                    participant=who,
                    objet=objet,
                    premier=self.seen[key],
                )
            )
            return False
        self.seen[key] = f"{name}, {line.cell('note')}"
        self.votes.append(Vote(who, structure, objet, note, line.cell("note")))
        self.sources.append(name)
        self.attend(who, structure, name)["n"] += 1
        return True

    def plan(self) -> MergePlan:
        mapping = self.pseudo.mapping if self.pseudo is not None else {}
        pseudonyms = {self.typed_names[k]: v for k, v in mapping.items() if k in self.typed_names}
        turnout = tuple(
            Turnout(t["name"], t["structure"], t["n"], self.total, tuple(t["files"]), t["remark"])
            for t in self.turnout.values()
        )
        return MergePlan(tuple(self.votes), tuple(self.sources), tuple(self.issues), turnout, pseudonyms)


# ------------------------------------------------------------------------------------------- writing

VOTES_SHEET = VOTES.name
_VOTE_HEADERS = tuple(c.key for c in VOTES.columns)


def _find_votes_header(ws) -> tuple[int, dict[str, int]] | None:
    """Header row (1-based) and column of each vote field, read tolerantly like the validator does."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 30)):
        found = {}
        for c in row:
            if isinstance(c.value, str):
                col = next((vc for vc in VOTES.columns if matches(vc, c.value)), None)
                if col is not None and col.key not in found:
                    found[col.key] = c.column
        if "objet" in found and "note" in found:
            return row[0].row, found
    return None


def _new_votes_sheet(wb):
    """A `Votes` sheet in the contract layout (title, instruction, header on row 3), before `Listes`."""
    from ..io import template as tpl
    from ..io import xlsx_style as st

    index = wb.sheetnames.index(LISTES) if LISTES in wb.sheetnames else len(wb.sheetnames)
    ws = wb.create_sheet(VOTES_SHEET, index)
    ws.cell(tpl.TITLE_ROW, 1, french_text(VOTES.title)).font = st.TITLE_FONT
    ws.cell(tpl.INSTRUCTION_ROW, 1, french_text(VOTES.instruction)).font = st.SUBTITLE_FONT
    for j, col in enumerate(VOTES.columns, start=1):
        cell = ws.cell(tpl.HEADER_ROW, j, french_text(col.header))
        cell.font, cell.fill, cell.alignment, cell.border = st.HEADER_FONT, st.HEADER_FILL, st.HEADER_ALIGN, st.BORDER
        ws.column_dimensions[cell.column_letter].width = col.width
    ws.freeze_panes = ws.cell(tpl.FIRST_ROW, 1).coordinate
    return ws


def merged_workbook(source: str | Path, plan: MergePlan):
    """The source workbook loaded with openpyxl, votes appended to `Votes`; the file itself is only read."""
    import openpyxl

    from ..io import xlsx_style as st
    from ..io.safe_cells import neutralise

    source = Path(source)
    try:
        wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception:  # noqa: BLE001 - openpyxl is stricter than calamine (characters XML forbids, unusual parts)
        raise ValueError(
            f"{source.name} : ce classeur se lit mais ne peut pas être recopié ; "
            "ouvrez-le dans Excel ou LibreOffice, enregistrez-le, puis relancez la fusion"
        ) from None
    ws = next((wb[n] for n in wb.sheetnames if normalize_key(n) == normalize_key(VOTES_SHEET)), None)
    if ws is None:
        ws = _new_votes_sheet(wb)
    located = _find_votes_header(ws)
    if located is None:  # a `Votes` sheet without headers: write them on its first empty row
        row = ws.max_row + 1 if any(c.value is not None for c in ws[ws.max_row]) else ws.max_row
        for j, header in enumerate(VOTES.headers, start=1):
            ws.cell(row, j, french_text(header)).font = st.REQUIRED_FONT
        located = (row, {k: j for j, k in enumerate(_VOTE_HEADERS, start=1)})
    header_row, cols = located
    for k in _VOTE_HEADERS:  # a missing optional column is added at the right of the table
        if k not in cols:
            cols[k] = max(cols.values()) + 1
            ws.cell(header_row, cols[k], french_text(VOTES.header(k)))
    last = header_row
    for r in range(ws.max_row, header_row, -1):
        if any(ws.cell(r, c).value not in (None, "") for c in cols.values()):
            last = r
            break
    for i, v in enumerate(plan.votes, start=1):
        r = last + i
        for key, value in (
            ("participant", v.participant),
            ("structure", v.structure),
            ("objet", v.objet),
            ("note", v.note),
        ):
            cell = ws.cell(r, cols[key], neutralise(value))
            cell.border = st.BORDER
            cell.alignment = st.WRAP
    return wb


def write_merged(source: str | Path, plan: MergePlan, target: str | Path) -> Path:
    """Write the merged copy atomically; refuses a plan with errors (nothing is written then)."""
    from ..io.output import atomic_write

    if not plan.ok:
        raise ValueError("des notes sont à corriger : aucun classeur écrit")
    wb = merged_workbook(source, plan)
    return atomic_write(target, wb.save)
