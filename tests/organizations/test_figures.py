"""Indicators and the figures page: "1+25", federations per level, gradings, communities; the
whole tree in a few queries."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.organizations import gradings


def today() -> datetime.date:
    """The city's date when it is asked (not the machine's, nor the date at collection: a run may cross
    midnight in Asia/Shanghai)."""
    return timezone.localdate()

KEYS = ["organizations_registered", "organizations_filed", "organizations_total", "one_plus_25_share",
        "federation_coverage_county", "federation_coverage_township", "federation_coverage_community",
        "sports_communities", "graded_4a_plus", "graded_3a_plus_share", "associations", "sports_clubs", "fitness_points"]


def build(world, make_org):
    fed = make_org("东昌府区体育总会", kind="federation", region=world.county)
    make_org("古楼街道体育总会", kind="federation", region=world.township, parent=fed.pk)
    for i in range(25):
        make_org(f"东关社区协会{i}", region=world.community, parent=fed.pk)
    make_org("东关社区健步走群", kind="community_group", status="filed")
    make_org("东关社区待审群", kind="community_group", status="filed", actor=world.users["community"])  # pending
    club = make_org("新华社区足球俱乐部", kind="club", region=world.other_community)
    top = make_org("东关社区协会0x", region=world.community)
    actor = world.users["superuser"]
    for org, grade in ((club, 4), (top, 5), (fed, 3)):
        gradings.add_grading(org, {"grade": grade, "assessed_on": today() - datetime.timedelta(days=10),
                                   "valid_until": today() + datetime.timedelta(days=1000), "assessor": "民政局"}, actor=actor)


def test_indicators_for_the_whole_tree(world, make_org):
    build(world, make_org)
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code, world.community.code]
    with CaptureQueriesContext(connection) as ctx:
        values = {key: indicators.compute(key, codes, today()) for key in KEYS}
    assert len(ctx.captured_queries) <= 3 * len(KEYS)
    city, county, other = world.city.code, world.county.code, world.other_county.code
    assert values["organizations_registered"][city] == 29  # 2 federations, 26 associations, the club
    assert values["organizations_registered"][county] == 28
    assert values["organizations_filed"][county] == 1  # the pending filing does not count
    assert values["one_plus_25_share"][county] == 100 and values["one_plus_25_share"][other] == 0
    assert values["one_plus_25_share"][city] == 50
    assert values["federation_coverage_township"][city] == 50
    assert values["sports_communities"][world.community.code] == 1
    assert values["graded_4a_plus"][city] == 2 and values["graded_4a_plus"][other] == 1
    assert values["graded_3a_plus_share"][city] == Decimal("10.3")
    assert values["sports_clubs"][other] == 1 and values["associations"][county] == 26


def test_figures_page_chart_and_excel(world, make_org, client_for):
    build(world, make_org)
    client = client_for("city")
    page = client.get(reverse("organizations:figures_region", args=[world.city.code])).content.decode()
    assert "茌平区" in page and "org-chart-data" in page and "<script>" not in page
    response = client.get(reverse("organizations:figures_export", args=[world.city.code]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[1]["A3"].value in ("东昌府区", "茌平区")
    assert client_for("other_county").get(reverse("organizations:figures_region", args=[world.county.code])).status_code == 404
    api = client.get(f"/api/v1/organizations/figures/{world.city.code}").json()
    assert [c["name"] for c in api["missing"]] == ["茌平区"]


def test_communities_with_sports_staff(world, make_org, client_for):
    """C13: the people register's staff (a sports committee member appointed in the community),
    read through the indicator registry on the organisations' figures page, API and Excel."""
    from quanmin.people import pools

    build(world, make_org)
    codes = [world.city.code, world.county.code, world.community.code, world.other_community.code]
    assert indicators.compute("community_sports_staff_share", codes, today())[world.city.code] == 0
    pools.appoint({"kind": "sports_committee_member", "person_name": "赵敏", "region": world.community.code,
                   "appointed_on": today() - datetime.timedelta(days=30)}, by=world.users["county"])
    pools.appoint({"kind": "sports_committee_member", "person_name": "钱多", "region": world.other_community.code,
                   "appointed_on": today() - datetime.timedelta(days=300), "ends_on": today() - datetime.timedelta(days=1)},
                  by=world.users["other_county"])  # ended yesterday: not staff today
    values = indicators.compute("community_sports_staff_share", codes, today())
    assert values == {world.city.code: 50, world.county.code: 100, world.community.code: 100,
                      world.other_community.code: 0}
    client = client_for("city")
    page = client.get(reverse("organizations:figures_region", args=[world.city.code])).content.decode()
    assert "新华社区" in page  # the one without, listed under the share
    api = client.get(f"/api/v1/organizations/figures/{world.city.code}").json()
    assert api["staff"]["have"] == 1 and api["staff"]["of"] == 2
    assert [c["name"] for c in api["staff"]["without"]] == ["新华社区"]
    assert {r["name"]: r["staff_share"] for r in api["rows"]} == {"聊城市": 50.0, "东昌府区": 100.0, "茌平区": 0.0}
    response = client.get(reverse("organizations:figures_export", args=[world.city.code]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.worksheets[2]["A"]][1:] == ["新华社区"]


def test_county_single_sport_associations_count_the_county_itself(world, make_org):
    """T3-02 (区级单项体育协会): single-sport associations at the district's own code only, not those of
    its townships and communities, nor population-group associations."""
    build(world, make_org)  # 26 single-sport associations, all at a community
    make_org("东昌府区篮球协会", region=world.county)
    make_org("东昌府区乒乓球协会", region=world.county)
    make_org("东昌府区老年人体育协会", kind="group_association", region=world.county)
    make_org("古楼街道足球协会", region=world.township)
    make_org("茌平区门球协会", region=world.other_county)
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code]
    values = indicators.compute("county_single_sport_associations", codes, today())
    assert values[world.county.code] == 2 and values[world.other_county.code] == 1
    assert values[world.city.code] == 3  # its counties' own, together
    assert world.township.code not in values or values[world.township.code] == 0
    assert indicators.compute("associations", [world.county.code], today())[world.county.code] == 30
