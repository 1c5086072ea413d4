"""Figures per division and compliance lists, on a small hand-built tree with hand-computed numbers.

The tree (the world fixture plus a second township in 东昌府区):

  聊城市 5,952,128
    东昌府区 1,229,768           site G at the county itself: gym 500 m² (2024)
      古楼街道 90,000            site B: athletics stadium 20,000 (2015), fitness centre 3,000 smart (2023)
        东关社区 8,000           world.site: basketball 420; fitness trail 2.5 km (2019); multi-sport court 800 smart (2022)
      新区街道 (none → 10,000 estimated from its communities)
        新区一社区 6,000 est.    site C closed for repair: sports park 50,000 (2021), hiking trail 5.5 km
                                site F: swimming pool 1,200; multi-sport court 600 not open to the public
                                site D planned: fitness square 999 (not counted); site E closed: gym 777 (not counted)
        新区二社区 4,000         nothing
    茌平区 497,416 → 振兴街道 → 新华社区: fitness square 1,500 (world.other_site)
"""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quanmin.facilities import figures
from quanmin.facilities import services as fs
from quanmin.regions.models import Region

SINCE = datetime.date(2021, 6, 1)  # counts year built 2021 and later


@pytest.fixture
def tree(world):
    w = world
    w.township2 = Region.objects.create(code="371502002000", name="新区街道", level="township", parent=w.county)
    w.c2 = Region.objects.create(code="371502002001", name="新区一社区", level="community", parent=w.township2,
                                 population=6000, population_estimated=True)
    w.c3 = Region.objects.create(code="371502002002", name="新区二社区", level="community", parent=w.township2,
                                 population=4000)
    fs.add_facility(w.site, {"type": "fitness_trail", "length_km": "2.5", "year_built": 2019})
    fs.add_facility(w.site, {"type": "multi_sport_court", "area_m2": "800", "smart": True, "year_built": 2022})

    def site(name, region, status="open"):
        return fs.create_site({"name": name, "lon": 115.98, "lat": 36.45, "region": region, "status": status})

    b = site("古楼体育中心", w.township)
    fs.add_facility(b, {"type": "athletics_stadium", "area_m2": "20000", "year_built": 2015})
    fs.add_facility(b, {"type": "fitness_centre", "area_m2": "3000", "smart": True, "year_built": 2023})
    w.park_site = site("新区体育公园", w.c2, "repair")
    fs.add_facility(w.park_site, {"type": "sports_park", "area_m2": "50000", "year_built": 2021})
    fs.add_facility(w.park_site, {"type": "mountain_trail", "length_km": "5.5"})
    f = site("新区学校", w.c2)
    fs.add_facility(f, {"type": "swimming_pool", "area_m2": "1200"})
    fs.add_facility(f, {"type": "multi_sport_court", "area_m2": "600", "access": "not_open"})
    fs.add_facility(site("新区规划广场", w.c2, "planned"), {"type": "fitness_square", "area_m2": "999"})
    fs.add_facility(site("新区旧馆", w.c2, "closed"), {"type": "gym", "area_m2": "777"})
    fs.add_facility(site("区全民健身馆", w.county), {"type": "gym", "area_m2": "500", "year_built": 2024})
    return w


def by_code(div):
    return {c.code: c for c in div.children}


def test_county_figures_equal_hand_computed_numbers(tree):
    div = figures.division_figures(tree.county, since=SINCE)
    f = div.figures
    assert f.count == 10  # the planned and the closed site's facilities are left out
    assert f.area_m2 == pytest.approx(76520)
    assert f.trail_km == pytest.approx(8.0)
    assert f.smart == 2
    assert f.new == 4  # 2021, 2022, 2023, 2024
    assert f.population == 1229768 and not f.population_estimated
    assert f.area_per_capita == pytest.approx(76520 / 1229768)
    assert f.trail_km_per_10k == pytest.approx(8.0 * 10000 / 1229768)
    assert f.by_type["multi_sport_court"].count == 2 and f.by_type["multi_sport_court"].area_m2 == pytest.approx(1400)
    assert f.by_type["fitness_trail"].length_km == pytest.approx(2.5)
    assert "fitness_square" not in f.by_type


def test_children_figures_and_estimated_population(tree):
    div = figures.division_figures(tree.county, since=SINCE)
    children = by_code(div)
    assert list(children) == [tree.township.code, tree.township2.code]
    t1, t2 = children[tree.township.code], children[tree.township2.code]
    assert (t1.count, t1.area_m2, t1.trail_km, t1.smart, t1.new) == (5, pytest.approx(24220), pytest.approx(2.5), 2, 2)
    assert t1.area_per_capita == pytest.approx(24220 / 90000)
    assert t1.trail_km_per_10k == pytest.approx(2.5 * 10000 / 90000)
    # No population of its own: the sum of its communities', marked estimated.
    assert (t2.population, t2.population_estimated) == (10000, True)
    assert (t2.count, t2.area_m2, t2.trail_km) == (4, pytest.approx(51800), pytest.approx(5.5))
    assert t2.area_per_capita == pytest.approx(5.18)
    assert t2.trail_km_per_10k == pytest.approx(5.5)
    c2 = by_code(figures.division_figures(tree.township2))[tree.c2.code]
    assert c2.population_estimated and c2.new is None  # no "since" asked


