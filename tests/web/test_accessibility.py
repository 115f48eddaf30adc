"""Issue 25 § 19: every page passes axe-core (the engine shipped by axe-playwright-python, run in Debian's
Chromium, no network) with no serious or critical violation; the focus indicator is visible (≥ 3:1); the
Modèle suggestions work with the arrow keys. Screenshots of the atelier's pages at phone (360×740), laptop
and projector (1920×1080) sizes go to $PILIER_ECO_SCREENSHOTS (default: the test's tmp folder)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from toolkit.typography import french_text

from .conftest import FIXTURES, SAMPLE, start_server, stop_server
from .test_browser import LAPTOP, Page, chromium, shots  # noqa: F401 - fixtures reused

CODE = "animateur-2026"
SMALL_PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    s = start_server(folder / "donnees", "--code", CODE, "--base", str(folder / "suivi.sqlite"))
    yield s
    stop_server(s)


def serious(page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now, one line each."""
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(c):
        r, g, b_ = (x / 255 for x in c[:3])
        f = [(x / 12.92) if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in (r, g, b_)]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def test_every_page_passes_axe_core(chromium, server, shots) -> None:  # noqa: F811 - the fixtures imported from test_browser
    trainer = Page(chromium, server, LAPTOP)
    trainer.accept_dialogs = True
    phone = Page(chromium, server, SMALL_PHONE, mobile=True)
    report: dict[str, list[str]] = {}
    try:
        t = trainer.page
        trainer.go("/acces?suite=/")
        report["acces"] = serious(t)
        t.fill("#code", CODE)
        t.click("main button[type=submit]")
        t.wait_for_url(re.compile(r"/$"))
        for path in ("/", "/modele", "/verifier", "/diagnostic", "/comparer", "/atelier", "/suivi", "/observatoire"):
            trainer.go(path)
            report[path] = serious(t)
        trainer.go("/page-inconnue")
        report["404"] = serious(t)
        trainer.go("/comparer")
        t.set_input_files("#classeurs", str(FIXTURES / "valide.xlsx"))
        t.click("main form button[type=submit]")
        expect(t.locator(".erreur-form")).to_contain_text("Un seul classeur")
        report["comparer (un seul classeur)"] = serious(t)
        trainer.go("/suivi")
        t.set_input_files("#classeur-suivi", str(SAMPLE))
        t.click("text=Enregistrer l’instantané")
        expect(t.locator("table")).to_be_visible(timeout=20000)
        report["suivi (historique)"] = serious(t)
        trainer.go("/verifier")
        t.set_input_files("#classeur", str(FIXTURES / "hors_echelle.xlsx"))
        expect(t.locator("#resultat section.resultat")).to_contain_text("classeur à corriger", timeout=10000)
        report["verifier (erreurs)"] = serious(t)
        t.set_input_files("#classeur", str(FIXTURES / "valide.xlsx"))
        expect(t.locator("#resultat section.resultat")).to_contain_text("classeur utilisable", timeout=10000)
        report["verifier (utilisable)"] = serious(t)
        t.click("text=Lancer le diagnostic")  # § 13: the way forward from a usable check
        t.wait_for_url(re.compile(r"/taches/"))
        report["tache"] = serious(t)
        trainer.go("/atelier")
        t.set_input_files("#classeur-direct", str(SAMPLE))
        t.click("text=Ouvrir l’atelier en direct")
        expect(t.locator(".grand-code strong")).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))
        code = t.locator(".grand-code strong").inner_text()
        control = t.url
        phone.go(f"/rejoindre?code={code}")
        report["rejoindre"] = serious(phone.page)
        phone.page.click("button:has-text('Rejoindre')")
        expect(phone.page.locator("h1")).to_contain_text("Notation")
        first = phone.page.locator("fieldset.objet").nth(0)
        first.locator("label").nth(3).click()
        # the note is on the server before the trainer reveals: the screen then has a table to show
        expect(first.locator(".statut")).to_have_text(french_text("Enregistré : 4"), timeout=10000)
        report["notation"] = serious(phone.page)
        phone.page.screenshot(path=str(shots / "a11y-telephone-360.png"), full_page=False)
        trainer.go(control.removeprefix(trainer.server))
        report["pilotage"] = serious(t)
        t.screenshot(path=str(shots / "a11y-pilotage-portable.png"), full_page=True)
        screen = trainer.context.new_page()
        screen.set_viewport_size(PROJECTOR)
        screen.goto(control + "/ecran")
        report["ecran"] = serious(screen)
        screen.screenshot(path=str(shots / "a11y-ecran-1920.png"))
        t.click("text=Révéler les résultats")
        expect(screen.locator("table.stats").first).to_be_visible(timeout=5000)
        report["ecran (résultats)"] = serious(screen)
        screen.screenshot(path=str(shots / "a11y-ecran-resultats-1920.png"))
        assert trainer.errors == [] and phone.errors == []
    finally:
        trainer.close()
        phone.close()
    bad = {k: v for k, v in report.items() if v}
    assert not bad, "\n".join(f"{k}: {line}" for k, v in bad.items() for line in v)


