"""One frozen configuration for fingerprints, matching and fetching, with a fingerprint string.

The fingerprint (for example ``w5_p128_s1_affine32``) is written into every index and model card so that
artifacts built with different parameters never mix silently.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Config:
    """Every tunable number in one place; ``from_toml`` and CLI flags override the defaults."""

    # fingerprints (stored in the index; changing them needs a rebuild)
    shingle_size: int = 5
    num_perm: int = 128  # MinHash signatures (datasketch affine32), cut into LSH bands stored in the index
    seed: int = 1
    scheme: str = "affine32"
    winnow_window: int = 16  # a shared run of winnow_window + shingle_size - 1 words always shares a posting
    term_sample: int = 28  # content words stored per document (bottom-k by hash), for rewritten copies
    name_terms: int = 24  # capitalised mid-sentence content words (names) stored per document, before the sample
    lsh_threshold: float = 0.8  # MinHash LSH for near-verbatim copies; bands x rows from datasketch's optimiser
    # candidate search and verification
    max_candidates: int = 10  # candidates verified exactly per query
    query_terms: int = 80  # content words a query looks up (bottom-k; covers the stored samples of similar texts)
    query_names: int = 40  # names a query looks up (most mentioned first; covers the stored names of similar texts)
    query_winnowed: bool = True  # look a query up by its winnowed shingles (else by all of them: slower, more recall)
    min_shared_postings: int = 2
    term_evidence: float = 1.0  # what a shared content-word key counts towards min_shared_postings (a shingle: 1)
    posting_df_cap: int = 100  # a key held by more docs than this is boilerplate, a stock phrase or a common word
    align_shingle: int = 4
    align_gap: int = 6
    min_passage_words: int = 8
    min_match_words: int = 12
    rewrite_containment: float = 0.35  # content-word containment that makes a match without long passages
    rewrite_terms: int = 12  # ... when at least this many content words are shared
    # derivation fallback thresholds on the copy's covered share (the learned model in derive_model.json wins)
    whole_share: float = 0.6
    partial_share: float = 0.2
    # sites known to publish their own journalism (a newsroom auditing who copies it): between one of their
    # pages and another site's, theirs is the source unless a credit or canonical link says otherwise
    originals: tuple[str, ...] = ()
    # fetching and extraction
    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    extract_timeout_s: float = 20.0
    user_agent: str = "content-farm-detector/0.1 (+https://github.com/content-farm-detector; research crawler)"

    def __post_init__(self) -> None:
        """Refuse a value of the wrong type or out of range, naming the key: a config file's ``timeout_s =
        "fast"`` or ``max_bytes = "lots"`` otherwise failed later on every input with an internal TypeError,
        and ``timeout_s = -1`` timed every fetch out."""
        object.__setattr__(self, "originals", _sites("originals", self.originals))
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "originals":
                continue
            kind = {"int": int, "float": (int, float), "bool": bool, "str": str}[str(f.type)]
            if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
                raise ValueError(f"{f.name} must be {_KIND_NAMES[str(f.type)]}, not {value!r}")
            if isinstance(value, float) and not math.isfinite(value):  # inf overflowed every fetch's clock
                raise ValueError(f"{f.name} must be a finite number, not {value!r}")
            low, high = _RANGES.get(f.name, (None, None))
            if (low is not None and not value >= low) or (high is not None and not value <= high):
                span = f"at least {low}" if high is None else f"between {low} and {high}"
                raise ValueError(f"{f.name} must be {span}, not {value!r}")
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty")
        if self.partial_share > self.whole_share:
            raise ValueError(f"partial_share ({self.partial_share}) must not exceed whole_share ({self.whole_share})")

    @property
    def fingerprint(self) -> str:
        """Short tag of the parameters an index depends on."""
        return (f"w{self.shingle_size}_p{self.num_perm}_s{self.seed}_{self.scheme}_win{self.winnow_window}_t{self.term_sample}"
                f"_n{self.name_terms}_lsh{round(self.lsh_threshold * 100)}")

    def index_params(self) -> dict[str, Any]:
        """The parameters an index is built with, as stored in it."""
        return {
            "shingle_size": self.shingle_size,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "scheme": self.scheme,
            "winnow_window": self.winnow_window,
            "term_sample": self.term_sample,
            "name_terms": self.name_terms,
            "lsh_threshold": self.lsh_threshold,
        }

    def with_index_params(self, params: dict[str, Any]) -> "Config":
        """This config with an index's stored parameters taking precedence.

        An index written before a fingerprint parameter existed was built without it: ``name_terms`` absent
        means no names were stored (0), so queries stay consistent with what the index holds.
        """
        known = {f.name for f in fields(self)}
        params = {"name_terms": 0, **params}
        return replace(self, **{k: v for k, v in params.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON takes them (``originals`` a list)."""
        return {**asdict(self), "originals": list(self.originals)}

    @classmethod
    def from_toml(cls, path: Path) -> "Config":
        """Defaults overridden by the keys of a TOML file (unknown keys are an error, to catch typos)."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {_unknown_keys(unknown, known)}")
        try:
            return cls(**data)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None


def _sites(key: str, value: Any) -> tuple[str, ...]:
    """Site names (``harborledger.com``, ``www.harborledger.com``, a URL) as sorted registered domains; a
    single string is one site, not its letters."""
    from detector.urls import registered_domain

    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple, set, frozenset)) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{key} must be a list of site names, not {value!r}")
    sites = set()
    for item in items:
        site = registered_domain(item.strip())
        if not site or " " in site:
            raise ValueError(f"{key}: {item!r} names no site (give a domain such as example.com)")
        sites.add(site)
    return tuple(sorted(sites))


def _unknown_keys(unknown: list[str], known: set[str]) -> str:
    """The unknown keys, each with the known key it most likely misspells, then every known key: a user who
    guessed a name (``user-agent``) learns the right one without reading the source."""
    named = []
    for key in unknown:
        near = difflib.get_close_matches(key.replace("-", "_"), sorted(known), n=1, cutoff=0.7)
        named.append(f"{key} (did you mean {near[0]}?)" if near else key)
    return f"{', '.join(named)}; known keys: {', '.join(sorted(known))}"


_KIND_NAMES = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "a string"}
# Allowed ranges (inclusive); a key not listed takes any value of its type. Timeouts are a hair above zero.
_RANGES: dict[str, tuple[float, float | None]] = {
    **dict.fromkeys(("shingle_size", "num_perm", "winnow_window", "max_candidates", "min_shared_postings",
                     "posting_df_cap", "align_shingle", "min_passage_words", "min_match_words", "rewrite_terms",
                     "max_bytes"), (1, None)),
    **dict.fromkeys(("seed", "term_sample", "name_terms", "query_terms", "query_names", "align_gap",
                     "max_redirects", "term_evidence"), (0, None)),
    **dict.fromkeys(("lsh_threshold", "rewrite_containment", "whole_share", "partial_share"), (0.01, 1.0)),
    **dict.fromkeys(("timeout_s", "extract_timeout_s"), (0.001, None)),
}

DEFAULT = Config()


def load_config(path: Path | None) -> Config:
    """``DEFAULT``, or the defaults overridden by a TOML file; every failure is a ``ValueError`` naming the file once.

    The CLI prints ``str(err)`` as is: a missing file, bad TOML and unknown keys each read
    ``<file>: <what is wrong>``, never with the file named twice.
    """
    if path is None:
        return DEFAULT
    try:
        return Config.from_toml(path)
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from None


def load_settings(path: Path | None, originals: list[str] | None = None) -> Config:
    """``load_config`` with the sites of ``--original`` added to the file's ``originals``."""
    config = load_config(path)
    return replace(config, originals=(*config.originals, *originals)) if originals else config


#: Help of the ``--original`` option of ``score`` and ``audit``.
ORIGINAL_HELP = ("A site that publishes its own journalism (yours): between its page and another site's, its page "
                 "is the source whatever the dates say (a copier may backdate), unless a credit or canonical link "
                 "says otherwise. Give it again for several; also 'originals' in --config.")
