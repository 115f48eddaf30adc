"""Tables of the follow-up base, its schema version and the forward migrations applied on open.

One schema for SQLite and PostgreSQL (SQLAlchemy Core types only). A snapshot owns its rows: every
child table is keyed by `snapshot_id` with `ON DELETE CASCADE`, and a snapshot is written in one
transaction, so a base never holds half a snapshot.

Texts that repeat from one snapshot to the next (a vigilance message, an indicator's label and source, an
action's title, the configuration…) are stored once in `textes` and referenced by id (`<column>_id`, see
TEXT_COLUMNS): a territory's seven yearly snapshots share them, and so do territories using the same
catalogue. A text is found again by a 64-bit slice of its SHA-256 (`empreinte`, indexed, not unique) and
then by exact comparison, so two texts with the same slice stay two texts. Rows of `textes` are never
updated: a snapshot's texts cannot change after it is written.

Versions: the `meta` table holds `schema_version`. Opening a base at an older version runs each missing
migration in order (migrations.py), in one transaction; a base at a newer version than this code is refused before
anything is written (store.py checks it on a read-only connection).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
)

#: Version written by this code. History: 1 = first release; 2 = indicator targets (cible 2030);
#: 3 = repeated texts stored once (`textes`), no redundant index, child tables keyed by their primary key;
#: 4 = the territory's place on each snapshot (communes, EPCI, département: the observatory's filters) and the
#: resource centre's decisions on candidate experiences (`validations`); 5 = the main funder and the nature of
#: credits of each action (`financeur`, `nature_financement`: the annual contribution's means by funder);
#: 6 = every decision of the resource centre on a candidate experience kept (`decisions`), not only the last;
#: 7 = the enjeux each action targets (`actions.enjeux`: what an experience drawn from a local action answers).
SCHEMA_VERSION = 7

#: Columns whose text lives in `textes` (schema 3): table -> columns, stored as `<column>_id`.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "instantanes": ("configuration", "quartiers"),
    "indicateurs": ("libelle", "territoire_reference", "source"),
    "enjeux": ("libelle",),
    "actions": ("intitule", "pilote"),
    "vigilance": ("message",),
}

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("cle", String(64), primary_key=True),
    Column("valeur", Text, nullable=False),
)

textes = Table(
    "textes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("empreinte", BigInteger, nullable=False, index=True),  # first 8 bytes of SHA-256 (UTF-8), signed
    Column("texte", Text, nullable=False),
)


def _text_ref(name: str, nullable: bool = False) -> Column:
    return Column(f"{name}_id", Integer, ForeignKey("textes.id"), nullable=nullable)


territoires = Table(
    "territoires",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("nom", Text, nullable=False, unique=True),
)

snapshots = Table(
    "instantanes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # no index of its own: the unique constraint below starts with it
    Column("territoire_id", Integer, ForeignKey("territoires.id", ondelete="CASCADE"), nullable=False),
    Column("empreinte", String(64), nullable=False),
    Column("enregistre_le", Text, nullable=False),  # ISO timestamp (UTC) of the recording
    Column("date_situation", Date, nullable=False),  # the workbook's date: what the figures describe
    Column("periode_debut", Integer, nullable=False),
    Column("periode_fin", Integer, nullable=False),
    Column("version_classeur", Text, nullable=False),
    Column("version_outil", Text, nullable=False),
    Column("fichier", Text, nullable=False),  # file name of the workbook, as given
    _text_ref("configuration"),  # JSON: weights, thresholds, config file, catalogues
    _text_ref("quartiers"),  # JSON list of [code, nom]
    # schema 4: where the territory is, as the workbook said (not part of the content hash)
    Column("communes", Text),  # JSON list of INSEE codes
    Column("epci", Text),
    Column("departement", Text),
    UniqueConstraint("territoire_id", "empreinte", name="uq_instantane_empreinte"),
)


def _child(name: str, *columns: Column) -> Table:
    # SQLite: WITHOUT ROWID, the rows are stored in primary-key order, with no separate index of the key
    return Table(
        name,
        metadata,
        Column("instantane_id", Integer, ForeignKey("instantanes.id", ondelete="CASCADE"), primary_key=True),
        Column("ordre", Integer, primary_key=True),
        *columns,
        sqlite_with_rowid=False,
    )


indicators = _child(
    "indicateurs",
    Column("code", Text, nullable=False),
    _text_ref("libelle"),
    Column("enjeu", Text),
    Column("sens", Text, nullable=False),
    Column("unite", Text, nullable=False),
    Column("valeur_quartier", Float),
    Column("valeur_reference", Float),
    _text_ref("territoire_reference", nullable=True),
    Column("annee", Integer),
    _text_ref("source", nullable=True),
    Column("illustratif", Boolean, nullable=False),
    Column("score", Float),
    Column("cible_annee", Integer),  # schema 2
    Column("cible_valeur", Float),  # schema 2
)

enjeux = _child(
    "enjeux",
    Column("code", Text, nullable=False),
    _text_ref("libelle"),
    Column("score", Float, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("niveau", Text, nullable=False),
)

actions = _child(
    "actions",
    Column("cle", Text, nullable=False),
    Column("code", Text, nullable=False),
    _text_ref("intitule"),
    Column("champ", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("priorite", Integer, nullable=False),
    _text_ref("pilote", nullable=True),
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
    # schema 5: the action's main funding (the annual contribution totals the means by funder)
    Column("financeur", Text),
    Column("nature_financement", Text),
    # schema 7: the enjeux the action targets, codes separated by « ; »
    Column("enjeux", Text),
)

vigilance = _child(
    "vigilance",
    Column("niveau", Text, nullable=False),
    Column("objet", Text, nullable=False),
    Column("ref", Text, nullable=False),
    Column("regle", Text, nullable=False),
    _text_ref("message"),
)


#: Schema 4. The resource centre's decision in force on a candidate experience (an action « réalisée » with a
#: result): one row per (territory, action key), the latest decision; `instantane_id` is the snapshot whose figures
#: were validated (what is offered to other territories is what the centre read). Written only by
#: `pilier-eco observatoire valider`, in the same transaction as its row of `decisions`.
validations = Table(
    "validations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("territoire_id", Integer, ForeignKey("territoires.id", ondelete="CASCADE"), nullable=False),
    Column("cle", Text, nullable=False),  # the action's key (catalogue code or LIBRE:<intitulé>)
    Column("instantane_id", Integer, ForeignKey("instantanes.id", ondelete="CASCADE"), nullable=False),
    Column("etat", Text, nullable=False),  # « validée » | « refusée »
    Column("par", Text, nullable=False),  # who decided (a name, as typed)
    Column("le", Text, nullable=False),  # ISO timestamp (UTC)
    Column("motif", Text),
    UniqueConstraint("territoire_id", "cle", name="uq_validation_action"),
)


#: Schema 6. Every decision of the resource centre on a candidate experience, oldest first (`id` order): who,
#: when, état, motif and the snapshot read. The latest of a (territory, action key) is the one in force, the
#: row of `validations`; the earlier ones are its history (« décision précédente : refusée le … par … »).
#: A base migrated from schema 4 or 5 starts it with the decision `validations` held.
decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("territoire_id", Integer, ForeignKey("territoires.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("cle", Text, nullable=False),
    Column("instantane_id", Integer, ForeignKey("instantanes.id", ondelete="CASCADE"), nullable=False),
    Column("etat", Text, nullable=False),  # « validée » | « refusée »
    Column("par", Text, nullable=False),
    Column("le", Text, nullable=False),  # ISO timestamp (UTC)
    Column("motif", Text),
)
