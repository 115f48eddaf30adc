"""Tables stay within the page: in every template, the column widths a `<colgroup>` fixes add up to 100 %.

With `table-layout: fixed`, widths adding up to more than 100 % widen the table past the right margin (the
observatory's territories table was 107 % wide: its « État » column ran to the edge of the sheet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _fixed_colgroups() -> list[tuple[str, int, list[float]]]:
    out = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for group in re.findall(r"<colgroup>(.*?)</colgroup>", line):
                widths = [float(w) for w in re.findall(r"width:\s*([\d.]+)%", group)]
                computed = "{{" in group or "{%" in group  # widths computed by the template: checked by their tests
                if widths and not computed:
                    out.append((f"{path.relative_to(TEMPLATES)}:{number}", len(re.findall(r"<col\b", group)), widths))
    return out


def test_templates_have_fixed_tables_to_check():
    assert len(_fixed_colgroups()) >= 20


@pytest.mark.parametrize(("where", "columns", "widths"), [pytest.param(*g, id=g[0]) for g in _fixed_colgroups()])
def test_fixed_column_widths_add_up_to_the_page(where, columns, widths):
    assert len(widths) == columns, f"{where}: a column without its width"
    assert abs(sum(widths) - 100) <= 0.5, f"{where}: {sum(widths):g} % of the width"
