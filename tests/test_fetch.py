"""Fetching is safe by default: real HTTP on 127.0.0.1, charsets, refusals, bombs, deadlines and SSRF."""

from __future__ import annotations

import codecs
import gzip
import ipaddress
import socket
import time
import zlib
from datetime import timezone

import brotli
import httpx
import pytest

from detector.charset import declared_charset, decode_html, normalise_charset
from detector.config import Config
from detector.errors import FetchError
from detector.body_decode import BoundedDecoder
from detector.content_kind import binary_kind, looks_like_html
from detector.fetch import Fetcher, fetch
from detector.netguard import AddressPolicy, parse_ip, refusal_reason
from tests.conftest_http import Route, TestServer

pytest_plugins = ["tests.conftest_http"]

ALBANIAN = "Çfarë ndodhi në Tiranë"
UKRAINIAN = "Що сталося в Києві"
SMALL = Config(max_bytes=1_000_000, timeout_s=5.0)


def html_doc(text: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def get(url: str, config: Config = SMALL, **kwargs: object) -> object:
    """Fetch with the loopback test server allowed."""
    return fetch(url, config, allow_private=True, **kwargs)  # type: ignore[arg-type]


def refused(url: str, config: Config = SMALL, **kwargs: object) -> str:
    """The FetchError message for ``url``; fails the test when it is fetched instead."""
    with pytest.raises(FetchError) as info:
        fetch(url, config, **kwargs)  # type: ignore[arg-type]
    assert info.value.target == url
    assert "\n" not in str(info.value)
    return info.value.message


# ------------------------------------------------------------------------------------------- basic page


def test_page_records_url_status_headers_charset_and_utc_time(http_server: TestServer) -> None:
    url = http_server.add("/a", html_doc("hello"), headers={"X-Thing": "1"})
    page = get(url)
    assert page.url == url and page.final_url == url and page.status == 200
    assert page.html == html_doc("hello").encode()
    assert page.headers["x-thing"] == "1" and all(k == k.lower() for k in page.headers)
    assert page.charset == "utf-8"
    assert page.fetched_at is not None and page.fetched_at.tzinfo == timezone.utc


def test_request_sends_user_agent_accept_and_encodings(http_server: TestServer) -> None:
    get(http_server.add("/a", html_doc("x")))
    sent = http_server.requests[0].headers
    assert sent["user-agent"] == SMALL.user_agent
    assert "text/html" in sent["accept"]
    assert {e.strip() for e in sent["accept-encoding"].split(",")} == {"gzip", "deflate", "br"}


def test_one_fetcher_fetches_many_pages(http_server: TestServer) -> None:
    urls = [http_server.add(f"/p{i}", html_doc(str(i))) for i in range(3)]
    with Fetcher(SMALL, allow_private=True) as fetcher:
        pages = [fetcher.fetch(u) for u in urls]
    assert [p.final_url for p in pages] == urls


# -------------------------------------------------------------------------------------------- redirects


def test_redirects_are_followed_and_the_final_url_recorded(http_server: TestServer) -> None:
    http_server.redirect("/r1", "/r2", 301)
    http_server.redirect("/r2", http_server.url("/final"), 307)
    final = http_server.add("/final", html_doc("here"))
    page = get(http_server.url("/r1"))
    assert page.url == http_server.url("/r1") and page.final_url == final
    assert b"here" in page.html


def test_a_redirect_loop_is_refused(http_server: TestServer) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with pytest.raises(FetchError, match="redirect loop"):
        get(http_server.url("/a"))


def test_five_redirects_are_followed_and_six_are_too_many(http_server: TestServer) -> None:
    for i in range(6):
        http_server.redirect(f"/n{i}", f"/n{i + 1}")
    http_server.add("/n6", html_doc("end"))
    assert get(http_server.url("/n1")).final_url == http_server.url("/n6")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        get(http_server.url("/n0"))


def test_a_redirect_without_location_is_refused(http_server: TestServer) -> None:
    http_server.add("/r", b"", status=302)
    with pytest.raises(FetchError, match="without a Location"):
        get(http_server.url("/r"))


# --------------------------------------------------------------------------------------------- charsets


def test_windows_1250_from_the_header_keeps_albanian_letters(http_server: TestServer) -> None:
    body = html_doc(ALBANIAN).encode("cp1250")
    page = get(http_server.add("/sq", body, content_type="text/html; charset=windows-1250"))
    assert page.charset == "cp1250"
    assert ALBANIAN in decode_html(page.html, page.charset)


def test_cp1251_from_a_meta_http_equiv(http_server: TestServer) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    page = get(http_server.add("/uk", html_doc(UKRAINIAN, meta).encode("cp1251"), content_type="text/html"))
    assert page.charset == "cp1251"
    assert UKRAINIAN in decode_html(page.html, page.charset)


def test_meta_charset_in_a_comment_is_ignored() -> None:
    body = b'<html><head><!-- <meta charset="koi8-r"> --><meta charset="ISO-8859-2"></head></html>'
    assert declared_charset(None, body) == "iso8859-2"


def test_utf16_with_bom_is_html_and_decodes(http_server: TestServer) -> None:
    body = codecs.BOM_UTF16_LE + html_doc(ALBANIAN).encode("utf-16-le")
    page = get(http_server.add("/u16", body, content_type="text/html"))
    assert page.charset == "utf-16-le"
    assert decode_html(page.html, page.charset).startswith("<!DOCTYPE html>")


def test_a_bom_wins_over_a_wrong_header() -> None:
    body = codecs.BOM_UTF16_BE + html_doc(ALBANIAN).encode("utf-16-be")
    assert declared_charset("text/html; charset=iso-8859-1", body) == "utf-16-be"
    assert ALBANIAN in decode_html(body, "iso-8859-1")


def test_invalid_utf8_decodes_without_raising(http_server: TestServer) -> None:
    body = html_doc(ALBANIAN).encode() + b"\xff\xfe broken \xc3"
    page = get(http_server.add("/bad", body))
    text = decode_html(page.html, page.charset)
    assert ALBANIAN in text and "\ufffd" in text


@pytest.mark.parametrize(
    ("label", "name"),
    [("latin1", "iso8859-1"), ("windows-1250", "cp1250"), ("ISO-8859-2", "iso8859-2"),
     ("cp1251", "cp1251"), ("utf-16", "utf-16"), ('"UTF-8"', "utf-8"), ("x-unknown", None), ("base64", None)],
)
def test_charset_labels_are_normalised(label: str, name: str | None) -> None:
    assert normalise_charset(label) == name


def test_a_wrong_declaration_falls_back_to_utf8_then_detection() -> None:
    sentence = f"{ALBANIAN}? Qeveria njoftoi sot se zgjedhjet do të mbahen në pranverë, ndërsa opozita kërkon."
    assert decode_html(ALBANIAN.encode(), "ascii") == ALBANIAN
    assert decode_html(ALBANIAN.encode(), "windows-1250") == ALBANIAN  # stale declaration, UTF-8 bytes
    assert decode_html(sentence.encode("cp1250"), "utf-8") == sentence  # detector rescues a wrong header
    assert decode_html(ALBANIAN.encode(), "no-such-codec") == ALBANIAN
    assert decode_html("café €5".encode("cp1252"), "iso-8859-1") == "café €5"


# -------------------------------------------------------------------------------- status and content type


@pytest.mark.parametrize("status", [404, 503])
def test_error_statuses_are_refused_with_their_code(http_server: TestServer, status: int) -> None:
    url = http_server.add("/x", html_doc("error page"), status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        get(url)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"), (b"%PDF-1.7\n...", "application/octet-stream")],
)
def test_non_html_content_types_are_refused(http_server: TestServer, body: bytes, content_type: str) -> None:
    with pytest.raises(FetchError, match=f"not HTML \\(content type {content_type}\\)"):
        get(http_server.add("/f", body, content_type=content_type))


def test_a_pdf_served_as_html_is_refused(http_server: TestServer) -> None:
    with pytest.raises(FetchError, match="body is a PDF"):
        get(http_server.add("/doc", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", content_type="text/html"))


def test_a_missing_content_type_is_accepted_only_for_html_bodies(http_server: TestServer) -> None:
    assert get(http_server.add("/h", html_doc("ok"), content_type=None)).charset is None
    with pytest.raises(FetchError, match="no content type"):
        get(http_server.add("/t", b"just some words", content_type=None))


@pytest.mark.parametrize("body", [b"", b"  \r\n\t "])
def test_an_empty_body_is_refused(http_server: TestServer, body: bytes) -> None:
    with pytest.raises(FetchError, match="empty body"):
        get(http_server.add("/e", body))


def test_xhtml_is_accepted(http_server: TestServer) -> None:
    page = get(http_server.add("/x", '<?xml version="1.0"?><html><body>x</body></html>',
                               content_type="application/xhtml+xml"))
    assert page.status == 200


# ------------------------------------------------------------------------------------------------ sizes


def test_a_body_over_max_bytes_is_refused_by_content_length(http_server: TestServer) -> None:
    url = http_server.add("/big", html_doc("x" * 5000))
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        get(url, Config(max_bytes=1000, timeout_s=5.0))


def test_a_chunked_body_over_max_bytes_is_refused_while_streaming(http_server: TestServer) -> None:
    url = http_server.add("/big", html_doc("x" * 50_000), chunked=True)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        get(url, Config(max_bytes=1000, timeout_s=5.0))


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """100 MB of zeros, gzip- and brotli-compressed (about 100 KB and 20 KB on the wire)."""
    chunk = bytes(10_000_000)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    gz = b"".join(packer.compress(chunk) for _ in range(10)) + packer.flush()
    return {"gzip": gz, "br": brotli.compress(bytes(100_000_000), quality=1)}


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compression_bomb_is_stopped_at_max_bytes(
    http_server: TestServer, bombs: dict[str, bytes], encoding: str
) -> None:
    url = http_server.add("/bomb", bombs[encoding], headers={"Content-Encoding": encoding})
    start = time.monotonic()
    with pytest.raises(FetchError, match="larger than 1000000 bytes after decompression"):
        get(url)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_the_decoder_never_holds_more_than_its_limit(bombs: dict[str, bytes], encoding: str) -> None:
    decoder = BoundedDecoder(encoding, 1_000_000)
    data = bombs[encoding]
    with pytest.raises(OverflowError):
        for i in range(0, len(data), 65536):
            assert len(decoder.feed(data[i : i + 65536])) <= 1_000_001
    assert decoder.size <= 1_000_000


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", gzip.compress), ("br", brotli.compress), ("deflate", zlib.compress),
     ("deflate", lambda b: zlib.compress(b)[2:-4])],  # zlib-wrapped and raw deflate both occur
)
def test_compressed_pages_are_decompressed(http_server: TestServer, encoding: str, pack: object) -> None:
    body = html_doc(ALBANIAN).encode()
    page = get(http_server.add("/z", pack(body), headers={"Content-Encoding": encoding}))  # type: ignore[operator]
    assert page.html == body


def test_corrupt_compressed_data_is_refused(http_server: TestServer) -> None:
    with pytest.raises(FetchError, match="bad compressed data"):
        get(http_server.add("/z", b"not gzip at all", headers={"Content-Encoding": "gzip"}))


# --------------------------------------------------------------------------------------------- timeouts


def test_a_dripping_server_is_cut_off_by_the_total_deadline(http_server: TestServer) -> None:
    url = http_server.add("/drip", html_doc("x" * 200), drip=0.05)
    start = time.monotonic()
    with pytest.raises(FetchError, match="total limit of 0.6 s"):
        get(url, Config(timeout_s=0.6))
    assert time.monotonic() - start < 1.5


def test_a_server_that_never_answers_times_out(http_server: TestServer) -> None:
    url = http_server.add("/slow", html_doc("late"), delay=3)
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        get(url, Config(timeout_s=0.5))
    assert time.monotonic() - start < 1.5


def test_the_deadline_covers_all_redirect_hops(http_server: TestServer) -> None:
    for i in range(3):  # each hop answers within the limit; together they do not
        http_server.routes[f"/s{i}"] = Route(302, b"", (("Location", f"/s{i + 1}"),), delay=0.25)
    http_server.add("/s3", html_doc("end"))
    with pytest.raises(FetchError, match="timed out"):
        get(http_server.url("/s0"), Config(timeout_s=0.6))


# ------------------------------------------------------------------------------------ connection errors


def test_a_tls_failure_is_reported_as_such(http_server: TestServer) -> None:
    http_server.add("/a", html_doc("plain"))
    with pytest.raises(FetchError, match="TLS failure"):
        get(f"https://127.0.0.1:{http_server.port}/a")


def test_a_closed_port_is_a_connection_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="connection failed"):
        get(f"http://127.0.0.1:{port}/")


