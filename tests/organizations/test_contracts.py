"""Government purchase of services (C11): contract, evidence, acceptance, payments."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.organizations import contracts
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import ServiceContract

TERMS = {"service": "社区健身指导服务", "amount": "50000", "starts_on": "2025-01-01", "ends_on": "2025-12-31",
         "deliverables": "全年组织健身指导48次，每次不少于30人。"}


@pytest.fixture
def contract(world, make_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = make_org("东昌府区社会体育指导员协会", region=world.county)
    return contracts.create(org, TERMS, actor=world.users["county"])


def pdf():
    return SimpleUploadedFile("report.pdf", b"%PDF-1.4 delivery report", content_type="application/pdf")


def test_contract_evidence_acceptance_and_payments(world, contract):
    with pytest.raises(OrganizationError) as exc:
        contracts.decide(contract, True, actor=world.users["county"])
    assert exc.value.code == "evidence_required"
    contracts.add_evidence(contract, pdf(), "全年活动照片和签到表", actor=world.users["county"])
    contract.refresh_from_db()
    assert contract.status == "delivered"
    with pytest.raises(OrganizationError) as exc:
        contracts.pay(contract, 1000, actor=world.users["county"])
    assert exc.value.code == "not_accepted"
    with pytest.raises(OrganizationError):  # another county does not accept it
        contracts.decide(contract, True, actor=world.users["other_county"])
    contracts.decide(contract, True, actor=world.users["county"])
    contracts.pay(contract, "30000", actor=world.users["county"])
    with pytest.raises(OrganizationError) as exc:
        contracts.pay(contract, "20000.01", actor=world.users["county"])
    assert exc.value.code == "overpaid"
    paid = contracts.pay(contract, "20000", actor=world.users["county"])
    assert str(paid.payment_label) in ("Paid in full", "已全额支付")


@pytest.mark.parametrize("data,code", [
    ({"ends_on": "2024-12-31"}, "ends_before_start"),
    ({"amount": "-5"}, "amount_invalid"),
    ({"amount": "many"}, "amount_invalid"),
    ({"service": ""}, "service_invalid"),
])
def test_bad_contracts_are_refused(world, make_org, data, code):
    org = make_org("东关社区篮球协会")
    with pytest.raises(OrganizationError) as exc:
        contracts.create(org, {**TERMS, **data}, actor=world.users["county"])
    assert exc.value.code == code
    assert not ServiceContract.objects.exists()


def test_evidence_files_are_checked(world, contract):
    with pytest.raises(OrganizationError) as exc:
        contracts.add_evidence(contract, SimpleUploadedFile("x.exe", b"MZ"), actor=world.users["county"])
    assert exc.value.code == "file_type"
    with pytest.raises(OrganizationError) as exc:
        contracts.add_evidence(contract, SimpleUploadedFile("x.pdf", b""), actor=world.users["county"])
    assert exc.value.code == "file_size"


def test_api_round_trip(world, make_org, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = make_org("东昌府区篮球协会", region=world.county)
    client = client_for("county")
    made = client.post(f"/api/v1/organizations/{org.pk}/contracts", {**TERMS, "amount": 50000},
                       content_type="application/json")
    assert made.status_code == 201, made.json()
    cid = made.json()["id"]
    up = client.post(f"/api/v1/organizations/{org.pk}/contracts/{cid}/evidence", {"file": pdf(), "note": "签到表"})
    assert up.status_code == 201 and up.json()["evidence"] == 1
    ok = client.post(f"/api/v1/organizations/{org.pk}/contracts/{cid}/decision", {"accept": True},
                     content_type="application/json")
    assert ok.json()["status"] == "accepted"
    assert client_for("other_county").get(f"/api/v1/organizations/{org.pk}/contracts").status_code == 404
    assert datetime.date.fromisoformat(ok.json()["ends_on"]).year == 2025


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def test_contract_list_filters_totals_and_export(world, contract, make_org, client_for):
    contracts.add_evidence(contract, pdf(), "签到表", actor=world.users["county"])
    contracts.decide(contract, True, actor=world.users["county"])
    contracts.pay(contract, "20000", actor=world.users["county"])
    other = make_org("茌平区健步走协会", region=world.other_county)
    contracts.create(other, {**TERMS, "service": "健步走培训", "amount": "8000"}, actor=world.users["other_county"])
    client = client_for("city")
    page = client.get("/staff/organizations/contracts/").content.decode()
    assert "社区健身指导服务" in page and "健步走培训" in page and "58000" in page
    page = client.get("/staff/organizations/contracts/?payment=partly").content.decode()
    assert "社区健身指导服务" in page and "健步走培训" not in page
    assert "健步走培训" not in client.get("/staff/organizations/contracts/?year=2024").content.decode()
    assert "健步走培训" not in client.get("/staff/organizations/contracts/?year=20x4").content.decode()
    assert "健步走培训" not in client_for("county").get("/staff/organizations/contracts/").content.decode()
    rows = list(_sheet(client.get("/staff/organizations/contracts/export.xlsx?payment=unpaid")).values)
    assert rows[0][:3] == ("合同ID", "服务内容", "承接组织")
    assert [(r[1], r[2], r[5], r[9], r[11]) for r in rows[1:]] == [("健步走培训", "茌平区健步走协会", 8000, "已签订", "未付款")]
    rows = list(_sheet(client.get("/staff/organizations/contracts/export.xlsx?status=accepted")).values)
    assert [(r[1], r[10], r[13]) for r in rows[1:]] == [("社区健身指导服务", 20000, 1)]
