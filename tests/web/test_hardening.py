"""Issue 25: the web page and the live atelier against a hostile network and real rooms — each test shows
what a user or an attacker gets (HTTP through the app, or a real `serve` on loopback with raw sockets)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from starlette.routing import Route

import toolkit as pe
from toolkit.web import WebSettings, create_app

from .conftest import FIXTURES, SAMPLE, TestClient, csrf_of, start_server, stop_server
from .test_atelier_live import Phone, Trainer, make_app

SMALL = FIXTURES / "valide.xlsx"


@pytest.fixture()
def room(tmp_path):
    app = make_app(tmp_path)
    with TestClient(app):
        trainer = Trainer(app)
        url = trainer.open()
        yield app, trainer, url, trainer.code(url)


# ------------------------------------------------------------------------------------------ 2 Host header


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/"), ("GET", "/api/qpv?q=carca"), ("GET", "/suivi"), ("POST", "/api/check"), ("POST", "/effacer")],
)
def test_a_dns_rebinding_page_gets_400_whatever_it_asks(tmp_path, method, url) -> None:
    # loopback server, no access code: the page of attacker.example, whose name now resolves to 127.0.0.1
    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    with TestClient(app) as c:
        r = c.request(method, url, headers={"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"})
        assert r.status_code == 400
        assert "Adresse inattendue" in r.text and "Traceback" not in r.text


def test_own_names_are_accepted(tmp_path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path, workers=1, host_names=("atelier.local",)))
    with TestClient(app) as c:
        for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "Atelier.Local:8000", "127.0.0.2"):
            assert c.get("/", headers={"Host": host}).status_code == 200, host
        for host in ("atelier.local.evil.example", "", "192.0.2.7", "localhost.evil.example"):
            assert c.get("/", headers={"Host": host}).status_code == 400, host


def test_the_bound_address_is_accepted(tmp_path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path, workers=1, host="192.0.2.10", code="salle-42-bleue"))
    with TestClient(app, follow_redirects=False) as c:
        assert c.get("/", headers={"Host": "192.0.2.10:8000"}).status_code == 303  # to the access form
        assert c.get("/", headers={"Host": "192.0.2.11:8000"}).status_code == 400


# ------------------------------------------------------------------------------------------ 9 CSRF, every route


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x0", path)


def test_every_unsafe_route_refuses_a_request_without_token(room) -> None:
    app, trainer, url, code = room
    phone = Phone(app, code)  # a participant cookie too: /p/note and /p must refuse without token as well
    unsafe = [
        (r.path, m)
        for r in app.routes
        if isinstance(r, Route)
        for m in (r.methods or ())
        if m in ("POST", "PUT", "PATCH", "DELETE")
    ]
    assert len(unsafe) >= 15 and ("/p/note", "POST") in unsafe
    atelier = url.rsplit("/", 1)[1]
    for path, method in unsafe:
        target = _fill(path.replace("{atelier_id:str}", atelier))
        open_to_phones = path in ("/rejoindre", "/p", "/acces") or path.startswith("/p/")
        for who in (trainer.c, phone.c):
            for body in ({"data": {"a": "1"}}, {"json": {"objet": "E1", "note": 3, "id": "x", "t": 1}}, {}):
                r = who.request(method, target, **body)
                if who is phone.c and not open_to_phones:
                    assert r.status_code == 401, (path, r.status_code)  # not even the access code
                    continue
                assert r.status_code == 403, (path, method, body, r.status_code)
                assert "jeton" in r.text
    # the token in the form's first field or in the header still passes
    assert phone.vote(phone.objets[0], 3).status_code == 200


# ------------------------------------------------------------------------------------------ 4 close vs notes


def test_no_acknowledged_note_is_lost_when_the_atelier_closes(room, tmp_path) -> None:
    app, trainer, url, code = room
    phones = [Phone(app, code) for _ in range(4)]
    kept: dict[tuple[str, str], int] = {}
    refused: list[int] = []
    stop = threading.Event()

    def vote_on(phone: Phone, k: int) -> None:
        i = 0
        while not stop.is_set():
            objet = phone.objets[i % len(phone.objets)]
            note = 1 + (i + k) % 5
            r = phone.vote(objet, note, t=float(i + 1))
            if r.status_code == 200 and r.json()["etat"] == "enregistre":
                kept[(phone.pseudonym, objet)] = note
            else:
                refused.append(r.status_code)
                if r.status_code in (401, 409, 410):
                    return
            i += 1

    threads = [threading.Thread(target=vote_on, args=(p, k)) for k, p in enumerate(phones)]
    for th in threads:
        th.start()
    while len(kept) < 20:
        time.sleep(0.01)
    closed = trainer.c.post(url + "/clore", data={"csrf": trainer.csrf})
    stop.set()
    for th in threads:
        th.join(30)
    assert closed.status_code == 303, closed.text
    merged = tmp_path / "ferme.xlsx"
    merged.write_bytes(trainer.c.get(url + "/classeur").content)
    written = {(v.participant, v.objet): v.note for v in pe.read(merged).votes}
    lost = {k: n for k, n in kept.items() if written.get(k) != n}
    assert not lost, f"{len(lost)} notes answered « enregistré » missing from the workbook: {list(lost)[:5]}"
    assert set(refused) <= {401, 409, 410}  # what came after the close was refused, visibly


# ------------------------------------------------------------------------------------------ 5 joins


def test_one_address_cannot_fill_the_room_and_the_trainer_removes_participants(room) -> None:
    from toolkit.web.live_pages import JoinBudget

    app, trainer, url, code = room
    JOIN_BURST = 10
    app.state.join_budget = JoinBudget(burst=JOIN_BURST, refill=3600)
    phone = Phone(app, code)
    statuses = []
    for _ in range(JOIN_BURST + 5):  # a script dropping its cookies between joins
        phone.c.cookies.delete("pe_participant")
        statuses.append(phone.c.post("/rejoindre", data={"csrf": phone.csrf, "code": code}).status_code)
    assert statuses.count(303) == JOIN_BURST - 1 and statuses[-1] == 429
    assert "Trop d'arrivées" in phone.c.post("/rejoindre", data={"csrf": phone.csrf, "code": code}).text.replace(
        "’", "'"
    )
    control = trainer.c.get(url).text
    assert control.count('name="pseudonyme"') == JOIN_BURST
    first = re.search(r'name="pseudonyme" value="(P\d+)"', control).group(1)
    r = trainer.c.post(url + "/retirer", data={"csrf": trainer.csrf, "pseudonyme": first})
    assert r.status_code == 303
    assert trainer.c.get(url).text.count('name="pseudonyme"') == JOIN_BURST - 1
    assert trainer.state(url)["participation"]["inscrits"] == JOIN_BURST - 1


# ------------------------------------------------------------------------------------------ 6 erase and purge


def test_erasing_my_files_stops_a_running_atelier(room) -> None:
    app, trainer, _url, code = room
    phone = Phone(app, code, "Marie")
    phone.vote(phone.objets[0], 4)
    folder = next(app.state.settings.data_dir.glob("sessions/*/ateliers/*"))
    r = trainer.c.post("/effacer", data={"csrf": trainer.csrf})
    assert r.status_code == 200 and "effacés" in r.text
    late = phone.vote(phone.objets[1], 2)
    assert late.status_code in (401, 410)
    assert not folder.exists()  # no journal written back with the first name
    assert not list(app.state.settings.data_dir.rglob("journal.json"))


def test_votes_keep_the_trainers_session_from_the_idle_purge(room) -> None:
    app, _trainer, _url, code = room
    phone = Phone(app, code)
    sessions = app.state.sessions
    session = next(p for p in sessions.root.iterdir() if (p / "ateliers").is_dir())
    old = time.time() - sessions.keep_seconds - 60
    os.utime(session, (old, old))  # the trainer's laptop has not asked anything for a long time…
    assert phone.vote(phone.objets[0], 3).status_code == 200  # …but the room votes
    assert session.name not in sessions.purge()
    assert phone.vote(phone.objets[1], 3).status_code == 200


# ------------------------------------------------------------------------------------------ 11 smaller ones


def test_revealing_closes_the_round(room) -> None:
    app, trainer, url, code = room
    phone = Phone(app, code)
    phone.vote(phone.objets[0], 2, t=1)
    trainer.action(url, "reveler")
    late = phone.vote(phone.objets[0], 5, t=2)
    assert late.status_code == 409
    row = next(i for i in trainer.state(url)["resultats"]["items"] if i["objet"] == phone.objets[0])
    assert row["histogramme"][1] == 1 and row["n"] == 1
    assert trainer.action(url, "rouvrir").status_code == 409  # what the room saw stays what was counted


@pytest.mark.parametrize(
    "body",
    [
        b'{"objet": "%s", "note": 3.9, "id": "a", "t": 1}',
        b'{"objet": "%s", "note": true, "id": "a", "t": 1}',
        b'{"objet": "%s", "note": "3", "id": "a", "t": 1}',
        b'{"objet": "%s", "note": 3, "id": "a", "t": NaN}',
        b'{"objet": "%s", "note": 3, "id": "a", "t": Infinity}',
        b'{"objet": "%s", "note": 3, "id": "a", "t": "1"}',
        b'{"objet": "%s", "note": 3, "id": 7, "t": 1}',
        b"[" * 100000 + b"]" * 100000,
        b"not json",
    ],
)
def test_vote_values_are_strict(room, body) -> None:
    app, _, _, code = room
    phone = Phone(app, code)
    if b"%s" in body:
        body = body.replace(b"%s", phone.objets[0].encode())
    r = phone.c.post("/p/note", content=body, headers={"x-csrf-token": phone.csrf, "content-type": "application/json"})
    assert r.status_code in (400, 413, 422), r.status_code
    assert "Traceback" not in r.text and r.json()["erreur"]
    assert phone.mine()["notes"] == {}


def test_participant_routes_take_small_bodies_only(room) -> None:
    app, _, _, code = room
    phone = Phone(app, code)
    big = b'{"objet": "E1", "note": 3, "id": "a", "t": 1, "x": "' + b"z" * (1024 * 1024) + b'"}'
    r = phone.c.post("/p/note", content=big, headers={"x-csrf-token": phone.csrf, "content-type": "application/json"})
    assert r.status_code == 413 and "Ko" in r.json()["erreur"]


def test_a_session_has_a_disk_quota(tmp_path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path, workers=1, session_quota_bytes=3 * SMALL.stat().st_size // 2))
    with TestClient(app) as c:
        from .conftest import Browser

        b = Browser(c)
        assert b.post_file("/api/check", SMALL).status_code == 200
        r = b.post_file("/api/check", SMALL)
        assert r.status_code == 507 and "Effacer mes fichiers" in r.json()["erreur"]
        assert c.post("/effacer", data={"csrf": b.csrf}).status_code == 200
        b = Browser(c)
        assert b.post_file("/api/check", SMALL).status_code == 200


def test_one_session_cannot_take_the_whole_job_queue(tmp_path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path, workers=1, jobs_per_session=1))
    with TestClient(app) as c:
        from .conftest import Browser

        greedy = Browser(c)
        pdf = {"documents": "pdf"}  # the queue is the point here, not the editable documents
        answers = [greedy.post_file("/api/diagnose", SMALL, data=pdf) for _ in range(3)]
        assert answers[-1].status_code == 429 and "Vous avez déjà" in answers[-1].json()["erreur"]
        other = Browser(TestClient(app))
        assert other.post_file("/api/diagnose", SMALL, data=pdf).status_code == 202  # the others keep their share
        for r in answers:
            if r.status_code == 202:
                greedy.wait(r.json()["tache"])


def test_cookieless_calls_share_one_session_per_address_and_an_address_its_share_of_the_queue() -> None:
    """Issue 25 audit § 2: every call without a cookie was a new session, so one script got 71 of 72 diagnoses
    queued. Now cookieless calls from one address share one session's 8 places; an address holds 24 jobs
    waiting or running, so a training room behind one NAT address (one job per person) still fits, and the
    other addresses keep the rest of the queue. Nothing runs here (no slot started): the places stay taken."""
    import asyncio

    from toolkit.web.jobs import ADDRESS_SHARE, JobRunner, OverShare

    runner = JobRunner(1, max_queued=64, per_session=8, per_address=24)
    runner._queue = asyncio.Queue()  # submit() only needs the queue

    def launch(sid: str, address: str, anonymous: bool = False) -> str:
        job = runner.new_job(sid, "diagnostic", Path("."), address=address, anonymous=anonymous)
        try:
            runner.submit(job, print)
        except OverShare as exc:
            assert job.state == "echec" and job.message == str(exc) and exc.status == 429
            return str(exc)
        return ""

    script = [launch(f"{i:032x}", "203.0.113.9", anonymous=True) for i in range(72)]
    assert script.count("") == 8 and all("sans cookie de session" in m for m in script[8:])
    room = [launch(f"{100 + i:032x}", "198.51.100.5") for i in range(24)]  # 24 people, one diagnosis each
    assert room == [""] * 24
    assert launch(f"{200:032x}", "198.51.100.5") == ADDRESS_SHARE.format(24)  # the 25th waits a minute
    assert launch(f"{100:032x}", "203.0.113.9") == ""  # the script's address, with a cookie: its own session
    kept = [launch(f"{300:032x}", "192.0.2.44") for _ in range(10)]  # one script keeping its cookie
    assert kept.count("") == 8 and "Vous avez déjà 8 travaux" in kept[-1]
    assert launch(f"{301:032x}", "192.0.2.45", anonymous=True) == ""  # another address: its own share
    assert runner._queue.qsize() == 8 + 24 + 1 + 8 + 1  # 42 of the 64 places: the others still get in


def test_a_cookieless_script_gets_a_french_429_and_a_browser_of_its_network_still_gets_in(tmp_path) -> None:
    from toolkit.web.jobs import Job

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    with TestClient(app, client=("203.0.113.9", 40000)) as c:
        from .conftest import Browser

        runner = app.state.jobs
        for i in range(8):  # eight cookieless diagnoses of this address already waiting
            runner.jobs[f"x{i}"] = Job(
                f"x{i}", f"{i:032x}", "diagnostic", tmp_path, address="203.0.113.9", anonymous=True
            )
        with open(SMALL, "rb") as fh:
            r = c.post("/api/diagnose", files={"classeur": (SMALL.name, fh)}, data={"documents": "xlsx"})
        assert r.status_code == 429, r.text
        assert "sans cookie de session" in r.json()["erreur"] and "curl -c jar -b jar" in r.json()["erreur"]
        assert r.json()["verification"]["utilisable"]  # the check's answer still comes with the refusal
        browser = Browser(TestClient(app, client=("203.0.113.9", 40001)))  # a person on the same network
        ok = browser.post_file("/api/diagnose", SMALL, data={"documents": "xlsx"})
        assert ok.status_code == 202, ok.text
        for i in range(8, 23):  # the network's 24 places taken (8 + 15 + the browser's)
            runner.jobs[f"x{i}"] = Job(f"x{i}", f"{i:032x}", "diagnostic", tmp_path, address="203.0.113.9")
        with open(SMALL, "rb") as fh:
            page = browser.c.post("/diagnostic", files={"classeur": (SMALL.name, fh)}, data={"csrf": browser.csrf})
        assert page.status_code == 429 and "Votre réseau a déjà 24\u00a0travaux" in page.text
        elsewhere = Browser(TestClient(app, client=("192.0.2.44", 40002)))
        assert elsewhere.post_file("/api/diagnose", SMALL, data={"documents": "xlsx"}).status_code == 202
        browser.wait(ok.json()["tache"])


def test_a_data_folder_owned_by_another_user_is_refused(tmp_path) -> None:
    from toolkit.web.app import DataFolderError

    theirs = tmp_path / "autre"
    theirs.mkdir(mode=0o700)
    open_to_all = tmp_path / "ouvert"
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    with pytest.raises(DataFolderError, match="modifiable par d'autres"):
        create_app(WebSettings(data_dir=open_to_all, workers=1))
    if os.getuid() == 0:  # only root can give a folder away; otherwise the world-writable case above stands
        os.chown(theirs, 65534, 65534)
        with pytest.raises(DataFolderError, match="appartient à un autre utilisateur"):
            create_app(WebSettings(data_dir=theirs, workers=1))
        out = subprocess.run(
            [sys.executable, "-m", "toolkit", "serve", "--dossier", str(theirs)], capture_output=True, text=True
        )
        assert out.returncode == 2 and "autre utilisateur" in out.stderr and "Traceback" not in out.stderr
        assert not (theirs / "cle-secrete").exists()


def test_private_outputs_are_0600(tmp_path, room) -> None:
    from toolkit.suivi.backup import backup
    from toolkit.suivi.store import open_base

    app, _, _, code = room
    Phone(app, code)  # joining writes the journal (pseudonym, optional first name)
    journal = next(app.state.settings.data_dir.glob("sessions/*/ateliers/*/journal.json"))
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    base = tmp_path / "suivi.sqlite"
    open_base(base).close()
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    copy = backup(str(base), tmp_path / "copie.sqlite")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------ 8 special files


def test_no_writing_command_replaces_a_device_or_a_pipe(tmp_path) -> None:
    from toolkit.io.output import OutputError, atomic_write_text

    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    targets = [fifo]
    if os.getuid() == 0:  # a device node of our own, never the machine's /dev/null
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(dev)
    for target in targets:
        kind = stat.S_IFMT(target.stat().st_mode)
        with pytest.raises(OutputError, match="pas un fichier ordinaire"):
            atomic_write_text(target, "x")
        with pytest.raises(OutputError):
            pe.render_html(pe.diagnose(pe.read(SMALL)), target)
        out = subprocess.run(
            [sys.executable, "-m", "toolkit", "diagnose", str(SMALL), "-o", str(target), "--force"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert out.returncode == 2 and "pas un fichier ordinaire" in out.stderr, out.stderr[-500:]
        assert stat.S_IFMT(target.stat().st_mode) == kind  # still a pipe, still a device


# ------------------------------------------------------------------------------------------ real server


def _children(pid: int) -> set[int]:
    """Every descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _render_processes(pid: int) -> list[int]:
    """The server's render processes: spawned by multiprocessing (checks come from its fork server instead)."""
    out = []
    for k in _children(pid):
        try:
            cmdline = Path(f"/proc/{k}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            out.append(k)
    return out


def test_opening_a_render_form_starts_the_render_processes(tmp_path) -> None:
    """The first PDF does not pay the render stack's imports: opening the diagnostic form starts the render
    processes, while a server only used for the home page, the follow-up or a check starts none."""
    import httpx2 as httpx

    from toolkit.web.settings import default_workers

    server = start_server(tmp_path / "donnees")
    try:
        with httpx.Client(base_url=server.url) as c:
            assert c.get("/").status_code == 200
            token = csrf_of(c.get("/").text)
            with SMALL.open("rb") as fh:
                assert c.post("/api/check", files={"classeur": fh}, headers={"X-CSRF-Token": token}).status_code == 200
            time.sleep(1)
            assert _render_processes(server.proc.pid) == []
            assert c.get("/diagnostic").status_code == 200
            end = time.monotonic() + 30
            while len(_render_processes(server.proc.pid)) < default_workers() and time.monotonic() < end:
                time.sleep(0.2)
            assert len(_render_processes(server.proc.pid)) == default_workers()
    finally:
        stop_server(server)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_render_and_check_processes_end_with_the_server(tmp_path, sig) -> None:
    server = start_server(tmp_path / "donnees")
    try:
        import httpx2 as httpx

        with httpx.Client(base_url=server.url) as c:
            token = csrf_of(c.get("/").text)
            with SMALL.open("rb") as fh:
                assert c.post("/api/check", files={"classeur": fh}, headers={"X-CSRF-Token": token}).status_code == 200
        end = time.monotonic() + 30
        while len(_children(server.proc.pid)) < 2 and time.monotonic() < end:
            time.sleep(0.2)
        kids = _children(server.proc.pid)
        assert kids, "no render process started"
        os.kill(server.proc.pid, sig)
        server.proc.wait(30)
        end = time.monotonic() + 15
        while any(_alive(k) for k in kids) and time.monotonic() < end:
            time.sleep(0.2)
        assert not [k for k in kids if _alive(k)], "processes left behind by the server"
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)


