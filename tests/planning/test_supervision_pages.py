"""Supervision's pages, API and Excel: a supervisor plans and records a visit, writes a finding and
its rectification item, the township answers, the supervisor verifies; the workbook lists them;
a bulletin is published once (the second time a clear 409) and read by whom it should be."""

import io
import re
from datetime import date, timedelta

import openpyxl
from django.urls import reverse
from django.utils import timezone

from quanmin.planning.models import Bulletin, Finding, Rectification, Visit
from quanmin.planning.services import supervision


def test_visit_to_closed_item_through_the_pages(world, client_for, liaocheng):
    boss, township = client_for("supervisor"), client_for("township")
    response = boss.post(reverse("planning:supervision"), {
        "plan": liaocheng.key, "division_code": world.county.code, "title": "全民健身设施暗访", "schedule": "unscheduled",
        "coverage": "focused", "kind": "special", "manner": "unannounced", "planned_on": "2023-05-10"})
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.status == "planned"
    # Unannounced and still to come: the county's own pages do not show it.
    assert client_for("county").get(reverse("planning:visit", args=[visit.pk])).status_code == 404
    assert "全民健身设施暗访" not in client_for("county").get(reverse("planning:supervision")).content.decode()
    boss.post(reverse("planning:visit_record", args=[visit.pk]), {"visited_on": "2023-05-10", "summary": "暗访两处"})
    boss.post(reverse("planning:finding_add", args=[visit.pk]), {
        "division_code": world.township.code, "kind": "problem", "severity": "serious", "place": "古楼健身广场",
        "text": "单杠立柱松动，存在安全隐患。"})
    finding = Finding.objects.get()
    # A deadline on the day of the visit is refused, with the reason shown; nothing written.
    page = boss.post(reverse("planning:rectification_add", args=[finding.pk]),
                     {"requirement": "立即停用并修复。", "deadline": "2023-05-10"}, follow=True).content.decode()
    assert "整改时限须晚于督查日期" in page and not Rectification.objects.exists()
    boss.post(reverse("planning:rectification_add", args=[finding.pk]),
              {"requirement": "立即停用并修复。", "deadline": "2023-05-20"})
    item = Rectification.objects.get()
    page = township.get(reverse("planning:visit", args=[visit.pk])).content.decode()
    assert "单杠立柱松动" in page and "暗访" in page and "严重" in page
    # The supervisor cannot answer; the neighbouring county does not find it.
    assert boss.post(reverse("planning:rectification_respond", args=[item.pk]), {"text": "x"}).status_code == 403
    assert client_for("other_county").get(reverse("planning:rectification", args=[item.pk])).status_code == 404
    township.post(reverse("planning:rectification_respond", args=[item.pk]), {"text": "已更换立柱。"})
    boss.post(reverse("planning:rectification_verify", args=[item.pk]), {"decision": "closed"})
    item.refresh_from_db()
    assert item.status == "closed"
    page = township.get(reverse("planning:rectification", args=[item.pk])).content.decode()
    assert "已核验销号" in page and "已更换立柱" in page
    book = openpyxl.load_workbook(io.BytesIO(b"".join(township.get(reverse("planning:supervision_export")).streaming_content)))
    assert [ws.title for ws in book.worksheets] == ["督查发现", "整改事项", "跟踪调研"]
    assert book.worksheets[0]["I2"].value == "单杠立柱松动，存在安全隐患。"
    assert book.worksheets[1]["C2"].value == "古楼街道" and book.worksheets[1]["G2"].value == "已核验销号"


def test_overdue_item_on_the_home_page(world, client_for, liaocheng):
    supervisor = world.users["supervisor"]
    visit = supervision.plan_visit(supervisor, liaocheng, division_code=world.township.code, title="日常检查",
                                   schedule="regular", coverage="overall", kind="routine", manner="announced",
                                   planned_on=date(2023, 3, 1), visited_on=date(2023, 3, 1))
    finding = supervision.add_finding(supervisor, visit, text="健身路径缺少使用说明。")
    supervision.add_rectification(supervisor, finding, requirement="补设说明牌。", deadline=date(2023, 3, 31))
    def tile(role):
        page = client_for(role).get("/").content.decode()
        found = re.search(r'data-section="planning:supervision"><strong class="figure"[^>]*>(\d+)</strong>', page)
        return found and int(found.group(1))

    assert (tile("township"), tile("other_county")) == (1, 0)
    items = client_for("township").get("/api/v1/planning/supervision/rectifications?overdue=true").json()["items"]
    assert [(i["responsible"], i["overdue"], i["status_label"]) for i in items] == [("古楼街道", True, "待整改")]


