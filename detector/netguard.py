"""Which network addresses the fetcher may connect to, enforced at the moment of connecting.

A URL list given to a crawler is untrusted input: ``http://169.254.169.254/`` would read cloud credentials,
``http://2130706433/`` is loopback spelled as a number, and a public host may redirect to, or re-resolve to,
an intranet address (DNS rebinding). So the policy is checked twice: on every URL (each redirect hop) for a
fast, clear refusal, and inside ``GuardedBackend.connect_tcp``, which resolves the name once, checks every
resolved address, and connects to the checked address itself, so nothing can change in between. TLS SNI and
the Host header keep the name, because httpcore passes the origin's host to ``start_tls`` and httpx sets Host.

The pure part (``parse_ip``, ``refusal_reason``, ``AddressPolicy.check_*``) needs no network; the I/O part
is the backend and ``guarded_transport``. ``deadline`` bounds every socket wait by one wall-clock limit, so a
server that drips a byte per second is cut off by the total deadline, not only by a per-read timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import re
import socket
import ssl
import threading
import time
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpcore
import httpx

__all__ = [
    "IPAddress",
    "AddressRefused",
    "ResolveError",
    "AddressPolicy",
    "GuardedBackend",
    "guarded_transport",
    "parse_ip",
    "refusal_reason",
    "deadline",
    "ALLOWED_SCHEMES",
    "scheme_refusal",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_SPELLING = re.compile(r"^[0-9a-fA-FxX.]+$")


class AddressRefused(Exception):
    """The target's scheme or address is not allowed by the policy; ``str()`` says which and why."""


class ResolveError(Exception):
    """The host name could not be resolved to any address."""


def parse_ip(host: str) -> IPAddress | None:
    """The IP address a URL host denotes, or None for a name.

    Accepts bracketed IPv6 and every IPv4 spelling the C library's ``inet_aton`` accepts (and so that
    ``getaddrinfo`` would connect to): ``2130706433``, ``0x7f.1``, ``017700000001``, ``127.1``.
    """
    text = host.strip().strip("[]").rstrip(".")
    if "%" in text:  # IPv6 zone id: fe80::1%eth0
        text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _IPV4_SPELLING.match(text) and any(c.isdigit() for c in text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64), or None."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why a fetch to ``ip`` is refused (``'loopback'``, ``'cloud metadata'`` ...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner)
            return f"{reason} (embedded in IPv6)" if reason else None
    if ip in _METADATA:
        return "cloud metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared address space (CGNAT)"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "reserved"
    return None


