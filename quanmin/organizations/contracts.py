"""Government purchase of public sports services from organisations (C11): the contract (service,
amount, period, deliverables), the organisation's evidence of delivery, the purchaser's acceptance,
and payments up to the amount.

Who: the purchasing division's staff make contracts, accept or refuse, and record payments; the
organisation's staff (and its division's) upload evidence. A contract is accepted only with evidence;
payments come after acceptance and never exceed the amount.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.regions import codes

from . import permissions, services
from .errors import OrganizationError
from .models import ContractEvidence, Organization, ServiceContract

C = ServiceContract.Status
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx"}


def _err(code, message, field=None, status=None):
    return OrganizationError(code, message, field, status=status)


def _money(value, field: str) -> Decimal:
    try:
        found = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _err(f"{field}_invalid", _("Write an amount in yuan, such as 50000."), field) from None
    if not found.is_finite() or found <= 0 or found >= Decimal("1e10"):
        raise _err(f"{field}_invalid", _("Write an amount in yuan, such as 50000."), field)
    return found.quantize(Decimal("0.01"))


def can_purchase(user, contract: ServiceContract) -> bool:
    return scoping.can_write_region(user, contract.region_id)


def create(org: Organization, data: dict, *, actor, request=None) -> ServiceContract:
    region = services.check_region(data.get("region") or org.region_id)
    if not scoping.can_write_region(actor, region.code):
        raise _err("region_out_of_scope", _("This division is outside your scope."), "region", status=403)
    if not org.counted:
        raise _err("organization_not_counted", _("Only an active, approved organisation takes a contract."),
                   status=409)
    service = str(data.get("service") or "").strip()
    deliverables = str(data.get("deliverables") or "").strip()
    if not service or len(service) > 200:
        raise _err("service_invalid", _("Name the service (at most 200 characters)."), "service")
    if not deliverables or len(deliverables) > 4000:
        raise _err("deliverables_invalid", _("List the deliverables (at most 4,000 characters)."), "deliverables")
    amount = _money(data.get("amount"), "amount")
    starts = services.check_date(data.get("starts_on"), "starts_on", _("Write the date as 2025-01-01."))
    ends = services.check_date(data.get("ends_on"), "ends_on", _("Write the date as 2025-12-31."))
    if starts is None or ends is None:
        raise _err("period_required", _("Give the contract's period."), "starts_on")
    if ends < starts:
        raise _err("ends_before_start", _("The contract must end on or after its start."), "ends_on")
    with transaction.atomic():
        contract = ServiceContract.objects.create(organization=org, region=region, service=service, amount=amount,
                                                  starts_on=starts, ends_on=ends, deliverables=deliverables)
        services.history(org, actor, "contract", {"service": [None, service], "amount": [None, str(amount)]})
        audit.record("organization.contract", request=request, actor=actor, obj=org, detail={"contract": contract.pk})
    return contract


def add_evidence(contract: ServiceContract, upload, note: str = "", *, actor, request=None) -> ContractEvidence:
    if not (permissions.can_change(actor, contract.organization) or can_purchase(actor, contract)):
        raise _err("forbidden", _("You may not change this organisation."), status=403)
    if contract.status in (C.ACCEPTED, C.REJECTED):
        raise _err("contract_decided", _("This contract has been decided."), status=409)
    if upload is None:
        raise _err("file_required", _("Choose a file to upload."), "file")
    if Path(upload.name or "").suffix.lower() not in EVIDENCE_TYPES:
        raise _err("file_type", _("Upload a PDF, a photo (JPG, PNG), or an Excel or Word file."), "file", status=415)
    if (upload.size or 0) > MAX_EVIDENCE_BYTES or not upload.size:
        raise _err("file_size", _("The file must hold something and be at most 10 MB."), "file", status=413)
    if len(str(note or "")) > 200:
        raise _err("note_too_long", _("At most %(n)s characters.") % {"n": 200}, "note")
    with transaction.atomic():
        evidence = ContractEvidence.objects.create(contract=contract, file=upload, note=str(note or "").strip())
        ServiceContract.objects.filter(pk=contract.pk, status=C.SIGNED).update(status=C.DELIVERED)
        audit.record("organization.contract_evidence", request=request, actor=actor, obj=contract.organization,
                     detail={"contract": contract.pk})
    return evidence


def decide(contract: ServiceContract, accept: bool, *, actor, request=None) -> ServiceContract:
    if not can_purchase(actor, contract):
        raise _err("forbidden", _("The purchasing division's staff accept the delivery."), status=403)
    with transaction.atomic():
        contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
        if contract.status in (C.ACCEPTED, C.REJECTED):
            raise _err("contract_decided", _("This contract has been decided."), status=409)
        if accept and not contract.evidence.exists():
            raise _err("evidence_required", _("Accept a delivery only with its evidence."), status=409)
        contract.status = C.ACCEPTED if accept else C.REJECTED
        contract.decided_on = timezone.localdate()
        contract.save(update_fields=["status", "decided_on"])
        audit.record("organization.contract_decision", request=request, actor=actor, obj=contract.organization,
                     detail={"contract": contract.pk, "accepted": accept})
    return contract


def pay(contract: ServiceContract, amount, *, actor, request=None) -> ServiceContract:
    if not can_purchase(actor, contract):
        raise _err("forbidden", _("The purchasing division's staff record payments."), status=403)
    amount = _money(amount, "amount")
    with transaction.atomic():
        contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
        if contract.status != C.ACCEPTED:
            raise _err("not_accepted", _("Pay a contract once its delivery is accepted."), status=409)
        if contract.amount_paid + amount > contract.amount:
            raise _err("overpaid", _("That would pay more than the contract's amount."), "amount", status=409)
        ServiceContract.objects.filter(pk=contract.pk).update(amount_paid=F("amount_paid") + amount)
        contract.refresh_from_db()
        audit.record("organization.contract_payment", request=request, actor=actor, obj=contract.organization,
                     detail={"contract": contract.pk, "amount": str(amount)})
    return contract


def contracts_for(user):
    return scoping.scoped(user, ServiceContract.objects.select_related("organization", "region"))


PAYMENTS = ("unpaid", "partly", "full")


def filtered(qs, params):
    """Filters of the contract list and its export: q (service or provider), status, payment
    (unpaid, partly, full), region (the purchasing division's subtree), year (running in that year)."""
    get = params.get
    q = str(get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(Q(service__icontains=q) | Q(organization__name__icontains=q))
    status = get("status")
    if status:
        qs = qs.filter(status=status) if status in ServiceContract.Status.values else qs.none()
    payment = get("payment")
    if payment:
        qs = {"unpaid": lambda: qs.filter(amount_paid__lte=0), "partly": lambda: qs.filter(
            amount_paid__gt=0, amount_paid__lt=F("amount")), "full": lambda: qs.filter(amount_paid__gte=F("amount"))
              }.get(payment, qs.none)()
    region = str(get("region") or "").strip()
    if region:
        try:
            qs = qs.filter(region__code__within=codes.prefix(codes.normalise(region)))
        except ValueError:
            qs = qs.none()
    year = str(get("year") or "").strip()
    if year:
        if year.isdigit() and len(year) == 4:
            qs = qs.filter(starts_on__year__lte=int(year), ends_on__year__gte=int(year))
        else:
            qs = qs.none()
    return qs.order_by("-starts_on", "-id")


def totals(qs) -> dict:
    """The amount and the paid sum of the contracts (one query)."""
    found = qs.order_by().aggregate(n=Count("id"), amount=Sum("amount"), paid=Sum("amount_paid"))
    return {"n": found["n"], "amount": found["amount"] or Decimal(0), "paid": found["paid"] or Decimal(0)}


HEADERS = ["合同ID", "服务内容", "承接组织", "组织类型", "购买方区划", "金额（元）", "起始日期", "截止日期", "交付内容",
           "状态", "已付（元）", "付款情况", "验收日期", "交付证明（份）"]


def sheet_rows(qs):
    """The export's rows, in the list's order; labels in Chinese, never codes."""
    qs = qs.select_related("organization", "region").annotate(evidence_n=Count("evidence"))
    for c in qs.iterator(chunk_size=2000):
        with translation.override("zh-hans"):
            yield [c.pk, c.service, c.organization.name, c.organization.get_kind_display(), c.region.name, c.amount,
                   c.starts_on, c.ends_on, c.deliverables, c.get_status_display(), c.amount_paid,
                   str(c.payment_label), c.decided_on or "", c.evidence_n]


def days_left(contract: ServiceContract, today: datetime.date | None = None) -> int:
    return (contract.ends_on - (today or timezone.localdate())).days
