"""How API callers prove who they are: a bearer token for other systems, the session for the browser.

``AUTH`` is the API's default (a signed-in caller); ``PUBLIC`` lets anonymous callers through while
still recognising a token when one is sent. Routers of every layer above accounts use them; the
regions router (below accounts) is mounted with ``PUBLIC`` by ``quanmin/api.py``.
"""

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from .services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer qm_…` for other systems."""

    def authenticate(self, request: HttpRequest, token: str):
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
