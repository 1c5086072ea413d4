"""The reports of A15 (employee league of 60 days or more), A19 (joint departmental events), A22
(youth competitions by school stage, across counties) and A24 (sports promoted in the year): the
indicators, the page, the Excel, the API."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.core import indicators
from quanmin.events import services, services_entries
from quanmin.events.errors import EventError
from quanmin.events.models import PromotedSport

from .conftest import CHECKLIST, at


def this_year() -> int:
    """The city's year when the test runs, not at collection (a run may cross new year in Asia/Shanghai)."""
    return timezone.localdate().year


def held(world, name, competitions, **extra):
    staff = world.users["county"]
    games = services.create_games(staff, {"name": name, "organizer": "区体育局", **CHECKLIST, **extra},
                                  region=world.county)
    made = [services.add_competition(staff, games, {"name": f"{name}{i}", "capacity": 20, "residents_only": False,
                                                    **c}) for i, c in enumerate(competitions)]
    services.publish(staff, games)
    return games, made


@pytest.fixture
def made(world):
    league, _c = held(world, "区直机关职工篮球联赛", [
        {"sport": "basketball", "starts_at": at(10), "ends_at": at(10, 12)},
        {"sport": "basketball", "starts_at": at(80), "ends_at": at(80, 12)}], target_groups=["workers"])
    held(world, "职工趣味运动会", [{"sport": "tug_of_war", "starts_at": at(12), "ends_at": at(12, 12)}],
         target_groups=["workers"])
    joint, _c = held(world, "全民健身进机关", [{"sport": "rope_skipping", "starts_at": at(14), "ends_at": at(14, 12)}],
                     co_organizers="区教育局、区总工会")
    _g, (youth,) = held(world, "中学生田径赛", [{"sport": "athletics", "stage": "junior", "starts_at": at(16),
                                               "ends_at": at(16, 12)}])
    for person in (world.users["resident"], world.users["other_resident"]):
        services_entries.enter(person, youth.pk)
    promoted = services.promote_sport(world.users["county"], world.county, this_year(), "rope_skipping", "进机关、进社区")
    return league, joint, youth, promoted


def test_indicators_count_what_the_requirements_ask(world, made):
    as_of = datetime.date(this_year(), 12, 31)
    for key in ("employee_leagues", "joint_events", "youth_competitions", "promoted_sports"):
        values = indicators.compute(key, [world.county.code, world.other_county.code, world.city.code], as_of)
        assert values[world.county.code] == values[world.city.code] == 1, key
        assert values[world.other_county.code] == 0, key


def test_reports_page_excel_and_api(world, made, client_for):
    league, joint, youth, promoted = made
    client = client_for("county")
    page = client.get(reverse("events:reports"), {"code": world.county.code, "year": this_year()}).content.decode()
    assert league.name in page and "区教育局、区总工会" in page and youth.name in page and "进机关、进社区" in page
    assert world.county.code not in page.replace(f'value="{world.county.code}"', "").replace(
        f"code={world.county.code}", "")  # the division by name only
    response = client.get(reverse("events:reports_xlsx"), {"code": world.county.code, "year": this_year()})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheets = [list(ws.iter_rows(min_row=2, values_only=True)) for ws in book.worksheets]
    assert len(sheets) == 6 and sheets[1][0][0] == league.name and sheets[1][0][5]
    assert sheets[2][0][3] == "区教育局、区总工会" and sheets[4][0][4] == 2 and sheets[5][0][3:5] == (1, 0)
    data = client.get("/api/v1/events/staff/reports", {"code": world.county.code, "year": this_year()}).json()
    assert data["figures"]["employee_leagues"] == "1" or float(data["figures"]["employee_leagues"]) == 1
    assert [w["league"] for w in data["workers"]] == [True, False]
    assert data["joint"][0]["departments"] == ["区教育局", "区总工会"]
    assert data["youth_across"][0]["counties"] == 2 and data["promoted"][0]["entries"] == 0
    assert client_for("other_county").get(reverse("events:reports"), {"code": world.county.code}).status_code == 404


def test_promoting_a_sport(world, made, client_for):
    *_rest, promoted = made
    with pytest.raises(EventError):  # the same sport twice in a year
        services.promote_sport(world.users["county"], world.county, this_year(), "rope_skipping")
    with pytest.raises(EventError):
        services.promote_sport(world.users["county"], world.county, this_year(), "quidditch")
    client = client_for("county")
    client.post(reverse("events:promote"), {"code": world.county.code, "year": this_year(), "sport": "taiji"})
    assert set(PromotedSport.objects.values_list("sport", flat=True)) == {"rope_skipping", "taiji"}
    assert client_for("other_county").post(reverse("events:drop_promoted", args=[promoted.pk])).status_code == 404
    r = client_for("other_county").post("/api/v1/events/staff/promoted-sports",
                                        {"region": world.county.code, "year": this_year(), "sport": "go"},
                                        content_type="application/json")
    assert r.status_code == 404
    assert client.delete(f"/api/v1/events/staff/promoted-sports/{promoted.pk}").status_code == 204
    assert not PromotedSport.objects.filter(pk=promoted.pk).exists()
