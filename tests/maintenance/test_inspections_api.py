"""The inspections API: plans (scoped, validated), rounds (missed ones), the inspector's checks with
photos through multipart, checklists; errors are codes with messages, never a 500."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from quanmin.facilities.models import Equipment
from quanmin.maintenance import inspections
from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound, WorkOrder

from .test_inspections import inspector, media, png, unit, upload  # noqa: F401
from .test_inspections_pages import live_plan, today_round  # noqa: F401

BASE = "/api/v1/maintenance"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_plan_and_list(equipment, inspector, client_for):  # noqa: F811
    client = client_for("county")
    r = client.post(f"{BASE}/inspection-plans", {
        "name": "路径周检", "kind": "periodic", "region": equipment.community.code, "inspector_id": inspector.pk,
        "every_days": 7, "days_to_complete": 2, "facility_ids": [equipment.path.pk]}, content_type="application/json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["facility_ids"] == [equipment.path.pk] and body["pieces"] == 3 and body["active"]
    assert client.get(f"{BASE}/inspection-plans").json()["count"] == 1
    assert client_for("other_county").get(f"{BASE}/inspection-plans").json()["count"] == 0
    assert client_for("other_county").get(f"{BASE}/inspection-plans/{body['id']}").status_code == 404
    assert client.get(f"{BASE}/inspection-plans?kind=weekly").json()["code"] == "kind_invalid"
    assert client.get(f"{BASE}/inspection-plans?region=123").json()["code"] == "region_invalid"


@pytest.mark.parametrize("body,code,status", [
    ({"region": "371503001001"}, "region_out_of_scope", 403),
    ({"kind": "weekly"}, "kind_invalid", 400),
    ({"inspector_id": 999999}, "inspector_invalid", 400),
    ({"ends_on": "2000-01-01"}, "ends_before_start", 400),
    ({"every_days": 0}, "invalid_input", 422),
])
def test_bad_plans(equipment, inspector, client_for, body, code, status):  # noqa: F811
    good = {"name": "x", "region": equipment.community.code, "inspector_id": inspector.pk}
    r = client_for("county").post(f"{BASE}/inspection-plans", {**good, **body}, content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert r.json()["message"]
    assert not InspectionPlan.objects.exists()


def test_patch_plan(live_plan, client_for):  # noqa: F811
    url = f"{BASE}/inspection-plans/{live_plan.pk}"
    assert client_for("supervisor").patch(url, {"name": "x"}, content_type="application/json").status_code == 403
    assert client_for("other_county").patch(url, {"name": "x"}, content_type="application/json").status_code == 404
    r = client_for("county").patch(url, {"name": "新名", "active": False}, content_type="application/json")
    assert r.status_code == 200 and r.json()["name"] == "新名" and not r.json()["active"]


def test_rounds_and_missed(live_plan, client_for, inspector):  # noqa: F811
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    InspectionRound.objects.create(plan=live_plan, kind="daily", region=live_plan.region,
                                   inspector=live_plan.inspector, scheduled_for=yesterday, due_on=yesterday, pieces=3)
    inspections.tick()
    missed = client_for("county").get(f"{BASE}/inspection-rounds?status=missed").json()
    assert missed["count"] == 1 and missed["items"][0]["scheduled_for"] == yesterday.isoformat()
    mine = signed_in(inspector).get(f"{BASE}/inspection-rounds?mine=true").json()
    assert mine["count"] == live_plan.rounds.count()
    assert client_for("other_county").get(f"{BASE}/inspection-rounds").json()["count"] == 0
    assert client_for("county").get(f"{BASE}/inspection-rounds?status=x").json()["code"] == "status_invalid"


def test_inspector_records_checks(today_round, equipment, inspector):  # noqa: F811
    client = signed_in(inspector)
    url = f"{BASE}/inspection-rounds/{today_round.pk}/checks"
    detail = client.get(f"{BASE}/inspection-rounds/{today_round.pk}").json()
    assert len(detail["pieces_to_check"]) == 3
    walker, twister, bar = equipment.pieces
    r = client.post(url, {"equipment_id": walker.pk, "result": "ok", "lon": "115.98", "lat": "36.45"})
    assert r.status_code == 201 and r.json()["work_order"] == ""
    r = client.post(url, {"equipment_id": bar.pk, "result": "defect", "failed_items": ["grip", "edges"],
                          "note": "松动", "photo": upload(png())})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["failed_items"] == ["edges", "grip"] and body["photo_url"] and body["work_order"].startswith("WO")
    assert client.get(body["photo_url"]).status_code == 200
    bar.refresh_from_db()
    assert bar.status == Equipment.Status.DEFECTIVE
    detail = client.get(f"{BASE}/inspection-rounds/{today_round.pk}").json()
    assert detail["checked"] == 2 and detail["defects"] == 1 and detail["status"] == "in_progress"


@pytest.mark.parametrize("body,code,status", [
    ({"result": "defect", "note": "x", "photo": "text"}, "image_unreadable", 400),
    ({"result": "defect", "note": "x", "photo": "gif"}, "image_type", 400),
    ({"result": "defect", "note": "x", "photo": "truncated"}, "image_unreadable", 400),
    ({"result": "defect"}, "defect_detail_required", 400),
    ({"result": "ok", "lon": "500", "lat": "1"}, "position_invalid", 400),
    ({}, "result_invalid", 400),
])
def test_bad_checks(today_round, equipment, inspector, body, code, status):  # noqa: F811
    photos = {"text": lambda: upload(b"hello", "a.jpg", "image/jpeg"),
              "gif": lambda: upload(png(fmt="GIF"), "a.gif", "image/gif"),
              "truncated": lambda: upload(png((300, 300))[:150])}
    if "photo" in body:
        body = {**body, "photo": photos[body["photo"]]()}
    r = signed_in(inspector).post(f"{BASE}/inspection-rounds/{today_round.pk}/checks",
                                  {"equipment_id": equipment.pieces[0].pk, **body})
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert not Check.objects.exists() and not WorkOrder.objects.exists()


def test_only_the_inspector_records(today_round, equipment, client_for):  # noqa: F811
    url = f"{BASE}/inspection-rounds/{today_round.pk}/checks"
    assert client_for("county").post(url, {"equipment_id": equipment.pieces[0].pk, "result": "ok"}).status_code == 404
    assert client_for("other_county").post(url, {"result": "ok"}).status_code == 404
    assert client_for("resident").post(url, {"result": "ok"}).status_code == 403
    assert Client().post(url, {"result": "ok"}).status_code == 401
    assert not Check.objects.exists()


def test_checklists(client_for):
    body = client_for("county").get(f"{BASE}/checklists").json()
    assert {i["code"] for i in body["smart_bike"]} >= {"structure", "screen"}
    assert client_for("resident").get(f"{BASE}/checklists").status_code == 403
