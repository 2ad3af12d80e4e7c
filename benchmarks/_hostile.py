"""Hostile inputs, generated deterministically: broken markup, lying charsets, binaries, bombs and mutated pages.

Shared by the tests (``tests/test_hostile_input.py``, ``tests/test_properties.py``) and the fuzz benchmark
(``benchmarks/fuzz_score.py``). Everything is built from a seed or from pages the caller passes in; nothing
here reads the network or writes files.

Example:
    >>> rng = random.Random(1)
    >>> page = mutate(article_page(ALBANIAN), rng)
    >>> isinstance(page, bytes)
    True
"""

from __future__ import annotations

import gzip
import random
import zlib
from collections.abc import Callable

__all__ = [
    "ALBANIAN", "UKRAINIAN", "ENGLISH", "article_page", "charset_pages", "hostile_files", "pathological_pages",
    "gzip_bomb", "brotli_bomb", "MUTATORS", "mutate", "generated_page", "fuzz_input",
]

ALBANIAN = ("Kryeministri tha se qeveria do të ndërtojë një urë të re mbi lumin Drin në Shkodër. "
            "Punimet do të fillojnë në pranverë dhe do të zgjasin dy vjet, ndërsa çmimi është rreth dhjetë "
            "milionë euro. Banorët e zonës janë të kënaqur, por disa kërkojnë më shumë transparencë. "
            "Ministria e Infrastrukturës njoftoi se tenderi do të shpallet së shpejti në faqen zyrtare.")
UKRAINIAN = ("Міська рада схвалила будівництво нового мосту через річку у вівторок після довгих дебатів. "
             "Інженери заявили, що роботи почнуться навесні й триватимуть два роки, з одним відкритим рухом. "
             "Мешканці, які виступали проти плану, сказали, що оскаржать рішення в суді наступного місяця.")
ENGLISH = ("The council approved the new bridge over the river on Tuesday after a long debate about costs. "
           "Engineers said construction would start in spring and last two years, with one lane open throughout. "
           "Residents who opposed the plan said they would appeal the decision in the regional court next month.")


def article_page(text: str, *, title: str = "Lajme", meta_charset: str | None = None, lang: str = "sq") -> str:
    """A small, plausible news page holding ``text`` in three paragraphs (as str; encode it as you need)."""
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    sentences = [s.strip() + "." for s in text.split(".") if s.strip()]
    paras = "".join(f"<p>{' '.join(sentences[i::3])}</p>" for i in range(3))
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title></head><body>'
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paras}</article>"
            f"<footer>(c) 2024</footer></body></html>")


def charset_pages() -> dict[str, tuple[bytes, str | None, str]]:
    """Pages in wrong, missing and lying charsets: name -> (body, Content-Type header, a word that must survive).

    Each page carries real Albanian or Ukrainian text, so a decoder that gets it wrong loses the word.
    """
    sq, uk = ALBANIAN, UKRAINIAN
    html_type = "text/html"
    return {
        "cp1250_header": (article_page(sq).encode("cp1250"), "text/html; charset=windows-1250", "ndërtojë"),
        "iso8859_2_meta": (article_page(sq, meta_charset="ISO-8859-2").encode("iso8859_2"), html_type, "ndërtojë"),
        "cp1250_undeclared": (article_page(sq).encode("cp1250"), html_type, "Shkodër"),
        "cp1251_meta": (article_page(uk, meta_charset="windows-1251", lang="uk").encode("cp1251"), html_type,
                        "будівництво"),
        "cp1251_header_lies_utf8": (article_page(uk, lang="uk").encode("cp1251"), "text/html; charset=utf-8",
                                    "будівництво"),
        "utf8_header_lies_cp1250": (article_page(sq).encode("utf-8"), "text/html; charset=windows-1250", "ndërtojë"),
        "utf16_le_bom": (b"\xff\xfe" + article_page(sq).encode("utf-16-le"), html_type, "ndërtojë"),
        "utf16_be_bom_header_lies": (b"\xfe\xff" + article_page(sq).encode("utf-16-be"), "text/html; charset=utf-8",
                                     "ndërtojë"),
        "invalid_utf8": (article_page(sq).encode("utf-8").replace("ë".encode(), b"\xeb", 3)
                         .replace(b"Kryeministri", b"Kryeministri\xff\xfe\xc3"), "text/html; charset=utf-8",
                         "Drin"),
        "bogus_charset_label": (article_page(sq).encode("utf-8"), "text/html; charset=x-no-such-thing", "ndërtojë"),
        "rot13_label": (article_page(sq).encode("utf-8"), "text/html; charset=rot13", "ndërtojë"),
    }