def test_idle_half_requests_are_closed_and_do_not_starve_the_room(tmp_path) -> None:
    from toolkit.web.server import HEADER_SECONDS

    server = start_server(tmp_path / "donnees")
    host, port = server.url.removeprefix("http://").split(":")
    idle = []
    try:
        for _ in range(100):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: ")  # half a request, then silence
            idle.append(s)
        silent = socket.create_connection((host, int(port)), timeout=5)  # nothing at all
        idle.append(silent)
        import httpx2 as httpx

        assert httpx.get(server.url + "/", timeout=5).status_code == 200  # the room is still served
        t0 = time.monotonic()
        for s in (idle[0], silent):
            s.settimeout(HEADER_SECONDS + 10)
            assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - t0 < 20
    finally:
        for s in idle:
            s.close()
        server.proc.send_signal(signal.SIGINT)
        _, err = server.proc.communicate(timeout=30)
    assert "Traceback" not in err, err[-2000:]


def _status_from(host: str, port: int, source: str) -> bytes:
    """The status line a plain GET / gets when sent from the loopback address `source`."""
    with socket.create_connection((host, port), timeout=10, source_address=(source, 0)) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return s.recv(64).split(b"\r\n")[0]


def test_one_address_cannot_take_every_connection_from_the_others(tmp_path) -> None:
    """Issue 25 § 3 (audit): 520 idle sockets from one machine made every other client's request a 503. One
    address now holds at most CONNECTIONS_PER_ADDRESS connections; another address is still served."""
    from toolkit.web.server import CONNECTIONS_PER_ADDRESS, LIMIT_CONCURRENCY

    assert 200 <= CONNECTIONS_PER_ADDRESS < LIMIT_CONCURRENCY // 2 + 1  # a NAT-ed room fits, half is left
    server = start_server(tmp_path / "donnees")
    host, port = server.url.removeprefix("http://").split(":")
    flood = []
    try:
        for _ in range(LIMIT_CONCURRENCY + 20):
            try:
                flood.append(socket.create_connection((host, int(port)), timeout=5, source_address=("127.0.0.2", 0)))
            except OSError:
                break
        time.sleep(0.5)
        still_open = 0
        for s in flood:
            s.setblocking(False)
            try:
                still_open += s.recv(1) != b""
            except BlockingIOError:
                still_open += 1  # nothing to read: open, waiting for its request
        assert still_open <= CONNECTIONS_PER_ADDRESS
        assert _status_from(host, int(port), "127.0.0.3") == b"HTTP/1.1 200 OK"  # someone else is served
    finally:
        for s in flood:
            s.close()
        server.proc.send_signal(signal.SIGINT)
        _, err = server.proc.communicate(timeout=30)
    assert "Traceback" not in err, err[-2000:]