def test_the_focus_indicator_is_visible(chromium, server) -> None:  # noqa: F811 - the fixtures imported from test_browser
    """WCAG 2.4.11 / RGAA: the focus outline against the page background has at least 3:1."""
    tab = Page(chromium, server, LAPTOP)
    try:
        tab.go("/acces")
        tab.page.locator("#code").focus()
        tab.page.keyboard.press("Tab")  # to the button: the keyboard's focus, so :focus-visible applies
        style = tab.page.evaluate(
            "() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [s.outlineStyle, s.outlineWidth, s.outlineColor, getComputedStyle(document.body).backgroundColor]; }"
        )
        outline_style, width, color, background = style
        assert outline_style != "none" and float(width.removesuffix("px")) >= 2
        ratio = _contrast(_rgb(color), _rgb(background))
        assert ratio >= 3, f"focus outline {color} on {background}: {ratio:.1f}:1"
    finally:
        tab.close()


def test_model_suggestions_work_with_the_arrow_keys(chromium, server) -> None:  # noqa: F811 - the fixtures imported from test_browser
    tab = Page(chromium, server, LAPTOP)
    try:
        p = tab.page
        tab.sign_in(CODE, "/modele")
        box = p.get_by_role("combobox")
        box.fill("carcassonne")
        options = p.get_by_role("option")
        expect(options.first).to_be_visible(timeout=5000)
        box.press("ArrowDown")
        first = options.first.get_attribute("id")
        assert box.get_attribute("aria-activedescendant") == first
        box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
        box.press("ArrowUp")
        assert box.get_attribute("aria-activedescendant") == first
        code = options.first.get_attribute("data-code")
        box.press("Enter")  # chooses the suggestion; the form is not sent
        expect(p.locator("#qpv")).to_have_value(re.compile(code))
        assert options.first.get_attribute("aria-selected") == "true" and p.url.endswith("/modele")
    finally:
        tab.close()


