"""The catalogue in and out of Excel: an export imported again changes nothing (the masked phone
keeps the number), a corrected cell updates its item, and a file with a bad row writes nothing."""

import io

import openpyxl

from quanmin.accounts.models import AuditEntry
from quanmin.heritage import io as hio
from quanmin.heritage.models import Item
from tests import sheets


def _upload(rows):
    return sheets.upload("items.xlsx", hio.HEADERS, rows)


def _exported(client) -> list[list]:
    response = client.get("/staff/heritage/items/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_export_then_import_round_trips(world, client_for, holder, item):
    client = client_for("county")
    rows = _exported(client)
    assert rows[0][:3] == ["聊城体育博物馆", "LC-0001", "第一届市运会金牌"] and rows[0][6] == "138****5678"
    assert AuditEntry.objects.filter(action="list_personal", detail__what="heritage items").exists()
    user = world.users["county"]
    report = hio.import_items(user, _upload(rows), dry_run=False)
    assert report.counts["unchanged"] == 1 and report.applied
    assert Item.objects.get(pk=item.pk).donor_phone == "13812345678"
    rows[0][9] = "三号库房"  # kept at
    new = ["聊城体育博物馆", "LC-0002", "1987年全国农运会火炬", "实物", "1987年", "", "", "2025-06-01", "调拨", "一号展厅",
           "完好", ""]
    report = hio.import_items(user, _upload([rows[0], new]), dry_run=False)
    assert (report.counts["updated"], report.counts["new"]) == (1, 1)
    assert Item.objects.get(pk=item.pk).location == "三号库房"
    assert Item.objects.get(catalogue_no="LC-0002").acquisition == "transfer"


def test_a_bad_row_rejects_the_whole_file(world, holder, item):
    good = ["聊城体育博物馆", "LC-0003", "老照片", "照片", "1960年代", "李明", "13900001111", "2025-01-02", "捐赠", "", "", ""]
    bad = ["别人的博物馆", "LC-0004", "老照片", "照片", "", "", "", "2025-01-02", "购买", "", "", ""]
    report = hio.import_items(world.users["county"], _upload([good, bad]), dry_run=False)
    assert not report.applied and [r.line for r in report.rejected] == [3]
    assert not Item.objects.filter(catalogue_no="LC-0003").exists()
