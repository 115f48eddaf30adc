"""No packaged data file cites a document dump, a blog or a storage bucket (deny-list in toolkit.catalog.sources)."""

from __future__ import annotations

import re

import pytest

from toolkit.catalog.sources import BLOG, DENIED_HOSTS, DUMP, STORAGE, denied_reason
from toolkit.resources import data_dir

URL = re.compile(r"https?://[^\s\"'<>,;)\]]+")
TEXT_SUFFIXES = {".toml", ".csv", ".md", ".json", ".txt"}


def _packaged_urls() -> list[tuple[str, str]]:
    out = []
    for path in sorted(data_dir().rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            out.extend((path.relative_to(data_dir()).as_posix(), u) for u in URL.findall(text))
    return out


def test_packaged_data_cites_urls_at_all():
    files = {f for f, _ in _packaged_urls()}
    assert {"actions.toml", "experiences.toml", "indicateurs.csv"} <= files


def test_no_packaged_data_file_cites_a_denied_host():
    bad = [f"{f} : {u} — {denied_reason(u)}" for f, u in _packaged_urls() if denied_reason(u)]
    assert not bad, "sources refusées :\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://studylibfr.com/doc/6642710/x", DUMP),
        ("https://docplayer.fr/amp/3479313-tableau.html", DUMP),
        ("https://fdocuments.fr/document/x.html", DUMP),
        ("https://www.calameo.com/read/123", DUMP),
        ("https://beverlysbanks.s3.amazonaws.com/x.html", STORAGE),
        ("https://storage.googleapis.com/bucket/x.pdf", STORAGE),
        ("https://acct.blob.core.windows.net/c/x.pdf", STORAGE),
        ("https://guy-chambefort.typepad.fr/essai_dput/x.html", BLOG),
        ("http://letowski.fr/tag/x/?p=1", BLOG),
        ("https://blog.exemple.fr/x", BLOG),
        ("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049746070", None),
        ("https://www.banquedesterritoires.fr/x", None),
        ("https://agence-cohesion-territoires.gouv.fr/quartiers-productifs-492", None),
        ("https://www.weblog-ok.fr/x", None),  # "blog" inside a word is not a blog host
    ],
)
def test_denied_reason(url, reason):
    assert denied_reason(url) == reason


def test_every_denied_host_has_a_reason():
    assert DENIED_HOSTS and all(r in (DUMP, STORAGE, BLOG) for r in DENIED_HOSTS.values())


def test_no_sample_workbook_cites_a_denied_host():
    """The bundled samples copy reference sources from indicateurs.csv: they must be clean too."""
    import zipfile
    from pathlib import Path

    samples = Path(__file__).resolve().parent.parent / "sample_data"
    bad = []
    for book in sorted(samples.glob("*.xlsx")):
        with zipfile.ZipFile(book) as z:
            text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
        bad.extend(f"{book.name} : {u}" for u in URL.findall(text) if denied_reason(u))
    assert not bad, "sources refusées :\n" + "\n".join(bad)
