"""Pieces every ninja router shares: error bodies and paging (authentication: accounts.api_auth)."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = None


MAX_OFFSET = 2**53  # beyond any database's integers: refused with 422 instead of failing in the database
MAX_PAGE = 500  # items in one page: a province has millions of rows, no request loads them all


class Paging(LimitOffsetPagination):
    """limit and offset, bounded: a larger limit gives MAX_PAGE items; an offset beyond any
    database's integers is refused (422). Every paginated list of the API uses it."""

    class Input(Schema):
        limit: int = Field(100, ge=1, description=f"Items per page; at most {MAX_PAGE} are returned.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)
