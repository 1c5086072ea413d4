"""The four inclusions through the pages, the API and Excel: the county records with its document on
its page, the city confirms there, the overview shows the gaps and downloads as a workbook, a table
of records imports whole or not at all (each bad row by its line), the API does the same as the pages."""

import io
from datetime import date

import openpyxl
from django.urls import reverse

from quanmin.planning.models import Inclusion
from quanmin.planning.services import inclusions
from tests import sheets

from .test_inclusions import pdf, year_2023  # noqa: F401 (a fixture)

HEADERS = ["区划代码", "年度", "事项", "是否纳入", "文件或会议", "日期", "备注"]


def book(rows, headers=HEADERS):
    return sheets.upload("四纳入.xlsx", headers, rows)


def read_book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_record_and_confirm_on_the_divisions_page(world, client_for):
    county, city = client_for("county"), client_for("city")
    url = reverse("planning:inclusion_division", args=[world.county.code, 2023])
    page = county.get(url).content.decode()
    assert "政府重要议事日程" in page and "政府绩效考核目标管理" in page and 'name="evidence"' in page
    # Included without a document: the reason shown, nothing written.
    shown = county.post(url, {"kind": "agenda", "included": "yes", "dated": "2023-03-08"}, follow=True)
    assert "请填写体现纳入的文件或会议" in shown.content.decode() and not Inclusion.objects.exists()
    response = county.post(url, {"kind": "agenda", "included": "yes", "document": "区政府第12次常务会议",
                                 "dated": "2023-03-08", "evidence": pdf("会议纪要.pdf")})
    assert response.status_code == 302
    made = Inclusion.objects.get()
    assert (made.kind, made.included, made.dated, made.status) == ("agenda", True, date(2023, 3, 8), "recorded")
    # The city reads it with its evidence and confirms it; the county cannot decide.
    page = city.get(url).content.decode()
    assert "区政府第12次常务会议" in page and "待确认" in page and 'value="confirm"' in page
    assert city.get(reverse("planning:inclusion_evidence", args=[made.pk])).status_code == 200
    assert county.post(reverse("planning:inclusion_decide", args=[made.pk]), {"decision": "confirm"}).status_code == 403
    city.post(reverse("planning:inclusion_decide", args=[made.pk]), {"decision": "confirm"})
    made.refresh_from_db()
    assert made.status == "confirmed"
    assert "已确认" in county.get(url).content.decode()
    # The neighbouring county neither reads it nor records for it.
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("other_county").get(reverse("planning:inclusion_evidence", args=[made.pk])).status_code == 404
    assert city.post(url, {"kind": "budget", "included": "no"}).status_code == 403


def test_the_overview_page_and_its_workbook(world, client_for, year_2023):  # noqa: F811
    city = client_for("city")
    assert reverse("planning:inclusions") in city.get(reverse("web:home")).content.decode()  # the menu's link
    page = city.get(reverse("planning:inclusions"), {"region": world.city.code, "year": 2023}).content.decode()
    assert "四纳入" in page and "东昌府区" in page and "茌平区" in page
    assert "已纳入，待确认" in page and "未纳入" in page and "未填报" in page and "无督查" in page
    assert 'class="gap"' in page and "budget" not in page
    assert "2个区划中，1个四项纳入均已确认，1个开展了督查，1个两者兼备" in page
    assert client_for("other_county").get(reverse("planning:inclusions"), {"region": world.city.code}).status_code == 404
    workbook = read_book(city.get(reverse("planning:inclusions_export"), {"region": world.city.code, "year": 2023}))
    overview, records = workbook.worksheets
    assert overview.title == "四纳入 2023"
    rows = list(overview.iter_rows(min_row=2, values_only=True))
    assert [r[:3] for r in rows] == [("371502000000", "东昌府区", "已纳入，已确认"),
                                     ("371503000000", "茌平区", "已纳入，已确认")]
    assert rows[1][-4:] == ("否", 0, None, "年度财政预算和中长期预算规划、政府工作报告、政府绩效考核目标管理、无督查")
    assert rows[0][-4:] == ("是", 1, "2023-05-10", None)
    assert [c.value for c in records[1]] == HEADERS and records.max_row == 8  # 4 + 3 records


