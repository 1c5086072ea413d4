"""organizations.memberships rule by rule: each refusal says its code, its message in Chinese, its
field and its status, and changes nothing; each limit is tried at its edge and one past it; places
under the cap are counted as people join, are accepted, are refused and leave. The expected
messages are the Chinese a person reads (written out here, not taken from the code)."""

import datetime
import math

import pytest
from django.utils import timezone

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.organizations import memberships
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import GroupMembership, Organization

from ..conftest import make_user


@pytest.fixture
def group(world, make_org):
    """A group that admits anyone, with room for two."""
    return make_org("东关社区太极拳群", kind="community_group", status="filed", join_policy="open",
                    member_cap=2, lon=115.985, lat=36.457, meets="morning")


def refused(call, code, message, status, field=None):
    with pytest.raises(OrganizationError) as exc:
        call()
    assert (exc.value.code, str(exc.value.message), exc.value.status, exc.value.field) == (code, message, status,
                                                                                          field)


def count(group) -> int:
    return Organization.objects.get(pk=group.pk).member_count


def resident(world, n):
    return make_user(f"1370000{n:04d}", f"居民{n}", home=world.community, seq=n)


def test_an_open_group_admits_at_once_and_counts_the_place(world, group):
    before = timezone.now()
    joined = memberships.join(world.users["resident"], group.pk, message="  我想参加  ")
    assert (joined.status, joined.message, count(group)) == ("active", "我想参加", 1)
    assert joined.decided_at is not None and joined.decided_at >= before
    entry = AuditEntry.objects.filter(action="group.join").latest("id")
    assert (entry.actor, entry.target_id, entry.detail) == (world.users["resident"], str(group.pk), {"status": "active"})
    assert memberships.membership_of(world.users["resident"], group) == joined


def test_the_cap_is_reached_exactly(world, group):
    memberships.join(resident(world, 101), group.pk)
    memberships.join(resident(world, 102), group.pk)
    assert count(group) == 2
    refused(lambda: memberships.join(resident(world, 103), group.pk),
            "group_full", "该社群成员已满。", 409)
    assert count(group) == 2
    assert group.memberships.count() == 2


def test_no_cap_means_no_limit(world, make_org):
    big = make_org("东关社区广场舞群", kind="community_group", status="filed", join_policy="open", member_cap=None,
                   lon=115.985, lat=36.457)
    for n in range(111, 114):
        memberships.join(resident(world, n), big.pk)
    assert count(big) == 3


def test_asking_to_join_waits_for_a_decision_without_a_place(world, group):
    Organization.objects.filter(pk=group.pk).update(join_policy="approval")
    asked = memberships.join(world.users["resident"], group.pk)
    assert (asked.status, asked.decided_at, count(group)) == ("pending", None, 0)
    assert AuditEntry.objects.filter(action="group.join").latest("id").detail == {"status": "pending"}


def test_refusals_of_join(world, group, make_org):
    user = world.users["resident"]
    refused(lambda: memberships.join(user, 10**9), "not_found", "未找到。", 404)
    inactive = make_org("停用的社群", kind="community_group", status="filed", join_policy="open")
    Organization.objects.filter(pk=inactive.pk).update(active=False)
    refused(lambda: memberships.join(user, inactive.pk), "not_found", "未找到。", 404)
    federation = make_org("聊城市体育总会", kind="federation", join_policy="open")
    refused(lambda: memberships.join(user, federation.pk), "not_found", "未找到。", 404)
    memberships.join(user, group.pk)
    refused(lambda: memberships.join(user, group.pk), "already_member", "您已是该社群成员或已提交申请。", 409)
    Organization.objects.filter(pk=group.pk).update(join_policy="closed")
    refused(lambda: memberships.join(world.users["other_resident"], group.pk),
            "group_closed", "该社群暂停招募新成员。", 409)
    assert count(group) == 1


@pytest.mark.parametrize("fields, ok", [
    ({"message": "好" * 200}, True),
    ({"message": "好" * 201}, False),
    ({"guardian_name": "王" * 50, "guardian_relation": "母亲"}, True),
    ({"guardian_name": "王" * 51, "guardian_relation": "母亲"}, False),
    ({"guardian_name": "王芳", "guardian_relation": "亲" * 20}, True),
    ({"guardian_name": "王芳", "guardian_relation": "亲" * 21}, False),
])
def test_text_limits_of_join(world, group, fields, ok):
    join = lambda: memberships.join(world.users["resident"], group.pk, **fields)  # noqa: E731
    if ok:
        assert join().status == "active"
    else:
        refused(join, "text_too_long", "留言或监护人信息过长。", 400, "message")
        assert not group.memberships.exists()


