"""The live atelier over HTTP: join, vote, change, resend, isolation, reveal, rounds, close, paper sheets, purge,
restart, and 60 participants at once through the real server."""

from __future__ import annotations

import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import openpyxl
import pytest

import toolkit as pe
from toolkit.catalog import packaged_catalogue
from toolkit.typography import french_text
from toolkit.web import WebSettings, create_app
from toolkit.workshop.items import ballot_items
from toolkit.workshop.sheet import FIRST_ROW, NOTE_COL, OBJET_COL, write_sheet

from .conftest import SAMPLE, TestClient, start_server, stop_server

CAT = packaged_catalogue()  # what load_config gives without [catalogues]

CODE = "animateur-2026"


def csrf_in(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def make_app(folder: Path, secret: bytes | None = None, host: str = "0.0.0.0"):
    kw = {"secret": secret} if secret else {}
    return create_app(WebSettings(data_dir=folder, workers=1, code=CODE, host=host, port=8000, **kw))


class Trainer:
    def __init__(self, app) -> None:
        self.c = TestClient(app, follow_redirects=False)
        self.c.headers["x-code-acces"] = CODE
        self.csrf = csrf_in(self.c.get("/atelier").text)

    def open(self, workbook: Path = SAMPLE) -> str:
        r = self.c.post(
            "/atelier/direct", files={"classeur": (workbook.name, workbook.read_bytes())}, data={"csrf": self.csrf}
        )
        assert r.status_code == 303, r.text
        return r.headers["location"]

    def code(self, url: str) -> str:
        return re.search(french_text("Code :") + r" <strong>([A-Z0-9]+)</strong>", self.c.get(url).text).group(1)

    def action(self, url: str, action: str):
        return self.c.post(url + "/tour", data={"csrf": self.csrf, "action": action})

    def state(self, url: str) -> dict:
        return self.c.get(url + "/etat").json()


class Phone:
    """A participant's browser: its own cookies, no trainer access code."""

    def __init__(self, app, code: str, prenom: str = "") -> None:
        self.c = TestClient(app, follow_redirects=False)
        page = self.c.get(f"/rejoindre?code={code}")
        assert page.status_code == 200
        self.csrf = csrf_in(page.text)
        self.joined = self.c.post("/rejoindre", data={"code": code, "prenom": prenom, "csrf": self.csrf})
        self.page = self.c.get("/p").text if self.joined.status_code == 303 else ""

    @property
    def pseudonym(self) -> str:
        return re.search(r"Vous êtes <strong>(P\d\d)</strong>", self.page).group(1)

    @property
    def objets(self) -> list[str]:
        return re.findall(r'data-objet="([^"]+)"', self.page)

    def vote(self, objet: str, note: int | None, vid: str | None = None, t: float = 1.0):
        return self.c.post(
            "/p/note",
            json={"objet": objet, "note": note, "id": vid or secrets.token_hex(6), "t": t},
            headers={"x-csrf-token": self.csrf},
        )

    def mine(self) -> dict:
        return self.c.get("/p/etat").json()


@pytest.fixture()
def room(tmp_path):
    app = make_app(tmp_path)
    with TestClient(app):  # runs the lifespan (job pool) once for the module's clients
        trainer = Trainer(app)
        url = trainer.open()
        yield app, trainer, url, trainer.code(url)


def test_the_privacy_notice_is_shown_once_on_the_join_page_and_on_the_ballot(room) -> None:
    from toolkit.web.live_pages import PRIVACY

    app, _, _, code = room
    notice = french_text(PRIVACY)
    join = TestClient(app).get(f"/rejoindre?code={code}").text  # before joining: the page itself
    phone = Phone(app, code)
    assert join.count(notice) == 1 and "Vos données" in join
    assert phone.page.count(notice) == 1


def test_join_vote_change_and_idempotent_resend(room) -> None:
    app, trainer, url, code = room
    a, b = Phone(app, code, "Marie"), Phone(app, code)
    assert a.joined.headers["location"] == "/p"
    cookie = a.joined.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # P01…P08 are already in the sample's Votes sheet: the room continues with P09, P10
    assert (a.pseudonym, b.pseudonym) == ("P09", "P10") and "(bonjour Marie)" in a.page
    assert 'type="radio"' in a.page and '<label for="enjeu-1-1">' in a.page
    assert "sans adresse IP" in a.page  # the privacy notice
    first, second = a.objets[:2]
    assert a.vote(first, 3, "v1", 10).json() == {"etat": "enregistre", "objet": first, "note": 3}
    assert a.vote(first, 3, "v1", 10).json()["etat"] == "deja"  # lost answer, resent: nothing added
    assert a.vote(first, 5, "v2", 20).json()["note"] == 5  # changed
    assert a.vote(first, 3, "v1-late", 15).json() == {"etat": "perime", "objet": first, "note": 5}
    a.vote(second, 1, "v3", 30)
    assert a.mine()["notes"] == {first: 5, second: 1}
    p = trainer.state(url)["participation"]
    assert (p["inscrits"], p["votants"], p["notes"]) == (2, 1, 2)
    assert a.vote(first, 6).status_code == 422 and a.vote("INCONNU", 3).status_code == 404
    # the same phone scanning the QR code again keeps its pseudonym and notes (no second participant)
    again = a.c.post("/rejoindre", data={"code": code, "csrf": a.csrf})
    assert again.headers["location"] == "/p" and "set-cookie" not in again.headers
    assert trainer.state(url)["participation"]["inscrits"] == 2 and a.mine()["notes"] == {first: 5, second: 1}


def test_participants_are_isolated_and_reach_only_their_page(room) -> None:
    app, _trainer, url, code = room
    a, b = Phone(app, code), Phone(app, code)
    a.vote(a.objets[0], 4)
    assert b.mine()["notes"] == {}  # B sees only B's notes
    # no request field names a participant: B's vote lands on B only
    b.c.post(
        "/p/note",
        json={"objet": a.objets[0], "note": 1, "id": "x", "t": 5, "participant": a.pseudonym},
        headers={"x-csrf-token": b.csrf},
    )
    assert a.mine()["notes"] == {a.objets[0]: 4} and b.mine()["notes"] == {a.objets[0]: 1}
    # the same client id from another phone is that phone's own send, not a resend of A's
    a.vote(a.objets[1], 2, "meme-id", 7)
    assert b.vote(a.objets[1], 5, "meme-id", 7).json()["etat"] == "enregistre"
    assert a.mine()["notes"][a.objets[1]] == 2 and b.mine()["notes"][a.objets[1]] == 5
    # the join code opens neither the trainer's pages nor the other tools
    for path in (url, url + "/etat", url + "/ecran", "/atelier", "/diagnostic", "/"):
        r = b.c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/acces"), path
    assert b.c.post(url + "/tour", data={"csrf": b.csrf, "action": "reveler"}).status_code == 401
    # a forged participant cookie is nobody
    forged = TestClient(app, follow_redirects=False)
    forged.cookies.set("pe_participant", url.rsplit("/", 1)[1] + ".devine")
    assert forged.get("/p").headers["location"] == "/rejoindre"
    # another trainer (other session, same access code) cannot open this atelier
    other = Trainer(app)
    assert other.c.get(url).status_code == 404 and other.c.get(url + "/etat").status_code == 404
    # a wrong code is refused
    assert Phone(app, "ZZZZZZ").joined.status_code == 403


def test_results_hidden_until_revealed_then_same_statistics(room) -> None:
    app, trainer, url, code = room
    phones = [Phone(app, code) for _ in range(4)]
    objet, other = phones[0].objets[:2]
    for ph, n in zip(phones, (1, 2, 4, 5), strict=False):  # a split room: dissensus
        ph.vote(objet, n)
        ph.vote(other, 3)
    hidden = trainer.state(url)
    assert hidden["revele"] is False and "resultats" not in hidden
    trainer.action(url, "reveler")
    shown = trainer.state(url)["resultats"]
    row = next(i for i in shown["items"] if i["objet"] == objet)
    assert row["histogramme"] == [1, 1, 0, 1, 1] and row["mediane"] == 3.0
    assert row["eiq"] == pytest.approx(2.5) and row["dissensus"] is True
    calm = next(i for i in shown["items"] if i["objet"] == other)
    assert calm["eiq"] == 0 and calm["dissensus"] is False
    assert "au moins 25 % des notes à 2 ou moins et autant à 4 ou plus" in shown["regle_dissensus"]
    assert "interquartile" not in shown["regle_dissensus"]  # the room reads plain words
    assert {row["rang_borda"], calm["rang_borda"]} <= {1, 2}
    text = str(shown)
    assert not re.search(r"P\d\d", text)  # no names on the projector
    trainer.action(url, "masquer")
    assert "resultats" not in trainer.state(url)


def test_rounds_close_and_second_round_shows_movement(room) -> None:
    app, trainer, url, code = room
    a, b = Phone(app, code), Phone(app, code)
    objet = a.objets[0]
    a.vote(objet, 1, t=1)
    b.vote(objet, 5, t=1)
    trainer.action(url, "clore")
    refused = a.vote(objet, 3, t=2)
    assert refused.status_code == 409 and "clos" in refused.json()["erreur"]
    assert a.mine()["ouvert"] is False
    trainer.action(url, "second")
    assert a.mine()["notes"] == {objet: 1}  # starts from the participant's own first-round note
    a.vote(objet, 4, t=3)
    trainer.action(url, "reveler")
    row = next(i for i in trainer.state(url)["resultats"]["items"] if i["objet"] == objet)
    assert row["avant"]["mediane"] == 3.0 and row["mediane"] == 4.5
    assert row["avant"]["eiq"] == 2.0 and row["eiq"] == 0.5


def _paper_sheet(folder: Path, name: str, notes: dict[str, int]) -> Path:
    wb = pe.read(SAMPLE)
    path = write_sheet(folder / "notation-papier.xlsx", ballot_items(wb, CAT), "Carcassonne", name, protect=False)
    x = openpyxl.load_workbook(path)
    ws = x.active
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, OBJET_COL).value in notes:
            ws.cell(r, NOTE_COL, notes[ws.cell(r, OBJET_COL).value])
    x.save(path)
    return path


