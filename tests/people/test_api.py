import datetime

from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.booking.models import Slot
from quanmin.people.models import DutyLog, Instructor

from .conftest import person

P = "/api/v1/people"


def test_staff_enter_review_approve_over_the_api(world, client_for):
    client = client_for("county")
    client.post(f"{P}/instructors/0/review")  # a missing record: 404, not 500
    body = person(world.community, 51)
    body["region_code"] = body.pop("region")
    made = client.post(f"{P}/instructors", body, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["id_number_masked"] != body["id_number"]
    again = client.post(f"{P}/instructors", body, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "id_number_taken")
    review = client.post(f"{P}/instructors/{pk}/review")
    assert review.json()["code"] == "threshold_not_met"  # 30 services a year, the national default
    Instructor.objects.filter(pk=pk).update(status="reviewed")
    community = client_for("community").post(f"{P}/instructors/{pk}/approve", {}, content_type="application/json")
    assert (community.status_code, community.json()["code"]) == (403, "approval_above_level")
    approved = client.post(f"{P}/instructors/{pk}/approve", {"certificate_no": "SD-51"}, content_type="application/json")
    assert approved.json()["status"] == "active" and approved.json()["approval_level"] == "county"
    assert client_for("other_county").get(f"{P}/instructors/{pk}").status_code == 404
    listed = client.get(f"{P}/instructors", {"grade": "third", "sport": "taiji"}).json()
    assert [i["id"] for i in listed["items"]] == [pk]


def test_instructor_logs_on_the_phone_and_staff_confirm(people, client_for):
    w = people
    me = client_for("resident")
    end = timezone.now() - datetime.timedelta(hours=1)
    body = {"station_id": w.station.pk, "started_at": (end - datetime.timedelta(hours=2)).isoformat(),
            "ended_at": end.isoformat(), "activity": "太极拳", "people_guided": 12}
    made = me.post(f"{P}/me/logs", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["hours"] == "2.0"
    clash = me.post(f"{P}/me/logs", body, content_type="application/json")
    assert (clash.status_code, clash.json()["code"]) == (409, "log_overlaps")
    future = me.post(f"{P}/me/logs", {**body, "ended_at": (end + datetime.timedelta(days=1)).isoformat()},
                     content_type="application/json")
    assert future.json()["code"] == "log_in_future"
    other = me.post(f"{P}/me/logs", {**body, "station_id": w.other_station.pk}, content_type="application/json")
    assert (other.status_code, other.json()["code"]) == (403, "station_not_served")
    assert DutyLog.objects.count() == 1
    staff = client_for("community")
    pending = staff.get(f"{P}/logs").json()["items"]
    assert [p["id"] for p in pending] == [made.json()["id"]]
    assert staff.post(f"{P}/logs/{pending[0]['id']}/decide", {"confirm": True},
                      content_type="application/json").json()["status"] == "confirmed"
    assert client_for("other_county").post(f"{P}/logs/{pending[0]['id']}/decide", {"confirm": True},
                                           content_type="application/json").status_code == 404


def test_station_sessions_are_bookable(people, client_for):
    w = people
    made = client_for("county").post(f"{P}/stations/{w.station.pk}/sessions",
                                     {"weekday": (timezone.localdate() + datetime.timedelta(days=1)).weekday(),
                                      "start": "06:30", "end": "08:00", "capacity": 20}, content_type="application/json")
    assert made.status_code == 201, made.content
    w.station.refresh_from_db()
    assert w.station.unit.kind == "session" and w.station.unit.site_id == w.site.pk
    slots = Slot.objects.filter(unit=w.station.unit)
    assert slots.exists() and all(s.capacity == 20 for s in slots)
    public = client_for(None).get(f"{P}/stations/{w.station.pk}").json()
    assert public["sessions"] and public["instructors"][0]["grade"]
    assert public["instructors"][0]["name"] != w.instructor.real_name  # surname only by default
    booked = client_for("other_resident").post("/api/v1/booking/holds", {"slot_id": public["sessions"][0]["id"]},
                                               content_type="application/json")
    assert booked.status_code in (200, 201), booked.content


def test_reveal_and_export_are_audited(people, client_for):
    w = people
    client = client_for("county")
    got = client.post(f"{P}/instructors/{w.instructor.pk}/reveal", {"purpose": "证书核对"},
                      content_type="application/json").json()
    assert got["id_number"] == w.instructor.id_number
    assert client.get(f"{P}/instructors/export.xlsx").status_code == 200
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"read_personal", "export"}


def test_figures_api(people, client_for):
    w = people
    found = client_for("city").get(f"{P}/figures/{w.city.code}").json()
    assert found["instructors"] == 2 and len(found["children"]) == 2
    assert found["communities_without"] == [] and found["student_services"] == 0
    assert set(found["into_settings"]) == {"organ", "community", "village", "school", "enterprise"}
    assert client_for("other_county").get(f"{P}/figures/{w.county.code}").status_code == 404


def test_correct_my_log_and_patch_a_station_over_the_api(people, client_for):
    w = people
    me = client_for("resident")
    end = timezone.now() - datetime.timedelta(hours=1)
    made = me.post(f"{P}/me/logs", {"station_id": w.station.pk, "started_at": (end - datetime.timedelta(hours=2))
                                    .isoformat(), "ended_at": end.isoformat(), "activity": "太极拳"},
                   content_type="application/json").json()
    fixed = me.patch(f"{P}/me/logs/{made['id']}", {"activity": "太极拳教学", "people_guided": 18},
                     content_type="application/json")
    assert fixed.status_code == 200 and fixed.json()["activity"] == "太极拳教学" and fixed.json()["people_guided"] == 18
    assert client_for("other_resident").patch(f"{P}/me/logs/{made['id']}", {"activity": "x"},
                                              content_type="application/json").status_code == 404
    client_for("community").post(f"{P}/logs/{made['id']}/decide", {"confirm": True}, content_type="application/json")
    late = me.patch(f"{P}/me/logs/{made['id']}", {"activity": "再改"}, content_type="application/json")
    assert (late.status_code, late.json()["code"]) == (409, "log_decided")

    county = client_for("county")
    changed = county.patch(f"{P}/stations/{w.station.pk}", {"times": "每天 7:00-8:30", "sports": ["taiji", "qigong"]},
                           content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["times"] == "每天 7:00-8:30" and changed.json()["sports"] == ["taiji", "qigong"]
    w.station.refresh_from_db()
    assert w.station.name == "东关太极站" and list(w.station.instructors.all()) == [w.instructor]  # untouched
    bad = county.patch(f"{P}/stations/{w.station.pk}", {"sports": ["curling-on-grass"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "sport_unknown"
    assert client_for("other_county").patch(f"{P}/stations/{w.station.pk}", {"times": "x"},
                                            content_type="application/json").status_code == 404
    assert client_for("supervisor").patch(f"{P}/stations/{w.station.pk}", {"times": "x"},
                                          content_type="application/json").status_code == 403
    assert county.patch(f"{P}/stations/{w.station.pk}", {"active": False},
                        content_type="application/json").json()["active"] is False