def test_a_client_leaving_mid_upload_logs_no_traceback(tmp_path) -> None:
    server = start_server(tmp_path / "donnees")
    host, port = server.url.removeprefix("http://").split(":")
    for _ in range(3):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(
            b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b'Content-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name="classeur"; '
            b'filename="x.xlsx"\r\n\r\nPK'
        )
        time.sleep(0.2)
        s.close()
    import httpx2 as httpx

    assert httpx.get(server.url + "/", timeout=5).status_code == 200
    server.proc.send_signal(signal.SIGINT)
    _, err = server.proc.communicate(timeout=30)
    assert "Traceback" not in err and "ClientDisconnect" not in err, err[-2000:]


def test_deep_json_gets_a_french_answer_without_traceback(room) -> None:
    app, _, _, code = room
    phone = Phone(app, code)
    r = phone.c.post(
        "/p/note",
        content=b"[" * 7000 + b"]" * 7000,  # under the body limit, deeper than the parser goes
        headers={"x-csrf-token": phone.csrf, "content-type": "application/json"},
    )
    assert r.status_code == 400 and "illisible" in r.json()["erreur"]
    assert json.dumps(r.json()).count("Traceback") == 0


# ------------------------------------------------------------------------------------------ 7 memory of checks


def _hwm_mb(pid: int) -> int:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM"))
    return int(line.split()[1]) // 1024