def test_close_writes_the_merged_workbook_with_paper_sheets_and_expires_the_code(room, tmp_path) -> None:
    app, trainer, url, code = room
    a, b = Phone(app, code, "Marie"), Phone(app, code)
    enjeu = a.objets[0]
    for ph, n in ((a, 4), (b, 2)):
        ph.vote(enjeu, n)
    paper = _paper_sheet(tmp_path, "Jeanne Dupont", {enjeu: 5})
    with paper.open("rb") as fh:
        r = trainer.c.post(url + "/papier", files={"notations": (paper.name, fh)}, data={"csrf": trainer.csrf})
    assert r.status_code == 303
    r = trainer.c.post(url + "/clore", data={"csrf": trainer.csrf})
    assert r.status_code == 303
    got = trainer.c.get(url + "/classeur")
    assert got.status_code == 200 and got.headers["content-disposition"].startswith("attachment")
    merged = tmp_path / "fusion.xlsx"
    merged.write_bytes(got.content)
    wb = pe.read(merged)
    before = len(pe.read(SAMPLE).votes)
    new = wb.votes[before:]
    assert sorted((v.participant, v.note) for v in new) == [("P09", 4), ("P10", 2), ("P11", 5)]
    names = {v.participant for v in wb.votes}
    assert "Marie" not in names and "Jeanne Dupont" not in names  # first names and paper names kept out
    diag = pe.diagnose(wb)
    vote = next(v for v in diag.votes if v.objet.upper() == enjeu.upper())
    assert vote.n >= 3
    # the join code expired with the atelier
    assert Phone(app, code).joined.status_code == 403
    assert a.vote(enjeu, 1).status_code == 401
    assert trainer.c.post(url + "/clore", data={"csrf": trainer.csrf}).status_code == 409


