"""Instructors' associations (B09): one per city or county in the register, its members registered
instructors of its division, enrolled one by one or from a sheet; the coverage indicator behind T0-24;
the gap page and the API."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.core import indicators
from quanmin.organizations import credit, instructor_members, instructor_members_io, services
from quanmin.organizations import io as register_io
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import InstructorMember, Organization
from quanmin.people import services as people
from tests import sheets
from tests.people.conftest import active

ASSOCIATION = {"kind": "group_association", "instructor_association": True}


@pytest.fixture
def assoc(world, make_org):
    """The county's association; three active instructors of the county (two in its community, one in
    its township), one of the neighbouring county, and one lapsed in the county."""
    w = world
    w.assoc = make_org("东昌府区社会体育指导员协会", region=w.county, **ASSOCIATION)
    w.wang = active(w, w.community, 401, name="王芳")
    w.zhang = active(w, w.community, 402, name="张伟")
    w.liu = active(w, w.township, 403, name="刘洋")
    w.li = active(w, w.other_community, 404, name="李强", by_role="other_county")
    w.zhao = active(w, w.community, 405, name="赵敏")
    people.set_status(w.zhao, "lapsed", by=w.users["county"], reason="两年未履职")
    return w


def code_of(call) -> str:
    with pytest.raises(OrganizationError) as caught:
        call()
    return caught.value.code


def test_one_association_per_division_in_the_service_and_the_database(world, make_org, assoc):
    w = world
    assert code_of(lambda: make_org("东昌府区指导员协会", region=w.county, **ASSOCIATION)) == \
        "instructor_association_taken"
    # A club, or a township's association, is no city's or county's instructors' association.
    assert code_of(lambda: make_org("东昌府区指导员俱乐部", kind="club", region=w.county,
                                    instructor_association=True)) == "instructor_association_kind"
    assert code_of(lambda: make_org("古楼街道指导员协会", region=w.township,
                                    instructor_association=True, kind="association")) == "instructor_association_level"
    # Marking a second one by a change is refused as well, and nothing is written.
    other = make_org("东昌府区太极拳协会", region=w.county)
    assert code_of(lambda: services.update(other, {"instructor_association": True}, actor=w.users["county"])) == \
        "instructor_association_taken"
    assert Organization.objects.filter(region=w.county, instructor_association=True).count() == 1
    # The database refuses what the service would (a writer that skips the service).
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=other.pk).update(instructor_association=True)
    # The neighbouring county and the city each have one of their own.
    make_org("茌平区社会体育指导员协会", region=w.other_county, **ASSOCIATION)
    make_org("聊城市社会体育指导员协会", region=w.city, **ASSOCIATION)
    assert Organization.objects.filter(instructor_association=True).count() == 3


def test_enrol_by_certificate_or_name_with_clear_refusals(world, assoc):
    w, org = world, world.assoc
    county = w.users["county"]
    member = instructor_members.enrol(org, actor=county, certificate_no="SD-401", name="王芳")
    assert member.instructor == w.wang and member.status == "active"
    assert instructor_members.enrol(org, actor=county, name="刘洋").instructor == w.liu  # a township's, by name
    org.refresh_from_db()
    assert org.member_count == 2
    refusals = {
        "already_member": {"certificate_no": "SD-401"},
        "name_mismatch": {"certificate_no": "SD-402", "name": "王芳"},
        "certificate_unknown": {"certificate_no": "SD-404"},  # the neighbouring county's instructor
        "instructor_unknown": {"name": "李强"},
        "instructor_not_active": {"certificate_no": "SD-405"},
        "instructor_required": {},
    }
    for code, data in refusals.items():
        assert code_of(lambda data=data: instructor_members.enrol(org, actor=county, **data)) == code, code
    assert code_of(lambda: instructor_members.enrol(org, actor=w.users["other_county"], name="张伟")) == "forbidden"
    org.refresh_from_db()
    assert org.member_count == 2 and org.instructor_members.count() == 2
    # Leaving keeps the row and frees the place; the instructor may join again.
    instructor_members.remove(member, actor=county)
    org.refresh_from_db()
    assert org.member_count == 1 and InstructorMember.objects.get(pk=member.pk).left_on is not None
    assert code_of(lambda: instructor_members.remove(member, actor=county)) == "not_member"
    instructor_members.enrol(org, actor=county, certificate_no="SD-401")
    assert org.instructor_members.filter(instructor=w.wang).count() == 2


def test_same_name_twice_in_the_division_asks_for_the_certificate(world, assoc):
    w = world
    active(w, w.township, 406, name="张伟")
    assert code_of(lambda: instructor_members.enrol(w.assoc, actor=w.users["county"], name="张伟")) == \
        "instructor_ambiguous"
    assert instructor_members.enrol(w.assoc, actor=w.users["county"], certificate_no="SD-406",
                                    name="张伟").instructor.region_id == w.township.code


def test_the_association_keeps_its_mark_and_division_while_it_has_members(world, assoc):
    w = world
    instructor_members.enrol(w.assoc, actor=w.users["county"], certificate_no="SD-402")
    for change in ({"instructor_association": False}, {"region": w.other_county.code}):
        assert code_of(lambda change=change: services.update(w.assoc, change, actor=w.users["city"])) == \
            "instructor_association_has_members"
    # An organisation's own staff may not mark it (a legal particular of the register).
    club = Organization.objects.get(pk=w.assoc.pk)
    services.add_staff(club, w.users["resident"], actor=w.users["county"])
    assert code_of(lambda: services.update(club, {"instructor_association": False}, actor=w.users["resident"])) == \
        "field_locked"
    # Its staff enrol members, though.
    assert instructor_members.enrol(club, actor=w.users["resident"], certificate_no="SD-403").instructor == w.liu


def sheet(rows, headers=("姓名", "证书编号")):
    return sheets.upload("members.xlsx", headers, rows)


def test_import_reports_each_bad_row_and_applies_all_or_nothing(world, assoc):
    org, county = world.assoc, world.users["county"]
    bad = sheet([("王芳", "SD-401"), ("张伟", "SD-999"), ("王芳", "SD-401"), ("赵敏", "SD-405"), ("李四", "SD-402")])
    report = instructor_members_io.import_rows(instructor_members_io.read(bad), org, county, dry_run=False)
    assert not report.applied and org.instructor_members.count() == 0
    assert [(r.line, r.action) for r in report.rows] == [(2, "new"), (3, "rejected"), (4, "rejected"),
                                                         (5, "rejected"), (6, "rejected")]
    errors = {r.line: r.errors[0] for r in report.rejected}
    assert errors[3].startswith("证书编号：") and "SD-999" in errors[3]
    assert errors[4] == "证书编号：该指导员已在文件第2行出现。"
    assert "赵敏" in errors[5] and errors[6].startswith("姓名：")
    good = sheet([("王芳", "SD-401"), ("", "SD-402"), ("刘洋", None)])
    assert instructor_members_io.import_rows(instructor_members_io.read(good), org, county, dry_run=True).ok
    assert org.instructor_members.count() == 0  # a dry run writes nothing
    good = sheet([("王芳", "SD-401"), ("", "SD-402"), ("刘洋", None)])
    report = instructor_members_io.import_rows(instructor_members_io.read(good), org, county, dry_run=False)
    assert report.applied and report.counts["new"] == 3
    # The export names the members and imports again unchanged.
    exported = instructor_members_io.export_response(org)
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)))
    rows = list(book.active.values)
    assert rows[0][:2] == ("姓名", "证书编号") and sorted(r[1] for r in rows[1:]) == ["SD-401", "SD-402", "SD-403"]
    again = io.BytesIO()
    book.save(again)
    again.seek(0)
    again.name = "export.xlsx"
    report = instructor_members_io.import_rows(instructor_members_io.read(again), org, county, dry_run=False)
    assert report.counts["unchanged"] == 3 and report.counts["new"] == 0
    # A file without the columns is refused as a whole.
    with pytest.raises(OrganizationError) as caught:
        instructor_members_io.read(sheet([("x", "y")], headers=("甲", "乙")))
    assert caught.value.code == "import_header_missing"


def test_import_queries_do_not_grow_with_the_rows_and_the_cap_holds(world, assoc):
    """The file's instructors read once, the association locked once, its members written in bulk:
    5 rows and 50 rows cost the same queries. A row past the member cap is refused by its line."""
    w, county = world, world.users["county"]
    for seq in range(500, 557):
        active(w, w.community if seq % 2 else w.township, seq, name=f"指导员{seq}")

    def queries_for(seqs, by_name=()):
        rows = [(f"指导员{s}", f"SD-{s}") for s in seqs] + [(f"指导员{s}", None) for s in by_name]
        rows.append(("王芳", "SD-401"))  # already a member: unchanged
        with CaptureQueriesContext(connection) as caught:
            report = instructor_members_io.import_rows(instructor_members_io.read(sheet(rows)), w.assoc, county,
                                                       dry_run=False)
        assert report.applied and report.counts["new"] == len(seqs) + len(by_name), report.as_dict()
        return len(caught)

    instructor_members.enrol(w.assoc, actor=county, certificate_no="SD-401")
    few = queries_for(range(500, 504), by_name=[504])
    many = queries_for(range(505, 550), by_name=range(550, 555))
    assert few == many
    org = Organization.objects.get(pk=w.assoc.pk)
    assert org.member_count == 56 == org.instructor_members.filter(status="active").count()
    assert AuditEntry.objects.filter(action="association.enrol", target_id=str(org.pk)).count() == 3
    Organization.objects.filter(pk=org.pk).update(member_cap=57)
    report = instructor_members_io.import_rows(instructor_members_io.read(sheet([("", "SD-555"), ("", "SD-556")])),
                                               org, county, dry_run=False)
    assert [(r.line, r.action) for r in report.rows] == [(2, "new"), (3, "rejected")] and not report.applied
    assert report.rejected[0].errors == ["证书编号：该社群成员已满。"]
    assert Organization.objects.get(pk=org.pk).member_count == 56


def test_coverage_indicator_counts_the_city_and_its_counties(world, make_org, assoc):
    w = world
    today = datetime.date.today()
    wanted = [w.city.code, w.county.code, w.other_county.code, w.township.code]
    coverage = indicators.get("instructor_association_coverage").compute(wanted, today)
    count = indicators.get("instructor_associations").compute(wanted, today)
    # The city and its two counties; only 东昌府区 has one.
    assert coverage == {w.city.code: Decimal("33.3"), w.county.code: 100, w.other_county.code: 0,
                        w.township.code: None}
    assert count[w.city.code] == 1 and count[w.other_county.code] == 0
    make_org("聊城市社会体育指导员协会", region=w.city, **ASSOCIATION)
    pending = make_org("茌平区社会体育指导员协会", region=w.other_county, **ASSOCIATION)
    services.update(pending, {"active": False}, actor=w.users["city"])  # an inactive one counts for nothing
    assert indicators.get("instructor_association_coverage").compute([w.city.code], today)[w.city.code] == \
        Decimal("66.7")
    services.update(pending, {"active": True}, actor=w.users["city"])
    assert indicators.get("instructor_association_coverage").compute([w.city.code], today)[w.city.code] == 100
    assert indicators.get("instructor_associations").compute([w.city.code], today)[w.city.code] == 3


def test_pages_gap_members_enrol_and_the_instructor_page(world, assoc, client_for):
    w = world
    city = client_for("city")
    page = city.get("/staff/organizations/instructor-associations/").content.decode()
    assert "茌平区" in page and "聊城市" in page and "东昌府区社会体育指导员协会" in page
    county = client_for("county")
    answer = county.get("/staff/organizations/instructor-associations/").content.decode()
    assert "茌平区" not in answer and "东昌府区" in answer
    assert client_for("community").get("/staff/organizations/instructor-associations/").status_code == 403
    url = f"/staff/organizations/{w.assoc.pk}/instructor-members/"
    answer = county.post(url + "add/", {"certificate_no": "SD-401", "name": "王芳"}, follow=True)
    assert answer.status_code == 200 and w.assoc.instructor_members.filter(instructor=w.wang).exists()
    answer = county.post(url + "add/", {"certificate_no": "SD-999"}, follow=True)
    assert "SD-999" in answer.content.decode()
    listed = county.get(url)
    assert listed.status_code == 200 and "王芳" in listed.content.decode()
    assert AuditEntry.objects.filter(action="list_personal", detail__what="association_members").exists()
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("supervisor").get(url).status_code == 403
    detail = county.get(f"/instructors/staff/{w.wang.pk}/").content.decode()
    assert "东昌府区社会体育指导员协会" in detail
    member = w.assoc.instructor_members.get(instructor=w.wang)
    county.post(url + f"{member.pk}/remove/")
    member.refresh_from_db()
    assert member.status == "left"
    upload = sheet([("张伟", "SD-402"), ("无名", "SD-000")])
    answer = county.post(url + "import/", {"file": upload, "apply": "1"})
    assert answer.status_code == 400 and "SD-000" in answer.content.decode()
    assert not w.assoc.instructor_members.filter(instructor=w.zhang).exists()
    assert county.get(url + "template.xlsx").status_code == 200
    assert county.get(f"/staff/organizations/{w.assoc.pk}/instructor-members.xlsx").status_code == 200


def test_api(world, assoc, client_for):
    w = world
    city = client_for("city")
    body = city.get("/api/v1/organizations/instructor-associations").json()
    assert (body["have"], body["of"]) == (1, 3)
    assert [r["name"] for r in body["rows"]][:2] == ["聊城市", "茌平区"] and body["rows"][2]["association_id"] == w.assoc.pk
    base = f"/api/v1/organizations/{w.assoc.pk}/instructor-members"
    answer = city.post(base, {"certificate_no": "SD-402"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["name"] == "张伟"
    answer = city.post(base, {"certificate_no": "SD-405"}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["code"] == "instructor_not_active"
    answer = city.post(base, {"name": "x\u0000"}, content_type="application/json")
    assert answer.status_code == 400
    listed = city.get(base).json()
    assert [m["certificate_no"] for m in listed["items"]] == ["SD-402"]
    assert city.delete(f"{base}/{listed['items'][0]['id']}").status_code == 204
    assert city.get(base + "?status=left").json()["count"] == 1
    answer = city.post(base + "/import", {"file": sheet([("刘洋", "SD-403"), ("", "SD-777")]), "dry_run": "false"})
    assert answer.status_code == 400 and answer.json()["code"] == "import_row_invalid"
    answer = city.post(base + "/import", {"file": sheet([("刘洋", "SD-403")]), "dry_run": "false"})
    assert answer.status_code == 200 and answer.json()["applied"] is True
    assert city.get(base + "/export.xlsx").status_code == 200
    assert client_for("other_county").get(base).status_code == 404
    patched = city.patch(f"/api/v1/organizations/{w.assoc.pk}", {"instructor_association": False},
                         content_type="application/json")
    assert patched.status_code == 409 and patched.json()["code"] == "instructor_association_has_members"


def test_the_registers_excel_marks_an_association_and_refuses_a_second(world, assoc):
    w = world
    headers = ["组织名称", "组织类型", "登记状态", "统一社会信用代码", "区划代码", "本级社会体育指导员协会"]
    rows = [("茌平区社会体育指导员协会", "人群体育协会", "民政登记", credit.make("1", w.other_county.code[:6], 71),
             w.other_county.code, "是"),
            ("东昌府区指导员联合会", "人群体育协会", "民政登记", credit.make("1", w.county.code[:6], 72), w.county.code, "是")]
    report = register_io.import_rows(register_io.read_workbook(sheets.upload("orgs.xlsx", headers, rows)),
                                     w.users["city"], dry_run=False)
    assert not report.applied and [r.action for r in report.rows] == ["new", "rejected"]
    assert report.rows[1].errors[0]["code"] == "instructor_association_taken"
    assert "东昌府区社会体育指导员协会" in report.rows[1].errors[0]["message"]
    report = register_io.import_rows(register_io.read_workbook(sheets.upload("orgs.xlsx", headers, rows[:1])),
                                     w.users["city"], dry_run=False)
    assert report.applied and Organization.objects.get(name=rows[0][0]).instructor_association
    exported = register_io.xlsx_response(Organization.objects.filter(instructor_association=True))
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    column = [c.value for c in sheet[1]].index("本级社会体育指导员协会")
    assert {r[column] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"是"}
