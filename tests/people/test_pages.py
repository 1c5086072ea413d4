import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from quanmin.people import logs, stations
from quanmin.people.models import DutyLog, GradeRule, Instructor

from .conftest import person
from .test_import_export import good_rows, workbook


def test_staff_list_detail_and_actions(people, client_for):
    w = people
    client = client_for("county")
    page = client.get(reverse("people:staff_list"), {"sport": "taiji"})
    html = page.content.decode()
    assert w.instructor.real_name in html and w.instructor.id_number not in html and w.instructor.id_number_masked in html
    assert w.other_instructor.real_name not in html
    detail = client.get(reverse("people:staff_detail", args=[w.instructor.pk])).content.decode()
    assert "SD-301" in detail and w.instructor.phone not in detail
    client.post(reverse("people:staff_action", args=[w.instructor.pk, "reveal"]), {"purpose": "核对"})
    shown = client.get(reverse("people:staff_detail", args=[w.instructor.pk])).content.decode()
    assert w.instructor.id_number in shown
    # A community's staff cannot approve: the page says so and nothing changes.
    pending = Instructor.objects.create(real_name="待批", id_number_hash="h", id_number_enc="", region=w.community,
                                        status="reviewed")
    client_for("community").post(reverse("people:staff_action", args=[pending.pk, "approve"]), {})
    assert Instructor.objects.get(pk=pending.pk).status == "reviewed"
    client.post(reverse("people:staff_action", args=[pending.pk, "approve"]), {"certificate_no": "X1"})
    assert Instructor.objects.get(pk=pending.pk).status == "active"


def test_enter_application_and_thresholds_pages(world, client_for):
    city = client_for("city")
    page = city.post(reverse("people:rules"), {"grade": "third", "min_age": 16, "min_services": 0, "min_years": 0,
                                               "min_training_hours": 0})
    assert page.status_code == 302 and GradeRule.objects.get(grade="third").min_age == 16
    assert client_for("county").get(reverse("people:rules")).status_code == 403
    data = person(world.community, 71)
    data["sports"] = ["taiji", "qigong"]
    made = client_for("community").post(reverse("people:staff_new"), {**data, "grade": "third", "kind": "instructor"})
    assert made.status_code == 302
    again = client_for("community").post(reverse("people:staff_new"), {**data, "grade": "third", "kind": "instructor"})
    assert "one person, one record" in again.content.decode() or "一人一档" in again.content.decode() or again.status_code == 200
    assert Instructor.objects.count() == 1


def test_import_page_dry_run_and_apply(world, client_for):
    client = client_for("county")
    dry = client.post(reverse("people:staff_import"), {"file": workbook(good_rows(world))})
    assert dry.status_code == 200 and not Instructor.objects.exists()
    bad = good_rows(world)
    bad[0][4] = "五级"
    shown = client.post(reverse("people:staff_import"), {"file": workbook(bad), "apply": "on"}).content.decode()
    assert "grade" in shown.lower() or "等级" in shown
    assert not Instructor.objects.exists()
    client.post(reverse("people:staff_import"), {"file": workbook(good_rows(world)), "apply": "on"})
    assert Instructor.objects.count() == 3
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(reverse("people:staff_template")).streaming_content)))
    assert sheet.active["A1"].value == "姓名"


