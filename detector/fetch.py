"""Fetch one web page as a ``Page``, safely: checked addresses, capped bytes, one total deadline, HTML only.

Everything that can go wrong with a URL becomes a ``FetchError`` with a one-line message, so a batch can
log it and go on. Redirects are followed here, hop by hop, so that each target is checked by the address
policy (``detector.netguard``) before anything is sent to it. Bodies are read raw and decompressed here
with an output cap (``detector.body_decode``), so a gzip or brotli bomb stops at ``max_bytes`` instead of
filling memory; what is not a page is refused by its type and first bytes (``detector.content_kind``).

Examples:
    >>> with Fetcher() as fetcher:                                   # doctest: +SKIP
    ...     page = fetcher.fetch("https://www.balkanweb.com/")
    >>> page = fetch("http://127.0.0.1:8000/", allow_private=True)    # doctest: +SKIP
"""

from __future__ import annotations

import re
import ssl
import socket
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from urllib.parse import urlsplit
from dataclasses import replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from detector.body_decode import BoundedDecoder
from detector.charset import declared_charset
from detector.config import DEFAULT, Config
from detector.content_kind import refuse_body, refuse_type
from detector.errors import FetchError
from detector.netguard import (AddressPolicy, AddressRefused, ResolveError, deadline, guarded_transport, parse_ip,
                               StopSignal, scheme_refusal, stoppable)
from detector.records import Page
from detector.urls import UNSUPPORTED_SCHEME, is_http_url, url_problem

__all__ = ["fetch", "Fetcher", "UNSUPPORTED_SCHEME", "describe_error", "exception_chain", "BadLocation"]

# UNSUPPORTED_SCHEME (from detector.urls): the CLI's input checks (``detector.sources.expand``,
# ``detector.audit_inputs``) use it too.

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
ACCEPT_ENCODING = "gzip, deflate, br"
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|[0-9A-Fa-f:.]+)$")  # a name or an IP literal


# ------------------------------------------------------------------------------------------- pure checks


class BadLocation(ValueError):
    """A redirect points somewhere that is never fetched (``javascript:``, ``mailto:``, an unparsable URL);
    ``str()`` is the one-line refusal."""


def _check_location(response: httpx.Response) -> None:
    """Response hook: refuse a redirect to a non-http(s) scheme or an unparsable URL before httpx builds
    the next request (it does even with ``follow_redirects=False``), where a ``javascript:`` target would
    surface as httpx's "For absolute URLs, path must be empty or begin with '/'"."""
    if response.status_code not in _REDIRECT_CODES or "location" not in response.headers:
        return
    location = response.headers["location"].strip()
    shown = location if len(location) <= 80 else location[:79] + "…"
    scheme = _SCHEME.match(location)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise BadLocation(f"{scheme_refusal(scheme.group(1).lower())} (redirect to {shown!r})")
    try:
        response.request.url.join(location)
    except (httpx.InvalidURL, ValueError) as exc:
        raise BadLocation(f"invalid redirect target {shown!r}: {exc}") from None


# ------------------------------------------------------------------------------------------------ fetcher


