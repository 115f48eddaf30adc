"""French typography in everything the web page shows (issue 13): the server's pages, its JSON messages and the
texts its scripts build. ’ between letters, a no-break space before « : » and « » » and after « « », a narrow
no-break space before « ; ! ? » (toolkit/typography.py); URLs, form values, tokens and data-* untouched."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from toolkit.typography import french_html as typographie  # the one filter every page goes through
from toolkit.typography import french_text
from toolkit.web import WebSettings, create_app
from toolkit.web.api import UNKNOWN_JOB

from .conftest import FIXTURES, SAMPLE, TestClient, csrf_of, shown_text, typography_faults
from .test_browser import chromium  # noqa: F401 - fixture reused

STATIC = Path(__file__).resolve().parents[2] / "templates" / "web" / "static"
CODE = "animateur-2026"


def assert_french(r, what: str) -> None:
    """The page's shown text follows the typography, and its markup is the template's, character for character,
    outside text nodes and the alt/title/aria-label attributes (URLs, values, tokens, data-*, scripts)."""
    assert r.headers["content-type"].startswith("text/html"), what
    faults = typography_faults(shown_text(r.text))
    assert not faults, f"{what} :\n" + "\n".join(faults)
    assert int(r.headers["content-length"]) == len(r.content), what
    template = getattr(r, "template", None)
    if template is not None:  # a page of a template: compare with the template rendered without typography
        raw = template.render(r.context)
        assert _markup(raw) == _markup(r.text), what
        assert _verbatim(raw) == _verbatim(r.text), what


def _markup(page: str) -> list[str]:
    return [re.sub(r'\s(?:alt|title|aria-label)="[^"]*"', "", t) for t in re.findall(r"<[^>]*>", page)]


def _verbatim(page: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"<(code|pre|textarea|script|style)\b.*?</\1>", page, re.DOTALL)]


# --- the edge filter --------------------------------------------------------------------------------------


def test_typographie_touches_text_and_read_attributes_only() -> None:
    page = (
        '<p title="Code d\'accès : x" data-titre="l\'a : b" class="x"><a href="/x?y=l\'a&amp;z=1">l&#39;a : '
        'b !</a> <input name="n" value="l\'a : b"><code>l\'a : b</code><textarea>l\'a : b</textarea>'
        '<script>var s = "l\'a : b";</script>« Tout »</p>'
    )
    assert typographie(page) == (
        '<p title="Code d’accès\u00a0: x" data-titre="l\'a : b" class="x"><a href="/x?y=l\'a&amp;z=1">l’a\u00a0: '
        'b\u202f!</a> <input name="n" value="l\'a : b"><code>l\'a : b</code><textarea>l\'a : b</textarea>'
        '<script>var s = "l\'a : b";</script>«\u00a0Tout\u00a0»</p>'
    )
    assert typographie(typographie(page)) == typographie(page)


# --- the server's pages -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("suivi") / "suivi.sqlite"
    app = create_app(WebSettings(data_dir=tmp_path_factory.mktemp("web"), workers=1, suivi_base=str(base)))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def test_main_pages(site) -> None:
    for url in ("/", "/modele", "/verifier", "/diagnostic", "/comparer", "/atelier", "/suivi"):
        r = site.get(url)
        assert r.status_code == 200, url
        assert_french(r, url)
    home = site.get("/").text
    assert french_text("s'inspirer") in home and "s&#39;inspirer" not in home  # the template's text, typeset
    assert re.search(r'<meta name="csrf-token" content="[0-9a-f]{64}">', home)
    assert f'name="csrf" value="{csrf_of(home)}"' in home


def test_error_pages_and_refusals(site) -> None:
    for url, status in (("/n-existe-pas", 404), ("/taches/inconnue", 404), ("/modele.xlsx?qpv=QP011999", 400)):
        r = site.get(url)
        assert r.status_code == status, url
        assert_french(r, url)
    assert french_text(UNKNOWN_JOB) in site.get("/taches/inconnue").text
    # refused by the guard before any route (cross-site form): its own page, typeset too
    r = site.post("/effacer", headers={"origin": "https://ailleurs.example"})
    assert r.status_code == 403
    assert_french(r, "refus CSRF")
    assert "Retour à l’accueil" in r.text


def test_json_messages_the_page_shows(site) -> None:
    r = site.get("/api/jobs/inconnue")
    assert r.status_code == 404 and r.json() == {"erreur": french_text(UNKNOWN_JOB)}
    r = site.post("/api/check", data={"autre": "x"}, headers={"x-csrf-token": csrf_of(site.get("/").text)})
    assert r.status_code == 400 and not typography_faults(r.json()["erreur"])
    r = site.post("/effacer", headers={"origin": "https://ailleurs.example", "accept": "application/json"})
    assert r.status_code == 403 and "d’un autre site" in r.json()["erreur"]
    assert not typography_faults(r.json()["erreur"])


def test_check_results_suivi_and_job_pages(site) -> None:
    csrf = csrf_of(site.get("/").text)
    for name in ("hors_echelle.xlsx", "code_inconnu.xlsx", "pas_un_zip.xlsx"):
        with open(FIXTURES / name, "rb") as fh:
            r = site.post("/verifier", data={"csrf": csrf}, files={"classeur": (name, fh)})
        assert r.status_code == 200, name
        assert_french(r, f"/verifier {name}")
    with open(SAMPLE, "rb") as fh:
        r = site.post("/suivi/enregistrer", data={"csrf": csrf}, files={"classeur": (SAMPLE.name, fh)})
    assert r.status_code == 200 and french_text("1er instantané de Carcassonne") in r.text
    assert_french(r, "/suivi (enregistré)")
    # a territory name goes back to the server as typed, whatever the page shows
    option = re.search(r'<option value="(Carcassonne[^"]*)">([^<]*)</option>', r.text)  # shown typeset
    assert option and option[2] == french_text(option[1]), r.text
    r = site.post("/suivi/revue", data={"csrf": csrf, "territoire": "L'Atlantide"})
    job = r.headers["location"]
    assert_french(site.get(job), "page de travail")
    end = time.monotonic() + 120
    while (status := site.get("/api" + job.replace("/taches/", "/jobs/")).json())["etat"] not in ("termine", "echec"):
        assert time.monotonic() < end
        time.sleep(0.2)
    assert status["etat"] == "echec" and "L’Atlantide" in status["message"]
    for key in ("titre", "etape", "message"):
        assert not typography_faults(status[key]), (key, status[key])
    assert_french(site.get(job), "page de travail (échec)")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A live atelier on a server bound to loopback (so its pages also show the « phones cannot reach it » notes)."""
    app = create_app(WebSettings(data_dir=tmp_path_factory.mktemp("direct"), workers=1, code=CODE, host="127.0.0.1"))
    with TestClient(app, follow_redirects=False) as trainer:
        assert_french(trainer.get("/acces?suite=/atelier"), "/acces")
        trainer.headers["x-code-acces"] = CODE
        csrf = csrf_of(trainer.get("/atelier").text)
        r = trainer.post("/atelier/direct", files={"classeur": (SAMPLE.name, SAMPLE.read_bytes())}, data={"csrf": csrf})
        assert r.status_code == 303, r.text
        yield app, trainer, r.headers["location"]


