"""The maps in a real browser at a phone's size: a tile server of one's own, 天地图's two layers,
Leaflet's credit without the flag, and the site page's "navigate there" and copyable address."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from quanmin.facilities import geo
from quanmin.regions import streets
from tests.conftest import open_page

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": False, "has_touch": True, "locale": "zh-CN"}


@pytest.fixture
def tile_server():
    """A real tile server on a local port (an intranet's): every tile a green 256-pixel PNG; the
    paths asked for are kept."""
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 230, 200)).save(buf, "PNG")
    png, asked = buf.getvalue(), []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


def _credit_has_no_flag(page):
    from playwright.sync_api import expect

    credit = page.locator(".leaflet-control-attribution").first
    expect(credit).to_contain_text("Leaflet")
    assert credit.locator("svg").count() == 0


def test_own_tile_server_draws_the_finder_and_site_maps(live_server, world, browser, no_map_tiles, tile_server):
    from playwright.sync_api import expect

    base, asked = tile_server
    no_map_tiles.MAP_TILE_URL = base + "/{z}/{x}/{y}.png"
    no_map_tiles.MAP_TILE_ATTRIBUTION = "市自然资源和规划局"
    context, page, errors = open_page(browser, **PHONE)
    page.goto(f"{live_server.url}/find/")
    tiles = page.locator("#finder-map img.leaflet-tile-loaded")
    expect(tiles.first).to_be_attached()
    assert tiles.first.get_attribute("src").startswith(base + "/")
    assert all(re.fullmatch(r"/\d+/\d+/\d+\.png", p) for p in asked)
    _credit_has_no_flag(page)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("市自然资源和规划局")
    # With tiles the outlines carry no names of their own (the tiles have them).
    expect(page.locator("#finder-map path.leaflet-interactive")).to_have_count(2)
    assert page.locator(".outline-label").count() == 0

    page.goto(f"{live_server.url}/sites/{world.site.pk}/")
    expect(page.locator("#site-map img.leaflet-tile-loaded").first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()


def test_tianditu_vector_and_annotation_layers(live_server, world, browser, no_map_tiles):
    from playwright.sync_api import expect

    no_map_tiles.TIANDITU_KEY = "test-key-123"
    context, page, errors = open_page(browser, **PHONE)
    context.route(re.compile(r"https://t\d\.tianditu\.gov\.cn/.*"), lambda route: route.abort())  # no internet here
    page.goto(f"{live_server.url}/sites/{world.site.pk}/")
    vec = page.locator("#site-map img.leaflet-tile[src*='/vec_w/wmts']")
    cva = page.locator("#site-map img.leaflet-tile[src*='/cva_w/wmts']")
    expect(vec.first).to_be_attached()
    expect(cva.first).to_be_attached()
    q = parse_qs(urlsplit(vec.first.get_attribute("src")).query)
    assert q["tk"] == ["test-key-123"] and q["TILEMATRIXSET"] == ["w"] and int(q["TILEMATRIX"][0]) == 16
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("天地图")
    _credit_has_no_flag(page)
    assert errors == []
    context.close()


def test_site_page_offline_navigate_and_copy(live_server, world, browser, no_map_tiles):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/sites/{world.site.pk}/")
    # Offline: the township's outline named, Leaflet's credit without the flag.
    expect(page.locator("#site-map .outline-label")).to_have_text("古楼街道")
    _credit_has_no_flag(page)

    # Navigate there: three apps, each in its own datum.
    apps = page.locator("#navigate a.nav-app")
    expect(apps).to_have_count(3)
    expect(apps.nth(0)).to_have_text("高德地图")
    expect(apps.nth(1)).to_have_text("百度地图")
    expect(apps.nth(2)).to_have_text("腾讯地图")
    for a in (apps.nth(0), apps.nth(1), apps.nth(2)):
        box = a.bounding_box()
        assert box["height"] >= 32 and box["x"] + box["width"] <= 390
    glon, glat = geo.wgs84_to_gcj02(world.site.lon, world.site.lat)
    blon, blat = geo.wgs84_to_bd09(world.site.lon, world.site.lat)
    amap = parse_qs(urlsplit(apps.nth(0).get_attribute("data-app")).query)
    assert (float(amap["dlat"][0]), float(amap["dlon"][0])) == pytest.approx((glat, glon), abs=1e-6)
    assert f"latlng:{blat:.6f},{blon:.6f}" in apps.nth(1).get_attribute("data-app")
    assert f"location={blat:.6f},{blon:.6f}" in apps.nth(1).get_attribute("href")
    assert f"tocoord={glat:.6f},{glon:.6f}" in apps.nth(2).get_attribute("data-app")

    # The address copies whole, with the divisions' names.
    page.click("#copy-address")
    expect(page.locator("#copy-status")).to_have_text("地址已复制")
    assert page.evaluate("navigator.clipboard.readText()") == "聊城市东昌府区古楼街道东关街1号 东关社区文体广场"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/site-navigate.png", full_page=True)
    assert errors == []
    context.close()


def test_offline_site_map_draws_the_loaded_streets_named(live_server, world, browser, no_map_tiles):
    from playwright.sync_api import expect

    streets.replace_streets([
        ("东关街", "residential", [[115.980, 36.457], [115.985, 36.4572], [115.990, 36.457]]),
        ("柳园路", "primary", [[115.9855, 36.452], [115.9855, 36.462]]),
    ])
    context, page, errors = open_page(browser, **PHONE)
    page.goto(f"{live_server.url}/sites/{world.site.pk}/")
    expect(page.locator("#site-map path.street")).to_have_count(2)
    labels = page.locator("#site-map .street-label")
    expect(labels).to_have_count(2)
    expect(labels.filter(has_text="东关街")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    page.screenshot(path="/tmp/site-streets.png")
    assert errors == []
    context.close()
