"""Tracking research (跟踪调研, seed 002 task 8: 「重大体育工作跟踪调研和督查机制」): a visit of kind
`tracking` follows one target or one task of the plan over several visits; the visits on one piece of
work read as a chain, in the order they took place, on the visit's page, the tracking page, the API
and the workbook. Another kind of visit follows nothing; a refusal writes nothing."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from quanmin.planning import selectors_supervision as found
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Visit
from quanmin.planning.services import supervision

BASE = {"title": "全民健身设施建设跟踪调研", "schedule": "regular", "coverage": "focused", "kind": "tracking",
        "manner": "announced"}


def _tracking(world, plan, day, division=None, done=True, **extra):
    values = {**BASE, "division_code": (division or world.county).code, "planned_on": day,
              "visited_on": day if done else None, **extra}
    return supervision.plan_visit(world.users["supervisor"], plan, **values)


@pytest.fixture
def chain(world, liaocheng):
    """Three visits on the plan's first target (the county in March and September 2023, its township in
    May 2023, the last with two problems, one rectified and verified, one open, and a good practice),
    one on its first task, and a special check that follows nothing."""
    boss = world.users["supervisor"]
    target, task = liaocheng.targets.order_by("pk").first(), liaocheng.tasks.order_by("pk").first()
    first = _tracking(world, liaocheng, date(2023, 3, 15), target_id=target.pk, joint_with=["congress", "cppcc"])
    last = _tracking(world, liaocheng, date(2023, 9, 20), target_id=target.pk)
    middle = _tracking(world, liaocheng, date(2023, 5, 18), division=world.township, target_id=target.pk)
    for text in ("体育公园建设进度滞后。", "健身步道未按期开工。"):
        problem = supervision.add_finding(boss, last, severity="major", text=text)
        supervision.add_rectification(boss, problem, requirement="制定赶工计划。", deadline=date(2023, 12, 31))
    closed = problem.rectifications.get()
    supervision.respond(world.users["county"], closed, text="已开工。")
    supervision.verify(boss, closed, close=True)
    supervision.add_finding(boss, last, kind="practice", text="建立了周调度机制。")
    on_task = _tracking(world, liaocheng, date(2023, 4, 1), task_id=task.pk)
    special = supervision.plan_visit(boss, liaocheng, division_code=world.county.code, title="专项检查",
                                     schedule="regular", coverage="focused", kind="special", manner="announced",
                                     planned_on=date(2023, 6, 1), visited_on=date(2023, 6, 1))
    return {"target": target, "task": task, "first": first, "middle": middle, "last": last, "on_task": on_task,
            "special": special}


def test_tracking_follows_exactly_one_target_or_task(world, liaocheng):
    target, task = liaocheng.targets.first(), liaocheng.tasks.first()
    refusals = [
        ({}, ("visit_followed", "target_id")),
        ({"target_id": target.pk, "task_id": task.pk}, ("visit_followed", "target_id")),
        ({"target_id": 999999}, ("finding_target", "target_id")),
        ({"task_id": "x"}, ("not_a_number", "task_id")),
        ({"kind": "special", "task_id": task.pk}, ("visit_followed", "task_id")),
    ]
    for extra, expected in refusals:
        with pytest.raises(PlanningError) as refused:
            _tracking(world, liaocheng, date(2023, 3, 1), **extra)
        assert (refused.value.code, refused.value.field) == expected, extra
    assert not Visit.objects.exists()
    made = _tracking(world, liaocheng, date(2023, 3, 1), task_id=str(task.pk))
    assert (made.task, made.target, made.followed) == (task, None, task)


def test_the_chain_in_the_order_of_the_visits(world, liaocheng, chain):
    county = world.users["county"]
    in_chain = found.chain_of(county, chain["middle"])
    assert [v.pk for v in in_chain] == [chain["first"].pk, chain["middle"].pk, chain["last"].pk]
    assert [(v.problems, v.items_open) for v in in_chain] == [(0, 0), (0, 0), (2, 1)]
    assert found.chain_of(county, chain["special"]) == []
    assert [v.pk for v in found.chain_of(county, chain["on_task"])] == [chain["on_task"].pk]
    chains = found.tracking_chains(county)
    # Latest visit first: the target's chain (last 2023-09-20), then the task's (2023-04-01).
    assert [(c["target"], c["task"]) for c in chains] == [(chain["target"], None), (None, chain["task"])]
    assert (chains[0]["first"], chains[0]["last"], chains[0]["done"], chains[0]["items_open"]) == (
        date(2023, 3, 15), date(2023, 9, 20), 3, 1)
    assert chains[0]["divisions"] == sorted(["东昌府区", "古楼街道"])


def test_the_chain_keeps_each_readers_view(world, liaocheng, chain):
    # The township sees only the visit to its own division.
    assert [v.pk for v in found.chain_of(world.users["township"], chain["middle"])] == [chain["middle"].pk]
    assert found.tracking_chains(world.users["other_county"]) == []
    # An unannounced tracking visit still to come stays unknown to the visited.
    hidden = _tracking(world, liaocheng, date(2023, 11, 1), done=False, manner="unannounced",
                       target_id=chain["target"].pk)
    assert hidden.pk not in [v.pk for v in found.chain_of(world.users["county"], chain["first"])]
    assert hidden.pk in [v.pk for v in found.chain_of(world.users["supervisor"], chain["first"])]


def test_the_pages_record_and_show_the_chain(world, client_for, liaocheng, chain):
    boss = client_for("supervisor")
    form = boss.get(reverse("planning:supervision")).content.decode()
    assert f'value="target:{chain["target"].pk}"' in form and "跟踪调研" in form
    response = boss.post(reverse("planning:supervision"), {
        **BASE, "plan": liaocheng.key, "division_code": world.county.code, "planned_on": "2023-12-01",
        "followed": f"task:{chain['task'].pk}"})
    made = Visit.objects.latest("pk")
    assert response.status_code == 302 and (made.kind, made.task) == ("tracking", chain["task"])
    # Tracking research with no work named: the form again with the reason; nothing written.
    page = boss.post(reverse("planning:supervision"), {
        **BASE, "plan": liaocheng.key, "division_code": world.county.code, "planned_on": "2023-12-01"})
    assert page.status_code == 200 and "跟踪调研须指定方案中的一项目标或一项任务" in page.content.decode()
    assert Visit.objects.count() == 6
    county = client_for("county")
    page = county.get(reverse("planning:visit", args=[chain["middle"].pk])).content.decode()
    assert "这项工作的历次跟踪调研" in page and "2023-03-15" in page and "2023-09-20" in page
    assert chain["target"].name in page and "跟踪调研" in page and "tracking" not in page
    page = county.get(reverse("planning:tracking")).content.decode()
    # The task's chain now ends latest (planned for 2023-12-01): it comes first.
    assert page.index(chain["task"].title) < page.index(chain["target"].name)
    assert "已开展3次" in page and "1项未销号" in page and "人大办、政协办" in page
    assert client_for("other_county").get(reverse("planning:tracking")).content.decode().count("<ol") == 0


def test_the_api_takes_and_lists_the_chain(world, client_for, liaocheng, chain):
    boss = client_for("supervisor")
    body = {**BASE, "plan_key": liaocheng.key, "division_code": world.county.code, "planned_on": "2023-12-01"}
    bad = boss.post("/api/v1/planning/supervision/visits", body, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "visit_followed")
    made = boss.post("/api/v1/planning/supervision/visits", {**body, "target_id": chain["target"].pk},
                     content_type="application/json")
    assert made.status_code == 201 and made.json()["target_id"] == chain["target"].pk
    assert made.json()["followed"] == f"{chain['target'].key} {chain['target'].name}"
    listed = client_for("county").get("/api/v1/planning/supervision/tracking",
                                      HTTP_ACCEPT_LANGUAGE="zh-hans").json()["items"]
    assert [c["target_id"] for c in listed] == [chain["target"].pk, None]
    days = [(v["day"], v["problems"], v["items_open"]) for v in listed[0]["visits"]]
    assert days == [("2023-03-15", 0, 0), ("2023-05-18", 0, 0), ("2023-09-20", 2, 1), ("2023-12-01", 0, 0)]
    assert listed[0]["visits"][0]["joint_with_labels"] == ["人大办", "政协办"]


def test_the_workbook_lists_the_chains(world, client_for, liaocheng, chain):
    response = client_for("county").get(reverse("planning:supervision_export"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["跟踪调研"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[4], r[7], r[8]) for r in rows] == [
        ("2023-03-15", "东昌府区", 0, 0), ("2023-05-18", "古楼街道", 0, 0), ("2023-09-20", "东昌府区", 2, 1),
        ("2023-04-01", "东昌府区", 0, 0)]