def scheme_refusal(scheme: str) -> str:
    """The one-line refusal of a URL scheme that is never fetched (``ftp``, ``file``, ``javascript``...), the
    same words for a URL given by the user and for the target of a redirect."""
    return f"refused scheme {scheme or '(none)'!r}: only http and https are fetched"


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which schemes and addresses may be fetched; the default refuses everything not globally routable.

    ``allow_private`` lifts the address rules (intranet use, tests on 127.0.0.1). ``allow_networks``
    admits chosen networks and ``allow_endpoints`` chosen ``(ip, port)`` pairs, everything else still
    checked: a test can treat one local server as public and still see a redirect to another refused.
    ``resolver`` maps ``(host, port)`` to address strings (default ``socket.getaddrinfo``).
    """

    allow_private: bool = False
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    allow_endpoints: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    resolver: Resolver | None = None

    def check_ip(self, ip: IPAddress, port: int, host: str | None = None) -> None:
        """Raise ``AddressRefused`` unless a connection to ``ip:port`` is allowed."""
        if self.allow_private or (str(ip), port) in self.allow_endpoints:
            return
        if any(ip in net for net in self.allow_networks if net.version == ip.version):
            return
        reason = refusal_reason(ip)
        if reason is not None:
            shown = f"{host} -> {ip}" if host and host.strip("[]") != str(ip) else str(ip)
            raise AddressRefused(f"refused address {shown}: {reason} (--allow-private, or allow_private=True in Python, lifts this for intranet use)")

    def check_url(self, url: httpx.URL) -> None:
        """Raise ``AddressRefused`` for a non-HTTP(S) scheme, a missing host, or a refused literal IP host.

        Host names are checked later, when they are resolved for connecting.
        """
        if url.scheme not in ALLOWED_SCHEMES:
            raise AddressRefused(scheme_refusal(url.scheme))
        if not url.host:
            raise AddressRefused("URL has no host")
        ip = parse_ip(url.host)
        if ip is not None:
            self.check_ip(ip, url.port or (443 if url.scheme == "https" else 80), url.host)

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` resolves to, after checking them all (one bad address refuses the host)."""
        literal = parse_ip(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                found = (self.resolver or _default_resolver)(host, port)
            except (OSError, UnicodeError) as exc:
                raise ResolveError(f"DNS lookup failed for {host}: {exc}") from exc
            addresses = [ip for ip in (parse_ip(a) for a in found) if ip is not None]
            if not addresses:
                raise ResolveError(f"DNS lookup failed for {host}: no addresses")
        for ip in addresses:
            self.check_ip(ip, port, host)
        return addresses


# ---------------------------------------------------------------------------------------------- deadline

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("fetch_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Bound every connect, read and write made through a ``GuardedBackend`` in this context to ``seconds``.

    Yields the deadline as a ``time.monotonic()`` value.
    """
    end = time.monotonic() + seconds
    token = _DEADLINE.set(end)
    try:
        yield end
    finally:
        _DEADLINE.reset(token)


class StopSignal:
    """A stop event (``set``/``clear``/``is_set``/``wait`` as ``threading.Event``) that also shuts down every
    connection opened under it (``stoppable``) when it is set: a read or TLS handshake blocked on a server that
    sends nothing then fails at once, instead of holding a stopped fetch for the rest of its time limit."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._fds: set[int] = set()

    def set(self) -> None:
        self._event.set()
        with self._lock:  # held while shutting down: no tracked descriptor is closed (and reused) meanwhile
            for fd in self._fds:
                # By descriptor: a TLS wrapper takes a socket's descriptor over and detaches the object it wrapped.
                try:
                    view = socket.socket(fileno=fd)
                except OSError:
                    continue
                try:
                    view.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                finally:
                    view.detach()  # the descriptor stays open: its stream closes it

    def clear(self) -> None:
        self._event.clear()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)

    def track(self, fd: int) -> None:
        """Shut the connection on ``fd`` down when the signal is set (at once, with ConnectError, if it is)."""
        with self._lock:
            if self._event.is_set():
                raise httpcore.ConnectError("stopped")
            self._fds.add(fd)

    def untrack(self, fd: int) -> None:
        """Forget ``fd`` (before its stream closes it, so that a reused descriptor is never shut down)."""
        with self._lock:
            self._fds.discard(fd)


_STOP: contextvars.ContextVar[StopSignal | None] = contextvars.ContextVar("fetch_stop", default=None)


@contextlib.contextmanager
def stoppable(signal: StopSignal) -> Iterator[None]:
    """Put every connection a ``GuardedBackend`` opens in this context under ``signal`` (``StopSignal``)."""
    token = _STOP.set(signal)
    try:
        yield
    finally:
        _STOP.reset(token)


def _bounded(timeout: float | None, exc: type[Exception]) -> float | None:
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise exc("total deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every wait is cut short by the current ``deadline``, and whose socket a
    ``StopSignal`` shuts down when it is set (``stop``: the signal it was opened under, if any)."""

    def __init__(self, inner: httpcore.NetworkStream, stop: StopSignal | None = None) -> None:
        self._inner = inner
        self._stop = stop
        sock = inner.get_extra_info("socket") if stop is not None else None
        self._fd = sock.fileno() if sock is not None else None
        if stop is not None and self._fd is not None:
            try:
                stop.track(self._fd)
            except httpcore.ConnectError:
                inner.close()
                raise

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._forget()
        self._inner.close()

    def _forget(self) -> None:
        if self._stop is not None and self._fd is not None:
            self._stop.untrack(self._fd)

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        try:  # tracked through the handshake; the TLS stream keeps the same descriptor and tracks it after
            tls = self._inner.start_tls(ssl_context, server_hostname, bounded)
        except BaseException:
            self._forget()  # a failed handshake has closed the socket
            raise
        return _DeadlineStream(tls, self._stop)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


# ----------------------------------------------------------------------------------------------- backend


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that resolves once, checks every address, and connects to a checked one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.policy.resolve(host, port)
        last: Exception | None = None
        for ip in addresses:
            try:
                stream = self._sync.connect_tcp(
                    str(ip), port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # try the next address; timeouts end the attempt
                last = exc
                continue
            return _DeadlineStream(stream, _STOP.get())
        raise last if last is not None else httpcore.ConnectError(f"no address to connect to for {host}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressRefused("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def guarded_transport(policy: AddressPolicy, *, verify: bool | ssl.SSLContext = True) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``GuardedBackend(policy)``; never uses a proxy.

    httpx's transport does not take a network backend, so its connection pool is swapped for an
    httpcore pool built with one (the same arguments httpx would pass).
    """
    transport = httpx.HTTPTransport(verify=verify, trust_env=False, retries=0)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - documented replacement, see docstring
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        retries=0,
        network_backend=GuardedBackend(policy),
    )
    return transport
