"""Government purchase contracts in the API (under /api/v1/organizations/{id}/contracts)."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut

from . import contracts
from .api_groups import ERRORS, _org
from .api_staff import Text
from .models import ServiceContract

router = Router(tags=["organizations"])


class ContractOut(Schema):
    id: int
    organization_id: int
    region: str
    service: str
    amount: Decimal
    starts_on: datetime.date
    ends_on: datetime.date
    deliverables: str
    status: str
    status_label: str
    amount_paid: Decimal
    payment_label: str
    evidence: int


def contract_out(c: ServiceContract) -> dict:
    return {"id": c.pk, "organization_id": c.organization_id, "region": c.region_id, "service": c.service,
            "amount": c.amount, "starts_on": c.starts_on, "ends_on": c.ends_on, "deliverables": c.deliverables,
            "status": c.status, "status_label": c.get_status_display(), "amount_paid": c.amount_paid,
            "payment_label": str(c.payment_label), "evidence": c.evidence.count()}


class ContractIn(Schema):
    service: Text = Field(..., max_length=400)
    amount: Decimal = Field(..., gt=0, lt=Decimal("1e10"))
    starts_on: Day
    ends_on: Day
    deliverables: Text = Field(..., max_length=8000)
    region: str = Field("", max_length=12, description="The purchasing division; by default the organisation's.")


def _contract(request, org_id: int, contract_id: int) -> ServiceContract:
    org = _org(request, org_id)
    found = org.contracts.filter(pk=min(contract_id, MAX_ID)).first()
    if found is None:
        raise Http404
    return found


@router.get("/{int:org_id}/contracts", response={200: list[ContractOut], **ERRORS},
            summary="An organisation's service contracts (staff)")
@paginate(ArrayPaging)
def list_contracts(request, org_id: int):
    return [contract_out(c) for c in _org(request, org_id).contracts.all()]


@router.post("/{int:org_id}/contracts", response={201: ContractOut, **ERRORS},
             summary="A government purchase of a service from the organisation (the purchasing division's staff)")
def create_contract(request, org_id: int, payload: ContractIn):
    org = _org(request, org_id)
    return Status(201, contract_out(contracts.create(org, payload.dict(), actor=request.user, request=request)))


@router.post("/{int:org_id}/contracts/{int:contract_id}/evidence", response={201: ContractOut, **ERRORS, 413: ErrorOut, 415: ErrorOut},
             summary="Evidence of delivery: a PDF, photo, Excel or Word file (the organisation's staff)")
def add_evidence(request, org_id: int, contract_id: int, file: File[UploadedFile] = None,
                 note: Form[str] = ""):
    contract = _contract(request, org_id, contract_id)
    contracts.add_evidence(contract, file, note[:400], actor=request.user, request=request)
    contract.refresh_from_db()
    return Status(201, contract_out(contract))


class ContractDecisionIn(Schema):
    accept: bool = True


@router.post("/{int:org_id}/contracts/{int:contract_id}/decision", response={200: ContractOut, **ERRORS},
             summary="Accept or refuse the delivery (the purchasing division's staff)")
def decide(request, org_id: int, contract_id: int, payload: ContractDecisionIn):
    return contract_out(contracts.decide(_contract(request, org_id, contract_id), payload.accept, actor=request.user,
                                         request=request))


class PaymentIn(Schema):
    amount: Decimal = Field(..., gt=0, lt=Decimal("1e10"))


@router.post("/{int:org_id}/contracts/{int:contract_id}/payments", response={200: ContractOut, **ERRORS},
             summary="Record a payment, up to the amount (the purchasing division's staff)")
def pay(request, org_id: int, contract_id: int, payload: PaymentIn):
    return contract_out(contracts.pay(_contract(request, org_id, contract_id), payload.amount, actor=request.user,
                                      request=request))
