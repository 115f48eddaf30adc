"""Tables of the follow-up base, its schema version and the forward migrations applied on open.

One schema for SQLite and PostgreSQL (SQLAlchemy Core types only). A snapshot owns its rows: every
child table is keyed by `snapshot_id` with `ON DELETE CASCADE`, and a snapshot is written in one
transaction, so a base never holds half a snapshot.

Versions: the `meta` table holds `schema_version`. Opening a base at an older version runs each missing
migration in order, in one transaction; a base at a newer version than this code is refused before
anything is written (store.py checks it on a read-only connection).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Connection

#: Version written by this code. History: 1 = first release; 2 = indicator targets (cible 2030).
SCHEMA_VERSION = 2

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("cle", String(64), primary_key=True),
    Column("valeur", Text, nullable=False),
)

territoires = Table(
    "territoires", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("nom", Text, nullable=False, unique=True),
)

snapshots = Table(
    "instantanes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("territoire_id", Integer, ForeignKey("territoires.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("empreinte", String(64), nullable=False),
    Column("enregistre_le", Text, nullable=False),  # ISO timestamp (UTC) of the recording
    Column("date_situation", Date, nullable=False),  # the workbook's date: what the figures describe
    Column("periode_debut", Integer, nullable=False),
    Column("periode_fin", Integer, nullable=False),
    Column("version_classeur", Text, nullable=False),
    Column("version_outil", Text, nullable=False),
    Column("fichier", Text, nullable=False),  # file name of the workbook, as given
    Column("configuration", Text, nullable=False),  # JSON: weights, thresholds, config file, catalogues
    Column("quartiers", Text, nullable=False),  # JSON list of [code, nom]
    UniqueConstraint("territoire_id", "empreinte", name="uq_instantane_empreinte"),
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name, metadata,
        Column("instantane_id", Integer, ForeignKey("instantanes.id", ondelete="CASCADE"), primary_key=True),
        Column("ordre", Integer, primary_key=True),
        *columns,
    )


indicators = _child(
    "indicateurs",
    Column("code", Text, nullable=False),
    Column("libelle", Text, nullable=False),
    Column("enjeu", Text),
    Column("sens", Text, nullable=False),
    Column("unite", Text, nullable=False),
    Column("valeur_quartier", Float),
    Column("valeur_reference", Float),
    Column("territoire_reference", Text),
    Column("annee", Integer),
    Column("source", Text),
    Column("illustratif", Boolean, nullable=False),
    Column("score", Float),
    Column("cible_annee", Integer),  # schema 2
    Column("cible_valeur", Float),  # schema 2
)

enjeux = _child(
    "enjeux",
    Column("code", Text, nullable=False),
    Column("libelle", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("niveau", Text, nullable=False),
)

actions = _child(
    "actions",
    Column("cle", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("intitule", Text, nullable=False),
    Column("champ", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("priorite", Integer, nullable=False),
    Column("pilote", Text),
    Column("debut_prevu", Date),
    Column("fin_prevue", Date),
    Column("echeance", Text),
    Column("cout", Float),
    Column("statut", Text),
    Column("date_demarrage", Date),
    Column("budget_engage", Float),
    Column("budget_realise", Float),
    Column("indicateur_resultat", Text),
    Column("valeur_resultat", Float),
    Column("note", Text),
    Column("preuve", Text),
)

vigilance = _child(
    "vigilance",
    Column("niveau", Text, nullable=False),
    Column("objet", Text, nullable=False),
    Column("ref", Text, nullable=False),
    Column("regle", Text, nullable=False),
    Column("message", Text, nullable=False),
)


def _v1_to_v2(conn: Connection) -> None:
    """Indicator targets (cible 2030): two nullable columns, existing rows keep NULL."""
    conn.execute(text("ALTER TABLE indicateurs ADD COLUMN cible_annee INTEGER"))
    conn.execute(text("ALTER TABLE indicateurs ADD COLUMN cible_valeur FLOAT"))


#: version n -> the function that brings a base from n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}

assert all(v in MIGRATIONS for v in range(1, SCHEMA_VERSION)), "a migration is missing"
