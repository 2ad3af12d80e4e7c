"""Public, hand-maintained domain lists as an extra, named signal in domain audits (never the verdict).

Each list format is parsed by its own rules and every line that could not be used is counted, so a user sees
what was skipped: uBlacklist patterns (``*://site/*``), uBlock-style domain and ``/regex/`` lines with ``#``
comments and ``*`` wildcards (content-farm-terminator: ``site.blogspot.*``), adblock site filters (``||site^``), hosts files (``0.0.0.0 site``), and
CSV files with a ``url`` or ``domain`` column (misinformation lists, where a ``type`` column such as ``reliable``/``unreliable`` becomes part of the list's name).

Example:
    >>> lists = DomainLists.load([Path("../shared/corpora/domain-lists")])   # doctest: +SKIP
    >>> lists.lookup("sub.example-farm.com")                                  # doctest: +SKIP
    ('content-farm-terminator/content-farms',)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detector import arguments
from detector.urls import host

LIST_SUFFIXES = (".txt", ".csv", ".list")
_DOMAIN = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$")
_UBL = re.compile(r"^\*://(?:\*\.)?([^/*]+)/\*$")
#: An adblock network filter for a whole site: ``||example.com^`` (options after ``$`` such as ``$document``).
_ADBLOCK = re.compile(r"^\|\|([^/^$*|]+)[\^/]?(?:\$[^/]*)?$")
#: A hosts-file line: ``0.0.0.0 example.com`` (the address that blocks it, then the name).
_HOSTS_ADDRESS = re.compile(r"^(?:0\.0\.0\.0|127\.0\.0\.1|::1?)$")
#: A domain with wildcards, as content-farm-terminator writes sites on many suffixes or names: ``x.blogspot.*``,
#: ``y.*.com``, ``conc*.pixnet.net``.
_WILDCARD = re.compile(r"^[a-z0-9_*-]+(?:\.[a-z0-9_*-]+)+$")


@dataclass(frozen=True, slots=True)
class ListFile:
    """One parsed list: its name (``folder/stem[:type]``), exact domains, regexes, and lines it skipped."""

    name: str
    domains: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class DomainLists:
    """Several lists; ``lookup(domain)`` names every list a domain (or a parent domain) is on."""

    lists: tuple[ListFile, ...] = field(default_factory=tuple)

    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path]) -> "DomainLists":
        """Lists from files or folders (folders are searched recursively for .txt/.csv/.list files).

        ``paths`` is one file or folder (``str`` or ``Path``) or a list of them; a path that is neither a file
        nor a folder raises ``FileNotFoundError`` naming it, before any list is parsed.
        """
        files: list[tuple[Path, Path]] = []
        for path in arguments.paths("lists", paths):
            if path.is_dir():
                files += [(f, path) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix in LIST_SUFFIXES]
            elif path.is_file():  # named by its folder and stem, however the path was written
                files.append((path.resolve(), path.resolve().parent))
            else:
                raise FileNotFoundError(f"{path}: no such domain list file or folder")
        parsed: list[ListFile] = []
        for file, root in files:
            parsed.extend(parse_file(file, root))
        return cls(tuple(parsed))

    def lookup(self, domain_or_url: str) -> tuple[str, ...]:
        """Names of the lists that hold this domain, a parent of it, or a pattern matching its home page."""
        name = host(domain_or_url) if "://" in domain_or_url else domain_or_url.lower().strip().rstrip(".")
        if name.startswith("www."):
            name = name[4:]
        if not name:
            return ()
        labels = name.split(".")
        parents = {".".join(labels[i:]) for i in range(len(labels) - 1)} | {name}
        url = f"https://{name}/"
        found = [lf.name for lf in self.lists
                 if parents & lf.domains or any(p.search(url) for p in lf.patterns)]
        return tuple(dict.fromkeys(found))

    def summary(self) -> dict[str, dict[str, int]]:
        """Per list: domains, patterns and skipped lines (so a user can see what a format lost)."""
        return {lf.name: {"domains": len(lf.domains), "patterns": len(lf.patterns), "skipped": lf.skipped}
                for lf in self.lists}


def _label(file: Path, root: Path) -> str:
    try:
        rel = file.relative_to(root) if root != file.parent or file.parent.name == "" else Path(file.parent.name) / file.name
    except ValueError:
        rel = Path(file.parent.name) / file.name
    if len(rel.parts) == 1:
        rel = Path(file.parent.name) / file.name
    return str(rel.with_suffix("")).replace("\\", "/")


def _wildcard_pattern(glob: str) -> re.Pattern[str]:
    """A domain with ``*`` wildcards (``site.blogspot.*``: the site on every blogspot country domain) as a
    pattern on a home-page URL, matching the domain and its subdomains; ``*`` stands for any host characters."""
    body = r"[a-z0-9.-]*".join(re.escape(part) for part in glob.removeprefix("*.").split("*"))
    return re.compile(rf"^https?://(?:[a-z0-9-]+\.)*{body}/")


def _clean_domain(text: str) -> str | None:
    text = text.strip().lower()
    if "://" in text:
        text = host(text)
    text = text.split("/")[0].removeprefix("www.").rstrip(".")
    return text if _DOMAIN.match(text) else None


def parse_lines(lines: Sequence[str]) -> tuple[frozenset[str], tuple[re.Pattern[str], ...], int]:
    """Domains, regexes and the count of unusable lines of a uBlacklist / uBlock-style text list."""
    domains: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    skipped = 0
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(("#", "!", "[")):
            continue
        line = re.split(r"\s+#", line, maxsplit=1)[0].strip()  # trailing comment
        if line.startswith("/"):
            body = line[1:line.rfind("/")] if line.rfind("/") > 0 else ""
            try:
                patterns.append(re.compile(body))
            except re.error:
                skipped += 1
            continue
        words = line.split()
        if "*" in words[0] and _WILDCARD.match(words[0].lower()):  # content-farm-terminator's "site.blogspot.*", "name.*.com"
            patterns.append(_wildcard_pattern(words[0].lower()))
            continue
        pattern = _UBL.match(line) or _ADBLOCK.match(line)
        if pattern:
            domain = _clean_domain(pattern.group(1))
        elif len(words) > 1 and _HOSTS_ADDRESS.match(words[0]):
            domain = _clean_domain(words[1])
        else:
            domain = _clean_domain(words[0])
        if domain:
            domains.add(domain)
        else:
            skipped += 1
    return frozenset(domains), tuple(patterns), skipped


def parse_file(file: Path, root: Path) -> list[ListFile]:
    """One list per text file; one list per distinct ``type`` value for a CSV (``name:unreliable``)."""
    name = _label(file, root)
    text = file.read_text(encoding="utf-8", errors="replace")
    if file.suffix != ".csv":
        domains, patterns, skipped = parse_lines(text.splitlines())
        return [ListFile(name, domains, patterns, skipped)]
    rows = list(csv.DictReader(text.splitlines()))
    column = next((c for c in ("url", "domain", "site") if rows and c in rows[0]), None)
    if column is None:
        return [ListFile(name, frozenset(), (), len(rows))]
    groups: dict[str, set[str]] = {}
    skipped = 0
    for row in rows:
        domain = _clean_domain(row.get(column) or "")
        if domain is None:
            skipped += 1
            continue
        kind = (row.get("type") or "").strip().lower()
        groups.setdefault(f"{name}:{kind}" if kind else name, set()).add(domain)
    out = [ListFile(key, frozenset(values), (), 0) for key, values in sorted(groups.items())]
    if out:
        out[0] = ListFile(out[0].name, out[0].domains, (), skipped)
    return out
