"""The one input-cleaning layer in front of every page and API operation (DESIGN rule 7).

A request is answered 400 before any view runs when it carries what the views and databases cannot
take: a NUL byte in the path, the query string or a form or JSON body (PostgreSQL refuses NUL in
text, and raised a 500 from a search box); a lone UTF-16 surrogate escaped in a JSON body (valid
JSON, but no text a database can store: every field with it was a 500); a multipart body without a
valid boundary (Django's parser then raises half-way through a view). Under /api/ the answer is the
API's JSON error ({"code": "bad_request", "message": …}), elsewhere a short page.
"""

import json
import logging
import re
import time
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import context, metrics

API_PREFIX = "/api/"
access = logging.getLogger("quanmin.request")
_JSON = ("application/json",)
_FORM = "application/x-www-form-urlencoded"
# A \\uD800-\\uDBFF not followed by \\uDC00-\\uDFFF, or a \\uDC00-\\uDFFF not preceded by a high one.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_NUL_ESCAPE = re.compile(rb"\\u0000")
_BOUNDARY = re.compile(r"^[ -~]{1,200}$")  # RFC 2046: 1-70 characters; Django takes printable ASCII


def _nul_field(body: bytes) -> str:
    """The dotted name of the first JSON value holding a NUL, for the error's `field`; "body" else."""
    try:
        stack = [("", json.loads(body))]
    except ValueError:
        return "body"
    while stack:
        name, value = stack.pop(0)
        if isinstance(value, str) and "\x00" in value:
            return name or "body"
        if isinstance(value, dict):
            stack += [(f"{name}.{k}" if name else str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{name}.{i}" if name else str(i), v) for i, v in enumerate(value)]
    return "body"


def problem(request) -> tuple[str, str] | None:
    """Why the request cannot be taken and where (query, body or a JSON field), or None."""
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return "nul", "query"
    content_type = request.META.get("CONTENT_TYPE", "")
    kind, _sep, params = content_type.partition(";")
    kind = kind.strip().lower()
    if kind == "multipart/form-data":
        boundary = ""
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "boundary":
                boundary = value.strip().strip('"')
        return None if _BOUNDARY.match(boundary) else ("boundary", "body")
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and (kind in _JSON or kind.endswith("+json")):
        body = request.body
        if b"\x00" in body:
            return "nul", "body"
        if _NUL_ESCAPE.search(body):
            return "nul", _nul_field(body)
        if b"\\u" in body and _LONE_SURROGATE.search(body):
            return "surrogate", "body"
    elif request.method in ("POST", "PUT", "PATCH") and kind == _FORM:
        if b"\x00" in unquote_to_bytes(request.body.replace(b"+", b" ")):
            return "nul", "body"
    return None


class HostileInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            found = problem(request)
        except RequestDataTooBig:  # the view answers it (413 at the API)
            found = None
        if found is None:
            return self.get_response(request)
        message = _("The request could not be read.")
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"code": "bad_request", "message": message, "field": found[1]}, status=400)
        return HttpResponseBadRequest(f"<!doctype html><title>400</title><p>{escape(message)}</p>",
                                      content_type="text/html; charset=utf-8")


class RequestContext:
    """First in line (issue 24): gives the request its id (the load balancer's X-Request-ID when sane,
    else a new one), bound for every log line written and every task enqueued while it runs, and
    answered in X-Request-ID; counts the answer by status and time (core/metrics.py); writes one
    "request" line at INFO (method, path without the query string, status, milliseconds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = context.new_id(request.headers.get("X-Request-ID"))
        token = context.bind(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            metrics.record(response.status_code, seconds)
            access.info("request", extra={"method": request.method, "path": request.path,
                                          "status": response.status_code, "ms": round(seconds * 1000, 1)})
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            context.unbind(token)
