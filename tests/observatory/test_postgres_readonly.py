"""The observatory on PostgreSQL under a role that holds SELECT only: it reads everything and writes nothing.

The server is the follow-up suite's real PostgreSQL (tests/suivi/conftest.py), never skipped.
"""

from __future__ import annotations

from .conftest import CANDIDATE, fill, run


def _readonly_role(admin_url: str) -> str:
    import psycopg

    db = admin_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as con:
        con.execute("CREATE ROLE observateur LOGIN")
        con.execute(f"GRANT CONNECT ON DATABASE {db} TO observateur")
        con.execute("GRANT USAGE ON SCHEMA public TO observateur")
        con.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO observateur")
    return admin_url.replace("postgresql://postgres@", "postgresql://observateur@")


def _counts(admin_url: str) -> tuple:
    import psycopg

    with psycopg.connect(admin_url) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("instantanes", "textes", "validations", "meta")
        )


def test_observatory_runs_under_a_select_only_role(pg_server, tmp_path):
    admin = pg_server.new_database()
    fill(admin, tmp_path)
    reader = _readonly_role(admin)
    before = _counts(admin)

    out = tmp_path / "observatoire.pdf"
    proc = run("observatoire", "--base", reader, "-o", str(out))
    assert "3 territoires" in proc.stdout and out.stat().st_size > 10_000
    listing = run("observatoire", "experiences", "--base", reader, "-o", str(tmp_path / "c.toml"))
    assert CANDIDATE in listing.stdout

    # the one write of the observatory needs a role that may write: refused in French, nothing written
    refused = run("observatoire", "valider", CANDIDATE, "--par", "X", "--base", reader, check=False)
    assert refused.returncode == 1 and "Base de suivi" in refused.stderr and "Traceback" not in refused.stderr
    assert "droits insuffisants" in refused.stderr and "Rien n'a été écrit" in refused.stderr
    assert _counts(admin) == before

    # with a role that may write, the decision is recorded
    run("observatoire", "valider", CANDIDATE, "--par", "Centre de ressources", "--base", admin)
    assert _counts(admin)[2] == 1
