"""B08 and C05: one register of fitness stations. A station of the instructor register links to the
same station in the organisations' register (shown on both pages) and the indicator counts each
once; stations go in and out of Excel like the other registers (dry run, all or nothing)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from quanmin.core import indicators, plan_targets
from quanmin.core.errors import ServiceError
from quanmin.organizations import credit
from quanmin.organizations import services as org_services
from quanmin.people import io_stations, stations
from quanmin.people.models import Station


def org(w, name, region, kind="fitness_point", n=1):
    return org_services.register({"name": name, "kind": kind, "status": "registered", "region": region,
                                  "credit_code": credit.make("1", region.code[:6], n)}, actor=w.users["superuser"])


def test_linked_stations_count_once_and_show_both_ways(people, client_for):
    w = people
    point = org(w, "东关社区广场舞健身站", w.community, n=1)
    org(w, "古楼街道健步走站", w.township, n=2)  # only in the organisations' register
    club = org(w, "东关足球俱乐部", w.community, kind="club", n=3)
    codes = [w.city.code, w.county.code, w.township.code, w.community.code]
    before = indicators.compute("fitness_stations", codes, timezone.localdate())
    assert before[w.county.code] == 3 and before[w.city.code] == 4  # two stations here, two points; 新华's station
    stations.save_station({"organization": point.pk}, station=w.station, by=w.users["county"])
    after = indicators.compute("fitness_stations", codes, timezone.localdate())
    assert after[w.county.code] == 2 and after[w.community.code] == 1 and after[w.city.code] == 3
    for bad in (club.pk, point.pk + 1000):
        with pytest.raises(ServiceError) as refused:
            stations.save_station({"organization": bad}, station=w.other_station, by=w.users["other_county"])
        assert refused.value.code == "organization_unknown"
    with pytest.raises(ServiceError):  # the other county's station may not take this county's point
        stations.save_station({"organization": point.pk}, station=w.other_station, by=w.users["other_county"])
    client = client_for("county")
    page = client.get(reverse("people:station_staff", args=[w.station.pk])).content.decode()
    assert point.name in page and reverse("organizations:staff_org", args=[point.pk]) in page
    page = client.get(reverse("organizations:staff_org", args=[point.pk])).content.decode()
    assert w.station.name in page and reverse("people:station_staff", args=[w.station.pk]) in page
    # The station closes in the instructor register: the organisations' point counts again, still once.
    stations.save_station({"active": False}, station=w.station, by=w.users["county"])
    assert indicators.compute("fitness_stations", [w.community.code], timezone.localdate())[w.community.code] == 1


def test_hunnan_350_stations_read_the_one_register():
    by_key = {t.key: t.indicator for t in plan_targets.targets()}
    assert by_key["T3-04"] == "fitness_stations" and by_key["T3-02"] == "county_single_sport_associations"


def _upload(book: openpyxl.Workbook, name="stations.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _book(response) -> openpyxl.Workbook:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body))


def test_excel_round_trip_dry_run_and_all_or_nothing(people, client_for):
    w = people
    client = client_for("county")
    book = _book(client.get(reverse("people:stations_export")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == io_stations.HEADERS
    assert sheet.max_row == 2 and sheet["B2"].value == "东关太极站" and sheet["C2"].value == "健身指导站"
    assert sheet["H2"].value == w.instructor.certificate_no and sheet["J2"].value == "启用"
    point = org(w, "东关社区广场舞健身站", w.community, n=4)
    sheet["G2"] = "每天 7:00-8:30"
    sheet["I2"] = point.pk
    sheet.append(["", "古楼街道健步走站", "健身站点", w.township.code, "", "健步走", "每晚 19:00", "", "", "启用"])
    # A dry run checks and writes nothing.
    report = io_stations.import_stations(w.users["county"], _upload(book), dry_run=True)
    assert report.ok and report.counts["updated"] == 1 and report.counts["new"] == 1 and not report.applied
    assert Station.objects.get(pk=w.station.pk).times == "每天 6:30-8:00" and Station.objects.count() == 2
    # One bad row: nothing is applied, and the row is named in Chinese.
    sheet.append(["", "西关站", "健身站点", w.community.code, "", "太极拳", "", "SD-NOPE", "", "启用"])
    response = client.post(reverse("people:stations_import"), {"file": _upload(book), "apply": "1"},
                            HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "SD-NOPE" in response.content.decode()
    assert Station.objects.count() == 2
    with override("zh-hans"):
        report = io_stations.import_stations(w.users["county"], _upload(book), dry_run=False)
    assert [r.line for r in report.rejected] == [4] and "没有持证书编号" in report.rejected[0].errors[0]
    sheet.delete_rows(4)
    response = client.post(reverse("people:stations_import"), {"file": _upload(book), "apply": "1"})
    assert response.status_code == 200
    changed = Station.objects.get(pk=w.station.pk)
    assert changed.times == "每天 7:00-8:30" and changed.organization_id == point.pk
    assert Station.objects.get(name="古楼街道健步走站").kind == "point"
    # The same file again changes nothing.
    report = io_stations.import_stations(w.users["county"], _upload(book), dry_run=False)
    assert report.applied and report.counts["unchanged"] == 2


def test_import_stays_in_scope_and_template(people, client_for):
    w = people
    book = _book(client_for("county").get(reverse("people:stations_template")))
    assert [c.value for c in book.worksheets[0][1]] == io_stations.HEADERS
    other = _book(client_for("other_county").get(reverse("people:stations_export")))
    assert [r[1].value for r in other.worksheets[0].iter_rows(min_row=2)] == ["新华健身站"]
    # The other county's station, by its number, in this county's file: refused, not changed.
    sheet = other.worksheets[0]
    sheet["G2"] = "改了"
    report = io_stations.import_stations(w.users["county"], _upload(other), dry_run=False)
    assert not report.applied and report.rejected
    assert Station.objects.get(pk=w.other_station.pk).times == ""
