"""The equipment register's staff pages (/staff/equipment/) through Django's test client: the list and
its filters (bad ones answer 200 with nothing found, never 500), paging, one piece, the create and
edit forms with bad input (a clear error, status 400, nothing changes), status changes (a reason is
needed unless the piece goes back into service; removed is final), Excel import with real .xlsx files
(dry run, apply, a rejected row rejects the file and every rejected row is reported with its line, in
English and in Chinese), the export (opens with openpyxl, scoped, re-imports unchanged) and the
printable QR tag sheet (one tag per piece, each holding the public report address /r/e/<tag>/).
Scoping: another county's staff get 404 and change nothing, a resident 403, strangers sign in."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.core.qr import qr_svg
from quanmin.facilities import equipment_io, equipment_services
from quanmin.facilities import services as fs
from quanmin.facilities.models import Equipment

from .test_equipment_io import KEYS, new_row, xlsx

BASE = "/staff/equipment"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff(user=None, lang="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response) -> list[str]:
    assert response.status_code == 302, response.status_code
    return messages_of(client.get(response["Location"]))


def listed_tags(response) -> set[str]:
    """The tag codes of the list's rows (each row links its tag to the piece)."""
    assert response.status_code == 200, response.status_code
    return set(re.findall(r'/staff/equipment/\d+/"><strong>([A-Z0-9]+)</strong>', text(response)))


def snapshot(piece: Equipment) -> dict:
    piece = Equipment.objects.get(pk=piece.pk)
    return {f.attname: getattr(piece, f.attname) for f in Equipment._meta.concrete_fields}


def form_data(piece: Equipment, **over) -> dict:
    data = {"facility": piece.facility_id, "kind": piece.kind, "maker": piece.maker, "model": piece.model,
            "serial": piece.serial, "install_date": piece.install_date.isoformat() if piece.install_date else "",
            "design_life_years": piece.design_life_years, "external_id": piece.external_id, "note": piece.note}
    if piece.smart:
        data["smart"] = "on"
    data.update(over)
    return data


def upload(data: bytes, name="器材台账.xlsx", **fields) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=XLSX), **fields}


# --- the list ----------------------------------------------------------------------------------------------

def test_list_shows_each_county_its_own_pieces(equipment):
    mine, theirs = {p.tag for p in equipment.pieces}, {p.tag for p in equipment.other_pieces}
    assert listed_tags(staff(equipment.users["county"]).get(f"{BASE}/")) == mine
    assert listed_tags(staff(equipment.users["community"]).get(f"{BASE}/")) == mine
    assert listed_tags(staff(equipment.users["other_county"]).get(f"{BASE}/")) == theirs
    assert listed_tags(staff(equipment.users["city"]).get(f"{BASE}/")) == mine | theirs
    assert listed_tags(staff(equipment.users["supervisor"]).get(f"{BASE}/")) == mine | theirs


def test_list_buttons_follow_the_role(equipment):
    html = text(staff(equipment.users["county"]).get(f"{BASE}/"))
    assert f'href="{BASE}/new/"' in html and f'href="{BASE}/import/"' in html
    html = text(staff(equipment.users["supervisor"]).get(f"{BASE}/"))
    assert f'href="{BASE}/new/"' not in html and f'href="{BASE}/import/"' not in html
    assert f"{BASE}/export.xlsx" in html


