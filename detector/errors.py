"""Errors that name the input they came from, so a batch can report one line and go on with the rest."""

from __future__ import annotations


class DetectorError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(DetectorError):
    """One input (URL, file, JSONL line, stdin page) could not be read, fetched or extracted.

    ``str(err)`` is a single line: ``<target>: <what went wrong>``.
    """

    def __init__(self, target: str, message: str) -> None:
        self.target = target
        self.message = " ".join(str(message).split())
        super().__init__(f"{target}: {self.message}")


class FetchError(InputError):
    """A URL could not be fetched: network failure, bad status, refused address, too large, not HTML.

    ``retry_after``: the seconds a 429 or 503 response asked the client to wait (its ``Retry-After``), if any.
    """

    def __init__(self, target: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(target, message)
        self.retry_after = retry_after


class ExtractError(InputError):
    """A page was read but no article text could be extracted from it in time."""


class IndexError_(DetectorError):
    """An index file is missing, a folder, corrupt, of another schema, built with other parameters, or closed."""


class ModelError(DetectorError):
    """A model file is missing, corrupt, tampered with, or not one of ours."""


class AuditBusy(DetectorError):
    """Another audit is writing into the same output folder."""


class AuditFolderMismatch(DetectorError):
    """The output folder holds an audit by the other engine (local or Spark), or with other settings, whose
    results this run would replace or mix with its own."""
