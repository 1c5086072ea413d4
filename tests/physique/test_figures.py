"""Figures per division on a hand-made set; plan targets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.physique import figures, services, tally
from quanmin.physique.models import Participant, TestResult, TestSession
from tests.conftest import region


def at(year, month=6):
    return timezone.make_aware(datetime.datetime(year, month, 1, 10))


class Maker:
    """Results with exactly the fields figures read, at a station in a division."""

    def __init__(self):
        self.n = 0
        self.sessions = {}

    def session(self, division):
        if division.code not in self.sessions:
            station = services.create_station(name=f"{division.name}监测点", region=division)
            self.sessions[division.code] = TestSession.objects.create(
                station=station, starts_at=at(2025), ends_at=at(2025) + datetime.timedelta(hours=2))
        return self.sessions[division.code]

    def person(self, division):
        self.n += 1
        return Participant.objects.create(real_name=f"人{self.n}", region=division)

    def make(self, **fields) -> TestResult:
        """A result saved as is, counted in the figures' roll-up as the services count theirs."""
        row = TestResult.objects.create(**fields)
        tally.add([row])
        return row

    def result(self, division, year, standard, sex, age_group, passed=None, rating="", person=None):
        return self.make(
            participant=person or self.person(division), session=self.session(division), region=division,
            standard=standard, sex=sex, age_group=age_group, passed=passed, rating=rating, total=0,
            tested_at=at(year))


@pytest.fixture
def hand_made(world):
    m = Maker()
    P, S = "physique-2003", "student-2014"
    c, o = world.community, world.other_community
    for passed in (True, True, False, None):
        m.result(c, 2025, P, "female", "40-49", passed, "pass" if passed else "")
    m.result(c, 2025, S, "male", "junior", True, "good")
    m.result(c, 2025, S, "male", "junior", True, "pass")
    twice = m.person(c)
    m.result(c, 2026, P, "male", "20-29", True, "excellent", person=twice)
    m.result(c, 2026, P, "male", "20-29", True, "good", person=twice)
    m.result(c, 2026, P, "female", "60-69", True, "")
    m.result(o, 2026, P, "female", "40-49", True, "pass")
    m.result(o, 2026, P, "male", "40-49", False, "fail")
    for rating in ("excellent", "good", "fail"):
        m.result(o, 2026, S, "female", "primary", rating != "fail", rating)
    return m


def test_city_figures_for_a_year(world, hand_made, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        fig = figures.division_figures(world.city)
    d = fig.as_dict()
    assert d["year"] == 2026 and [y["year"] for y in d["years"]] == [2025, 2026]
    assert d["total"] == {"people": 7, "tests": 8, "pass_share": 80.0, "physique_known": 5, "physique_unknown": 0,
                          "student_tests": 3, "student_good_share": 66.7, "small": True}
    y2025 = d["years"][0]
    assert (y2025["tests"], y2025["pass_share"], y2025["physique_unknown"], y2025["student_good_share"]) == (
        6, 66.7, 1, 50.0)
    children = {c["code"]: c for c in d["children"]}
    assert children[world.county.code]["tests"] == 3 and children[world.county.code]["pass_share"] == 100.0
    assert children[world.other_county.code]["tests"] == 5
    assert children[world.other_county.code]["pass_share"] == 50.0
    assert children[world.other_county.code]["student_good_share"] == 66.7
    groups = {(g["sex"], g["age_group"]): g for g in d["by_group"]}
    assert groups[("male", "20-29")]["tests"] == 2 and groups[("female", "primary")]["student_good_share"] == 66.7
    assert next(g["age_group"] for g in d["by_group"]) == "20-29"  # ordered by age group


def test_earlier_year_and_lower_levels(world, hand_made):
    d = figures.division_figures(world.county, 2025).as_dict()
    assert d["total"]["tests"] == 6 and d["total"]["pass_share"] == 66.7
    assert [c["code"] for c in d["children"]] == [world.township.code]
    community = figures.division_figures(world.other_community).as_dict()
    assert community["total"]["tests"] == 5 and community["children"] == []


def test_targets_from_the_plans(world):
    # Liaocheng has no physique target of its own: Jiaxing's and Hunnan's are shown for reference.
    checks = figures.division_figures(world.city).targets
    assert {c.indicator for c in checks} == {"pass_share", "student_good_share", "people"}
    assert not any(c.applies for c in checks)
    jiaxing = region("330400000000", "嘉兴市", "city")
    nanhu = region("330402000000", "南湖区", "county", jiaxing)
    m = Maker()
    for passed in [True] * 19 + [False]:
        m.result(nanhu, 2025, "physique-2003", "male", "30-39", passed, "pass" if passed else "fail")
    for rating in ("good", "good", "pass"):
        m.result(nanhu, 2025, "student-2014", "male", "senior", True, rating)
    for division in (jiaxing, nanhu):
        got = {c.indicator: c for c in figures.division_figures(division).targets if c.applies}
        assert got["pass_share"].value == 95 and got["pass_share"].actual == 95.0 and got["pass_share"].met
        assert got["student_good_share"].value == 60 and got["student_good_share"].actual == 66.7
        assert "嘉兴" in got["pass_share"].plan and "95%" in got["pass_share"].source
    shenyang = region("210100000000", "沈阳市", "city")
    hunnan = region("210112000000", "浑南区", "county", shenyang)
    street = region("210112001000", "五三街道", "township", hunnan)
    for _ in range(3):
        m.result(street, 2025, "physique-2003", "female", "50-59", True, "pass")
    people = next(c for c in figures.division_figures(hunnan).targets if c.applies)
    assert (people.indicator, people.value, people.actual, people.met, people.yearly) == ("people", 300, 3, False, True)
    assert not any(c.applies and c.indicator == "people" for c in figures.division_figures(street).targets)


def test_figures_api_and_page(world, client_for, hand_made):
    url = f"/api/v1/physique/figures/{world.county.code}"
    assert client_for("county").get(url).json()["total"]["tests"] == 3
    assert client_for("supervisor").get(url).status_code == 200  # officials: aggregates
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 403
    assert client_for("county").get(f"/api/v1/physique/figures/{world.county.code}?year=2025").json()["year"] == 2025
    page = client_for("supervisor").get(reverse("physique:figures_region", args=[world.city.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "vendor/echarts/echarts.min.js" in html and 'id="figures-data"' in html
    assert page.context["chart"]["years"][1]["tests"] == 8
    # No personal data on the page: names of the people tested never appear.
    assert "人1" not in html
    assert client_for("supervisor").get(reverse("physique:figures")).status_code == 302
