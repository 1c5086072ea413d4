"""Excel import and export of the equipment register, with real .xlsx files."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.facilities import equipment_io
from quanmin.facilities.errors import EquipmentError
from quanmin.facilities.models import Equipment

ZH = {c.key: c.zh for c in equipment_io.COLUMNS}
EN = {c.key: c.en for c in equipment_io.COLUMNS}


def xlsx(rows, keys, headers=ZH, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append([headers[k] for k in keys])
    for r in rows:
        sheet.append([r.get(k, "") for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data: bytes, user, dry_run=True):
    return equipment_io.import_rows(equipment_io.read_workbook(data), user, dry_run=dry_run)


def new_row(w, **values):
    base = {"kind": "太空漫步机", "facility_id": w.path.pk, "maker": "英派斯", "model": "IMP-1",
            "install_date": "2021-05-01", "status": "正常", "smart": "否", "external_id": "DCF-QC-9001"}
    base.update(values)
    return base


KEYS = ["tag", "external_id", "kind", "facility_id", "maker", "model", "install_date", "status", "smart"]


def export_bytes(user) -> bytes:
    response = equipment_io.xlsx_response(equipment_io.filtered(user, {}))
    return b"".join(response.streaming_content)


def test_export_reimports_unchanged(equipment):
    county = equipment.users["county"]
    data = export_bytes(county)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == equipment_io.headers()
    assert len(rows) == 1 + 3  # only the county's pieces
    tags = {r[0] for r in rows[1:]}
    assert tags == {p.tag for p in equipment.pieces}
    assert "太空漫步机" in {r[2] for r in rows[1:]} and "正常" in {r[14] for r in rows[1:]}
    # every piece carries its type's 8 years, not read in GB 19272 itself: the last column says so
    assert {r[-1] for r in rows[1:]} == {equipment_io.LIFE_UNVERIFIED_ZH}
    report = run(data, county)
    assert report.ok and report.counts == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_dry_run_writes_nothing_then_apply_creates_with_tags(equipment):
    county = equipment.users["county"]
    data = xlsx([new_row(equipment), new_row(equipment, external_id="DCF-QC-9002", kind="horizontal_bar",
                                             install_date=datetime.date(2018, 3, 1))], KEYS)
    before = Equipment.objects.count()
    report = run(data, county)
    assert report.ok and report.counts["new"] == 2 and Equipment.objects.count() == before
    report = run(data, county, dry_run=False)
    assert report.applied and Equipment.objects.count() == before + 2
    made = Equipment.objects.get(external_id="DCF-QC-9002")
    assert made.kind == "horizontal_bar" and made.design_life_years == 8 and len(made.tag) == 8
    assert made.region_id == equipment.path.region_id and made.install_date == datetime.date(2018, 3, 1)
    assert AuditEntry.objects.filter(action="equipment.import").count() == 1
    # The same file again matches by register number: nothing changes.
    again = run(data, county, dry_run=False)
    assert again.counts["unchanged"] == 2 and Equipment.objects.count() == before + 2


def test_updates_by_tag_including_status_and_move(equipment):
    county = equipment.users["county"]
    piece = equipment.pieces[1]
    other_path = __import__("quanmin.facilities.services", fromlist=["x"]).add_facility(
        equipment.site, {"type": "fitness_path", "area_m2": "80", "external_id": "LC-PATH-2"})
    data = xlsx([{"tag": piece.tag.lower(), "facility_number": "LC-PATH-2", "status": "损坏", "maker": "好家庭"}],
                ["tag", "facility_number", "status", "maker"])
    report = run(data, county, dry_run=False)
    assert report.applied and report.counts["updated"] == 1
    piece.refresh_from_db()
    assert (piece.status, piece.maker, piece.facility_id) == ("defective", "好家庭", other_path.pk)
    assert "状态" in report.rows[0].changes or "Status" in report.rows[0].changes


def test_one_bad_row_rejects_the_file_with_reasons_per_row(equipment):
    county = equipment.users["county"]
    rows = [
        new_row(equipment),  # good
        new_row(equipment, external_id="A2", kind="火箭"),  # unknown type
        new_row(equipment, external_id="A3", facility_id=equipment.other_path.pk),  # other county
        new_row(equipment, external_id="A4", install_date="2099-01-01"),  # future
        new_row(equipment, external_id="A5", facility_id=""),  # no facility
        new_row(equipment, external_id="DCF-QC-9001"),  # same number as line 2
        {"tag": "ZZZZ9999", "maker": "x"},  # unknown tag
        new_row(equipment, external_id="A8", status="坏了"),
        new_row(equipment, external_id="A9", install_date="明年"),
    ]
    before = Equipment.objects.count()
    report = run(xlsx(rows, KEYS), county, dry_run=False)
    assert not report.applied and Equipment.objects.count() == before
    rejected = {r.line: r.errors[0]["code"] for r in report.rejected}
    assert rejected == {3: "equipment_type_unknown", 4: "region_outside_scope", 5: "install_date_future",
                        6: "facility_required", 7: "duplicate_number", 8: "tag_unknown", 9: "status_invalid",
                        10: "install_date_invalid"}
    assert all(e["column"] and e["message"] for r in report.rejected for e in r.errors)


def test_other_county_tag_is_unknown_to_me(equipment):
    data = xlsx([{"tag": equipment.other_pieces[0].tag, "maker": "x"}], ["tag", "maker"])
    report = run(data, equipment.users["county"])
    assert report.rejected[0].errors[0]["code"] == "tag_unknown"


def test_removed_piece_cannot_be_changed_by_import(equipment):
    from quanmin.facilities import equipment_services

    piece = equipment_services.set_status(equipment.pieces[0], "removed", reason="报废")
    data = xlsx([{"tag": piece.tag, "maker": "新厂家"}], ["tag", "maker"])
    assert run(data, equipment.users["county"]).rejected[0].errors[0]["code"] == "equipment_removed"


def test_english_headers_title_row_and_csv(equipment):
    county = equipment.users["county"]
    data = xlsx([new_row(equipment)], KEYS, headers=EN, title="东昌府区健身器材台账")
    assert run(data, county).counts["new"] == 1
    csv_text = f"器材类型,场地系统ID,安装日期\n椭圆机,{equipment.path.pk},2020/6/1\n"
    for encoding in ("utf-8-sig", "gb18030"):
        report = run(csv_text.encode(encoding), county)
        assert report.ok and report.counts["new"] == 1


@pytest.mark.parametrize("data,code", [
    (b"", "file_empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls"),
    (b"PK\x03\x04garbage", "file_unreadable"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "file_unreadable"),
    ("名字,年龄\n张三,3\n".encode(), "import_header_missing"),
])
def test_unreadable_files_give_a_clear_error(equipment, data, code):
    with pytest.raises(EquipmentError) as err:
        run(data, equipment.users["county"])
    assert err.value.code == code


def test_headers_only_is_empty(equipment):
    with pytest.raises(EquipmentError) as err:
        run(xlsx([], KEYS), equipment.users["county"])
    assert err.value.code == "import_empty"


def test_supervisor_may_not_import(equipment):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(xlsx([new_row(equipment)], KEYS), equipment.users["supervisor"])


def test_template_has_every_column_and_lists(equipment):
    response = equipment_io.template_response()
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book["器材"][1]] == equipment_io.headers()
    assert book["器材"].data_validations.dataValidation
    assert "填写说明" in book.sheetnames


def test_filters(equipment):
    county = equipment.users["county"]
    assert equipment_io.filtered(county, {"kind": "horizontal_bar"}).count() == 1
    assert equipment_io.filtered(county, {"region": "371503"}).count() == 0
    assert equipment_io.filtered(county, {"region": "bad"}).count() == 0
    assert equipment_io.filtered(county, {"facility": "abc"}).count() == 0
    assert equipment_io.filtered(county, {"due": "1"}).count() == 1
    assert equipment_io.filtered(equipment.users["city"], {}).count() == 6


def test_export_with_register_numbers_reimports_unchanged(equipment):
    """Issue 15, item 8: pieces with register numbers, exported and imported back unchanged, were all
    rejected as external_id_taken (the match compared two loaded objects by identity)."""
    county = equipment.users["county"]
    for n, piece in enumerate(equipment.pieces):
        Equipment.objects.filter(pk=piece.pk).update(external_id=f"DCF-QC-{n:04d}")
    report = run(export_bytes(county), county, dry_run=False)
    assert report.ok and report.counts == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "rejected": 0}
