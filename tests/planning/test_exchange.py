"""Experience exchange (E05): a county sends an experience case, the city recommends it as typical or
returns it, a returned case is changed and sent again; the city records on-site meetings showing
recommended cases. A recommended case is read by every county of the city, anything else only by its
own county and the city. Refused steps change nothing; the indicators match a hand count."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.core import indicators
from quanmin.planning import selectors_exchange
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import ExperienceCase, SiteMeeting
from quanmin.planning.services import exchange as services

P = "/api/v1/planning"
CASE = {"year": 2026, "title": "“十分钟健身圈”进小区", "theme": "facilities",
        "practice": "利用边角地建设口袋公园 36 处，配建健身路径。", "results": "新增健身场地 2.1 万平方米。",
        "contact": "区体育中心 王科长"}


def sent(world, county="county", **changes):
    user = world.users[county]
    code = world.county.code if county == "county" else world.other_county.code
    return services.send_case(user, division_code=code, **{**CASE, **changes})


def test_the_whole_way_from_a_case_to_a_meeting(world):
    county, city = world.users["county"], world.users["city"]
    case = sent(world)
    assert (case.status, case.division_name) == ("submitted", "东昌府区")
    returned = services.review_case(city, case, decision="return", note="请补充群众满意度数据")
    assert returned.status == "returned" and returned.recommended_on is None
    assert Notification.objects.filter(user=county, subject__contains=CASE["title"]).exists()
    again = services.change_case(county, case, **{**CASE, "results": "新增场地 2.1 万平方米，群众满意度 96%。"})
    assert again.status == "submitted" and "96%" in again.results
    done = services.review_case(city, again, decision="recommend", on=datetime.date(2026, 5, 20))
    assert (done.status, done.recommended_on, done.reviewed_by) == ("recommended", datetime.date(2026, 5, 20), city)
    meeting = services.record_site_meeting(
        city, division_code=world.city.code, host_code=world.county.code, held_on=datetime.date(2026, 6, 1),
        title="全市全民健身公共服务体系建设现场会", place="东昌府区体育中心", attendee_codes=[world.other_county.code],
        case_ids=[done.pk])
    assert meeting.attendees == sorted([world.county.code, world.other_county.code])
    assert list(meeting.cases.all()) == [done] and meeting.host_name == "东昌府区"
    assert AuditEntry.objects.filter(target_type="planning.experiencecase", target_id=str(case.pk)).count() == 4
    assert AuditEntry.objects.filter(target_type="planning.sitemeeting", target_id=str(meeting.pk)).exists()


@pytest.mark.parametrize("step, code, status", [
    ("send_for_a_township", "case_division", 400),
    ("send_as_city", "case_not_yours", 403),
    ("send_for_other_county", "case_not_yours", 403),
    ("send_without_practice", "practice_missing", 400),
    ("send_bad_theme", "case_theme", 400),
    ("send_future_year", "case_year", 400),
    ("send_long_title", "title_too_long", 400),
    ("review_as_county", "case_not_reviewer", 403),
    ("return_without_note", "note_missing", 400),
    ("recommend_in_future", "case_recommended_on", 400),
    ("review_nonsense", "case_decision", 400),
    ("review_twice", "case_state", 409),
    ("change_recommended", "case_state", 409),
    ("change_as_city", "case_not_yours", 403),
    ("meeting_as_county", "meeting_not_yours", 403),
    ("meeting_host_elsewhere", "meeting_host", 400),
    ("meeting_unrecommended_case", "meeting_cases", 400),
    ("meeting_in_future", "meeting_date_future", 400),
    ("meeting_attendee_township", "meeting_attendee", 400),
])
def test_refused_steps_change_nothing(world, step, code, status):
    county, city, other = world.users["county"], world.users["city"], world.users["other_county"]
    open_case = sent(world)
    final = services.review_case(city, sent(world, title="社区运动会天天有"), decision="recommend")
    meeting = dict(division_code=world.city.code, host_code=world.county.code, held_on=datetime.date(2026, 3, 1),
                   title="现场会")
    acts = {
        "send_for_a_township": lambda: services.send_case(county, division_code=world.township.code, **CASE),
        "send_as_city": lambda: services.send_case(city, division_code=world.county.code, **CASE),
        "send_for_other_county": lambda: services.send_case(other, division_code=world.county.code, **CASE),
        "send_without_practice": lambda: sent(world, practice="  \x00 "),
        "send_bad_theme": lambda: sent(world, theme="weather"),
        "send_future_year": lambda: sent(world, year=2999),
        "send_long_title": lambda: sent(world, title="长" * 121),
        "review_as_county": lambda: services.review_case(county, open_case, decision="recommend"),
        "return_without_note": lambda: services.review_case(city, open_case, decision="return"),
        "recommend_in_future": lambda: services.review_case(city, open_case, decision="recommend",
                                                            on=datetime.date(2999, 1, 1)),
        "review_nonsense": lambda: services.review_case(city, open_case, decision="maybe"),
        "review_twice": lambda: services.review_case(city, final, decision="return", note="再改"),
        "change_recommended": lambda: services.change_case(county, final, **CASE),
        "change_as_city": lambda: services.change_case(city, open_case, **CASE),
        "meeting_as_county": lambda: services.record_site_meeting(county, **meeting),
        "meeting_host_elsewhere": lambda: services.record_site_meeting(city, **{**meeting,
                                                                                "host_code": world.township.code}),
        "meeting_unrecommended_case": lambda: services.record_site_meeting(city, **meeting, case_ids=[open_case.pk]),
        "meeting_in_future": lambda: services.record_site_meeting(city, **{**meeting,
                                                                           "held_on": datetime.date(2999, 1, 1)}),
        "meeting_attendee_township": lambda: services.record_site_meeting(
            city, **meeting, attendee_codes=[world.township.code]),
    }
    before = list(ExperienceCase.objects.order_by("pk").values_list("pk", "status", "title", "review_note"))
    with pytest.raises(PlanningError) as caught:
        acts[step]()
    assert (caught.value.code, caught.value.status) == (code, status)
    assert list(ExperienceCase.objects.order_by("pk").values_list("pk", "status", "title", "review_note")) == before
    assert not SiteMeeting.objects.exists()


def test_recommended_cases_are_read_across_the_city_the_rest_at_home(world):
    mine = sent(world)
    typical = services.review_case(world.users["city"], sent(world, title="全民健身进乡村"), decision="recommend")
    theirs = sent(world, "other_county", title="体育公园夜间开放")

    def seen(role):
        return set(selectors_exchange.cases_for(world.users[role]).values_list("pk", flat=True))

    assert seen("county") == {mine.pk, typical.pk}
    assert seen("other_county") == {typical.pk, theirs.pk}  # the neighbour's open case stays at home
    assert seen("township") == {typical.pk}  # a township reads the typical cases, not its county's drafts
    assert seen("city") == {mine.pk, typical.pk, theirs.pk}
    assert seen("resident") == set()
    filtered = selectors_exchange.cases_for(world.users["city"], {"status": "recommended", "theme": "facilities"})
    assert list(filtered) == [typical]
    assert not selectors_exchange.cases_for(world.users["city"], {"theme": "nonsense"}).exists()
    assert list(selectors_exchange.cases_for(world.users["city"], {"q": "夜间"})) == [theirs]


def test_the_indicators_against_a_hand_count(world):
    city = world.users["city"]
    for title, county in (("甲", "county"), ("乙", "county"), ("丙", "other_county")):
        services.review_case(city, sent(world, county, title=title), decision="recommend",
                             on=datetime.date(2026, 4, 1))
    services.review_case(city, sent(world, title="去年"), decision="recommend", on=datetime.date(2025, 12, 30))
    sent(world, title="未审")  # not recommended: not counted
    for day, host in ((datetime.date(2026, 3, 1), world.county.code), (datetime.date(2026, 9, 1), world.other_county.code),
                      (datetime.date(2025, 6, 1), world.county.code)):
        services.record_site_meeting(city, division_code=world.city.code, host_code=host, held_on=day, title="现场会")
    wanted = [world.city.code, world.county.code, world.other_county.code]
    with CaptureQueriesContext(connection) as queries:
        cases = indicators.compute("typical_cases", wanted, datetime.date(2026, 6, 30))
        meetings = indicators.compute("site_meetings", wanted, datetime.date(2026, 6, 30))
    assert len(queries) == 2
    assert cases == {world.city.code: 3, world.county.code: 2, world.other_county.code: 1}
    assert meetings == {world.city.code: 1, world.county.code: 1, world.other_county.code: 0}
    later = indicators.compute("site_meetings", wanted, datetime.date(2026, 12, 31))
    assert later == {world.city.code: 2, world.county.code: 1, world.other_county.code: 1}


def test_the_api_from_a_case_to_a_meeting(world, client_for):
    county, city, other = client_for("county"), client_for("city"), client_for("other_county")
    made = county.post(f"{P}/experience-cases", {**CASE, "division_code": world.county.code},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    found = made.json()
    assert (found["status"], found["theme_label"], found["status_label"]) == ("submitted", "健身设施补短板",
                                                                              "已报送市级")
    url = f"{P}/experience-cases/{found['id']}"
    assert other.get(url).status_code == 404
    refused = county.post(f"{url}/review", {"decision": "recommend"}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 403 and refused.json()["code"] == "case_not_reviewer"
    back = city.post(f"{url}/review", {"decision": "return", "note": "补充成效"}, content_type="application/json")
    assert back.json()["status"] == "returned"
    changed = county.put(url, {**CASE, "results": "成效显著"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status"] == "submitted"
    done = city.post(f"{url}/review", {"decision": "recommend", "on": "2026-05-01"}, content_type="application/json")
    assert done.json()["recommended_on"] == "2026-05-01"
    assert other.get(url).json()["status"] == "recommended"  # now the neighbour reads it
    listed = other.get(f"{P}/experience-cases", {"status": "recommended"}).json()
    assert [c["id"] for c in listed["items"]] == [found["id"]]
    meeting = city.post(f"{P}/site-meetings", {"division_code": world.city.code, "host_code": world.county.code,
                                               "held_on": "2026-06-01", "title": "现场会", "case_ids": [found["id"]],
                                               "attendee_codes": [world.other_county.code]},
                        content_type="application/json")
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["cases"] == [{"id": found["id"], "title": CASE["title"], "division_name": "东昌府区"}]
    assert other.get(f"{P}/site-meetings").json()["count"] == 1
    assert client_for("resident").get(f"{P}/experience-cases").status_code == 403
    assert county.get(f"{P}/experience-cases/{2**40}").status_code == 404
    bad = county.post(f"{P}/experience-cases", {**CASE, "division_code": world.county.code, "theme": "x" * 17},
                      content_type="application/json")
    assert bad.status_code in (400, 422) and ExperienceCase.objects.count() == 1


def test_pages_send_review_record_and_export(world, client_for):
    county, city = client_for("county"), client_for("city")
    page = county.get("/staff/plans/exchange/").content.decode()
    assert 'action="/staff/plans/exchange/send/"' in page and 'action="/staff/plans/exchange/meetings/"' not in page
    sent_page = county.post("/staff/plans/exchange/send/", {**CASE, "division": world.county.code})
    case = ExperienceCase.objects.get()
    assert sent_page.status_code == 302 and sent_page.url == f"/staff/plans/exchange/{case.pk}/"
    url = f"/staff/plans/exchange/{case.pk}/"
    assert 'name="decision"' not in county.get(url).content.decode()
    assert 'name="decision"' in city.get(url).content.decode()
    city.post(f"{url}review/", {"decision": "return", "note": ""})  # refused: a message, nothing changes
    case.refresh_from_db()
    assert case.status == "submitted"
    city.post(f"{url}review/", {"decision": "recommend", "on": "2026-05-02"})
    case.refresh_from_db()
    assert (case.status, case.recommended_on) == ("recommended", datetime.date(2026, 5, 2))
    assert client_for("other_county").get(url).status_code == 200
    city_page = city.get("/staff/plans/exchange/").content.decode()
    assert 'action="/staff/plans/exchange/meetings/"' in city_page and f'name="cases" value="{case.pk}"' in city_page
    city.post("/staff/plans/exchange/meetings/", {"division": world.city.code, "host": world.county.code,
                                                  "held_on": "2026-06-01", "title": "全市现场会",
                                                  "cases": [str(case.pk)], "attendees": [world.other_county.code]})
    assert SiteMeeting.objects.get().cases.get() == case
    city.post("/staff/plans/exchange/meetings/", {"division": world.city.code, "host": world.county.code,
                                                  "held_on": "not a day", "title": "x"})
    assert SiteMeeting.objects.count() == 1
    export = city.get("/staff/plans/exchange/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "东昌府区" and rows[1][2] == CASE["title"] and len(rows) == 2
    assert client_for("resident").get("/staff/plans/exchange/").status_code in (302, 403)
    assert county.get(f"/staff/plans/exchange/{2**40}/").status_code == 404