def test_first_names_only_when_the_trainer_asks(room, tmp_path) -> None:
    app, trainer, url, code = room
    a = Phone(app, code, "Marie")
    a.vote(a.objets[0], 3)
    trainer.c.post(url + "/clore", data={"csrf": trainer.csrf, "prenoms": "oui"})
    merged = tmp_path / "f.xlsx"
    merged.write_bytes(trainer.c.get(url + "/classeur").content)
    assert "Marie" in {v.participant for v in pe.read(merged).votes}


def test_purge_deletes_everything_in_one_click(room) -> None:
    app, trainer, url, code = room
    a = Phone(app, code)
    a.vote(a.objets[0], 2)
    journals = list(app.state.settings.data_dir.glob("sessions/*/ateliers/*/journal.json"))
    assert len(journals) == 1 and a.pseudonym in journals[0].read_text()
    r = trainer.c.post(url + "/purger", data={"csrf": trainer.csrf})
    assert r.status_code == 200 and "effacés" in r.text
    assert not journals[0].parent.exists()
    assert trainer.c.get(url).status_code == 404
    assert a.mine().get("termine") is True
    assert Phone(app, code).joined.status_code == 403


def test_journal_survives_a_restart_without_device_identity(tmp_path) -> None:
    secret = secrets.token_bytes(32)
    app = make_app(tmp_path, secret)
    with TestClient(app):
        trainer = Trainer(app)
        url = trainer.open()
        code = trainer.code(url)
        a = Phone(app, code)
        a.vote(a.objets[0], 4, "r1", 1)
        cookies = dict(trainer.c.cookies), dict(a.c.cookies)
    text = next(tmp_path.glob("sessions/*/ateliers/*/journal.json")).read_text()
    assert "127.0.0.1" not in text and "testclient" not in text.lower() and "user-agent" not in text.lower()
    again = make_app(tmp_path, secret)  # a new server process on the same folder and key
    with TestClient(again):
        t2 = TestClient(again, follow_redirects=False, cookies=cookies[0], headers={"x-code-acces": CODE})
        assert t2.get(url + "/etat").json()["participation"]["notes"] == 1
        p2 = TestClient(again, follow_redirects=False, cookies=cookies[1])
        assert p2.get("/p/etat").json()["notes"] == {a.objets[0]: 4}


