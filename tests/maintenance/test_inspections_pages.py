"""Inspection pages: staff plans and rounds (scoped, missed rounds visible), the inspector's phone
pages (walk a round, OK and defect with photo, clear errors and nothing changed on bad input)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.facilities.models import Equipment
from quanmin.maintenance import inspections
from quanmin.maintenance.models import Check, InspectionPlan, InspectionRound, WorkOrder

from .test_inspections import inspector, media, png, unit, upload  # noqa: F401

R = InspectionRound.Status


@pytest.fixture
def live_plan(equipment, inspector, unit):  # noqa: F811
    """A daily plan made today by the real clock: today's round is open to walk."""
    return inspections.create_plan(actor=equipment.users["county"], data={
        "name": "东关社区日常巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
        "starts_on": timezone.localdate()})


@pytest.fixture
def today_round(live_plan):
    return live_plan.rounds.get(scheduled_for=timezone.localdate())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_create_a_plan(equipment, inspector, client_for):  # noqa: F811
    client = client_for("county")
    page = client.get(reverse("maintenance:inspection_plan_new"))
    assert page.status_code == 200 and "巡检员" in page.content.decode()
    response = client.post(reverse("maintenance:inspection_plan_new"), {
        "name": "路径周检", "kind": "periodic", "region": equipment.community.code, "inspector": inspector.pk,
        "every_days": "7", "days_to_complete": "3", "starts_on": timezone.localdate().isoformat(),
        "facilities": [equipment.path.pk]})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("maintenance:inspection_plan",
                                                                          args=[plan.pk])
    assert plan.rounds.exists() and list(plan.facilities.all()) == [equipment.path]
    detail = client.get(response["Location"]).content.decode()
    assert "路径周检" in detail and "巡检员" in detail


def test_bad_plan_form_shows_the_error_and_saves_nothing(equipment, inspector, client_for):  # noqa: F811
    response = client_for("county").post(reverse("maintenance:inspection_plan_new"), {
        "name": "专项", "kind": "special", "region": equipment.community.code, "inspector": inspector.pk,
        "every_days": "1", "days_to_complete": "1", "starts_on": "2026-03-01", "ends_on": "2026-02-01"})
    assert response.status_code == 400
    assert not InspectionPlan.objects.exists()
    assert "cannot end before it starts" in response.content.decode() or "结束" in response.content.decode()


def test_plan_pages_are_scoped(live_plan, client_for):
    url = reverse("maintenance:inspection_plan", args=[live_plan.pk])
    assert client_for("county").get(url).status_code == 200
    assert client_for("supervisor").get(url).status_code == 200
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403
    assert client_for("supervisor").get(reverse("maintenance:inspection_plan_edit", args=[live_plan.pk])).status_code == 403
    assert client_for("other_county").get(reverse("maintenance:inspection_plan_edit",
                                                  args=[live_plan.pk])).status_code == 404
    html = client_for("county").get(reverse("maintenance:inspection_plans")).content.decode()
    assert live_plan.name in html
    assert live_plan.name not in client_for("other_county").get(reverse("maintenance:inspection_plans")).content.decode()


def test_edit_and_stop_a_plan(live_plan, equipment, client_for):
    client = client_for("county")
    response = client.post(reverse("maintenance:inspection_plan_edit", args=[live_plan.pk]), {
        "name": "改名", "kind": "daily", "region": equipment.community.code, "inspector": live_plan.inspector_id,
        "every_days": "2", "days_to_complete": "1", "starts_on": live_plan.starts_on.isoformat()})
    assert response.status_code == 302
    live_plan.refresh_from_db()
    assert (live_plan.name, live_plan.every_days) == ("改名", 2)
    client.post(reverse("maintenance:inspection_plan_active", args=[live_plan.pk]), {"active": "0"})
    live_plan.refresh_from_db()
    assert not live_plan.active
    assert not live_plan.rounds.filter(scheduled_for__gt=timezone.localdate()).exists()


def test_missed_rounds_are_visible(live_plan, client_for):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    InspectionRound.objects.create(plan=live_plan, kind="daily", region=live_plan.region,
                                   inspector=live_plan.inspector, scheduled_for=yesterday, due_on=yesterday, pieces=3)
    inspections.tick()
    client = client_for("county")
    html = client.get(reverse("maintenance:inspection_rounds") + "?status=missed").content.decode()
    assert 'class="missed"' in html and "st-missed" in html and yesterday.isoformat() in html
    assert client.get(reverse("maintenance:inspection_rounds") + "?status=nope").status_code == 400
    assert client.get(reverse("maintenance:inspection_rounds") + "?from=2026-99-01").status_code == 400
    assert "st-missed" in client.get(reverse("maintenance:inspection_plans")).content.decode() or \
        'class="missed"' in client.get(reverse("maintenance:inspection_plans")).content.decode()


