"""What the server refuses: another session's files, forged requests, oversized bodies, hostile text, no code."""

from __future__ import annotations

import io
import socket
import time

import openpyxl
import pytest

from toolkit.typography import french_text
from toolkit.web import WebSettings, create_app

from .conftest import FIXTURES, TestClient, new_browser

#: What a job contains does not matter to these checks: the small valid workbook renders in about half
#: the CPU time of the 39-page sample (docs/performance.md, « Suite de tests »).
SMALL = FIXTURES / "valide.xlsx"


# ------------------------------------------------------------------------------------------ isolation


def test_one_session_cannot_see_or_fetch_another_sessions_job(app, browser) -> None:
    # the Excel results only: isolation is the point, and every download goes through the same door
    r = browser.post_file("/api/diagnose", SMALL, data={"documents": "xlsx"})
    job = r.json()["tache"]
    browser.wait(job)
    other = new_browser(app)
    for url in (f"/api/jobs/{job}", f"/api/jobs/{job}/xlsx", f"/api/jobs/{job}/json", f"/taches/{job}/apercu"):
        assert browser.c.get(url).status_code == 200, url
        assert other.c.get(url).status_code == 404, url
    page = other.c.get(f"/taches/{job}")
    assert page.status_code == 404 and "introuvable" in page.text


def test_forged_session_cookie_is_a_new_empty_session(app, browser) -> None:
    r = browser.post_file("/api/diagnose", SMALL, data={"documents": "xlsx"})
    job = r.json()["tache"]
    sid = app.state.jobs.jobs[job].sid
    forged = TestClient(app, cookies={"pe_session": sid})  # the id without the server's signature
    assert forged.get(f"/api/jobs/{job}").status_code == 404
    signed = browser.c.cookies["pe_session"]
    # one character of the signature changed, well inside it (its last base64 character carries bits a
    # decoder may ignore, and « xx » could be what was there: the test failed about once in a thousand runs)
    k = len(signed) - 6
    tampered = TestClient(
        app, cookies={"pe_session": signed[:k] + ("A" if signed[k] != "A" else "B") + signed[k + 1 :]}
    )
    assert tampered.get(f"/api/jobs/{job}").status_code == 404
    browser.wait(job)


@pytest.mark.parametrize(
    "name", ["../../evil.xlsx", "..\\..\\evil.xlsx", "/etc/passwd", "..", "a/../../b.ods", "C:\\Windows\\system.ini"]
)
def test_uploaded_names_never_choose_a_path(app, browser, name) -> None:
    r = browser.post_file("/api/check", FIXTURES / "valide.xlsx", name=name)
    assert r.status_code == 200
    root = app.state.sessions.root
    sid = browser.c.cookies["pe_session"].split(".")[0]
    written = [p for p in app.state.settings.data_dir.rglob("*") if p.is_file() and "depots" in p.parts]
    assert written and all(p.resolve().is_relative_to(root.resolve()) for p in written)
    mine = [p for p in written if sid in p.parts]
    assert mine and all(p.parent.parent.name == "depots" for p in mine)
    assert not (app.state.settings.data_dir.parent / "evil.xlsx").exists()


def test_two_sessions_uploading_the_same_name_do_not_overwrite(app, browser) -> None:
    other = new_browser(app)
    a = browser.post_file("/api/check", FIXTURES / "valide.xlsx", name="classeur.xlsx").json()
    b = other.post_file("/api/check", FIXTURES / "hors_echelle.xlsx", name="classeur.xlsx").json()
    again = browser.post_file("/api/check", FIXTURES / "valide.xlsx", name="classeur.xlsx").json()
    assert a["utilisable"] and not b["utilisable"] and again["utilisable"]


def test_download_kinds_are_a_fixed_list(browser) -> None:
    job = browser.post_file("/api/diagnose", SMALL, data={"documents": "pdf"}).json()["tache"]
    browser.wait(job)
    for kind in ("%2e%2e%2fapercu.html", "progress.json", "apercu.html", "rapport.pdf"):
        assert browser.c.get(f"/api/jobs/{job}/{kind}").status_code == 404, kind
    # `…/{job}/..` is normalised by the client to `/api/jobs`, the session's job list: JSON, never a file
    up = browser.c.get(f"/api/jobs/{job}/..")
    assert "content-disposition" not in up.headers and up.json()["taches"][0]["id"] == job


# ------------------------------------------------------------------------------------------ CSRF


