"""The residents' finder and the public site page.

The finder's answers are checked against a brute-force Python scan over a generated city (the
demo generator on a small division tree): the same sites for every filter, the same order for the
nearby search, and "open now" on public holidays, make-up working days and exception dates.
"""

import datetime
import json
import random

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from quanmin.demo import facilities as facilities_demo
from quanmin.facilities import geo, opening, selectors, services, views_finder
from quanmin.facilities.models import Facility, OpeningRule, Site
from quanmin.regions import codes
from tests.conftest import small_city

FINDER = "/find/"
MAP = "/find/map.json"


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


# -- a generated city -------------------------------------------------------------------------
@pytest.fixture
def city(db):
    """Two counties × 4 townships × 8 communities, filled by the demo generator (~250 sites)."""
    root = small_city(streets=1, villages=True)
    facilities_demo.load(root, random.Random(11))
    sites = list(Site.objects.order_by("pk"))
    # Exceptions on the dates the tests look at: closed on the holiday, short hours the day after.
    for site in sites[::7]:
        services.set_exception(site, datetime.date(2025, 10, 1), closed=True, note="检修")
    for site in sites[3::11]:
        services.set_exception(site, datetime.date(2025, 10, 2), closed=False, opens=datetime.time(10),
                               closes=datetime.time(11), note="半天")
    return root


def everything():
    return list(Site.objects.prefetch_related("facilities", "opening_rules", "opening_exceptions").order_by("pk"))


def scan(f: selectors.Filters, sites) -> set[int]:
    """What filter_sites must answer, computed the slow, obvious way."""
    wanted = set(f.type_codes())
    found = set()
    for s in sites:
        if s.status in (Site.Status.PLANNED, Site.Status.BUILDING):
            continue
        facilities, rules = list(s.facilities.all()), list(s.opening_rules.all())
        benefit = any(r.kind == OpeningRule.Kind.BENEFIT for r in rules)

        fits = [x for x in facilities if (not wanted or x.type in wanted)
                and (not f.free_or_low_fee or x.access in selectors.FREE_ACCESS or benefit)]
        if (wanted or f.free_or_low_fee) and not fits:
            continue
        if f.accessible and not s.accessible:
            continue
        if f.region and not s.region_id.startswith(codes.prefix(codes.normalise(f.region))):
            continue
        if f.q and f.q not in s.name and f.q not in s.address:
            continue
        if f.open_at and not opening.is_open(s, f.open_at, rules, list(s.opening_exceptions.all())):
            continue
        found.add(s.pk)
    return found


FILTERS = [
    selectors.Filters(),
    selectors.Filters(types=["basketball"]),
    selectors.Filters(types=["fitness_path"], free_or_low_fee=True),
    selectors.Filters(group="football"),
    selectors.Filters(group="water", free_or_low_fee=True),
    selectors.Filters(free_or_low_fee=True),
    selectors.Filters(accessible=True),
    selectors.Filters(types=["table_tennis"], accessible=True, region="371503"),
    selectors.Filters(region="371502002000"),
    selectors.Filters(q="中学"),
    selectors.Filters(group="ball", free_or_low_fee=True, accessible=True),
]
MOMENTS = [
    at(2025, 10, 1, 10),  # National Day, a Wednesday: holiday rules, else Sunday's
    at(2025, 10, 1, 7),
    at(2025, 10, 2, 10, 30),  # exceptions with short hours
    at(2025, 9, 28, 10),  # a Sunday that is a make-up working day: Monday's rules
    at(2025, 9, 28, 19),
    at(2025, 9, 21, 10),  # an ordinary Sunday
    at(2025, 9, 24, 5, 30),  # an ordinary Wednesday, early
    at(2025, 9, 24, 20),
]


def test_generated_city_is_big_enough(city):
    assert Site.objects.count() > 200
    assert Facility.objects.count() > 600


def test_filters_match_brute_force(city):
    sites = everything()
    for f in FILTERS:
        got = set(selectors.filter_sites(Site.objects.all(), f).values_list("pk", flat=True))
        assert got == scan(f, sites), f
        assert got, f  # every filter finds something in a real city