def test_checks_run_outside_the_server_and_give_their_memory_back(tmp_path) -> None:
    """A valid workbook with an annex sheet of 3,000 × 150 numbers (1.7 MB) peaks at ~70 MB to check in one
    process (2.9 MB: 114 MB, measured when this test was written); two checks at once leave the server's
    own peak memory where it was: they run in child processes that end with their check."""
    import importlib.util
    from concurrent.futures import ThreadPoolExecutor

    import httpx2 as httpx
    from openpyxl import load_workbook

    spec = importlib.util.spec_from_file_location("bf", FIXTURES / "build_fixtures.py")
    b = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(b)
    big = b.write(tmp_path / "gros.xlsx", b.base())
    wb = load_workbook(big)
    ws = wb.create_sheet("Annexe")
    for r in range(3000):
        ws.append([r * 1.5 + c for c in range(150)])
    wb.save(big)
    server = start_server(tmp_path / "donnees")
    try:
        with httpx.Client(base_url=server.url) as c:
            c.get("/")
            before = _hwm_mb(server.proc.pid)

            def check(_):
                return httpx.post(
                    server.url + "/api/check", files={"classeur": ("gros.xlsx", big.read_bytes())}, timeout=120
                )

            with ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(check, range(2)))
            assert all(r.status_code == 200 and r.json()["utilisable"] for r in answers), answers[0].text[:300]
            grown = _hwm_mb(server.proc.pid) - before
            assert grown < 30, f"the server's peak memory grew by {grown} MB"
            assert c.get("/").status_code == 200
    finally:
        stop_server(server)


