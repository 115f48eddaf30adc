"""The follow-up page in headless Chromium: drop the year's workbook, see it in the history (screenshot)."""

from __future__ import annotations

from playwright.sync_api import expect

from toolkit.typography import french_text

from .conftest import SAMPLE, start_server, stop_server
from .test_browser import LAPTOP, Page, chromium, shots  # noqa: F401 - fixtures reused


def test_record_a_snapshot_and_see_the_history(chromium, shots, tmp_path) -> None:  # noqa: F811 - the `chromium` fixture imported above
    server = start_server(tmp_path / "web", "--base", str(tmp_path / "suivi.sqlite"))
    tab = Page(chromium, server, LAPTOP)
    try:
        tab.go("/suivi")
        expect(tab.page.locator("main")).to_contain_text("Aucun instantané")
        tab.page.set_input_files("#classeur-suivi", str(SAMPLE))
        tab.page.click("text=" + french_text("Enregistrer l'instantané"))
        expect(tab.page.locator(".note")).to_contain_text("1er instantané de Carcassonne")
        expect(tab.page.locator("table.historique tbody tr")).to_have_count(1)
        expect(tab.page.locator("#territoire")).to_be_visible()
        tab.page.screenshot(path=str(shots / "suivi-portable.png"), full_page=True)
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()
        stop_server(server)