def hostile_files() -> dict[str, bytes]:
    """Bytes a user may find in a folder of ``.html`` files: name -> body. None of them is a usable article."""
    return {
        "empty": b"",
        "whitespace": b" \n\t\r\n" * 100,
        "no_text": b"<html><head><title>x</title></head><body><div><img src='a.png'></div></body></html>",
        "only_script": b"<html><body><script>var a = '" + b"lorem ipsum " * 200 + b"';</script></body></html>",
        "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16,
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 16,
        "pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 16 + b"%%EOF\n",
        "zip": b"PK\x03\x04" + bytes(range(256)) * 8,
        "gzip_inside": gzip.compress(b"<html><body><p>hello</p></body></html>"),
        "nul_bytes": b"\x00" * 4096 + b"<html></html>",
        "random_bytes": random.Random(7).randbytes(20_000),
        "broken_tags": b"<html><body><p>Broken <b>markup <i>with <<<>>> </p></div></span><p " * 50,
        "deep_nesting": b"<html><body>" + b"<div>" * 50_000 + b"deep" + b"</div>" * 10 + b"</body></html>",
        "xml_declaration_only": b"<?xml version='1.0' encoding='utf-8'?>",
    }


def pathological_pages() -> dict[str, bytes]:
    """Pages built to make parsing or extraction slow: name -> body (each a few MB at most)."""
    words = b"lorem ipsum dolor sit amet "
    return {
        "attribute_bomb": b"<html><body><div " + b" ".join(b"a%d=x" % i for i in range(200_000))
                          + b">" + words * 20 + b"</div></body></html>",
        "many_paragraphs": b"<html><body>" + (b"<p>" + words * 10 + b"</p>\n") * 30_000 + b"</body></html>",
        "many_links": b"<html><body>" + b"<a href='/x%d'>link text here</a>" % 0 * 200_000 + b"</body></html>",
        "nested_forms": b"<html><body>" + b"<form>" * 300_000 + words * 10,
        "many_headings": b"<html><body>" + (b"<h2>" + words + b"</h2>") * 200_000,
    }


