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
#: Blogger's country domains (blogspot.it, blogspot.co.uk, blogspot.com.br): the bundled suffix list has only
#: blogspot.com, and every blog under them is someone else's site too.
_COUNTRY_BLOGSPOT = re.compile(r"blogspot\.(?:com?\.)?[a-z]{2,3}")
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


def domain_of(url: str | None) -> str | None:
    """The registered domain of a well-formed http(s) URL (``url_problem`` finds nothing), else None: a URL
    that could not be fetched still belongs to its site, a malformed one to none."""
    if not url or not is_http_url(url) or url_problem(url) is not None:
        return None
    return registered_domain(url) or None


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


#: Hosts of AMP caches, which serve a publisher's AMP page under a host spelling the publisher's:
#: ``www-example-com.cdn.ampproject.org`` is www.example.com's ("-" for ".", "--" for "-").
AMP_CACHE_SUFFIXES = (".cdn.ampproject.org", ".bing-amp.com")


def _amp_cache_origin(name: str) -> str | None:
    """The publisher's host an AMP cache's host spells, else None (an outside probe's crawl made a newsroom's AMP
    page, captured from the cache, a page of a site "ampproject.org")."""
    for suffix in AMP_CACHE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            label = name[: -len(suffix)]
            if "." in label or label.startswith("xn--"):  # a hashed label of a long or non-ASCII host: unknown
                return None
            origin = label.replace("--", "\0").replace("-", ".").replace("\0", "-")
            return origin if "." in origin else None
    return None


@lru_cache(maxsize=65536)
def _registered_host(name: str) -> str:
    """``registered_domain`` of a bare host, cached by host: a page links many URLs on few hosts. A page served
    by an AMP cache belongs to the publisher whose host the cache's spells."""
    name = _amp_cache_origin(name) or name
    parts = _EXTRACT(name)
    registered = parts.top_domain_under_public_suffix if hasattr(parts, "top_domain_under_public_suffix") else parts.registered_domain
    if (registered in PLATFORM_DOMAINS or _COUNTRY_BLOGSPOT.fullmatch(registered)) and parts.subdomain:
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


def without_fragment(url: str) -> str:
    """``url`` without its ``#fragment``: a browser never sends the fragment, so ``/x`` and ``/x#comments`` are
    one request and one page. The first ``#`` always starts the fragment (RFC 3986 allows none before it)."""
    return url.partition("#")[0]


#: Query parameters that campaigns, newsletters and ad clicks add to a link: they name no other page.
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok",
                       re.IGNORECASE)


def without_tracking(url: str) -> str:
    """``url`` without the tracking parameters of its query (``?utm_source=newsletter``, ``&fbclid=...``), the
    others kept as written: links shared on social media and in newsletters carry them, and an ad network's
    probe counted two such links to one story as three pages of its domain."""
    base, mark, query = url.partition("?")
    if not mark:
        return url
    query, hash_mark, fragment = query.partition("#")
    parts = [part for part in query.split("&") if part]
    kept = [part for part in parts if not _TRACKING.fullmatch(part.partition("=")[0])]
    if len(kept) == len(parts):
        return url
    return base + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment


