"""Map settings, datum conversions and the "navigate there" links.

Reference points for the conversions are published ones, not our own output:
- wandergis/coordtransform, test/app.js (the npm package most Chinese web maps use), for the
  point (116.404, 39.915): WGS-84 → GCJ-02 (116.41024449916938, 39.91640428150164),
  GCJ-02 → BD-09 (116.41036949371029, 39.92133699351021), BD-09 → GCJ-02
  (116.39762729119315, 39.90865673957631), GCJ-02 → WGS-84 (116.39775550083061, 39.91359571849836;
  theirs is one step of the inverse, ours iterates: within 1e-6°, about 0.1 m);
- Beijing railway station in Jun Cai's (Tsinghua University) R conversion functions, the examples of
  wgs2gcj / gcj2bd / wgs2bd: WGS-84 (39.90105, 116.42079), GCJ-02 (39.90245, 116.42703),
  BD-09 (39.90851, 116.43351), published to five decimals.
"""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from quanmin.facilities import basemap, geo, navigate
from quanmin.regions import streets


# -- conversions -------------------------------------------------------------------------------
def test_wgs84_to_gcj02_matches_the_published_point():
    assert geo.wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)


def test_gcj02_to_wgs84_matches_the_published_point():
    assert geo.gcj02_to_wgs84(116.404, 39.915) == pytest.approx((116.39775550083061, 39.91359571849836), abs=1e-6)


def test_gcj02_bd09_match_the_published_points():
    assert geo.gcj02_to_bd09(116.404, 39.915) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    assert geo.bd09_to_gcj02(116.404, 39.915) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-9)
    # Beijing railway station, published to five decimals.
    assert geo.gcj02_to_bd09(116.42703, 39.90245) == pytest.approx((116.43351, 39.90851), abs=1e-5)
    assert geo.bd09_to_gcj02(116.43351, 39.90851) == pytest.approx((116.42703, 39.90245), abs=1e-5)


def test_wgs84_to_bd09_matches_the_published_station():
    assert geo.wgs84_to_gcj02(116.42079, 39.90105) == pytest.approx((116.42703, 39.90245), abs=1e-5)
    # Theirs derives the ellipsoid's eccentricity from a rounded flattening: within 2e-5° (2 m).
    assert geo.wgs84_to_bd09(116.42079, 39.90105) == pytest.approx((116.43351, 39.90851), abs=2e-5)


def test_wgs84_to_bd09_goes_through_gcj02():
    g = geo.wgs84_to_gcj02(115.985, 36.457)
    assert geo.wgs84_to_bd09(115.985, 36.457) == geo.gcj02_to_bd09(*g)
    # Baidu is further east and north than GCJ-02, by some 600-700 m here.
    b = geo.wgs84_to_bd09(115.985, 36.457)
    assert 400 < geo.haversine_m(g[1], g[0], b[1], b[0]) < 1000
    # Outside China nothing is shifted.
    assert geo.wgs84_to_bd09(2.35, 48.85) == (2.35, 48.85)


@given(st.floats(73.5, 135.0), st.floats(18.2, 53.5))
def test_the_conversions_invert_within_a_metre(lon, lat):
    back = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(lon, lat))
    assert geo.haversine_m(lat, lon, back[1], back[0]) < 1.0
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lon, lat))
    assert geo.haversine_m(lat, lon, back[1], back[0]) < 1.0


# -- providers ---------------------------------------------------------------------------------


def test_no_setting_is_the_offline_map(db, no_map_tiles):
    conf = basemap.settings_for_page()
    assert basemap.provider() == "offline" and conf["layers"] == [] and conf["tiles"] == "" and conf["crs"] == "wgs84"
    assert "Leaflet" in conf["prefix"] and "<svg" not in conf["prefix"]


def test_tianditu_key_gives_vector_and_annotation_layers(no_map_tiles):
    no_map_tiles.TIANDITU_KEY = "abc123"
    with translation.override("en"):
        assert "LAYER=eva" in basemap.layers()[1]["url"]  # the annotations in English
    with translation.override("zh-hans"):
        vec, labels = basemap.layers()
    assert basemap.provider() == "tianditu" and basemap.crs() == "wgs84"
    for layer, name in ((vec, "vec"), (labels, "cva")):
        url = layer["url"]
        assert url.startswith(f"https://t{{s}}.tianditu.gov.cn/{name}_w/wmts?")
        q = parse_qs(urlsplit(url).query)
        assert q["LAYER"] == [name] and q["TILEMATRIXSET"] == ["w"] and q["tk"] == ["abc123"]
        assert q["TILEMATRIX"] == ["{z}"] and q["TILEROW"] == ["{y}"] and q["TILECOL"] == ["{x}"]
        assert layer["subdomains"] == "01234567"
    assert "天地图" in vec["attribution"]
    assert basemap.tile_origins()[:2] == ["https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn"]


def test_tianditu_without_a_key_falls_back_offline(no_map_tiles):
    no_map_tiles.MAP_PROVIDER = "tianditu"
    assert basemap.provider() == "offline"


@pytest.mark.parametrize("name", ["amap", "tencent"])
def test_gcj02_providers_shift_points(no_map_tiles, name):
    no_map_tiles.MAP_PROVIDER = name
    assert basemap.crs() == "gcj02" and len(basemap.layers()) == 1
    lon, lat = geo.wgs84_to_gcj02(115.985, 36.457)
    assert basemap.to_map(36.457, 115.985) == [round(lat, 6), round(lon, 6)]
    back = basemap.from_map(lon, lat)
    assert back == pytest.approx((115.985, 36.457), abs=1e-6)


