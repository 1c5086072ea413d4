"""The JSON API under /api/v1: one NinjaAPI, a router per app, errors as codes with messages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from quanmin.accounts.api_auth import AUTH, PUBLIC
from quanmin.accounts.models import AuditEntry
from quanmin.core.errors import ServiceError

api = NinjaAPI(
    title="Quanmin API",
    version="1",
    description="全民健身公共服务平台 API. Session auth for the browser, bearer tokens for other systems.",
    auth=AUTH,
    urls_namespace="api-1",
    docs_url="/docs",
)


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
# regions sits below accounts, so its router carries no auth of its own: it is public reference data.
api.add_router("/regions", "quanmin.regions.api.router", auth=PUBLIC)
api.add_router("/facilities", "quanmin.facilities.api.router")
api.add_router("/facilities", "quanmin.facilities.api_io.router")
api.add_router("/facilities/figures", "quanmin.facilities.api_figures.router")
api.add_router("/booking", "quanmin.booking.api_resident.router")
api.add_router("/booking/staff", "quanmin.booking.api_staff.router")
api.add_router("/physique", "quanmin.physique.api.router")
api.add_router("/equipment", "quanmin.facilities.api_equipment.router")
api.add_router("/maintenance", "quanmin.maintenance.api_inspections.router")
api.add_router("/maintenance", "quanmin.maintenance.api_work_orders.router")
api.add_router("/maintenance/figures", "quanmin.maintenance.api_figures.router")
api.add_router("/feedback", "quanmin.feedback.api_resident.router")
api.add_router("/feedback", "quanmin.feedback.api_staff.router")
api.add_router("/feedback", "quanmin.maintenance.api_reports.router")

if settings.BENCH_ENDPOINTS:
    # Only for bench/booking.py: the cheapest authenticated write, to compare booking against.
    @api.post("/bench/insert", tags=["bench"], summary="Insert one row (benchmark baseline)")
    def bench_insert(request):

        AuditEntry.objects.create(action="bench", actor=request.user)
        return {"ok": True}
