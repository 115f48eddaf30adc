"""Which web hosts a source of the packaged catalogues may not come from, and why.

A source must be the page that establishes the claim beside it: the text itself (Légifrance, a circulaire,
ANCT/ONPV, INSEE, DGEFP, France Travail, Bpifrance, Banque des Territoires, a collectivity's own site for its
own action) or a press article that reports it. Copies of documents uploaded by third parties, personal blogs
and raw storage buckets are none of these: the copy may be altered or outdated, the page may vanish, and a
reader cannot tell who published it. `denied_reason` names the reason for a URL, or None.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DUMP = "dépôt de documents téléversés par des tiers : copie non vérifiable, citer la source d'origine"
STORAGE = "espace de stockage brut (bucket) : ni éditeur identifiable ni adresse pérenne"
BLOG = "blog ou plateforme de blogs : lecture de seconde main, citer le texte ou l'article d'origine"

#: host (or parent domain) -> reason. A host matches when it equals the entry or ends with "." + entry.
DENIED_HOSTS: dict[str, str] = {
    # document dumps
    "studylib.net": DUMP,
    "studylibfr.com": DUMP,
    "docplayer.fr": DUMP,
    "docplayer.net": DUMP,
    "fdocuments.fr": DUMP,
    "fdocuments.net": DUMP,
    "vdocuments.fr": DUMP,
    "vdocuments.net": DUMP,
    "pdfslide.fr": DUMP,
    "pdfslide.net": DUMP,
    "pdfslide.tips": DUMP,
    "doczz.fr": DUMP,
    "doczz.net": DUMP,
    "123dok.net": DUMP,
    "readkong.com": DUMP,
    "docslib.org": DUMP,
    "yumpu.com": DUMP,
    "issuu.com": DUMP,
    "calameo.com": DUMP,
    "scribd.com": DUMP,
    "manualzilla.com": DUMP,
    # storage buckets
    "amazonaws.com": STORAGE,
    "storage.googleapis.com": STORAGE,
    "blob.core.windows.net": STORAGE,
    "digitaloceanspaces.com": STORAGE,
    "r2.dev": STORAGE,
    # blogs
    "typepad.fr": BLOG,
    "typepad.com": BLOG,
    "blogspot.com": BLOG,
    "over-blog.com": BLOG,
    "canalblog.com": BLOG,
    "wordpress.com": BLOG,
    "hautetfort.com": BLOG,
    "letowski.fr": BLOG,
}


def host_of(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")


def denied_reason(url: str) -> str | None:
    """Why `url` may not be cited as a source, or None when its host is not denied."""
    host = host_of(url)
    if not host:
        return None
    for denied, reason in DENIED_HOSTS.items():
        if host == denied or host.endswith("." + denied):
            return reason
    if host.startswith("blog.") or ".blog." in host:
        return BLOG
    return None