def test_csrf_refusals(browser) -> None:
    c = browser.c
    with open(FIXTURES / "valide.xlsx", "rb") as fh:
        data = fh.read()
    files = {"classeur": ("v.xlsx", data)}
    # a page form without its token, with a wrong one, or sent by another site
    assert c.post("/verifier", files=files).status_code == 403
    assert c.post("/verifier", data={"csrf": "0" * 64}, files=files).status_code == 403
    assert (
        c.post(
            "/verifier", data={"csrf": browser.csrf}, files=files, headers={"Origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert (
        c.post(
            "/verifier", data={"csrf": browser.csrf}, files=files, headers={"Sec-Fetch-Site": "cross-site"}
        ).status_code
        == 403
    )
    # the API from a page (session cookie present) needs the header
    r = c.post("/api/check", files=files)
    assert r.status_code == 403 and "jeton" in r.json()["erreur"]
    assert c.post("/api/check", files=files, headers={"X-CSRF-Token": "f" * 64}).status_code == 403
    assert c.post("/effacer", data={}).status_code == 403
    # the right token passes
    assert c.post("/verifier", data={"csrf": browser.csrf}, files=files).status_code == 200
    assert c.post("/api/check", files=files, headers={"X-CSRF-Token": browser.csrf}).status_code == 200


def test_a_cross_site_script_call_without_cookie_is_refused(client) -> None:
    client.cookies.clear()
    files = {"classeur": ("v.xlsx", (FIXTURES / "valide.xlsx").read_bytes())}
    assert client.post("/api/diagnose", files=files, headers={"Origin": "http://evil.example"}).status_code == 403


def test_another_sessions_token_does_not_work(app, browser) -> None:
    other = new_browser(app)
    files = {"classeur": ("v.xlsx", (FIXTURES / "valide.xlsx").read_bytes())}
    assert browser.c.post("/api/check", files=files, headers={"X-CSRF-Token": other.csrf}).status_code == 403


# ------------------------------------------------------------------------------------------ headers


def test_security_headers_on_pages_api_and_static(browser) -> None:
    for url in ("/", "/verifier", "/api/qpv?q=a", "/static/site.js", "/page-inconnue"):
        h = browser.c.get(url).headers
        assert h["x-content-type-options"] == "nosniff", url
        assert h["x-frame-options"] == "DENY", url
        assert h["referrer-policy"] == "same-origin", url
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, url


def test_session_cookie_flags(client) -> None:
    client.cookies.clear()
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


def test_pages_have_no_inline_script_and_are_french(browser) -> None:
    import re

    for url in ("/", "/modele", "/verifier", "/diagnostic", "/comparer", "/atelier", "/suivi"):
        html = browser.c.get(url).text
        assert '<html lang="fr">' in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " on" not in re.sub(r"[^<]*(<[^>]*>)?", lambda m: m.group(1) or "", html).replace(" one", ""), url


def test_preview_has_its_own_strict_policy(browser) -> None:
    job = browser.post_file("/api/diagnose", SMALL, data={"documents": "pdf"}).json()["tache"]
    r = browser.c.get(f"/taches/{job}/apercu")
    csp = r.headers["content-security-policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    browser.wait(job)


# ------------------------------------------------------------------------------------------ size


def test_declared_oversized_body_gets_413(tmp_path) -> None:
    from toolkit.config import Config, Limits

    small = WebSettings(data_dir=tmp_path, workers=1, config=Config(limits=Limits(taille_fichier_mo=0.5)))
    with TestClient(create_app(small)) as c:
        body = b"x" * (2 * 1024 * 1024)
        r = c.post("/api/check", content=body, headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
        assert "trop volumineux" in r.json()["erreur"]


def _raw(url: str, head: bytes, body_chunks, read_after: int) -> tuple[bytes, int]:
    """Send `head` then chunks; read the answer once `read_after` chunks are out; return (answer, chunks sent)."""
    host, port = url.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=30)
    s.sendall(head)
    sent = 0
    for chunk in body_chunks:
        if sent == read_after:
            break
        try:
            s.sendall(chunk)
        except OSError:
            break
        sent += 1
    s.settimeout(30)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            part = s.recv(4096)
            if not part:
                break
            answer += part
    finally:
        s.close()
    return answer, sent


def test_real_server_answers_413_before_reading_a_declared_huge_body(live_server) -> None:
    head = (
        b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: 1073741824\r\n\r\n"
    )
    t = time.monotonic()
    answer, _sent = _raw(live_server.url, head, [b"z" * 65536], read_after=0)  # 1 GiB declared, nothing sent
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert time.monotonic() - t < 5


def test_real_server_cuts_a_streamed_body_at_the_limit(live_server) -> None:
    head = (
        b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    part = b'--b\r\nContent-Disposition: form-data; name="classeur"; filename="x.xlsx"\r\n\r\n'
    first = f"{len(part):x}\r\n".encode() + part + b"\r\n"
    chunk = b"10000\r\n" + b"z" * 0x10000 + b"\r\n"  # 64 KiB chunks of one file part, no declared length
    limit_chunks = (20 * 1024 * 1024 + 256 * 1024) // 0x10000 + 2
    answer, sent = _raw(
        live_server.url, head, (first if i == 0 else chunk for i in range(10 * limit_chunks)), read_after=limit_chunks
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert sent <= limit_chunks  # the answer came while 9/10 of the body was never sent


# ------------------------------------------------------------------------------------------ hostile content


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, listener):
    from adversarial.hostile import write_hostile

    return write_hostile(tmp_path_factory.mktemp("hostile-web") / "hostile.xlsx", listener[0])


def test_hostile_workbook_text_is_never_markup_in_pages(browser, hostile, listener) -> None:
    with open(hostile, "rb") as fh:
        r = browser.c.post("/verifier", data={"csrf": browser.csrf}, files={"classeur": ("<b>h</b>.xlsx", fh)})
    assert r.status_code == 200
    assert "<script>document" not in r.text and "<img src=" not in r.text and "<iframe" not in r.text
    job = browser.post_file("/api/diagnose", hostile).json()
    status = browser.wait(job["tache"])
    assert status["etat"] == "termine", status
    page = browser.c.get(f"/taches/{job['tache']}").text
    assert "<script>document" not in page and '<img src="http' not in page
    preview = browser.c.get(f"/taches/{job['tache']}/apercu").text
    assert "<script>document" not in preview and "&lt;script&gt;" in preview
    assert listener[1] == [], "a render fetched a URL"


def test_hostile_formulas_are_neutralised_in_downloads(browser, hostile) -> None:
    job = browser.post_file("/api/diagnose", hostile, data={"documents": "xlsx"}).json()["tache"]
    browser.wait(job)
    wb = openpyxl.load_workbook(io.BytesIO(browser.c.get(f"/api/jobs/{job}/xlsx").content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not any(t.startswith(("=", "@")) for t in texts)


# ------------------------------------------------------------------------------------------ access code


def test_access_code_gates_every_request(tmp_path) -> None:
    settings = WebSettings(data_dir=tmp_path, workers=1, code="salle-42-bleue")
    with TestClient(create_app(settings), follow_redirects=False) as c:
        r = c.get("/verifier")
        assert r.status_code == 303 and r.headers["location"] == "/acces?suite=/verifier"
        assert c.get("/api/qpv?q=carca").status_code == 401
        files = {"classeur": ("v.xlsx", (FIXTURES / "valide.xlsx").read_bytes())}
        assert c.post("/api/check", files=files).status_code == 401
        assert c.post("/api/check", files=files, headers={"X-Code-Acces": "mauvais"}).status_code == 401
        assert c.post("/api/check", files=files, headers={"X-Code-Acces": "salle-42-bleue"}).status_code == 200
        form = c.get("/acces")
        assert form.status_code == 200 and french_text("Code d'accès") in form.text
        import re

        token = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text).group(1)
        bad = c.post("/acces?suite=/verifier", data={"csrf": token, "code": "nope"})
        assert bad.status_code == 403 and "incorrect" in bad.text
        ok = c.post("/acces?suite=/verifier", data={"csrf": token, "code": "salle-42-bleue"})
        assert ok.status_code == 303 and ok.headers["location"] == "/verifier"
        assert c.get("/verifier").status_code == 200


def test_access_code_brute_force_is_slowed(tmp_path) -> None:
    settings = WebSettings(data_dir=tmp_path, workers=1, code="salle-42-bleue")
    with TestClient(create_app(settings)) as c:
        codes = [c.get("/api/qpv?q=a", headers={"X-Code-Acces": f"essai{i}"}).status_code for i in range(25)]
        assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
        # braked means braked: the right code gets 429 too (else 429 would only mean « wrong »), on every door
        right = c.get("/api/qpv?q=a", headers={"X-Code-Acces": "salle-42-bleue"})
        assert right.status_code == 429 and "patientez" in right.json()["erreur"]
        import re

        token = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/acces").text).group(1)
        form = c.post("/acces", data={"csrf": token, "code": "salle-42-bleue"})
        assert form.status_code == 429 and "pe_acces" not in form.headers.get("set-cookie", "")