def test_bulletin_api_and_printable_page(world, client_for, liaocheng, client):
    api = client_for("supervisor")
    body = {"plan_key": liaocheng.key, "title": "关于全民健身工作督查情况的通报", "document_number": "聊体督〔2023〕1号",
            "period_start": "2023-01-01", "period_end": "2023-12-31", "foreword": "现将督查情况通报如下。"}
    created = api.post("/api/v1/planning/supervision/bulletins", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    # A draft is not the city staff's to read yet.
    assert client_for("city").get(reverse("planning:bulletin", args=[pk])).status_code == 404
    url = f"/api/v1/planning/supervision/bulletins/{pk}/publish"
    first = api.post(url, {"public": True}, content_type="application/json")
    assert first.status_code == 200 and first.json()["public"] is True
    assert {r["name"] for r in first.json()["ranking"]} == {"东昌府区", "茌平区"}
    again = api.post(url, {"public": False}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "bulletin_published"
    bulletin = Bulletin.objects.get()
    assert bulletin.public and bulletin.status == "published"
    # Public: anyone reads the printable page, signed in or not; no form to publish it again.
    page = client.get(reverse("planning:bulletin", args=[pk])).content.decode()
    assert "聊体督〔2023〕1号" in page and "东昌府区" in page and 'name="public"' not in page
    assert client_for("resident").get(reverse("planning:bulletin", args=[pk])).status_code == 200


def test_private_bulletin_stays_with_staff(world, client_for, liaocheng, client):
    bulletin = supervision.write_bulletin(world.users["supervisor"], liaocheng, title="内部通报",
                                          period_start=timezone.localdate() - timedelta(days=90),
                                          period_end=timezone.localdate())
    supervision.publish(world.users["supervisor"], bulletin)
    url = reverse("planning:bulletin", args=[bulletin.pk])
    assert client_for("county").get(url).status_code == 200
    assert client_for("township").get(url).status_code == 404
    assert client_for("resident").get(url).status_code == 404
    assert "/login/" in client.get(url)["Location"]


def test_lists_do_not_query_per_item(world, client_for, liaocheng):
    """The rectification list page and API and the visits page ask the same number of queries for
    one item as for five (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss, client = world.users["supervisor"], client_for("city")
    urls = ("/staff/supervision/rectifications/", "/api/v1/planning/supervision/rectifications", "/staff/supervision/")

    def add(n):
        for _ in range(n):
            visit = supervision.plan_visit(boss, liaocheng, division_code=world.township.code, title="检查",
                                           schedule="regular", coverage="overall", kind="routine", manner="announced",
                                           planned_on=date(2023, 1, 2), visited_on=date(2023, 1, 2))
            finding = supervision.add_finding(boss, visit, text="问题")
            supervision.add_rectification(boss, finding, requirement="整改", deadline=date(2023, 2, 1))

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(1)
    one = counts()
    add(4)
    assert counts() == one


def test_rectification_list_rows(world, client_for, liaocheng):
    """The list page and the API list print each item's row as the item page has it: its link, its
    text cut at 60 characters, the visit, the responsible unit, the status and whether it is overdue;
    the API pages the list with the database's count."""
    boss = world.users["supervisor"]
    visit = supervision.plan_visit(boss, liaocheng, division_code=world.township.code, title="春季专项检查",
                                   schedule="regular", coverage="overall", kind="routine", manner="announced",
                                   planned_on=date(2023, 1, 2), visited_on=date(2023, 1, 2))
    finding = supervision.add_finding(boss, visit, text="问题")
    long_text = "器" * 70
    items = [supervision.add_rectification(boss, finding, requirement=text, deadline=deadline)
             for text, deadline in ((long_text, date(2023, 2, 1)), ("补设说明牌。", date(2099, 1, 1)),
                                    ("修复围网。", date(2099, 2, 1)))]
    page = client_for("city").get("/staff/supervision/rectifications/").content.decode()
    assert f'<a href="/staff/supervision/rectifications/{items[0].pk}/">{"器" * 59}…</a>' in page
    assert long_text not in page and "春季专项检查" in page and "古楼街道" in page
    assert page.count('class="overdue"') == 1 and "待整改" in page
    body = client_for("city").get("/api/v1/planning/supervision/rectifications?limit=1&offset=1").json()
    assert body["count"] == 3
    assert [(i["id"], i["requirement"], i["overdue"], i["responsible"]) for i in body["items"]] == [
        (items[1].pk, "补设说明牌。", False, "古楼街道")]


def test_cancel_and_extend_through_the_pages_and_the_api(world, client_for, liaocheng):
    boss, county = client_for("supervisor"), client_for("county")
    day = timezone.localdate() + timedelta(days=10)
    visits = [supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.county.code,
                                     title=title, schedule="regular", coverage="focused", kind="special",
                                     manner="announced", planned_on=day) for title in ("专项检查", "日常检查")]
    # The page: the county's staff see no form and cannot post; the supervisor cancels with a reason.
    assert 'name="reason"' not in county.get(reverse("planning:visit", args=[visits[0].pk])).content.decode()
    assert county.post(reverse("planning:visit_cancel", args=[visits[0].pk]), {"reason": "x"}).status_code == 403
    page = boss.get(reverse("planning:visit", args=[visits[0].pk])).content.decode()
    assert reverse("planning:visit_cancel", args=[visits[0].pk]) in page
    boss.post(reverse("planning:visit_cancel", args=[visits[0].pk]), {"reason": "与省级检查时间冲突。"})
    page = county.get(reverse("planning:visit", args=[visits[0].pk])).content.decode()
    assert "已取消" in page and "与省级检查时间冲突。" in page
    # The API: a reason is required (422), then cancelled; a second time 409 in Chinese.
    url = f"/api/v1/planning/supervision/visits/{visits[1].pk}/cancel"
    assert boss.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    answer = boss.post(url, {"reason": "另行安排。"}, content_type="application/json")
    assert answer.status_code == 200 and (answer.json()["status"], answer.json()["cancel_reason"]) == (
        "cancelled", "另行安排。")
    again = boss.post(url, {"reason": "另行安排。"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "visit_cancelled" and again.json()["message"] == (
        "该督查已取消。")
    assert county.post(url, {"reason": "x"}, content_type="application/json").status_code == 403

    done = supervision.plan_visit(world.users["supervisor"], liaocheng, division_code=world.township.code,
                                  title="检查", schedule="regular", coverage="overall", kind="routine",
                                  manner="announced", planned_on=date(2023, 1, 2), visited_on=date(2023, 1, 2))
    finding = supervision.add_finding(world.users["supervisor"], done, text="问题")
    item = supervision.add_rectification(world.users["supervisor"], finding, requirement="整改",
                                         deadline=date(2023, 2, 1))
    later = timezone.localdate() + timedelta(days=15)
    item_url = reverse("planning:rectification", args=[item.pk])
    assert reverse("planning:rectification_extend", args=[item.pk]) in boss.get(item_url).content.decode()
    assert reverse("planning:rectification_extend", args=[item.pk]) not in county.get(item_url).content.decode()
    boss.post(reverse("planning:rectification_extend", args=[item.pk]),
              {"deadline": later.isoformat(), "reason": "供货延迟。"})
    item.refresh_from_db()
    assert item.deadline == later
    page = county.get(item_url).content.decode()
    assert "期限延长" in page and f"2023-02-01 → {later.isoformat()}" in page and 'class="overdue"' not in page
    api = f"/api/v1/planning/supervision/rectifications/{item.pk}"
    earlier = boss.post(f"{api}/extension", {"deadline": "2023-03-01", "reason": "x"}, content_type="application/json")
    assert earlier.status_code == 400 and earlier.json()["code"] == "rectification_extension"
    answer = boss.post(f"{api}/extension", {"deadline": (later + timedelta(days=5)).isoformat(), "reason": "再延。"},
                       content_type="application/json")
    assert answer.status_code == 200 and answer.json()["deadline"] == (later + timedelta(days=5)).isoformat()
    assert not answer.json()["overdue"]
    entries = county.get(f"{api}/entries").json()["items"]
    assert [(e["kind"], e["deadline_was"], e["text"]) for e in entries] == [
        ("extension", "2023-02-01", "供货延迟。"), ("extension", later.isoformat(), "再延。")]
    assert county.post(f"{api}/extension", {"deadline": "2099-01-01", "reason": "x"},
                       content_type="application/json").status_code == 403
