"""The export to the national platform: per division and period, scoped to the staff's divisions."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from quanmin.booking import services_console
from quanmin.booking.models import WeeklyTemplate
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import OpeningRule
from quanmin.opendata import national

pytestmark = pytest.mark.django_db


def _benefit(world):
    OpeningRule.objects.create(site=world.site, kind=OpeningRule.Kind.BENEFIT, weekday=0, opens=datetime.time(6),
                               closes=datetime.time(9))
    OpeningRule.objects.create(site=world.site, kind=OpeningRule.Kind.BENEFIT, weekday=7, opens=datetime.time(6),
                               closes=datetime.time(8))
    WeeklyTemplate.objects.filter(unit=world.other_unit).update(benefit=True)
    hour = timezone.localtime().replace(minute=0, second=0, microsecond=0)  # begun, and in this year
    services_console.record_visit_count(world.site, hour, count_in=35, count_out=30)


def test_periods():
    assert national.parse_period("2026") == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert national.parse_period("2026-02") == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert national.parse_period("2026-Q4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    for bad in ("26", "2026-13", "2026-Q5", "1999", "x"):
        with pytest.raises(ServiceError):
            national.parse_period(bad)


def test_export_counts_benefit_venues_their_visitors_equipment_and_events(feeds_world, equipment):
    _benefit(feeds_world)
    year = str(timezone.localdate().year)
    data = national.export(feeds_world.city, year)
    venues = {v["venue_name"]: v for v in data["venues"]}
    assert set(venues) == {"东关社区文体广场", "新华社区健身广场"}
    assert venues["东关社区文体广场"]["benefit_hours_per_week"] == 3.0  # holidays' hours are not weekly
    assert venues["东关社区文体广场"]["visitors_counted"] == 35
    assert sum(e["total"] for e in data["equipment"]) == 6
    county = national.export(feeds_world.county, year)
    assert [v["venue_name"] for v in county["venues"]] == ["东关社区文体广场"]
    assert sum(e["total"] for e in county["equipment"]) == 3
    renamed = national.export(feeds_world.county, year, names="national")
    assert set(renamed["venues"][0]) == set(county["venues"][0])  # no national names known yet: ours stand


def test_staff_page_json_and_excel_scoped(feeds_world, equipment, client_for):
    _benefit(feeds_world)
    county = client_for("county")
    page = county.get("/staff/opendata/national/")
    assert page.status_code == 200 and "东关社区文体广场" in page.content.decode()
    as_json = county.get(f"/staff/opendata/national/?region={feeds_world.county.code}&period=2026&format=json")
    assert as_json.json()["division_code"] == feeds_world.county.code
    book = openpyxl.load_workbook(io.BytesIO(b"".join(county.get(
        f"/staff/opendata/national/?region={feeds_world.county.code}&format=xlsx").streaming_content)))
    assert len(book.sheetnames) == 3
    assert county.get(f"/staff/opendata/national/?region={feeds_world.other_county.code}").status_code == 404
    assert county.get("/staff/opendata/national/?period=20x6").status_code == 400
    assert client_for("resident").get("/staff/opendata/national/").status_code == 403


def test_the_api_gives_the_same_export_to_a_bearer_token_scoped_and_audited(world):
    from django.test import Client

    from quanmin.accounts import services as accounts
    from quanmin.accounts.models import AuditEntry

    _token, secret = accounts.create_api_token(world.users["county"], "国家平台对接")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    got = client.get("/api/v1/opendata/national", {"region": world.county.code, "period": "2026-Q1"})
    assert got.status_code == 200, got.content
    body = got.json()
    expected = national.export(world.county, "2026-Q1")
    assert body["format"] == national.FORMAT_VERSION and body["first_day"] == "2026-01-01"
    assert {k: v for k, v in body.items() if k != "generated"} == {k: v for k, v in expected.items() if k != "generated"}
    assert AuditEntry.objects.filter(action="export", detail__format="api").count() == 1
    assert client.get("/api/v1/opendata/national").json()["division_code"] == world.county.code
    assert client.get("/api/v1/opendata/national", {"region": world.other_county.code}).status_code == 404
    bad = client.get("/api/v1/opendata/national", {"period": "2026-13"})
    assert bad.status_code == 400 and bad.json()["code"] == "period_invalid"
    _token, resident = accounts.create_api_token(world.users["resident"], "x")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {resident}").get("/api/v1/opendata/national").status_code == 403
    assert Client().get("/api/v1/opendata/national").status_code == 401
