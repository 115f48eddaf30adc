"""Forward migrations of the follow-up base: version n -> the function that brings a base from n to n + 1.

Each runs inside the opening's write transaction (store.py), so a base is either migrated or as before.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .schema import SCHEMA_VERSION, TEXT_COLUMNS, decisions, textes, validations
from .texts import intern


def _v1_to_v2(conn: Connection) -> None:
    """Indicator targets (cible 2030): two nullable columns, existing rows keep NULL."""
    conn.execute(text("ALTER TABLE indicateurs ADD COLUMN cible_annee INTEGER"))
    conn.execute(text("ALTER TABLE indicateurs ADD COLUMN cible_valeur FLOAT"))


def _v2_to_v3(conn: Connection) -> None:
    """Repeated texts moved to `textes`: for each column of TEXT_COLUMNS, add `<column>_id`, fill it snapshot
    by snapshot (bounded memory), drop the text column; drop the index that the unique constraint covers.

    ADD/DROP COLUMN is plain SQL on both engines (SQLite ≥ 3.35). A migrated SQLite base keeps its child
    tables with a rowid (only new bases are WITHOUT ROWID); the space freed is reused by later snapshots.
    """
    textes.create(conn)
    conn.execute(text("DROP INDEX IF EXISTS ix_instantanes_territoire_id"))
    ids = [r[0] for r in conn.execute(text("SELECT id FROM instantanes ORDER BY id"))]
    cache: dict[str, int] = {}
    for table, cols in TEXT_COLUMNS.items():
        key = ("id",) if table == "instantanes" else ("instantane_id", "ordre")
        for c in cols:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {c}_id INTEGER REFERENCES textes(id)"))
        owner = key[0]
        cond = " AND ".join(f"{k} = :{k}" for k in key)
        sets = ", ".join(f"{c}_id = :{c}_id" for c in cols)
        for i in range(0, len(ids), 200):
            chunk = ids[i : i + 200]
            rows = (
                conn.execute(
                    text(f"SELECT {', '.join(key + cols)} FROM {table} WHERE {owner} BETWEEN :lo AND :hi"),
                    {"lo": chunk[0], "hi": chunk[-1]},
                )
                .mappings()
                .all()
            )
            if not rows:
                continue
            intern(conn, (r[c] for r in rows for c in cols), cache)
            conn.execute(
                text(f"UPDATE {table} SET {sets} WHERE {cond}"),
                [
                    {**{k: r[k] for k in key}, **{f"{c}_id": None if r[c] is None else cache[r[c]] for c in cols}}
                    for r in rows
                ],
            )
        for c in cols:
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {c}"))


def _v3_to_v4(conn: Connection) -> None:
    """The territory's place on each snapshot (three nullable columns: older snapshots keep NULL, the
    observatory then places them by their quartier codes) and the table of validated candidate experiences."""
    for c in ("communes", "epci", "departement"):
        conn.execute(text(f"ALTER TABLE instantanes ADD COLUMN {c} TEXT"))
    validations.create(conn)


def _v4_to_v5(conn: Connection) -> None:
    """The main funder and nature of credits of each action (two nullable columns: older snapshots keep NULL,
    the annual contribution then shows their money as « financeur non renseigné »)."""
    for c in ("financeur", "nature_financement"):
        conn.execute(text(f"ALTER TABLE actions ADD COLUMN {c} TEXT"))


def _v5_to_v6(conn: Connection) -> None:
    """Every decision on a candidate experience kept (`decisions`): the table starts with the decision each
    row of `validations` holds (the earlier ones it replaced were not kept before this version)."""
    decisions.create(conn)
    conn.execute(
        text(
            "INSERT INTO decisions (territoire_id, cle, instantane_id, etat, par, le, motif) "
            "SELECT territoire_id, cle, instantane_id, etat, par, le, motif FROM validations ORDER BY le, id"
        )
    )


def _v6_to_v7(conn: Connection) -> None:
    """The enjeux each action targets (a nullable column: older snapshots keep NULL until their workbook is
    recorded again — same content, so `record` completes them — and a candidate from them falls back on the
    catalogue's enjeux of its action type)."""
    conn.execute(text("ALTER TABLE actions ADD COLUMN enjeux TEXT"))


#: version n -> the function that brings a base from n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
}

assert all(v in MIGRATIONS for v in range(1, SCHEMA_VERSION)), "a migration is missing"
