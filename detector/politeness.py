"""Polite batch fetching: robots.txt, per-host concurrency and delay, retries with backoff, a global limit.

Wraps the safe one-page ``Fetcher`` (address policy, byte caps, deadlines) for many URLs at once:
- robots.txt is read once per host, under its own timeout, following RFC 9309: a 4xx means no rules, a 5xx
  or an unreachable file means "disallow all" for that host; its ``Crawl-delay`` raises the host's delay;
- at most ``per_host`` requests run at once against one host, spaced ``delay_s`` apart (start to start);
- HTTP 429 and 503 are retried ``retries`` times, waiting ``backoff_s * 2**attempt`` (capped);
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
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from detector.config import DEFAULT, Config
from detector.errors import FetchError
from detector.fetch import Fetcher, scheme_error
from detector.records import Page

_RETRY_STATUS = re.compile(r"\bHTTP (429|503)\b")


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


def interleave(urls: Iterable[str]) -> list[str]:
    """URLs reordered round-robin by host (order within a host kept), so hosts share the workers."""
    queues: dict[str, deque[str]] = defaultdict(deque)
    for url in urls:
        queues[urlsplit(url).netloc.lower()].append(url)
    out: list[str] = []
    while queues:
        for key in list(queues):
            out.append(queues[key].popleft())
            if not queues[key]:
                del queues[key]
    return out


class _Host:
    """Per-host state: a concurrency gate, the next allowed start time, and the parsed robots.txt."""

    def __init__(self, per_host: int) -> None:
        self.gate = threading.Semaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.robots: RobotFileParser | None = None
        self.robots_loaded = False
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

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.politeness.per_host)
            return self._hosts[key]

    def _load_robots(self, url: str, state: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            response = self.fetcher.client.get(robots_url, headers={"User-Agent": self.config.user_agent},
                                               timeout=self.politeness.robots_timeout_s, follow_redirects=True)
            status, body = response.status_code, response.content[:500_000]
        except (httpx.HTTPError, OSError, ValueError):
            status, body = 599, b""
        if status >= 500:
            parser.disallow_all = True
        elif status >= 400:
            parser.allow_all = True
        else:
            parser.parse(body.decode("utf-8", "replace").splitlines())
            delay = parser.crawl_delay(self.config.user_agent)
            if delay:
                state.delay = min(float(delay), self.politeness.max_crawl_delay_s)
        state.robots = parser

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this user agent fetch the URL (read once per host, under a lock)."""
        if not self.politeness.robots:
            return True
        state = self._host(url)
        with state.lock:
            if not state.robots_loaded:
                self._load_robots(url, state)
                state.robots_loaded = True
        assert state.robots is not None
        return state.robots.can_fetch(self.config.user_agent, url)

    def _wait_turn(self, state: _Host) -> None:
        with state.lock:
            now = time.monotonic()
            start = max(now, state.next_start)
            state.next_start = start + max(self.politeness.delay_s, state.delay)
        if start > now:
            self._sleep(start - now)

    def fetch(self, url: str) -> Page:
        """One page, politely; raises FetchError (not http(s), refused by robots.txt, or after the last retry).

        The scheme is checked first: a URL that cannot be fetched at all never costs a robots.txt request.
        """
        if (problem := scheme_error(url)) is not None:
            raise FetchError(url, problem)
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt")
        state = self._host(url)
        attempt = 0
        while True:
            with state.gate:
                self._wait_turn(state)
                try:
                    return self.fetcher.fetch(url)
                except FetchError as exc:
                    if attempt >= self.politeness.retries or not _RETRY_STATUS.search(exc.message):
                        raise
            wait_s = min(self.politeness.backoff_s * 2 ** attempt, self.politeness.max_backoff_s)
            attempt += 1
            self._sleep(wait_s)

    def fetch_all(self, urls: Iterable[str]) -> Iterator[tuple[str, Page | FetchError]]:
        """``(url, page or error)`` as fetches finish; at most ``concurrency`` in flight, a bounded backlog."""
        order = iter(interleave(urls))
        limit = max(1, self.politeness.concurrency)
        with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="fetch") as pool:
            pending: dict[Future[Page], str] = {}

            def top_up() -> None:
                for url in order:
                    pending[pool.submit(self.fetch, url)] = url
                    if len(pending) >= 2 * limit:
                        return

            top_up()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    url = pending.pop(future)
                    error = future.exception()
                    if error is None:
                        yield url, future.result()
                    elif isinstance(error, FetchError):
                        yield url, error
                    else:
                        yield url, FetchError(url, f"{type(error).__name__}: {error}")
                top_up()
