"""Residents join and leave groups; staff accept; caps, closed groups, minors; announcements;
regular activities as booking sessions."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.booking import services as booking
from quanmin.organizations import memberships
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import Organization

from ..conftest import make_user


@pytest.fixture
def group(world, make_org):
    return make_org("东关社区健步走群", kind="community_group", status="filed", sports=["walking"], join_policy="approval",
                    member_cap=2, lon=115.985, lat=36.457, meets="evening")


def test_ask_accept_leave_and_the_cap(world, group):
    resident, other = world.users["resident"], world.users["other_resident"]
    request = memberships.join(resident, group.pk, message="我想参加")
    assert request.status == "pending"
    with pytest.raises(OrganizationError) as exc:
        memberships.join(resident, group.pk)
    assert exc.value.code == "already_member"
    with pytest.raises(OrganizationError):  # a resident cannot accept themself
        memberships.decide(request, True, actor=resident)
    memberships.decide(request, True, actor=world.users["community"])
    group.refresh_from_db()
    assert group.member_count == 1
    assert Notification.objects.filter(user=resident, subject__contains=group.name).exists()
    memberships.decide(memberships.join(other, group.pk), True, actor=world.users["county"])
    group.refresh_from_db()
    assert group.member_count == 2  # the cap
    late = make_user("13700000061", "晚来者", home=world.community, seq=61)
    pending = memberships.join(late, group.pk)
    with pytest.raises(OrganizationError) as exc:
        memberships.decide(pending, True, actor=world.users["county"])
    assert exc.value.code == "group_full"
    memberships.leave(resident, group.pk)
    memberships.decide(pending, True, actor=world.users["county"])
    group.refresh_from_db()
    assert group.member_count == 2


def test_closed_group_and_unapproved_filing_are_refused(world, group, make_org):
    Organization.objects.filter(pk=group.pk).update(join_policy="closed")
    with pytest.raises(OrganizationError) as exc:
        memberships.join(world.users["resident"], group.pk)
    assert exc.value.code == "group_closed"
    pending = make_org("东关社区跳绳队", kind="fitness_point", status="filed", actor=world.users["community"])
    assert pending.review == "pending"
    with pytest.raises(OrganizationError) as exc:
        memberships.join(world.users["resident"], pending.pk)
    assert exc.value.code == "not_found"
    assert not group.memberships.exists()


def test_a_minor_joins_with_a_guardian(world, group):
    child = make_user("13700000070", "小明", home=world.community, birth="20150601", seq=70)
    with pytest.raises(OrganizationError) as exc:
        memberships.join(child, group.pk)
    assert exc.value.code == "guardian_required"
    joined = memberships.join(child, group.pk, guardian_name="王芳", guardian_relation="母亲")
    assert joined.guardian_relation == "母亲"


def test_announcements_reach_members_in_app(world, group):
    memberships.decide(memberships.join(world.users["resident"], group.pk), True, actor=world.users["county"])
    memberships.join(world.users["other_resident"], group.pk)  # only asked: not told
    announcement = memberships.announce(group, "周六活动", "周六早上8点在广场集合。", actor=world.users["community"])
    assert announcement.recipients == 1
    assert Notification.objects.filter(user=world.users["resident"], text="周六早上8点在广场集合。").exists()
    assert not Notification.objects.filter(user=world.users["other_resident"], text__contains="集合").exists()
    with pytest.raises(OrganizationError):
        memberships.announce(group, "x", "y", actor=world.users["other_county"])


def test_regular_activity_is_a_bookable_session(world, group):
    activity = memberships.add_activity(group, facility_id=world.facility.pk, title="夜跑", weekday=2,
                                        start=datetime.time(19), end=datetime.time(20), places=15,
                                        actor=world.users["community"])
    assert activity.unit.kind == "session"
    sessions = memberships.upcoming_sessions(group)
    assert sessions and sessions[0][1].capacity == 15
    booked = booking.book(world.users["resident"], sessions[0][1].pk)
    assert booked.status == "confirmed"
    with pytest.raises(OrganizationError) as exc:  # a facility of another county
        memberships.add_activity(group, facility_id=world.other_facility.pk, title="x", weekday=1,
                                 start=datetime.time(8), end=datetime.time(9), places=5, actor=world.users["county"])
    assert exc.value.code == "facility_invalid"


def test_find_near_me_and_the_phone_pages(world, group, client_for, make_org):
    make_org("新华社区乒乓球群", kind="community_group", region=world.other_community, sports=["table_tennis"],
             lon=116.255, lat=36.58, join_policy="open")
    near = memberships.find_groups({}, lat=36.456, lon=115.984)
    assert [o.name for o in near] == ["东关社区健步走群"] and near[0].distance_m < 500
    assert [o.name for o in memberships.find_groups({"sport": "table_tennis"})] == ["新华社区乒乓球群"]
    assert [o.name for o in memberships.find_groups({"meets": "evening"})] == ["东关社区健步走群"]
    client = client_for("resident")
    page = client.get(reverse("organizations:groups"), {"sport": "walking"}).content.decode()
    assert "东关社区健步走群" in page and "新华社区乒乓球群" not in page
    response = client.post(reverse("organizations:group_join", args=[group.pk]), {"message": "你好"})
    assert response.status_code == 302 and group.memberships.get().status == "pending"
    assert "东关社区健步走群" in client.get(reverse("organizations:my_groups")).content.decode()
    api = client.post(f"/api/v1/groups/{group.pk}/join", {}, content_type="application/json")
    assert api.status_code == 409 and api.json()["code"] == "already_member"
    listed = client_for(None).get("/api/v1/groups", {"lat": 36.456, "lon": 115.984}).json()
    assert [g["name"] for g in listed["items"]] == ["东关社区健步走群"]


def test_members_export_for_the_groups_staff_is_masked_and_audited(world, group, client_for):
    memberships.join(world.users["resident"], group.pk)
    pending = memberships.join(make_user("13700000090", "丁一", home=world.community, seq=90), group.pk)
    memberships.decide(group.memberships.get(user=world.users["resident"]), True, actor=world.users["county"])
    response = client_for("county").get(reverse("organizations:members_export", args=[group.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert rows[0][:3] == ("姓名", "手机号（隐去中间四位）", "状态")
    found = {r[0]: (r[1], r[2]) for r in rows[1:]}
    assert found == {"居民": ("137****0007", "成员"), "丁一": ("137****0090", "已申请加入")}
    entry = AuditEntry.objects.filter(action="list_personal").latest("id")
    assert entry.detail["what"] == "group_members" and set(entry.detail["ids"]) == {
        world.users["resident"].pk, pending.user_id}
    assert client_for("supervisor").get(reverse("organizations:members_export", args=[group.pk])).status_code == 403
    assert client_for("other_county").get(reverse("organizations:members_export", args=[group.pk])).status_code == 404


def test_my_groups_are_only_mine(world, group, make_org, client_for):
    other_group = make_org("新华社区乒乓球群", kind="community_group", region=world.other_community,
                           sports=["table_tennis"], join_policy="open")
    resident, neighbour = world.users["resident"], world.users["other_resident"]
    memberships.join(resident, group.pk)
    memberships.join(neighbour, other_group.pk)
    assert [m.organization.name for m in memberships.my_groups(resident)] == ["东关社区健步走群"]
    assert [m.organization.name for m in memberships.my_groups(neighbour)] == ["新华社区乒乓球群"]
    page = client_for("other_resident").get(reverse("organizations:my_groups")).content.decode()
    assert "新华社区乒乓球群" in page and "东关社区健步走群" not in page