# ------------------------------------------------------------------------------------------ 18 limits, numbers


def test_a_pasted_list_of_local_actions_counts_against_the_limit_on_every_door(tmp_path) -> None:
    """3,000 action rows with an intitulé and no code: refused by the check the web page, the API and the
    command all use, with French thousands separators in the message."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bf", FIXTURES / "build_fixtures.py")
    b = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(b)
    sheets = b.base()
    titles, header, rows = sheets["Actions"]
    pasted = [["", f"Action locale n° {i}", *[""] * (len(header) - 2)] for i in range(3000)]
    sheets["Actions"] = (titles, header, rows + pasted)
    path = b.write(tmp_path / "colle.xlsx", sheets)
    kept = sum(1 for r in rows if not str(r[0]).startswith("#"))
    n = f"{3000 + kept:,}".replace(",", "\u202f")
    report = pe.check(path)
    assert not report.ok and [i.code for i in report.errors] == ["trop-d-actions"]
    assert f"{n} lignes" in report.errors[0].text and "500" in report.errors[0].text
    app = create_app(WebSettings(data_dir=tmp_path / "web", workers=1))
    with TestClient(app) as c:
        from .conftest import Browser

        page = c.post(
            "/verifier", data={"csrf": Browser(c).csrf}, files={"classeur": ("colle.xlsx", path.read_bytes())}
        )
        assert f"{n}\u00a0lignes" in page.text.replace("&#8239;", "\u202f")  # the page holds the count to its word
    out = subprocess.run([sys.executable, "-m", "toolkit", "check", str(path)], capture_output=True, text=True)
    assert out.returncode == 1 and "lignes" in out.stdout + out.stderr


def test_numbers_on_the_page_have_french_thousands_separators(tmp_path) -> None:
    from toolkit.web.service import summary_line

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    with TestClient(app):
        payload = {
            "qualite_donnees": {"erreurs": [], "avertissements": [], "lignes_lues": 3019, "lignes_utilisees": 3019},
            "lisible": True,
            "utilisable": True,
            "fichier": "x.xlsx",
        }
        html = app.state.templates.get_template("_resultat.html").render(resultat=payload, groupes=[])
        assert "3\u202f019 lignes lues, 3\u202f019 utilisées" in html
    diag = pe.diagnose(pe.read(SAMPLE))
    many = type(
        "D",
        (),
        {
            "actions": [type("A", (), {"priorite": 1})()] * 1022,
            "vigilance": [],
            "enjeux": diag.enjeux,
            "territoire": diag.territoire,
        },
    )()
    assert "dont 1\u202f022 de priorité 1" in summary_line(many)


# ------------------------------------------------------------------------------------------ 14 no command words


_COMMAND_WORDS = re.compile(
    r"pilier-eco (?:template|serve|check|diagnose|atelier|suivi|observatoire)|--[a-z]|\[limites\]|\[suivi\]|atelier merge"
)


def test_pages_and_messages_have_no_command_or_configuration_words(room, tmp_path) -> None:
    """What a person reads on the pages (and the check's advice) names the page's buttons, not a terminal."""
    from .conftest import shown_text

    app, trainer, url, code = room
    c = trainer.c
    pages = [
        c.get(u).text
        for u in (
            "/",
            "/modele",
            "/verifier",
            "/diagnostic",
            "/comparer",
            "/atelier",
            "/suivi",
            "/observatoire",  # a server started without a follow-up base
            url,
            url + "/ecran",
        )
    ]
    pages.append(Phone(app, code).page)
    r = c.post("/verifier", data={"csrf": trainer.csrf}, files={"classeur": ("vieux.csv", b"a;b\n1;2\n")})
    pages.append(r.text)
    api = c.post("/api/check", files={"classeur": ("vieux.csv", b"a;b\n1;2\n")}, headers={"x-csrf-token": trainer.csrf})
    pages.append(json.dumps(api.json(), ensure_ascii=False))
    for text in pages:
        shown = shown_text(text) if text.lstrip().startswith("<") else text
        assert not _COMMAND_WORDS.search(shown), _COMMAND_WORDS.search(shown).group(0) + " in " + shown[:200]
    assert "page Modèle" in pages[-1]


# ------------------------------------------------------------------------------------------ 13 a way forward


def test_a_usable_check_offers_to_launch_the_diagnostic_on_the_same_file(tmp_path) -> None:
    from .conftest import Browser

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    with TestClient(app, follow_redirects=False) as c:
        b = Browser(c)
        page = c.post("/verifier", data={"csrf": b.csrf}, files={"classeur": ("valide.xlsx", SMALL.read_bytes())})
        depot = re.search(r'name="depot" value="([0-9a-f]+)"', page.text).group(1)
        assert "Lancer le diagnostic" in page.text
        api = b.post_file("/api/check", SMALL).json()
        assert re.fullmatch(r"[0-9a-f]{16}", api["depot"])
        go = c.post("/diagnostic", data={"csrf": b.csrf, "depot": depot})
        assert go.status_code == 303 and go.headers["location"].startswith("/taches/")
        other = Browser(TestClient(app, follow_redirects=False))  # another session cannot name my file
        refused = other.c.post("/diagnostic", data={"csrf": other.csrf, "depot": depot})
        assert refused.status_code == 404 and "déposez-le de nouveau" in refused.text.replace("\u2011", "-")
        for bad in ("../../x", "0" * 16):
            assert c.post("/diagnostic", data={"csrf": b.csrf, "depot": bad}).status_code in (400, 404)
        bad_check = c.post(
            "/verifier",
            data={"csrf": b.csrf},
            files={"classeur": ("h.xlsx", (FIXTURES / "hors_echelle.xlsx").read_bytes())},
        )
        assert 'name="depot"' not in bad_check.text
        b.wait(go.headers["location"].rsplit("/", 1)[1])


# ------------------------------------------------------------------------------------------ 17 room screen


def test_a_read_only_room_screen_link_works_on_another_device(room) -> None:
    app, trainer, url, code = room
    control = trainer.c.get(url).text
    link = re.search(r'href="(http://[^"]+/salle/[^"]+)" target="_blank"', control).group(1)
    path = link.split(":8000", 1)[1]
    projector = TestClient(app, follow_redirects=False)  # another computer: no session, no trainer code
    page = projector.get(path)
    assert page.status_code == 200 and code in page.text
    assert "/tour" not in page.text and "Retour au pilotage" not in page.text  # read-only: no button
    assert projector.get(path + "/etat").json()["participation"]["inscrits"] == 0
    assert projector.get(path + "/qr.svg").headers["content-type"].startswith("image/svg+xml")
    assert projector.get(url + "/ecran").status_code in (303, 401, 404)  # the trainer's pages stay closed
    assert projector.get("/salle/autre-chose").status_code == 404
    trainer.c.post(url + "/purger", data={"csrf": trainer.csrf})
    assert projector.get(path + "/etat").status_code == 404  # erased: the screen drops its code and QR code


# ------------------------------------------------------------------------------------------ 16 scripts


def test_a_script_following_the_docs_reuses_its_cookie_jar(live_server) -> None:
    """docs/web.md, « L'API JSON »: one cookie jar, the session's token from /api/session, two POSTs, the list."""
    import httpx2 as httpx

    with httpx.Client(base_url=live_server.url, timeout=60) as jar:
        token = jar.get("/api/session").json()["jeton"]
        ids = []
        for _ in range(2):  # the second POST used to get 403 with the jar of the first
            with SMALL.open("rb") as fh:
                r = jar.post("/api/diagnose", files={"classeur": fh}, headers={"X-CSRF-Token": token})
            assert r.status_code == 202, r.text
            ids.append(r.json()["tache"])
        listed = jar.get("/api/jobs").json()["taches"]
        assert [t["id"] for t in listed] == ids[::-1] and all(t["etat_url"] for t in listed)
        with SMALL.open("rb") as fh:  # without the token, the jar is refused: it is a session like a browser
            assert jar.post("/api/diagnose", files={"classeur": fh}).status_code == 403
    with httpx.Client(base_url=live_server.url) as other:
        assert other.get("/api/jobs").json()["taches"] == []  # another session sees none of them


# ------------------------------------------------------------------------------------------ 17 paper sheets


def test_a_paper_sheet_is_checked_when_added_and_can_be_removed(room, tmp_path) -> None:
    from .test_atelier_live import _paper_sheet

    app, trainer, url, code = room
    phone = Phone(app, code)
    enjeu = phone.objets[0]
    phone.vote(enjeu, 3)

    def add(path: Path):
        with path.open("rb") as fh:
            return trainer.c.post(url + "/papier", files={"notations": (path.name, fh)}, data={"csrf": trainer.csrf})

    (tmp_path / "bad").mkdir()
    bad = _paper_sheet(tmp_path / "bad", "Jeanne Dupont", {enjeu: 7})
    refused = add(bad)
    assert refused.status_code == 422 and "refusée" in refused.text and "Notation!" in refused.text
    (tmp_path / "good").mkdir()
    good = _paper_sheet(tmp_path / "good", "Paul Martin", {enjeu: 5})
    assert add(good).status_code == 303
    page = trainer.c.get(url).text
    assert page.count('name="feuille"') == 1
    assert trainer.c.post(url + "/papier/retirer", data={"csrf": trainer.csrf, "feuille": "0"}).status_code == 303
    assert 'name="feuille"' not in trainer.c.get(url).text
    assert (
        trainer.c.post(url + "/clore", data={"csrf": trainer.csrf}).status_code == 303
    )  # the bad sheet blocks nothing
    merged = tmp_path / "m.xlsx"
    merged.write_bytes(trainer.c.get(url + "/classeur").content)
    before = len(pe.read(SAMPLE).votes)
    assert [(v.participant, v.note) for v in pe.read(merged).votes[before:]] == [(phone.pseudonym, 3)]


# ------------------------------------------------------------------------------------------ 12 INSEE 2024 file


def test_a_2024_quartier_is_prefilled_from_the_insee_file_dropped_on_the_page(tmp_path) -> None:
    from .conftest import Browser

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    insee = "CODGEO;LIBGEO;LIB_COM;P20_POP;DISP_TP6021;DISP_MED21\nQN01101M;Quartier de test;Carcassonne;2 345;41,5;12 480\n"
    with TestClient(app, follow_redirects=False) as c:
        b = Browser(c)
        page = c.get("/modele").text.replace("\u00a0", " ")  # (a count held to its word by a no-break space)
        assert "2015" in page and "Occitanie" in page and "105 quartiers" in page  # says plainly what is packaged
        asked = c.get("/modele.xlsx?qpv=QN01101M")  # a 2024 code without the file: no terminal, a way on the page
        assert asked.status_code == 400 and "déposez ci-dessous le fichier INSEE" in asked.text
        assert 'value="QN01101M"' in asked.text and "pilier-eco template" not in asked.text
        r = c.post(
            "/modele.xlsx",
            data={"csrf": b.csrf, "qpv": "QN01101M"},
            files={"donnees": ("donnees_qpv_2024.csv", insee.encode("utf-8"))},
        )
        assert r.status_code == 200, r.text[:500]
        assert (
            r.headers["content-disposition"].startswith("attachment") and "qn01101m" in r.headers["content-disposition"]
        )
        out = tmp_path / "qn.xlsx"
        out.write_bytes(r.content)
        import openpyxl

        values = list(openpyxl.load_workbook(out)["Indicateurs"].iter_rows(values_only=True))
        assert any(41.5 in row for row in values), "the poverty rate of the dropped file is in the workbook"
        bad = c.post(
            "/modele.xlsx", data={"csrf": b.csrf, "qpv": "QN01101M"}, files={"donnees": ("x.csv", b"a;b\n1;2\n")}
        )
        assert bad.status_code in (400, 422) and "--donnees" not in bad.text


# ------------------------------------------------------------------------------------------ 16 compare


def test_compare_one_file_gets_the_form_and_results_are_named_after_the_territories(tmp_path, workbooks) -> None:
    from .conftest import Browser

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))
    with TestClient(app, follow_redirects=False) as c:
        b = Browser(c)
        one = c.post("/comparer", data={"csrf": b.csrf}, files=[("classeurs", ("a.xlsx", workbooks[0].read_bytes()))])
        assert one.status_code == 400 and "Un seul classeur reçu" in one.text and 'action="/comparer"' in one.text
        two = c.post(
            "/comparer",
            data={"csrf": b.csrf},
            files=[
                ("classeurs", ("t1-2025.xlsx", workbooks[0].read_bytes())),
                ("classeurs", ("t1-2026.xlsx", workbooks[0].read_bytes())),  # one territory, two files
            ],
        )
        assert two.status_code == 303
        job = two.headers["location"].rsplit("/", 1)[1]
        status = b.wait(job)
        names = {d["type"]: d["nom"] for d in status["telechargements"]}
        assert names["pdf"].startswith("comparaison-territoire") and names["pdf"].endswith(".pdf")
        preview = c.get(f"/taches/{job}/apercu").text
        assert "t1-2025.xlsx" in preview and "t1-2026.xlsx" in preview  # told apart by file (and date)


def test_a_scale_column_says_its_range_not_an_example_decimal(tmp_path) -> None:
    """§ 13: « fort » typed in Impact attendu (1-5) is answered with the scale, not « un nombre, par ex. 12,5 »."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bf", FIXTURES / "build_fixtures.py")
    b = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(b)
    path = b.write(tmp_path / "mot.xlsx", b.set_cell(b.base(), "Actions", 1, 4, "fort"))
    (issue,) = [i for i in pe.check(path).errors if i.code == "nombre-illisible"]
    assert "une note entière de 1 à 5" in issue.text and "12,5" not in issue.text


