"""The people's congress, CPPCC and supervision offices (seed 002 task 8:
「建立与区人大、区政协和区委督查室、区政府督查室协调联动的重大体育工作跟踪调研和督查机制」): the county's staff give
a person of 区人大办 the read-only oversight role by mobile number; that person reads the county's
supervision visits, findings, rectification items, tracking research and the city's published
bulletin, changes none of it, and reaches nothing else of the platform. The whole matrix
(tests/test_permissions.py, role "oversight") proves the same for every route."""

from datetime import date

import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry, Membership, Role
from quanmin.planning import permissions
from quanmin.planning import selectors_supervision as found
from quanmin.planning.errors import PlanningError
from quanmin.planning.services import oversight, supervision
from tests.conftest import make_user

DAY = date(2023, 5, 10)


@pytest.fixture
def congress(world):
    """区人大办's 王海, granted the county's supervision by the county's staff."""
    person = make_user("13700000019", "王海", seq=29)
    oversight.grant(world.users["county"], person, world.county.code)
    return person


@pytest.fixture
def visits(world, liaocheng):
    """A tracking visit to the county with a problem and its item, one to the neighbouring county."""
    boss = world.users["supervisor"]
    base = {"schedule": "regular", "coverage": "focused", "manner": "announced", "planned_on": DAY, "visited_on": DAY}
    mine = supervision.plan_visit(boss, liaocheng, division_code=world.county.code, title="“三个一”工程跟踪调研",
                                  kind="tracking", target_id=liaocheng.targets.get(key="T0-06").pk,
                                  joint_with=["congress"], **base)
    problem = supervision.add_finding(boss, mine, severity="major", text="全民健身中心开工滞后。")
    item = supervision.add_rectification(boss, problem, requirement="报送进度计划。", deadline=date(2023, 6, 30))
    other = supervision.plan_visit(boss, liaocheng, division_code=world.other_county.code, title="茌平区专项检查",
                                   kind="special", **base)
    return {"mine": mine, "item": item, "other": other}


def test_granted_by_the_divisions_staff_only(world, congress):
    assert Membership.objects.get(user=congress).role == Role.OVERSIGHT
    assert AuditEntry.objects.filter(action="grant_role", region_code=world.county.code).exists()
    for who in ("other_county", "supervisor", "township"):
        with pytest.raises(PlanningError) as refused:
            oversight.grant(world.users[who], congress, world.county.code)
        assert (refused.value.code, refused.value.status) == ("oversight_not_yours", 403)
    assert [m.user for m in oversight.people(world.users["county"])] == [congress]
    assert list(oversight.people(world.users["other_county"])) == []
    membership = Membership.objects.get(user=congress)
    assert oversight.revoke(world.users["other_county"], membership.pk) is False
    assert oversight.revoke(world.users["county"], membership.pk) is True
    assert not Membership.objects.filter(user=congress).exists()


def test_reads_the_countys_supervision_and_nothing_else(world, congress, visits):
    assert permissions.can_read_supervision(congress) and not permissions.can_read(congress)
    assert [v.pk for v in found.visits_for(congress)] == [visits["mine"].pk]
    assert [r.pk for r in found.rectifications_for(congress)] == [visits["item"].pk]
    assert [c["target"].key for c in found.tracking_chains(congress)] == ["T0-06"]
    with pytest.raises(PlanningError) as refused:
        supervision.respond(congress, visits["item"], text="代为整改")
    assert refused.value.status == 403


def test_the_pages_and_api_it_reaches(world, client_for, congress, visits, liaocheng):
    client = client_for("resident")
    client.force_login(congress)
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("planning:supervision") in home and reverse("planning:plans") not in home
    page = client.get(reverse("planning:visit", args=[visits["mine"].pk])).content.decode()
    assert "全民健身中心开工滞后" in page and "这项工作的历次跟踪调研" in page and "记录督查发现" not in page
    assert client.get(reverse("planning:visit", args=[visits["other"].pk])).status_code == 404
    assert "报送进度计划" in client.get(reverse("planning:rectifications")).content.decode()
    assert client.get(reverse("planning:tracking")).status_code == 200
    assert client.post(reverse("planning:rectification_respond", args=[visits["item"].pk]),
                       {"text": "x"}).status_code == 403
    listed = client.get("/api/v1/planning/supervision/visits").json()["items"]
    assert [v["title"] for v in listed] == ["“三个一”工程跟踪调研"]
    refused = client.post("/api/v1/planning/supervision/visits", {
        "plan_key": liaocheng.key, "division_code": world.county.code, "title": "x", "schedule": "regular",
        "coverage": "overall", "kind": "routine", "manner": "announced", "planned_on": "2023-07-01"},
        content_type="application/json")
    assert refused.status_code in (403, 404)
    # Nothing else: the plans, the registers, the admin, the grants page.
    for name in ("planning:plans", "facilities:staff_sites", "web:regions", "planning:oversight",
                 "planning:inclusions"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/planning/plans").status_code == 403


def test_the_grants_page_and_api(world, client_for, congress):
    county = client_for("county")
    page = county.get(reverse("planning:oversight")).content.decode()
    assert "王海" in page and "东昌府区" in page
    bad = county.post(reverse("planning:oversight"), {"phone": "13700000099", "division_code": world.county.code},
                      follow=True)
    assert "没有使用该手机号的账户" in bad.content.decode()
    assert Membership.objects.filter(role=Role.OVERSIGHT).count() == 1
    made = county.post("/api/v1/planning/supervision/oversight",
                       {"phone": "13700000007", "division_code": world.township.code}, content_type="application/json")
    assert made.status_code == 201 and made.json()["division_name"] == "古楼街道"
    names = [p["name"] for p in county.get("/api/v1/planning/supervision/oversight").json()["items"]]
    assert names == ["王海", "居民"]
    assert client_for("supervisor").get(reverse("planning:oversight")).status_code == 403
    gone = county.delete(f"/api/v1/planning/supervision/oversight/{made.json()['id']}")
    assert gone.status_code == 204 and Membership.objects.filter(role=Role.OVERSIGHT).count() == 1
