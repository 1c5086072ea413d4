"""The JSON API under /api/v1: one NinjaAPI, a router per app, errors as codes with messages."""

import copy
from functools import partial
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Response

from quanmin.accounts.api_auth import AUTH, PUBLIC
from quanmin.accounts.models import AuditEntry
from quanmin.core.api import ErrorOut
from quanmin.core.errors import ServiceError

WRITES = ("post", "put", "patch", "delete")
# What the shared machinery answers, operation by operation, whatever the endpoint itself says
# (issue 15, item 9). Each status with the case that brings it; an endpoint's own `response={...}`
# adds the rest (409 of a read, 415 of an upload, 429 of a throttled write) and its description wins.
RULE_STATUSES = {
    400: "The request could not be read (a NUL byte, a lone surrogate, a multipart body without a "
         "boundary, a body that is not JSON) or a rule refused it (`code` says which).",
    401: "Not signed in: no session, or no valid bearer token.",
    403: "Signed in, but this role may not do this here (or the session's CSRF check failed).",
    404: "Nothing of that id within the caller's scope.",
    409: "The current state does not allow it (taken, full, already done: `code` says which).",
    413: "The request body is too large.",
    422: "A parameter or a field is not valid: `errors` names each field.",
}


def _body_fields(operation: dict, schemas: dict) -> set[str]:
    """The names of the top-level fields of an operation's request body, whatever its media type."""
    names = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        schema = media.get("schema", {})
        if "$ref" in schema:
            schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
        for name, field in schema.get("properties", {}).items():
            names.add(name)
            if "$ref" in field:  # a multipart body's JSON part
                names |= set(schemas.get(field["$ref"].rsplit("/", 1)[-1], {}).get("properties", {}))
    return names


def rule_statuses(method: str, operation: dict, schemas: dict) -> list[int]:
    """The error statuses an operation can answer by the platform's rules alone: every request goes
    through the input layer (400); a signed-in operation checks the caller and their role (401,
    403); a path parameter or a body's `…_id` field names an object that may not exist or be out of
    scope (404); a write meets state (409); a body can be too large (413); parameters and bodies
    are validated (422)."""
    signed_in = not any("OptionalAuth" in scheme for scheme in operation.get("security", []))
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = [400]
    if signed_in:
        statuses += [401, 403]
    if any(p["in"] == "path" for p in parameters) or any(
            name.endswith(("_id", "_ids")) for name in _body_fields(operation, schemas)):
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    if has_body:
        statuses.append(413)
    if parameters or has_body:
        statuses.append(422)
    return statuses


# A time of day the API takes and gives (opening hours, slots' templates) is the city's wall-clock
# time, written without an offset ("08:00", "08:00:00"); OpenAPI's `format: time` is RFC 3339's
# full-time, which needs one ("08:00:00+08:00"), so the document says what is really meant.
LOCAL_TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
              "description": "A time of day in the city's zone, without an offset: 08:00 or 08:00:00."}


