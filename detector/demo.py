"""The bundled demo corpus and its index, built on first use into the user's cache folder.

The demo pages ship inside the wheel (``detector/_demo/pages``) and, in a source checkout, live in
``datasets/demo/pages``; the index is rebuilt whenever the pages, the fingerprint parameters or the model (whose
farm probability of each page the index keeps) change.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from detector.config import DEFAULT, Config
from detector.index import Index
from detector.index_open import SCHEMA_VERSION
from detector.sources import expand, load

_PACKAGED = Path(__file__).parent / "_demo" / "pages"
_CHECKOUT = Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages"


def demo_pages() -> Path:
    """The folder of bundled demo pages."""
    for folder in (_PACKAGED, _CHECKOUT):
        if folder.is_dir():
            return folder
    raise FileNotFoundError("the bundled demo pages are missing from this installation")


def cache_dir() -> Path:
    """Where built artifacts go: ``$CFD_CACHE_DIR``, else ``$XDG_CACHE_HOME/content-farm-detector``."""
    explicit = os.environ.get("CFD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "content-farm-detector"


def _pages_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.htm*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_demo_index(path: Path, config: Config = DEFAULT) -> Path:
    """Index every bundled demo page into ``path`` (replacing what is there), as ``detector index add`` does
    (``score.indexable``: with the names each credits and its own farm probability)."""
    from detector.score import indexable

    with Index(path, config) as index:
        pages = [indexable(load(target, config=config)) for target in expand([str(demo_pages())])]
        index.add([article for article, _ in pages], probabilities=[own for _, own in pages])
    return path


def _model_digest() -> str:
    """The shipped model's digest (the stored farm probabilities are its), or '' when it cannot be read."""
    from detector.classify import MODEL_PATH

    try:
        return hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:8]
    except OSError:
        return ""


def demo_index(config: Config = DEFAULT) -> Path:
    """Path of the demo index, building it first if it is missing or stale."""
    folder = demo_pages()
    path = cache_dir() / (f"demo-{config.fingerprint}-s{SCHEMA_VERSION}-{_pages_digest(folder)}-{_model_digest()}"
                          ".sqlite")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.building")
        build_demo_index(partial, config)
        os.replace(partial, path)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return path
