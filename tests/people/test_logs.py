import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from quanmin.accounts import services as account_services
from quanmin.accounts.models import Role
from quanmin.core.photos import PhotoError
from quanmin.people import logs
from quanmin.people.errors import PeopleError
from quanmin.people.models import DutyLog

from .conftest import hours_ago


def body(w, start=3, end=1, **extra):
    started, ended = hours_ago(start, end)
    return {"station": w.station.pk, "started_at": started, "ended_at": ended, "activity": "太极拳晨练",
            "sport": "taiji", "people_guided": 25, **extra}


def test_instructor_logs_and_station_staff_confirm(people):
    w = people
    log = logs.record(w.instructor, body(w), by=w.users["resident"])
    assert (log.hours, log.region_id, log.site_id, log.status) == (2, w.community.code, w.site.pk, "pending")
    staff = account_services.create_user(phone="13600000001", password="x-Pass-1234", real_name="站长")
    account_services.grant_membership(staff, Role.STATION_STAFF, w.community, target=w.station)
    assert logs.can_confirm(staff, log) and not logs.can_confirm(w.users["resident"], log)
    assert list(logs.logs_to_confirm(staff)) == [log]
    assert logs.decide(log, confirm=True, by=staff).status == "confirmed"
    with pytest.raises(PeopleError) as exc:
        logs.decide(log, confirm=False, by=staff)
    assert exc.value.code == "already_decided"


@pytest.mark.parametrize("change,code", [
    ({"station": "other"}, "station_not_served"),
    ({"future": True}, "log_in_future"),
    ({"long": True}, "hours_beyond_day"),
    ({"hours": "25"}, "hours_beyond_day"),
    ({"overlap": True}, "log_overlaps"),
    ({"activity": ""}, "activity_required"),
    ({"swap": True}, "ends_before_start"),
])
def test_bad_logs_are_refused_and_nothing_is_written(people, change, code):
    w = people
    data = body(w)
    if change.get("station"):
        data["station"] = w.other_station.pk
    if change.get("future"):
        data["ended_at"] = timezone.now() + datetime.timedelta(hours=2)
    if change.get("long"):
        data["started_at"] = data["ended_at"] - datetime.timedelta(hours=25)
    if "hours" in change:
        data["hours"] = change["hours"]
        data["started_at"] = data["ended_at"] - datetime.timedelta(hours=24)
    if "activity" in change:
        data["activity"] = ""
    if change.get("swap"):
        data["started_at"], data["ended_at"] = data["ended_at"], data["started_at"]
    if change.get("overlap"):
        logs.record(w.instructor, body(w, 4, 2), by=w.users["resident"])
    before = DutyLog.objects.count()
    with pytest.raises(PeopleError) as exc:
        logs.record(w.instructor, data, by=w.users["resident"])
    assert exc.value.code == code
    assert DutyLog.objects.count() == before


def test_nobody_else_logs_for_an_instructor(people):
    w = people
    with pytest.raises(PeopleError) as exc:
        logs.record(w.instructor, body(w), by=w.users["other_resident"])
    assert exc.value.code == "not_yours"


def test_volunteer_hours_sum(people):
    w = people
    a = logs.record(w.instructor, body(w, 30, 28), by=w.users["resident"])
    b = logs.record(w.instructor, body(w, 5, 4, hours="0.5"), by=w.users["resident"])
    for log in (a, b):
        logs.decide(log, confirm=True, by=w.users["community"])
    assert DutyLog.objects.filter(status="confirmed").aggregate(h=Sum("hours"))["h"] == pytest.approx(2.5)


def test_a_log_with_a_photo_and_position(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = people
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(image, "PNG")
    photo = SimpleUploadedFile("p.png", image.getvalue(), content_type="image/png")
    log = logs.record(w.instructor, body(w, lon=115.985, lat=36.457), by=w.users["resident"], photo=photo)
    assert log.photo.name.endswith(".png") and (tmp_path / log.photo.name).exists()
    broken = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(PhotoError) as exc:
        logs.record(w.instructor, body(w, 9, 8), by=w.users["resident"], photo=broken)
    assert exc.value.code == "image_unreadable" and DutyLog.objects.count() == 1
    with pytest.raises(PeopleError) as exc:
        logs.record(w.instructor, body(w, 12, 11, lon=2.35, lat=48.85), by=w.users["resident"])
    assert exc.value.code == "position_invalid"


def test_an_instructor_corrects_a_pending_log_until_it_is_confirmed(people):
    w = people
    first = logs.record(w.instructor, body(w, start=6, end=5), by=w.users["resident"])
    second = logs.record(w.instructor, body(w, start=3, end=1), by=w.users["resident"])
    started, ended = hours_ago(4, 2)  # moved to overlap itself: allowed; into the first one: refused
    edited = logs.edit(second, {"started_at": started, "ended_at": ended, "people_guided": 30}, by=w.users["resident"])
    assert (edited.hours, edited.people_guided, edited.activity) == (2, 30, "太极拳晨练")  # hours follow the times
    with pytest.raises(PeopleError) as exc:
        logs.edit(second, {"started_at": hours_ago(5.5, 5)[0]}, by=w.users["resident"])
    assert exc.value.code == "log_overlaps"
    with pytest.raises(PeopleError) as exc:
        logs.edit(second, {"hours": "25"}, by=w.users["resident"])
    assert exc.value.code == "hours_beyond_day"
    with pytest.raises(PeopleError) as exc:
        logs.edit(second, {"station": w.other_station.pk}, by=w.users["resident"])
    assert exc.value.code == "station_not_served"
    with pytest.raises(PeopleError) as exc:
        logs.edit(second, {"activity": "别人的"}, by=w.users["other_resident"])
    assert exc.value.code == "not_yours"
    second.refresh_from_db()
    assert (second.people_guided, second.started_at) == (30, started)  # nothing half-written
    logs.decide(first, confirm=True, by=w.users["community"])
    with pytest.raises(PeopleError) as exc:
        logs.edit(first, {"activity": "改"}, by=w.users["resident"])
    assert (exc.value.code, exc.value.status) == ("log_decided", 409)
    assert DutyLog.objects.get(pk=first.pk).activity == "太极拳晨练"
