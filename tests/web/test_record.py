"""个人运动健康电子档案 (quanmin.web.record): the resident's own record over a hand-built world — physique
tests with their trend, a prescription, a referral, an exercise standard certificate, venue visits, a
guided session, a group activity, a games entry with its medal, a group joined, points — on the page,
in the API and in the Excel download (read back with the project's reader); every read logged; nobody
else's record, and no way to ask for one."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import services as account_services
from quanmin.accounts.models import AuditEntry, Consent
from quanmin.booking import services as booking_services
from quanmin.booking.models import Booking, Slot
from quanmin.core import tabular
from quanmin.demo.accounts import make_id_number
from quanmin.events import services_entries
from quanmin.events.models import Result
from quanmin.incentives.models import PointsEntry
from quanmin.organizations import memberships
from quanmin.organizations import services as org_services
from quanmin.people import logs
from quanmin.people.models import Station
from quanmin.physique import services, services_exercise, sportmed
from quanmin.web import record
from tests.events.conftest import make_games
from tests.matrix import physique as pm
from tests.people.conftest import active
from tests.physique.test_sportmed import make_site, refer_resident
from tests.web.test_resident_pages_chinese import Visible, english

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FITTER = {**pm.ADULT, "pushups": 40, "vertical_jump_cm": 48, "sit_and_reach_cm": 16, "step_index": 66}
THIS_YEAR = timezone.localdate().year


def at(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def past_slot(unit, start, hours=1, capacity=1):
    return Slot.objects.create(unit=unit, start=start, end=start + datetime.timedelta(hours=hours), capacity=capacity,
                               taken=1, manual=True)


def used(user, slot, status=Booking.Status.CHECKED_IN):
    return Booking.objects.create(slot=slot, user=user, status=status, places=1,
                                  checked_in_at=slot.start if status == Booking.Status.CHECKED_IN else None)


def build_world(w):
    """The resident's two years: everything the record reads, some of it things that must not show."""
    me = w.users["resident"]
    services.give_health_consent(me)
    person = services.participant_for_user(me, w.community)
    session = pm.session(w)
    first = services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT,
                                   tested_at=at(THIS_YEAR - 1, 5, 10))
    second = services.record_result(session, person, standard="physique-2003", measurements=FITTER,
                                    tested_at=at(THIS_YEAR, 5, 12))
    rx = services.make_prescription(second, [False] * 7)
    standard = services_exercise.create_session(region=w.community, held_on=datetime.date(THIS_YEAR, 6, 1),
                                                place="东关社区文体广场", organiser="东昌府区体育局")
    grade = services_exercise.record_grade(standard, person, level="良好", items="50米跑 8.9秒")
    referral = refer_resident(w, make_site(w))
    # A court used last year, one not used (a no-show) and one cancelled this year.
    visit = used(me, past_slot(w.unit, at(THIS_YEAR - 1, 8, 3, 19)))
    used(me, past_slot(w.unit, at(THIS_YEAR, 3, 3, 19)), Booking.Status.NO_SHOW)
    used(me, past_slot(w.unit, at(THIS_YEAR, 3, 4, 19)), Booking.Status.CANCELLED)
    # A guided session at an instructors' station.
    station_unit = booking_services.create_unit(w.facility, name="太极拳指导", kind="session", payment_provider="free")
    Station.objects.create(name="东关社区健身指导站", region=w.community, site=w.site, unit=station_unit)
    guided = used(me, past_slot(station_unit, at(THIS_YEAR, 4, 6, 7), hours=2, capacity=20))
    # A group joined and one of its activities attended.
    group = org_services.register({"name": "东关社区太极拳群", "kind": "community_group", "status": "filed",
                                   "region": w.community, "join_policy": "open", "lon": 115.985, "lat": 36.457},
                                  actor=w.users["superuser"])
    memberships.join(me, group.pk)
    activity = memberships.add_activity(group, facility_id=w.facility.pk, title="周六晨练", weekday=5,
                                        start=datetime.time(7), end=datetime.time(8), places=20,
                                        actor=w.users["superuser"])
    group_visit = used(me, past_slot(activity.unit, at(THIS_YEAR, 4, 11, 7), capacity=20))
    # A games entry with its final: first place.
    ev = make_games(w)
    entry = services_entries.enter(me, ev.sprint.pk)
    Result.objects.create(entry=entry, competition=ev.sprint, round="final", value=Decimal("12.80"), rank=1,
                          medal="gold")
    # A team another resident entered, with her in it.
    captain = account_services.create_user(phone="13911115555", password="x-Passw0rd!", real_name="钱伟",
                                           id_number=make_id_number("371502", "19880808", 55, True),
                                           home_region=w.community)
    team = services_entries.enter(captain, ev.team.pk, team_name="东关三人队", members=[me])
    # She is a social sports instructor too: a confirmed morning of service at the sports centre, one still pending.
    instructor = active(w, w.community, 301, user=me)
    for day, confirm in ((20, True), (27, False)):
        log = logs.record(instructor, {"site": w.site.pk, "started_at": at(THIS_YEAR, 4, day, 7),
                                       "ended_at": at(THIS_YEAR, 4, day, 9), "activity": "太极拳晨练", "sport": "taiji",
                                       "people_guided": 25}, by=me)
        if confirm:
            logs.decide(log, confirm=True, by=w.users["county"])
    # Points for the court visit and the test, one taken back.
    for key, points, kind in ((f"check_in:{visit.pk}", 5, "credit"), (f"test:{second.pk}", 10, "credit"),
                              (f"group:{group_visit.pk}", 3, "credit"), (f"undo:group:{group_visit.pk}", -3, "reversal")):
        PointsEntry.objects.create(user=me, kind=kind, points=points, source_key=key, day=timezone.localdate())
    return {"first": first, "second": second, "rx": rx, "grade": grade, "referral": referral, "visit": visit,
            "guided": guided, "group": group, "group_visit": group_visit, "entry": entry, "games": ev,
            "team": team}


