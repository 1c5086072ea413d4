"""Pieces every ninja router shares: authentication, error bodies, paging."""

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = None


class TokenAuth(HttpBearer):
    """`Authorization: Bearer qm_…` for other systems."""

    def authenticate(self, request: HttpRequest, token: str):
        from quanmin.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuthActive(SessionAuth):
    """The browser's session (with CSRF on writes), for active users only."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class OptionalAuth(APIKeyHeader):
    """Lets anonymous callers through but still picks up a token or a session when there is one."""

    param_name = "Authorization"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            TokenAuth().authenticate(request, header[7:].strip())
        return True

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return True


AUTH = [TokenAuth(), SessionAuthActive()]
PUBLIC = [OptionalAuth()]


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
