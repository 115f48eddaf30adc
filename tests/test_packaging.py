"""A non-editable install must carry the catalogues and the report templates (DEVELOPERS.md)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("pilier_eco-*.whl")
    return whl


def test_wheel_ships_catalogues_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for catalogue in ("enjeux.csv", "indicateurs.csv", "actions.toml", "experiences.toml", "gouvernance.csv"):
        assert f"toolkit/data/{catalogue}" in names, catalogue
    assert "toolkit/data/insee/qp_occitanie.csv" in names
    assert "toolkit/data/contours/qp_occitanie_2015.geojson" in names  # the portrait's and observatory's maps
    assert {"toolkit/templates/observatoire.html", "toolkit/templates/observatoire_corps.html"} <= names
    assert any(n.startswith("toolkit/templates/") and n.endswith(".html") for n in names)
    assert any(n.startswith("toolkit/templates/") and n.endswith(".css") for n in names)
    assert not any(n.startswith(("tests/", "sample_data/", "reports/")) for n in names)


def test_wheel_ships_every_data_file_of_the_checkout(wheel: Path) -> None:
    """A data file missing from the wheel works in the checkout and fails once installed: every file of
    toolkit/data (the communes' name index included) and of templates/ is in the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    root = Path(__file__).resolve().parents[1]
    expected = {
        f"{prefix}/{f.relative_to(folder).as_posix()}"
        for prefix, folder in (("toolkit/data", root / "toolkit" / "data"), ("toolkit/templates", root / "templates"))
        for f in folder.rglob("*")
        if f.is_file() and "__pycache__" not in f.parts
    }
    assert "toolkit/data/communes-noms.tsv" in expected
    assert sorted(expected - names) == []


def test_wheel_says_the_package_is_typed(wheel: Path) -> None:
    """PEP 561: without `toolkit/py.typed` in the wheel, a user's type checker ignores our annotations."""
    assert "toolkit/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_installed_copy_finds_its_data_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import toolkit, toolkit.resources as r, toolkit.catalog as c;"
        "print(toolkit.__file__); print(r.templates_dir()); print(r.data_dir()); print(len(c.enjeux()))"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    module, templates, data, n_enjeux = res.stdout.split("\n")[:4]
    for path in (module, templates, data):
        assert path.startswith(str(target)), path
    assert any(Path(templates).glob("*.html"))
    assert int(n_enjeux) == 10
