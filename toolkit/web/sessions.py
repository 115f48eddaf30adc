"""One folder per browser session, named by a random id that only a signed cookie carries.

The id is 128 random bits in hex, signed with the server's secret (itsdangerous) in an HttpOnly,
SameSite=Strict cookie: a forged or altered cookie is ignored and a fresh session begins. Every file a
session uploads goes to a new folder chosen by the server under the session's own folder; the uploaded
file name is reduced to an ASCII slug and only ever names the leaf, so `../../x` or `C:\\x` choose no
path. Folders untouched for `keep_minutes` are deleted by `purge`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath

from itsdangerous import BadSignature, Signer

from ..text import slugify

COOKIE = "pe_session"
_SID = re.compile(r"^[0-9a-f]{32}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
_UNSAFE = re.compile(r"[^\w\- .()]")


class TooLarge(Exception):
    """An uploaded file is over the size limit (answered with HTTP 413)."""


class OverQuota(Exception):
    """The session's folder would exceed its disk quota (answered with HTTP 507)."""


def folder_bytes(path: Path) -> int:
    """Bytes of the regular files under `path` (what a session's uploads and results take on disk)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def safe_name(filename: str | None, default: str = "classeur") -> str:
    """The leaf of an uploaded name, kept readable for the messages that quote it, but never a path.

    `../../x.xlsx` -> `x.xlsx`, `C:\\a\\b.ods` -> `b.ods`; characters other than letters, digits, space,
    `-`, `_`, `.`, parentheses become `_`; no leading dot (no `..`, no hidden file); at most 100 characters.
    """
    leaf = PurePosixPath((filename or "").replace("\\", "/")).name
    leaf = _UNSAFE.sub("_", leaf).strip().lstrip(".").strip()
    stem, dot, ext = leaf.rpartition(".")
    if not dot:
        stem, ext = leaf, ""
    suffix = f".{ext}" if _SUFFIX.match(f".{ext.lower()}") else ""
    stem = stem[: 100 - len(suffix)].strip() or slugify(stem, default=default)
    return stem + suffix


class SessionStore:
    def __init__(self, root: Path, secret: bytes, keep_minutes: float) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._signer = Signer(secret, salt="pilier-eco-session")
        self.keep_seconds = keep_minutes * 60

    # ------------------------------------------------------------------ ids and cookies

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(16)

    def sign(self, sid: str) -> str:
        return self._signer.sign(sid.encode()).decode()

    def unsign(self, cookie: str | None) -> str | None:
        """The session id of a cookie, or None when it is missing, altered or not one of ours."""
        if not cookie:
            return None
        try:
            sid = self._signer.unsign(cookie.encode()).decode()
        except (BadSignature, UnicodeDecodeError):
            return None
        return sid if _SID.match(sid) else None

    # ------------------------------------------------------------------ folders

    def folder(self, sid: str) -> Path:
        """The session's folder (created on first use); its date records the last activity."""
        if not _SID.match(sid):
            raise ValueError("identifiant de session invalide")
        path = self.root / sid
        path.mkdir(exist_ok=True, mode=0o700)
        os.utime(path)
        return path

    def touch(self, sid: str) -> None:
        """Record activity of a session without creating its folder (a purged session stays purged)."""
        if _SID.match(sid):
            with contextlib.suppress(FileNotFoundError):
                os.utime(self.root / sid)

    def new_dir(self, sid: str, kind: str) -> Path:
        """A fresh folder for one upload or one job: `<session>/<kind>/<random>`."""
        path = self.folder(sid) / kind / secrets.token_hex(8)
        path.mkdir(parents=True, mode=0o700)
        return path

    async def save_upload(
        self, sid: str, upload, max_bytes: int, folder: Path | None = None, quota: int | None = None
    ) -> Path:
        """Copy an uploaded file (starlette UploadFile) into a new folder of the session, at most `max_bytes`,
        and, with `quota`, only while the session's folder stays under `quota` bytes in all."""
        room = quota - folder_bytes(self.folder(sid)) if quota is not None else None
        if room is not None and room <= 0:
            raise OverQuota(upload.filename or "")
        target = (folder or self.new_dir(sid, "depots")) / safe_name(upload.filename)
        written = 0
        with target.open("xb") as fh:
            async for chunk in _chunks(upload):
                written += len(chunk)
                if written > max_bytes or (room is not None and written > room):
                    fh.close()
                    target.unlink(missing_ok=True)
                    raise (TooLarge if written > max_bytes else OverQuota)(upload.filename or target.name)
                fh.write(chunk)
        return target

    def purge(self, now: float | None = None) -> list[str]:
        """Delete the folders of sessions idle for longer than the retention time; their ids."""
        limit = (now or time.time()) - self.keep_seconds
        gone = []
        for path in self.root.iterdir():
            try:
                if path.is_dir() and _SID.match(path.name) and path.stat().st_mtime < limit:
                    shutil.rmtree(path, ignore_errors=True)
                    gone.append(path.name)
            except FileNotFoundError:
                continue
        return gone

    def remove(self, sid: str) -> None:
        if _SID.match(sid):
            shutil.rmtree(self.root / sid, ignore_errors=True)


async def _chunks(upload, size: int = 1 << 16) -> AsyncIterator[bytes]:
    while chunk := await upload.read(size):
        yield chunk
