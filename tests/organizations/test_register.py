"""The register's services: credit codes, filings and their approval, scope, history."""

import pytest

from quanmin.accounts.models import AuditEntry, Role
from quanmin.organizations import credit, services
from quanmin.organizations.errors import OrganizationError
from quanmin.organizations.models import Organization, OrganizationChange

from ..conftest import make_user


def test_credit_code_check_character_follows_gb_32100():
    # The standard's own example, and one of a real enterprise.
    assert credit.problem("91350100M000100Y43") is None
    assert credit.problem("91110000600037341L") is None
    assert credit.problem("91350100M000100Y44") == "check"
    assert credit.problem("91350100M000100Y4") == "length"
    assert credit.problem("91350100M000100I43") == "alphabet"
    made = credit.make("1", "371502", 42)
    assert credit.problem(made) is None and made.startswith("51371502")


def test_register_checks_the_credit_code(world):
    actor = world.users["county"]
    base = {"name": "东昌府区田径协会", "kind": "association", "status": "registered", "region": world.county}
    good = credit.make("1", "371502", 7)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(OrganizationError) as exc:
        services.register({**base, "credit_code": wrong}, actor=actor)
    assert exc.value.code == "credit_code_invalid"
    with pytest.raises(OrganizationError) as exc:
        services.register(base, actor=actor)
    assert exc.value.code == "credit_code_required"
    with pytest.raises(OrganizationError) as exc:
        services.register({**base, "credit_code": "91350100M000100Y43"}, actor=actor)
    assert exc.value.code == "credit_code_not_civil_affairs"
    assert not Organization.objects.exists()
    org = services.register({**base, "credit_code": good.lower()}, actor=actor)
    assert org.credit_code == good and org.review == "approved"


def test_filing_twice_for_one_name_in_one_division_is_refused(world):
    actor = world.users["community"]
    data = {"name": "东关社区太极拳队", "kind": "fitness_point", "status": "filed", "region": world.community,
            "sports": "太极拳"}
    first = services.register(data, actor=actor)
    assert first.review == "pending" and first.sport_codes == ["taiji"]
    with pytest.raises(OrganizationError) as exc:
        services.register(data, actor=actor)
    assert exc.value.code == "name_taken" and exc.value.status == 409
    assert Organization.objects.count() == 1
    # The same name in another division is another team.
    services.register({**data, "region": world.township}, actor=world.users["township"])


def test_a_filed_organisation_has_no_credit_code(world):
    with pytest.raises(OrganizationError) as exc:
        services.register({"name": "x", "kind": "club", "status": "filed", "region": world.community,
                           "credit_code": credit.make("1", "371502", 3)}, actor=world.users["county"])
    assert exc.value.code == "credit_code_filed"


def test_county_staff_approve_filings_in_their_county_only(world):
    filing = services.register({"name": "东关社区广场舞队", "kind": "fitness_point", "status": "filed",
                                "region": world.community}, actor=world.users["community"])
    for role in ("community", "township", "other_county", "supervisor"):
        with pytest.raises(OrganizationError) as exc:
            services.approve(filing, True, actor=world.users[role])
        assert exc.value.status == 403, role
    approved = services.approve(filing, True, actor=world.users["county"])
    assert approved.review == "approved"
    with pytest.raises(OrganizationError) as exc:
        services.approve(filing, True, actor=world.users["county"])
    assert exc.value.code == "not_pending"
    assert list(approved.changes.values_list("action", flat=True)) == ["approve", "create"]
    # Filed by county staff: approved at once.
    direct = services.register({"name": "东昌府区门球队", "kind": "fitness_point", "status": "filed",
                                "region": world.county}, actor=world.users["county"])
    assert direct.review == "approved"


def test_staff_outside_the_division_cannot_register_there(world):
    with pytest.raises(OrganizationError) as exc:
        services.register({"name": "x", "kind": "club", "status": "filed", "region": world.community},
                          actor=world.users["other_county"])
    assert exc.value.code == "region_out_of_scope"
    with pytest.raises(OrganizationError):
        services.register({"name": "x", "kind": "club", "status": "filed", "region": world.community},
                          actor=world.users["supervisor"])


def test_federation_members_one_plus_x(world, make_org):
    federation = make_org("东昌府区体育总会", kind="federation", region=world.county)
    member = make_org("东关社区篮球协会", region=world.community, parent=federation.pk)
    assert list(federation.members.all()) == [member]
    club = make_org("新华社区足球俱乐部", kind="club", region=world.other_community)
    with pytest.raises(OrganizationError) as exc:  # a federation of another county
        services.update(club, {"parent": federation.pk}, actor=world.users["superuser"])
    assert exc.value.code == "parent_invalid"
    with pytest.raises(OrganizationError) as exc:  # not a federation
        services.update(club, {"parent": member.pk}, actor=world.users["superuser"])
    assert exc.value.code == "parent_invalid"


def test_update_keeps_a_history_and_org_staff_keep_off_the_legal_particulars(world, make_org):
    org = make_org("东关社区羽毛球协会", sports=["badminton"])
    staff = make_user("13700000050", "协会秘书", seq=50)
    services.add_staff(org, staff, actor=world.users["county"])
    assert staff.memberships.get().role == Role.ORG_STAFF
    services.update(org, {"schedule": "每周三 19:00", "officers": "会长:王五；秘书长:赵六"}, actor=staff)
    org.refresh_from_db()
    assert org.schedule == "每周三 19:00" and org.officers[1] == {"post": "秘书长", "name": "赵六"}
    with pytest.raises(OrganizationError) as exc:
        services.update(org, {"name": "改名"}, actor=staff)
    assert exc.value.code == "field_locked"
    change = OrganizationChange.objects.filter(organization=org, action="update").get()
    assert change.fields["schedule"] == ["", "每周三 19:00"] and change.actor == staff
    assert AuditEntry.objects.filter(action="organization.update", target_id=str(org.pk)).exists()
    # Another organisation is out of the staff member's reach.
    other = make_org("东关社区乒乓球协会")
    with pytest.raises(OrganizationError) as exc:
        services.update(other, {"schedule": "x"}, actor=staff)
    assert exc.value.status == 403


def test_bad_values_are_clear_errors(world):
    base = {"name": "x", "kind": "club", "status": "filed", "region": world.community}
    cases = {"kind": ("spaceship", "kind_invalid"), "region": ("123", "region_unknown"),
             "sports": (["跳伞"], "sport_unknown"), "founded_on": ("2999-01-01", "founded_on_future"),
             "member_cap": (0, "member_cap_invalid"), "lon": (0, "coordinates_outside_china"),
             "name": ("x" * 121, "name_too_long")}
    for key, (value, code) in cases.items():
        with pytest.raises(OrganizationError) as exc:
            services.register({**base, key: value}, actor=world.users["county"])
        assert exc.value.code == code, key
    assert not Organization.objects.exists()
