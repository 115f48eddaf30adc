"""The follow-up base on SQLite and PostgreSQL: what a user records is what they read back, nothing is lost."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from suivi.helpers import snapshot_of, yearly_workbook
from toolkit.suivi import schema
from toolkit.suivi.snapshot import LATER_FIELDS
from toolkit.suivi.store import BaseBusyError, BaseDamagedError, BaseTooRecentError, SuiviError, open_base


def _cli(*args: str, cwd: Path, env: dict | None = None, pause: float | None = None, **kw) -> subprocess.Popen:
    """`pilier-eco suivi ARGS` in a child process; `pause`: seconds it sleeps mid-recording (paused_cli.py)."""
    command = (
        ["-m", "toolkit", "suivi"] if pause is None else [str(Path(__file__).with_name("paused_cli.py")), str(pause)]
    )
    return subprocess.Popen(
        [sys.executable, *command, *args],
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PILIER_ECO_DEBUG": "", **(env or {})},
        **kw,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_reads_back_equal_and_twice_is_a_noop(base_target, tmp_path):
    snap = snapshot_of(yearly_workbook(tmp_path, 2025))
    with open_base(base_target) as base:
        first = base.record(snap)
        again = base.record(snap)
        assert first.created and not again.created
        assert again.snapshot_id == first.snapshot_id
        (back,) = base.snapshots("Carcassonne")
    assert back == snap  # every figure, year, source, rank, vigilance point and setting
    assert back.empreinte == snap.empreinte
    assert back.indicateurs[0].source and back.indicateurs[0].annee


def test_another_year_and_another_territory_go_under_their_names(base_target, tmp_path):
    with open_base(base_target) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
        base.record(snapshot_of(yearly_workbook(tmp_path, 2026, tweak=-1.5)))
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025, name="Vauvert Test")))
        assert base.territories() == ["Carcassonne – 5 quartiers prioritaires", "Vauvert Test"]
        rows = base.history("carcassonne")
        assert [r.date_situation.year for r in rows] == [2025, 2026]
        assert len(base.history()) == 3
        with pytest.raises(SuiviError, match="aucun instantané pour le territoire « Lunel »"):
            base.snapshots("Lunel")


def test_several_snapshots_in_one_transaction_each_recorded_once(base_target, tmp_path):
    """`record_many` (a region's workbooks at once): what `record` would do for each, in one transaction."""
    a = snapshot_of(yearly_workbook(tmp_path, 2025))
    b = snapshot_of(yearly_workbook(tmp_path, 2025, name="Vauvert Test"))
    with open_base(base_target) as base:
        first = base.record(a)
        results = base.record_many([a, b, b])
        assert [r.created for r in results] == [False, True, False]
        assert results[0].snapshot_id == first.snapshot_id and results[2].snapshot_id == results[1].snapshot_id
        assert base.snapshots("Vauvert Test") == [b]


def test_a_part_of_a_name_is_never_taken_silently(base_target, tmp_path):
    """Issue 25 § 11: the exact name, or the territory's own name before the dash; any other part of a name
    lists the candidates instead of picking one."""
    with open_base(base_target) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025, name="Carcassonne Agglo")))
        assert {r.territoire for r in base.history("Carcassonne")} == {"Carcassonne – 5 quartiers prioritaires"}
        assert {r.territoire for r in base.history("carcassonne agglo")} == {"Carcassonne Agglo"}
        with pytest.raises(SuiviError, match="vouliez-vous dire") as listed:
            base.history("Carca")
        assert "« Carcassonne Agglo »" in str(listed.value)
        assert "« Carcassonne – 5 quartiers prioritaires »" in str(listed.value)
        with pytest.raises(SuiviError, match="vouliez-vous dire"):
            base.snapshots("Agglo")