def test_open_now_matches_brute_force(city):
    sites = everything()
    for when in MOMENTS:
        opened = []
        for f in (selectors.Filters(open_at=when),
                  selectors.Filters(open_at=when, group="ball", free_or_low_fee=True)):
            got = set(selectors.filter_sites(Site.objects.all(), f).values_list("pk", flat=True))
            assert got == scan(f, sites), f
            opened.append(got)
        assert opened[0] and opened[0] != {s.pk for s in sites}, when  # some open, some not


def test_open_now_differs_on_holiday_and_makeup_day(city):
    """The calendar matters: school grounds are shut on the make-up Sunday morning, open the Sunday before."""
    schools = Site.objects.filter(owner_kind=Site.OwnerKind.SCHOOL, opening_rules__kind="school").distinct()
    open_makeup = selectors.filter_sites(schools, selectors.Filters(open_at=at(2025, 9, 28, 10)))
    open_sunday = selectors.filter_sites(schools, selectors.Filters(open_at=at(2025, 9, 21, 10)))
    assert open_makeup.count() == 0 < open_sunday.count()


@pytest.mark.parametrize("point,radius", [((36.45, 115.98), 2000), ((36.58, 116.25), 5000), ((36.5, 116.1), 500)])
def test_nearby_matches_brute_force(city, point, radius):
    lat, lon = point
    f = selectors.Filters(group="ball")
    hits = selectors.nearby(selectors.filter_sites(Site.objects.all(), f), lat, lon, radius)
    allowed = scan(f, everything())
    expected = sorted((geo.haversine_m(lat, lon, s.lat, s.lon), s.pk) for s in Site.objects.all()
                       if s.pk in allowed and geo.haversine_m(lat, lon, s.lat, s.lon) <= radius)
    assert [s.pk for s, _d in hits] == [pk for _d, pk in expected]
    assert all(abs(d - e) < 1e-6 for (_s, d), (e, _pk) in zip(hits, expected))


def test_finder_list_is_the_nearby_search(city):
    lat, lon = 36.45, 115.98
    r = Client().get(FINDER, {"lat": lat, "lon": lon, "radius": 5000, "sport": "g:fitness", "src": "me"})
    assert r.status_code == 200
    allowed = scan(selectors.Filters(group="fitness"), everything())
    expected = sorted((geo.haversine_m(lat, lon, s.lat, s.lon), s.pk) for s in Site.objects.filter(pk__in=allowed))
    expected = [pk for d, pk in expected if d <= 5000]
    assert r.context["page"].paginator.count == len(expected)
    assert [i["site"].pk for i in r.context["items"]] == expected[: views_finder.PAGE_SIZE]
    distances = [i["distance"] for i in r.context["items"]]
    assert all(distances) and len(r.context["items"]) <= views_finder.PAGE_SIZE


@pytest.mark.parametrize("params,f", [
    ({"sport": "basketball"}, selectors.Filters(types=["basketball"])),
    ({"sport": "g:water", "free": "1"}, selectors.Filters(group="water", free_or_low_fee=True)),
    ({"accessible": "1", "region": "371503"}, selectors.Filters(accessible=True, region="371503")),
    ({"q": "健身"}, selectors.Filters(q="健身")),
])
def test_finder_page_counts_match_brute_force(city, params, f):
    r = Client().get(FINDER, params)
    assert r.context["page"].paginator.count == len(scan(f, everything()))


def test_open_now_in_the_finder_uses_the_clock(city, monkeypatch):
    when = at(2025, 9, 28, 10)
    monkeypatch.setattr(views_finder, "_now", lambda: when)
    r = Client().get(FINDER, {"open_now": "1"})
    assert r.context["page"].paginator.count == len(scan(selectors.Filters(open_at=when), everything()))
    assert all(i["open_now"] for i in r.context["items"])


