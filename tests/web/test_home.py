"""The signed-in home page: a tile for every section the menu offers (and no other), what waits for
the user with live counts linking to the filtered lists (only in sections they may open), the
divisions at a glance for division staff, and the register / sign-in card for visitors.

The data is made through the services (the feedback and maintenance fixtures live in their own
folders): reports open and overdue in each county, a report resolved and waiting for the resident's
rating, work orders (overdue ones) assigned to a unit with its own staff member, an inspection plan
with missed rounds and today's round for an inspector.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from quanmin.accounts.models import Role
from quanmin.accounts.services import grant_membership
from tests.conftest import make_user

NAV = re.compile(r'<nav id="mainnav".*?</nav>', re.S)
HREF = re.compile(r'<a href="([^"]+)"')
TILES = re.compile(r'<div class="tiles sections">(.*?)</div>', re.S)
WAITING = re.compile(r'<div class="tiles waiting">(.*?)</div>', re.S)
TILE = re.compile(r'<a class="tile" href="([^"]+)" data-section="([^"]+)">')


@pytest.fixture(autouse=True)
def quiet(settings, tmp_path, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the strings below are the English ones
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


@pytest.fixture
def home_world(equipment):
    from quanmin.feedback import services as feedback
    from quanmin.feedback.models import FeedbackSettings
    from quanmin.maintenance import inspections, units
    from quanmin.maintenance import services as maintenance

    w = equipment
    now, today = timezone.now(), timezone.localdate()
    county, other_county, resident = w.users["county"], w.users["other_county"], w.users["resident"]
    FeedbackSettings.objects.create(region=w.city, hotline="0635-12345", response_working_days=1,
                                    resolution_working_days=5)
    long_ago = now - datetime.timedelta(days=20)
    # 东昌府区: two open reports, one of them overdue; one resolved, waiting for the resident's rating.
    feedback.submit_report(category="equipment", description="踏板松动", phone="13912345678",
                           equipment=w.pieces[0], now=long_ago)
    feedback.submit_report(category="equipment", description="螺丝脱落", phone="13912345678", equipment=w.pieces[1])
    rated = feedback.submit_report(category="equipment", description="单杠生锈", equipment=w.pieces[2],
                                   reporter=resident)
    feedback.resolve(rated, actor=county, answer="已除锈刷漆")
    # 茌平区: one open, overdue report.
    feedback.submit_report(category="equipment", description="扭腰器卡住", phone="13912345679",
                           equipment=w.other_pieces[0], now=long_ago)

    # A unit in 东昌府区 with two open orders (one overdue) and its staff member; an overdue order in 茌平区.
    unit = units.create_unit(actor=county, region=w.county, name="东昌府区器材维修队")
    w.users["unit_staff"] = make_user("13700000020", "维修工", seq=20)
    units.add_unit_staff(unit, w.users["unit_staff"], actor=county)
    maintenance.create_work_order(actor=county, description="踏板松动", equipment=w.pieces[0], unit=unit,
                                  now=now - datetime.timedelta(days=30))
    maintenance.create_work_order(actor=county, description="螺丝脱落", equipment=w.pieces[1], unit=unit)
    maintenance.create_work_order(actor=other_county, description="扭腰器卡住", equipment=w.other_pieces[0],
                                  now=now - datetime.timedelta(days=30))

    # An inspector of the community's site with a daily plan: five rounds missed, today's to walk.
    w.users["inspector"] = make_user("13700000021", "巡检员", seq=21)
    grant_membership(w.users["inspector"], Role.INSPECTOR, w.community, target=w.site)
    plan = inspections.create_plan(actor=county, today=today, data={
        "name": "东关社区日常巡检", "kind": "daily", "region": w.community.code, "inspector": w.users["inspector"],
        "every_days": 1, "days_to_complete": 1, "starts_on": today - datetime.timedelta(days=10)})
    inspections.generate_rounds(plan, today=today, since=today - datetime.timedelta(days=5))
    inspections.mark_missed(today)
    return w


def login(client, user):
    client.force_login(user)
    return client


def page(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response, response.content.decode()


def menu_links(html: str) -> set[str]:
    return set(HREF.findall(NAV.search(html).group(0))) - {reverse("accounts:login"), reverse("accounts:register")}


def tiles(html: str) -> dict[str, str]:
    """section name -> link of the section tiles."""
    block = TILES.search(html)
    return {name: url for url, name in TILE.findall(block.group(1))} if block else {}


def waiting(response) -> dict[str, int]:
    """link -> count of the "waiting for you" strip."""
    return {item["url"]: item["count"] for item in response.context["waiting"]}


ROLES = ["superuser", "city", "county", "other_county", "township", "community", "supervisor", "resident",
         "inspector", "unit_staff"]


@pytest.mark.parametrize("role", ROLES)
def test_tiles_are_the_menu_and_counts_only_in_sections_one_may_open(home_world, client, role):
    user = home_world.users[role]
    response, html = page(login(client, user))
    shown = tiles(html)
    # Exactly the menu's sections (but home itself), each with its description.
    assert set(shown.values()) == menu_links(html) - {reverse("web:home")}
    for item in response.context["tiles"]:
        assert item["description"] and escape(str(item["description"])) in html
    # Every count belongs to a section the user has a tile for, and its list opens for them.
    for item in response.context["waiting"]:
        assert item["section"] in shown
        assert item["url"] in html.replace("&amp;", "&")
        assert client.get(item["url"]).status_code == 200, item["url"]


def test_resident_sees_own_sections_bookings_and_answers_to_rate(home_world, client):
    response, html = page(login(client, home_world.users["resident"]))
    assert set(tiles(html)) == {"facilities:finder", "feedback:report_map", "accounts:me", "web:my_record", "booking:mine",
                                "feedback:my_reports", "physique:index", "organizations:groups",
                                "people:finder", "people:me", "events:list", "events:mine", "surveys:open",
                                "inclusive:near", "outreach:home"}
    assert waiting(response) == {reverse("booking:mine"): 1, reverse("feedback:my_reports"): 1}
    assert "Waiting for you" in html and "Upcoming bookings" in html and "Answers to rate" in html
    # Nothing of the staff's: no queue, no orders, no divisions.
    assert reverse("feedback:staff_reports") not in html
    assert reverse("maintenance:work_orders") not in html
    assert response.context["divisions"] == []


def test_other_resident_counts_are_their_own(home_world, client):
    response, _ = page(login(client, home_world.users["other_resident"]))
    assert waiting(response) == {reverse("booking:mine"): 1, reverse("feedback:my_reports"): 0}


def _staff_counts(since: datetime.date) -> tuple[str, str, str, str]:
    reports = reverse("feedback:staff_reports")
    return (f"{reports}?show=open", f"{reports}?show=overdue", reverse("maintenance:work_orders") + "?overdue=1",
            reverse("maintenance:inspection_rounds") + f"?status=missed&from={since.isoformat()}")


def test_county_staff_sees_their_county_waiting(home_world, client):
    response, html = page(login(client, home_world.users["county"]))
    since = timezone.localdate() - datetime.timedelta(days=30)
    open_reports, overdue_reports, overdue_orders, missed = _staff_counts(since)
    counts = waiting(response)
    assert counts[open_reports] == 2
    assert counts[overdue_reports] == 1
    assert counts[overdue_orders] == 1
    assert counts[missed] == 5
    # Staff sections the menu gives a county admin are tiles; my rounds / my orders / audit are not theirs.
    shown = tiles(html)
    assert {"feedback:staff_reports", "maintenance:work_orders", "maintenance:inspection_plans", "web:regions",
            "facilities:staff_sites", "booking:staff_home"} <= set(shown)
    assert not {"maintenance:my_rounds", "maintenance:my_orders", "web:audit"} & set(shown)
    assert [d["region"].code for d in response.context["divisions"]] == [home_world.county.code]
    # The counts lead to the lists that show as many.
    listed = client.get(overdue_reports)
    assert listed.status_code == 200 and listed.context["counts"]["overdue"] == 1
    listed = client.get(overdue_orders)
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 1
    listed = client.get(missed)
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 5


def test_neighbouring_county_sees_only_its_own(home_world, client):
    response, _ = page(login(client, home_world.users["other_county"]))
    since = timezone.localdate() - datetime.timedelta(days=30)
    open_reports, overdue_reports, overdue_orders, missed = _staff_counts(since)
    counts = waiting(response)
    assert (counts[open_reports], counts[overdue_reports], counts[overdue_orders], counts[missed]) == (1, 1, 1, 0)


def test_city_staff_sees_both_counties(home_world, client):
    response, html = page(login(client, home_world.users["city"]))
    since = timezone.localdate() - datetime.timedelta(days=30)
    open_reports, overdue_reports, overdue_orders, missed = _staff_counts(since)
    counts = waiting(response)
    assert (counts[open_reports], counts[overdue_reports], counts[overdue_orders], counts[missed]) == (3, 2, 2, 5)
    assert "web:audit" in tiles(html)


def test_inspector_sees_todays_rounds_only(home_world, client):
    response, html = page(login(client, home_world.users["inspector"]))
    counts = waiting(response)
    assert counts[reverse("maintenance:my_rounds")] == 1
    assert "maintenance:my_rounds" in tiles(html)
    assert not any(url.startswith(reverse("feedback:staff_reports")) for url in counts)
    assert reverse("maintenance:my_orders") not in counts
    assert "Rounds to walk today" in html


def test_unit_staff_sees_their_units_open_orders(home_world, client):
    response, html = page(login(client, home_world.users["unit_staff"]))
    counts = waiting(response)
    assert counts[reverse("maintenance:my_orders")] == 2
    assert "maintenance:my_orders" in tiles(html)
    assert reverse("maintenance:my_rounds") not in counts
    assert not any("overdue" in url for url in counts)


def test_a_counted_order_leaves_the_count_once_closed(home_world, client):
    from quanmin.maintenance import services as maintenance
    from quanmin.maintenance.models import WorkOrder

    county = home_world.users["county"]
    order = WorkOrder.objects.get(equipment=home_world.pieces[1])
    maintenance.cancel(order, actor=county, reason="重复报修")
    response, _ = page(login(client, home_world.users["unit_staff"]))
    assert waiting(response)[reverse("maintenance:my_orders")] == 1


def test_anonymous_sees_register_and_sign_in(home_world, client):
    response, html = page(client)
    assert reverse("accounts:register") in html and reverse("accounts:login") in html
    assert "Waiting for you" not in html
    assert tiles(html) == {}
    assert response.context["waiting"] == []


def test_tiles_stack_on_a_phone(home_world, client):
    """The tiles use the stylesheet's .tiles grid (auto-fit columns of at least 150px: one or two per
    phone row), and the page has the phone viewport."""
    _, html = page(login(client, home_world.users["resident"]))
    assert 'name="viewport" content="width=device-width' in html
    assert '<div class="tiles sections">' in html and '<div class="tiles waiting">' in html


def test_home_queries_are_bounded_for_county_staff(home_world, client, django_assert_max_num_queries):
    login(client, home_world.users["county"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("web:home"))
    assert response.status_code == 200


def test_menu_and_tiles_share_one_reckoning(home_world, rf):
    """The menu (context processor) and the home page use the same function; it is worked out once a
    request, and again if the user changes within it."""
    from django.contrib.auth.models import AnonymousUser

    from quanmin.web.context import navigation, visible_sections

    request = rf.get("/")
    request.user = home_world.users["county"]
    sections = visible_sections(request)
    assert [s["url"] for s in navigation(request)["nav_items"]] == [s["url"] for s in sections]
    assert visible_sections(request) is sections
    request.user = AnonymousUser()
    assert {s["name"] for s in visible_sections(request)} == {"web:home", "facilities:finder", "feedback:report_map",
                                                              "physique:index", "organizations:groups",
                                                              "people:finder", "events:list", "surveys:open",
                                                              "inclusive:near", "outreach:home"}