def test_roll_up_is_consistent(tree):
    city = figures.division_figures(tree.city, since=SINCE)
    county = figures.division_figures(tree.county, since=SINCE)
    # A county's totals are the sum of its townships' plus what is registered at the county itself.
    parts = [*county.children, county.direct]
    assert county.direct.count == 1 and county.direct.area_m2 == pytest.approx(500)
    for attr in ("count", "area_m2", "trail_km", "smart", "new"):
        assert getattr(county.figures, attr) == pytest.approx(sum(getattr(p, attr) for p in parts)), attr
    # The city's children are its counties, with the same figures as the county's own page.
    counties = by_code(city)
    assert counties[tree.county.code].count == county.figures.count
    assert counties[tree.county.code].area_m2 == pytest.approx(county.figures.area_m2)
    assert city.figures.count == sum(c.count for c in city.children) == 11
    assert city.figures.area_m2 == pytest.approx(76520 + 1500)


def test_grouping_by_child_prefix_gives_the_same_figures(tree):
    """PostgreSQL groups by the children's prefix, SQLite by the whole code: both roll up alike."""
    regions = figures._regions("371502")
    whole = figures._division_figures(tree.county, SINCE, figures.facility_rows("371502", SINCE, 12), regions)
    by_township = figures._division_figures(tree.county, SINCE, figures.facility_rows("371502", SINCE, 9), regions)
    assert {len(row[0]) for row in figures.facility_rows("371502", SINCE, 9)} == {9}
    for a, b in zip([whole.figures, *whole.children, whole.direct], [by_township.figures, *by_township.children,
                                                                    by_township.direct]):
        assert (a.code, a.count, a.smart, a.new) == (b.code, b.count, b.smart, b.new)
        assert a.area_m2 == pytest.approx(b.area_m2) and a.trail_km == pytest.approx(b.trail_km)
        assert {k: v.count for k, v in a.by_type.items()} == {k: v.count for k, v in b.by_type.items()}


def test_a_few_queries_whatever_the_size(tree):
    def selects(fn):
        with CaptureQueriesContext(connection) as captured:
            fn()
        # PostgreSQL adds SAVEPOINT / SET LOCAL work_mem around the aggregate: not reads.
        return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    assert len(selects(lambda: figures.division_figures(tree.city, since=SINCE))) == 2
    assert len(selects(lambda: figures.compliance(tree.city))) == 2
    assert len(selects(lambda: figures.overview(tree.city, since=SINCE))) == 3
    # A township without a population of its own: its communities are read to add theirs up.
    assert len(selects(lambda: figures.division_figures(tree.county))) == 3


def test_targets_come_from_the_plan_with_their_source(tree, settings):
    city = figures.division_figures(tree.city)
    checks = {t.indicator: t for t in city.targets}
    assert checks["area_per_capita"].value == 2.7 and checks["area_per_capita"].year == 2023
    assert checks["count"].value == 15000 and checks["count"].actual == 11
    assert "聊城市全民健身三年行动实施方案" in checks["count"].plan
    assert checks["area_per_capita"].met is False
    # On a county page only the per-capita target is a reference; a count target is the city's.
    assert [t.indicator for t in figures.division_figures(tree.county).targets] == ["area_per_capita"]
    settings.QUANMIN_FIGURE_TARGETS = {"3715": {"plan": "test plan", "since": "2020-01-01", "targets": [
        {"indicator": "trail_km_per_10k", "value": 0.01, "year": 2030, "source": "p. 1"}]}}
    (check,) = figures.division_figures(tree.county).targets
    assert check.met is True and check.plan == "test plan"
    assert figures.default_since(tree.county.code) == datetime.date(2020, 1, 1)


def test_compliance_lists(tree):
    comp = figures.compliance(tree.county)
    assert comp.checked == {"county": 1, "township": 2, "community": 3}
    assert comp.counties == []  # stadium, centre and park (a site closed for repair still counts)
    (township,) = comp.townships
    # Its only multi-sport court is not open to the public.
    assert (township.code, township.missing, township.parent_name) == (tree.township2.code, ["centre", "court"], "东昌府区")
    assert township.population == 10000 and township.population_estimated
    assert [(g.name, g.missing) for g in comp.communities] == [("新区一社区", ["square"]), ("新区二社区", ["square"])]
    assert comp.communities[0].parent_name == "新区街道"