def test_phone_and_paper_use_the_same_scale_words(room) -> None:
    """§ 17: the words of the kit's cards and facilitator sheet (templates/cartes.html, animateur.html)."""
    from toolkit.resources import templates_dir

    app, _, _, code = room
    ballot = Phone(app, code).page
    cards = (templates_dir() / "cartes.html").read_text(encoding="utf-8")
    for words in ("pas prioritaire", "tout à fait prioritaire"):
        assert words in cards and words in ballot
    assert "peu important" not in ballot


def test_an_unexpected_failure_is_a_french_page_without_traceback(tmp_path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path, workers=1))

    async def boom(request):
        raise RuntimeError("secret interne /etc/passwd")

    app.router.routes.append(Route("/boum", boom))
    with TestClient(app, raise_server_exceptions=False) as c:
        page = c.get("/boum")
        assert page.status_code == 500 and "Erreur interne" in page.text and '<html lang="fr">' in page.text
        api = c.get("/boum", headers={"accept": "application/json"})
        assert api.status_code == 500 and "Erreur interne" in api.json()["erreur"]
        for r in (page, api):
            assert "Traceback" not in r.text and "RuntimeError" not in r.text and "/etc/passwd" not in r.text


def test_a_kit_sheet_p09_is_never_merged_into_the_phone_p09(room, tmp_path) -> None:
    """§ 17: the kit's pre-named paper sheet P09 and the phone that joined as P09 are two people."""
    from .test_atelier_live import _paper_sheet

    app, trainer, url, code = room
    phone = Phone(app, code)
    assert phone.pseudonym == "P09"  # P01…P08 are in the sample's Votes sheet
    enjeu = phone.objets[0]
    phone.vote(enjeu, 2)
    paper = _paper_sheet(tmp_path, "P09", {enjeu: 5})  # the kit's sheet for P09, filled by hand
    with paper.open("rb") as fh:
        assert (
            trainer.c.post(
                url + "/papier", files={"notations": (paper.name, fh)}, data={"csrf": trainer.csrf}
            ).status_code
            == 303
        )
    assert "Vous êtes <strong>P10</strong>" in phone.c.get("/p").text  # the phone moved aside, its note kept
    later = Phone(app, code)
    assert later.pseudonym == "P11"  # nobody joining later takes the paper's P09
    assert trainer.c.post(url + "/clore", data={"csrf": trainer.csrf}).status_code == 303
    merged = tmp_path / "m.xlsx"
    merged.write_bytes(trainer.c.get(url + "/classeur").content)
    before = len(pe.read(SAMPLE).votes)
    assert sorted((v.participant, v.note) for v in pe.read(merged).votes[before:]) == [("P09", 5), ("P10", 2)]


