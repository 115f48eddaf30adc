"""The page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser download).

Screenshots of the key states, laptop and phone, go to $PILIER_ECO_SCREENSHOTS (default: the test's tmp
folder) to be looked at. A missing Chromium fails these tests: it is installed by .ci/run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .conftest import FIXTURES, SAMPLE, typography_faults

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} absent : installez le paquet Debian chromium (.ci/run le fait)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("PILIER_ECO_SCREENSHOTS") or tmp_path_factory.mktemp("captures"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Page:
    """A browser tab on the live server that records every request and every script error."""

    def __init__(self, chromium, server, viewport, mobile: bool = False) -> None:
        self.context = chromium.new_context(
            viewport=viewport, is_mobile=mobile, has_touch=mobile, accept_downloads=True, locale="fr-FR"
        )
        self.page = self.context.new_page()
        self.server = server.url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.accept_dialogs = False  # a confirmation the test answers « OK » to (irreversible buttons)
        self.page.on(
            "dialog", lambda d: (self.dialogs.append(d.message), d.accept() if self.accept_dialogs else d.dismiss())
        )

    def go(self, path: str) -> None:
        self.page.goto(self.server + path)

    def sign_in(self, code: str, then: str) -> None:
        """Type the access code on /acces and land on `then`, as a person does on a coded server."""
        self.go(f"/acces?suite={then}")
        self.page.fill("#code", code)
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(re.compile(re.escape(then) + "$"))

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.server, "data:", "about:", "blob:"))]

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def laptop(chromium, live_server):
    tab = Page(chromium, live_server, LAPTOP)
    yield tab
    tab.close()


@pytest.fixture()
def phone(chromium, live_server):
    tab = Page(chromium, live_server, PHONE, mobile=True)
    yield tab
    tab.close()


def test_home_laptop_and_phone(laptop, phone, shots) -> None:
    for tab, name in ((laptop, "accueil-portable"), (phone, "accueil-telephone")):
        tab.go("/")
        expect(tab.page.locator("h1")).to_contain_text("quatre étapes")
        assert tab.page.evaluate("document.documentElement.lang") == "fr"
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= tab.page.viewport_size["width"], "horizontal scroll"
        tab.page.screenshot(path=shots / f"{name}.png", full_page=True)
        assert tab.outside() == [] and tab.errors == []


def test_check_shows_every_error_grouped_then_a_fixed_file(laptop, phone, shots) -> None:
    for tab, suffix in ((laptop, "portable"), (phone, "telephone")):
        tab.go("/verifier")
        tab.page.set_input_files("#classeur", str(FIXTURES / "hors_echelle.xlsx"))
        result = tab.page.locator("#resultat section.resultat")
        expect(result).to_contain_text("classeur à corriger", timeout=5000)
        expect(result.locator("details.feuille summary").first).to_contain_text("Actions")
        expect(result.locator("li.erreur .cellule")).to_have_text(["E4"])
        expect(result.locator("li.erreur")).to_contain_text("Attendu")
        assert typography_faults(result.inner_text()) == []  # built by the script from the JSON of /api/check
        tab.page.screenshot(path=shots / f"verifier-erreurs-{suffix}.png", full_page=True)
        # dropped again once fixed: the same zone, a new answer
        tab.page.set_input_files("#classeur", str(FIXTURES / "valide.xlsx"))
        expect(result).to_contain_text("classeur utilisable", timeout=5000)
        # the file went on choosing it; pressing « Vérifier » out of habit opens the chooser again, never the
        # browser's own « select a file » bubble over the answer
        with tab.page.expect_file_chooser(timeout=5000):
            tab.page.locator("form button[type=submit]").first.click()
        assert tab.outside() == [] and tab.errors == []


def test_check_shows_prefilled_rows_for_information_apart_and_calmer(laptop, shots, tmp_path) -> None:
    """Issue 25, point 13, as the script draws it from /api/check: after the warnings, one closed group
    « Pour information » with its note; its badge is grey, not the warnings' amber; axe finds nothing serious."""
    from axe_playwright_python.sync_playwright import Axe
    from prefilled_factories import prefilled_workbook

    laptop.go("/verifier")
    laptop.page.set_input_files("#classeur", str(prefilled_workbook(tmp_path / "carcassonne.xlsx")))
    result = laptop.page.locator("#resultat section.resultat")
    expect(result).to_contain_text("classeur utilisable", timeout=10000)
    expect(result.locator(".bilan")).to_contain_text("3 avertissements et 7 remarques pour information")
    group = result.locator("details.feuille.information")
    expect(group.locator("summary")).to_contain_text("Pour information")
    assert group.get_attribute("open") is None  # closed: nothing there to correct
    group.locator("summary").click()
    expect(group.locator(".explication")).to_contain_text("rien à corriger")
    expect(group.locator("li.information .niveau")).to_have_text(["Information"] * 7)
    expect(group.locator("li.information .cellule").first).to_have_text("Indicateurs!F9")
    assert result.locator("details.feuille").last.get_attribute("class") == "feuille information"
    colour = group.locator("li.information .niveau").first.evaluate("e => getComputedStyle(e).color")
    warning = result.locator("li.avertissement .niveau").first.evaluate("e => getComputedStyle(e).color")
    assert colour != warning
    assert typography_faults(result.inner_text()) == []
    found = Axe().run(laptop.page).response["violations"]
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    laptop.page.screenshot(path=shots / "verifier-information-portable.png", full_page=True)
    assert laptop.outside() == [] and laptop.errors == []