def test_inspector_walks_the_round(today_round, equipment, inspector, unit):  # noqa: F811
    client = signed_in(inspector)
    mine = client.get(reverse("maintenance:my_rounds")).content.decode()
    assert reverse("maintenance:inspection_walk", args=[today_round.pk]) in mine
    walk_url = reverse("maintenance:inspection_walk", args=[today_round.pk])
    page = client.get(walk_url).content.decode()
    walker, twister, bar = equipment.pieces
    assert walker.tag in page and "太空漫步机" in page and 'name="failed_items"' in page
    check_url = reverse("maintenance:inspection_check", args=[today_round.pk])
    r = client.post(check_url, {"equipment": walker.pk, "result": "ok", "lon": "115.985", "lat": "36.457"})
    assert r.status_code == 302 and r["Location"].endswith("#next")
    r = client.post(check_url, {"equipment": bar.pk, "result": "defect", "failed_items": ["grip"], "note": "松动",
                                "photo": upload(png()), "lon": "", "lat": ""})
    assert r.status_code == 302
    check = Check.objects.get(equipment=bar)
    assert check.photo and check.lon is None
    order = WorkOrder.objects.get(inspection_check=check)
    assert order.unit == unit and order.source == "inspection"
    bar.refresh_from_db()
    assert bar.status == Equipment.Status.DEFECTIVE
    # Staff see the round with the defect, its photo and its order.
    html = signed_in(equipment.users["county"]).get(
        reverse("maintenance:inspection_round", args=[today_round.pk])).content.decode()
    assert order.number in html and reverse("maintenance:check_photo", args=[check.pk]) in html
    assert signed_in(equipment.users["county"]).get(reverse("maintenance:check_photo", args=[check.pk])).status_code == 200
    r = client.post(check_url, {"equipment": twister.pk, "result": "ok"})
    assert r.status_code == 302 and r["Location"] == reverse("maintenance:my_rounds")
    today_round.refresh_from_db()
    assert today_round.status == R.DONE


@pytest.mark.parametrize("data,photo,status", [
    ({"result": "defect", "note": "x"}, lambda: upload(b"GIF89a not really", "a.gif", "image/gif"), 400),
    ({"result": "defect", "note": "x"}, lambda: upload(png((300, 300))[:150]), 400),
    ({"result": "maybe"}, None, 400),
    ({"result": "defect"}, None, 400),
    ({"result": "ok", "lat": "x", "lon": "y"}, None, 400),
    ({"result": "ok", "equipment": "abc"}, None, 400),
    ({"result": "ok", "equipment": "999999"}, None, 400),
])
def test_bad_checks_show_a_clear_error_and_change_nothing(today_round, equipment, inspector, data, photo,  # noqa: F811
                                                          status):
    body = {"equipment": equipment.pieces[0].pk, **data}
    if photo:
        body["photo"] = photo()
    r = signed_in(inspector).post(reverse("maintenance:inspection_check", args=[today_round.pk]), body)
    assert r.status_code == status
    html = r.content.decode()
    assert 'role="alert"' in html
    assert not Check.objects.exists() and not WorkOrder.objects.exists()


def test_big_photo_is_refused_with_413(today_round, equipment, inspector, settings):  # noqa: F811
    from quanmin.core import photos

    big = upload(b"\xff\xd8" + b"\x00" * (photos.MAX_BYTES + 10), "big.jpg", "image/jpeg")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    r = signed_in(inspector).post(reverse("maintenance:inspection_check", args=[today_round.pk]),
                                  {"equipment": equipment.pieces[0].pk, "result": "defect", "note": "x", "photo": big})
    assert r.status_code == 413 and 'role="alert"' in r.content.decode()
    assert not Check.objects.exists()


def test_only_the_inspector_walks(today_round, equipment, client_for):
    walk = reverse("maintenance:inspection_walk", args=[today_round.pk])
    check = reverse("maintenance:inspection_check", args=[today_round.pk])
    for role in ("county", "supervisor", "resident", "other_county"):
        assert client_for(role).get(walk).status_code == 404
        assert client_for(role).post(check, {"equipment": equipment.pieces[0].pk, "result": "ok"}).status_code == 404
    assert Client().get(walk).status_code == 302
    assert not Check.objects.exists()
    assert client_for("resident").get(reverse("maintenance:my_rounds")).status_code == 403