def test_bad_parameters_are_ignored_not_errors(city):
    # Ignored means ignored: the same places as with no parameter at all, not an error and not a
    # silently narrowed list. (A far-away but valid position only changes the order.)
    everything_count = Client().get(FINDER).context["page"].paginator.count
    everything_map = Client().get(MAP).json()
    assert everything_count > 0
    for params in ({"sport": "nonsense", "radius": "7", "lat": "abc"}, {"region": "99x"}, {"page": "-3"},
                   {"lat": "10", "lon": "10"}, {"lat": "95", "lon": "200"}, {"bbox": "1,2"}, {"grid": "x"}):
        page = Client().get(FINDER, params)
        assert page.status_code == 200 and page.context["page"].paginator.count == everything_count, params
        # An out-of-range page is the last one (Django's get_page), any other bad parameter stays on page 1.
        expected = page.context["page"].paginator.num_pages if "page" in params else 1
        assert page.context["page"].number == expected, params
        on_map = Client().get(MAP, params)
        assert on_map.status_code == 200, params
        if "lat" not in params:
            assert on_map.json() == everything_map, params


def test_htmx_gets_only_the_list(city):
    full = Client().get(FINDER, {"sport": "basketball"})
    part = Client().get(FINDER, {"sport": "basketball"}, headers={"HX-Request": "true", "HX-Target": "finder-results"})
    assert b"<html" in full.content and b"finder-form" in full.content
    assert b"<html" not in part.content and b"site-list" in part.content
    assert "HX-Request" in part["Vary"]


# -- the map's data ---------------------------------------------------------------------------
def test_map_points_and_clusters(city, monkeypatch):
    data = Client().get(MAP, {"sport": "basketball"}).json()
    expected = scan(selectors.Filters(types=["basketball"]), everything())
    assert {p[0] for p in data["points"]} == expected and data["total"] == len(expected)
    monkeypatch.setattr(views_finder, "MAX_POINTS", 10)
    data = Client().get(MAP, {"grid": "8"}).json()
    assert data["points"] == [] and sum(c[2] for c in data["clusters"]) == data["total"] > 10


def test_map_with_a_point_sends_the_circle(city):
    data = Client().get(MAP, {"lat": 36.45, "lon": 115.98, "radius": 1000}).json()
    assert data["origin"] == [36.45, 115.98] and data["radius"] == 1000
    assert all(geo.haversine_m(36.45, 115.98, p[1], p[2]) <= 1000 for p in data["points"])


def test_map_bbox_limits_the_points(city):
    box = {"bbox": "115.9,36.4,116.0,36.5"}
    data = Client().get(MAP, box).json()
    assert data["points"] and all(36.39 <= p[1] <= 36.51 and 115.89 <= p[2] <= 116.01 for p in data["points"])


def _inside(lat, lon, ring):
    """Ray casting: is (lat, lon) inside the polygon ring of [lat, lon] pairs?"""
    inside, n = False, len(ring)
    for i in range(n):
        (y1, x1), (y2, x2) = ring[i], ring[(i + 1) % n]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


@pytest.mark.parametrize("level,digits", [("county", 6), ("township", 9)])
def test_outlines_are_sketched_around_every_site(city, level, digits):
    data = Client().get(MAP, {"level": level}).json()
    rings = {o["code"][:digits]: o["ring"] for o in data["outlines"]}
    assert len(rings) == (2 if level == "county" else 8)
    for s in Site.objects.exclude(status__in=views_finder.UNBUILT):
        assert _inside(s.lat, s.lon, rings[s.region_id[:digits]]), s.name


def test_convex_hull():
    square = [(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0), (0, 1)]
    assert sorted(views_finder.convex_hull(square)) == [(0, 0), (0, 2), (2, 0), (2, 2)]
    assert views_finder.convex_hull([(1, 1), (1, 1)]) == [(1, 1)]


# -- GCJ-02 tiles -----------------------------------------------------------------------------
@pytest.mark.parametrize("tiles", [{"MAP_TILE_URL": "http://tiles.example/{z}/{x}/{y}.png", "MAP_TILE_CRS": "gcj02"},
                                   {"MAP_PROVIDER": "amap"}, {"MAP_PROVIDER": "tencent"}])