def birthday(years_ago: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years_ago) + datetime.timedelta(days=days)).strftime("%Y%m%d")


def test_a_guardian_is_needed_until_the_eighteenth_birthday(world, group, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    eighteen_today = make_user("13700000120", "今天成年", home=world.community, birth=birthday(18), seq=120)
    assert memberships.join(eighteen_today, group.pk).guardian_name == ""
    eighteen_tomorrow = make_user("13700000121", "明天成年", home=world.community, birth=birthday(18, 1), seq=121)
    message = "未成年人加入须经监护人同意：请填写监护人姓名及关系。"
    refused(lambda: memberships.join(eighteen_tomorrow, group.pk), "guardian_required", message, 400, "guardian_name")
    refused(lambda: memberships.join(eighteen_tomorrow, group.pk, guardian_name="王芳"),
            "guardian_required", message, 400, "guardian_name")
    refused(lambda: memberships.join(eighteen_tomorrow, group.pk, guardian_relation="母亲"),
            "guardian_required", message, 400, "guardian_name")
    joined = memberships.join(eighteen_tomorrow, group.pk, guardian_name=" 王芳 ", guardian_relation=" 母亲 ")
    assert (joined.guardian_name, joined.guardian_relation) == ("王芳", "母亲")


def test_leaving_frees_the_place_once(world, group):
    user = world.users["resident"]
    memberships.join(user, group.pk)
    left = memberships.leave(user, group.pk)
    assert (left.status, count(group)) == ("left", 0)
    assert left.left_at is not None
    entry = AuditEntry.objects.filter(action="group.leave").latest("id")
    assert (entry.actor, entry.target_id) == (user, str(group.pk))
    # Gone already: a second leave is refused and frees nothing.
    refused(lambda: memberships.leave(user, group.pk), "not_member", "您不是该社群成员。", 404)
    assert count(group) == 0
    assert memberships.membership_of(user, group) is None


def test_leaving_after_joining_again_leaves_the_new_membership(world, group):
    user = world.users["resident"]
    memberships.join(user, group.pk)
    memberships.leave(user, group.pk)
    again = memberships.join(user, group.pk)
    assert count(group) == 1
    assert memberships.leave(user, group.pk).pk == again.pk
    assert count(group) == 0
    assert set(group.memberships.values_list("status", flat=True)) == {"left"}


def test_withdrawing_a_request_frees_no_place(world, group):
    Organization.objects.filter(pk=group.pk).update(join_policy="approval")
    memberships.join(world.users["other_resident"], group.pk)
    Organization.objects.filter(pk=group.pk).update(join_policy="open")
    memberships.join(world.users["resident"], group.pk)
    assert count(group) == 1
    assert memberships.leave(world.users["other_resident"], group.pk).status == "left"
    assert count(group) == 1


def test_a_stranger_or_a_missing_group_cannot_be_left(world, group):
    refused(lambda: memberships.leave(world.users["resident"], group.pk), "not_member", "您不是该社群成员。", 404)
    refused(lambda: memberships.leave(world.users["resident"], 10**9), "not_member", "您不是该社群成员。", 404)


def test_decide_accepts_refuses_and_tells(world, group):
    Organization.objects.filter(pk=group.pk).update(join_policy="approval")
    staff = world.users["community"]
    a = memberships.join(world.users["resident"], group.pk)
    b = memberships.join(world.users["other_resident"], group.pk)
    refused(lambda: memberships.decide(a, True, actor=world.users["other_county"]),
            "forbidden", "您无权修改该组织。", 403)
    accepted = memberships.decide(a, True, actor=staff)
    assert (accepted.status, count(group)) == ("active", 1) and accepted.decided_at is not None
    refused(lambda: memberships.decide(a, False, actor=staff), "not_pending", "该申请已处理。", 409)
    refusal = memberships.decide(b, False, actor=staff)
    assert (refusal.status, count(group)) == ("refused", 1) and refusal.decided_at is not None
    told = Notification.objects.filter(subject=f"您加入{group.name}的申请")
    assert set(told.values_list("user_id", "text")) == {
        (world.users["resident"].pk, f"您已成为{group.name}的成员。"),
        (world.users["other_resident"].pk, f"{group.name}暂未接收您为成员。")}
    assert list(AuditEntry.objects.filter(action__in=["group.accept", "group.refuse"]).order_by("id")
                .values_list("action", "detail")) == [("group.accept", {"user": world.users["resident"].pk}),
                                                      ("group.refuse", {"user": world.users["other_resident"].pk})]


def test_members_and_my_groups_leave_out_the_past(world, group, make_org):
    user = world.users["resident"]
    second = make_org("东关社区健步走群", kind="community_group", status="filed", join_policy="approval",
                      lon=115.985, lat=36.457)
    memberships.join(user, group.pk)
    memberships.join(user, second.pk)
    memberships.join(world.users["other_resident"], group.pk)
    memberships.leave(world.users["other_resident"], group.pk)
    assert [m.organization.name for m in memberships.my_groups(user)] == ["东关社区健步走群", "东关社区太极拳群"]
    assert {m.user for m in memberships.members(group)} == {user}
    assert {m.user for m in memberships.members(group, "left")} == {world.users["other_resident"]}
    assert memberships.membership_of(world.users["other_resident"], group) is None
    from django.contrib.auth.models import AnonymousUser
    assert memberships.membership_of(AnonymousUser(), group) is None


@pytest.mark.parametrize("title, text, code, message", [
    ("", "周六集合", "announcement_empty", "请填写标题和内容。"),
    ("周六活动", "  ", "announcement_empty", "请填写标题和内容。"),
    ("题" * 101, "周六集合", "announcement_too_long", "标题最多100字，内容最多2000字。"),
    ("周六活动", "文" * 2001, "announcement_too_long", "标题最多100字，内容最多2000字。"),
])
def test_announcement_refusals(world, group, title, text, code, message):
    field = "title" if code == "announcement_empty" else "text"
    refused(lambda: memberships.announce(group, title, text, actor=world.users["community"]), code, message, 400,
            field)
    assert not group.announcements.exists()


def test_announcement_at_its_limits_reaches_the_members(world, group):
    memberships.join(world.users["resident"], group.pk)
    title, text = "题" * 100, "文" * 2000
    sent = memberships.announce(group, f" {title} ", text, actor=world.users["community"])
    assert (sent.title, sent.text, sent.recipients, sent.author) == (title, text, 1, world.users["community"])
    note = Notification.objects.get(user=world.users["resident"], text=text)
    assert note.subject == f"{group.name}：{title}"[:120]
    entry = AuditEntry.objects.filter(action="group.announce").latest("id")
    assert entry.detail == {"recipients": 1}
    refused(lambda: memberships.announce(group, "x", "y", actor=world.users["resident"]),
            "forbidden", "您无权修改该组织。", 403)


def test_activity_titles_and_places(world, group):
    add = lambda title, facility=world.facility.pk, actor=world.users["community"]: memberships.add_activity(  # noqa: E731
        group, facility_id=facility, title=title, weekday=2, start=datetime.time(7), end=datetime.time(8), places=9,
        actor=actor)
    refused(lambda: add(""), "title_invalid", "请填写活动名称（最多60字）。", 400, "title")
    refused(lambda: add("拳" * 61), "title_invalid", "请填写活动名称（最多60字）。", 400, "title")
    refused(lambda: add("晨练", facility=10**9), "facility_invalid", "请选择社群所在区划或所在场地的场地设施。", 400,
            "facility_id")
    refused(lambda: add("晨练", actor=world.users["resident"]), "forbidden", "您无权修改该组织。", 403)
    activity = add("拳" * 60)
    assert activity.title == "拳" * 60 and activity.unit.name == f"{group.name}·{'拳' * 60}"[:80]


def test_upcoming_sessions_are_the_next_open_ones_soonest_first(world, group):
    activity = memberships.add_activity(group, facility_id=world.facility.pk, title="晨练", weekday=2,
                                        start=datetime.time(7), end=datetime.time(8), places=9,
                                        actor=world.users["community"])
    now = timezone.now()
    for day in range(1, 10):
        activity.unit.slots.create(start=now + datetime.timedelta(days=day, minutes=30),
                                   end=now + datetime.timedelta(days=day, minutes=90), capacity=9)
    slots = list(activity.unit.slots.filter(start__gte=now).order_by("start"))
    slots[0].blocked = True
    slots[0].save(update_fields=["blocked"])
    # A session already begun is not upcoming.
    past = activity.unit.slots.create(start=now - datetime.timedelta(hours=1), end=now + datetime.timedelta(minutes=5),
                                      capacity=9)
    found = memberships.upcoming_sessions(group)
    assert [s.pk for _, s in found] == [s.pk for s in slots[1:7]]
    assert {a for a, _ in found} == {activity}
    assert past.pk not in [s.pk for _, s in memberships.upcoming_sessions(group, limit=50)]
    assert [s.pk for _, s in memberships.upcoming_sessions(group, limit=2)] == [s.pk for s in slots[1:3]]


def test_a_refused_request_can_be_made_again(world, group):
    Organization.objects.filter(pk=group.pk).update(join_policy="approval")
    first = memberships.join(world.users["resident"], group.pk)
    memberships.decide(first, False, actor=world.users["community"])
    again = memberships.join(world.users["resident"], group.pk)
    assert again.pk != first.pk and again.status == "pending"
    assert GroupMembership.objects.get(pk=first.pk).status == "refused"


def metres(lat1, lon1, lat2, lon2) -> float:
    """The great-circle distance by the spherical law of cosines (the mean Earth radius)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    return 6_371_008.8 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))


@pytest.fixture
def groups(world, group, make_org):
    """The open 太极拳 group (东关, capped at 2, mornings) and three more: 新华's fitness point (approval,
    no cap, evenings), 东关's closed club, and a full group north-east of the 太极拳 group."""
    make_org("新华社区健身站", kind="fitness_point", status="filed", region=world.other_community,
             join_policy="approval", lon=116.255, lat=36.58, meets="evening")
    make_org("东关社区篮球俱乐部", kind="club", status="filed", join_policy="closed", lon=115.985, lat=36.457)
    full = make_org("东关社区羽毛球群", kind="community_group", status="filed", join_policy="open", member_cap=1,
                    lon=115.992, lat=36.463)
    memberships.join(world.users["resident"], full.pk)
    return full