def test_atelier_pages(room) -> None:
    app, trainer, url = room
    control = trainer.get(url)
    assert_french(control, "pilotage")
    assert "pilier-eco serve" not in control.text and "--host" not in control.text  # no command for her (issue 25 § 14)
    code = re.search(french_text("Code :") + r" <strong>([A-Z0-9]+)</strong>", control.text).group(1)
    assert_french(trainer.get(url + "/ecran"), "écran de la salle")
    phone = TestClient(app, follow_redirects=False)
    join = phone.get(f"/rejoindre?code={code}")
    assert_french(join, "rejoindre")
    wrong = phone.post("/rejoindre", data={"code": "ZZZZZZ", "csrf": csrf_of(join.text)})
    assert wrong.status_code == 403
    assert_french(wrong, "rejoindre (code inconnu)")
    assert phone.post("/rejoindre", data={"code": code, "csrf": csrf_of(join.text)}).status_code == 303
    ballot = phone.get("/p")
    assert_french(ballot, "notation")
    assert french_text("l'animateur") in ballot.text
    objet = re.search(r'data-objet="([^"]+)"', ballot.text).group(1)
    sent = phone.post("/p", data={"csrf": csrf_of(ballot.text), f"note-{objet}": "4", "envoi": "e1", "t": "1"})
    assert sent.status_code == 303 and sent.headers["location"] == "/p?enregistrees=1"  # post/redirect/get
    after = phone.get(sent.headers["location"])
    assert_french(after, "notation (envoyée)")
    assert "1\u00a0note enregistrée." in after.text  # the count held to its word
    refused = phone.post(
        "/p/note", json={"objet": objet, "note": 9, "id": "x", "t": 2}, headers={"x-csrf-token": csrf_of(ballot.text)}
    )
    assert refused.status_code >= 400 and not typography_faults(refused.json()["erreur"])