class Fetcher:
    """Fetches pages with one reusable HTTP client; use as a context manager (or call ``close``).

    Without ``client`` it builds one whose connections are checked by ``policy`` at connect time (see
    ``detector.netguard``). With a ``client`` of your own, each hop's host is resolved and checked before
    the request, which leaves a small DNS-rebinding window, and the client is not closed here.
    """

    def __init__(
        self,
        config: Config = DEFAULT,
        *,
        allow_private: bool = False,
        client: httpx.Client | None = None,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.config = config
        policy = policy or AddressPolicy()
        self.policy = replace(policy, allow_private=True) if allow_private else policy
        self._own_client = client is None
        self._precheck_dns = client is not None
        self.client = client or httpx.Client(
            transport=guarded_transport(self.policy),
            follow_redirects=False,
            trust_env=False,
            timeout=config.timeout_s,
            event_hooks={"response": [_check_location]},
        )
        self._headers = {
            "User-Agent": config.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        self._stopping = StopSignal()

    def stop(self) -> None:
        """Make fetches in flight (in other threads) give up at once, their connections shut down, and new ones
        with ``FetchError(url, INTERRUPTED)``: an interrupted audit waited for a slow server's whole time limit
        (39 s after Ctrl-C, with two dripping pages in line). ``resume`` undoes it."""
        self._stopping.set()

    def resume(self) -> None:
        self._stopping.clear()

    @property
    def stop_event(self) -> StopSignal:
        """Set by ``stop``; the connections this fetcher opens are under it (``netguard.stoppable``)."""
        return self._stopping

    def stopped(self, url: str) -> None:
        """Raise ``FetchError(url, INTERRUPTED)`` once ``stop`` was called."""
        if self._stopping.is_set():
            raise FetchError(url, INTERRUPTED)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher made it."""
        if self._own_client:
            self.client.close()

    def fetch(self, url: str, around_hop: Callable[[httpx.URL], AbstractContextManager[object]] | None = None) -> Page:
        """The page at ``url`` after redirects; raises ``FetchError(url, reason)`` for anything unusable.

        A malformed http(s) URL (``url_problem``: no host, a bad IPv6 literal, port 99999, a space in the
        host) is refused first, with its own reason, before any DNS lookup or connection. ``around_hop(hop)``
        (a polite fetcher's robots.txt check, host gate and delay) is entered around each request, the
        redirects' included; the time spent waiting in it is not taken from the total time limit.
        """
        if isinstance(url, str) and is_http_url(url) and (problem := url_problem(url)) is not None:
            raise FetchError(url, problem)
        current = self._parse(url)
        seen = {str(current)}
        spent = 0.0  # seconds of the total limit the earlier hops used
        for _hop in range(self.config.max_redirects + 1):
            with around_hop(current) if around_hop else nullcontext(), deadline(self.config.timeout_s - spent) as end, \
                    stoppable(self.stop_event):
                started = time.monotonic()
                try:
                    result = self._one_hop(url, current, end)
                except FetchError:
                    raise
                except BadLocation as exc:
                    raise FetchError(url, str(exc)) from None
                except (httpx.HTTPError, httpx.InvalidURL, AddressRefused, ResolveError, OSError) as exc:
                    self.stopped(url)  # a read cut short by ``stop``
                    raise FetchError(url, describe_error(exc, self.config, end)) from exc  # one clear line each
                finally:
                    spent += time.monotonic() - started
            if isinstance(result, Page):
                return result
            if str(result) in seen:
                raise FetchError(url, f"redirect loop at {result}")
            seen.add(str(result))
            current = result
        raise FetchError(url, f"too many redirects (more than {self.config.max_redirects})")

    def _parse(self, url: str) -> httpx.URL:
        """The URL as httpx reads it; spellings httpx rejects (``0177.0.0.1``) still get the address check."""
        if not url or not url.strip():
            raise FetchError(url or "''", "invalid URL: empty")
        try:
            return httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            try:
                split = urlsplit(url.strip())
                ip = parse_ip(split.hostname or "")
                if ip is not None:
                    self.policy.check_ip(ip, split.port or 80, split.hostname)
            except AddressRefused as refusal:
                raise FetchError(url, str(refusal)) from None
            except ValueError:
                pass
            raise FetchError(url, f"invalid URL: {exc}") from None

    def check(self, url: str, current: httpx.URL) -> None:
        """Refuse ``current`` (a hop of ``url``) before anything is sent to it: scheme, host, literal address,
        and with a caller's client, every address the name resolves to. Raises ``FetchError``,
        ``AddressRefused`` or ``ResolveError``."""
        self.policy.check_url(current)
        if not _HOST.match(current.raw_host.decode("ascii", "replace")):
            raise FetchError(url, f"invalid URL: bad host {current.host!r}")
        if self._precheck_dns:
            self.policy.resolve(current.host, current.port or (443 if current.scheme == "https" else 80))

    def _one_hop(self, url: str, current: httpx.URL, end: float) -> Page | httpx.URL:
        """One request: the page, or the URL a redirect points to."""
        self.stopped(url)
        self.check(url, current)
        request = self.client.build_request(
            "GET", current, headers=self._headers, timeout=httpx.Timeout(max(end - time.monotonic(), 0.001))
        )
        try:
            response = self.client.send(request, stream=True, follow_redirects=False)
        except httpx.InvalidURL as exc:  # a caller's client (no hook) building the next hop of a redirect
            raise FetchError(url, f"invalid redirect target: {exc}") from None
        try:
            status = response.status_code
            if status in _REDIRECT_CODES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location header")
                _check_location(response)  # a caller's client has no hook
                try:
                    target = current.join(location.strip())
                except (httpx.InvalidURL, ValueError) as exc:
                    raise FetchError(url, f"invalid redirect target {location!r}: {exc}") from None
                problem = url_problem(str(target))
                if problem is not None:
                    reason = problem.removeprefix("invalid URL: ")
                    raise FetchError(url, f"invalid redirect target {location!r}: {reason}")
                return target
            if status >= 400:
                raise FetchError(url, f"HTTP {status} {response.reason_phrase}".strip(),
                                 retry_after=retry_after_s(response.headers.get("retry-after")))
            if not 200 <= status < 300:
                raise FetchError(url, f"unexpected HTTP status {status}")
            content_type = response.headers.get("content-type")
            refusal = refuse_type(content_type)
            if refusal is None:
                refusal = self._refuse_length(response.headers.get("content-length"))
            if refusal is not None:
                raise FetchError(url, refusal)
            body = self._read_body(url, response, end)
        finally:
            response.close()
        refusal = refuse_body(content_type, body)
        if refusal is not None:
            raise FetchError(url, refusal)
        return Page(
            url=url,
            final_url=str(current),
            html=body,
            status=status,
            headers={k.lower(): v for k, v in response.headers.items()},
            charset=declared_charset(content_type, body),
            fetched_at=datetime.now(timezone.utc),
        )

    def _refuse_length(self, content_length: str | None) -> str | None:
        declared = int(content_length) if content_length and content_length.strip().isdigit() else 0
        if declared > self.config.max_bytes:
            return f"body larger than {self.config.max_bytes} bytes (Content-Length {declared})"
        return None

    def _read_body(self, url: str, response: httpx.Response, end: float) -> bytes:
        """The decoded body, stopped at ``max_bytes`` on the wire or after decompression, or at the deadline."""
        limit = self.config.max_bytes
        try:
            decoder = BoundedDecoder(response.headers.get("content-encoding"), limit)
        except NotImplementedError as exc:
            raise FetchError(url, str(exc)) from None
        parts: list[bytes] = []
        wire = 0
        for chunk in response.iter_raw():
            wire += len(chunk)
            if wire > limit:
                raise FetchError(url, f"body larger than {limit} bytes")
            try:
                parts.append(decoder.feed(chunk))
            except (OverflowError, ValueError) as exc:
                raise FetchError(url, str(exc)) from None
            if time.monotonic() > end:
                raise FetchError(url, _deadline_message(self.config))
            self.stopped(url)
        return b"".join(parts)


def fetch(
    url: str,
    config: Config = DEFAULT,
    *,
    allow_private: bool = False,
    client: httpx.Client | None = None,
    policy: AddressPolicy | None = None,
) -> Page:
    """Fetch one page (see ``Fetcher``); for many pages, reuse one ``Fetcher`` to keep connections."""
    with Fetcher(config, allow_private=allow_private, client=client, policy=policy) as fetcher:
        return fetcher.fetch(url)


# --------------------------------------------------------------------------------------- error messages


#: Why a fetch stopped when its run was interrupted (``Fetcher.stop``).
INTERRUPTED = "interrupted before it finished"


def _deadline_message(config: Config) -> str:
    return f"timed out: took longer than the total limit of {config.timeout_s:g} s"


def retry_after_s(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: a number of seconds or an HTTP date (None when absent or
    unreadable)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first (httpx wraps httpcore, which wraps the OS error)."""
    found: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in found:
        found.append(cur)
        cur = cur.__cause__ or cur.__context__
    return found


def describe_error(exc: BaseException, config: Config, end: float) -> str:
    """One line saying what a network exception means for the user, without exception class names.

    ``end`` is the request's deadline (``time.monotonic()``), to tell the total limit from one slow read.
    """
    if isinstance(exc, (AddressRefused, ResolveError)):
        return str(exc)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return f"invalid URL: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        if time.monotonic() >= end - 0.01:
            return _deadline_message(config)
        return f"timed out ({'connect' if isinstance(exc, httpx.ConnectTimeout) else 'read'})"
    for cause in exception_chain(exc):
        if isinstance(cause, (ssl.SSLError, ssl.CertificateError)):
            return f"TLS failure: {cause}"
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup failed: {cause}"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {exc}"
    if isinstance(exc, BadLocation):
        return str(exc)
    message = " ".join(str(exc).split())
    return f"fetch failed: {message}" if message else f"fetch failed ({type(exc).__name__})"