def test_own_tile_server(no_map_tiles):
    no_map_tiles.MAP_TILE_URL = "http://tiles.intranet.example:8080/{z}/{x}/{y}.png"
    no_map_tiles.MAP_TILE_ATTRIBUTION = "市规划局"
    assert basemap.provider() == "url" and basemap.crs() == "wgs84"
    assert basemap.layers() == [{"url": no_map_tiles.MAP_TILE_URL, "subdomains": "abc", "attribution": "市规划局"}]
    assert basemap.tile_origins() == ["http://tiles.intranet.example:8080"]
    no_map_tiles.MAP_TILE_CRS = "GCJ02"
    assert basemap.crs() == "gcj02"


# -- navigate there ----------------------------------------------------------------------------
def _links(site) -> dict:
    return {link.app: link for link in navigate.links(site)}


def test_navigation_links_carry_each_apps_datum(world):
    site = world.site
    links = _links(site)
    glon, glat = geo.wgs84_to_gcj02(site.lon, site.lat)
    blon, blat = geo.wgs84_to_bd09(site.lon, site.lat)

    amap = parse_qs(urlsplit(links["amap"].href).query)
    lon, lat, name = amap["to"][0].split(",")
    assert (float(lon), float(lat)) == pytest.approx((glon, glat), abs=1e-6) and name == site.name
    assert amap["coordinate"] == ["gaode"] and amap["mode"] == ["walk"]
    for scheme in (links["amap"].scheme, links["amap"].ios):
        q = parse_qs(urlsplit(scheme).query)
        assert (float(q["dlat"][0]), float(q["dlon"][0])) == pytest.approx((glat, glon), abs=1e-6)
        assert q["dname"] == [site.name] and q["t"] == ["2"]
    assert links["amap"].scheme.startswith("amapuri://route/plan/?") and links["amap"].ios.startswith("iosamap://path?")

    baidu = parse_qs(urlsplit(links["baidu"].href).query)
    assert [float(v) for v in baidu["location"][0].split(",")] == pytest.approx([blat, blon], abs=1e-6)
    assert baidu["coord_type"] == ["bd09ll"] and baidu["title"] == [site.name] and baidu["content"] == [site.address]
    scheme = links["baidu"].scheme
    assert scheme.startswith("baidumap://map/direction?")
    dest = unquote(parse_qs(urlsplit(scheme).query)["destination"][0])
    assert dest == f"latlng:{blat:.6f},{blon:.6f}|name:{site.name}" and "coord_type=bd09ll" in scheme

    tencent = unquote(links["tencent"].href)
    assert f"coord:{glat:.6f},{glon:.6f};title:{site.name};addr:{site.address}" in tencent
    q = parse_qs(urlsplit(links["tencent"].scheme).query)
    assert q["tocoord"] == [f"{glat:.6f},{glon:.6f}"] and q["to"] == [site.name] and q["type"] == ["walk"]


def test_names_with_url_characters_stay_in_their_field(world):
    site = world.site
    site.name = "A&B|球场;#1"
    links = _links(site)
    assert parse_qs(urlsplit(links["amap"].href).query)["to"][0].endswith(",A&B|球场;#1")
    assert parse_qs(urlsplit(links["baidu"].href).query)["title"] == ["A&B|球场;#1"]
    assert parse_qs(urlsplit(links["tencent"].scheme).query)["to"] == ["A&B|球场;#1"]


def test_full_address_names_the_divisions(world):
    assert navigate.full_address(world.site) == "聊城市东昌府区古楼街道东关街1号 东关社区文体广场"
    world.site.address = world.site.name
    assert navigate.full_address(world.site) == "聊城市东昌府区古楼街道东关社区文体广场"


def test_site_page_offers_navigation_and_the_address(world, client):
    page = client.get(reverse("facilities:site", args=[world.site.pk])).content.decode()
    assert 'id="navigate"' in page and "baidumap://map/direction" in page and "uri.amap.com/navigation" in page
    assert "聊城市东昌府区古楼街道东关街1号 东关社区文体广场" in page
    assert "<script>" not in page  # no inline script of ours (the CSP allows none)


# -- the loaded streets on the offline map ------------------------------------------------------
STREETS = [("东关街", "residential", [[115.980, 36.457], [115.985, 36.4572], [115.990, 36.457]]),
           ("柳园路", "primary", [[115.9855, 36.452], [115.9855, 36.462]]),
           ("远路", "", [[116.25, 36.58], [116.26, 36.58]])]


def test_streets_in_the_view_are_sent(db, client, no_map_tiles):
    url = reverse("facilities:streets_map")
    assert basemap.settings_for_page()["streets"] == ""  # none loaded: nothing to fetch
    streets.replace_streets(STREETS)
    conf = basemap.settings_for_page()
    assert conf["streets"] == url and "OpenStreetMap" in conf["streets_credit"]
    data = client.get(url, {"bbox": "115.97,36.45,116.0,36.47"}).json()
    assert sorted(s[0] for s in data["streets"]) == ["东关街", "柳园路"]
    east = next(s for s in data["streets"] if s[0] == "东关街")
    assert east[1] == "residential" and east[2][1] == [36.4572, 115.985]  # [lat, lon], Leaflet's order
    # A city-wide view asks to zoom in; nonsense asks the same and never fails.
    assert client.get(url, {"bbox": "115.0,36.0,117.0,37.0"}).json() == {"streets": [], "zoom_in": True}
    for bad in ("", "a,b,c,d", "116,36,115,37", "1,2,3"):
        assert client.get(url, {"bbox": bad}).json()["zoom_in"] is True
    # With tiles the tiles draw the streets.
    no_map_tiles.TIANDITU_KEY = "k"
    assert basemap.settings_for_page()["streets"] == ""