def test_loopback_server_says_phones_cannot_reach_it(tmp_path) -> None:
    app = make_app(tmp_path, host="127.0.0.1")
    with TestClient(app):
        trainer = Trainer(app)
        url = trainer.open()
        page = trainer.c.get(url).text
        assert "les téléphones de la salle ne peuvent pas le joindre" in page
        assert "relancer ouvert au réseau de la salle" in page and "--host" not in page
        svg = trainer.c.get(url + "/qr.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_sixty_participants_at_once_through_the_real_server(tmp_path) -> None:
    """60 phones join and score every item at the same time, a third of them resending each note once."""
    server = start_server(tmp_path / "data", "--code", CODE)
    try:
        trainer = httpx.Client(base_url=server.url, timeout=60, headers={"x-code-acces": CODE})
        csrf = csrf_in(trainer.get("/atelier").text)
        trainer.headers["x-csrf-token"] = csrf
        r = trainer.post("/atelier/direct", files={"classeur": (SAMPLE.name, SAMPLE.read_bytes())})
        url = r.headers["location"]
        code = re.search(french_text("Code :") + r" <strong>([A-Z0-9]+)</strong>", trainer.get(url).text).group(1)
        start = threading.Barrier(60)

        def phone(k: int) -> tuple[str, dict]:
            c = httpx.Client(base_url=server.url, timeout=60)
            try:
                tok = csrf_in(c.get(f"/rejoindre?code={code}").text)
                c.post("/rejoindre", data={"code": code, "csrf": tok})
                objets = re.findall(r'data-objet="([^"]+)"', c.get("/p").text)
                start.wait()
                for j, objet in enumerate(objets):
                    body = {"objet": objet, "note": 1 + (k + j) % 5, "id": f"{k}-{j}", "t": j}
                    for _ in range(2 if k % 3 == 0 else 1):  # a resend after a lost answer
                        assert c.post("/p/note", json=body, headers={"x-csrf-token": tok}).status_code == 200
                return objets, c.get("/p/etat").json()["notes"]
            finally:
                c.close()

        with ThreadPoolExecutor(60) as pool:
            results = list(pool.map(phone, range(60)))
        objets = results[0][0]
        for k, (_, notes) in enumerate(results):
            assert notes == {o: 1 + (k + j) % 5 for j, o in enumerate(objets)}
        trainer.post(url + "/tour", data={"action": "reveler"})
        st = trainer.get(url + "/etat").json()
        assert st["participation"]["inscrits"] == 60 and st["participation"]["complets"] == 60
        assert st["participation"]["notes"] == 60 * len(objets)
        assert all(sum(i["histogramme"]) == 60 for i in st["resultats"]["items"])
        assert trainer.post(url + "/clore").status_code == 303
        merged = tmp_path / "fusion.xlsx"
        merged.write_bytes(trainer.get(url + "/classeur").content)
        new = pe.read(merged).votes[len(pe.read(SAMPLE).votes) :]
        assert len(new) == 60 * len(objets)
        assert len({(v.participant, v.objet) for v in new}) == len(new)
        trainer.close()
    finally:
        stop_server(server)