def test_the_record_gathers_every_part_by_year_with_the_trend_and_the_points(world):
    made = build_world(world)
    found = record.build(world.users["resident"])
    kinds = [line.kind for line in found.lines]
    assert sorted(set(kinds)) == sorted(["test", "prescription", "referral", "standard", "visit", "guided",
                                         "group_activity", "entry", "group", "service"])
    assert kinds.count("test") == 2 and kinds.count("visit") == 1  # the no-show and the cancelled one are not there
    assert [line.at for line in found.lines] == sorted((line.at for line in found.lines), reverse=True)
    assert [y.year for y in found.years] == [THIS_YEAR, THIS_YEAR - 1]
    tests = [line for line in found.lines if line.kind == "test"]
    delta = Decimal(made["second"].total) - Decimal(made["first"].total)
    assert delta > 0 and f"+{delta.quantize(Decimal('0.1'))}" in tests[0].change
    assert f"{THIS_YEAR - 1}-05-10" in tests[0].change and tests[1].change == ""
    assert tests[0].points == 10
    by_kind = {line.kind: line for line in found.lines}
    assert by_kind["visit"].points == 5 and by_kind["visit"].minutes == 60
    assert by_kind["group_activity"].points == 0 and "东关社区太极拳群" in by_kind["group_activity"].title
    assert by_kind["guided"].title == "东关社区健身指导站" and by_kind["guided"].minutes == 120
    assert made["grade"].certificate.number in by_kind["standard"].outcome
    entries = [line for line in found.lines if line.kind == "entry"]
    assert any("12.8" in line.outcome and "1" in line.outcome for line in entries)
    assert any(line.title.endswith("三人篮球 · 东关三人队") for line in entries)  # a team another entered
    assert kinds.count("service") == 1 and by_kind["service"].title == "太极拳晨练"  # the pending one is not there
    assert by_kind["service"].place == world.site.name and by_kind["service"].service_hours == 2
    this, last = found.years
    assert this.counts["test"] == 1 and last.counts["test"] == 1 and last.counts["visit"] == 1
    assert this.hours == Decimal("3.0") and last.hours == Decimal("1.0")
    assert this.service_hours == 2 and last.service_hours == 0
    assert this.points_earned == 18 and this.medals == 1 and this.latest_test.at == made["second"].tested_at
    assert found.consent and found.balance == 0


def test_the_record_reads_in_a_few_queries_whatever_its_length(world, django_assert_max_num_queries):
    build_world(world)
    me = world.users["resident"]
    station_unit = Station.objects.get().unit
    for day in range(1, 29):  # a month of mornings at the station: no query per line
        used(me, past_slot(station_unit, at(THIS_YEAR, 2, day, 7), capacity=20))
    with django_assert_max_num_queries(20):
        found = record.build(me)
    assert sum(line.kind == "guided" for line in found.lines) == 29


def test_an_empty_record_and_a_withdrawn_consent(world):
    me = world.users["resident"]
    found = record.build(me)
    assert found.lines == [] and found.years == [] and not found.consent
    build_world(world)
    account_services.withdraw_consent(me, Consent.Kind.HEALTH)
    found = record.build(me)
    assert not found.consent and any(line.kind == "test" for line in found.lines)  # what was recorded stays


