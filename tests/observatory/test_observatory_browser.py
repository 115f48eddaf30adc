"""The observatory page in headless Chromium (Debian's /usr/bin/chromium, as tests/web/test_browser.py drives it):
the page never scrolls sideways, on a laptop or a phone; a wide table scrolls inside its own block."""

from __future__ import annotations

import pytest

from tests.web.conftest import start_server, stop_server
from tests.web.test_accessibility import serious
from tests.web.test_browser import LAPTOP, PHONE, Page, chromium, shots  # noqa: F401 - fixtures reused


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_base):
    s = start_server(tmp_path_factory.mktemp("observatoire-web"), "--base", str(sample_base))
    yield s
    stop_server(s)


@pytest.mark.parametrize(("size", "viewport"), [("portable", LAPTOP), ("telephone", PHONE)])
def test_the_observatory_page_never_scrolls_sideways(chromium, server, shots, size, viewport) -> None:  # noqa: F811 - the fixtures imported above
    """Issue 27 audit § 3: the enjeux side by side made the page 1447 px wide on a laptop, 1279 px on a phone."""
    tab = Page(chromium, server, viewport, mobile=viewport is PHONE)
    try:
        tab.go("/observatoire")
        tab.page.wait_for_selector("table.enjeux-cote")
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"la page défile horizontalement : {width} px pour {viewport['width']} px"
        # every table is reachable: one wider than the screen scrolls inside its block, by mouse or keyboard
        for table in tab.page.locator("table.data").all():
            block = table.locator("xpath=..")
            assert block.get_attribute("class") == "defile" and block.get_attribute("tabindex") == "0"
        assert serious(tab.page) == []  # the scrolling blocks are named regions, reachable by keyboard
        tab.page.screenshot(path=str(shots / f"observatoire-{size}.png"), full_page=True)
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


def test_the_territories_table_fits_a_laptop_screen_without_clipping_its_state(chromium, server) -> None:  # noqa: F811
    """Issue 27 re-audit § 3: at 1280 px the territories table was 936 px in a 912 px column, its « État »
    clipped while 320 px of screen stayed empty: the page now uses the width and the table fits its block."""
    tab = Page(chromium, server, LAPTOP)
    try:
        tab.go("/observatoire")
        tab.page.wait_for_selector("table.territoires")
        table, block = tab.page.evaluate(
            "[document.querySelector('table.territoires').scrollWidth,"
            " document.querySelector('table.territoires').parentElement.clientWidth]"
        )
        assert table <= block, f"tableau de {table} px dans un bloc de {block} px"
        assert block >= 1100
    finally:
        tab.close()


def test_the_map_key_is_legible_on_a_phone(chromium, server, shots) -> None:  # noqa: F811
    """Issue 27 re-audit § 5: at 390 px the SVG's key is ≈ 6 px high: under the map, the page gives the key in
    HTML, each state with its count, at 14 px or more, within the screen's width."""
    tab = Page(chromium, server, {"width": 390, "height": 800}, mobile=True)
    try:
        tab.go("/observatoire")
        key = tab.page.locator(".legende-carte")
        key.wait_for()
        items = key.locator("li")
        assert items.count() >= 4  # the four states
        for i in range(items.count()):
            item = items.nth(i)
            size = float(item.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
            box = item.bounding_box()
            assert size >= 14, f"« {item.inner_text()} » en {size} px"
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        text = " ".join(key.inner_text().split())
        for label in ("prêt pour l’évaluation à mi-parcours", "un seul instantané (point de départ)"):
            assert label in text.replace("'", "’"), text
        assert tab.page.locator("figure.carte + .legende-carte").count() == 1  # right below the map
        tab.page.screenshot(path=str(shots / "observatoire-legende-390.png"), full_page=True)
        assert tab.errors == []
    finally:
        tab.close()