def names(found) -> list[str]:
    return [o.name for o in found]


def test_find_groups_filters(world, groups):
    assert names(memberships.find_groups({})) == [
        "东关社区太极拳群", "东关社区篮球俱乐部", "东关社区羽毛球群", "新华社区健身站"]  # by division, then name
    assert names(memberships.find_groups({"region": world.other_county.code})) == ["新华社区健身站"]
    assert names(memberships.find_groups({"kind": "club"})) == ["东关社区篮球俱乐部"]
    assert names(memberships.find_groups({"kind": "nonsense"})) == []
    assert names(memberships.find_groups({"meets": "evening"})) == ["新华社区健身站"]
    assert names(memberships.find_groups({"meets": "midnight"})) == []
    assert names(memberships.find_groups({"q": "太极"})) == ["东关社区太极拳群"]
    taking = ["东关社区太极拳群", "新华社区健身站"]  # not closed, not full (no cap counts as room)
    for value in ("1", "true", "on"):
        assert names(memberships.find_groups({"open": value})) == taking, value
    for value in ("0", "", "yes"):
        assert len(memberships.find_groups({"open": value})) == 4, value


def test_find_groups_near_a_point_up_to_the_radius(world, groups):
    here = (36.457, 115.985)
    far = metres(*here, 36.463, 115.992)
    edge = round(far)
    assert 800 < edge < 1000
    found = memberships.find_groups({}, lat=here[0], lon=here[1], radius_m=edge)
    # Nearest first (the two at the point itself in either order).
    assert [(o.name, o.distance_m) for o in found][2:] == [("东关社区羽毛球群", edge)]
    assert sorted((o.name, o.distance_m) for o in found[:2]) == [("东关社区太极拳群", 0), ("东关社区篮球俱乐部", 0)]
    assert sorted(names(memberships.find_groups({}, lat=here[0], lon=here[1], radius_m=edge - 1))) == [
        "东关社区太极拳群", "东关社区篮球俱乐部"]
    assert names(memberships.find_groups({"open": "1"}, lat=here[0], lon=here[1])) == ["东关社区太极拳群"]
