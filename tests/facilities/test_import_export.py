"""Excel/CSV import and export of the facilities register, with real .xlsx files (openpyxl)."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.facilities import io_read
from quanmin.facilities.errors import FacilityError
from quanmin.facilities.io_import import COLUMNS, import_rows, read_workbook
from quanmin.facilities.models import Facility, Site

ZH = {c.key: c.zh for c in COLUMNS}
EN = {c.key: c.en for c in COLUMNS}
KEYS = [c.key for c in COLUMNS if c.key != "id"]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Files kept between a dry run and its apply go to the test's own directory."""
    settings.QUANMIN_IMPORT_DIR = str(tmp_path / "uploads")


def row(**values) -> dict:
    """A valid row in 古楼街道's 东关社区 (inside the county staff's scope), by column key."""
    base = {"external_id": "", "name": "1号篮球场", "type": "篮球场", "site_name": "古楼体育公园",
            "address": "古楼街8号", "region": "371502001001", "lon": 115.99, "lat": 36.46, "owner_kind": "政府",
            "area_m2": 420, "length_km": "", "indoor": "室外", "lit": "是", "smart": "否", "year_built": 2019,
            "year_refurbished": "", "access": "免费", "manager": "古楼街道办事处", "contact_phone": "0635-8888888",
            "status": "开放"}
    base.update(values)
    return base