def test_gcj02_tiles_shift_points_and_picked_points(world, settings, tiles):
    for name, value in tiles.items():
        setattr(settings, name, value)
    site = world.site
    glon, glat = geo.wgs84_to_gcj02(site.lon, site.lat)
    data = Client().get(MAP).json()
    sent = {p[0]: (p[1], p[2]) for p in data["points"]}
    assert data["crs"] == "gcj02"
    assert sent[site.pk] == pytest.approx((glat, glon), abs=1e-6)
    # A point picked on the GCJ map is shifted back: the site is right there.
    picked = Client().get(FINDER, {"lat": glat, "lon": glon, "src": "map", "radius": 500},
                          headers={"Accept-Language": "en"})
    first = picked.context["items"][0]
    assert first["site"] == site and first["distance"] == "0 m"
    # The browser's own position is WGS-84 already and is not shifted.
    mine = Client().get(FINDER, {"lat": glat, "lon": glon, "src": "me", "radius": 2000}, headers={"Accept-Language": "en"})
    assert mine.context["items"][0]["distance"] != "0 m"
    page = Client().get(reverse("facilities:site", args=[site.pk]))
    shown = json.loads(page.content.decode().split('id="site-map-settings" type="application/json">')[1].split("<")[0])
    assert shown["point"] == pytest.approx([glat, glon], abs=1e-6) and shown["crs"] == "gcj02"


def test_wgs84_tiles_send_points_as_stored(world, settings):
    settings.MAP_TILE_CRS = "wgs84"
    data = Client().get(MAP).json()
    sent = {p[0]: (p[1], p[2]) for p in data["points"]}
    assert sent[world.site.pk] == (world.site.lat, world.site.lon)


# -- the site page ----------------------------------------------------------------------------
def _school_hours(site):
    rules = [{"weekday": d, "opens": datetime.time(18), "closes": datetime.time(21), "kind": "school"} for d in range(5)]
    rules += [{"weekday": d, "opens": datetime.time(8), "closes": datetime.time(18), "kind": "school"} for d in (5, 6)]
    rules += [{"weekday": d, "opens": datetime.time(6), "closes": datetime.time(8, 30), "kind": "benefit",
               "price_note": "免费"} for d in range(7)]
    services.set_opening_rules(site, rules)


