"""A real threaded HTTP server on 127.0.0.1 with programmable routes, as pytest fixtures.

Use it from a test module with ``pytest_plugins = ["tests.conftest_http"]`` and ask for ``http_server``
(one server) or ``http_server_factory`` (several, for cross-server redirects). Routes say status, headers
and body; a route can also wait before answering (``delay``) or drip its body one byte at a time
(``drip``) to exercise timeouts. Every request's path and headers are recorded in ``server.requests``.

Example:
    >>> def test_page(http_server):                                      # doctest: +SKIP
    ...     http_server.add("/a", b"<html>hi</html>")
    ...     http_server.redirect("/old", "/a")
    ...     assert fetch(http_server.url("/old"), allow_private=True).final_url == http_server.url("/a")
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

__all__ = ["Route", "TestServer", "http_server", "http_server_factory"]


@dataclass(frozen=True, slots=True)
class Route:
    """What the server answers on one path.

    ``headers`` are sent as given (a Content-Length is added unless present or ``chunked``);
    ``delay`` waits before the status line; ``drip`` sends the body one byte per ``drip`` seconds;
    ``chunked`` sends it with chunked transfer encoding (no length known in advance).
    """

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    drip: float | None = None
    chunked: bool = False


@dataclass(slots=True)
class Request:
    """One request the server received, and when (``time.monotonic()``, to measure a client's spacing)."""

    path: str
    headers: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive connection does not hold a thread for long
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep test output clean."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        owner = self.server.owner
        owner.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            route = Route(404, b"<html><body>not found</body></html>", (("Content-Type", "text/html"),))
        if route.delay:
            if owner.stopping.wait(route.delay):
                return
        try:
            self.send_response(route.status)
            names = {name.lower() for name, _ in route.headers}
            for name, value in route.headers:
                self.send_header(name, value)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif "content-length" not in names:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.chunked:
                for i in range(0, len(route.body), 4096):
                    piece = route.body[i : i + 4096]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
                return
            if route.drip is None:
                self.wfile.write(route.body)
                return
            for i in range(len(route.body)):
                self.wfile.write(route.body[i : i + 1])
                self.wfile.flush()
                if owner.stopping.wait(route.drip):
                    return
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: TestServer

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A client that hangs up early (a refused bomb, a deadline) is expected; anything else is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class TestServer:
    """A running server: ``add``/``redirect`` routes, ``url(path)`` to reach them, ``stop`` when done."""

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        drip: float | None = None,
        chunked: bool = False,
    ) -> str:
        """Serve ``body`` on ``path`` (``content_type=None`` sends no Content-Type); returns the URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        pairs = [("Content-Type", content_type)] if content_type is not None else []
        pairs += list((headers or {}).items())
        self.routes[path] = Route(status, data, tuple(pairs), delay, drip, chunked)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``to`` (relative or absolute); returns the URL of ``path``."""
        self.routes[path] = Route(status, b"", (("Location", to), ("Content-Type", "text/html")))
        return self.url(path)

    def stop(self) -> None:
        """Stop serving and release the port; dripping and delayed handlers give up promptly."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """One fresh server on an ephemeral port of 127.0.0.1."""
    server = TestServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http_server_factory() -> Iterator[Callable[[], TestServer]]:
    """A function that starts another server; all are stopped at the end of the test."""
    servers: list[TestServer] = []

    def start() -> TestServer:
        servers.append(TestServer())
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes; for asserting on server-side effects."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