def _local_times(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node.update({k: v for k, v in LOCAL_TIME.items() if k not in node})
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


class QuanminAPI(NinjaAPI):
    """The OpenAPI document is built once per path prefix and language, then served from memory: every
    router is mounted when this module is imported, building it costs ~0.7 s of CPU, and
    /api/v1/openapi.json is public (rebuilt for each request, it was a cheap way to load a server).
    The openapi.json view serves the shared document as it is; get_openapi_schema, for callers that
    may change what they get, answers a copy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._documents = {}

    def openapi_document(self, *, path_prefix=None, path_params=None) -> dict:
        """The shared document: read it, never change it."""
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        if key not in self._documents:
            self._documents[key] = self._document(path_prefix=path_prefix, path_params=path_params)
        return self._documents[key]

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return copy.deepcopy(self.openapi_document(path_prefix=path_prefix, path_params=path_params))

    def _get_urls(self):
        """Ninja's URLs, with openapi.json answered from the shared document (no copy per request)."""
        urls = super()._get_urls()
        for i, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "openapi-json":
                view = partial(_openapi_json, api=self)
                urls[i] = path(str(pattern.pattern), self.docs_decorator(view) if self.docs_decorator else view,
                               name="openapi-json")
        return urls

    def _document(self, **kwargs):
        """The document with every error status an operation can answer, each with ErrorOut."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        _local_times(schema)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in rule_statuses(method, operation, components):
                    responses.setdefault(status, {"description": RULE_STATUSES[status], "content": error})
                for status, response in responses.items():
                    if status in RULE_STATUSES and response.get("description") == HTTPStatus(status).phrase:
                        response["description"] = RULE_STATUSES[status]
                operation["responses"] = dict(sorted(responses.items(), key=lambda item: str(item[0])))
        return schema


api = QuanminAPI(
    title="Quanmin API",
    version="1",
    description="全民健身公共服务平台 API. Session auth for the browser, bearer tokens for other systems.",
    auth=AUTH,
    urls_namespace="api-1",
    docs_url="/docs",
)


def _openapi_json(request, api: QuanminAPI, **kwargs):
    return Response(api.openapi_document(path_params=kwargs))


def _error(request, status: int, code: str, message, **extra):
    body = {"code": code, "message": str(message)}
    body.update({k: v for k, v in extra.items() if v is not None})
    return api.create_response(request, body, status=status)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return _error(request, exc.status, exc.code, exc.message, field=exc.field, **exc.detail)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", ""), "type": err.get("type", "")})
    return _error(request, 422, "invalid_input", _("Some fields are not valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "not_authenticated", _("Sign in first."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(OverflowError)
def too_large(request, exc):
    # An id beyond the database's integer range names no row; the schemas bound most ids, this
    # catches the rest (path parameters) instead of answering 500.
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    return _error(request, 413, "too_large", _("The request is too large."))


@api.exception_handler(SuspiciousOperation)
def suspicious(request, exc):
    # Too many form fields, a malformed multipart body and the like: the client's fault, not ours.
    return _error(request, 400, "bad_request", _("The request could not be read."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, "forbidden", _("You may not do this."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 429: "too_many_requests"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/", "quanmin.accounts.api.router")
api.add_router("/", "quanmin.web.api.router")
api.add_router("/", "quanmin.web.api_record.router")
# regions sits below accounts, so its router carries no auth of its own: it is public reference data.
api.add_router("/regions", "quanmin.regions.api.router", auth=PUBLIC)
api.add_router("/facilities", "quanmin.facilities.api.router")
api.add_router("/facilities", "quanmin.facilities.api_io.router")
api.add_router("/facilities/figures", "quanmin.facilities.api_figures.router")
api.add_router("/booking", "quanmin.booking.api_resident.router")
api.add_router("/organizations", "quanmin.organizations.api_staff.router")
api.add_router("/organizations", "quanmin.organizations.api_groups.staff_router")
api.add_router("/organizations", "quanmin.organizations.api_contracts.router")
api.add_router("/organizations", "quanmin.organizations.api_instructors.router")
api.add_router("/groups", "quanmin.organizations.api_groups.router")
api.add_router("/booking/staff", "quanmin.booking.api_staff.router")
api.add_router("/physique", "quanmin.physique.api.router")
api.add_router("/physique/standard", "quanmin.physique.api_exercise.router")
api.add_router("/physique/sport-medicine", "quanmin.physique.api_sportmed.router")
api.add_router("/equipment", "quanmin.facilities.api_equipment.router")
api.add_router("/maintenance", "quanmin.maintenance.api_inspections.router")
api.add_router("/maintenance", "quanmin.maintenance.api_work_orders.router")
api.add_router("/maintenance/figures", "quanmin.maintenance.api_figures.router")
api.add_router("/feedback", "quanmin.feedback.api_resident.router")
api.add_router("/feedback", "quanmin.feedback.api_staff.router")
api.add_router("/feedback", "quanmin.maintenance.api_reports.router")
api.add_router("/people", "quanmin.people.api.router")
api.add_router("/people", "quanmin.people.api_programmes.router")
api.add_router("/people", "quanmin.people.api_volunteers.router")
api.add_router("/events", "quanmin.events.api.router")
api.add_router("/events", "quanmin.events.api_brands.router")
api.add_router("/surveys", "quanmin.surveys.api.router")
api.add_router("/planning", "quanmin.planning.api.router")
api.add_router("/planning/supervision", "quanmin.planning.api_supervision.router")
api.add_router("/planning", "quanmin.planning.api_returns.router")
api.add_router("/planning", "quanmin.planning.api_evaluation.router")
api.add_router("/planning", "quanmin.planning.api_special.router")
api.add_router("/planning", "quanmin.planning.api_livelihood.router")
api.add_router("/planning", "quanmin.planning.api_titles.router")
api.add_router("/planning", "quanmin.planning.api_exchange.router")
api.add_router("/planning", "quanmin.planning.api_inclusions.router")
api.add_router("/incentives", "quanmin.incentives.api.router")
api.add_router("/opendata", "quanmin.opendata.api.router")
api.add_router("/funding", "quanmin.funding.api.router")
api.add_router("/youth", "quanmin.youth.api.router")
api.add_router("/inclusive", "quanmin.inclusive.api.router")
api.add_router("/outreach", "quanmin.outreach.api.router")
api.add_router("/residential", "quanmin.residential.api.router")
api.add_router("/safety", "quanmin.safety.api.router")
api.add_router("/opening", "quanmin.opening.api.router")
api.add_router("/heritage", "quanmin.heritage.api.router")

if settings.BENCH_ENDPOINTS:
    # Only for bench/booking.py: the cheapest authenticated write, to compare booking against.
    @api.post("/bench/insert", tags=["bench"], summary="Insert one row (benchmark baseline)")
    def bench_insert(request):

        AuditEntry.objects.create(action="bench", actor=request.user)
        return {"ok": True}