def test_a_dns_failure_is_reported_as_such() -> None:
    def no_such_host(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    message = refused("http://nowhere.invalid/", policy=AddressPolicy(resolver=no_such_host))
    assert message.startswith("DNS lookup failed for nowhere.invalid")


@pytest.mark.parametrize("url", ["not a url", "http://", "http:///path", "//example.com/x", "http://exa mple.com/", "http://[::1/"])
def test_invalid_urls_are_refused(url: str) -> None:
    message = refused(url)
    assert "invalid URL" in message or "scheme" in message or "no host" in message


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    assert "refused scheme" in refused(url, allow_private=True)


# ------------------------------------------------------------------------------------------------- SSRF


def test_loopback_is_refused_unless_private_is_allowed(http_server: TestServer) -> None:
    url = http_server.add("/a", html_doc("secret"))
    assert "loopback" in refused(url)
    assert http_server.requests == []
    assert get(url).status == 200


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:a9fe:a9fe]/", "cloud metadata"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://100.64.0.1/", "CGNAT"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[fe80::1]/", "link-local"),
        ("http://240.0.0.1/", "reserved"),
    ],
)
def test_internal_addresses_are_refused_in_any_spelling(url: str, reason: str) -> None:
    message = refused(url)
    assert message.startswith("refused address") and reason in message


