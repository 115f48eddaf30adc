"""A consistent copy of the base while others use it.

- SQLite: SQLite's online backup API copies a consistent state even while others write (they are not
  stopped); the copy gets the full check (`PRAGMA integrity_check`, foreign keys) before it is moved into
  place. That one check covers the source too (a damaged page is copied as it is), so the whole file is
  read once for the check, not twice: a damaged base is reported, never saved as if it were sound.
- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot of the database, restored with
  `pg_restore`) when pg_dump is on the PATH; otherwise a French message says what to install.
The password of a PostgreSQL URL goes to pg_dump through PGPASSWORD, never on its command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from ..io.output import atomic_write
from .store import BaseDamagedError, SuiviError, display_target, is_postgres, open_base


def backup(target: str, destination: str | Path) -> Path:
    if is_postgres(target):
        return _pg_dump(target, Path(destination))
    source = Path(target)
    if not source.is_file():
        raise SuiviError(f"{source} : aucune base de suivi à cet endroit")
    open_base(source, create=False).close()  # refuses a file that is not a base, or a newer one, unaltered

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=15)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
            if problems == ["ok"]:
                problems = [f"clé étrangère orpheline dans {r[0]}" for r in dst.execute("PRAGMA foreign_key_check")]
            if problems:
                raise BaseDamagedError(
                    f"{source} : base endommagée (contrôle d'intégrité : {'; '.join(map(str, problems[:3]))}). "
                    f"Aucune sauvegarde n'a été écrite et la base n'a pas été modifiée ; repartez d'une sauvegarde "
                    "antérieure."
                )
        except sqlite3.OperationalError as exc:
            raise SuiviError(f"{source} : copie impossible ({exc}) ; réessayez") from None
        except sqlite3.DatabaseError as exc:  # a page too damaged to copy
            raise BaseDamagedError(
                f"{source} : base endommagée ({exc}). Aucune sauvegarde n'a été écrite et la base n'a pas été modifiée."
            ) from None
        finally:
            dst.close()
            src.close()

    return atomic_write(destination, write, mode=0o600)  # a copy of the base: as private as the base


def _pg_dump(target: str, destination: Path) -> Path:
    from sqlalchemy.engine import make_url

    exe = shutil.which("pg_dump")
    if exe is None:
        raise SuiviError(
            f"{display_target(target)} : la sauvegarde d'une base PostgreSQL passe par pg_dump, introuvable ici. "
            "Installez le paquet « postgresql-client » (Debian, Ubuntu) puis relancez, ou demandez la sauvegarde "
            "à l'administrateur du serveur."
        )
    url = make_url(target)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)

    def write(tmp: Path) -> None:
        proc = subprocess.run(
            [exe, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={dsn}"],
            capture_output=True,
            check=False,  # the return code is read below, with pg_dump's message
            text=True,
            env=env,
            timeout=3600,
        )
        if proc.returncode != 0:
            detail = (proc.stderr or "").strip().splitlines()[-1:] or ["erreur inconnue"]
            raise SuiviError(f"{display_target(target)} : pg_dump a échoué ({detail[0][:300]})")

    return atomic_write(destination, write, mode=0o600)  # a copy of the base: as private as the base