# --- the scripts ------------------------------------------------------------------------------------------


def _unescape_js(body: str) -> str:
    body = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), body)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def js_strings(source: str) -> list[str]:
    """The string literals of a script, escapes decoded; comments and regular-expression literals skipped (a `/`
    after an operator or an opening bracket starts a regular expression, elsewhere it divides)."""
    found, i, n, prev = [], 0, len(source), ""
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else n
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif c in "'\"`":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            found.append(_unescape_js(source[i + 1 : j]))
            i, prev = j + 1, "a"
        elif c == "/" and (not prev or prev in "(,=:[!&|?{};+-*%<>~^"):
            j, in_class = i + 1, False
            while in_class or source[j] != "/":
                in_class = (in_class or source[j] == "[") and source[j] != "]"
                j += 2 if source[j] == "\\" else 1
            i, prev = j + 1, "a"
        else:
            prev = prev if c.isspace() else c
            i += 1
    return found


def test_js_strings_reader() -> None:
    src = (
        'const a = "l\'a\\u00a0: b"; // "pas : ça"\n/* \'non : plus\' */ const r = x.replace(/[\'"]+/g, "’");'
        " const d = 4 / 2; const s = '[data-x=\"' + y + '\"]';"
    )
    assert js_strings(src) == ["l'a\u00a0: b", "’", '[data-x="', '"]']


@pytest.mark.parametrize("script", sorted(p.name for p in STATIC.glob("*.js")))
def test_script_texts_are_typeset(script: str) -> None:
    """Every string of the scripts (what they show, and selectors that never hold such text) follows the rules."""
    strings = js_strings((STATIC / script).read_text(encoding="utf-8"))
    assert strings
    faults = [f for s in strings for f in typography_faults(s)]
    assert not faults, f"{script} :\n" + "\n".join(faults)


def test_every_page_script_loads_the_typography_first() -> None:
    templates = STATIC.parent
    for name in ("base.html", "base_participant.html", "atelier_ecran.html"):
        head = (templates / name).read_text(encoding="utf-8").split("</head>")[0]
        scripts = re.findall(r'<script src="/static/([a-z]+\.js)"|\{% block head %\}', head)
        assert scripts[0] == "typographie.js", (name, scripts)
    for script in ("direct.js", "modele.js", "notation.js", "site.js", "tache.js"):
        assert "window.peTypographie" in (STATIC / script).read_text(encoding="utf-8"), script


def test_script_typography_is_the_python_one(chromium) -> None:  # noqa: F811 - the `chromium` fixture imported above
    """typographie.js gives exactly what french_text gives, on the texts the scripts receive from the server."""
    samples = [
        "Trouvé : « l'emploi »",
        "Attention ! Vraiment ? Oui ; non.",
        "d'au moins 2 : l'écart",
        "déjà\u00a0: ici ;\u202fet là",
        "aujourd'hui « ceci »",
        "http://127.0.0.1:8000/p?code=AB",
        "1 : 3, 2 : 0",
        "L'Isle-Jourdain — quartier d'en haut",
        "rien n'a été écrit !",
        "l'«objet»",
        "",
        "L'atelier est terminé : merci !",
        "12 h : 30 'citation' l'",
        "Œuvre d'É",
        "tab\t: x\n! y",
        "décret n° 2023-1314 : 40 % en 2 ans, 12 000 € et 3 M€",
        "« la « ville » est » et « A » « B »",
        "le 7 novembre 2024, le 1er octobre, en 2024 mars, 3 maisons, 1 000 habitants",
    ]
    page = chromium.new_page()
    try:
        page.add_script_tag(content=(STATIC / "typographie.js").read_text(encoding="utf-8"))
        got = page.evaluate("xs => xs.map(window.peTypographie)", samples)
    finally:
        page.close()
    assert got == [french_text(s) for s in samples]
