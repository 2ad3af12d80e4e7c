"""Polite batch fetching: robots.txt, per-host concurrency and delay, retries with backoff, a global limit.

Wraps the safe one-page ``Fetcher`` (address policy, byte caps, deadlines) for many URLs at once:
- a malformed URL (``detector.urls.url_problem``) is refused with its own reason before anything else, so
  it costs no DNS lookup, no robots.txt request, and never stops the batch;
- robots.txt is read once per host, under its own total timeout, following RFC 9309: a 4xx means no rules,
  a 5xx or an unreachable file means "disallow all" for that host, and its pages are refused saying why
  (``not fetched: robots.txt unreachable (HTTP 500)``, or ``not fetched: host unreachable (connection
  refused, while reading robots.txt)`` when no server answers at all); its ``Crawl-delay`` raises the host's
  delay;
- at most ``per_host`` requests run at once against one host, spaced ``delay_s`` apart (start to start);
  a redirect is a request to the host it points to: that host's robots.txt, gate and delay apply to it;
- HTTP 429 and 503 are retried ``retries`` times, waiting ``backoff_s * 2**attempt`` or the response's
  ``Retry-After``, whichever is longer (capped at ``max_backoff_s``);
- at most ``concurrency`` requests run at once overall; URLs are interleaved by host so one big site does
  not hold every worker thread.

Example:
    >>> with PoliteFetcher(Politeness(delay_s=0.5)) as polite:               # doctest: +SKIP
    ...     for url, result in polite.fetch_all(urls):
    ...         print(url, result if isinstance(result, FetchError) else result.final_url)
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from detector.config import DEFAULT, Config
from detector.errors import FetchError
from detector.body_decode import BoundedDecoder
from detector.fetch import ACCEPT_ENCODING, Fetcher, describe_error, exception_chain
from detector.netguard import AddressRefused, ResolveError, deadline, stoppable
from detector.records import Page
from detector.urls import url_problem

_RETRY_STATUS = re.compile(r"\bHTTP (429|503)\b")
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: parse at least 500 KiB; the rest is ignored
DISALLOWED = "disallowed by robots.txt"
#: A host whose robots.txt request found no server listening (its pages are refused, as RFC 9309 has it).
HOST_REFUSED = "not fetched: host unreachable (connection refused, while reading robots.txt)"


@dataclass(frozen=True, slots=True)
class Politeness:
    """How gently to fetch: limits per host and overall, delays, robots.txt and retry settings."""

    concurrency: int = 16
    per_host: int = 2
    delay_s: float = 1.0
    robots: bool = True
    robots_timeout_s: float = 10.0
    max_crawl_delay_s: float = 30.0
    retries: int = 3
    backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    #: Whether a redirect waits for its host's delay as a page does (audits); a user naming one page follows
    #: its redirects at once, as a browser does (it still counts as a request: the next page waits for it).
    redirects_wait: bool = True


def host_key(url: str) -> str:
    """The key of a URL's per-host queue: its lower-cased netloc, or the URL itself when it cannot be split
    (``http://[::1``): such a URL is refused on its own, and must not stop the others."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


def interleave(urls: Iterable[str]) -> list[str]:
    """URLs reordered round-robin by host (order within a host kept), so hosts share the workers."""
    queues: dict[str, deque[str]] = defaultdict(deque)
    for url in urls:
        queues[host_key(url)].append(url)
    out: list[str] = []
    while queues:
        for key in list(queues):
            out.append(queues[key].popleft())
            if not queues[key]:
                del queues[key]
    return out


class _Host:
    """Per-host state: a concurrency gate, the next allowed start time, the parsed robots.txt, and why it
    could not be read (``refusal``: every page of the host is refused with that line)."""

    def __init__(self, per_host: int) -> None:
        self.gate = threading.Semaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.robots: RobotFileParser | None = None
        self.robots_loaded = False
        self.refusal: str | None = None
        self.delay = 0.0


class PoliteFetcher:
    """Fetch many URLs politely with one shared (thread-safe) ``Fetcher``; use as a context manager."""

    def __init__(self, politeness: Politeness = Politeness(), config: Config = DEFAULT, *,
                 allow_private: bool = False, fetcher: Fetcher | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.politeness = politeness
        self.config = config
        self.fetcher = fetcher or Fetcher(config, allow_private=allow_private)
        self._own = fetcher is None
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._sleep = sleep

    def __enter__(self) -> "PoliteFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own:
            self.fetcher.close()

    def stop(self) -> None:
        """Make this fetcher's fetches in flight give up soon and its queued ones never start (``Fetcher.stop``),
        from any thread: an interrupted audit's fetches run on a feeder thread."""
        self.fetcher.stop()

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.politeness.per_host)
            return self._hosts[key]

    def _load_robots(self, url: str, state: _Host) -> None:
        """Read the host's robots.txt into ``state``; when it cannot be read, disallow all and say why."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        timeout = self.politeness.robots_timeout_s
        status, body = 599, b""
        state.refusal, state.delay = None, 0.0  # a read cut short by ``stop`` left a reason that no longer holds
        with deadline(timeout) as end, stoppable(self.fetcher.stop_event):
            try:
                status, body = self._get_robots(url, robots_url)
            except (AddressRefused, ResolveError) as exc:  # the host itself is refused: say that, not robots
                state.refusal = str(exc)
            except FetchError as exc:
                state.refusal = exc.message
            except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
                state.refusal = _robots_failure(exc, timeout, end)
        if status >= 500:
            state.refusal = state.refusal or f"not fetched: robots.txt unreachable (HTTP {status})"
            parser.disallow_all = True
        elif status >= 400:
            parser.allow_all = True
        else:
            parser.parse(body.decode("utf-8", "replace").splitlines())
            delay = parser.crawl_delay(self.config.user_agent)
            if delay:
                state.delay = min(float(delay), self.politeness.max_crawl_delay_s)
        state.robots = parser

    def _get_robots(self, url: str, robots_url: str) -> tuple[int, bytes]:
        """Status and first ``ROBOTS_MAX_BYTES`` (decoded) of robots.txt, the host checked by the fetcher's
        address policy first (a caller's own client is not guarded at connect time)."""
        self.fetcher.check(url, httpx.URL(robots_url))
        headers = {"User-Agent": self.config.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        with self.fetcher.client.stream("GET", robots_url, headers=headers,
                                        timeout=self.politeness.robots_timeout_s, follow_redirects=True) as response:
            if response.status_code >= 400:
                return response.status_code, b""
            encoding = response.headers.get("content-encoding")
            try:
                decoder = BoundedDecoder(encoding, ROBOTS_MAX_BYTES)
            except NotImplementedError:  # rules that cannot be read are no permission: disallow all, say why
                raise FetchError(robots_url, f"not fetched: robots.txt unreadable (content encoding {encoding!r} "
                                             "not supported)") from None
            parts: list[bytes] = []
            try:
                for chunk in response.iter_raw():
                    parts.append(decoder.feed(chunk))
            except OverflowError:
                pass  # the rules past the cap are ignored
            return response.status_code, b"".join(parts)

    def robots_refusal(self, url: str) -> str | None:
        """Why robots.txt keeps this user agent from the URL, in one line, or None when it may be fetched.

        ``disallowed by robots.txt`` for a rule; ``not fetched: robots.txt unreachable (<why>)`` when the
        file could not be read (timeout, HTTP 5xx), which disallows the whole host, and ``HOST_REFUSED`` when
        the host refused the connection.
        Read once per host, under a lock.
        """
        if not self.politeness.robots:
            return None
        state = self._host(url)
        with state.lock:
            if not state.robots_loaded:
                self._load_robots(url, state)
                self.fetcher.stopped(url)  # stopped meanwhile: nothing learnt about the host is kept
                state.robots_loaded = True
        assert state.robots is not None
        if state.refusal is not None:
            return state.refusal
        return None if state.robots.can_fetch(self.config.user_agent, url) else DISALLOWED

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this user agent fetch the URL (``robots_refusal`` says why not)."""
        return self.robots_refusal(url) is None

    def _wait_turn(self, state: _Host, wait: bool = True) -> None:
        with state.lock:
            now = time.monotonic()
            start = max(now, state.next_start) if wait else now
            state.next_start = start + max(self.politeness.delay_s, state.delay)
        if start > now:
            self._pause(start - now)

    def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``; with the default sleep, cut short by ``Fetcher.stop`` (the fetch then gives up)."""
        if self._sleep is time.sleep:
            self.fetcher.stop_event.wait(seconds)
        else:
            self._sleep(seconds)

    def fetch(self, url: str) -> Page:
        """One page, politely; raises FetchError (a malformed or non-http(s) URL, refused by robots.txt, or
        after the last retry).

        The URL is checked first (``url_problem``): one that cannot be fetched at all never costs a DNS
        lookup or a robots.txt request, and is refused for what it is.
        """
        if (problem := url_problem(url)) is not None:
            raise FetchError(url, problem)
        if (refusal := self.robots_refusal(url)) is not None:
            raise FetchError(url, refusal)
        attempt = 0
        while True:
            try:
                return self.fetcher.fetch(url, around_hop=lambda hop: self._hop(url, hop))
            except FetchError as exc:
                if not _RETRY_STATUS.search(exc.message):
                    raise
                if attempt >= self.politeness.retries:
                    tries = f" (retried {attempt} time{'s' if attempt != 1 else ''})" if attempt else ""
                    raise FetchError(url, exc.message + tries, exc.retry_after) from None
                wait_s = min(max(self.politeness.backoff_s * 2 ** attempt, exc.retry_after or 0.0),
                             self.politeness.max_backoff_s)
            attempt += 1
            self._pause(wait_s)
            self.fetcher.stopped(url)

    @contextmanager
    def _hop(self, url: str, hop: httpx.URL) -> Iterator[None]:
        """One request of ``url``'s fetch, its redirects' included: a redirect's robots.txt is asked (a redirect
        is no way round the host it lands on), then the request waits for a place in that host's gate and its
        delay, as a page of that host would."""
        target = str(hop)
        if target != url and (refusal := self.robots_refusal(target)) is not None:
            raise FetchError(url, f"{refusal} (redirect to {target})")
        state = self._host(target)
        with state.gate:
            self._wait_turn(state, wait=target == url or self.politeness.redirects_wait)
            self.fetcher.stopped(url)
            yield

    def fetch_all(self, urls: Iterable[str]) -> Iterator[tuple[str, Page | FetchError]]:
        """``(url, page or error)`` as fetches finish; at most ``concurrency`` in flight, a bounded backlog."""
        order = iter(interleave(urls))
        limit = max(1, self.politeness.concurrency)
        stopped_here = False
        try:
            with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="fetch") as pool:
                pending: dict[Future[Page], str] = {}

                def top_up() -> None:
                    while len(pending) < 2 * limit:  # checked first: a wake with nothing done adds nothing
                        url = next(order, None)
                        if url is None:
                            return
                        pending[pool.submit(self.fetch, url)] = url

                try:
                    yield from self._as_done(pending, top_up)
                finally:  # stopped early (an interrupted audit): queued fetches never start, those in flight give up
                    if pending:
                        self.fetcher.stop()
                        stopped_here = True
                    for future in pending:
                        future.cancel()
        finally:
            if stopped_here:  # every fetch has given up: a later fetch_all of this fetcher fetches again
                self.fetcher.resume()

    @staticmethod
    def _as_done(pending: dict[Future[Page], str], top_up: Callable[[], None]
                 ) -> Iterator[tuple[str, Page | FetchError]]:
        """``fetch_all``'s results as the fetches finish, the backlog topped up after each."""
        top_up()
        while pending:
            # With a timeout: a wait without one takes no Ctrl-C until a fetch finishes (a slow server's 20 s).
            done, _ = wait(pending, timeout=_WAKE_S, return_when=FIRST_COMPLETED)
            for future in done:
                url = pending.pop(future)
                error = future.exception()
                if error is None:
                    yield url, future.result()
                elif isinstance(error, FetchError):
                    yield url, error
                else:  # a bug on one hostile URL: one plain line, and the batch goes on
                    message = " ".join(str(error).split())
                    yield url, FetchError(url, f"fetch failed: {message}" if message
                                          else f"fetch failed ({type(error).__name__})")
            top_up()


#: How often a thread waiting for fetches wakes, so that a Ctrl-C is taken at once.
_WAKE_S = 0.2


def _robots_failure(exc: BaseException, timeout: float, end: float) -> str:
    """The line a host's pages are refused with when its robots.txt could not be read: ``not fetched: robots.txt
    unreachable (timed out after 10 s)``; but a host that refused the connection is itself unreachable, and the
    line says so first (``HOST_REFUSED``): the user asked for a page, not for robots.txt."""
    if isinstance(exc, httpx.TimeoutException):
        return f"not fetched: robots.txt unreachable (timed out after {timeout:g} s)"
    if any(isinstance(cause, ConnectionRefusedError) for cause in exception_chain(exc)):
        return HOST_REFUSED
    return f"not fetched: robots.txt unreachable ({describe_error(exc, DEFAULT, end)})"


#: How ``score`` and ``index add`` fetch the pages a user names: one host's pages as an audit fetches them by
#: default (``Politeness()``: its per-host limit, and its delay between request starts, so a list of one site's
#: pages does not hammer it; the first request to a host waits for nothing, nor do redirects), a 429 or 503
#: retried as in an audit, but robots.txt not asked (the user asked for that page, as a browser would).
NAMED_PAGES = replace(Politeness(), robots=False, retries=2, backoff_s=1.0, max_backoff_s=5.0, redirects_wait=False)


def named_page_fetcher(config: Config = DEFAULT, *, allow_private: bool = False) -> PoliteFetcher:
    """The fetcher of ``score`` and ``index add`` (``NAMED_PAGES``): pages of one host spaced as in an audit,
    and an overloaded server's 429 or 503 costs a retry or two, not the page."""
    return PoliteFetcher(NAMED_PAGES, config, allow_private=allow_private)