def test_the_import_applies_whole_or_not_at_all(world, client_for):
    county = client_for("county")
    good = [[world.county.code, 2023, "政府重要议事日程", "是", "区政府第12次常务会议", "2023-03-08", ""],
            [world.county.code, 2023, "年度财政预算", "是", "东昌府区2023年财政预算报告", date(2023, 1, 10), ""],
            [world.county.code, "2023", "政府工作报告", "否", "", "", "2023年政府工作报告未提及全民健身"]]
    bad = [*good, [world.county.code, 2023, "政府绩效考核目标管理", "是", "", "2023-04-01", ""],
           [world.other_county.code, 2023, "政府工作报告", "否", "", "", ""],
           [world.township.code, 2023, "政府工作报告", "否", "", "", ""],  # the county confirms it, not records
           [world.county.code, 2023, "政府重要议事日程", "是", "重复", "2023-03-08", ""]]
    response = county.post(reverse("planning:inclusions_import"), {"file": book(bad), "apply": "1"})
    page = response.content.decode()
    assert response.status_code == 400 and not Inclusion.objects.exists()
    assert "请填写体现纳入的文件或会议" in page and "只有本区划的体育工作人员填报" in page and "与第2行重复" in page
    assert "东昌府区 2023 政府重要议事日程" in page
    response = county.post(reverse("planning:inclusions_import"), {"file": book(good), "apply": "1"})
    assert response.status_code == 200 and Inclusion.objects.count() == 3
    budget = Inclusion.objects.get(kind="budget")
    assert (budget.division_name, budget.dated, budget.status) == ("东昌府区", date(2023, 1, 10), "recorded")
    assert Inclusion.objects.get(kind="work_report").included is False
    # The same file again changes nothing; a confirmed record changed in the file is refused.
    inclusions.attach_evidence(world.users["county"], budget, pdf())
    inclusions.decide(world.users["city"], budget, confirm=True)
    again = client_for("county").post("/api/v1/planning/inclusions/import", {"file": book(good), "dry_run": "false"})
    assert again.status_code == 200 and again.json()["counts"]["unchanged"] == 3
    changed = [[*good[1][:4], "改过的预算报告", "2023-01-10", ""]]
    refused = client_for("county").post("/api/v1/planning/inclusions/import",
                                        {"file": book(changed), "dry_run": "false"})
    assert (refused.status_code, refused.json()["code"]) == (400, "import_row_invalid")
    assert Inclusion.objects.get(kind="budget").document == "东昌府区2023年财政预算报告"


def test_the_api_records_attaches_and_decides(world, client_for, year_2023):  # noqa: F811
    county, city = client_for("county"), client_for("city")
    url = f"/api/v1/planning/inclusions/{world.county.code}/2024/agenda"
    body = {"included": True, "document": "区政府2024年第3次常务会议", "dated": "2024-02-20"}
    assert city.put(url, body, content_type="application/json").status_code == 403
    made = county.put(url, body, content_type="application/json")
    assert made.status_code == 200 and (made.json()["status"], made.json()["has_evidence"]) == ("recorded", False)
    pk = made.json()["id"]
    no_file = city.post(f"/api/v1/planning/inclusions/{pk}/decision", {"confirm": True},
                        content_type="application/json")
    assert (no_file.status_code, no_file.json()["code"]) == (400, "evidence_missing")
    attached = county.post(f"/api/v1/planning/inclusions/{pk}/evidence", {"evidence": pdf("纪要.pdf")})
    assert attached.status_code == 200 and attached.json()["has_evidence"] is True
    decided = city.post(f"/api/v1/planning/inclusions/{pk}/decision", {"confirm": True},
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert (decided.status_code, decided.json()["status_label"]) == (200, "已确认")
    bad = county.put(f"/api/v1/planning/inclusions/{world.county.code}/2024/press", body,
                     content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "inclusion_kind")
    board = city.get("/api/v1/planning/inclusions/overview", {"region": world.city.code, "year": 2023},
                     HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert (board["complete"], board["supervised"], board["awaiting"]) == (1, 1, 1)
    other = board["rows"][1]
    assert (other["division_name"], other["gaps"], other["supervision_visits"]) == (
        "茌平区", ["budget", "work_report", "performance"], 0)
    assert [c["state_label"] for c in other["cells"]] == ["已纳入，已确认", "已纳入，待确认", "未纳入", "未填报"]
    listed = client_for("other_county").get("/api/v1/planning/inclusions", {"year": 2023}).json()["items"]
    assert {r["division_name"] for r in listed} == {"茌平区"} and len(listed) == 3
    assert client_for("other_county").get(f"/api/v1/planning/inclusions/overview?region={world.county.code}"
                                          ).status_code == 404