# ------------------------------------------------------------------------------------------ issue 25 audit


def test_a_time_of_four_hundred_digits_is_refused_like_any_bad_value(room) -> None:
    app, _, _, code = room
    phone = Phone(app, code)
    objet = phone.objets[0]
    for t in (int("1" + "0" * 400), -int("1" + "0" * 400), 1e308, time.time() * 1000 + 2 * 3600 * 1000):
        r = phone.vote(objet, 4, t=t)
        assert r.status_code == 422, (t, r.text)
        assert r.json()["notes"] == {}
    assert phone.vote(objet, 4, t=time.time() * 1000 + 60_000).json()["etat"] == "enregistre"  # a minute ahead


def test_an_unexpected_failure_logs_one_line_and_never_a_traceback(tmp_path, caplog) -> None:
    from toolkit.web.server import OneLineErrors

    app = create_app(WebSettings(data_dir=tmp_path, workers=1))

    async def boom(request):
        raise OverflowError("int too large to convert to float")

    app.router.routes.append(Route("/boum", boom))
    with caplog.at_level("ERROR"), TestClient(OneLineErrors(app)) as c:  # would raise what the app lets through
        r = c.get("/boum", headers={"accept": "application/json"})
    assert r.status_code == 500 and "Erreur interne" in r.json()["erreur"]
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "pilier_eco.web"]
    assert lines == ["GET /boum : OverflowError : int too large to convert to float"]
    assert all(rec.exc_info is None for rec in caplog.records)


