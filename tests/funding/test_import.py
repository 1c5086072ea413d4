import io as stdio
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from quanmin.funding import io, services
from quanmin.funding.models import Amount, Project

from .conftest import project_data

HEAD = "区划代码,项目名称,建设内容,类别,名目,计划金额（元）,实际金额（元）\n"


def csv_file(rows: str, name="资金表.csv"):
    return SimpleUploadedFile(name, (HEAD + rows).encode("utf-8"), content_type="text/csv")


GOOD = ("371502000000,古楼街道健身广场提升,更新健身器材,资金来源,中央支持,200000,180000\n"
        "371502000000,古楼街道健身广场提升,,资金来源,企业捐助,\"50,000\",5万\n"
        "371502000000,古楼街道健身广场提升,,预算科目,器材,250000,230000\n"
        "茌平区,茌平区全民健身运动会,,资金来源,财政配套,80000,78000.5\n"
        "茌平区,茌平区全民健身运动会,,预算科目,赛事活动,80000,78000.5\n")


def test_the_table_is_imported_and_reimported(world):
    city = world.users["city"]
    report = io.import_table(city, 2026, csv_file(GOOD), dry_run=False)
    assert report.applied and report.counts["new"] == 5
    square = Project.objects.get(title="古楼街道健身广场提升")
    assert square.region == world.county and square.builds == "更新健身器材"
    assert square.amounts.get(kind="source", item="donation").actual == Decimal("50000.00")
    games = Project.objects.get(title="茌平区全民健身运动会")
    assert games.region == world.other_county and games.amounts.get(item="matching").actual == Decimal("78000.50")
    again = io.import_table(city, 2026, csv_file(GOOD.splitlines(keepends=True)[0]), dry_run=False)
    assert again.counts["updated"] == 1
    assert [a.item for a in square.amounts.all()] == ["central"]  # the file's rows are the project's amounts
    assert Project.objects.count() == 2


def test_bad_rows_are_reported_by_line_in_chinese_and_nothing_is_written(world):
    bad = ("371502000000,好项目,,资金来源,中央支持,1000,1000\n"
           "371502000000,负数项目,,资金来源,中央支持,-5,0\n"
           "371502000000,乱来源,,资金来源,彩票大奖,10,10\n"
           "371503000000,邻县项目,,资金来源,中央支持,10,10\n"
           "371502000000,错类别,,收入,中央支持,10,10\n")
    with translation.override("zh-hans"):
        report = io.import_table(world.users["county"], 2026, csv_file(bad), dry_run=False)
    assert not report.applied
    errors = {r.line: " ".join(r.errors) for r in report.rejected}
    assert sorted(errors) == [3, 4, 5, 6]
    assert "不能为负数" in errors[3]
    assert "不是清单中的资金来源" in errors[4]
    assert "管辖范围" in errors[5]
    assert "既不是资金来源" in errors[6]
    assert not Project.objects.exists() and not Amount.objects.exists()


def test_export_reimports_unchanged(world, project):
    response = io.xlsx_response([project], 2026, None)
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(stdio.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:3] == ["年度", "区划代码", "项目名称"]
    before = {(a.kind, a.item, a.planned, a.actual) for a in project.amounts.all()}
    upload = SimpleUploadedFile("导出.xlsx", data)
    report = io.import_table(world.users["county"], 2026, upload, dry_run=False)
    assert report.applied and report.counts["updated"] == len(before)
    assert {(a.kind, a.item, a.planned, a.actual) for a in project.amounts.all()} == before
    project.refresh_from_db()
    assert project.site == world.site


def test_api_import_refuses_the_whole_file(world, client_for):
    client = client_for("county")
    upload = csv_file("371502000000,项目,,资金来源,中央支持,10,10\n371502000000,项目二,,资金来源,社会赞助,-1,0\n")
    response = client.post("/api/v1/funding/import", {"file": upload, "year": "2026", "dry_run": "false"})
    assert response.status_code == 400 and response.json()["code"] == "import_row_invalid"
    assert not Project.objects.exists()


def test_api_project_and_figures(world, client_for, project):
    services.save_lottery_fund(world.users["city"], {"region": world.county.code, "year": 2026,
                                                     "received": "1000", "fitness": "600"})
    city = client_for("city")
    rows = city.get("/api/v1/funding/figures?year=2026").json()
    assert [r["region"] for r in rows] == [world.city.code, world.county.code, world.other_county.code]
    assert Decimal(rows[0]["actual"]) == Decimal("350000") and Decimal(rows[1]["lottery_share"]) == Decimal("60.0")
    refused = client_for("county").post("/api/v1/funding/projects", {**project_data(world.county, title="超额"),
                                        "amounts": [{"kind": "source", "item": "central", "planned": "-3"}]},
                                        content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "amount_negative"
    over = client_for("county").post("/api/v1/funding/lottery", {"region": world.county.code, "year": 2026,
                                                                 "received": "10", "fitness": "11"},
                                     content_type="application/json")
    assert over.status_code == 400 and over.json()["code"] == "share_over_100"


def test_pages(world, client_for, project):
    county = client_for("county")
    assert project.title in county.get("/staff/funding/?year=2026").content.decode()
    page = county.get("/staff/funding/figures/?year=2026").content.decode()
    assert "东昌府区" in page and "茌平区" not in page
    assert client_for("other_county").get(f"/staff/funding/{project.pk}/").status_code == 404
    assert client_for("township").get("/staff/funding/").status_code == 403
    response = county.post("/staff/funding/new/", {"region": world.county.code, "year": "2026", "title": "新项目",
                                                   "source-central-planned": "100", "line-equipment-planned": "-1"})
    assert response.status_code == 400 and Project.objects.count() == 1
    response = county.post("/staff/funding/new/", {"region": world.county.code, "year": "2026", "title": "新项目",
                                                   "source-central-planned": "100", "line-equipment-planned": "100"})
    assert response.status_code == 302 and Project.objects.count() == 2
