"""The four inclusions and one supervision (四纳入、一督查, seed 002, D11): a division's own sports staff
record each inclusion of a year with the document that shows it, the level above confirms it or
returns it with the reason; the overview of a city's counties shows each one's four and its
supervision visits of the year, the gaps named; the indicator counts the share with all four.
Every refusal is a clear error that writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.core import indicators
from quanmin.planning import selectors_inclusions
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Inclusion
from quanmin.planning.services import inclusions, supervision

DOCS = {"agenda": ("区政府第12次常务会议", date(2023, 3, 8)),
        "budget": ("东昌府区2023年财政预算报告", date(2023, 1, 10)),
        "work_report": ("2023年东昌府区政府工作报告", date(2023, 1, 9)),
        "performance": ("东昌府区2023年度绩效考核指标体系", date(2023, 4, 1))}


def pdf(name="文件.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 demo")


def record(world, who, division, kind, included=True, **extra):
    document, dated = DOCS[kind]
    values = {"document": document, "dated": dated, "evidence": pdf(), **extra} if included else extra
    return inclusions.record(world.users[who], division.code, 2023, kind, included=included, **values)


def all_four(world, who, division, confirmer):
    for kind in DOCS:
        inclusions.decide(world.users[confirmer], record(world, who, division, kind), confirm=True)


def test_recorded_by_the_division_confirmed_by_the_level_above(world):
    made = record(world, "county", world.county, "agenda")
    assert (made.status, made.division_name, made.document, made.recorded_by) == (
        "recorded", "东昌府区", "区政府第12次常务会议", world.users["county"])
    # The city confirms; it does not record for the county; the neighbour does neither.
    for who, expected in (("city", ("inclusion_not_yours", 403)), ("supervisor", ("inclusion_not_yours", 403)),
                          ("other_county", ("region_unknown", 404))):
        with pytest.raises(PlanningError) as refused:
            record(world, who, world.county, "budget")
        assert (refused.value.code, refused.value.status) == expected
    for who in ("county", "other_county", "supervisor"):
        with pytest.raises(PlanningError) as refused:
            inclusions.decide(world.users[who], made, confirm=True)
        assert (refused.value.code, refused.value.status) == ("inclusion_not_above", 403)
    # Returning needs the reason; the county records it again; then it is confirmed, and stays.
    with pytest.raises(PlanningError) as refused:
        inclusions.decide(world.users["city"], made, confirm=False, reason=" ")
    assert refused.value.field == "reason"
    returned = inclusions.decide(world.users["city"], made, confirm=False, reason="会议纪要未体现全民健身议题。")
    assert (returned.status, returned.return_reason) == ("returned", "会议纪要未体现全民健身议题。")
    with pytest.raises(PlanningError) as refused:
        inclusions.decide(world.users["city"], made, confirm=True)
    assert (refused.value.code, refused.value.status) == ("inclusion_not_awaiting", 409)
    again = record(world, "county", world.county, "agenda", document="区政府第12次常务会议纪要")
    assert (again.pk, again.status, again.return_reason, again.document) == (
        made.pk, "recorded", "", "区政府第12次常务会议纪要")
    confirmed = inclusions.decide(world.users["city"], again, confirm=True)
    assert (confirmed.status, confirmed.decided_by, confirmed.counts) == ("confirmed", world.users["city"], True)
    with pytest.raises(PlanningError) as refused:
        record(world, "county", world.county, "agenda", document="改")
    assert (refused.value.code, refused.value.status) == ("inclusion_confirmed", 409)
    assert Inclusion.objects.get().document == "区政府第12次常务会议纪要"
    # The county's staff confirm their township's.
    township = record(world, "township", world.township, "budget")
    assert inclusions.decide(world.users["county"], township, confirm=True).status == "confirmed"


def test_an_included_record_needs_its_evidence_to_be_confirmed(world):
    made = inclusions.record(world.users["county"], world.county.code, 2023, "budget", included=True,
                             document="东昌府区2023年财政预算报告", dated=date(2023, 1, 10))
    with pytest.raises(PlanningError) as refused:
        inclusions.decide(world.users["city"], made, confirm=True)
    assert (refused.value.code, refused.value.field) == ("evidence_missing", "evidence")
    with pytest.raises(PlanningError) as refused:
        inclusions.attach_evidence(world.users["county"], made, SimpleUploadedFile("预算.exe", b"MZ"))
    assert refused.value.status == 415
    inclusions.attach_evidence(world.users["county"], made, pdf("预算报告.pdf"))
    assert inclusions.decide(world.users["city"], made, confirm=True).status == "confirmed"
    # Not included: confirmed as it is, no document needed.
    gap = record(world, "county", world.county, "performance", included=False, note="绩效考核指标体系尚未纳入。")
    assert inclusions.decide(world.users["city"], gap, confirm=True).counts is False


@pytest.mark.parametrize("change, expected", [
    ({"document": ""}, ("inclusion_document", "document")),
    ({"dated": None}, ("inclusion_date", "dated")),
    ({"dated": date(2021, 12, 31)}, ("inclusion_date", "dated")),  # before the year before
    ({"dated": date(2024, 1, 1)}, ("inclusion_date", "dated")),
    ({"kind": "press"}, ("inclusion_kind", "kind")),
    ({"year": 1999}, ("inclusion_year", "year")),
    ({"year": 2999}, ("inclusion_year", "year")),
    ({"division_code": "371599"}, ("region_unknown", "division_code")),
    ({"document": "文" * 201}, ("inclusion_text_too_long", "document")),
])
def test_bad_values_are_refused_and_write_nothing(world, change, expected):
    values = {"division_code": world.county.code, "year": 2023, "kind": "budget", "included": True,
              "document": "东昌府区2023年财政预算报告", "dated": date(2022, 12, 20), **change}
    with pytest.raises(PlanningError) as refused:
        inclusions.record(world.users["county"], values.pop("division_code"), values.pop("year"), values.pop("kind"),
                          **values)
    assert (refused.value.code, refused.value.field) == expected
    assert not Inclusion.objects.exists()


@pytest.fixture
def year_2023(world, liaocheng):
    """东昌府区: all four confirmed, and a visit to its township carried out in 2023. 茌平区: its agenda
    confirmed, its budget awaiting, the work report not included, performance not recorded, and only
    a visit in 2022 and one planned for 2023."""
    all_four(world, "county", world.county, "city")
    other = world.other_county
    inclusions.decide(world.users["city"], record(world, "other_county", other, "agenda"), confirm=True)
    record(world, "other_county", other, "budget")
    inclusions.decide(world.users["city"], record(world, "other_county", other, "work_report", included=False),
                      confirm=True)
    boss = world.users["supervisor"]
    base = {"title": "全民健身工作督查", "schedule": "regular", "coverage": "overall", "kind": "routine",
            "manner": "announced"}
    supervision.plan_visit(boss, liaocheng, division_code=world.township.code, planned_on=date(2023, 5, 10),
                           visited_on=date(2023, 5, 10), **base)
    supervision.plan_visit(boss, liaocheng, division_code=other.code, planned_on=date(2022, 6, 1),
                           visited_on=date(2022, 6, 1), **base)
    supervision.plan_visit(boss, liaocheng, division_code=other.code, planned_on=date(2023, 6, 1), **base)


def test_the_overview_names_each_countys_gaps(world, year_2023):
    board = selectors_inclusions.overview(world.city, 2023)
    rows = {r.name: r for r in board["rows"]}
    assert list(rows) == ["东昌府区", "茌平区"]
    mine, other = rows["东昌府区"], rows["茌平区"]
    assert (mine.complete, mine.gaps, mine.visits, mine.last_visit) == (True, [], 1, date(2023, 5, 10))
    assert [c.state for c in other.cells] == ["confirmed", "awaiting", "not_included", "missing"]
    assert (other.complete, [k.value for k in other.gaps], other.visits, other.supervised) == (
        False, ["budget", "work_report", "performance"], 0, False)
    assert (board["complete"], board["supervised"], board["both"], board["awaiting"]) == (1, 1, 1, 1)
    assert selectors_inclusions.overview(world.city, 2022)["supervised"] == 1  # 茌平区's 2022 visit
    # A county's overview: its township, with nothing recorded, and the visit to it.
    township = selectors_inclusions.overview(world.county, 2023)["rows"]
    assert [(r.name, r.visits, [c.state for c in r.cells]) for r in township] == [("古楼街道", 1, ["missing"] * 4)]


def test_the_indicator_counts_the_share_with_all_four(world, year_2023):
    share = indicators.get("four_inclusions_share")
    found = share.compute([world.city.code, world.county.code, world.community.code], date(2023, 12, 31))
    assert found == {world.city.code: Decimal("50.0"), world.county.code: Decimal("0.0"), world.community.code: None}
    assert share.compute([world.city.code], date(2022, 12, 31)) == {world.city.code: Decimal("0.0")}
