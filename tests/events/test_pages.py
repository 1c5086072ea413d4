"""The residents' and staff's pages over real HTTP requests: list with filters, calendar, event page,
entering, my entries, .ics, staff pages with the level rule and the checklist, a judge's results,
a delegation leader's approvals, the Excel export and import of results, award verification."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from quanmin.events import services, services_entries, services_results
from quanmin.events.models import Award, Entry, Games, Result
from quanmin.regions.models import Region

from .conftest import at, make_games, residents


def test_list_filters_and_calendar(world, ev, client):
    page = client.get(reverse("events:list")).content.decode()
    assert ev.games.name in page
    assert ev.games.name not in client.get(reverse("events:list") + "?sport=swimming").content.decode()
    assert ev.games.name in client.get(reverse("events:list") + "?sport=athletics&level=county").content.decode()
    assert ev.games.name in client.get(reverse("events:list") + "?group=elderly").content.decode()
    assert ev.games.name not in client.get(reverse("events:list") + "?group=women").content.decode()
    month = ev.sprint.starts_at.strftime("%Y-%m")
    assert ev.sprint.name in client.get(reverse("events:calendar") + f"?month={month}").content.decode()
    assert client.get(reverse("events:calendar") + "?month=nonsense").status_code == 200


def test_draft_games_are_not_public(world, client):
    setup = make_games(world, publish=False)
    assert client.get(reverse("events:games", args=[setup.games.pk])).status_code == 404
    assert client.get(reverse("events:competition", args=[setup.sprint.pk])).status_code == 404
    # Nor listed anywhere a resident looks, though a published one with the same name would be.
    assert setup.games.name not in client.get(reverse("events:list")).content.decode()
    month = setup.sprint.starts_at.strftime("%Y-%m")
    assert setup.sprint.name not in client.get(reverse("events:calendar") + f"?month={month}").content.decode()


def test_enter_from_the_event_page_and_withdraw(world, ev, client):
    person = residents(world, 1)[0]
    client.force_login(person)
    page = client.get(reverse("events:competition", args=[ev.sprint.pk])).content.decode()
    assert "男子100米" in page and "18–60" in page
    response = client.post(reverse("events:enter", args=[ev.sprint.pk]))
    assert response.status_code == 302
    entry = Entry.objects.get(user=person)
    assert entry.status == "confirmed"
    mine = client.get(reverse("events:mine")).content.decode()
    assert entry.bib in mine
    client.post(reverse("events:withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


def test_entry_error_is_shown_translated(world, ev, client):
    woman = residents(world, 1, male=False, start=900)[0]
    client.force_login(woman)
    response = client.post(reverse("events:enter", args=[ev.sprint.pk]), follow=True,
                           headers={"Accept-Language": "en"})
    assert "This competition is for another sex group." in response.content.decode()
    assert not Entry.objects.exists()


def test_ics_has_every_competition(world, ev, client):
    body = client.get(reverse("events:ics", args=[ev.games.pk])).content.decode()
    assert body.count("BEGIN:VEVENT") == 3 and "男子100米" in body


def test_staff_games_page_shows_rule_and_checklist(world, client_for):
    setup = make_games(world, publish=False)
    client = client_for("county")
    page = client.get(reverse("events:staff_games", args=[setup.games.pk])).content.decode()
    assert setup.sprint.name in page
    Games.objects.filter(pk=setup.games.pk).update(insurance=False)
    client.post(reverse("events:staff_publish", args=[setup.games.pk]))
    setup.games.refresh_from_db()
    assert setup.games.status == "draft"
    client.post(reverse("events:staff_safety", args=[setup.games.pk]), {
        "risk": "medium", "venue_capacity_checked": "on", "medical_cover": "on", "insurance": "on",
        "emergency_plan": "on", "organizer_responsible": "甲", "operator_responsible": "乙",
        "authority_responsible": "丙", "expected_attendance": "1200"})
    # Medium risk: not opened until the safety plan and its health measures are on file (G14).
    refused = client.post(reverse("events:staff_publish", args=[setup.games.pk]), follow=True).content.decode()
    setup.games.refresh_from_db()
    assert setup.games.status == "draft" and "安全工作方案" in refused
    client.post(reverse("events:staff_safety", args=[setup.games.pk]), {
        "risk": "medium", "venue_capacity_checked": "on", "medical_cover": "on", "insurance": "on",
        "emergency_plan": "on", "organizer_responsible": "甲", "operator_responsible": "乙",
        "authority_responsible": "丙", "expected_attendance": "1200", "safety_plan": "分区值守，疏散通道引导",
        "health_measures": "医疗点一处，按属地防疫要求"})
    client.post(reverse("events:staff_publish", args=[setup.games.pk]))
    setup.games.refresh_from_db()
    assert setup.games.status == "published" and setup.games.risk == "medium"
    assert client_for("other_county").get(reverse("events:staff_games", args=[setup.games.pk])).status_code == 404


def test_staff_create_games_and_competition(world, client_for):
    client = client_for("county")
    response = client.post(reverse("events:staff_new"), {
        "name": "东昌府区广场舞大赛", "kind": "event", "region": world.county.code, "year": 2026,
        "organizer": "区体育局", "mode": "offline", "target_groups": ["women", "elderly"], "themed_day": "fitness_day"})
    games = Games.objects.get(name="东昌府区广场舞大赛")
    assert response.status_code == 302 and games.level == "county" and games.group_list == ["elderly", "women"]
    client.post(reverse("events:staff_add_competition", args=[games.pk]), {
        "sport": "square_dance", "name": "广场舞团体", "format": "team", "sex": "any", "capacity": 20,
        "team_min": 8, "team_max": 20, "entries": "open", "measure": "score",
        "starts_at": "2030-08-08 09:00", "ends_at": "2030-08-08 08:00"})
    assert not games.competitions.exists()  # ends before it starts: refused
    client.post(reverse("events:staff_add_competition", args=[games.pk]), {
        "sport": "square_dance", "name": "广场舞团体", "format": "team", "sex": "any", "capacity": 20,
        "team_min": 8, "team_max": 20, "entries": "open", "measure": "score",
        "starts_at": "2030-08-08 09:00", "ends_at": "2030-08-08 12:00", "unit": world.unit.pk})
    competition = games.competitions.get()
    assert competition.venue_blocked > 0
    assert world.unit.slots.filter(blocked=True, start__gte=competition.starts_at,
                                    start__lt=competition.ends_at).count() == competition.venue_blocked


def test_judge_records_and_imports_results(world, ev, client):
    people = residents(world, 3)
    entries = [services_entries.enter(p, ev.sprint.pk) for p in people]
    client.force_login(ev.judge)
    client.post(reverse("events:staff_result", args=[ev.sprint.pk]),
                {"entry": entries[0].bib, "round": "final", "heat": 1, "value": "12.3", "status": "ok"})
    assert Result.objects.get(entry=entries[0]).rank == 1
    wb = Workbook()
    ws = wb.active
    ws.append(["bib", "result", "status", "reason"])
    ws.append([entries[1].bib, "11.8", "ok", ""])
    ws.append(["NOBODY", "13", "ok", ""])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "results.xlsx"
    client.post(reverse("events:staff_import", args=[ev.sprint.pk]), {"file": data})
    assert Result.objects.count() == 1  # a bad row: nothing imported
    wb = Workbook()
    ws = wb.active
    ws.append(["bib", "result"])
    ws.append([entries[1].bib, "11.8"])
    ws.append([entries[2].bib, "12.9"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "results.xlsx"
    client.post(reverse("events:staff_import", args=[ev.sprint.pk]), {"file": data})
    assert dict(Result.objects.values_list("entry_id", "rank")) == {entries[1].pk: 1, entries[0].pk: 2, entries[2].pk: 3}
    # The judge of the sprint is no judge of the team competition.
    assert client.get(reverse("events:staff_competition", args=[ev.team.pk])).status_code == 404


def test_export_neutralises_formulas(world, ev, client_for):
    person = residents(world, 1)[0]
    person.real_name = "=HYPERLINK(\"x\")"
    person.save()
    services_entries.enter(person, ev.sprint.pk)
    response = client_for("county").get(reverse("events:staff_export", args=[ev.games.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cell = sheet.cell(row=2, column=3)
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


def test_leader_approves_on_the_delegation_page(world, ev, client):
    person = residents(world, 1)[0]
    entry = services_entries.enter(person, ev.delegated.pk, delegation_id=ev.township.pk)
    client.force_login(ev.leader)
    assert person.real_name in client.get(reverse("events:delegation", args=[ev.township.pk])).content.decode()
    client.post(reverse("events:decide", args=[entry.pk]), {"approve": "1"})
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert client.get(reverse("events:delegation", args=[ev.other.pk])).status_code == 404


def test_award_page_verifies_and_masks(world, ev, client):
    person = residents(world, 1)[0]
    services_entries.enter(person, ev.sprint.pk)
    services_results.issue_awards(world.users["county"], ev.games)
    award = Award.objects.get(user=person)
    page = client.get(reverse("events:award", args=[award.code])).content.decode()
    assert "<svg" in page and award.code in page and person.real_name not in page
    assert client.get(reverse("events:award", args=["NOSUCHCODE"])).status_code == 404


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_api_errors_are_codes(world, ev, client, lang):
    woman = residents(world, 1, male=False, start=950)[0]
    client.force_login(woman)
    r = client.post(f"/api/v1/events/competitions/{ev.sprint.pk}/entries", {}, content_type="application/json",
                    headers={"Accept-Language": lang})
    assert r.status_code == 409 and r.json()["code"] == "sex_group"
    assert (r.json()["message"] == "This competition is for another sex group.") == (lang == "en")


def test_association_events_and_delegations_name_the_organisation(world, ev, client_for):
    from quanmin.organizations.models import Organization

    org = Organization.objects.create(name="东昌府区篮球协会", kind="association", status="registered",
                                      region=world.county)
    client = client_for("county")
    r = client.post("/api/v1/events/staff/games", {"name": "篮球协会联赛", "region": world.county.code,
                                                   "organizer": "东昌府区篮球协会", "organization": org.pk},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["organization"] == org.pk
    assert Games.objects.get(pk=r.json()["id"]).association == "东昌府区篮球协会"
    client.post(reverse("events:staff_add_delegation", args=[ev.games.pk]),
                {"name": "篮球协会代表团", "kind": "association", "region": world.county.code, "organization": org.pk})
    assert ev.games.delegations.get(name="篮球协会代表团").organization == org


def test_staff_list_checks_level_rules_in_a_constant_number_of_queries(world, client_for):
    client = client_for("county")

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("events:staff_list")).status_code == 200
        return len(seen)

    make_games(world, publish=False)
    one = queries()
    for n in range(3):
        games = services.create_games(world.users["county"], {"name": f"县运动会{n}", "organizer": "区体育局"},
                                      region=world.county)
        services.add_competition(world.users["county"], games, {
            "sport": "running", "name": "健步走", "capacity": 10, "starts_at": at(40 + n),
            "ends_at": at(40 + n, 12)})
    assert queries() == one
    page = client.get(reverse("events:staff_list")).content.decode()
    assert page.count("badge warn") == 4  # each county games below the rule of 8 sports


def test_new_games_picks_division_and_parent_by_name(world, client_for):
    city_games = services.create_games(world.users["city"], {"name": "聊城市运动会", "organizer": "市体育局"},
                                       region=world.city)
    client = client_for("county")
    page = client.get(reverse("events:staff_new")).content.decode()
    assert "data-division-picker" in page and "聊城市运动会 · 聊城市" in page
    assert world.county.code not in page.replace(f'value="{world.county.code}"', "")  # codes only as values
    client.post(reverse("events:staff_new"), {"name": "东昌府区运动会", "kind": "games", "region": world.county.code,
                                              "year": 2026, "organizer": "区体育局", "mode": "offline",
                                              "parent": city_games.pk})
    assert Games.objects.get(name="东昌府区运动会").parent == city_games


def test_a_county_cannot_attach_its_games_under_another_citys(world, client_for):
    other_city = Region.objects.create(code="371600000000", name="滨州市", level="city")
    foreign = services.create_games(world.users["superuser"], {"name": "滨州市运动会", "organizer": "市体育局"},
                                    region=other_city)
    client = client_for("county")
    assert "滨州市运动会" not in client.get(reverse("events:staff_new")).content.decode()
    client.post(reverse("events:staff_new"), {"name": "东昌府区运动会", "kind": "games", "region": world.county.code,
                                              "year": 2026, "organizer": "区体育局", "mode": "offline",
                                              "parent": foreign.pk})
    assert not Games.objects.filter(name="东昌府区运动会").exists()
    r = client.post("/api/v1/events/staff/games", {"name": "东昌府区运动会", "region": world.county.code,
                                                   "organizer": "区体育局", "parent": foreign.pk},
                    content_type="application/json")
    assert r.status_code == 404 and not Games.objects.filter(name="东昌府区运动会").exists()


def test_delegation_division_is_picked_not_typed(world, ev, client_for):
    client = client_for("county")
    page = client.get(reverse("events:staff_games", args=[ev.games.pk])).content.decode()
    assert "data-division-picker" in page and 'inputmode="numeric" required' not in page
    # Venues and courts by name (the county's own only), not by number.
    assert f'<option value="{world.site.pk}">{world.site.name}</option>' in page
    assert f"{world.site.name} · {world.unit.name}" in page and world.other_site.name not in page
    client.post(reverse("events:staff_add_delegation", args=[ev.games.pk]),
                {"name": "东关社区代表团", "kind": "community", "region": world.community.code})
    assert ev.games.delegations.get(name="东关社区代表团").region == world.community
    client.post(reverse("events:staff_add_delegation", args=[ev.games.pk]),
                {"name": "新华社区代表团", "kind": "community", "region": world.other_community.code})
    assert not ev.games.delegations.filter(name="新华社区代表团").exists()
