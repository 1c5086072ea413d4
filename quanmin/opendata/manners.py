"""Public API manners for open data: per-client rate limits (429 with Retry-After), ETags with
conditional GET (304), cache headers, and CORS so that browser apps of other sites may read.

The rate limit counts requests per client address per minute in Django's cache: Redis, shared by
every node, when QUANMIN_REDIS_URL is set; otherwise the process's own memory (one node)."""

import functools
import hashlib
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from quanmin.accounts.audit import client_ip

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "If-None-Match", "Access-Control-Expose-Headers": "ETag, Retry-After",
        "Access-Control-Max-Age": "86400"}


def error(status: int, code: str, message, **headers) -> JsonResponse:
    response = JsonResponse({"code": code, "message": str(message)}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in {**CORS, **headers}.items():
        response[name] = value
    return response


def retry_after(request, now: float | None = None) -> int | None:
    """Seconds until the client may ask again, or None when it is within the limit."""
    now = time.time() if now is None else now
    window = int(now // 60)
    key = f"opendata-rate:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, 90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 90)
        count = 1
    if count > settings.OPEN_DATA_RATE_LIMIT:
        return max(1, int(60 - now % 60))
    return None


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def answer(request, content: bytes | str, content_type: str, max_age: int, etag: str | None = None,
           **headers) -> HttpResponse:
    """A public answer with its ETag (304 when the client holds it), cache lifetime and CORS."""
    if isinstance(content, str):
        content = content.encode()
    etag = etag or etag_of(content)
    matches = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    response = HttpResponse(status=304) if etag in matches or "*" in matches else HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    for name, value in {**CORS, **headers}.items():
        response[name] = value
    return response


def public(view):
    """GET, HEAD and the CORS preflight (OPTIONS) only; rate-limited per client."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in CORS.items():
                response[name] = value
            return response
        if request.method not in ("GET", "HEAD"):
            return error(405, "method_not_allowed", _("Only GET is answered here."), Allow="GET, HEAD, OPTIONS")
        wait = retry_after(request)
        if wait is not None:
            return error(429, "rate_limited", _("Too many requests: wait %(seconds)s seconds and ask again.")
                         % {"seconds": wait}, **{"Retry-After": str(wait)})
        return view(request, *args, **kwargs)

    return wrapped


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