def test_a_county_missing_a_park_is_listed(tree):
    fs.close_site(tree.park_site)
    (county,) = figures.compliance(tree.county).counties
    assert county.code == tree.county.code and county.missing == ["park"] and county.parent_name == "聊城市"
    assert county.population == 1229768
    city = figures.compliance(tree.city)
    assert {g.name: g.missing for g in city.counties} == {"东昌府区": ["park"], "茌平区": ["stadium", "centre"]}


def test_page_renders_for_a_county_admin(tree, client_for):
    url = reverse("facilities:figures_region", args=[tree.county.code])
    response = client_for("county").get(url, {"since": "2021-06-01"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("东昌府区", "古楼街道", "新区街道", "新区二社区", "figures-data", "vendor/echarts/echarts.min.js"):
        assert text in html
    # The numbers are in tables too, for readers without JavaScript.
    assert "0.27" in html and "5.18" in html  # m² per resident of the two townships
    assert reverse("facilities:figures_region", args=[tree.township.code]) in html
    assert response.context["f"].new == 4
    # The index sends a one-county admin straight to their county.
    index = client_for("county").get(reverse("facilities:figures"))
    assert index.status_code == 302 and index["Location"].endswith(url)


def test_page_with_a_bad_date_says_so(tree, client_for):
    response = client_for("county").get(reverse("facilities:figures_region", args=[tree.county.code]),
                                        {"since": "yesterday"})
    assert response.status_code == 200 and response.context["since_error"]


def test_neighbouring_county_gets_404(tree, client_for):
    other = client_for("other_county")
    assert other.get(reverse("facilities:figures_region", args=[tree.county.code])).status_code == 404
    assert other.get(reverse("facilities:figures_export", args=[tree.county.code])).status_code == 404
    assert other.get(f"/api/v1/facilities/figures/{tree.county.code}/compliance").status_code == 404
    assert other.get(f"/api/v1/facilities/figures/{tree.c2.code}").status_code == 404
    # A township's staff do not see their county either.
    assert client_for("township").get(reverse("facilities:figures_region", args=[tree.county.code])).status_code == 404
    assert other.get(reverse("facilities:figures_region", args=["nonsense"])).status_code == 404


def test_xlsx_export_opens_and_holds_the_rows(tree, client_for):
    response = client_for("county").get(reverse("facilities:figures_export", args=[tree.county.code]),
                                        {"since": "2021-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = wb.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == tree.county.code and rows[1][5] == 10 and rows[1][6] == pytest.approx(76520)
    assert [r[1] for r in rows[2:4]] == ["古楼街道", "新区街道"]
    assert rows[-1][5] == 1  # registered at the county itself
    gap_rows = [r for ws in wb.worksheets[1:] for r in ws.iter_rows(values_only=True)]
    assert any(r[0] == tree.township2.code and r[2] == "东昌府区" for r in gap_rows)
    assert sum(1 for r in gap_rows if r[0] in (tree.c2.code, tree.c3.code)) == 2


def test_api_figures_are_public_down_to_townships(tree, client):
    body = client.get(f"/api/v1/facilities/figures/{tree.county.code}?since=2021-06-01").json()
    assert (body["count"], body["new"], body["since"]) == (10, 4, "2021-06-01")
    assert body["area_m2"] == pytest.approx(76520)
    assert [c["name"] for c in body["children"]] == ["古楼街道", "新区街道"] and not body["children_hidden"]
    assert body["direct"]["count"] == 1
    assert {t["type"] for t in body["by_type"]} >= {"multi_sport_court", "gym", "fitness_trail"}
    # A township's children are communities: hidden from the public, shown to staff in scope.
    township = client.get(f"/api/v1/facilities/figures/{tree.township2.code}").json()
    assert township["children_hidden"] and township["children"] == [] and township["count"] == 4
    assert client.get(f"/api/v1/facilities/figures/{tree.c2.code}").status_code == 404
    assert client.get("/api/v1/facilities/figures/123").status_code == 404


def test_api_for_staff_in_scope(tree, client_for):
    county = client_for("county")
    township = county.get(f"/api/v1/facilities/figures/{tree.township2.code}").json()
    assert [c["code"] for c in township["children"]] == [tree.c2.code, tree.c3.code]
    assert county.get(f"/api/v1/facilities/figures/{tree.c2.code}").json()["population_estimated"] is True
    comp = county.get(f"/api/v1/facilities/figures/{tree.county.code}/compliance").json()
    assert comp["counties"] == [] and comp["checked"]["community"] == 3
    assert comp["townships"][0]["missing"] == ["centre", "court"]
    assert len(comp["townships"][0]["missing_labels"]) == 2
    assert client_for(None).get(f"/api/v1/facilities/figures/{tree.county.code}/compliance").status_code == 401
    assert client_for("supervisor").get(f"/api/v1/facilities/figures/{tree.county.code}/compliance").status_code == 200