def test_list_is_refused_to_residents_and_strangers_sign_in(equipment):
    assert staff(equipment.users["resident"]).get(f"{BASE}/").status_code == 403
    r = staff().get(f"{BASE}/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_list_filters(equipment):
    county = staff(equipment.users["county"])
    walker, twister, bar = equipment.pieces
    equipment_services.update_equipment(twister, {"external_id": "DCF-QC-0042"})
    equipment_services.set_status(twister, "defective", reason="扭盘卡滞")
    assert listed_tags(county.get(f"{BASE}/?kind=horizontal_bar")) == {bar.tag}
    assert listed_tags(county.get(f"{BASE}/?status=defective")) == {twister.tag}
    assert listed_tags(county.get(f"{BASE}/?q=舒华")) == {walker.tag}
    assert listed_tags(county.get(f"{BASE}/?q={walker.tag.lower()}")) == {walker.tag}
    assert listed_tags(county.get(f"{BASE}/?q=qc-0042")) == {twister.tag}
    # Installed 2015 with 8 years of design life: past it; the 2019 pieces are not.
    assert listed_tags(county.get(f"{BASE}/?due=1")) == {bar.tag}
    assert listed_tags(county.get(f"{BASE}/?region={equipment.community.code}")) == {walker.tag, twister.tag, bar.tag}
    assert listed_tags(county.get(f"{BASE}/?facility={equipment.path.pk}&kind=air_walker")) == {walker.tag}
    # Removed pieces are left out unless asked for.
    equipment_services.set_status(bar, "removed", reason="超过设计使用年限，已拆除")
    assert bar.tag not in listed_tags(county.get(f"{BASE}/"))
    assert listed_tags(county.get(f"{BASE}/?status=removed")) == {bar.tag}


def test_list_facility_filter_shows_the_facility_and_its_tag_sheet(equipment):
    html = text(staff(equipment.users["county"]).get(f"{BASE}/?facility={equipment.path.pk}"))
    assert equipment.site.name in html
    assert f"{BASE}/facility/{equipment.path.pk}/tags/" in html
    assert f"{BASE}/new/?facility={equipment.path.pk}" in html


def test_list_does_not_show_another_countys_facility(equipment):
    """Naming the neighbour's facility shows nothing of it: no heading, no pieces, no tag sheet."""
    r = staff(equipment.users["county"]).get(f"{BASE}/?facility={equipment.other_path.pk}")
    assert listed_tags(r) == set()
    html = text(r)
    assert equipment.other_site.name not in html and "/tags/" not in html
    assert "No equipment matches." in html


@pytest.mark.parametrize("query", [
    "region=abc", "region=371503", "region=" + "9" * 40, "facility=abc", "facility=" + "9" * 30, "site=-1",
    "kind=rocket", "status=broken", "page=999", "page=abc", "q=" + "x" * 500, "q=%00", "due=maybe",
])
def test_bad_list_filters_find_nothing_or_ignore_the_filter_never_500(equipment, query):
    r = staff(equipment.users["county"]).get(f"{BASE}/?{query}")
    if query == "q=%00":  # the input layer refuses a NUL byte before any view (core/middleware.py)
        assert r.status_code == 400
        return
    assert r.status_code == 200
    assert listed_tags(r) <= {p.tag for p in equipment.pieces}


def test_list_pages_by_50_and_keeps_the_filters(equipment, django_assert_max_num_queries):
    for n in range(52):
        equipment_services.create_equipment(facility=equipment.path, kind="stepper", serial=f"S{n:03}")
    client = staff(equipment.users["county"])
    client.get(f"{BASE}/")  # warm the session
    with django_assert_max_num_queries(12):  # one page of 50 rows: no query per row
        first = client.get(f"{BASE}/?kind=stepper")
    assert len(listed_tags(first)) == 50
    assert "kind=stepper&amp;page=2" in text(first) or "kind=stepper&page=2" in text(first)
    second = client.get(f"{BASE}/?kind=stepper&page=2")
    assert len(listed_tags(second)) == 2 and not listed_tags(first) & listed_tags(second)


# --- one piece ---------------------------------------------------------------------------------------------

def test_detail_shows_the_piece_its_design_life_and_public_address(equipment):
    bar = equipment.pieces[2]
    html = text(staff(equipment.users["county"]).get(f"{BASE}/{bar.pk}/"))
    assert bar.tag in html and "Horizontal bar" in html
    assert "2023-04-01" in html and "past design life" in html  # 2015-04-01 + 8 years
    assert f"http://testserver/r/e/{bar.tag}/" in html
    assert f"{BASE}/{bar.pk}/edit/" in html and f"{BASE}/{bar.pk}/status/" in html
    assert f"{BASE}/{bar.pk}/tag/" in html


def test_detail_for_read_only_roles_has_no_edit_or_status(equipment):
    piece = equipment.pieces[0]
    r = staff(equipment.users["supervisor"]).get(f"{BASE}/{piece.pk}/")
    assert r.status_code == 200 and piece.tag in text(r)
    assert f"{BASE}/{piece.pk}/edit/" not in text(r) and f"{BASE}/{piece.pk}/status/" not in text(r)


def test_detail_of_another_countys_piece_is_404(equipment):
    piece = equipment.other_pieces[0]
    assert staff(equipment.users["county"]).get(f"{BASE}/{piece.pk}/").status_code == 404
    assert staff(equipment.users["community"]).get(f"{BASE}/{piece.pk}/").status_code == 404
    assert staff(equipment.users["county"]).get(f"{BASE}/99999999/").status_code == 404
    assert staff(equipment.users["resident"]).get(f"{BASE}/{piece.pk}/").status_code == 403


def test_removed_piece_shows_no_edit_or_status(equipment):
    piece = equipment_services.set_status(equipment.pieces[0], "removed", reason="报废")
    html = text(staff(equipment.users["county"]).get(f"{BASE}/{piece.pk}/"))
    assert "Removed" in html and f"{BASE}/{piece.pk}/edit/" not in html and f"{BASE}/{piece.pk}/status/" not in html


# --- create ------------------------------------------------------------------------------------------------

def test_create_from_the_form(equipment):
    client = staff(equipment.users["community"])
    assert client.get(f"{BASE}/new/?facility={equipment.path.pk}").status_code == 200
    r = client.post(f"{BASE}/new/", {"facility": equipment.path.pk, "kind": "elliptical", "maker": "英派斯",
                                     "install_date": "2022-03-15", "design_life_years": "", "external_id": "DCF-9"})
    piece = Equipment.objects.get(external_id="DCF-9")
    assert r.status_code == 302 and r["Location"] == f"{BASE}/{piece.pk}/"
    assert (piece.kind, piece.design_life_years, piece.install_date) == ("elliptical", 8, datetime.date(2022, 3, 15))
    assert (piece.region_id, piece.site_id, piece.status) == (equipment.path.region_id, equipment.site.pk, "in_service")
    assert AuditEntry.objects.filter(action="equipment.create", target_id=str(piece.pk)).exists()
    assert "Saved." in follow_messages(client, r)


def test_create_form_offers_only_facilities_i_may_change(equipment):
    html = text(staff(equipment.users["county"]).get(f"{BASE}/new/"))
    assert f'<option value="{equipment.path.pk}">' in html
    assert f'<option value="{equipment.other_path.pk}">' not in html


def _future():
    return (timezone.localdate() + datetime.timedelta(days=2)).isoformat()


@pytest.mark.parametrize("over,message", [
    ({"kind": "rocket"}, "Select a valid choice."),
    ({"kind": ""}, "This field is required."),
    ({"facility": ""}, "This field is required."),
    ({"facility": "abc"}, "Enter a whole number."),
    ({"facility": "99999999"}, "Unknown facility, or outside the divisions you may change."),
    ({"facility": "9" * 40}, "Ensure this value is less than or equal to"),
    ({"install_date": "2021-13-45"}, "Enter a valid date."),
    ({"install_date": "FUTURE"}, "The install date lies in the future."),
    ({"install_date": "1900-01-01"}, "Write the install date as 2021-05-01."),
    ({"design_life_years": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"design_life_years": "51"}, "Ensure this value is less than or equal to 50."),
    ({"design_life_years": "8.5"}, "Enter a whole number."),
    ({"maker": "厂" * 121}, "Ensure this value has at most 120 characters (it has 121)."),
    ({"note": "x" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
    ({"maker": "舒华\x00体育"}, "Null characters are not allowed."),
    ({"external_id": "TAKEN-1"}, "Another piece already has this register number."),
])
def test_create_refuses_bad_input_and_writes_nothing(equipment, over, message):
    equipment_services.update_equipment(equipment.pieces[0], {"external_id": "TAKEN-1"})
    if over.get("install_date") == "FUTURE":
        over = {"install_date": _future()}
    before, audits = Equipment.objects.count(), AuditEntry.objects.count()
    data = {"facility": equipment.path.pk, "kind": "elliptical", "maker": "英派斯", "install_date": "2022-03-15"}
    data.update(over)
    r = staff(equipment.users["county"]).post(f"{BASE}/new/", data)
    assert r.status_code == 400
    assert message in text(r).replace("&#x27;", "'")
    assert Equipment.objects.count() == before and AuditEntry.objects.count() == audits


def test_create_on_another_countys_facility_is_refused(equipment):
    before = Equipment.objects.count()
    r = staff(equipment.users["county"]).post(f"{BASE}/new/", {"facility": equipment.other_path.pk, "kind": "stepper"})
    assert r.status_code == 400 and "Unknown facility, or outside the divisions you may change." in text(r)
    assert Equipment.objects.count() == before


def test_create_is_for_writers_only(equipment):
    data = {"facility": equipment.path.pk, "kind": "stepper"}
    before = Equipment.objects.count()
    assert staff(equipment.users["supervisor"]).post(f"{BASE}/new/", data).status_code == 403
    assert staff(equipment.users["resident"]).post(f"{BASE}/new/", data).status_code == 403
    r = staff().post(f"{BASE}/new/", data)
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Equipment.objects.count() == before


# --- edit --------------------------------------------------------------------------------------------------

def test_edit_changes_and_moves_the_piece(equipment):
    piece = equipment.pieces[0]
    court = fs.add_facility(equipment.site, {"type": "fitness_path", "area_m2": "60"})
    client = staff(equipment.users["county"])
    page = text(client.get(f"{BASE}/{piece.pk}/edit/"))
    assert 'value="舒华体育"' in page and 'value="2019-05-01"' in page
    r = client.post(f"{BASE}/{piece.pk}/edit/", form_data(piece, facility=court.pk, model="SH-G5202", note="移位"))
    assert r.status_code == 302
    piece.refresh_from_db()
    assert (piece.facility_id, piece.model, piece.note) == (court.pk, "SH-G5202", "移位")
    entry = AuditEntry.objects.get(action="equipment.update", target_id=str(piece.pk))
    assert sorted(entry.detail["fields"]) == ["facility", "model", "note"]


def test_edit_without_changes_writes_no_audit_entry(equipment):
    piece = equipment.pieces[0]
    r = staff(equipment.users["county"]).post(f"{BASE}/{piece.pk}/edit/", form_data(piece))
    assert r.status_code == 302 and not AuditEntry.objects.filter(action="equipment.update").exists()


@pytest.mark.parametrize("over,message", [
    ({"design_life_years": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"install_date": "FUTURE"}, "The install date lies in the future."),
    ({"install_date": "yesterday"}, "Enter a valid date."),
    ({"kind": "rocket"}, "Select a valid choice."),
    ({"facility": "OTHER"}, "Unknown facility, or outside the divisions you may change."),
    ({"external_id": "TAKEN-2"}, "Another piece already has this register number."),
    ({"serial": "s" * 61}, "Ensure this value has at most 60 characters (it has 61)."),
])
def test_edit_refuses_bad_input_and_changes_nothing(equipment, over, message):
    piece, other = equipment.pieces[0], equipment.pieces[1]
    equipment_services.update_equipment(other, {"external_id": "TAKEN-2"})
    if over.get("install_date") == "FUTURE":
        over = {"install_date": _future()}
    if over.get("facility") == "OTHER":
        over = {"facility": equipment.other_path.pk}
    before, audits = snapshot(piece), AuditEntry.objects.count()
    # A good change beside the bad one is not saved either.
    r = staff(equipment.users["county"]).post(f"{BASE}/{piece.pk}/edit/", form_data(piece, maker="新厂家", **over))
    assert r.status_code == 400 and message in text(r).replace("&#x27;", "'")
    assert snapshot(piece) == before and AuditEntry.objects.count() == audits


def test_edit_of_another_countys_piece_is_404_and_changes_nothing(equipment):
    piece = equipment.other_pieces[0]
    client = staff(equipment.users["county"])
    before = snapshot(piece)
    assert client.get(f"{BASE}/{piece.pk}/edit/").status_code == 404
    assert client.post(f"{BASE}/{piece.pk}/edit/", form_data(piece, facility=equipment.path.pk)).status_code == 404
    assert snapshot(piece) == before
    supervisor = staff(equipment.users["supervisor"])
    assert supervisor.post(f"{BASE}/{equipment.pieces[0].pk}/edit/", form_data(equipment.pieces[0], note="x")).status_code == 403


def test_removed_piece_cannot_be_edited(equipment):
    piece = equipment_services.set_status(equipment.pieces[0], "removed", reason="报废")
    client = staff(equipment.users["county"])
    before = snapshot(piece)
    r = client.post(f"{BASE}/{piece.pk}/edit/", form_data(piece, maker="新厂家"))
    assert "This piece has been removed from the register." in follow_messages(client, r)
    assert snapshot(piece) == before


# --- status ------------------------------------------------------------------------------------------------

def status(client, piece, **data):
    return client.post(f"{BASE}/{piece.pk}/status/", data)


def test_out_of_service_needs_a_reason(equipment):
    piece = equipment.pieces[0]
    client = staff(equipment.users["county"])
    r = status(client, piece, status="out_of_service", reason="  ")
    assert "Give a reason." in follow_messages(client, r)
    piece.refresh_from_db()
    assert piece.status == "in_service" and not AuditEntry.objects.filter(action="equipment.status").exists()
    r = status(client, piece, status="out_of_service", reason="底座松动，已围挡")
    assert "Status changed." in follow_messages(client, r)
    piece.refresh_from_db()
    assert piece.status == "out_of_service"
    entry = AuditEntry.objects.get(action="equipment.status")
    assert entry.detail == {"from": "in_service", "to": "out_of_service", "reason": "底座松动，已围挡"}
    # Back into service needs no reason.
    r = status(client, piece, status="in_service")
    assert "Status changed." in follow_messages(client, r)
    piece.refresh_from_db()
    assert piece.status == "in_service"


def test_the_reason_message_is_in_chinese_for_chinese_readers(equipment):
    client = staff(equipment.users["county"], lang="zh-hans")
    r = status(client, equipment.pieces[0], status="defective", reason="")
    assert "请填写原因。" in follow_messages(client, r)


@pytest.mark.parametrize("data,message", [
    ({"status": "broken", "reason": "x"}, "Choose one of the listed values."),
    ({"reason": "x"}, "Choose one of the listed values."),
    ({"status": "defective", "reason": "理" * 201}, "at most 200 characters"),
])
def test_bad_status_changes_nothing(equipment, data, message):
    piece = equipment.pieces[0]
    client = staff(equipment.users["county"])
    before = snapshot(piece)
    shown = follow_messages(client, status(client, piece, **data))
    assert any(message in m for m in shown), shown
    assert snapshot(piece) == before


def test_removed_is_final(equipment):
    piece = equipment.pieces[0]
    client = staff(equipment.users["county"])
    status(client, piece, status="removed", reason="整体更换")
    r = status(client, piece, status="in_service")
    assert "This piece has been removed from the register." in follow_messages(client, r)
    piece.refresh_from_db()
    assert piece.status == "removed"


def test_status_is_post_only_and_scoped(equipment):
    mine, theirs = equipment.pieces[0], equipment.other_pieces[0]
    county = staff(equipment.users["county"])
    assert county.get(f"{BASE}/{mine.pk}/status/").status_code == 405
    assert status(county, theirs, status="defective", reason="x").status_code == 404
    assert status(staff(equipment.users["supervisor"]), mine, status="defective", reason="x").status_code == 403
    for piece in (mine, theirs):
        piece.refresh_from_db()
        assert piece.status == "in_service"


# --- Excel import ------------------------------------------------------------------------------------------

def rejected(html: str) -> dict[int, list[tuple[str, str]]]:
    """Rejected rows of the import report: line → [(column, message)]."""
    tables = [t for t in re.findall(r"<table.*?</table>", html, re.S) if "rowspan=" in t]
    assert len(tables) == 1, "no table of rejected rows"
    out, line = {}, None
    for row in re.findall(r"<tr>(.*?)</tr>", tables[0], re.S):
        head = re.search(r'<td class="num" rowspan="\d+">(\d+)</td>', row)
        if head:
            line = int(head.group(1))
        if line is not None:  # the header row has none
            out.setdefault(line, []).extend(re.findall(r"<td>([^<]*)</td><td>([^<]*)</td>\s*$", row.strip()))
    return out


def test_import_dry_run_then_apply_by_token(equipment):
    client = staff(equipment.users["county"])
    assert client.get(f"{BASE}/import/").status_code == 200
    data = xlsx([new_row(equipment), new_row(equipment, external_id="DCF-QC-9002", kind="单杠")], KEYS)
    before = Equipment.objects.count()
    r = client.post(f"{BASE}/import/", upload(data))
    assert r.status_code == 200 and Equipment.objects.count() == before
    html = text(r)
    assert "Dry run: nothing was written" in html and "What would change" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    r = client.post(f"{BASE}/import/apply/", {"token": token})
    assert r.status_code == 200 and "Changes made" in text(r)
    assert Equipment.objects.count() == before + 2
    made = Equipment.objects.get(external_id="DCF-QC-9002")
    assert made.kind == "horizontal_bar" and made.tag in text(r)
    assert AuditEntry.objects.filter(action="equipment.import").count() == 1
    # The token is spent: applying again sends the user back to upload.
    again = client.post(f"{BASE}/import/apply/", {"token": token})
    assert "The uploaded file has expired: upload it again." in follow_messages(client, again)
    assert Equipment.objects.count() == before + 2
    # The same file again changes nothing.
    r = client.post(f"{BASE}/import/", upload(data, mode="apply"))
    assert r.status_code == 200 and Equipment.objects.count() == before + 2
    assert AuditEntry.objects.filter(action="equipment.import").count() == 2  # applied, with 2 unchanged rows


def test_import_apply_at_once_updates_by_tag(equipment):
    piece = equipment.pieces[1]
    data = xlsx([{"tag": piece.tag, "status": "损坏", "maker": "好家庭", "install_date": "2019/05/01"}],
                ["tag", "status", "maker", "install_date"])
    r = staff(equipment.users["county"]).post(f"{BASE}/import/", upload(data, mode="apply"))
    assert r.status_code == 200 and "The file was applied." in messages_of(r)
    piece.refresh_from_db()
    assert (piece.status, piece.maker) == ("defective", "好家庭")


def test_a_token_from_another_session_is_worthless(equipment):
    county = staff(equipment.users["county"])
    html = text(county.post(f"{BASE}/import/", upload(xlsx([new_row(equipment)], KEYS))))
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    before = Equipment.objects.count()
    other = staff(equipment.users["county"])  # a second sign-in: another session
    r = other.post(f"{BASE}/import/apply/", {"token": token})
    assert r.status_code == 302 and Equipment.objects.count() == before
    assert staff(equipment.users["supervisor"]).post(f"{BASE}/import/apply/", {"token": token}).status_code == 403
    assert Equipment.objects.count() == before


def bad_file(w) -> bytes:
    return xlsx([
        new_row(w),                                                    # line 2: good
        new_row(w, external_id="B3", kind="火箭"),                      # line 3: unknown type
        new_row(w, external_id="B4", install_date="2099-01-01"),       # line 4: future
        new_row(w, external_id="B5", facility_id=w.other_path.pk),     # line 5: the neighbour's facility
        new_row(w, external_id="B6"),                                  # line 6: good
    ], KEYS)


def test_import_reports_every_rejected_row_by_line_and_writes_nothing(equipment):
    before, audits = Equipment.objects.count(), AuditEntry.objects.count()
    r = staff(equipment.users["county"]).post(f"{BASE}/import/", upload(bad_file(equipment), mode="apply"))
    assert r.status_code == 400
    html = text(r)
    assert "Rows rejected: 3. Nothing was applied." in html and 'name="token"' not in html
    rows = rejected(html)
    assert rows == {
        3: [("Equipment type", "Unknown equipment type.")],
        4: [("Install date", "The install date lies in the future.")],
        5: [("Facility system ID", f"{equipment.other_path.region_id} is outside the divisions you may change.")],
    }
    assert Equipment.objects.count() == before and AuditEntry.objects.count() == audits


def test_import_report_is_in_chinese_for_chinese_readers(equipment):
    before = Equipment.objects.count()
    r = staff(equipment.users["county"], lang="zh-hans").post(f"{BASE}/import/", upload(bad_file(equipment)))
    assert r.status_code == 400
    html = text(r)
    assert "被拒绝 3 行，未导入任何数据。" in html
    rows = rejected(html)
    assert sorted(rows) == [3, 4, 5]
    assert [c for c, _m in rows[3]] == ["器材类型"] and [c for c, _m in rows[4]] == ["安装日期"]
    assert rows[5] == [("场地系统ID", f"{equipment.other_path.region_id} 不在您可以修改的区划范围内。")]
    assert Equipment.objects.count() == before


@pytest.mark.parametrize("data,name,message", [
    (b"", "empty.xlsx", "The file is empty."),
    (b"PK\x03\x04not really a zip", "broken.xlsx", "This is not an Excel (.xlsx) or CSV file, or the file is damaged."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "Old Excel files (.xls) cannot be read"),
    ("姓名,电话\n张三,13800000000\n".encode(), "people.csv", "The first row must hold the column headers"),
])
def test_unreadable_files_get_a_clear_error(equipment, data, name, message):
    before = Equipment.objects.count()
    r = staff(equipment.users["county"]).post(f"{BASE}/import/", upload(data, name=name, mode="apply"))
    assert r.status_code == 400 and message in text(r).replace("&#x27;", "'")
    assert Equipment.objects.count() == before


def test_import_of_a_file_too_large_is_413(equipment):
    data = b"a" * (equipment_io.MAX_BYTES + 1)
    r = staff(equipment.users["county"]).post(f"{BASE}/import/", upload(data, name="big.csv", mode="apply"))
    assert r.status_code == 413 and "The file is larger than 20 MB: split it into several files." in text(r)


def test_import_without_a_file(equipment):
    r = staff(equipment.users["county"]).post(f"{BASE}/import/", {"mode": "apply"})
    assert r.status_code == 400 and "Choose a file to upload." in text(r)
    r = staff(equipment.users["county"], lang="zh-hans").post(f"{BASE}/import/", {"mode": "apply"})
    assert r.status_code == 400 and "请选择要上传的文件。" in text(r)


def test_import_is_for_writers_only(equipment):
    data = xlsx([new_row(equipment)], KEYS)
    before = Equipment.objects.count()
    assert staff(equipment.users["supervisor"]).get(f"{BASE}/import/").status_code == 403
    assert staff(equipment.users["supervisor"]).post(f"{BASE}/import/", upload(data, mode="apply")).status_code == 403
    assert staff(equipment.users["resident"]).post(f"{BASE}/import/", upload(data, mode="apply")).status_code == 403
    assert Equipment.objects.count() == before


def test_import_template_downloads_and_opens(equipment):
    r = staff(equipment.users["county"]).get(f"{BASE}/import/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert [c.value for c in book["器材"][1]] == equipment_io.headers()


# --- export ------------------------------------------------------------------------------------------------

def exported(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_export_opens_in_openpyxl_and_is_scoped(equipment):
    rows = exported(staff(equipment.users["county"]).get(f"{BASE}/export.xlsx"))
    assert list(rows[0]) == equipment_io.headers()
    assert {r[0] for r in rows[1:]} == {p.tag for p in equipment.pieces}
    rows = exported(staff(equipment.users["other_county"]).get(f"{BASE}/export.xlsx"))
    assert {r[0] for r in rows[1:]} == {p.tag for p in equipment.other_pieces}
    rows = exported(staff(equipment.users["supervisor"]).get(f"{BASE}/export.xlsx"))
    assert len(rows) == 1 + 6


def test_export_takes_the_list_filters(equipment):
    walker, _twister, bar = equipment.pieces
    rows = exported(staff(equipment.users["county"]).get(f"{BASE}/export.xlsx?kind=horizontal_bar"))
    assert [r[0] for r in rows[1:]] == [bar.tag]
    row = dict(zip(equipment_io.headers(), rows[1]))
    assert row["器材类型"] == "单杠" and row["设计使用年限（年）"] == 8 and row["状态"] == "正常"
    assert str(row["到期更新日期"])[:10] == "2023-04-01"
    rows = exported(staff(equipment.users["county"]).get(f"{BASE}/export.xlsx?q=舒华"))
    assert [r[0] for r in rows[1:]] == [walker.tag]
    rows = exported(staff(equipment.users["county"]).get(f"{BASE}/export.xlsx?region=bad"))
    assert rows[1:] == []


def test_export_reimports_through_the_page_unchanged(equipment):
    client = staff(equipment.users["county"])
    data = b"".join(client.get(f"{BASE}/export.xlsx").streaming_content)
    r = client.post(f"{BASE}/import/", upload(data))
    assert r.status_code == 200 and "The file matches the register: nothing would change." in text(r)


# --- QR tags -----------------------------------------------------------------------------------------------

def qr_paths(html: str) -> list[str]:
    return re.findall(r'<svg class="qr"[^>]*>.*?<path d="([^"]+)"', html, re.S)


def expected_path(url: str) -> str:
    return qr_paths(str(qr_svg(url)))[0]


def test_facility_tag_sheet_has_one_tag_per_piece_each_with_its_report_address(equipment):
    removed = equipment_services.set_status(equipment.pieces[2], "removed", reason="报废")
    r = staff(equipment.users["county"]).get(f"{BASE}/facility/{equipment.path.pk}/tags/")
    assert r.status_code == 200
    html = text(r)
    live = equipment.pieces[:2]
    assert html.count('class="qr-tag"') == len(live)
    assert removed.tag not in html
    urls = [f"http://testserver/r/e/{p.tag}/" for p in live]
    # Each tag's QR code holds the piece's public report address (the same modules as encoding it
    # afresh), and the address and the tag code are printed beside it for those who cannot scan.
    assert qr_paths(html) == [expected_path(u) for u in urls]
    for piece, url in zip(live, urls):
        assert f'aria-label="{piece.tag}"' in html and url in html
    assert "12345" in html  # the hotline


def test_tag_sheet_uses_the_public_address_setting(equipment, settings):
    settings.QUANMIN_PUBLIC_URL = "https://tiyu.liaocheng.example.cn/"
    piece = equipment.pieces[0]
    html = text(staff(equipment.users["county"]).get(f"{BASE}/{piece.pk}/tag/"))
    url = f"https://tiyu.liaocheng.example.cn/r/e/{piece.tag}/"
    assert html.count('class="qr-tag"') == 1 and qr_paths(html) == [expected_path(url)]


def test_the_address_on_the_tag_opens_the_residents_report_page(equipment):
    piece = equipment.pieces[0]
    html = text(staff(equipment.users["county"]).get(f"{BASE}/{piece.pk}/tag/"))
    path = re.search(r"http://testserver(/r/e/[A-Z0-9]+/)", html).group(1)
    assert path == equipment_services.public_report_path(piece.tag)
    assert Client().get(path).status_code == 200


def test_tag_sheets_are_scoped(equipment):
    county = staff(equipment.users["county"])
    assert county.get(f"{BASE}/facility/{equipment.other_path.pk}/tags/").status_code == 404
    assert county.get(f"{BASE}/{equipment.other_pieces[0].pk}/tag/").status_code == 404
    assert staff(equipment.users["supervisor"]).get(f"{BASE}/facility/{equipment.path.pk}/tags/").status_code == 200
    assert staff(equipment.users["resident"]).get(f"{BASE}/{equipment.pieces[0].pk}/tag/").status_code == 403


def test_empty_facility_sheet_says_so(equipment):
    court = fs.add_facility(equipment.site, {"type": "fitness_path", "area_m2": "30"})
    r = staff(equipment.users["county"]).get(f"{BASE}/facility/{court.pk}/tags/")
    assert r.status_code == 200 and 'class="qr-tag"' not in text(r) and "No equipment here." in text(r)