def test_the_page_in_chinese_is_the_residents_own_and_the_read_is_logged(world, client_for):
    made = build_world(world)
    client = client_for("resident")
    page = client.get(reverse("web:my_record"), **ZH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "我的运动健康档案" in html and f"{THIS_YEAR}年" in html and "体质测试" in html and "东关社区健身指导站" in html
    assert "东关社区太极拳群" in html and "东昌府区第五届全民健身运动会" in html and "金牌" in html
    assert reverse("physique:report", args=[made["second"].pk]) in html
    assert reverse("web:my_record_export") in html and "data-print" in html
    for raw in ("physique-2003", "checked_in", "group_activity", "hypertension"):
        assert raw not in html
    visible = Visible()
    visible.feed(html)
    assert english(visible.texts) == []  # every line, outcome and change in Chinese
    logged = AuditEntry.objects.filter(action="read_personal", actor=world.users["resident"])
    assert logged.filter(detail__purpose="own health record").count() == 1
    one_year = client.get(reverse("web:my_record"), {"year": THIS_YEAR - 1}, **ZH).content.decode()
    assert "东昌府区第五届全民健身运动会" not in one_year and "1号场" in one_year
    assert client.get(reverse("web:my_record"), {"year": "abc"}).status_code == 200


def test_another_resident_and_staff_see_only_their_own(world, client_for):
    build_world(world)
    for role in ("other_resident", "county", "city"):
        html = client_for(role).get(reverse("web:my_record"), **ZH).content.decode()
        assert "东关社区太极拳群" not in html and "东关社区健身指导站" not in html and "档案" in html
        body = client_for(role).get("/api/v1/me/record/lines").json()
        assert body["count"] == 0
    assert client_for(None).get(reverse("web:my_record")).status_code == 302
    assert client_for(None).get("/api/v1/me/record").status_code == 401


def test_the_api_pages_the_lines_and_filters_them(world, client_for):
    build_world(world)
    client = client_for("resident")
    summary = client.get("/api/v1/me/record", **ZH).json()
    assert [y["year"] for y in summary["years"]] == [THIS_YEAR, THIS_YEAR - 1]
    assert summary["consent"] is True and summary["kinds"]["test"] == "体质测试"
    assert "+" in summary["years"][0]["latest_test"]["change"]
    everything = client.get("/api/v1/me/record/lines", {"limit": 500}).json()
    page = client.get("/api/v1/me/record/lines", {"limit": 3, "offset": 2}).json()
    assert page["count"] == everything["count"] >= 10 and page["items"] == everything["items"][2:5]
    tests = client.get("/api/v1/me/record/lines", {"kind": "test", "year": THIS_YEAR - 1}).json()
    assert tests["count"] == 1 and tests["items"][0]["kind"] == "test"
    assert client.get("/api/v1/me/record/lines", {"kind": "nonsense"}).status_code == 422
    assert client.get("/api/v1/me/record/lines", {"limit": 0}).status_code == 422
    assert AuditEntry.objects.filter(action="read_personal", actor=world.users["resident"],
                                     detail__purpose="own health record").count() == 4  # the two refused (422) read nothing


@pytest.mark.parametrize("url", [reverse("web:my_record_export"), "/api/v1/me/record/export.xlsx"])
def test_the_excel_download_reads_back_in_chinese(world, client_for, url):
    made = build_world(world)
    # A title a spreadsheet would run as a formula is written as text.
    made["group"].__class__.objects.filter(pk=made["group"].pk).update(name="=HYPERLINK(\"x\")")
    response = client_for("resident").get(url, **ZH)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    sheets = [list(rows) for rows in tabular.grids(data, max_rows=1000)]
    lines, years, items = sheets
    assert lines[0][1][:4] == ["日期", "年份", "类别", "事项"]
    assert len(lines) - 1 == len(record.build(world.users["resident"]).lines)
    assert any(row[1][2] == "体质测试" and "+" in row[1][6] for row in lines[1:])
    assert any(row[1][3] == '=HYPERLINK("x")' for row in lines[1:])  # kept as text, not run
    assert [row[1][0] for row in years[1:]] == [THIS_YEAR, THIS_YEAR - 1]
    assert any("握力" in row[1][2] and row[1][4] is not None for row in items[1:])  # each item with its score
    assert AuditEntry.objects.filter(action="read_personal", actor=world.users["resident"],
                                     detail__purpose="own health record download").count() == 1


def test_the_record_is_linked_from_the_account_page_and_the_menu(world, client_for):
    html = client_for("resident").get(reverse("accounts:me"), **ZH).content.decode()
    assert html.count(reverse("web:my_record")) >= 2  # the menu and the card
    assert "我的运动健康档案" in html
    physique = client_for("resident").get(reverse("physique:me"), **ZH).content.decode()
    assert reverse("web:my_record") in physique


def test_the_referral_made_before_the_account_is_in_the_record(world):
    site = make_site(world)
    referral = refer_resident(world, site)
    referral.__class__.objects.filter(pk=referral.pk).update(user=None)
    lines = record.build(world.users["resident"]).lines
    assert [line.kind for line in lines] == ["referral"] and lines[0].place == site.name
    assert sportmed.own_referrals(world.users["resident"]).count() == 1


def test_an_online_course_marked_done_is_in_the_record_with_its_minutes(world, client_for):
    from quanmin.outreach import services_online
    from tests.outreach.test_online import published

    course = published(world)
    services_online.mark_done(world.users["resident"], course)
    found = record.build(world.users["resident"])
    line = next(line for line in found.lines if line.kind == "online")
    assert line.title == "亲子跳绳课" and line.minutes == 20 and line.url
    assert found.years[0].counts["online"] == 1 and found.years[0].minutes == 20
    html = client_for("resident").get(reverse("web:my_record"), **ZH).content.decode()
    assert "亲子跳绳课" in html and "线上课程" in html
    assert all(line.kind != "online" for line in record.build(world.users["other_resident"]).lines)