def make_xlsx(tmp_path, rows, keys=KEYS, headers=ZH, name="register.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append([headers[k] for k in keys])
    for r in rows:
        sheet.append([r.get(k, "") for k in keys])
    path = tmp_path / name
    book.save(path)
    return path


def make_csv(rows, encoding="utf-8", keys=KEYS, headers=ZH) -> bytes:
    lines = [",".join(headers[k] for k in keys)]
    lines += [",".join(str(r.get(k, "")) for k in keys) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run(path_or_bytes, user, dry_run=True):
    if isinstance(path_or_bytes, bytes):
        rows = read_workbook(path_or_bytes)
    else:
        with open(path_or_bytes, "rb") as fh:
            rows = read_workbook(fh)
    return import_rows(rows, user, dry_run=dry_run)


def snapshot():
    return (list(Site.objects.order_by("pk").values()), list(Facility.objects.order_by("pk").values()))


GOOD = [
    row(),
    row(name="2号篮球场"),
    row(external_id="LC-0003", name="", type="健身步道", site_name="徒骇河健身步道", address="", lon=116.0, lat=36.47,
        area_m2="", length_km=3.5, indoor="", lit="否"),
    row(name="", type="fitness_path", site_name="东关社区文体广场", address="东关街1号", lon=115.985, lat=36.457,
        owner_kind="government", area_m2=80, manager="", contact_phone=""),
]


# ---------------------------------------------------------------- the template


def test_template_has_the_headers_the_types_and_an_example(world, client_for):
    response = client_for("county").get(reverse("facilities:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data, help_sheet = book.worksheets
    assert [c.value for c in data[1]] == [c.zh for c in COLUMNS]
    values = {c.value for r in help_sheet.iter_rows() for c in r}
    assert {"篮球场", "健身步道", "智能健身驿站"} <= values  # the type table, Chinese names
    assert "LC-0001" in values  # the example row
    # The template itself imports as "no rows" rather than anything strange.
    with pytest.raises(FacilityError) as exc:
        import_rows(read_workbook(b"".join(client_for("county").get(reverse("facilities:import_template")).streaming_content)),
                    world.users["county"])
    assert exc.value.code == "import_empty"


def test_the_templates_example_row_imports(world, tmp_path):
    from quanmin.facilities.io_export import EXAMPLE

    path = make_xlsx(tmp_path, [dict(zip([c.key for c in COLUMNS], EXAMPLE, strict=True))], keys=[c.key for c in COLUMNS])
    report = run(path, world.users["county"])
    assert report.ok, report.rows


# ---------------------------------------------------------------- dry run, apply, idempotence


def test_dry_run_writes_nothing_and_says_what_would_change(world, tmp_path):
    before = snapshot()
    report = run(make_xlsx(tmp_path, GOOD), world.users["county"])
    assert snapshot() == before and not report.applied
    assert report.counts == {"rows": 4, "sites_new": 2, "sites_updated": 0, "facilities_new": 4,
                             "facilities_updated": 0, "unchanged": 0, "rejected": 0}
    assert [r.line for r in report.rows] == [2, 3, 4, 5]
    assert not AuditEntry.objects.filter(action="import").exists()


def test_apply_writes_everything_in_one_audit_entry(world, tmp_path):
    user = world.users["county"]
    report = run(make_xlsx(tmp_path, GOOD), user, dry_run=False)
    assert report.applied and report.ok
    park = Site.objects.get(name="古楼体育公园")
    assert park.region_id == "371502001001" and park.owner_kind == "government" and park.status == "open"
    assert park.manager == "古楼街道办事处"
    courts = list(park.facilities.order_by("name"))
    assert [f.name for f in courts] == ["1号篮球场", "2号篮球场"]
    assert courts[0].area_m2 == Decimal("420.00") and courts[0].lit and not courts[0].indoor
    assert courts[0].access == "free" and courts[0].year_built == 2019
    # Kept in step with the site, as every service write does.
    assert (courts[0].region_id, courts[0].lon, courts[0].lat, courts[0].open) == ("371502001001", 115.99, 36.46, True)
    trail = Facility.objects.get(external_id="LC-0003")
    assert trail.type == "fitness_trail" and trail.length_km == Decimal("3.500")
    # The fourth row lands in the existing site of the world fixture.
    assert world.site.facilities.filter(type="fitness_path").count() == 1
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == user and entry.detail["facilities_new"] == 4 and entry.region_code == "371502001001"


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    path = make_xlsx(tmp_path, GOOD)
    run(path, world.users["county"], dry_run=False)
    before = snapshot()
    report = run(path, world.users["county"], dry_run=False)
    assert report.counts["unchanged"] == 4 and report.counts["facilities_new"] == report.counts["sites_new"] == 0
    assert report.counts["facilities_updated"] == report.counts["sites_updated"] == 0
    assert snapshot() == before  # not even updated_at moved


def test_an_update_names_the_changed_fields(world, tmp_path):
    run(make_xlsx(tmp_path, GOOD), world.users["county"], dry_run=False)
    changed = [row(area_m2=500, lit="否", address="古楼街9号"), row(name="2号篮球场", address="古楼街9号")]
    report = run(make_xlsx(tmp_path, changed, name="b.xlsx"), world.users["county"], dry_run=False)
    first, second = report.rows
    assert first.action == "updated" and set(first.changes) == {"地址", "面积（平方米）", "灯光"}
    assert second.action == "unchanged"  # the site change shows once, on its first line
    assert report.counts["sites_updated"] == 1
    court = Facility.objects.get(name="1号篮球场")
    assert court.area_m2 == 500 and not court.lit and court.site.address == "古楼街9号"


def test_register_number_matches_and_a_site_change_moves_the_facilities(world, tmp_path):
    run(make_xlsx(tmp_path, [row(external_id="N-1")]), world.users["county"], dry_run=False)
    court = Facility.objects.get(external_id="N-1")
    # Renamed in the file: matched by number, not created again.
    report = run(make_xlsx(tmp_path, [row(external_id="N-1", name="中心篮球场")], name="b.xlsx"), world.users["county"],
                 dry_run=False)
    assert report.rows[0].action == "updated" and report.rows[0].changes == ["场地名称"]
    assert Facility.objects.get(external_id="N-1").pk == court.pk
    # Site closed through the file: its facilities are no longer open.
    run(make_xlsx(tmp_path, [row(external_id="N-1", name="中心篮球场", status="关闭")], name="c.xlsx"),
        world.users["county"], dry_run=False)
    assert not Facility.objects.get(pk=court.pk).open


def test_merged_cells_blank_site_fields_inherit_but_contradictions_are_refused(world, tmp_path):
    rows = [row(), row(name="2号篮球场", address="", lon="", lat="", manager="", contact_phone="")]
    report = run(make_xlsx(tmp_path, rows), world.users["county"])
    assert report.ok and report.sites_new == 1
    rows[1].update(address="别处")
    report = run(make_xlsx(tmp_path, rows, name="b.xlsx"), world.users["county"])
    assert report.rows[1].action == "rejected" and "2" in report.rows[1].errors[0]["message"]


# ---------------------------------------------------------------- bad rows


BAD = [
    (row(type="篮排球场"), "type_unknown", "场地类型"),
    (row(area_m2="约四百"), "number_invalid", "面积（平方米）"),
    (row(lon=151.2, lat=-33.9), "coordinates_outside_china", "经度"),
    (row(region="371599999999"), "region_unknown", "区划代码"),
    (row(lit="也许"), "boolean_invalid", "灯光"),
    (row(year_built="去年"), "year_invalid", "建成年份"),
    (row(owner_kind="外星"), "owner_kind_invalid", "产权性质"),
    (row(type="健身步道", length_km=""), "length_required", "长度（公里）"),
    (row(site_name="", name="x"), "name_required", "场馆名称"),
]


@pytest.mark.parametrize("bad,code,column", BAD, ids=[b[1] for b in BAD])
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_applied(world, tmp_path, bad, code, column):
    before = snapshot()
    report = run(make_xlsx(tmp_path, [row(name="好的"), bad, row(name="也好")]), world.users["county"], dry_run=False)
    assert not report.applied and snapshot() == before
    rejected = report.rejected
    assert [r.line for r in rejected] == [3]
    assert rejected[0].errors[0]["code"] == code and rejected[0].errors[0]["column"] == column
    assert rejected[0].errors[0]["message"]


def test_duplicates_in_the_file_are_rejected(world, tmp_path):
    rows = [row(external_id="D-1"), row(external_id="D-1", name="另一个"), row(name="同名"), row(name="同名")]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert [(r.line, r.errors[0]["code"]) for r in report.rejected] == [(3, "duplicate_number"), (5, "duplicate_facility")]
    assert "2" in report.rejected[0].errors[0]["message"] and "4" in report.rejected[1].errors[0]["message"]
    assert not Facility.objects.filter(external_id="D-1").exists()


def test_a_file_of_all_the_bad_rows_reports_every_one(world, tmp_path):
    rows = [bad for bad, _code, _col in BAD]
    report = run(make_xlsx(tmp_path, rows), world.users["county"])
    assert [r.line for r in report.rejected] == list(range(2, 2 + len(BAD)))


def test_a_row_with_several_faults_reports_them_all(world, tmp_path):
    report = run(make_xlsx(tmp_path, [row(type="?", area_m2="abc", lon=0, lat=0)]), world.users["county"])
    assert {e["code"] for e in report.rows[0].errors} == {"type_unknown", "number_invalid", "coordinates_outside_china"}


def test_reasons_are_in_the_users_language(world, tmp_path):
    path = make_xlsx(tmp_path, [row(area_m2="abc")])
    with translation.override("en"):
        error = run(path, world.users["county"]).rows[0].errors[0]
    assert error["column"] == "Area (m²)" and error["message"] == "Area (m²) must be a number."


def test_numbers_that_do_not_fit_and_overlong_text_are_refused(world, tmp_path):
    report = run(make_xlsx(tmp_path, [row(area_m2=1e13), row(name="长" * 121)]), world.users["county"])
    assert [r.errors[0]["code"] for r in report.rows] == ["number_too_large", "text_too_long"]


# ---------------------------------------------------------------- scope


def test_county_staff_cannot_import_the_neighbouring_county(world, tmp_path):
    rows = [row(), row(site_name="新华社区健身广场", region=world.other_community.code, lon=116.255, lat=36.58)]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert not report.applied and [r.line for r in report.rejected] == [3]
    assert report.rejected[0].errors[0]["code"] == "region_outside_scope"
    # The city sees both counties and may import both rows.
    assert run(make_xlsx(tmp_path, rows, name="b.xlsx"), world.users["city"], dry_run=False).applied


def test_a_register_number_from_another_county_is_not_taken_over(world, tmp_path):
    world.other_facility.external_id = "CP-1"
    world.other_facility.save()
    report = run(make_xlsx(tmp_path, [row(external_id="CP-1")]), world.users["county"])
    assert report.rows[0].errors[0]["code"] == "number_taken"


def test_a_system_id_outside_scope_is_unknown(world, tmp_path):
    report = run(make_xlsx(tmp_path, [row(id=world.other_facility.pk)], keys=[*KEYS, "id"]), world.users["county"])
    assert report.rows[0].errors[0]["code"] == "id_unknown"


def test_supervisors_cannot_import(world, client_for, tmp_path):
    with pytest.raises(Exception) as exc:
        run(make_xlsx(tmp_path, [row()]), world.users["supervisor"])
    assert type(exc.value).__name__ == "PermissionDenied"
    assert client_for("supervisor").get(reverse("facilities:import")).status_code == 403
    with open(make_xlsx(tmp_path, [row()], name="b.xlsx"), "rb") as fh:
        assert client_for("supervisor").post("/api/v1/facilities/import", {"file": fh}).status_code == 403


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_excel_writes(world, encoding):
    report = run(make_csv(GOOD, encoding), world.users["county"], dry_run=False)
    assert report.applied and report.counts["facilities_new"] == 4
    assert Site.objects.filter(name="古楼体育公园", manager="古楼街道办事处").exists()


def test_english_headers_and_values_are_accepted(world, tmp_path):
    english = [row(type="Basketball court", owner_kind="Government", indoor="outdoor", lit="yes", smart="no",
                   access="Free", status="Open")]
    report = run(make_xlsx(tmp_path, english, headers=EN), world.users["county"])
    assert report.ok and report.counts["facilities_new"] == 1


def test_only_the_columns_given_are_changed(world, tmp_path):
    world.facility.external_id = "DC-1"
    world.facility.save()
    keys = ["external_id", "type", "site_name", "region", "area_m2"]
    path = make_xlsx(tmp_path, [row(external_id="DC-1", type="篮球场", site_name=world.site.name, area_m2=500)], keys=keys)
    report = run(path, world.users["county"], dry_run=False)
    assert report.rows[0].changes == ["面积（平方米）"]
    world.facility.refresh_from_db()
    world.site.refresh_from_db()
    assert world.facility.area_m2 == 500 and world.site.address == "东关街1号" and world.facility.access == "free"


@pytest.mark.parametrize("content,code", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_unreadable"),
    (b"PK\x03\x04 this is not really a zip", "file_unreadable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "file_xls"),
    ("名称,备注\r\n甲,乙\r\n".encode(), "import_header_missing"),
    (b"", "file_empty"),
])
def test_files_that_are_not_registers_get_a_clear_error(world, content, code):
    with pytest.raises(FacilityError) as exc:
        read_workbook(content)
    assert exc.value.code == code and str(exc.value.message)


def test_a_file_over_the_size_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(io_read, "MAX_BYTES", 100)
    with pytest.raises(FacilityError) as exc:
        read_workbook(make_csv(GOOD))
    assert exc.value.code == "file_too_large" and exc.value.status == 413


def test_a_title_above_the_headers_and_notes_in_brackets_are_understood(world, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["东昌府区体育场地登记表"])
    sheet.append(["填报单位：古楼街道"])
    headers = {**ZH, "lon": "经度（WGS84）", "lat": "纬度\n（WGS-84）"}
    sheet.append([headers[k] for k in KEYS] + ["备注"])
    sheet.append([row().get(k) for k in KEYS] + ["新建"])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    report = run(path, world.users["county"])
    assert report.ok and [r.line for r in report.rows] == [4] and report.ignored_columns == ["备注"]


def test_the_sheet_with_the_headers_is_found_and_blank_rows_skipped(world, tmp_path):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请在第二张表填写"])
    sheet = book.create_sheet("数据")
    sheet.append([ZH[k] for k in KEYS])
    sheet.append([])
    sheet.append([row().get(k) for k in KEYS])
    path = tmp_path / "two.xlsx"
    book.save(path)
    report = run(path, world.users["county"])
    assert [r.line for r in report.rows] == [3]


# ---------------------------------------------------------------- export


def _export(client, fmt, **params):
    response = client.get(reverse("facilities:export"), {"format": fmt, **params})
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_export_then_import_changes_nothing(world, client_for, tmp_path):
    run(make_xlsx(tmp_path, GOOD), world.users["city"], dry_run=False)
    # Two unnamed twins at one site, as staff forms create them: the system ID tells them apart.
    from quanmin.facilities import services

    services.add_facility(world.site, {"type": "table_tennis"})
    services.add_facility(world.site, {"type": "table_tennis"})
    before = snapshot()
    data = _export(client_for("city"), "xlsx")
    report = import_rows(read_workbook(data), world.users["city"], dry_run=False)
    assert report.ok, report.rejected
    assert report.counts["unchanged"] == Facility.objects.count() == 8
    assert snapshot() == before
    # The CSV export re-imports unchanged too.
    report = import_rows(read_workbook(_export(client_for("city"), "csv")), world.users["city"])
    assert report.counts["unchanged"] == 8


def test_csv_export_has_a_bom_and_is_scoped_and_filtered(world, client_for, tmp_path):
    run(make_xlsx(tmp_path, GOOD), world.users["county"], dry_run=False)
    data = _export(client_for("county"), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "东关社区文体广场" in text and "新华社区健身广场" not in text
    only_courts = _export(client_for("county"), "csv", type="basketball").decode("utf-8-sig")
    assert len(only_courts.splitlines()) == 1 + 3 and "健身步道" not in only_courts


def test_xlsx_export_has_the_template_columns(world, client_for):
    book = load_workbook(io.BytesIO(_export(client_for("county"), "xlsx")), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [c.zh for c in COLUMNS]
    assert len(rows) == 2 and rows[1][2] == "篮球场" and rows[1][5] == "371502001001"


def test_public_geojson_for_anyone_and_scoped_for_staff(world, client_for):
    from quanmin.facilities import services

    services.close_site(world.other_site)
    anonymous = client_for(None).get("/api/v1/facilities/export.geojson")
    assert anonymous.status_code == 200 and anonymous["Content-Type"] == "application/geo+json"
    public = json.loads(b"".join(anonymous.streaming_content))
    assert public["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in public["features"]] == [world.facility.pk]  # the closed site is out
    feature = public["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [115.985, 36.457]}
    assert "contact_phone" not in json.dumps(public) and feature["properties"]["type_name"] == "篮球场"
    staff = json.loads(_export(client_for("other_county"), "geojson"))
    assert [f["properties"]["id"] for f in staff["features"]] == [world.other_facility.pk]  # closed, but theirs
    sites = json.loads(b"".join(client_for(None).get("/api/v1/facilities/export.geojson?of=sites").streaming_content))
    assert [f["properties"]["name"] for f in sites["features"]] == [world.site.name]
    assert sites["features"][0]["properties"]["facility_count"] == 1


def test_export_queries_do_not_grow_with_rows(world, client_for, tmp_path, django_assert_max_num_queries):
    run(make_xlsx(tmp_path, GOOD), world.users["county"], dry_run=False)
    client = client_for("county")
    with django_assert_max_num_queries(8):
        _export(client, "csv")


# ---------------------------------------------------------------- pages and API


def test_page_dry_run_then_apply_with_the_kept_file(world, client_for, tmp_path):
    client = client_for("county")
    assert client.get(reverse("facilities:import")).status_code == 200
    with open(make_xlsx(tmp_path, GOOD), "rb") as fh:
        response = client.post(reverse("facilities:import"), {"file": fh, "mode": "dry_run"})
    assert response.status_code == 200 and not Site.objects.filter(name="古楼体育公园").exists()
    token = response.context["token"]
    html = response.content.decode()
    assert "古楼体育公园" in html and token in html
    # Another session cannot use the token.
    assert client_for("city").post(reverse("facilities:import_apply"), {"token": token}).status_code == 302
    assert not Site.objects.filter(name="古楼体育公园").exists()
    response = client.post(reverse("facilities:import_apply"), {"token": token})
    assert response.status_code == 200 and response.context["report"].applied
    assert Facility.objects.filter(site__name="古楼体育公园").count() == 2
    # Used up, and the kept file is gone.
    assert client.post(reverse("facilities:import_apply"), {"token": token}).status_code == 302
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_kept_file_that_was_changed_on_disk_is_not_applied(world, client_for, tmp_path):
    client = client_for("county")
    with open(make_xlsx(tmp_path, GOOD), "rb") as fh:
        token = client.post(reverse("facilities:import"), {"file": fh}).context["token"]
    (tmp_path / "uploads" / f"{token}.upload").write_bytes(make_csv([row(name="偷换的")]))
    assert client.post(reverse("facilities:import_apply"), {"token": token}).status_code == 302
    assert not Facility.objects.filter(name="偷换的").exists()


def test_page_shows_rejected_rows_with_lines_and_applies_nothing(world, client_for, tmp_path):
    with open(make_xlsx(tmp_path, [row(), row(type="篮排球场")]), "rb") as fh:
        response = client_for("county").post(reverse("facilities:import"), {"file": fh, "mode": "apply"})
    html = response.content.decode()
    assert response.status_code == 200 and not response.context["report"].applied and not response.context["token"]
    assert "<td class=\"num\" rowspan=\"1\">3</td>" in html and "<td>场地类型</td>" in html
    assert not Site.objects.filter(name="古楼体育公园").exists()


def test_page_non_excel_upload_is_a_clear_error(world, client_for):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\nabc")
    upload.name = "photo.png"
    response = client_for("county").post(reverse("facilities:import"), {"file": upload})
    assert response.status_code == 400 and "Excel" in response.context["error"]


def test_api_import_dry_run_apply_and_rejection(world, client_for, tmp_path):
    client = client_for("county")
    path = make_xlsx(tmp_path, GOOD)
    with open(path, "rb") as fh:
        body = client.post("/api/v1/facilities/import", {"file": fh}).json()
    assert body["dry_run"] and not body["applied"] and body["counts"]["facilities_new"] == 4
    assert not Site.objects.filter(name="古楼体育公园").exists()
    with open(path, "rb") as fh:
        body = client.post("/api/v1/facilities/import", {"file": fh, "dry_run": "false"}).json()
    assert body["applied"] and Facility.objects.filter(site__name="古楼体育公园").count() == 2
    with open(make_xlsx(tmp_path, [row(name="新"), row(area_m2="x")], name="bad.xlsx"), "rb") as fh:
        response = client.post("/api/v1/facilities/import", {"file": fh, "dry_run": "false"})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "import_row_invalid"
    assert body["errors"] == [{"line": 3, "column": "面积（平方米）", "code": "number_invalid",
                               "message": body["errors"][0]["message"]}]
    assert not Facility.objects.filter(name="新").exists()
    response = client.post("/api/v1/facilities/import", {"file": io.BytesIO(b"%PDF-1.4\x00\x01")})
    assert response.status_code == 400 and response.json()["code"] == "file_unreadable"
    assert client.post("/api/v1/facilities/import").json()["code"] == "file_required"


def test_api_exports(world, client_for):
    client = client_for("county")
    response = client.get("/api/v1/facilities/export.csv?type=basketball")
    assert response.status_code == 200 and "东关社区文体广场" in b"".join(response.streaming_content).decode("utf-8-sig")
    for path in ("/api/v1/facilities/export.xlsx", "/api/v1/facilities/import-template.xlsx"):
        response = client.get(path)
        assert response.status_code == 200, path
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
        assert list(next(sheet.iter_rows(values_only=True))) == [c.zh for c in COLUMNS], path
    assert client_for("resident").get("/api/v1/facilities/export.csv").status_code == 403


# ---------------------------------------------------------------- speed


def test_import_uses_a_few_queries_however_many_rows(world, django_assert_max_num_queries):
    rows = [dict(row(name=f"{n}号篮球场", site_name=f"场馆{n % 7}"), _line=n + 2) for n in range(300)]
    with django_assert_max_num_queries(25):
        report = import_rows(rows, world.users["county"], dry_run=False)
    assert report.applied and report.counts["facilities_new"] == 300
    with django_assert_max_num_queries(14):  # on PostgreSQL two set the key checks (core.bulk.keys_checked_as_written)
        assert import_rows(rows, world.users["county"], dry_run=False).counts["unchanged"] == 300


def test_a_formula_cell_is_refused_not_read_as_empty(world, tmp_path):
    """Issue 15, item 8: a formula in the manager column was read as empty and erased site 3's
    manager while the report said "updated"."""
    run(make_xlsx(tmp_path, [row()]), world.users["county"], dry_run=False)
    before = snapshot()
    path = make_xlsx(tmp_path, [row(manager='=HYPERLINK("http://e.cn","x")')], name="formula.xlsx")
    with pytest.raises(FacilityError) as exc:
        run(path, world.users["county"], dry_run=False)
    assert exc.value.code == "import_formula" and "R2" in str(exc.value.message)
    assert snapshot() == before
