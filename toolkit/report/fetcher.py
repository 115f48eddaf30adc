"""A WeasyPrint URL fetcher that reaches nothing outside the packaged templates.

Workbook text is escaped, so it should never become a URL; this is the second lock. The fetcher
serves `file:` URLs that resolve under the templates folder and the exact `data:` URIs the report
itself generated (the theme logo); it refuses http, https, ftp, other files and any other data URI
without opening a socket. Refusals are remembered so tests (and a debug log) can list them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

_MIME = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class FetchRefused(ValueError):
    """Raised inside WeasyPrint (which turns it into a warning) for every URL outside the allow list."""


class SafeURLFetcher(URLFetcher):
    def __init__(self, root: Path, allowed_data_uris: tuple[str, ...] = ()) -> None:
        super().__init__(timeout=1, allow_redirects=False, allowed_protocols=("file", "data"))
        self.root = root.resolve()
        self.allowed_data_uris = frozenset(allowed_data_uris)
        self.refused: list[str] = []
        self.served: list[str] = []

    def _refuse(self, url: str, why: str) -> FetchRefused:
        self.refused.append(url)
        return FetchRefused(f"ressource refusée ({why}) : {url[:120]}")

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            if url not in self.allowed_data_uris:
                raise self._refuse(url, "donnée embarquée non générée par le rapport")
            head, _, payload = url.partition(",")
            mime = head[5:].split(";")[0] or "text/plain"
            body = base64.b64decode(payload) if head.endswith(";base64") else unquote(payload).encode("utf-8")
            self.served.append(url[:40])
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise self._refuse(url, "fichier distant")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise self._refuse(url, "fichier hors du dossier des modèles")
            self.served.append(url)
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": _MIME.get(path.suffix.lower(), "application/octet-stream")}
            )
        raise self._refuse(url, f"protocole {scheme or 'absent'} interdit")
