"""Physique's errors: each carries a stable code for API clients and a message for people.

The scoring engine and the batch reader import nothing from Django, so their errors are plain
``ValueError`` subclasses; the services turn them into :class:`PhysiqueError`, the
:class:`~quanmin.core.errors.ServiceError` that pages and the API answer with.
"""

from typing import Any

from quanmin.core.errors import ServiceError


class ScoringError(ValueError):
    """Bad input. ``field`` names the offending input, ``code`` is stable for API clients."""

    def __init__(self, field: str, code: str, message: str, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.row = row  # score_many: index of the first offending record

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message, "row": self.row}


class BatchError(ValueError):
    """The file as a whole cannot be read: wrong format, broken file, no header, a missing column."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class PhysiqueError(ServiceError):
    """A rule of physique monitoring was broken."""


def from_scoring(exc: ScoringError) -> PhysiqueError:
    """The service error for a scoring engine's complaint about one record (422: the input is wrong)."""
    return PhysiqueError(exc.code, exc.message, exc.field, status=422)