def test_resident_applies_and_instructor_logs_on_the_phone(people, client_for):
    w = people
    other = client_for("other_resident")
    Instructor.objects.filter(user=w.users["other_resident"]).delete()
    applied = other.post(reverse("people:me"), {"region": w.other_community.code, "sports": ["walking"],
                                                "public_name": "full"})
    assert applied.status_code == 302
    assert Instructor.objects.get(user=w.users["other_resident"]).status == "applied"
    me = client_for("resident")
    assert "form" in me.get(reverse("people:log_new")).content.decode()
    start = timezone.localtime() - datetime.timedelta(hours=3)
    posted = me.post(reverse("people:log_new"), {
        "station": w.station.pk, "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "activity": "太极拳",
        "people_guided": 8, "setting": "", "sport": "taiji"})
    assert posted.status_code == 302, posted.content.decode()[:2000]
    future = me.post(reverse("people:log_new"), {
        "station": w.station.pk, "started_at": (start + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + datetime.timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M"), "activity": "x",
        "people_guided": 1})
    assert future.status_code == 200 and DutyLog.objects.count() == 1
    log = DutyLog.objects.get()
    staff = client_for("community")
    assert log.activity in staff.get(reverse("people:confirm")).content.decode()
    staff.post(reverse("people:confirm_log", args=[log.pk]), {"decision": "confirm"})
    assert DutyLog.objects.get().status == "confirmed"


def test_public_pages_and_figures(people, client_for):
    w = people
    anon = client_for(None)
    finder = anon.get(reverse("people:finder"), {"sport": "taiji"}).content.decode()
    assert w.station.name in finder and w.other_station.name not in finder and "<script>" not in finder
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).weekday()
    stations.add_session(w.station, weekday=tomorrow, start=datetime.time(6, 30), end=datetime.time(8), capacity=20,
                         by=w.users["county"])
    mornings = anon.get(reverse("people:finder"), {"day": tomorrow, "part": "morning"}).content.decode()
    evenings = anon.get(reverse("people:finder"), {"day": tomorrow, "part": "evening"}).content.decode()
    assert w.station.name in mornings and w.station.name not in evenings
    station = anon.get(reverse("people:station", args=[w.station.pk])).content.decode()
    assert w.instructor.real_name not in station  # surname only
    assert anon.get(reverse("people:card", args=[w.instructor.pk])).status_code == 200
    figures = client_for("city").get(reverse("people:figures_region", args=[w.city.code])).content.decode()
    assert "figures-children" in figures and "<script>" not in figures
    xlsx = client_for("city").get(reverse("people:figures_export", args=[w.city.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert sheet["A2"].value == w.city.name and sheet["D2"].value == 2


def test_correct_a_log_on_the_phone_page_and_the_read_only_admin(people, client_for):
    w = people
    started = timezone.localtime() - datetime.timedelta(hours=3)
    log = logs.record(w.instructor, {"station": w.station.pk, "started_at": started,
                                     "ended_at": started + datetime.timedelta(hours=1), "activity": "晨练"},
                      by=w.users["resident"])
    me = client_for("resident")
    assert reverse("people:log_edit", args=[log.pk]) in me.get(reverse("people:me")).content.decode()
    page = me.get(reverse("people:log_edit", args=[log.pk]))
    assert page.status_code == 200 and "晨练" in page.content.decode()
    form = {"station": w.station.pk, "started_at": started.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (started + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "activity": "晨练指导",
            "people_guided": 15, "setting": ""}
    assert me.post(reverse("people:log_edit", args=[log.pk]), form).status_code == 302
    log.refresh_from_db()
    assert (log.activity, log.people_guided) == ("晨练指导", 15)
    bad = me.post(reverse("people:log_edit", args=[log.pk]), {**form, "activity": ""})
    assert bad.status_code == 400
    assert client_for("other_resident").get(reverse("people:log_edit", args=[log.pk])).status_code == 404
    admin = client_for("county")
    assert "东关太极站" in admin.get(reverse("admin:people_station_changelist")).content.decode()
    assert admin.get(reverse("admin:people_instructor_add")).status_code == 403
    detail = admin.get(reverse("admin:people_instructor_change", args=[w.instructor.pk])).content.decode()
    assert w.instructor.id_number not in detail and w.instructor.real_name in detail
    assert admin.post(reverse("admin:people_dutylog_change", args=[log.pk]), {"activity": "x"}).status_code == 403
    assert client_for("other_county").get(reverse("admin:people_dutylog_change", args=[log.pk])).status_code == 404
