"""URL helpers: registered domains (offline public-suffix list), hosts, file URLs, normalised keys."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import tldextract

# suffix_list_urls=() keeps tldextract on its bundled snapshot: it never goes to the network. The list's private
# section is used too: on blogspot.com, github.io or herokuapp.com every subdomain is someone else's site.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
#: Hosting platforms missing from the public-suffix list on which each subdomain is its own publication too.
PLATFORM_DOMAINS = frozenset({
    "wordpress.com", "substack.com", "tumblr.com", "weebly.com", "livejournal.com", "over-blog.com", "medium.com",
    "wix.com", "jimdofree.com", "webnode.page", "ucoz.net", "ucoz.ru", "narod.ru", "blog.hu", "blogfa.com",
})


# scheme://host followed by a path, query, fragment or nothing: no user, port, brackets or stray characters, so
# the host is what urlsplit would return (anything else goes through urlsplit itself)
_PLAIN_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9.-]+)(?=[/?#]|\Z)")


def host(url: str | None) -> str:
    """Lower-cased host name of a URL without a leading ``www.``, or '' when it has none."""
    if not url:
        return ""
    url = url.strip()
    plain = _PLAIN_HOST.match(url)
    if plain:
        name = plain.group(1).lower().rstrip(".")
    else:
        try:
            name = (urlsplit(url).hostname or "").lower().rstrip(".")
        except ValueError:
            return ""
    return name[4:] if name.startswith("www.") else name


def registered_domain(url_or_host: str | None) -> str:
    """The registrable domain (``thetimes.co.uk``), else the bare host (IPs, ``localhost``), else ''."""
    if not url_or_host:
        return ""
    name = host(url_or_host) if "://" in url_or_host else url_or_host.lower().strip().rstrip(".")
    return _registered_host(name) if name else ""


@lru_cache(maxsize=256)
def link_domains(links: tuple[str, ...]) -> frozenset[str]:
    """Registered domains of a page's links ('' for a link without a host), once per page: a page is checked
    against each of its matches, and indexed with them."""
    return frozenset(registered_domain(link) for link in links)


@lru_cache(maxsize=65536)
def _registered_host(name: str) -> str:
    """``registered_domain`` of a bare host, cached by host: a page links many URLs on few hosts."""
    parts = _EXTRACT(name)
    registered = parts.top_domain_under_public_suffix if hasattr(parts, "top_domain_under_public_suffix") else parts.registered_domain
    if registered in PLATFORM_DOMAINS and parts.subdomain:
        return f"{parts.subdomain.rsplit('.', 1)[-1]}.{registered}"
    return registered or name


def site_label(url_or_host: str | None) -> str:
    """The distinctive label of a site's domain (``balkanweb`` for www.balkanweb.com).

    A host under no known public suffix (``westshore.example``, ``intranet.test``) has its label before the
    last one: the last is the made-up suffix, and taking it would give every ``.example`` site the same name.
    """
    domain = registered_domain(url_or_host)
    if not domain:
        return ""
    if domain.split(".", 1)[-1] in PLATFORM_DOMAINS:  # foo.wordpress.com is "foo"
        return domain.split(".", 1)[0]
    parts = _EXTRACT(domain)
    if parts.suffix or parts.domain == domain or "." not in domain:
        return parts.domain
    return domain.split(".")[-2]


def file_url(path: Path) -> str:
    """A ``file://`` URL for a local path."""
    return Path(path).resolve().as_uri()


def is_http_url(text: str) -> bool:
    """True for a string that looks like an http(s) URL."""
    lowered = text.strip().lower()
    return lowered.startswith("http://") or lowered.startswith("https://")


def normalise_url(url: str) -> str:
    """A stable key for a URL: scheme and host lower-cased, fragment dropped, default ports removed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    netloc = (parts.hostname or "").lower()
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