def crawled_url(url: str) -> str:
    """A crawl record's target URL as a page's address: its scheme and host lower-cased and its fragment dropped
    (``HTTPS://Site.EXAMPLE/a#comments`` is ``https://site.example/a``), the rest as written; a URL Python cannot
    split stays as it is."""
    url = without_fragment(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    user, at, hostport = parts.netloc.rpartition("@")
    return urlunsplit((parts.scheme.lower(), f"{user}{at}{hostport.lower()}", parts.path, parts.query, ""))


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


# ------------------------------------------------------------------------------------ fetchable URLs

#: What a fetcher says of a URL that is not http(s) (``detector.fetch.UNSUPPORTED_SCHEME`` is this text).
UNSUPPORTED_SCHEME = "unsupported URL scheme (only http and https)"
_NUMERIC_LABEL = re.compile(r"(?:[0-9]+|0[xX][0-9A-Fa-f]*)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(text: str, limit: int = 60) -> str:
    """``repr`` of a piece of a URL for a message, cut to ``limit`` characters so the message stays one line."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched, in one line (``'invalid URL: empty label in host 'a..b''``), or None.

    Checks the URL as written, without touching the network: it must be http(s) with a host that can exist.
    A fetcher calls this before any DNS lookup or robots.txt request, so a malformed line of a URL list is
    refused for what it is (not as a DNS failure, a refused connection or "disallowed by robots.txt"), and
    one such line never stops a batch. Refused: no host, a bad IPv6 literal (``http://[::1``,
    ``http://[zz]/``), a port outside 1-65535, a host with spaces or other characters no host name holds,
    an empty label (``a..b``), a host over 253 characters or a label over 63, a bad punycode label
    (``xn--``), a hyphen at either end of the last two labels (no registry hands out ``-x-.com``; deeper
    labels are left alone, as hosting platforms gave out names like ``foo-.blogspot.com``), a dotted
    number that is no IPv4 address (``999.1.1.1``), and any scheme but http and https
    (``UNSUPPORTED_SCHEME``).

    >>> url_problem("https://www.balkanweb.com/a") is None
    True
    >>> url_problem("http://127.0.0.1:99999/x")
    "invalid URL: port '99999' out of range (1-65535)"
    """
    if not isinstance(url, str) or not url.strip():
        return "invalid URL: empty"
    text = url.strip()
    if not is_http_url(text):
        return UNSUPPORTED_SCHEME
    if _CONTROL.search(text):
        return "invalid URL: it holds a control character (a tab, a line break...)"
    authority = re.split(r"[/?#]", text.split("://", 1)[1], maxsplit=1)[0]
    if "\\" in authority:
        return f"invalid URL: backslash in the host part {_shown(authority)}"
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        closing = hostport.find("]")
        if closing < 0:
            return f"invalid URL: unclosed '[' in the host {_shown(hostport)} (an IPv6 address goes in square brackets)"
        name, rest = hostport[1:closing], hostport[closing + 1 :]
        if rest and not rest.startswith(":"):
            return f"invalid URL: {_shown(rest)} after the IPv6 address {_shown(name)}"
        port = rest[1:] if rest else ""
        problem = _ipv6_problem(name)
    else:
        name, _, port = hostport.partition(":")
        if ":" in port:
            return f"invalid URL: {_shown(hostport)} is no host (an IPv6 address is written in brackets)"
        problem = _host_problem(name)
    return problem or _port_problem(port)


def _ipv6_problem(text: str) -> str | None:
    """Why the text between a URL's brackets is no IPv6 address (a ``%25`` zone id allowed), or None."""
    import ipaddress

    address = text.split("%", 1)[0]
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return f"invalid URL: {_shown(text)} is not an IPv6 address"
    return None


def _port_problem(port: str) -> str | None:
    """Why a URL's port cannot be connected to, or None (an empty port means the scheme's default)."""
    if not port:
        return None
    if not port.isascii() or not port.isdigit():
        return f"invalid URL: port {_shown(port)} is not a number"
    if not 1 <= int(port) <= 65535:
        return f"invalid URL: port {_shown(port)} out of range (1-65535)"
    return None


def _host_problem(name: str) -> str | None:
    """Why a host name (not bracketed) cannot exist, or None; IPv4 literals in any spelling pass."""
    if not name:
        return "invalid URL: no host"
    if not name.isascii():
        try:
            import idna  # the IDNA 2008 encoder httpx itself uses for such hosts

            name = idna.encode(name.lower()).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return f"invalid URL: {_shown(name)} is not a valid internationalised host name"
    bare = name[:-1] if name.endswith(".") else name
    labels = bare.split(".")
    if all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        from detector.netguard import parse_ip  # numbers only: an IPv4 address in one of its spellings

        return None if parse_ip(bare) is not None else f"invalid URL: {_shown(bare)} is not a valid IPv4 address"
    for char in bare:
        if not (char.isalnum() and char.isascii()) and char not in "._-":
            return f"invalid URL: invalid character {char!r} in the host {_shown(name)}"
    if len(bare) > 253:
        return f"invalid URL: host name longer than 253 characters ({len(bare)})"
    for position, label in enumerate(labels):
        if not label:
            return f"invalid URL: empty label in the host {_shown(name)}"
        if len(label) > 63:
            return f"invalid URL: label {_shown(label, 20)} longer than 63 characters ({len(label)})"
        if label[:4].lower() == "xn--" and not _punycode_ok(label[4:]):
            return f"invalid URL: {_shown(label)} is not a valid internationalised (punycode) label"
        if position >= len(labels) - 2 and (label.startswith("-") or label.endswith("-")):
            return f"invalid URL: label {_shown(label)} of the host {_shown(name)} starts or ends with a hyphen"
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        return f"invalid URL: {_shown(bare)} is neither a host name nor an IPv4 address (numeric last label)"
    return None


def _punycode_ok(encoded: str) -> bool:
    """Whether the part of an ``xn--`` label after its prefix decodes as punycode to some text."""
    try:
        return bool(encoded) and bool(encoded.encode("ascii").decode("punycode"))
    except (UnicodeError, ValueError):
        return False