def test_hostile_texts_round_trip_as_bound_parameters(base_target, tmp_path):
    from adversarial.hostile import write_hostile

    path = write_hostile(tmp_path / "hostile.xlsx", "http://127.0.0.1:9")
    snap = snapshot_of(path)
    assert "<script>" in "".join(a.pilote or "" for a in snap.actions) + snap.territoire + "".join(
        i.territoire_reference or "" for i in snap.indicateurs
    )
    with open_base(base_target) as base:
        base.record(snap)
        (back,) = base.snapshots(snap.territoire)
        assert back == snap
        assert base.territories() == [snap.territoire]


def test_newer_schema_is_refused_and_left_untouched(base_target, tmp_path):
    with open_base(base_target) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
        with base.engine.begin() as conn:
            conn.execute(text("UPDATE meta SET valeur = '99' WHERE cle = 'schema_version'"))
    before = _digest(Path(base_target)) if not base_target.startswith("postgresql") else None
    with pytest.raises(BaseTooRecentError, match="version plus récente de pilier-eco.*n'a pas été modifiée"):
        open_base(base_target)
    if before is not None:
        assert _digest(Path(base_target)) == before


#: A real schema-2 base, written by pilier-eco before schema 3 (two Carcassonne snapshots, 2025 and 2026).
SCHEMA2 = Path(__file__).parent / "data" / "suivi-schema2.sqlite"


def _old_base(target: str, tmp_path: Path) -> str:
    """The schema-2 base at `target`: the file itself for SQLite; on PostgreSQL, the same tables (reflected
    from the file) and rows, so that both engines migrate a base of the old shape."""
    from sqlalchemy import MetaData, create_engine, insert, select

    if not target.startswith("postgresql"):
        Path(target).write_bytes(SCHEMA2.read_bytes())
        return target
    src = create_engine(f"sqlite:///{tmp_path / 'schema2.sqlite'}")
    (tmp_path / "schema2.sqlite").write_bytes(SCHEMA2.read_bytes())
    old = MetaData()
    old.reflect(src)
    dst = create_engine(target.replace("postgresql://", "postgresql+psycopg://"))
    with src.connect() as s_conn, dst.begin() as d_conn:
        old.create_all(d_conn)
        for table in old.sorted_tables:
            rows = [dict(r) for r in s_conn.execute(select(table)).mappings()]
            if rows:
                d_conn.execute(insert(table), rows)
        for table in ("territoires", "instantanes"):  # the ids were copied: move the sequences past them
            d_conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    src.dispose()
    dst.dispose()
    return target


def _v2_rows() -> dict[int, dict[str, object]]:
    """What the schema-2 file holds, read with plain SQL: snapshot id -> its row and its children, in order."""
    con = sqlite3.connect(SCHEMA2)
    con.row_factory = sqlite3.Row
    out = {r["id"]: {"head": dict(r)} for r in con.execute("SELECT * FROM instantanes")}
    for table in ("indicateurs", "enjeux", "actions", "vigilance"):
        for r in con.execute(f"SELECT * FROM {table} ORDER BY instantane_id, ordre"):
            row = dict(r)
            sid = row.pop("instantane_id")
            row.pop("ordre")
            out[sid].setdefault(table, []).append(row)
    con.close()
    return out


