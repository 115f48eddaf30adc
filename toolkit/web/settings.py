"""The server's settings: one frozen value built by `pilier-eco serve` and handed to every part."""

from __future__ import annotations

import ipaddress
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config

#: A participant's requests (join, notes) carry a few fields: 16 KiB is plenty.
PARTICIPANT_BODY_BYTES = 16 * 1024
PARTICIPANT_PATHS = ("/rejoindre", "/p")

#: Default time uploads and outputs are kept after a session's last request.
DEFAULT_KEEP_MINUTES = 120


def is_loopback(host: str) -> bool:
    """True for `localhost` and any loopback address (127.0.0.0/8, ::1): only this computer can connect."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_workers() -> int:
    """One render process per core, at most 4: a PDF render takes a whole core for seconds."""
    return max(1, min(os.cpu_count() or 1, 4))


@dataclass(frozen=True)
class WebSettings:
    data_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "pilier-eco-web")
    code: str | None = None  # access code: required from every request when set
    config: Config = field(default_factory=Config)
    keep_minutes: float = DEFAULT_KEEP_MINUTES
    workers: int = field(default_factory=default_workers)
    max_queued: int = 64  # jobs waiting for a render process, all sessions together
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)  # signs cookies
    secure_cookies: bool = False  # True behind HTTPS
    max_files: int = 30  # files in one form (comparison, workshop merge)
    host: str = "127.0.0.1"  # where `serve` listens: the live atelier shows the room's address from it
    port: int = 8000
    suivi_base: str | None = None  # follow-up base (`serve --base`); else the config's [suivi] base
    host_names: tuple[str, ...] = ()  # `serve --nom-hote`: names (beyond loopback and our addresses) we answer to
    session_quota_bytes: int = 500 * 1024 * 1024  # disk a session's uploads may take at once
    jobs_per_session: int = 8  # a session's share of the job queue (the others keep theirs)
    jobs_per_address: int = 24  # one client address's jobs waiting or running (a NAT-ed room: one per person)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "workers", max(1, min(self.workers, os.cpu_count() or 1)))
        object.__setattr__(
            self, "host_names", tuple(h.strip().lower().rstrip(".") for h in self.host_names if h.strip())
        )

    @property
    def max_upload_bytes(self) -> int:
        """One workbook: the library's own file-size limit."""
        return self.config.limits.max_file_bytes

    def request_limit(self, path: str) -> int:
        """Largest request body accepted on `path` (multipart overhead included)."""
        slack = 256 * 1024
        if path in PARTICIPANT_PATHS or path.startswith("/p/"):
            return PARTICIPANT_BODY_BYTES  # a phone sends a few notes, never a file
        if path.startswith(("/comparer", "/atelier", "/api/compare")):
            return self.max_upload_bytes * 10 + slack
        return self.max_upload_bytes + slack