def test_a_name_that_resolves_to_loopback_is_refused(http_server: TestServer) -> None:
    http_server.add("/a", html_doc("x"))
    assert "localhost -> 127.0.0.1: loopback" in refused(f"http://localhost:{http_server.port}/a")
    assert http_server.requests == []


def test_a_name_with_any_internal_address_is_refused() -> None:
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    assert "private" in refused("http://mixed.example/", policy=policy)


def test_a_public_looking_server_redirecting_to_loopback_is_refused(
    http_server_factory: object,
) -> None:
    public, internal = http_server_factory(), http_server_factory()  # type: ignore[operator]
    internal.add("/admin", html_doc("secret"))
    public.redirect("/go", internal.url("/admin"))
    public.add("/page", html_doc("public"))
    policy = AddressPolicy(allow_endpoints=frozenset({("127.0.0.1", public.port)}))
    assert fetch(public.url("/page"), SMALL, policy=policy).status == 200
    message = refused(public.url("/go"), policy=policy)
    assert "refused address 127.0.0.1: loopback" in message
    assert internal.requests == []


def test_a_redirect_to_the_metadata_service_is_refused(http_server: TestServer) -> None:
    http_server.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    policy = AddressPolicy(allow_endpoints=frozenset({("127.0.0.1", http_server.port)}))
    assert "cloud metadata" in refused(http_server.url("/go"), policy=policy)