def _as_stored(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return int(value) if isinstance(value, bool) else value


def test_schema2_base_is_migrated_on_open_and_reads_back_identically(base_target, tmp_path):
    import json
    from dataclasses import asdict

    assert schema.SCHEMA_VERSION == 7
    expected = _v2_rows()
    assert len(expected) == 2
    with open_base(_old_base(base_target, tmp_path)) as base:
        assert base.schema_version() == schema.SCHEMA_VERSION
        snaps = base.snapshots("Carcassonne")
        with base.engine.connect() as conn:  # the repeated texts are now stored once
            n_points, n_messages = conn.execute(
                text("SELECT count(*), count(DISTINCT message_id) FROM vigilance")
            ).one()
        again = base.record(replace(snaps[1], id=None, enregistre_le=None))
    assert [s.id for s in snaps] == sorted(expected)
    assert n_messages < n_points  # a message repeated in 2025 and 2026 is one row of `textes`
    for snap in snaps:
        old = expected[snap.id]
        head = old["head"]
        assert snap.empreinte == head["empreinte"]  # the content hash of v2, recomputed from what v3 reads
        assert (snap.fichier, snap.enregistre_le, snap.configuration) == (
            head["fichier"],
            head["enregistre_le"],
            head["configuration"],
        )
        assert [list(q) for q in snap.quartiers] == json.loads(head["quartiers"])
        for table in ("indicateurs", "enjeux", "actions", "vigilance"):
            # fields of a later schema (the main funding, schema 5) are empty in a base written before them
            got = [
                {k: _as_stored(v) for k, v in asdict(x).items() if not (k in LATER_FIELDS and v is None)}
                for x in getattr(snap, table)
            ]
            assert got == old[table], table
    assert not again.created and again.snapshot_id == snaps[1].id  # same content: still recognised


def test_schema1_base_goes_through_every_migration(base_target, tmp_path):
    target = _old_base(base_target, tmp_path)
    engine = open_base.__globals__["create_engine"](
        target.replace("postgresql://", "postgresql+psycopg://")
        if target.startswith("postgresql")
        else f"sqlite:///{target}"
    )
    with engine.begin() as conn:  # the shape of a schema-1 base: no indicator targets
        conn.execute(text("ALTER TABLE indicateurs DROP COLUMN cible_annee"))
        conn.execute(text("ALTER TABLE indicateurs DROP COLUMN cible_valeur"))
        conn.execute(text("UPDATE meta SET valeur = '1' WHERE cle = 'schema_version'"))
    engine.dispose()
    with open_base(target) as base:
        assert base.schema_version() == schema.SCHEMA_VERSION
        first, second = base.snapshots("Carcassonne")
    assert all(i.cible_annee is None and i.cible_valeur is None for i in first.indicateurs)
    assert second.action(second.actions[0].cle) == second.actions[0]
    assert {len(first.indicateurs), len(second.vigilance)} == {
        len(v) for v in (_v2_rows()[first.id]["indicateurs"], _v2_rows()[second.id]["vigilance"])
    }


def test_schema5_base_keeps_its_decision_as_the_first_of_the_history(base_target, tmp_path):
    """Schema 6 keeps every decision on a candidate experience (`decisions`); a schema-5 base held only the one
    in force (`validations`): migrated, that decision starts the history, who, when, état and motif intact, and
    a new decision adds to it instead of replacing it."""
    from toolkit.suivi.candidates import candidates, decide

    workbook = yearly_workbook(
        tmp_path,
        2026,
        follow_up={
            "ACC_MICROCREDIT": {
                "Statut (suivi)": "réalisée",
                "Indicateur de résultat": "prêts accordés",
                "Valeur du résultat": 23,
            }
        },
    )
    with open_base(base_target) as base:
        base.record(snapshot_of(workbook))
        engine = base.engine
        with engine.begin() as conn:  # the shape of a schema-5 base holding one decision
            conn.execute(
                text(
                    "INSERT INTO validations (territoire_id, cle, instantane_id, etat, par, le, motif) "
                    "SELECT territoire_id, 'ACC_MICROCREDIT', id, 'refusée', 'B. Roux, VTO', "
                    "'2026-11-02T09:00:00+00:00', 'preuve manquante' FROM instantanes"
                )
            )
            conn.execute(text("DROP TABLE decisions"))
            conn.execute(text("ALTER TABLE actions DROP COLUMN enjeux"))  # schema 7
            conn.execute(text("UPDATE meta SET valeur = '5' WHERE cle = 'schema_version'"))
    with open_base(base_target) as base:
        assert base.schema_version() == schema.SCHEMA_VERSION
        with base.engine.connect() as conn:
            rows = conn.execute(text("SELECT etat, par, le, motif FROM decisions")).all()
        assert [tuple(r) for r in rows] == [
            ("refusée", "B. Roux, VTO", "2026-11-02T09:00:00+00:00", "preuve manquante")
        ]
        (c,) = candidates(base)
        assert c.validation is not None and c.validation.precedentes == ()
        assert c.etat == "refusée le 02/11/2026 par B. Roux, VTO"
        decided = decide(base, c.code, par="A. Martin, VTO")
        with base.engine.connect() as conn:
            n_history, n_in_force = conn.execute(
                text("SELECT (SELECT count(*) FROM decisions), (SELECT count(*) FROM validations)")
            ).one()
    assert (n_history, n_in_force) == (2, 1)
    assert decided.etat.startswith("validée le ") and decided.etat.endswith(
        " par A. Martin, VTO (décision précédente : refusée le 02/11/2026 par B. Roux, VTO)"
    )


def test_damaged_sqlite_file_is_reported_and_untouched(tmp_path):
    db = tmp_path / "suivi.sqlite"
    with open_base(db) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
    proc = _cli("verifier", "--base", str(db), cwd=tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "Base intacte" in out and "1 instantané, 1 territoire" in out, err
    data = bytearray(db.read_bytes())
    for page in range(2, len(data) // 4096):  # scribble over every page but the header page
        data[page * 4096 + 100 : page * 4096 + 400] = b"\xa5" * 300
    db.write_bytes(bytes(data))
    before = _digest(db)
    with pytest.raises(BaseDamagedError, match="endommagée"):
        open_base(db, check=True)
    assert _digest(db) == before
    # recording checks only the header and schema version, then meets the damage through SQLite itself
    proc = _cli("enregistrer", str(yearly_workbook(tmp_path, 2026)), "--base", str(db), cwd=tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Base de suivi" in err and "endommagée" in err and "Traceback" not in err
    assert _digest(db) == before
    for args in (("verifier", "--base", str(db)), ("sauvegarde", "--base", str(db), str(tmp_path / "copie.sqlite"))):
        proc = _cli(*args, cwd=tmp_path)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1 and "endommagée" in err and "Traceback" not in err, (args, out, err)
    assert not (tmp_path / "copie.sqlite").exists()  # a damaged base is never saved as if it were sound
    assert _digest(db) == before


def test_damage_on_a_page_a_recording_reads_is_caught_and_nothing_written(tmp_path):
    db = tmp_path / "suivi.sqlite"
    with open_base(db) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        r[0] for r in con.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('textes', 'territoires')")
    ]
    con.close()
    data = bytearray(db.read_bytes())
    for root in roots:  # the pages of the territories and of the shared texts: every recording reads them
        start = (root - 1) * page_size
        data[start : start + page_size] = b"\xa5" * page_size
    db.write_bytes(bytes(data))
    before = _digest(db)
    with open_base(db) as base, pytest.raises(BaseDamagedError, match="base endommagée.*Rien n'a été écrit"):
        base.record(snapshot_of(yearly_workbook(tmp_path, 2026, name="Vauvert Test")))
    assert _digest(db) == before


def test_a_truncated_file_is_refused_from_its_header(tmp_path):
    db = tmp_path / "suivi.sqlite"
    with open_base(db) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # a copy cut short
    with pytest.raises(BaseDamagedError, match="fichier tronqué"):
        open_base(db)
    assert db.read_bytes() == data[: len(data) // 2]


def test_a_file_that_is_not_a_base_is_refused(tmp_path):
    bogus = tmp_path / "suivi.sqlite"
    bogus.write_bytes(b"PK\x03\x04 pas une base")
    with pytest.raises(BaseDamagedError, match="n'est pas une base de suivi SQLite"):
        open_base(bogus)
    assert bogus.read_bytes() == b"PK\x03\x04 pas une base"


def test_sigkill_in_the_middle_of_a_snapshot_leaves_the_base_as_before(base_target, tmp_path):
    with open_base(base_target) as base:
        base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
        before = base.history()
    proc = _cli(
        "enregistrer",
        str(yearly_workbook(tmp_path, 2026, tweak=2)),
        "--base",
        base_target,
        cwd=tmp_path,
        pause=60,
    )
    line = proc.stderr.readline()
    assert "PAUSE-ENREGISTREMENT" in line, line + proc.stderr.read()  # killed between rows of one transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with open_base(base_target, check=True) as base:
        assert base.history() == before
        assert len(base.snapshots("Carcassonne")[0].indicateurs) == before[0].indicateurs
        with base.engine.connect() as conn:  # no orphan row of the killed snapshot
            assert conn.execute(text("SELECT count(*) FROM indicateurs")).scalar() == before[0].indicateurs


def test_two_recorders_at_once_both_succeed(base_target, tmp_path):
    a = yearly_workbook(tmp_path, 2025)
    b = yearly_workbook(tmp_path, 2025, name="Vauvert Test")
    first = _cli("enregistrer", str(a), "--base", base_target, cwd=tmp_path, pause=2)
    assert "PAUSE-ENREGISTREMENT" in first.stderr.readline()
    second = _cli("enregistrer", str(b), "--base", base_target, cwd=tmp_path)  # waits for the first
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "Enregistré : 1er instantané" in out1 and "Enregistré : 1er instantané" in out2
    with open_base(base_target, check=True) as base:
        assert len(base.history()) == 2


def test_a_writer_that_waits_too_long_gets_base_occupee(tmp_path, monkeypatch):
    from toolkit.suivi import store

    db = tmp_path / "suivi.sqlite"
    open_base(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a snapshot
    try:
        monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.3)
        with open_base(db) as base, pytest.raises(BaseBusyError, match="base occupée, réessayez"):
            base.record(snapshot_of(yearly_workbook(tmp_path, 2025)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_base(db) as base:
        assert base.history() == []


def test_postgres_url_password_is_never_shown(pg_server):
    from toolkit.suivi.store import display_target

    url = f"postgresql://postgres:motdepasse@127.0.0.1:{pg_server.port}/absente"
    assert "motdepasse" not in display_target(url)
    with pytest.raises(SuiviError) as err:
        open_base(url)
    assert "motdepasse" not in str(err.value) and "absente" in str(err.value)


def test_snapshot_value_is_frozen_and_hash_ignores_file_name(tmp_path):
    snap = snapshot_of(yearly_workbook(tmp_path, 2025))
    assert replace(snap, fichier="autre.xlsx").empreinte == snap.empreinte
    assert replace(snap, date_situation=snap.date_situation.replace(year=2026)).empreinte != snap.empreinte


def test_schema6_base_gets_the_enjeux_of_its_actions_when_its_workbook_is_recorded_again(base_target, tmp_path):
    """Schema 7 keeps the enjeux each action targets (« Enjeux visés »): a schema-6 base is migrated with them
    empty, the same workbook recorded again is still recognised (same hash: no second snapshot) and completes
    them — the local action of Carcassonne then targets COMMERCE and ATTRACTIVITE."""
    workbook = yearly_workbook(tmp_path, 2026)
    with open_base(base_target) as base:
        first = base.record(snapshot_of(workbook))
        with base.engine.begin() as conn:  # the shape of a schema-6 base
            conn.execute(text("ALTER TABLE actions DROP COLUMN enjeux"))
            conn.execute(text("UPDATE meta SET valeur = '6' WHERE cle = 'schema_version'"))
    with open_base(base_target) as base:
        assert base.schema_version() == schema.SCHEMA_VERSION == 7
        (old,) = base.snapshots("Carcassonne – 5 quartiers prioritaires")
        assert all(a.enjeux is None for a in old.actions)
        again = base.record(snapshot_of(workbook))
        (new,) = base.snapshots("Carcassonne – 5 quartiers prioritaires")
    assert not again.created and again.snapshot_id == first.snapshot_id == new.id
    libre = next(a for a in new.actions if a.code == "LIBRE")
    assert libre.enjeux == "COMMERCE;ATTRACTIVITE"
    assert new.empreinte == old.empreinte
