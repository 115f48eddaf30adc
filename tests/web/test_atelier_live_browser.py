"""The live atelier in a real headless Chromium: a trainer, the projector and several phones at once.

Screenshots (phone scoring page, projector 1280×720 before and after the reveal) go to
$PILIER_ECO_SCREENSHOTS (default: the test's tmp folder) to be looked at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from toolkit.typography import french_text

from .conftest import SAMPLE, start_server, stop_server, typography_faults
from .test_browser import LAPTOP, PHONE, Page, chromium, shots  # noqa: F401 - fixtures reused

CODE = "animateur-2026"
PROJECTOR = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def coded_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("direct"), "--code", CODE)
    yield server
    stop_server(server)


def test_trainer_projector_and_three_phones(chromium, coded_server, shots) -> None:  # noqa: F811 - the `chromium` fixture imported above
    trainer = Page(chromium, coded_server, LAPTOP)
    phones = [Page(chromium, coded_server, PHONE, mobile=True) for _ in range(3)]
    try:
        t = trainer.page
        trainer.accept_dialogs = True  # irreversible buttons ask first; the trainer answers OK
        trainer.sign_in(CODE, "/atelier")
        t.set_input_files("#classeur-direct", str(SAMPLE))
        t.click("text=" + french_text("Ouvrir l'atelier en direct"))
        expect(t.locator(".grand-code strong")).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))
        code = t.locator(".grand-code strong").inner_text()
        control = t.url
        expect(t.locator("img.qr")).to_have_js_property("complete", True)
        assert t.locator("img.qr").evaluate("i => i.naturalWidth") > 0  # the QR code, made on this computer

        # the projector is a second window of the trainer's browser (same session), 1280×720
        screen = trainer.context.new_page()
        screen.set_viewport_size(PROJECTOR)
        screen_errors: list[str] = []
        screen.on("request", lambda r: trainer.requests.append(r.url))
        screen.on("pageerror", lambda e: screen_errors.append(str(e)))
        screen.goto(control + "/ecran")
        for k, ph in enumerate(phones):
            ph.go(f"/rejoindre?code={code}")
            if k == 0:
                ph.page.fill("#prenom", "Marie")
            ph.page.click("button:has-text('Rejoindre')")
            expect(ph.page.locator("h1")).to_contain_text("Notation")
        # each phone scores the first three items by tapping the labels
        for k, ph in enumerate(phones):
            boxes = ph.page.locator("fieldset.objet")
            for j in range(3):
                boxes.nth(j).locator("label").nth((k + j) % 5).click()
                expect(boxes.nth(j).locator(".statut")).to_have_text(french_text(f"Enregistré : {(k + j) % 5 + 1}"))
        # keyboard: arrow keys move the choice inside a fieldset, the new note is saved
        first = phones[0].page.locator("fieldset.objet").nth(0)
        first.locator("input[type=radio]:checked").focus()
        phones[0].page.keyboard.press("ArrowRight")
        expect(first.locator(".statut")).to_have_text(french_text("Enregistré : 2"))
        assert first.locator(".statut").inner_text() == "Enregistré\u00a0: 2"  # the no-break space itself
        # a flaky network: the note waits, then goes once the connection is back
        ph = phones[1]
        box = ph.page.locator("fieldset.objet").nth(4)
        ph.context.set_offline(True)
        box.locator("label").nth(3).click()
        expect(box.locator(".statut")).to_contain_text("Pas de réseau")
        ph.context.set_offline(False)
        expect(box.locator(".statut")).to_have_text(french_text("Enregistré : 4"), timeout=8000)
        # a note chosen while the server cannot be reached survives a reload of the page, then goes once
        ph.page.route("**/p/note", lambda route: route.abort())
        box = ph.page.locator("fieldset.objet").nth(5)
        box.locator("label").nth(1).click()
        expect(box.locator(".statut")).to_contain_text("Pas de réseau")
        ph.page.reload()
        box = ph.page.locator("fieldset.objet").nth(5)
        expect(box.locator("input[type=radio]").nth(1)).to_be_checked()
        expect(box.locator(".statut")).to_contain_text(re.compile(r"attente|Pas de réseau"))
        ph.page.unroute("**/p/note")
        expect(box.locator(".statut")).to_have_text(french_text("Enregistré : 2"), timeout=8000)

        s = screen
        expect(s.locator('[data-champ="inscrits"]')).to_have_text("3", timeout=3000)
        expect(s.locator('[data-champ="notes"]')).to_have_text("11", timeout=3000)  # the resent note counted once
        assert s.locator('[data-champ="resultats"]').is_hidden()
        s.screenshot(path=str(shots / "atelier-ecran-attente.png"))
        phones[0].page.screenshot(path=str(shots / "atelier-telephone.png"), full_page=False)

        t.click("text=Révéler les résultats")
        assert trainer.dialogs and "clôt le tour" in trainer.dialogs[-1]
        expect(s.locator("table.stats").first).to_be_visible(timeout=3000)
        expect(s.locator('[data-champ="rejoindre"]')).to_be_hidden()
        expect(s.locator('[data-champ="bascule"]')).to_have_text("Masquer les résultats")
        assert "Marie" not in s.content() and not re.search(r">P\d\d<", s.content())
        s.screenshot(path=str(shots / "atelier-ecran-resultats.png"))
        assert typography_faults(s.locator("body").inner_text()) == []  # the table the script built

        # revealing closed the round: what the room saw stays what was counted
        for ph in phones:
            expect(ph.page.locator("#etat-tour")).to_contain_text("clos", timeout=6000)
            assert ph.page.locator("fieldset.objet input[type=radio]").first.is_disabled()
            assert typography_faults(ph.page.locator("body").inner_text()) == []  # statuses and banner
        for tab in (trainer, *phones):  # the projector's requests are recorded with the trainer's
            assert tab.outside() == [], tab.outside()
            assert tab.errors == []
        assert screen_errors == []
    finally:
        for tab in (trainer, *phones):
            tab.close()


def test_projector_reveal_asks_first(chromium, coded_server) -> None:  # noqa: F811 - the `chromium` fixture imported above
    """Revealing from the projector closes the round, as on the control page: a dismissed confirmation leaves it open."""
    trainer = Page(chromium, coded_server, LAPTOP)
    try:
        t = trainer.page
        trainer.sign_in(CODE, "/atelier")
        t.set_input_files("#classeur-direct", str(SAMPLE))
        t.click("text=" + french_text("Ouvrir l'atelier en direct"))
        expect(t.locator(".grand-code strong")).to_be_visible()
        control = t.url
        trainer.go(control.removeprefix(trainer.server) + "/ecran")
        t.click('[data-champ="bascule"]')  # the test answers « Annuler »
        assert trainer.dialogs and "clôt le tour" in trainer.dialogs[-1]
        t.wait_for_timeout(300)
        assert t.url.endswith("/ecran")
        trainer.go(control.removeprefix(trainer.server))
        expect(t.locator('[data-champ="tour-etat"]')).to_have_text("ouvert")
        expect(t.locator('[data-champ="revele"]')).to_have_text("masqués")
        trainer.go(control.removeprefix(trainer.server) + "/ecran")
        trainer.accept_dialogs = True
        t.click('[data-champ="bascule"]')
        expect(t.locator('[data-champ="bascule"]')).to_have_text("Masquer les résultats")
        asked = len(trainer.dialogs)
        t.click('[data-champ="bascule"]')  # hiding the results again asks nothing
        expect(t.locator('[data-champ="bascule"]')).to_have_text("Révéler les résultats")
        assert len(trainer.dialogs) == asked
        assert trainer.errors == []
    finally:
        trainer.close()
