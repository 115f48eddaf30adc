"""The suite fails a run in which a test is skipped for a reason outside tests/conftest.py's short list."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).resolve().parent / "conftest.py").read_text(encoding="utf-8")


def test_a_bare_skip_or_a_missing_binary_fails_and_only_listed_reasons_skip(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_bare="import pytest\ndef test_x():\n    pytest.skip('validateur pas encore disponible')\n",
        test_binary="import pytest\n@pytest.mark.skipif(True, reason='poppler-utils absent')\n"
        "def test_z():\n    pass\n",
        test_allowed="import pytest\n@pytest.mark.skipif(True, reason='LibreOffice absent')\ndef test_w():\n    pass\n",
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, errors=1, skipped=1)  # a skipif skips in setup: reported as an error
    result.stdout.fnmatch_lines(["*raison non autorisée*validateur pas encore disponible*"])
    assert result.ret != 0


def test_an_importorskip_on_a_broken_import_fails_the_run(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_import="import pytest\nmissing = pytest.importorskip('toolkit_module_disparu')\ndef test_y():\n    pass\n"
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    assert "toolkit_module_disparu" in result.stdout.str() and result.ret != 0
