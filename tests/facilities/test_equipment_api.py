"""The equipment register's API under /api/v1/equipment, every route: the public types list, the
staff list (scoped, filtered, paged), one piece, create, change, status, the QR tag as SVG, Excel
export, the import template and the import (dry run, apply, a rejected row rejects the file with
every row's line and reason). Who may do what: a stranger gets 401, a resident 403, a supervisor
reads but changes nothing (403), another county's staff 404. Bad input answers a JSON error with a
code (400, 404, 409, 413, 422), never a 500, and changes nothing."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.core.qr import qr_svg
from quanmin.facilities import equipment_io, equipment_services, equipment_types
from quanmin.facilities import services as fs
from quanmin.facilities.models import Equipment

from .test_equipment_io import KEYS, new_row, xlsx

BASE = "/api/v1/equipment"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api(user=None, lang="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def patch(client, path, body):
    return client.patch(f"{BASE}{path}", body, content_type="application/json")


def error(response, status, code):
    assert response.status_code == status, (response.status_code, response.content[:400])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"], body
    return body


def tags(response) -> set[str]:
    assert response.status_code == 200, response.content[:400]
    return {p["tag"] for p in response.json()["items"]}


def snapshot(piece) -> dict:
    piece = Equipment.objects.get(pk=piece.pk)
    return {f.attname: getattr(piece, f.attname) for f in Equipment._meta.concrete_fields}


def future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=3)).isoformat()


# --- types -------------------------------------------------------------------------------------------------

def test_types_are_public_with_their_design_life(world):
    r = api(lang="en").get(f"{BASE}/types")
    assert r.status_code == 200
    body = r.json()
    assert [t["code"] for t in body] == list(equipment_types.TYPES)
    walker = next(t for t in body if t["code"] == "air_walker")
    assert walker == {"code": "air_walker", "name": "Air walker", "name_zh": "太空漫步机", "group": "moving",
                      "design_life_years": 8, "design_life_verified": False,
                      "design_life_source": "GB 19272-2011 as secondary sources report it; the clause is not verified"}
    zh = api(lang="zh-hans").get(f"{BASE}/types").json()
    assert next(t for t in zh if t["code"] == "air_walker")["name"] == "太空漫步机"
    assert all(t["design_life_years"] >= 8 for t in body)  # GB 19272 (see data/README.md)


# --- list --------------------------------------------------------------------------------------------------

def test_list_needs_staff(equipment):
    error(api().get(BASE), 401, "not_authenticated")
    error(api(equipment.users["resident"]).get(BASE), 403, "forbidden")


def test_list_is_scoped(equipment):
    mine, theirs = {p.tag for p in equipment.pieces}, {p.tag for p in equipment.other_pieces}
    assert tags(api(equipment.users["county"]).get(BASE)) == mine
    assert tags(api(equipment.users["community"]).get(BASE)) == mine
    assert tags(api(equipment.users["other_county"]).get(BASE)) == theirs
    assert tags(api(equipment.users["city"]).get(BASE)) == mine | theirs
    assert tags(api(equipment.users["supervisor"]).get(BASE)) == mine | theirs


def test_list_items_carry_design_life_and_the_report_path(equipment):
    bar = equipment.pieces[2]
    items = {p["tag"]: p for p in api(equipment.users["county"]).get(BASE).json()["items"]}
    item = items[bar.tag]
    assert item["id"] == bar.pk and item["kind"] == "horizontal_bar" and item["kind_name"] == "Horizontal bar"
    assert item["install_date"] == "2015-04-01" and item["design_life_years"] == 8
    assert item["replace_due"] == "2023-04-01" and item["past_design_life"] is True
    assert item["report_path"] == f"/r/e/{bar.tag}/"
    assert item["region_code"] == equipment.community.code and item["site_name"] == equipment.site.name
    assert items[equipment.pieces[0].tag]["past_design_life"] is False


def test_list_filters(equipment):
    client = api(equipment.users["county"])
    walker, twister, bar = equipment.pieces
    equipment_services.set_status(twister, "defective", reason="扭盘卡滞")
    assert tags(client.get(f"{BASE}?kind=horizontal_bar")) == {bar.tag}
    assert tags(client.get(f"{BASE}?status=defective")) == {twister.tag}
    assert tags(client.get(f"{BASE}?q=舒华")) == {walker.tag}
    assert tags(client.get(f"{BASE}?q={walker.tag.lower()}")) == {walker.tag}
    assert tags(client.get(f"{BASE}?due=true")) == {bar.tag}
    assert tags(client.get(f"{BASE}?facility={equipment.path.pk}&kind=air_walker")) == {walker.tag}
    assert tags(client.get(f"{BASE}?site={equipment.site.pk}")) == {walker.tag, twister.tag, bar.tag}
    assert tags(client.get(f"{BASE}?region={equipment.county.code}")) == {walker.tag, twister.tag, bar.tag}
    assert tags(client.get(f"{BASE}?region={equipment.other_county.code}")) == set()
    assert tags(client.get(f"{BASE}?region=bad")) == set()
    assert tags(client.get(f"{BASE}?facility={equipment.other_path.pk}")) == set()
    equipment_services.set_status(bar, "removed", reason="拆除")
    assert bar.tag not in tags(client.get(BASE))
    assert bar.tag in tags(client.get(f"{BASE}?removed=true"))
    assert tags(client.get(f"{BASE}?status=removed")) == {bar.tag}


@pytest.mark.parametrize("query", [
    "facility=abc", "facility=0", f"facility={2**60}", "site=-3", "q=" + "x" * 61, "kind=" + "k" * 33,
    "due=maybe", "limit=0", "limit=-1", "offset=-1", "limit=abc",
])
def test_bad_list_parameters_are_422(equipment, query):
    body = error(api(equipment.users["county"]).get(f"{BASE}?{query}"), 422, "invalid_input")
    assert body["errors"] and body["errors"][0]["field"]


def test_list_pages_with_limit_and_offset(equipment):
    for n in range(7):
        equipment_services.create_equipment(facility=equipment.path, kind="stepper", serial=f"S{n}")
    client = api(equipment.users["county"])
    first = client.get(f"{BASE}?kind=stepper&limit=5").json()
    second = client.get(f"{BASE}?kind=stepper&limit=5&offset=5").json()
    assert first["count"] == second["count"] == 7
    assert len(first["items"]) == 5 and len(second["items"]) == 2
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 7
    assert client.get(f"{BASE}?kind=stepper&offset=100").json() == {"items": [], "count": 7}


def test_list_limit_is_capped(equipment):
    from quanmin.core.api import MAX_PAGE as MAX_LIMIT

    extra = []
    for n in range(MAX_LIMIT + 2):
        piece = Equipment(kind="stepper", design_life_years=8, tag=f"BULK{n:05}")
        equipment_services.place(piece, equipment.path)
        extra.append(piece)
    Equipment.objects.bulk_create(extra)
    assert api(equipment.users["county"]).get(f"{BASE}?limit=100000000").status_code == 422  # one rule: no clamp
    r = api(equipment.users["county"]).get(f"{BASE}?limit={MAX_LIMIT}")
    assert r.status_code == 200 and r.json()["count"] == MAX_LIMIT + 5 and len(r.json()["items"]) == MAX_LIMIT
    r = api(equipment.users["county"]).get(f"{BASE}?offset={MAX_LIMIT}&limit={MAX_LIMIT}")
    assert len(r.json()["items"]) == 5


@pytest.mark.parametrize("query", [f"offset={10**20}", f"limit={10**20}", "q=%00", "q=a%00b"])
def test_extreme_list_parameters_never_500(equipment, query):
    r = api(equipment.users["county"]).get(f"{BASE}?{query}")
    assert r.status_code in (200, 400, 404, 422), r.status_code  # 400: a NUL byte (core.middleware)
    if r.status_code == 200:
        assert tags(r) <= {p.tag for p in equipment.pieces}


# --- one piece ---------------------------------------------------------------------------------------------

def test_get_one_piece(equipment):
    piece = equipment.pieces[0]
    r = api(equipment.users["county"]).get(f"{BASE}/{piece.pk}")
    assert r.status_code == 200 and r.json()["tag"] == piece.tag and r.json()["maker"] == "舒华体育"
    assert api(equipment.users["supervisor"]).get(f"{BASE}/{piece.pk}").status_code == 200


@pytest.mark.parametrize("who,status,code", [
    (None, 401, "not_authenticated"), ("resident", 403, "forbidden"), ("other_county", 404, "not_found"),
])
def test_get_one_piece_refused(equipment, who, status, code):
    client = api(equipment.users[who] if who else None)
    error(client.get(f"{BASE}/{equipment.pieces[0].pk}"), status, code)


@pytest.mark.parametrize("pk", ["0", "99999999", str(2**53 + 1), str(10**30)])
def test_unknown_ids_are_404(equipment, pk):
    error(api(equipment.users["city"]).get(f"{BASE}/{pk}"), 404, "not_found")
    error(patch(api(equipment.users["city"]), f"/{pk}", {"note": "x"}), 404, "not_found")


# --- create ------------------------------------------------------------------------------------------------

def test_create_takes_the_types_design_life(equipment):
    r = post(api(equipment.users["community"]), "", {"facility_id": equipment.path.pk, "kind": "椭圆机",
                                                      "install_date": "2022-03-15", "external_id": "DCF-API-1"})
    assert r.status_code == 201, r.content
    body = r.json()
    piece = Equipment.objects.get(pk=body["id"])
    assert (body["kind"], body["design_life_years"], body["replace_due"]) == ("elliptical", 8, "2030-03-15")
    assert body["tag"] == piece.tag and body["report_path"] == f"/r/e/{piece.tag}/"
    assert piece.region_id == equipment.path.region_id and piece.status == "in_service"
    assert AuditEntry.objects.filter(action="equipment.create", target_id=str(piece.pk)).exists()


def test_create_with_its_own_design_life_and_smart_type(equipment):
    r = post(api(equipment.users["county"]), "", {"facility_id": equipment.path.pk, "kind": "smart_bike",
                                                   "design_life_years": 10})
    assert r.status_code == 201 and r.json()["design_life_years"] == 10 and r.json()["smart"] is True


@pytest.mark.parametrize("over,status,code,field", [
    ({"kind": "rocket"}, 400, "equipment_type_unknown", "kind"),
    ({"install_date": "FUTURE"}, 400, "install_date_future", "install_date"),
    ({"install_date": "1900-01-01"}, 400, "install_date_invalid", "install_date"),
    ({"design_life_years": 0}, 400, "design_life_invalid", "design_life_years"),
    ({"design_life_years": 51}, 400, "design_life_invalid", "design_life_years"),
    ({"design_life_years": 10**12}, 400, "design_life_invalid", "design_life_years"),
    ({"external_id": "TAKEN-1"}, 409, "external_id_taken", "external_id"),
    ({"facility_id": "OTHER"}, 404, "facility_unknown", "facility_id"),
    ({"facility_id": 99999999}, 404, "facility_unknown", "facility_id"),
    ({"maker": "厂\x00家"}, 400, "bad_request", "maker"),  # the shared input layer (issue 15)
])
def test_create_refuses_bad_values_and_writes_nothing(equipment, over, status, code, field):
    equipment_services.update_equipment(equipment.pieces[0], {"external_id": "TAKEN-1"})
    body = {"facility_id": equipment.path.pk, "kind": "air_walker"}
    body.update(over)
    if body.get("install_date") == "FUTURE":
        body["install_date"] = future()
    if body["facility_id"] == "OTHER":
        body["facility_id"] = equipment.other_path.pk
    before, audits = Equipment.objects.count(), AuditEntry.objects.count()
    out = error(post(api(equipment.users["county"]), "", body), status, code)
    assert out["field"] == field
    assert Equipment.objects.count() == before and AuditEntry.objects.count() == audits


@pytest.mark.parametrize("body", [
    {"kind": "air_walker"},                                     # no facility
    {"facility_id": 1},                                         # no type
    {"facility_id": "abc", "kind": "air_walker"},
    {"facility_id": 0, "kind": "air_walker"},
    {"facility_id": 2**60, "kind": "air_walker"},
    {"facility_id": 1, "kind": "air_walker", "maker": "x" * 121},
    {"facility_id": 1, "kind": "air_walker", "install_date": "2021-13-45"},
    {"facility_id": 1, "kind": "air_walker", "design_life_years": "eight"},
    {"facility_id": 1, "kind": "air_walker", "smart": "perhaps"},
    [],
])
def test_create_with_a_malformed_body_is_422(equipment, body):
    before = Equipment.objects.count()
    error(post(api(equipment.users["county"]), "", body), 422, "invalid_input")
    assert Equipment.objects.count() == before


@pytest.mark.parametrize("raw", [b"{not json", b"not an object", b"\xff\xfe", b""])
def test_create_with_broken_json_never_500(equipment, raw):
    before = Equipment.objects.count()
    r = api(equipment.users["county"]).post(BASE, raw, content_type="application/json")
    assert r.status_code in (400, 422) and r.json()["code"] and r.json()["message"]
    assert Equipment.objects.count() == before


def test_create_is_for_writers(equipment):
    body = {"facility_id": equipment.path.pk, "kind": "air_walker"}
    before = Equipment.objects.count()
    error(post(api(), "", body), 401, "not_authenticated")
    error(post(api(equipment.users["resident"]), "", body), 403, "forbidden")
    error(post(api(equipment.users["supervisor"]), "", body), 403, "forbidden")
    assert Equipment.objects.count() == before


def test_errors_come_in_the_callers_language(equipment):
    piece = equipment.pieces[0]
    out = error(post(api(equipment.users["county"], lang="zh-hans"), f"/{piece.pk}/status",
                     {"status": "defective"}), 400, "reason_required")
    assert out["message"] == "请填写原因。"
    out = error(post(api(equipment.users["county"], lang="en"), f"/{piece.pk}/status",
                     {"status": "defective"}), 400, "reason_required")
    assert out["message"] == "Give a reason."


# --- change ------------------------------------------------------------------------------------------------

def test_patch_changes_only_what_is_given(equipment):
    piece = equipment.pieces[0]
    r = patch(api(equipment.users["county"]), f"/{piece.pk}", {"model": "SH-G5202", "serial": None})
    assert r.status_code == 200 and r.json()["model"] == "SH-G5202" and r.json()["maker"] == "舒华体育"
    entry = AuditEntry.objects.get(action="equipment.update", target_id=str(piece.pk))
    assert entry.detail["fields"] == ["model"]
    # Nulls: text fields clear, the type and design life stay, the install date clears.
    r = patch(api(equipment.users["county"]), f"/{piece.pk}",
              {"maker": None, "kind": None, "design_life_years": None, "install_date": None})
    assert r.status_code == 200
    body = r.json()
    assert (body["maker"], body["kind"], body["design_life_years"], body["install_date"]) == ("", "air_walker", 8, None)
    assert body["replace_due"] is None and body["past_design_life"] is False


def test_patch_moves_the_piece_with_its_facility(equipment):
    piece = equipment.pieces[0]
    court = fs.add_facility(equipment.site, {"type": "fitness_path", "area_m2": "60"})
    r = patch(api(equipment.users["county"]), f"/{piece.pk}", {"facility_id": court.pk})
    assert r.status_code == 200 and r.json()["facility_id"] == court.pk
    piece.refresh_from_db()
    assert piece.facility_id == court.pk and piece.site_id == court.site_id


def test_city_staff_may_move_a_piece_across_counties(equipment):
    piece = equipment.pieces[0]
    r = patch(api(equipment.users["city"]), f"/{piece.pk}", {"facility_id": equipment.other_path.pk})
    assert r.status_code == 200 and r.json()["region_code"] == equipment.other_path.region_id


@pytest.mark.parametrize("body,status,code", [
    ({"facility_id": "OTHER"}, 404, "facility_unknown"),
    ({"kind": "rocket"}, 400, "equipment_type_unknown"),
    ({"design_life_years": 0}, 400, "design_life_invalid"),
    ({"install_date": "FUTURE"}, 400, "install_date_future"),
    ({"external_id": "TAKEN-2"}, 409, "external_id_taken"),
    ({"note": "备注\x00"}, 400, "bad_request"),  # the shared input layer (issue 15)
    ({"maker": "x" * 121}, 422, "invalid_input"),
    ({"install_date": "someday"}, 422, "invalid_input"),
    ({"facility_id": 0}, 422, "invalid_input"),
])
def test_patch_refuses_bad_values_and_changes_nothing(equipment, body, status, code):
    piece = equipment.pieces[0]
    equipment_services.update_equipment(equipment.pieces[1], {"external_id": "TAKEN-2"})
    if body.get("facility_id") == "OTHER":
        body = {"facility_id": equipment.other_path.pk}
    if body.get("install_date") == "FUTURE":
        body = {"install_date": future()}
    before, audits = snapshot(piece), AuditEntry.objects.count()
    # A good change beside the bad one is not saved either.
    error(patch(api(equipment.users["county"]), f"/{piece.pk}", {"model": "NEW", **body}), status, code)
    assert snapshot(piece) == before and AuditEntry.objects.count() == audits


def test_patch_is_scoped(equipment):
    mine, theirs = equipment.pieces[0], equipment.other_pieces[0]
    before = snapshot(theirs), snapshot(mine)
    error(patch(api(equipment.users["county"]), f"/{theirs.pk}", {"note": "x"}), 404, "not_found")
    error(patch(api(equipment.users["supervisor"]), f"/{mine.pk}", {"note": "x"}), 403, "forbidden")
    error(patch(api(equipment.users["resident"]), f"/{mine.pk}", {"note": "x"}), 403, "forbidden")
    error(patch(api(), f"/{mine.pk}", {"note": "x"}), 401, "not_authenticated")
    assert (snapshot(theirs), snapshot(mine)) == before


def test_removed_piece_cannot_be_patched(equipment):
    piece = equipment_services.set_status(equipment.pieces[0], "removed", reason="报废")
    error(patch(api(equipment.users["county"]), f"/{piece.pk}", {"note": "x"}), 409, "equipment_removed")


# --- status ------------------------------------------------------------------------------------------------

def test_status_needs_a_reason_except_back_into_service(equipment):
    piece = equipment.pieces[0]
    client = api(equipment.users["county"])
    out = error(post(client, f"/{piece.pk}/status", {"status": "out_of_service", "reason": "   "}), 400,
                "reason_required")
    assert out["field"] == "reason"
    piece.refresh_from_db()
    assert piece.status == "in_service"
    r = post(client, f"/{piece.pk}/status", {"status": "out_of_service", "reason": "底座松动"})
    assert r.status_code == 200 and r.json()["status"] == "out_of_service"
    r = post(client, f"/{piece.pk}/status", {"status": "in_service"})
    assert r.status_code == 200 and r.json()["status"] == "in_service"
    assert AuditEntry.objects.filter(action="equipment.status", target_id=str(piece.pk)).count() == 2


@pytest.mark.parametrize("body", [{"status": "broken", "reason": "x"}, {"reason": "x"},
                                  {"status": "defective", "reason": "x" * 201}, {"status": None}])
def test_bad_status_body_is_422(equipment, body):
    piece = equipment.pieces[0]
    error(post(api(equipment.users["county"]), f"/{piece.pk}/status", body), 422, "invalid_input")
    piece.refresh_from_db()
    assert piece.status == "in_service"


def test_removed_is_final(equipment):
    piece = equipment.pieces[0]
    client = api(equipment.users["county"])
    assert post(client, f"/{piece.pk}/status", {"status": "removed", "reason": "报废"}).status_code == 200
    error(post(client, f"/{piece.pk}/status", {"status": "in_service"}), 409, "equipment_removed")


def test_status_is_scoped(equipment):
    mine, theirs = equipment.pieces[0], equipment.other_pieces[0]
    body = {"status": "defective", "reason": "x"}
    error(post(api(equipment.users["county"]), f"/{theirs.pk}/status", body), 404, "not_found")
    error(post(api(equipment.users["supervisor"]), f"/{mine.pk}/status", body), 403, "forbidden")
    error(post(api(), f"/{mine.pk}/status", body), 401, "not_authenticated")
    assert {p.status for p in Equipment.objects.filter(pk__in=[mine.pk, theirs.pk])} == {"in_service"}


# --- QR tag ------------------------------------------------------------------------------------------------

def test_tag_svg_holds_the_public_report_address(equipment):
    piece = equipment.pieces[0]
    r = api(equipment.users["supervisor"]).get(f"{BASE}/{piece.pk}/tag.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    expected = re.search(r'<path d="([^"]+)"', str(qr_svg(f"http://testserver/r/e/{piece.tag}/"))).group(1)
    assert path == expected


def test_tag_svg_is_scoped(equipment):
    error(api(equipment.users["county"]).get(f"{BASE}/{equipment.other_pieces[0].pk}/tag.svg"), 404, "not_found")
    error(api(equipment.users["resident"]).get(f"{BASE}/{equipment.pieces[0].pk}/tag.svg"), 403, "forbidden")
    error(api().get(f"{BASE}/{equipment.pieces[0].pk}/tag.svg"), 401, "not_authenticated")


# --- Excel -------------------------------------------------------------------------------------------------

def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


def test_export_opens_and_is_scoped_and_filtered(equipment):
    rows = sheet_rows(api(equipment.users["county"]).get(f"{BASE}/export.xlsx"))
    assert list(rows[0]) == equipment_io.headers() and {r[0] for r in rows[1:]} == {p.tag for p in equipment.pieces}
    rows = sheet_rows(api(equipment.users["supervisor"]).get(f"{BASE}/export.xlsx?due=true"))
    assert {r[0] for r in rows[1:]} == {equipment.pieces[2].tag, equipment.other_pieces[2].tag}
    error(api(equipment.users["county"]).get(f"{BASE}/export.xlsx?facility=abc"), 422, "invalid_input")
    error(api(equipment.users["resident"]).get(f"{BASE}/export.xlsx"), 403, "forbidden")
    error(api().get(f"{BASE}/export.xlsx"), 401, "not_authenticated")


def test_import_template(equipment):
    rows = sheet_rows(api(equipment.users["community"]).get(f"{BASE}/import-template.xlsx"))
    assert list(rows[0]) == equipment_io.headers()
    error(api(equipment.users["supervisor"]).get(f"{BASE}/import-template.xlsx"), 403, "forbidden")


def named(data: bytes, name: str):
    f = io.BytesIO(data)
    f.name = name
    return f


def test_import_is_a_dry_run_unless_told(equipment):
    client = api(equipment.users["county"])
    data = xlsx([new_row(equipment), new_row(equipment, external_id="DCF-QC-9002", kind="单杠")], KEYS)
    before = Equipment.objects.count()
    r = client.post(f"{BASE}/import", {"file": named(data, "a.xlsx")})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["dry_run"] is True and body["applied"] is False and body["counts"]["new"] == 2
    assert Equipment.objects.count() == before
    r = client.post(f"{BASE}/import", {"file": named(data, "a.xlsx"), "dry_run": "false"})
    body = r.json()
    assert r.status_code == 200 and body["applied"] is True
    assert Equipment.objects.count() == before + 2
    made = {row["tag"] for row in body["rows"]}
    assert made == set(Equipment.objects.filter(external_id__in=["DCF-QC-9001", "DCF-QC-9002"])
                       .values_list("tag", flat=True))
    # Again: nothing changes, and unchanged rows are left out of the rows.
    again = client.post(f"{BASE}/import", {"file": named(data, "a.xlsx"), "dry_run": "false"}).json()
    assert again["counts"]["unchanged"] == 2 and again["rows"] == [] and Equipment.objects.count() == before + 2


def test_import_with_rejected_rows_applies_nothing_and_lists_every_row(equipment):
    data = xlsx([
        new_row(equipment),
        new_row(equipment, external_id="C3", kind="火箭"),
        new_row(equipment, external_id="C4", install_date="2099-01-01"),
        new_row(equipment, external_id="C5", facility_id=equipment.other_path.pk),
    ], KEYS)
    before, audits = Equipment.objects.count(), AuditEntry.objects.count()
    body = error(api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "b.xlsx"),
                                                                        "dry_run": "false"}),
                 400, "import_row_invalid")
    assert body["message"] == "3 rows were rejected; nothing was applied."
    assert [(e["line"], e["code"], e["column"]) for e in body["errors"]] == [
        (3, "equipment_type_unknown", "Equipment type"), (4, "install_date_future", "Install date"),
        (5, "region_outside_scope", "Facility system ID")]
    assert body["report"]["counts"]["rejected"] == 3 and body["report"]["applied"] is False
    assert Equipment.objects.count() == before and AuditEntry.objects.count() == audits
    # In Chinese: the message and the column names.
    body = error(api(equipment.users["county"], lang="zh-hans").post(
        f"{BASE}/import", {"file": named(data, "b.xlsx"), "dry_run": "false"}), 400, "import_row_invalid")
    assert body["message"] == "3 行被拒绝，未导入任何数据。"
    assert [e["column"] for e in body["errors"]] == ["器材类型", "安装日期", "场地系统ID"]


def test_dry_run_with_rejected_rows_is_200_with_the_report(equipment):
    data = xlsx([new_row(equipment, kind="火箭")], KEYS)
    body = api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "c.xlsx")}).json()
    assert body["counts"]["rejected"] == 1 and body["rows"][0]["line"] == 2
    assert body["rows"][0]["errors"][0]["code"] == "equipment_type_unknown"


@pytest.mark.parametrize("data,status,code", [
    (b"", 400, "file_empty"),
    (b"PK\x03\x04garbage", 400, "file_unreadable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, 400, "file_xls"),
    ("姓名,电话\n张三,13800000000\n".encode(), 400, "import_header_missing"),
    ("器材类型,场地系统ID\n".encode(), 400, "import_empty"),
])
def test_unreadable_imports(equipment, data, status, code):
    before = Equipment.objects.count()
    error(api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "x.xlsx"), "dry_run": "false"}),
          status, code)
    assert Equipment.objects.count() == before


def test_import_too_large_is_413(equipment):
    data = b"a" * (equipment_io.MAX_BYTES + 1)
    error(api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "big.csv")}), 413,
          "file_too_large")


def test_import_without_a_file(equipment):
    error(api(equipment.users["county"]).post(f"{BASE}/import", {"dry_run": "false"}), 400, "file_required")
    error(post(api(equipment.users["county"]), "/import", {"dry_run": False}), 400, "file_required")


def test_import_bad_dry_run_flag_is_422(equipment):
    data = xlsx([new_row(equipment)], KEYS)
    before = Equipment.objects.count()
    error(api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "d.xlsx"), "dry_run": "maybe"}),
          422, "invalid_input")
    assert Equipment.objects.count() == before


def test_import_is_for_writers(equipment):
    data = xlsx([new_row(equipment)], KEYS)
    before = Equipment.objects.count()
    error(api(equipment.users["supervisor"]).post(f"{BASE}/import", {"file": named(data, "e.xlsx"),
                                                                     "dry_run": "false"}), 403, "forbidden")
    error(api(equipment.users["resident"]).post(f"{BASE}/import", {"file": named(data, "e.xlsx")}), 403, "forbidden")
    error(api().post(f"{BASE}/import", {"file": named(data, "e.xlsx")}), 401, "not_authenticated")
    assert Equipment.objects.count() == before


def test_import_cannot_touch_another_countys_pieces(equipment):
    theirs = equipment.other_pieces[0]
    data = xlsx([{"tag": theirs.tag, "maker": "改了"}], ["tag", "maker"])
    body = error(api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "f.xlsx"),
                                                                        "dry_run": "false"}),
                 400, "import_row_invalid")
    assert body["errors"][0]["code"] == "tag_unknown"
    assert Equipment.objects.get(pk=theirs.pk).maker == theirs.maker


def test_import_cells_with_nul_characters_never_500(equipment):
    """NUL bytes cannot reach PostgreSQL text parameters: a cell holding one is cleaned or refused.
    The reader looks for control characters in the first 4 KB only, so the bad rows come last."""
    head = "二维码编号,器材编号,器材类型,场地编号,场地系统ID,生产厂家\n"
    good = "".join(f",DCF-{n:05},太空漫步机,,{equipment.path.pk},厂家\n" for n in range(200))
    bad = ("AB\x00CD,,太空漫步机,,,厂家\n"
           ",N\x001,太空漫步机,LC\x00X,,厂\x00家\n")
    data = (head + good + bad).encode()
    assert len(head + good) > 4096
    r = api(equipment.users["county"]).post(f"{BASE}/import", {"file": named(data, "g.csv")})
    assert r.status_code == 200, r.content[:300]
    body = r.json()
    assert body["counts"]["rows"] == 202 and body["counts"]["new"] == 200 and body["counts"]["rejected"] == 2


# --- bearer tokens -----------------------------------------------------------------------------------------

def test_a_bearer_token_works_like_a_session(equipment):
    from quanmin.accounts import services as accounts

    _token, secret = accounts.create_api_token(equipment.users["county"], "台账同步")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert tags(client.get(BASE)) == {p.tag for p in equipment.pieces}
    r = client.patch(f"{BASE}/{equipment.pieces[0].pk}", {"note": "外部系统同步"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["note"] == "外部系统同步"
    error(Client(HTTP_AUTHORIZATION="Bearer qm_nonsense").get(BASE), 401, "not_authenticated")
