"""`toolkit.workshop` gives what its docstring shows, so the example can be copied as it is."""

from __future__ import annotations

import re
import subprocess
import sys

import toolkit.workshop as workshop


def test_the_names_of_the_docstring_are_exported() -> None:
    shown = re.search(r"from toolkit\.workshop import ([\w, ]+)", workshop.__doc__ or "")
    assert shown is not None, "the docstring shows the import"
    names = [n.strip() for n in shown.group(1).split(",")]
    assert {"ballot_items", "make_kit", "plan_merge", "write_merged"} <= set(names)
    for name in names:
        assert name in workshop.__all__, name
        assert callable(getattr(workshop, name)), name
    assert sorted(dir(workshop)) == sorted(workshop.__all__)


def test_the_ballot_does_not_load_the_pdf_stack() -> None:
    code = "import sys, toolkit.workshop.items; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