def test_projector_is_legible_paged_and_drops_an_erased_atelier(chromium, server, shots) -> None:  # noqa: F811 - the fixtures imported from test_browser
    """§ 17: figures ≥ 18 px at 1920×1080, more than 12 items paged, an erased atelier's code and QR code leave
    the screen; the phone's ballot fits 360 px without sideways scrolling. Audit: the projector is paged by
    SCREEN — its 22 rows (10 enjeux, 12 actions) once made a 2,262 px page with the actions, the pager and
    the legend below the fold; now each page fits 1920×1080, pager and legend on it, every row reachable."""
    trainer = Page(chromium, server, LAPTOP)
    trainer.accept_dialogs = True
    phone = Page(chromium, server, SMALL_PHONE, mobile=True)
    try:
        t = trainer.page
        trainer.sign_in(CODE, "/atelier")
        t.set_input_files("#classeur-direct", str(SAMPLE))
        t.click("text=Ouvrir l’atelier en direct")
        code = t.locator(".grand-code strong").inner_text()
        control = t.url
        phone.go(f"/rejoindre?code={code}")
        phone.page.click("button:has-text('Rejoindre')")
        t.set_viewport_size(SMALL_PHONE)  # the trainer's control page on a phone: nothing sticks out sideways
        t.reload()
        expect(t.locator("#participants")).to_contain_text("P09")
        assert t.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        t.set_viewport_size(LAPTOP)
        boxes = phone.page.locator("fieldset.objet")
        items = boxes.count()
        assert items > 12  # the sample's 10 enjeux and 12 actions
        for j in range(items):
            boxes.nth(j).locator("label").nth(j % 5).click()
        expect(boxes.last.locator(".statut")).to_contain_text("Enregistré", timeout=5000)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        phone.page.screenshot(path=str(shots / "telephone-360-bas.png"), full_page=False)
        screen = trainer.context.new_page()
        screen.set_viewport_size(PROJECTOR)
        screen.goto(control + "/ecran")
        expect(screen.locator(".grand-code strong")).to_have_text(code)
        screen.screenshot(path=str(shots / "ecran-1920-attente.png"))
        trainer.go(control.removeprefix(trainer.server))
        t.click("text=Révéler les résultats")
        expect(screen.locator("table.stats").first).to_be_visible(timeout=5000)
        pager, legend = screen.locator(".pages"), screen.locator(".regle")
        label = pager.locator('[data-champ="page-n"]')
        expect(label).to_contain_text(re.compile(r"Page 1 / \d"))
        pages = int(re.search(r"/ (\d+)", label.inner_text()).group(1))
        assert 2 <= pages <= 3, label.inner_text()  # 22 rows: two or three screens, not one per section
        seen: list[str] = []
        for n in range(pages):
            expect(label).to_contain_text(f"Page {n + 1} / {pages}")
            fit = screen.evaluate("[document.scrollingElement.scrollHeight, innerHeight]")
            assert fit[0] <= fit[1], f"page {n + 1}: {fit[0]} px tall for a {fit[1]} px screen"
            for part in (pager, legend, screen.locator("table.stats").last.locator("tbody tr").last):
                expect(part).to_be_in_viewport(ratio=1)
            sizes = screen.locator(".histo-n, .histo-k, table.stats td, table.stats th, .pages, .regle").evaluate_all(
                "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
            )
            assert min(sizes) >= 18, min(sizes)
            seen += screen.locator("table.stats td.libelle").all_inner_texts()
            screen.screenshot(path=str(shots / f"ecran-1920-resultats-{n + 1}.png"))
            if n == 0:
                assert serious(screen) == []
                assert pager.locator("button", has_text="précédente").is_disabled()
            if n < pages - 1:
                pager.locator("button", has_text="suivante").click()
        assert pager.locator("button", has_text="suivante").is_disabled()
        assert len(seen) == len(set(seen)) == items, seen  # every row once, none lost between two pages
        screen.keyboard.press("PageUp")  # a presenter's remote turns the pages too
        expect(label).to_contain_text(f"Page {pages - 1} / {pages}")
        screen.set_viewport_size({"width": 1280, "height": 720})  # a smaller projector: pages made again
        expect(label).to_contain_text(re.compile(r"Page \d / \d"))
        for _ in range(50):  # paged again after the resize (wait_for_function would need eval: the CSP forbids it)
            if screen.evaluate("document.scrollingElement.scrollHeight <= innerHeight"):
                break
            screen.wait_for_timeout(100)
        else:
            raise AssertionError("the projector scrolls at 1280×720")
        expect(legend).to_be_in_viewport(ratio=1)
        expect(pager).to_be_in_viewport(ratio=1)
        screen.screenshot(path=str(shots / "ecran-1280-resultats.png"))
        screen.set_viewport_size(PROJECTOR)
        trainer.go(control.removeprefix(trainer.server))
        t.click("text=Effacer l’atelier maintenant")
        expect(screen.locator('[data-champ="efface"]')).to_be_visible(timeout=5000)
        assert screen.locator(".grand-code").is_hidden() and screen.locator("img.qr").is_hidden()
        screen.screenshot(path=str(shots / "ecran-1920-efface.png"))
    finally:
        trainer.close()
        phone.close()


def test_an_upload_shows_its_real_progress_and_cannot_be_sent_twice(chromium, server) -> None:  # noqa: F811 - the fixtures imported from test_browser
    """§ 16: on a slow link, the check page shows how much of the file is sent; its button is disabled meanwhile."""
    tab = Page(chromium, server, LAPTOP)
    try:
        p = tab.page
        tab.sign_in(CODE, "/verifier")
        cdp = tab.context.new_cdp_session(p)
        cdp.send("Network.enable")
        cdp.send(  # 4 KB/s up: the fixture takes a few seconds to leave
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 4096},
        )
        p.set_input_files("#classeur", str(FIXTURES / "valide.xlsx"))
        expect(p.locator("#resultat progress")).to_be_visible(timeout=3000)
        expect(p.locator("#resultat .envoi")).to_contain_text("Envoi", timeout=5000)
        assert p.locator("form[data-api] button[type=submit]").is_disabled()
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        expect(p.locator("#resultat section.resultat")).to_contain_text("classeur utilisable", timeout=30000)
        assert p.locator("form[data-api] button[type=submit]").is_enabled()
        assert tab.errors == []
    finally:
        tab.close()
