"""Booking figures for the plans on a small hand-built case, and hourly visitor counts per venue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.booking import figures, services
from quanmin.booking.models import Booking, Slot
from quanmin.booking.models_counts import VisitCount
from quanmin.facilities import services as fs
from quanmin.facilities.models import Site

from ..conftest import make_user
from .conftest import at


def _site(world, name, region, type_, access, status=None):
    site = fs.create_site({"name": name, "address": name, "lon": 115.99, "lat": 36.46, "region": region})
    facility = fs.add_facility(site, {"type": type_, "area_m2": "600", "access": access})
    if status:
        Site.objects.filter(pk=site.pk).update(status=status)
    return site, facility


def _slot(unit, start, end, capacity=1, taken=0, benefit=False, blocked=False):
    return Slot.objects.create(unit=unit, start=start, end=end, capacity=capacity, taken=taken, benefit=benefit,
                               blocked=blocked)


def _booking(slot, user, status, places=1, basis="standard", channel="online", companions=()):
    return Booking.objects.create(slot=slot, user=user, status=status, places=places, price_basis=basis, channel=channel,
                                  companions=list(companions))


@pytest.fixture
def case(world):
    """Days -10 to -8. 东昌府区: three public venues, one bookable; 茌平区: one, bookable (see the numbers below)."""
    resident, other = world.users["resident"], world.users["other_resident"]
    _site(world, "古楼网球场", world.township, "tennis", "paid")  # public, nothing bookable
    _site(world, "会员健身房", world.community, "gym", "members")  # not open to the public
    _site(world, "在建体育公园", world.community, "basketball", "free", status=Site.Status.PLANNED)  # not built
    _s, badminton = _site(world, "东关羽毛球馆", world.community, "badminton", "low_fee")
    services.create_unit(badminton, name="停用场", active=False)  # public, its only unit not bookable
    swim = services.create_unit(world.facility, name="游泳", kind="session")
    unit = world.unit
    s1 = _slot(unit, at(-10, 8), at(-10, 10), taken=1, benefit=True)
    _booking(s1, resident, "checked_in", basis="benefit", companions=[{"name": "甲"}, {"name": "乙"}])  # a party of 3
    _booking(_slot(unit, at(-10, 18), at(-10, 19), taken=1), resident, "no_show", basis="senior")
    _slot(unit, at(-9, 18), at(-9, 19), blocked=True)
    _slot(unit, at(-9, 19), at(-9, 20))
    s5 = _slot(swim, at(-8, 14), at(-8, 15, 30), capacity=10, taken=9, benefit=True)
    _booking(s5, resident, "checked_in", places=3)
    _booking(s5, None, "checked_in", places=2, channel="walk_in")
    _booking(s5, world.users["county"], "confirmed", places=4, basis="", channel="block")
    _booking(s5, other, "cancelled", places=1)
    _booking(_slot(world.other_unit, at(-9, 10), at(-9, 11), taken=1), other, "checked_in", basis="student")
    # Outside the period: before it and the day after it.
    _booking(_slot(unit, at(-20, 18), at(-20, 19), taken=1), resident, "no_show")
    _booking(_slot(unit, at(-7, 8), at(-7, 9), taken=1), resident, "checked_in")
    today = timezone.localdate()
    return today - datetime.timedelta(days=10), today - datetime.timedelta(days=8)


def test_county_figures_equal_hand_computed_numbers(world, case, django_assert_num_queries):
    first, last = case
    with django_assert_num_queries(4):  # children, sites, slots, bookings: not one per division
        result = figures.division_figures(world.county, first, last)
    f = result.figures
    assert (f.public_sites, f.bookable_sites, f.bookable_share) == (3, 1, round(1 / 3, 4))
    assert (f.places_offered, f.places_taken, f.utilisation) == (13, 11, round(11 / 13, 4))
    assert (f.no_shows, f.arrivals, f.no_show_rate) == (1, 2, round(1 / 3, 4))
    assert (f.benefit_slots, f.benefit_hours, f.benefit_people) == (2, 3.5, 8)  # court party 3 + pool 3 + walk-ins 2
    assert f.by_group == {"benefit": 1, "senior": 1, "standard": 2, "block": 1} and f.bookings == 5
    [township] = result.children
    assert township.code == world.township.code and township.places_offered == 13 and township.bookable_sites == 1


def test_city_rolls_up_its_counties(world, case):
    f = figures.division_figures(world.city, *case)
    assert (f.figures.public_sites, f.figures.bookable_sites) == (4, 2)
    assert (f.figures.places_offered, f.figures.places_taken, f.figures.utilisation) == (14, 12, round(12 / 14, 4))
    assert (f.figures.no_shows, f.figures.arrivals, f.figures.no_show_rate) == (1, 3, 0.25)
    assert f.figures.by_group["student"] == 1 and f.figures.bookings == 6
    county, other = f.children
    assert (county.code, county.places_offered, county.no_show_rate) == (world.county.code, 13, round(1 / 3, 4))
    assert (other.code, other.public_sites, other.bookable_sites, other.utilisation, other.no_show_rate) == (
        world.other_county.code, 1, 1, 1.0, 0.0)
    assert other.benefit_hours == 0 and other.by_group == {"student": 1}


def test_no_bookings_no_division_by_zero(world):
    f = figures.division_figures(world.other_county, *figures.default_period()).figures
    assert f.utilisation is None and f.no_show_rate is None and f.benefit_hours == 0


def test_figures_page_and_api(world, case, client_for):
    first, last = case
    page = client_for("county").get(reverse("booking:staff_figures_region", args=[world.county.code])
                                    + f"?from={first}&to={last}")
    assert page.status_code == 200 and page.context["f"].places_taken == 11
    assert client_for("county").get(reverse("booking:staff_figures")).status_code == 302
    api = f"/api/v1/booking/staff/figures/{world.city.code}?date_from={first}&date_to={last}"
    body = client_for("city").get(api).json()
    assert (body["places_offered"], body["places_taken"], body["no_show_rate"]) == (14, 12, 0.25)
    assert body["benefit_hours"] == 3.5 and body["benefit_people"] == 8
    assert {g["group"]: g["bookings"] for g in body["groups"]}["senior"] == 1
    assert [c["code"] for c in body["children"]] == [world.county.code, world.other_county.code]
    assert client_for("county").get(api).status_code == 404  # the city is above the county's scope
    bad = client_for("city").get(f"/api/v1/booking/staff/figures/{world.city.code}?date_from={last}&date_to={first}")
    assert bad.status_code == 400 and bad.json()["field"] == "date_to"


# --- visitors per hour --------------------------------------------------------------------------------------

@pytest.fixture
def yesterday_visits(world):
    """Yesterday at the session hall: 2 in at 9:50 and 3 walk-ins at 10:05 (out at 11:00), 1 in at 14:05
    (out at 15:30); on the court a party of three."""
    swim = services.create_unit(world.facility, name="游泳", kind="session")
    morning = _slot(swim, at(-1, 10), at(-1, 11), capacity=20, taken=5)
    afternoon = _slot(swim, at(-1, 14), at(-1, 15, 30), capacity=20, taken=1)
    for slot, when, places, user in ((morning, at(-1, 9, 50), 2, world.users["resident"]),
                                     (morning, at(-1, 10, 5), 3, None), (afternoon, at(-1, 14, 5), 1, world.users["resident"])):
        b = _booking(slot, user, "checked_in", places=places, channel="online" if user else "walk_in")
        Booking.objects.filter(pk=b.pk).update(checked_in_at=when)
    # A court party of three (one place) in at 7:50, out at 9:00.
    court = _slot(world.unit, at(-1, 8), at(-1, 9), taken=1)
    b = _booking(court, world.users["other_resident"], "checked_in")
    Booking.objects.filter(pk=b.pk).update(checked_in_at=at(-1, 7, 50), companions=[{"name": "甲"}, {"name": "乙"}])
    return timezone.localdate() - datetime.timedelta(days=1)


def test_hourly_visits_from_check_ins_and_gate_counts(world, yesterday_visits):
    day = yesterday_visits
    operator = make_user("13700000020", "场馆员", seq=20)
    accounts.grant_membership(operator, "operator", world.site.region, target=world.site)
    client = Client()
    client.force_login(operator)
    count_url = reverse("booking:staff_visit_count", args=[world.site.pk])
    client.post(count_url, {"date": day, "hour": 16, "count_in": 5, "count_out": 4})
    client.post(count_url, {"date": day, "hour": 16, "count_in": 6, "count_out": 6})  # replaces the first count
    assert VisitCount.objects.get().count_in == 6
    rows = figures.hourly_visits(world.site, day)
    ins = {r["hour"]: r["in"] for r in rows if r["in"]}
    outs = {r["hour"]: r["out"] for r in rows if r["out"]}
    assert ins == {7: 3, 9: 2, 10: 3, 14: 1, 16: 6} and outs == {9: 3, 11: 5, 15: 1, 16: 6}
    page = client.get(reverse("booking:staff_visits", args=[world.site.pk]) + f"?date={day}")
    assert page.status_code == 200 and page.context["totals"]["in"] == 15
    assert client.get(reverse("booking:staff_visits", args=[world.other_site.pk])).status_code == 404


def test_visits_api_in_the_national_platforms_shape(world, yesterday_visits, client_for):
    day = yesterday_visits
    client = client_for("county")
    rows = client.get(f"/api/v1/booking/staff/sites/{world.site.pk}/visits?date={day}").json()
    assert len(rows) == 24 and {"venue", "venue_id", "date", "hour", "in", "out"} <= set(rows[0])
    assert rows[9]["in"] == 2 and rows[11]["out"] == 5 and rows[9]["date"] == day.isoformat()
    assert rows[9]["venue"] == world.site.name
    put = f"/api/v1/booking/staff/sites/{world.site.pk}/visits"
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    r = client.put(put, {"hour_start": later, "count_in": 3, "count_out": 0}, content_type="application/json")
    assert r.status_code == 400 and not VisitCount.objects.exists()
    r = client.put(put, {"hour_start": at(-1, 17, 20).isoformat(), "count_in": 3, "count_out": 1},
                   content_type="application/json")
    assert r.status_code == 200 and VisitCount.objects.get().hour_start == at(-1, 17)
    assert client.get(f"/api/v1/booking/staff/sites/{world.site.pk}/visits?date=yesterday").status_code == 400


def test_a_booked_person_leaves_only_when_the_time_has_ended(world):
    unit = services.create_unit(world.facility, name="游泳", kind="session")
    now = timezone.now()
    slot = _slot(unit, now - datetime.timedelta(minutes=30), now + datetime.timedelta(minutes=30), capacity=5, taken=1)
    b = _booking(slot, world.users["resident"], "checked_in")
    Booking.objects.filter(pk=b.pk).update(checked_in_at=now - datetime.timedelta(minutes=20))
    totals = figures.visits_by_source(figures.hourly_visits(world.site, timezone.localdate(), now=now))
    assert totals["in"] in (0, 1) and totals["out"] == 0



def test_a_gate_count_never_lets_more_people_out_than_in_over_the_day(world, client_for):
    # Issue 15: PUT …/visits took 2 in and 9 out, a day in which more people left than came.
    client = client_for("county")
    put = f"/api/v1/booking/staff/sites/{world.site.pk}/visits"

    def count(hour, n_in, n_out):
        return client.put(put, {"hour_start": at(-1, hour).isoformat(), "count_in": n_in, "count_out": n_out},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")

    r = count(9, 2, 9)
    assert r.status_code == 409 and r.json()["code"] == "more_out_than_in" and r.json()["field"] == "count_out"
    assert r.json()["message"] == "到 10:00，当天未预约离场的人数（9）多于入场的人数（2），请核对计数。"
    assert not VisitCount.objects.exists()
    assert count(9, 5, 1).status_code == 200
    assert count(10, 0, 4).status_code == 200  # those of the hour before leave: 5 in, 5 out so far
    assert count(11, 0, 1).status_code == 409  # one more than ever came
    # Lowering an earlier hour's count would leave the later hours unbalanced.
    r = count(9, 2, 1)
    assert r.status_code == 409 and "到 11:00" in r.json()["message"]
    assert [(v.count_in, v.count_out) for v in VisitCount.objects.order_by("hour_start")] == [(5, 1), (0, 4)]


def test_the_console_refuses_an_unbalanced_count_and_an_impossible_year(world):
    operator = make_user("13700000020", "场馆员", seq=20)
    accounts.grant_membership(operator, "operator", world.site.region, target=world.site)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(operator)
    count_url = reverse("booking:staff_visit_count", args=[world.site.pk])
    page = client.post(count_url, {"date": timezone.localdate() - datetime.timedelta(days=1), "hour": 8,
                                   "count_in": 1, "count_out": 3}, follow=True)
    assert "当天未预约离场的人数（3）多于入场的人数（1）" in page.content.decode()
    page = client.post(count_url, {"date": "0128-01-01", "hour": 8, "count_in": 3, "count_out": 1}, follow=True)
    assert "请使用 1900 至 2100 之间的日期。" in page.content.decode()
    assert not VisitCount.objects.exists()
