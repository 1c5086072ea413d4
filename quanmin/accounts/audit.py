"""The one audit call every app uses: `audit.record(...)`."""

from django.db import transaction

from .models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind a proxy the first forwarded address is the client's; REMOTE_ADDR otherwise.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


def record(action: str, *, request=None, actor=None, obj=None, region_code: str = "",
           detail: dict | None = None) -> AuditEntry:
    """Write one audit entry. `actor` defaults to the request's signed-in user."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    target_type = target_id = target_repr = ""
    if obj is not None:
        target_type = obj._meta.label_lower
        target_id = str(obj.pk)
        target_repr = str(obj)[:200]
        region_code = region_code or _region_code_of(obj)
    entry = AuditEntry(
        action=action, actor=actor, target_type=target_type, target_id=target_id,
        target_repr=target_repr, region_code=region_code or "", ip=client_ip(request),
        detail=detail or {},
    )
    # Written even if the surrounding transaction rolls back? No: a failed change did not happen.
    with transaction.atomic():
        entry.save()
    return entry


def read_personal(request, person, fields: list[str], purpose: str = "") -> AuditEntry:
    """Log a read of someone's personal data (whole ID number, phone, health data)."""
    return record(
        "read_personal", request=request, obj=person,
        detail={"fields": fields, "purpose": purpose},
    )


def _region_code_of(obj) -> str:
    for attr in ("region_id", "home_region_id"):
        value = getattr(obj, attr, None)
        if value:
            return value
    return ""