def test_site_page_shows_hours_with_holidays_and_benefit_hours(world):
    site = world.site
    services.update_site(site, {"owner_kind": "school", "school_rules": "凭身份证登记入校", "manager": "古楼小学",
                                "contact_phone": "0635-8123456"})
    _school_hours(site)
    services.set_exception(site, datetime.date(2025, 10, 2), closed=True, note="校运会")
    r = Client().get(reverse("facilities:site", args=[site.pk]), {"from": "2025-09-28"},
                     headers={"Accept-Language": "en"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Make-up working day" in html and "Public holiday: National Day" in html
    days = {d["date"]: d for d in r.context["days"]}
    makeup = days[datetime.date(2025, 9, 28)]
    assert [(i.opens, i.closes) for i in makeup["hours"]] == [(datetime.time(18), datetime.time(21))]
    holiday = days[datetime.date(2025, 10, 1)]
    assert [(i.opens, i.closes) for i in holiday["hours"]] == [(datetime.time(8), datetime.time(18))]
    assert days[datetime.date(2025, 10, 2)]["hours"] == [] and "校运会" in html
    assert "18:00–21:00" in html and "08:00–18:00" in html
    assert "Free or low-fee hours" in html and "06:00–08:30" in html and "免费" in html
    assert "凭身份证登记入校" in html and "古楼小学" in html and "0635-8123456" in html
    assert "Basketball court" in html and "420 m²" in html and "Step-free entrance" in html


def test_site_page_week_defaults_to_today(world):
    r = Client().get(reverse("facilities:site", args=[world.site.pk]), {"from": "not-a-date"})
    assert r.context["days"][0]["date"] == timezone.localdate() and len(r.context["days"]) == 7


def test_planned_sites_are_not_shown_but_closed_ones_are(world):
    site = world.site
    for status, code in (("planned", 404), ("building", 404), ("repair", 200), ("closed", 200)):
        services.update_site(site, {"status": status})
        r = Client().get(reverse("facilities:site", args=[site.pk]), headers={"Accept-Language": "en"})
        assert r.status_code == code, status
    assert "This site is closed to the public." in r.content.decode()
    services.update_site(site, {"status": "repair"})
    html = Client().get(reverse("facilities:site", args=[site.pk]), headers={"Accept-Language": "en"}).content.decode()
    assert "closed for repair" in html
    assert Client().get(reverse("facilities:site", args=[999999])).status_code == 404


def test_planned_sites_stay_out_of_the_finder(world):
    services.update_site(world.site, {"status": "planned"})
    r = Client().get(FINDER)
    assert world.site.pk not in [i["site"].pk for i in r.context["items"]]
    assert world.site.pk not in [p[0] for p in Client().get(MAP).json()["points"]]


def test_links_only_to_pages_that_exist(world):
    html = Client().get(reverse("facilities:site", args=[world.site.pk])).content.decode()
    for name in ("booking:site", "feedback:report_site"):
        try:
            url = reverse(name, args=[world.site.pk])
        except NoReverseMatch:
            continue  # that capability is not built yet: no link, no dead end
        assert url in html
    assert 'href=""' not in html


def test_list_items_show_badges(world, monkeypatch):
    services.set_opening_rules(world.site, [{"weekday": d, "opens": datetime.time(6), "closes": datetime.time(22)}
                                            for d in range(8)])
    monkeypatch.setattr(views_finder, "_now", lambda: at(2025, 10, 1, 9))
    r = Client().get(FINDER, {"accessible": "1"}, headers={"Accept-Language": "en"})
    [item] = r.context["items"]
    assert item["site"] == world.site and item["open_now"] and item["free"] and item["accessible"]
    assert item["types"] == ["Basketball court"]
    html = r.content.decode()
    assert "Open now" in html and "Free or low fee" in html and world.site.name in html


def test_the_finder_works_without_javascript(world):
    """A plain GET form: every filter is a parameter, the list is in the page."""
    html = Client().get(FINDER, {"sport": "basketball"}).content.decode()
    assert 'method="get"' in html and 'name="sport"' in html and 'value="basketball" selected' in html
    assert world.site.name in html and world.other_site.name not in html


def test_outline_drawn_even_for_a_single_site(world):
    """The world has one site per county: each still gets a (small) sketched outline around it."""
    data = Client().get(MAP, {"level": "township"}).json()
    rings = {o["code"]: o["ring"] for o in data["outlines"]}
    assert _inside(world.site.lat, world.site.lon, rings[world.township.code])
    assert _inside(world.other_site.lat, world.other_site.lon, rings[world.other_township.code])


def test_short_division_codes_select_the_division(city):
    r = Client().get(FINDER, {"region": "371503"})
    assert 'value="371503000000" selected' in r.content.decode()
    assert r.context["page"].paginator.count == len(scan(selectors.Filters(region="371503"), everything()))


def test_namesakes_are_told_apart_by_township_and_address(world):
    """Without a position: by division then name; each card names its township and address (not the
    name again), so two 丁庄村健身广场 in different townships read differently."""
    a = services.create_site({"name": "丁庄村健身广场", "address": "丁庄村中心街8号", "lon": 116.26, "lat": 36.581,
                              "region": world.other_community})
    b = services.create_site({"name": "丁庄村健身广场", "address": "丁庄村健身广场", "lon": 115.986, "lat": 36.458,
                              "region": world.community})
    r = Client().get(FINDER, headers={"Accept-Language": "zh-hans"})
    items = r.context["items"]
    order = [(i["site"].region_id, i["site"].name) for i in items]
    assert order == sorted(order)  # 东昌府区 (371502…) before 茌平区 (371503…), by name within
    by_pk = {i["site"].pk: i for i in items}
    assert (by_pk[a.pk]["township"], by_pk[a.pk]["address"]) == ("振兴街道", "丁庄村中心街8号")
    assert (by_pk[b.pk]["township"], by_pk[b.pk]["address"]) == ("古楼街道", "")  # the name is not repeated
    html = r.content.decode()
    assert '<span class="site-township">振兴街道</span> · <span class="site-address">丁庄村中心街8号</span>' in html
    assert '<span class="site-township">古楼街道</span></div>' in html
    # With a position the nearest comes first, its distance on the card.
    near = Client().get(FINDER, {"lat": 36.581, "lon": 116.26, "src": "me", "radius": 5000},
                        headers={"Accept-Language": "en"}).context["items"]
    assert near[0]["site"] == a and near[0]["distance"] == "0 m" and near[0]["township"] == "振兴街道"
