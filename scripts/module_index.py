"""The « Index des modules » of docs/architecture.md: every module of `toolkit/`, with the first line of its
docstring, grouped by layer — generated from the code, so that the document names every file and says
what the file itself says.

    python scripts/module_index.py           # rewrite the index in docs/architecture.md
    python scripts/module_index.py --check   # exit 1 if the index is not the one the code gives

`tests/test_architecture.py` runs the check: a new module, or a changed first docstring line, must be
reflected in the document (run this script, then read the diff).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- index des modules : généré par scripts/module_index.py, ne pas modifier à la main -->"
END = "<!-- fin de l'index des modules -->"


def _first_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = " ".join(doc.split("\n\n")[0].split())  # the first paragraph, on one line
    return first.replace("|", "\\|")


def index(package: Path = ROOT / "toolkit") -> str:
    """The Markdown table: one row per module file, `path` relative to `toolkit/`, in path order."""
    rows = ["| Module | Ce que dit sa docstring |", "|---|---|"]
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(package).as_posix()
        rows.append(f"| `{rel}` | {_first_line(path)} |")
    return "\n".join(rows)


def with_index(text: str, table: str) -> str:
    """`text` (the document) with the part between the markers replaced by `table`."""
    head, found, rest = text.partition(BEGIN)
    if not found or END not in rest:
        raise SystemExit(f"{DOC} : marqueurs de l'index des modules introuvables")
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    expected = with_index(text, index())
    if "--check" in argv:
        if expected != text:
            print(f"{DOC} : l'index des modules n'est plus celui du code ; lancez python scripts/module_index.py")
            return 1
        return 0
    DOC.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
