"""Judges and delegation leaders appointed from the events' own pages and API: bound to a
competition, a whole games or a delegation through accounts' memberships, scoped to the staff who
may appoint them, taken away again; the admin shows events read-only."""

import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry, Membership, Role
from quanmin.events import services_officials, services_results
from quanmin.events.models import Delegation

from .conftest import residents


def _roles(user):
    return set(Membership.objects.filter(user=user).values_list("role", "target_id"))


def test_staff_appoint_a_judge_of_a_competition_and_a_chief_judge(world, ev, client_for):
    judge, chief = residents(world, 2, start=700)
    client = client_for("county")
    url = reverse("events:staff_appoint_judge", args=[ev.games.pk])
    assert client.post(url, {"phone": judge.phone, "competition": ev.sprint.pk}).status_code == 302
    assert client.post(url, {"phone": chief.phone, "competition": ""}).status_code == 302
    assert (Role.JUDGE, ev.sprint.pk) in _roles(judge) and (Role.JUDGE, ev.games.pk) in _roles(chief)
    # The competition judge judges that competition only; the chief judge every competition.
    assert services_results.may_judge(judge, ev.sprint) and not services_results.may_judge(judge, ev.team)
    assert services_results.may_judge(chief, ev.team) and services_results.may_judge(chief, ev.delegated)
    assert client_for(None).get(reverse("events:staff_competition", args=[ev.team.pk])).status_code == 302
    client.force_login(chief)
    assert client.get(reverse("events:staff_competition", args=[ev.team.pk])).status_code == 200
    page = client_for("county").get(reverse("events:staff_games", args=[ev.games.pk])).content.decode()
    assert judge.real_name in page and judge.phone not in page and judge.phone_masked in page
    assert AuditEntry.objects.filter(action="appoint_judge").count() == 2


def test_unknown_number_or_foreign_competition_changes_nothing(world, ev, client_for):
    client = client_for("county")
    before = Membership.objects.count()
    response = client.post(reverse("events:staff_appoint_judge", args=[ev.games.pk]),
                           {"phone": "13999999999"}, follow=True, headers={"Accept-Language": "en"})
    assert "No account has this mobile number" in response.content.decode()
    client.post(reverse("events:staff_appoint_judge", args=[ev.games.pk]),
                {"phone": residents(world, 1, start=710)[0].phone, "competition": "999999"})
    assert Membership.objects.count() == before
    # Staff of another county cannot see the games, let alone appoint its judges.
    assert client_for("other_county").post(reverse("events:staff_appoint_judge", args=[ev.games.pk]),
                                           {"phone": "13999999999"}).status_code == 404


def test_leader_appointed_on_the_delegation_page_leads_it(world, ev, client_for):
    leader = residents(world, 1, start=720)[0]
    client = client_for("county")
    client.post(reverse("events:staff_appoint_leader", args=[ev.other.pk]), {"phone": leader.phone})
    assert (Role.DELEGATION_LEADER, ev.other.pk) in _roles(leader)
    client.force_login(leader)
    page = client.get(reverse("events:delegation", args=[ev.other.pk]))
    assert page.status_code == 200
    assert client.get(reverse("events:delegation", args=[ev.township.pk])).status_code == 404
    # Taken away from the delegation page: the account stays, the role goes.
    membership = Membership.objects.get(user=leader, role=Role.DELEGATION_LEADER)
    client_for("county").post(reverse("events:staff_dismiss_leader", args=[ev.other.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    leader.refresh_from_db()
    assert leader.is_active


def test_a_county_appoints_the_leader_of_its_delegation_to_the_city_games(world):
    from quanmin.events import services

    from .conftest import CHECKLIST

    city_games = services.create_games(world.users["city"], {"name": "市运会", "organizer": "市体育局", **CHECKLIST},
                                       region=world.city)
    delegation = Delegation.objects.create(games=city_games, name="东昌府区代表团", kind="county", region=world.county)
    leader = residents(world, 1, start=730)[0]
    services_officials.appoint_leader(world.users["county"], delegation, leader.phone)
    assert (Role.DELEGATION_LEADER, delegation.pk) in _roles(leader)
    with pytest.raises(Exception) as exc:
        services_officials.appoint_leader(world.users["other_county"], delegation, leader.phone)
    assert type(exc.value).__name__ == "PermissionDenied"


def test_officials_api(world, ev, client_for):
    judge = residents(world, 1, start=740)[0]
    api = client_for("county")
    base = f"/api/v1/events/staff/games/{ev.games.pk}"
    made = api.post(f"{base}/judges", {"phone": judge.phone, "competition": ev.sprint.pk},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["role"] == "judge" and body["target_kind"] == "competition" and body["target_name"] == "男子100米"
    assert body["phone"] == judge.phone_masked
    rows = api.get(f"{base}/officials").json()
    assert {r["role"] for r in rows} == {"judge", "delegation_leader"}  # the fixture's leader and judge too
    bad = api.post(f"{base}/judges", {"phone": "13999999999"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_input"
    assert client_for("other_county").get(f"{base}/officials").status_code == 404
    assert api.delete(f"{base}/officials/{body['id']}").status_code == 204
    assert api.delete(f"{base}/officials/{body['id']}").status_code == 404
    leader = residents(world, 1, start=741)[0]
    made = api.post(f"/api/v1/events/staff/delegations/{ev.other.pk}/leaders", {"phone": leader.phone},
                    content_type="application/json")
    assert made.status_code == 201 and made.json()["target_name"] == ev.other.name
    assert client_for("other_county").post(f"/api/v1/events/staff/delegations/{ev.other.pk}/leaders",
                                           {"phone": leader.phone}, content_type="application/json").status_code == 404
    assert api.delete(f"/api/v1/events/staff/delegations/{ev.other.pk}/leaders/{made.json()['id']}").status_code == 204


def test_admin_shows_events_read_only_and_scoped(world, ev, client_for):
    admin = client_for("county")
    assert admin.get(reverse("admin:events_games_change", args=[ev.games.pk])).status_code == 200
    assert admin.get(reverse("admin:events_games_add")).status_code == 403
    assert admin.post(reverse("admin:events_games_change", args=[ev.games.pk]), {"name": "x"}).status_code == 403
    assert client_for("other_county").get(reverse("admin:events_games_change", args=[ev.games.pk])).status_code == 404
    entry_list = admin.get(reverse("admin:events_entry_changelist")).content.decode()
    assert entry_list.count("<tr") >= 1