def test_the_ballot_form_counts_only_the_notes_really_recorded(room) -> None:
    app, _, _, code = room
    phone = Phone(app, code)
    objet = phone.objets[0]
    csrf = csrf_of(phone.page)
    far = phone.c.post("/p", data={"csrf": csrf, f"note-{objet}": "4", "envoi": "e0", "t": "1e308"})
    assert far.status_code == 422 and phone.mine()["notes"] == {}  # a time far ahead is refused
    ahead = str(time.time() * 1000 + 30 * 60_000)  # a phone half an hour ahead: accepted
    first = phone.c.post("/p", data={"csrf": csrf, f"note-{objet}": "4", "envoi": "e1", "t": ahead})
    assert first.headers["location"] == "/p?enregistrees=1"
    older = phone.c.post("/p", data={"csrf": csrf, f"note-{objet}": "2", "envoi": "e2", "t": str(time.time() * 1000)})
    assert older.status_code == 303 and older.headers["location"] == "/p?enregistrees=0&ignorees=1"
    page = phone.c.get(older.headers["location"]).text.replace("\u00a0", " ")
    assert "0 note enregistrée." in page and "1 note non prise en compte" in page
    assert "1 note enregistrée" not in page
    assert phone.mine()["notes"] == {objet: 4}


def test_the_startup_line_says_the_truth_about_a_code_on_the_loopback(tmp_path) -> None:
    server = start_server(tmp_path / "d", "--code", "animateur-2026")
    out = stop_server(server)
    line = next(x for x in out.splitlines() if x.startswith("Accès"))
    assert "cet ordinateur seulement (127.0.0.1)" in line and "code d'accès est demandé" in line, line
    assert "réseau" not in line
