"""Venue safety over HTTP: the register with its gaps, a record set over the API, a check with
hazards recorded on the phone page, the operator's page reporting one rectified (with a photo),
the staff confirming it; the Excel register exported, filled in and imported again."""

import io as stdio

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quanmin.safety import io, services
from quanmin.safety.models import Hazard, SafetyCheck, VenueSafety

from .conftest import complete_record, days
from .test_services import png

P = "/api/v1/safety"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_register_and_record_over_the_api(world, client_for):
    client = client_for("county")
    listed = client.get(f"{P}/venues?gap=any").json()
    assert listed["count"] == 1 and listed["items"][0]["gap_codes"] == ["record"]
    body = {k: str(v) for k, v in complete_record().items()}
    bad = client.put(f"{P}/venues/{world.site.pk}", {**body, "fire_check_on": str(days(2))},
                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and bad.json()["code"] == "fire_check_on_invalid" and "消防安全检查" in bad.json()["message"]
    assert not VenueSafety.objects.exists()
    saved = client.put(f"{P}/venues/{world.site.pk}", body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["gap_codes"] == [] and saved.json()["record"]["safety_officer"] == "王磊"
    assert client.get(f"{P}/venues?gap=any").json()["count"] == 0
    assert client_for("other_county").get(f"{P}/venues/{world.site.pk}").status_code == 404
    assert client_for("resident").get(f"{P}/venues").status_code == 403
    figures = client.get(f"{P}/figures").json()
    assert figures[0]["region"] == world.county.code and figures[0]["record_share"] == "100.0"


def test_check_on_the_phone_rectified_by_the_operator_confirmed_by_staff(world, client_for, operator):
    staff = client_for("township")
    page = staff.get(reverse("safety:check_new", args=[world.site.pk]))
    assert page.status_code == 200 and "东关社区文体广场" in page.content.decode()
    made = staff.post(reverse("safety:check_new", args=[world.site.pk]), {
        "kind": "routine", "checked_on": str(days(0)), "description_0": "安全出口被杂物堵塞", "level_0": "major",
        "description_1": "", "description_2": "消防通道标识缺失", "level_2": "general"})
    check = SafetyCheck.objects.get()
    assert made.status_code == 302 and check.hazards.count() == 2
    client = client_for(None)
    client.force_login(operator)
    mine = client.get(reverse("safety:my_hazards")).content.decode()
    assert "安全出口被杂物堵塞" in mine and "消防通道标识缺失" in mine
    hazard = check.hazards.get(level="major")
    done = client.post(reverse("safety:hazard_rectify", args=[hazard.pk]),
                       {"note": "杂物已清理", "photo": png(), "back": "mine"})
    assert done.status_code == 302 and done["Location"] == reverse("safety:my_hazards")
    hazard.refresh_from_db()
    assert hazard.status == "rectified" and hazard.photo
    # The operator reads the check but may not confirm, nor add hazards.
    assert client.get(reverse("safety:check", args=[check.pk])).status_code == 200
    assert client.post(reverse("safety:hazard_confirm", args=[hazard.pk]), {"accepted": "1"}).status_code == 403
    confirmed = staff.post(reverse("safety:hazard_confirm", args=[hazard.pk]), {"accepted": "1"})
    hazard.refresh_from_db()
    assert confirmed.status_code == 302 and hazard.status == "closed"
    overdue = staff.get(f"{P}/hazards?overdue=1").json()
    assert overdue["count"] == 0
    Hazard.objects.filter(status="open").update(deadline=days(-1))
    overdue = staff.get(f"{P}/hazards?overdue=1").json()
    assert overdue["count"] == 1 and overdue["items"][0]["overdue"] is True
    assert "消防通道标识缺失" in staff.get(reverse("safety:hazards") + "?overdue=1").content.decode()


def test_the_register_in_and_out_of_excel(world, client_for):
    services.save_record(world.users["other_county"], world.other_site, complete_record())
    client = client_for("city")
    exported = client.get(reverse("safety:export"))
    sheet = openpyxl.load_workbook(stdio.BytesIO(b"".join(exported.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == io.HEADERS and len(rows) == 3
    blank = next(r for r in rows[1:] if r[0] == world.site.pk)
    assert blank[-1] == "未建档"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(io.HEADERS)
    for r in rows[1:]:
        r = list(r)
        if r[0] == world.site.pk:
            r[3:10] = ["东关社区居委会", "李建国", "王磊", "2025年3月1日", str(days(-10)), str(days(90)), ""]
        ws.append(r)
    ws.append([999999, "无此场馆", "", "某单位", "", "", "", "", "", "", ""])
    buf = stdio.BytesIO()
    wb.save(buf)
    refused = client.post(reverse("safety:import"), {"file": SimpleUploadedFile("安全台账.xlsx", buf.getvalue(),
                                                                               content_type=XLSX), "apply": "1"})
    assert refused.status_code == 400 and VenueSafety.objects.count() == 1
    ws.delete_rows(ws.max_row)
    buf = stdio.BytesIO()
    wb.save(buf)
    answer = client.post(f"{P}/venues/import", {"file": SimpleUploadedFile("安全台账.xlsx", buf.getvalue(),
                                                                          content_type=XLSX), "dry_run": "false"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"] == {"rows": 2, "new": 1, "updated": 0, "unchanged": 1, "rejected": 0}
    record = VenueSafety.objects.get(site=world.site)
    assert record.responsible_person == "李建国" and str(record.emergency_plan_on) == "2025-03-01"


def test_a_venue_outside_the_register_answers_404(world, client_for):
    """The register is the public venues (owned by the government or a community): a school ground
    in the staff's own county is no more a venue of it on its page, over the API or for a check
    than in its list, its export, its import and its figures."""
    from quanmin.facilities import services as fs

    school = fs.create_site({"name": "东关小学操场", "lon": 115.98, "lat": 36.45, "region": world.community,
                             "owner_kind": "school"})
    client = client_for("county")
    assert school.pk not in [v["site"] for v in client.get(f"{P}/venues").json()["items"]]
    body = {k: str(v) for k, v in complete_record().items()}
    assert client.get(f"{P}/venues/{school.pk}").status_code == 404
    assert client.put(f"{P}/venues/{school.pk}", body, content_type="application/json").status_code == 404
    assert client.post(f"{P}/checks", {"site": school.pk}, content_type="application/json").status_code == 404
    assert client.get(reverse("safety:venue", kwargs={"pk": school.pk})).status_code == 404
    assert client.get(reverse("safety:check_new", kwargs={"pk": school.pk})).status_code == 404
    assert not VenueSafety.objects.exists() and not SafetyCheck.objects.exists()
