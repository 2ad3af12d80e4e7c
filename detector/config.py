"""One frozen configuration for fingerprints, matching and fetching, with a fingerprint string.

The fingerprint (for example ``w5_p128_s1_affine32``) is written into every index and model card so that
artifacts built with different parameters never mix silently.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Config:
    """Every tunable number in one place; ``from_toml`` and CLI flags override the defaults."""

    # fingerprints (stored in the index; changing them needs a rebuild)
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    lsh_threshold: float = 0.5
    sample_mod: int = 4  # keep shingle hashes with h % sample_mod == 0 as containment postings
    # candidate search and verification
    max_candidates: int = 50
    min_shared_postings: int = 2
    posting_df_cap: int = 200  # a posting shared by more docs than this is boilerplate or a stock phrase
    align_shingle: int = 4
    align_gap: int = 6
    min_passage_words: int = 8
    min_match_words: int = 12
    # derivation thresholds on share_of_this / share_of_other (tuned in the copy-engine benchmark)
    whole_share: float = 0.6
    partial_share: float = 0.2
    # fetching and extraction
    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    extract_timeout_s: float = 20.0
    user_agent: str = "content-farm-detector/0.1 (+https://github.com/content-farm-detector; research crawler)"

    @property
    def fingerprint(self) -> str:
        """Short tag of the parameters an index depends on."""
        return f"w{self.shingle_size}_p{self.num_perm}_s{self.seed}_{self.scheme}_m{self.sample_mod}"

    def index_params(self) -> dict[str, Any]:
        """The parameters an index is built with, as stored in it."""
        return {
            "shingle_size": self.shingle_size,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "scheme": self.scheme,
            "lsh_threshold": self.lsh_threshold,
            "sample_mod": self.sample_mod,
        }

    def with_index_params(self, params: dict[str, Any]) -> "Config":
        """This config with an index's stored parameters taking precedence."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in params.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_toml(cls, path: Path) -> "Config":
        """Defaults overridden by the keys of a TOML file (unknown keys are an error, to catch typos)."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(unknown)}")
        return cls(**data)


DEFAULT = Config()