def gzip_bomb(size: int = 1 << 30) -> bytes:
    """``size`` zero bytes, gzip-compressed (1 GiB is about 1 MB on the wire)."""
    out = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b"\0" * (1 << 20)
    parts = [out.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(out.flush())
    return b"".join(parts)


def brotli_bomb(size: int = 1 << 30) -> bytes:
    """``size`` bytes of one letter, brotli-compressed (a few hundred bytes on the wire)."""
    import brotli

    return brotli.compress(b"a" * size, quality=5)


# ------------------------------------------------------------------------------------------------ mutation

_SNIPPETS: tuple[bytes, ...] = (
    b"<", b">", b"</", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<script>", b"</script>", b"<style>", b"<table>",
    b"<div>" * 200, b"</div>" * 50, b"&", b"&#", b"&#x110000;", b"&#0;", b"&nbsp", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
    b"\xc3", b"\xe2\x80", b"\r", b"<meta charset=utf-16>", b"<meta charset=cp1251>", b"<meta charset=bogus>",
    b"<base href='javascript:x'>", b"<link rel=canonical href='http://[::1'>", b"<a href='http://%zz'>x</a>",
    b"<meta property='article:published_time' content='9999-99-99T99:99'>", b'<time datetime="0000-01-01">',
    b"<script type='application/ld+json'>{\"datePublished\": [[[[[]]]]]}</script>",
    b"<script type='application/ld+json'>" + b"[" * 3000 + b"</script>",
    b"<html lang='\xff'>", b"<title>", b"</title>", b"<p>", b"</p>", b"\xf0\x9f\x92\xa9", "\u202e".encode(),
    b"<svg><foreignObject><p>", b"<math><mi>", b"<template>", b"<noscript>", b"<iframe srcdoc='<p>x'>",
    b"<?xml version='1.0' encoding='utf-16'?>", b"<!DOCTYPE html [ <!ENTITY x 'y'> ]>",
)


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(rng.randint(1, 32)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _delete(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, max(1, len(data) // 4)):]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    piece = data[a : a + rng.randint(1, 4096)]
    return data[:a] + piece * rng.randint(2, 64) + data[a:]


def _insert(data: bytes, rng: random.Random) -> bytes:
    a = rng.randint(0, len(data))
    return data[:a] + rng.choice(_SNIPPETS) * rng.choice((1, 1, 1, 10, 1000)) + data[a:]


def _recode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(("cp1250", "iso8859_2", "cp1251", "utf-16", "utf-16-be", "latin-1", "utf-32"))
    return text.encode(codec, "replace")


def _splice(data: bytes, rng: random.Random) -> bytes:
    """Swap two random halves (markup from the end lands in the head, and so on)."""
    if len(data) < 4:
        return data
    a = rng.randrange(1, len(data))
    return data[a:] + data[:a]


def _strip_closing(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"</", b"<" if rng.random() < 0.5 else b"", rng.randint(1, 10_000))


MUTATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": _flip, "truncate": _truncate, "delete": _delete, "duplicate": _duplicate, "insert": _insert,
    "recode": _recode, "splice": _splice, "strip_closing": _strip_closing,
}


def mutate(data: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    """``data`` after 1-4 random mutations (byte flips, truncation, deletion, duplication, snippets, recoding)."""
    names = sorted(MUTATORS)
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        data = MUTATORS[rng.choice(names)](data, rng)
    return data


def generated_page(rng: random.Random) -> bytes:
    """A random page from a small tag grammar: nesting, attributes, entities, text in several scripts."""
    tags = ("div", "p", "span", "b", "i", "a", "table", "tr", "td", "ul", "li", "article", "section", "h1",
            "h2", "script", "style", "form", "select", "option", "br", "img", "meta", "time", "pre", "code")
    words = (ENGLISH + " " + ALBANIAN + " " + UKRAINIAN).split()
    out: list[str] = ["<!DOCTYPE html>" if rng.random() < 0.5 else "", "<html>" if rng.random() < 0.8 else ""]
    depth = 0
    for _ in range(rng.randint(1, 400)):
        roll = rng.random()
        if roll < 0.35:
            tag = rng.choice(tags)
            attrs = " ".join(f'{rng.choice(("class", "id", "href", "content", "datetime", "x"))}='
                             f'"{rng.choice(words)}"' for _ in range(rng.randint(0, 3)))
            out.append(f"<{tag} {attrs}>")
            depth += 1
        elif roll < 0.5 and depth:
            out.append(f"</{rng.choice(tags)}>")
            depth -= 1
        elif roll < 0.55:
            out.append(rng.choice(("&amp;", "&lt;", "&#8212;", "&#x1F4A9;", "&bogus;", "&#", "<!-- c -->", "<![CDATA[x]]>")))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))))
    codec = rng.choice(("utf-8", "utf-8", "utf-8", "cp1250", "cp1251", "utf-16"))
    return "".join(out).encode(codec, "replace")


def fuzz_input(i: int, seeds: list[bytes], seed: int = 0) -> tuple[str, bytes]:
    """The ``i``-th fuzz input (deterministic): (how it was made, bytes). Mutated seeds, generated, or fixed."""
    rng = random.Random(seed * 1_000_003 + i)
    roll = rng.random()
    if roll < 0.6 and seeds:
        k = rng.randrange(len(seeds))
        return f"mutated:{k}", mutate(seeds[k], rng)
    if roll < 0.85:
        return "generated", generated_page(rng)
    if roll < 0.95:
        return "random_bytes", rng.randbytes(rng.choice((1, 10, 100, 1000, 50_000)))
    fixed = hostile_files() | {k: v[0] for k, v in charset_pages().items()}
    name = rng.choice(sorted(fixed))
    return f"fixed:{name}", fixed[name]


class NeutralModel:
    """Stands in for the farm classifier when no trained model is shipped yet: no probability, no reasons.

    Only for runs about input handling (tests of hostile input, the fuzz benchmark); use the real model
    whenever ``detector.classify.load_model()`` succeeds.
    """

    def assess(self, traits: object) -> object:
        from types import SimpleNamespace

        return SimpleNamespace(probability=None, label=None, reasons=(), contributions=())


def model_or_neutral() -> object:
    """The shipped farm model, or a ``NeutralModel`` when it is missing or refused (with the reason)."""
    from detector.classify import load_model
    from detector.errors import ModelError

    try:
        return load_model()
    except ModelError:
        return NeutralModel()
