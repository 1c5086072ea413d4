"""B03 and B13: a community has an instructor when one is assigned to it (a post in force, a station
there with an active instructor on duty), not because one lives there; a post held 12 months or
more is stable. Instructors serving disabled people: the list's filter, the figures, the courses."""

import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators, plan_targets
from quanmin.people import figures, pools, services, stations, training
from quanmin.people.models import Training
from quanmin.regions.models import Region

from .conftest import active

KEYS = ["community_instructor_assigned_share", "community_stable_instructor_share", "community_instructor_share"]


def _month_back(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))


def test_assignment_not_residence(people):
    w = people
    today = timezone.localdate()
    west = Region.objects.create(code="371502001002", name="西关社区", level="community", parent=w.township,
                                 population=5000)
    north = Region.objects.create(code="371502001003", name="北关社区", level="community", parent=w.township,
                                  population=4000)
    lives_west = active(w, west, 501)  # lives in 西关, assigned nowhere
    codes = [w.city.code, w.county.code, w.township.code, w.community.code, west.code, north.code]
    v = indicators.compute_many(KEYS, codes, today)
    assert str(v["community_instructor_share"][w.township.code]) == "66.7"  # 东关 and 西关 have one living there
    assert str(v["community_instructor_assigned_share"][w.township.code]) == "33.3"  # 东关's station only
    assert v["community_instructor_assigned_share"][west.code] == 0 and v["community_instructor_assigned_share"][
        w.community.code] == 100
    assert [r["name"] for r in figures.unassigned(w.township.code, today)] == ["西关社区", "北关社区"]

    # A post in 北关 for the one living in 西关: 北关 is covered, 西关 still not; a new post is not yet stable.
    pools.appoint({"kind": "instructor", "instructor": lives_west.pk, "region": north.code,
                   "appointed_on": _month_back(today, 3)}, by=w.users["county"])
    v = indicators.compute_many(KEYS, codes, today)
    assert v["community_instructor_assigned_share"][north.code] == 100
    assert v["community_instructor_assigned_share"][west.code] == 0
    assert v["community_stable_instructor_share"][north.code] == 0
    # Twelve months on, the same post is stable; on a day before it began it assigned nobody.
    later = _month_back(today, -10)
    assert indicators.compute("community_stable_instructor_share", [north.code], later)[north.code] == 100
    before = today - datetime.timedelta(days=120)
    assert indicators.compute("community_instructor_assigned_share", [north.code], before)[north.code] == 0
    # A post that ended, and a station whose only instructor lapsed, assign nobody.
    pools.appoint({"kind": "instructor", "instructor": lives_west.pk, "region": west.code,
                   "appointed_on": _month_back(today, 30), "ends_on": today - datetime.timedelta(days=1)},
                  by=w.users["county"])
    assert indicators.compute("community_instructor_assigned_share", [west.code], today)[west.code] == 0
    services.set_status(w.instructor, "lapsed", by=w.users["county"], reason="未年审")
    assert indicators.compute("community_instructor_assigned_share", [w.community.code], today)[w.community.code] == 0
    stations.save_station({"instructors": [lives_west.pk]}, station=w.station, by=w.users["county"])
    v = indicators.compute_many(KEYS, codes, today)
    assert str(v["community_instructor_assigned_share"][w.township.code]) == "66.7"  # 东关 (station), 北关 (post)
    assert v["community_instructor_assigned_share"][w.city.code] == 75  # and 新华 in the other county: 3 of 4


def test_yuncheng_every_community_target_reads_assignment():
    """T4-01 「为每个社区至少配备一名社会体育指导员」 reads the assignment figure."""
    by_key = {t.key: t.indicator for t in plan_targets.targets()}
    assert by_key["T4-01"] == "community_instructor_assigned_share"


def test_serving_disabled_filter_figures_and_courses(people, client_for):
    w = people
    today = timezone.localdate()
    services.update(w.instructor, {"serves_disabled": True}, by=w.users["county"])
    services.update(w.other_instructor, {"serves_disabled": True}, by=w.users["other_county"])
    plain = active(w, w.community, 502, name="周平")
    client = client_for("county")
    page = client.get(reverse("people:staff_list"), {"disabled": "1"}).content.decode()
    assert w.instructor.real_name in page and plain.real_name not in page
    assert w.other_instructor.real_name not in page  # the other county's, out of scope
    api = client.get("/api/v1/people/instructors", {"disabled": "true"}).json()
    names = [r["real_name"] for r in (api["items"] if isinstance(api, dict) else api)]
    assert names == [w.instructor.real_name]

    course = training.create_training({"title": "助残健身指导培训班", "organiser": "东昌府区体育局", "kind": "special",
                                       "region": w.county.code, "starts_on": today, "ends_on": today, "hours": "8",
                                       "for_disabled": True}, by=w.users["county"])
    assert course.for_disabled
    enrolled = training.enrol(course, plain, by=w.users["county"])
    training.record_result(enrolled, attended_hours="8", passed=True, by=w.users["county"])
    values = indicators.compute("instructors_serving_disabled", [w.city.code, w.county.code], today)
    assert values == {w.city.code: 2, w.county.code: 1}
    d = figures.division_figures(w.county, today)
    assert d["serving_disabled"] == 1 and d["trained_for_disabled"] == 1
    page = client.get(reverse("people:figures_region", args=[w.county.code])).content.decode()
    assert "disabled=1" in page
    response = client.get(reverse("people:figures_export", args=[w.county.code]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                             if response.streaming else response.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert len(headers) == 15 and book.worksheets[0].cell(2, 13).value == 1  # 东关 assigned (its station)
    listed = client.get(reverse("people:trainings")).content.decode()
    assert "助残健身指导培训班" in listed


def test_course_for_disabled_through_the_page(people, client_for):
    w = people
    today = timezone.localdate().isoformat()
    response = client_for("county").post(reverse("people:trainings"), {
        "title": "残疾人康复健身指导", "kind": "continuing", "grade": "third", "organiser": "区残联",
        "region": w.county.code, "starts_on": today, "ends_on": today, "hours": "6", "capacity": "30",
        "for_disabled": "on"})
    assert response.status_code == 302
    assert Training.objects.get(title="残疾人康复健身指导").for_disabled