def test_names_are_resolved_once_and_the_checked_address_is_connected(http_server: TestServer) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    http_server.add("/a", html_doc("x"))
    policy = AddressPolicy(resolver=resolver, allow_endpoints=frozenset({("127.0.0.1", http_server.port)}))
    page = fetch(f"http://news.example:{http_server.port}/a", SMALL, policy=policy)
    assert page.final_url == f"http://news.example:{http_server.port}/a"
    assert calls == ["news.example"]
    assert http_server.requests[0].headers["host"] == f"news.example:{http_server.port}"


def test_a_caller_supplied_client_is_still_guarded(http_server: TestServer) -> None:
    url = http_server.add("/a", html_doc("x"))
    with httpx.Client(follow_redirects=True) as client:
        assert "loopback" in refused(url, client=client)
        assert fetch(url, SMALL, allow_private=True, client=client).status == 200
        assert not client.is_closed


# ---------------------------------------------------------------------------------------- pure helpers


def test_ip_spellings_are_parsed_like_inet_aton() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    assert {parse_ip(h) for h in ["2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "[::ffff:7f00:1]"]} == {
        loopback,
        ipaddress.ip_address("::ffff:7f00:1"),
    }
    assert parse_ip("cafe.be") is None and parse_ip("example.com") is None


def test_public_addresses_are_allowed() -> None:
    for text in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"]:
        assert refusal_reason(ipaddress.ip_address(text)) is None
    assert refusal_reason(ipaddress.ip_address("2002:7f00:1::")) == "loopback (embedded in IPv6)"


def test_sniffing_tells_html_from_binary() -> None:
    assert looks_like_html(b"\xef\xbb\xbf  <!doctype html><p>x")
    assert looks_like_html(codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"))
    assert not looks_like_html(b"plain words")
    assert binary_kind(b"%PDF-1.5") == "a PDF" and binary_kind(b"<html>") is None


def test_score_retries_a_busy_server_as_an_audit_does(http_server) -> None:
    """``score`` gave up on the first 503 (the audit retried it): an overloaded server cost the page."""
    import threading
    from pathlib import Path

    from detector.score import score
    from tests.conftest_http import wait_until

    page = (Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages" / "kyivpost.html").read_bytes()
    url = http_server.add("/busy", "<html>busy</html>", status=503)

    def recover() -> None:
        wait_until(lambda: any(r.path == "/busy" for r in http_server.requests), timeout=10)
        http_server.add("/busy", page)

    threading.Thread(target=recover, daemon=True).start()
    (verdict,) = score([url], allow_private=True)
    assert verdict.error is None and verdict.label == "clean"
    assert sum(r.path == "/busy" for r in http_server.requests) == 2


def test_stop_ends_a_tls_handshake_with_a_server_that_sends_nothing() -> None:
    """A read waits in slices and looks at the stop event between them; a TLS handshake cannot, so a stopped
    https fetch of a server that accepts and says nothing waited for the rest of its time limit (7.5 s of 8 in
    a review's run). Its socket is now shut down by ``stop``."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True).start()
    fetcher = Fetcher(Config(timeout_s=8.0), allow_private=True)
    try:
        threading.Timer(0.5, fetcher.stop).start()
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetcher.fetch(f"https://127.0.0.1:{server.getsockname()[1]}/x")
        assert err.value.message == "interrupted before it finished" and time.monotonic() - started < 3
    finally:
        fetcher.close()
        server.close()
        for sock in held:
            sock.close()
