"""Hostile workbooks built at test time: the valid fixture workbook with every free text replaced by attacks.

Kept beside the tests (not committed as .xlsx) so that the payloads read as code and can embed the port of
a local HTTP listener. `PAYLOADS` covers markup, remote resources, file URLs, CSS injection, formula
prefixes, control and bidirectional characters, emoji; `LONG` is a 10,000-character text.
"""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

LONG = ("Très long intitulé " * 600)[:10_000]


def builder():
    """tests/fixtures/build_fixtures.py as a module (base() sheets and write())."""
    spec = importlib.util.spec_from_file_location("build_fixtures_adv", FIXTURES / "build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def payloads(base_url: str) -> dict[str, str]:
    """Name -> attack text; `base_url` is where a fetch would land (a local listener in tests)."""
    return {
        "script": "<script>document.title='pwned'</script>Script",
        "img": f'<img src="{base_url}/img.png" onerror="alert(1)">Image',
        "link": f'<link rel="stylesheet" href="{base_url}/x.css">Feuille',
        "iframe": f'<iframe src="{base_url}/frame"></iframe>Cadre',
        "file": '<img src="file:///etc/passwd">file:///etc/passwd',
        "style_close": f"</style><style>body{{background:url({base_url}/bg.png)}}</style>Style",
        "css_import": f'@import url("{base_url}/imp.css"); x{{background:url({base_url}/u.png)}}',
        "svg": f'<svg><image href="{base_url}/svg.png"/></svg>SVG',
        "formula": f'=HYPERLINK("{base_url}/f","clic")',
        "plus": "+33 6 12 34 56 78",
        "minus": "-2+3",
        "at": "@SOMME(A1:A2)",
        "tab": "\t=1+1",
        "cr": "\r=1+1",
        "control": "Contrôle\x01\x07\x1b[31m\x7f\u0085fin",
        "rtl": "\u202eelif.exe\u202c \u200fעברית\u200e العربية",
        "emoji": "Quartier 🏙️👩🏽‍💼 💶 🚀",
        "nulish": "avant\ufffeaprès\uffff\u2028\u2029\ufeff",
    }


def hostile_sheets(base_url: str, long_text: str = LONG):
    """The valid workbook's sheets with an attack in every free-text cell the contract accepts."""
    b = builder()
    p = payloads(base_url)
    sheets = copy.deepcopy(b.base())
    texts = list(p.values())
    cycle = (texts[i % len(texts)] for i in range(10_000))

    def put(sheet: str, row: int, col: int, value: object) -> None:
        sheets[sheet][2][row][col] = value

    put("Territoire", 1, 1, long_text)  # Nom du territoire
    put("Territoire", 3, 1, p["script"])  # EPCI
    put("Territoire", 10, 1, p["img"])  # Structure rédactrice
    for r in (1, 2, 3, 4):  # Indicateurs: territoire de référence, commentaire
        put("Indicateurs", r, 4, next(cycle))
        put("Indicateurs", r, 9, next(cycle))
    put("Indicateurs", 4, 1, p["style_close"])  # libellé of PERSO_CREATIONS
    put("Indicateurs", 4, 6, "illustratif " + p["link"])  # source
    for r in range(4):  # Enjeux: atouts, faiblesses, commentaire
        for c in (2, 3, 4):
            put("Enjeux", r, c, next(cycle))
    for r in range(3):  # Acteurs: rôle
        put("Acteurs", r, 2, next(cycle))
    put("Acteurs", 0, 0, p["iframe"] + " Ville")
    for r in range(3):  # Gouvernance: commentaire
        put("Gouvernance", r, 3, next(cycle))
    put("Actions", 3, 1, long_text)  # title of the LIBRE action
    for r in (1, 2, 3, 4):  # pilote, partenaires, commentaire
        put("Actions", r, 7, next(cycle))
        put("Actions", r, 8, next(cycle))
        put("Actions", r, 13, next(cycle))
    put("Actions", 4, 1, p["css_import"])  # title of the unnamed local action
    put("Votes", 2, 2, long_text)  # a vote on the long-titled local action
    for r in range(3):
        put("Votes", r, 1, next(cycle))
    return sheets


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def ooxml_escape(value: object, raw_noncharacters: bool = False) -> object:
    """Control characters as Excel stores them (`_x0001_`): openpyxl refuses them raw, readers decode them.
    U+FFFE/U+FFFF are escaped the same way unless `raw_noncharacters`: then they are written as is, which
    makes XML that calamine reads but openpyxl (hence the workshop merge) cannot load."""
    if isinstance(value, str):
        value = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
        if not raw_noncharacters:
            value = _NONCHARACTERS.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def write_hostile(path: Path, base_url: str, long_text: str = LONG, raw_noncharacters: bool = True) -> Path:
    """Like tests/fixtures/build_fixtures.write, but a text starting with `=` is stored as text (as Excel does
    for `'=…` typed by a user), not as a formula without a value that validation would rightly refuse."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (titles, header, rows) in hostile_sheets(base_url, long_text).items():
        ws = wb.create_sheet(name)
        for title in titles:
            ws.append([title] if title else [])
        ws.append(header)
        for row in rows:
            ws.append([ooxml_escape(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    wb.save(path)
    if raw_noncharacters:
        _raw_noncharacters(path)
    return path


def _raw_noncharacters(path: Path) -> None:
    """U+FFFE/U+FFFF written raw into the sheet XML. openpyxl cannot write them itself once lxml is installed
    (python-docx and python-pptx bring it, and lxml refuses them), so they are escaped at save, then put back
    raw in the package, byte for byte what openpyxl's own ElementTree writer produced."""
    import zipfile

    tmp = path.with_suffix(".raw.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/") and item.filename.endswith(".xml"):
                data = data.replace(b"_xFFFE_", "\ufffe".encode()).replace(b"_xFFFF_", "\uffff".encode())
            dst.writestr(item, data)
    tmp.replace(path)
