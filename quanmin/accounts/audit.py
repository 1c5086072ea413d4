"""The one audit call every app uses: `audit.record(...)`."""

import functools
import ipaddress

from django.conf import settings
from django.db import transaction

from quanmin.core.api import Paging

from .models import AuditEntry


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the peer's (REMOTE_ADDR), unless the peer is one of our proxies
    (settings.TRUSTED_PROXIES, from QUANMIN_TRUSTED_PROXIES: addresses or networks, none by default).
    Then X-Forwarded-For is read from the right, past our proxies, to the first address none of them
    is: everything left of it was written by the client and proves nothing."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not any(peer in net for net in trusted):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # junk: keep the last address a proxy of ours vouched for
        client = address
        if not any(address in net for net in trusted):
            break
    return str(client)


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


def list_personal(request, what: str, ids: list) -> AuditEntry:
    """Log a list read of personal data (masked or not): who read which people's rows."""
    return record("list_personal", request=request, detail={"what": what, "count": len(ids), "ids": ids})


class PersonalPaging(Paging):
    """The API's paging for lists of people: the page read is logged with the ids on it
    (`@paginate(audit.PersonalPaging, what="users")`)."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request=request, **params)
        page["items"] = list(page["items"])
        list_personal(request, self.what, [item.pk for item in page["items"]])
        return page
