"""Supervision (督查): visits, findings per division, rectification items followed until verified
closed, overdue items, and bulletins published once with their ranking frozen; every refusal is a
clear error that writes nothing."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.planning import selectors_supervision as found
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Bulletin, Department, Finding, Rectification, RectificationEntry, Visit
from quanmin.planning.services import supervision

VISITED = date(2023, 5, 10)


def _visit(world, plan, division=None, **extra):
    values = {"division_code": (division or world.county).code, "title": "全民健身设施专项督查",
              "schedule": "regular", "coverage": "focused", "kind": "special", "manner": "announced",
              "planned_on": VISITED, "visited_on": VISITED, "summary": "查看了体育公园和健身路径。", **extra}
    return supervision.plan_visit(world.users["supervisor"], plan, **values)


def _problem(world, visit, division=None):
    return supervision.add_finding(world.users["supervisor"], visit, division_code=(division or world.township).code,
                                   severity="major", place="古楼街道健身广场", text="健身路径两件器材损坏未修。")


@pytest.fixture
def item(world, liaocheng):
    finding = _problem(world, _visit(world, liaocheng))
    return supervision.add_rectification(world.users["supervisor"], finding, requirement="十五日内修复并建立点检台账。",
                                         deadline=VISITED + timedelta(days=15))


def test_visit_finding_rectification_closed(world, liaocheng, item):
    supervisor, township = world.users["supervisor"], world.users["township"]
    assert (item.division_code, item.responsible_name(), item.status) == (world.township.code, "古楼街道", "open")
    # The neighbouring county's staff neither see nor answer it.
    assert item not in found.rectifications_for(world.users["other_county"])
    with pytest.raises(PlanningError) as caught:
        supervision.respond(world.users["other_county"], item, text="越权")
    assert (caught.value.code, caught.value.status) == ("rectification_not_yours", 403)
    # A supervisor verifies; it is not theirs to answer.
    with pytest.raises(PlanningError):
        supervision.respond(supervisor, item, text="代答")
    supervision.respond(township, item, text="已修复两件器材，建立点检台账。",
                        evidence=SimpleUploadedFile("整改照片.jpg", b"\xff\xd8\xff"))
    item.refresh_from_db()
    assert item.status == "submitted"
    with pytest.raises(PlanningError) as caught:
        supervision.respond(township, item, text="再报一次")
    assert caught.value.code == "rectification_not_open"
    # Returning needs a reason; the township answers again; then it is verified closed.
    with pytest.raises(PlanningError) as caught:
        supervision.verify(supervisor, item, close=False, text="")
    assert caught.value.field == "text"
    supervision.verify(supervisor, item, close=False, text="缺少点检台账照片。")
    item.refresh_from_db()
    assert item.status == "returned"
    supervision.respond(township, item, text="补充台账照片。")
    supervision.verify(supervisor, item, close=True)
    item.refresh_from_db()
    assert (item.status, item.closed_on) == ("closed", timezone.localdate())
    assert [(e.kind, e.decision) for e in item.entries.all()] == [
        ("response", ""), ("review", "returned"), ("response", ""), ("review", "closed")]
    with pytest.raises(PlanningError) as caught:
        supervision.verify(supervisor, item, close=True)
    assert (caught.value.code, caught.value.status) == ("rectification_not_submitted", 409)


def test_overdue_items_warn_the_division(world, liaocheng, item):
    today = timezone.localdate()
    assert item.deadline < today
    assert found.overdue_to_answer(world.users["township"], today) == 1
    assert found.overdue_to_answer(world.users["county"], today) == 1  # the county's staff answer for it too
    assert found.overdue_to_answer(world.users["other_county"], today) == 0
    assert found.overdue_to_answer(world.users["supervisor"], today) == 0  # supervisors answer nothing
    assert found.overdue_to_answer(world.users["resident"], today) == 0


def _nothing_written(before):
    assert (Visit.objects.count(), Finding.objects.count(), Rectification.objects.count(),
            RectificationEntry.objects.count(), Bulletin.objects.count()) == before


def _counts():
    return (Visit.objects.count(), Finding.objects.count(), Rectification.objects.count(),
            RectificationEntry.objects.count(), Bulletin.objects.count())


def test_bad_input_writes_nothing(world, liaocheng):
    supervisor = world.users["supervisor"]
    visit = _visit(world, liaocheng)
    finding = _problem(world, visit)
    before = _counts()
    audit_before = AuditEntry.objects.count()
    cases = [
        # A rectification item on another division than the finding's.
        (lambda: supervision.add_rectification(supervisor, finding, requirement="整改", deadline=date(2023, 6, 1),
                                               division_code=world.other_township.code), "supervision_division"),
        # A deadline before (or on) the day of the visit.
        (lambda: supervision.add_rectification(supervisor, finding, requirement="整改", deadline=date(2023, 5, 1)),
         "rectification_deadline"),
        (lambda: supervision.add_rectification(supervisor, finding, requirement="整改", deadline=VISITED),
         "rectification_deadline"),
        # A responsible unit of another division.
        (lambda: supervision.add_rectification(
            supervisor, finding, requirement="整改", deadline=date(2023, 6, 1),
            department_id=Department.objects.get(division_code=world.city.code, name="市教育体育局").pk),
         "rectification_unit"),
        (lambda: supervision.add_rectification(supervisor, finding, requirement="  ", deadline=date(2023, 6, 1)),
         "supervision_text_missing"),
        # A finding in a division the visit did not cover, or with a made-up choice.
        (lambda: supervision.add_finding(supervisor, visit, division_code=world.other_township.code, text="x"),
         "supervision_division"),
        (lambda: supervision.add_finding(supervisor, visit, severity="fatal", text="x"), "supervision_choice"),
        (lambda: supervision.add_finding(supervisor, visit, text="x", target_id="abc"), "not_a_number"),
        # A visit by county staff (not supervisors), outside the plan, or before the plan starts.
        (lambda: supervision.plan_visit(
            world.users["county"], liaocheng, division_code=world.county.code, title="越权", schedule="regular",
            coverage="focused", kind="routine", manner="announced", planned_on=VISITED), "supervision_not_yours"),
        (lambda: _visit(world, liaocheng, planned_on=date(2020, 1, 1), visited_on=None), "visit_date"),
        (lambda: _visit(world, liaocheng, visited_on=timezone.localdate() + timedelta(days=1)), "visit_date"),
        (lambda: _visit(world, liaocheng, manner="secret"), "supervision_choice"),
        (lambda: supervision.write_bulletin(supervisor, liaocheng, title="通报", period_start=date(2023, 6, 1),
                                            period_end=date(2023, 1, 1)), "bulletin_period"),
    ]
    for call, code in cases:
        with pytest.raises(PlanningError) as caught:
            call()
        assert caught.value.code == code
    _nothing_written(before)
    assert AuditEntry.objects.count() == audit_before


def test_findings_wait_for_the_visit(world, liaocheng):
    visit = _visit(world, liaocheng, visited_on=None, manner="unannounced", planned_on=date(2023, 9, 1))
    with pytest.raises(PlanningError) as caught:
        _problem(world, visit)
    assert caught.value.code == "visit_not_done"
    # Unannounced and not yet carried out: the visited county does not know of it; the supervisor does.
    assert visit not in found.visits_for(world.users["county"])
    assert visit not in found.visits_for(world.users["city"])
    assert visit in found.visits_for(world.users["supervisor"])
    supervision.record_visit(world.users["supervisor"], visit, visited_on=date(2023, 9, 2), summary="暗访两处场地。")
    assert visit in found.visits_for(world.users["county"])
    assert visit not in found.visits_for(world.users["other_county"])
    with pytest.raises(PlanningError) as caught:
        supervision.record_visit(world.users["supervisor"], visit, visited_on=date(2023, 9, 3))
    assert caught.value.code == "visit_recorded"


def test_bulletin_published_once_with_its_ranking_frozen(world, liaocheng, item):
    supervisor = world.users["supervisor"]
    practice = supervision.add_finding(supervisor, item.finding.visit, kind="practice",
                                       text="社区健身队每日组织晨练。", severity="serious")
    assert practice.severity == ""
    bulletin = supervision.write_bulletin(supervisor, liaocheng, title="关于2023年第二季度全民健身工作督查情况的通报",
                                          period_start=date(2023, 4, 1), period_end=date(2023, 6, 30),
                                          document_number="聊体督〔2023〕2号")
    # A draft is the supervisors' alone.
    assert bulletin in found.bulletins_for(supervisor) and bulletin not in found.bulletins_for(world.users["city"])
    supervision.publish(supervisor, bulletin)
    bulletin.refresh_from_db()
    content = bulletin.content
    assert sorted(r["name"] for r in content["ranking"]) == sorted(["东昌府区", "茌平区"])
    assert [r["place"] for r in content["ranking"]] == [1, 2]
    county = next(r for r in content["ranking"] if r["code"] == world.county.code)
    assert (county["problems"], county["practices"], county["items"], county["overdue"]) == (1, 1, 1, 1)
    assert [f["kind"] for f in content["findings"]] == ["problem", "practice"]
    assert content["findings"][0]["rectifications"][0]["responsible"] == "古楼街道"
    published_at = bulletin.published_at
    with pytest.raises(PlanningError) as caught:
        supervision.publish(supervisor, bulletin, public=True)
    assert (caught.value.code, caught.value.status) == ("bulletin_published", 409)
    bulletin.refresh_from_db()
    assert (bulletin.published_at, bulletin.public) == (published_at, False)
    # Closing the item later does not change what was published.
    supervision.respond(world.users["township"], item, text="已修复。")
    supervision.verify(supervisor, item, close=True)
    bulletin.refresh_from_db()
    assert bulletin.content == content
    # Readers: the city's and its counties' staff; not a township's, not a resident.
    readers = {role for role in world.users if bulletin in found.bulletins_for(world.users[role])}
    assert readers == {"superuser", "city", "county", "other_county", "supervisor"}


def test_a_planned_visit_is_cancelled_with_its_reason(world, liaocheng):
    supervisor, county = world.users["supervisor"], world.users["county"]
    day = timezone.localdate() + timedelta(days=7)
    announced = _visit(world, liaocheng, visited_on=None, summary="", planned_on=day)
    secret = _visit(world, liaocheng, visited_on=None, summary="", planned_on=day, manner="unannounced")
    before = _counts()
    # No reason, someone else's, not a supervisor: refused, nothing changes.
    for who, reason, code in ((supervisor, "  ", "supervision_text_missing"), (county, "时间冲突", "supervision_not_yours"),
                              (world.users["other_county"], "时间冲突", "supervision_not_yours")):
        with pytest.raises(PlanningError) as caught:
            supervision.cancel_visit(who, announced, reason=reason)
        assert caught.value.code == code
    announced.refresh_from_db()
    assert announced.status == "planned" and not AuditEntry.objects.filter(action="supervision.cancel_visit").exists()
    _nothing_written(before)
    for visit in (announced, secret):
        supervision.cancel_visit(supervisor, visit, reason="与省级检查时间冲突，另行安排。")
        visit.refresh_from_db()
        assert (visit.status, visit.cancel_reason, visit.cancelled_by) == (
            "cancelled", "与省级检查时间冲突，另行安排。", supervisor)
    entry = AuditEntry.objects.filter(action="supervision.cancel_visit").first()
    assert entry.actor == supervisor and entry.detail == {"reason": "与省级检查时间冲突，另行安排。"}
    # A second cancel, recording it, a finding: each a 409 that changes nothing.
    for call in (lambda: supervision.cancel_visit(supervisor, announced, reason="再取消"),
                 lambda: supervision.record_visit(supervisor, announced, visited_on=timezone.localdate())):
        with pytest.raises(PlanningError) as caught:
            call()
        assert (caught.value.code, caught.value.status) == ("visit_cancelled", 409)
    with pytest.raises(PlanningError) as caught:
        supervision.add_finding(supervisor, announced, text="发现")
    assert caught.value.status == 409
    # The county sees the announced visit called off; the unannounced one, never.
    assert set(found.visits_for(county)) == {announced}
    assert set(found.visits_for(supervisor)) == {announced, secret}
    # A visit that took place is not cancelled.
    done = _visit(world, liaocheng)
    with pytest.raises(PlanningError) as caught:
        supervision.cancel_visit(supervisor, done, reason="取消")
    assert (caught.value.code, caught.value.status) == ("visit_recorded", 409)


def test_a_deadline_extended_keeps_its_history(world, liaocheng, item):
    supervisor, township = world.users["supervisor"], world.users["township"]
    today = timezone.localdate()
    assert found.overdue_to_answer(township, today) == 1
    later = today + timedelta(days=20)
    before = _counts()
    for who, deadline, reason, code in (
            (supervisor, item.deadline, "同意延期", "rectification_extension"),
            (supervisor, item.deadline - timedelta(days=1), "同意延期", "rectification_extension"),
            (supervisor, later, "", "supervision_text_missing"),
            (township, later, "申请延期", "supervision_not_yours")):
        with pytest.raises(PlanningError) as caught:
            supervision.extend_deadline(who, item, deadline=deadline, reason=reason)
        assert caught.value.code == code
    item.refresh_from_db()
    assert item.deadline == VISITED + timedelta(days=15)
    _nothing_written(before)
    supervision.extend_deadline(supervisor, item, deadline=later, reason="器材需定制，同意延期。")
    item.refresh_from_db()
    assert item.deadline == later and item.status == "open"
    # Overdue follows the new deadline: the township's warning and the overdue list drop it.
    assert found.overdue_to_answer(township, today) == 0
    assert item not in found.overdue(Rectification.objects.all(), today)
    supervision.extend_deadline(supervisor, item, deadline=later + timedelta(days=10), reason="再延十日。")
    assert [(e.kind, e.deadline_was, e.deadline, e.text) for e in item.entries.all()] == [
        ("extension", VISITED + timedelta(days=15), later, "器材需定制，同意延期。"),
        ("extension", later, later + timedelta(days=10), "再延十日。")]
    audit = AuditEntry.objects.filter(action="supervision.extend_deadline").order_by("pk").first()
    assert audit.detail == {"from": (VISITED + timedelta(days=15)).isoformat(), "to": later.isoformat()}
    # Closed, it is not extended again.
    supervision.respond(township, item, text="已整改。")
    supervision.verify(supervisor, item, close=True)
    with pytest.raises(PlanningError) as caught:
        supervision.extend_deadline(supervisor, item, deadline=later + timedelta(days=40), reason="延期")
    assert (caught.value.code, caught.value.status) == ("rectification_closed", 409)