def test_keyboard_reaches_the_file_input(laptop) -> None:
    laptop.go("/verifier")
    for _ in range(12):
        laptop.page.keyboard.press("Tab")
        if laptop.page.evaluate("document.activeElement.id") == "classeur":
            break
    assert laptop.page.evaluate("document.activeElement.id") == "classeur"


def test_hostile_workbook_runs_nothing_in_the_page(laptop, shots, tmp_path, listener) -> None:
    from adversarial.hostile import write_hostile

    hostile = write_hostile(tmp_path / "hostile.xlsx", listener[0])
    laptop.go("/verifier")
    laptop.page.set_input_files("#classeur", str(hostile))
    expect(laptop.page.locator("#resultat section.resultat")).to_be_visible(timeout=10000)
    laptop.go("/diagnostic")
    laptop.page.set_input_files("#classeur", str(hostile))
    laptop.page.wait_for_url("**/taches/*", timeout=20000)
    frame = laptop.page.frame_locator("iframe.apercu")
    expect(frame.locator("body")).to_contain_text("<script>", timeout=10000)  # shown as text
    laptop.page.wait_for_timeout(500)
    assert laptop.dialogs == [] and laptop.page.title() != "pwned"
    assert laptop.page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert laptop.outside() == []
    assert listener[1] == []


def test_diagnose_preview_progress_and_downloads(laptop, phone, shots) -> None:
    laptop.go("/diagnostic")
    laptop.page.set_input_files("#classeur", str(SAMPLE))
    laptop.page.wait_for_url("**/taches/*", timeout=20000)
    frame = laptop.page.frame_locator("iframe.apercu")
    expect(frame.locator("body")).to_contain_text("Carcassonne", timeout=5000)
    laptop.page.screenshot(path=shots / "diagnostic-en-cours-portable.png")
    links = laptop.page.locator("ul.telechargements a")
    expect(links.filter(has_text="Rapport PDF")).to_be_visible(timeout=240_000)
    expect(laptop.page.locator("[data-champ=etape]")).to_have_text("Terminé")
    assert typography_faults(laptop.page.locator("main").inner_text()) == []  # as updated by the script
    laptop.page.screenshot(path=shots / "diagnostic-termine-portable.png", full_page=True)
    with laptop.page.expect_download() as dl:
        links.filter(has_text="Rapport PDF").click()
    path = dl.value.path()
    assert Path(path).read_bytes()[:4] == b"%PDF"
    assert dl.value.suggested_filename.endswith(".pdf")
    with laptop.page.expect_download() as dl:
        links.filter(has_text="Résultats Excel").click()
    assert dl.value.suggested_filename.endswith(".xlsx")
    assert laptop.outside() == [] and laptop.errors == []
    # the same job page on a phone (its own session: the job is not found there)
    phone.go(laptop.page.url.removeprefix(laptop.server))
    expect(phone.page.locator("h1")).to_contain_text("introuvable")


def test_diagnose_on_a_phone(phone, shots) -> None:
    phone.go("/diagnostic")
    phone.page.screenshot(path=shots / "diagnostic-depot-telephone.png", full_page=True)
    phone.page.set_input_files("#classeur", str(SAMPLE))
    phone.page.wait_for_url("**/taches/*", timeout=20000)
    expect(phone.page.frame_locator("iframe.apercu").locator("body")).to_contain_text("Carcassonne", timeout=5000)
    phone.page.screenshot(path=shots / "diagnostic-telephone.png")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_template_search_as_you_type(laptop, shots) -> None:
    laptop.go("/modele")
    laptop.page.fill("#recherche", "carcass")
    choice = laptop.page.get_by_role("option").filter(has_text="Bastide Pont-Vieux")
    expect(choice).to_be_visible(timeout=5000)
    choice.click()
    expect(laptop.page.locator("#qpv")).to_have_value("QP011004")
    laptop.page.screenshot(path=shots / "modele-recherche-portable.png", full_page=True)
    with laptop.page.expect_download() as dl:
        laptop.page.get_by_role("button", name="Télécharger le classeur pré-rempli", exact=True).click()
    assert dl.value.suggested_filename == "classeur-qp011004.xlsx"
    assert laptop.outside() == [] and laptop.errors == []
