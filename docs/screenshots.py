"""The README's screenshots, in Chinese, with a street map under the demo city (Playwright driving
Debian's Chromium, headless).

Needs, beyond `make setup`:
- the demo database (`make demo`, or QUANMIN_SQLITE_PATH / DATABASE_URL naming one that has it);
- Debian's Chromium (/usr/bin/chromium) and a CJK font, for Chromium's Chinese text and for the
  tiles' street names: `apt-get install -y fonts-noto-cjk`. Without the font Chinese comes out as
  boxes, so the script refuses to start. CI never runs this script and no test imports it.

    .venv/bin/python docs/screenshots.py

It starts a local tile server of made-up streets (docs/demo_tiles.py), then this project's server on
a free port with the own-tile-server setting pointing at it (QUANMIN_MAP_TILE_URL, credit
"演示底图：虚构街道"), so nothing is downloaded, and writes docs/home-phone.png (the signed-out home
page at 390×844), docs/finder-phone.png (the finder around a point, its map with streets) and
docs/staff-menu.png (a city staff member's menu at 1440×900, a group open).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import demo_tiles  # noqa: E402 (beside this script, not a package)

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh-hans"},
         "bypass_csp": True}  # for wait_for_function's predicate (the pages forbid eval)
DESK = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN",
        "extra_http_headers": {"Accept-Language": "zh-hans"}}
CITY_STAFF, PASSWORD = "13800000001", "Quanmin@2026"
# 东昌府区's seat: the finder looks 1 km around it.
FINDER = "/find/?lat=36.4570&lon=115.9850&radius=1000"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(tile_url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, QUANMIN_MAP_PROVIDER="url", QUANMIN_MAP_TILE_URL=tile_url,
               QUANMIN_MAP_TILE_ATTRIBUTION=demo_tiles.CREDIT)
    proc = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                            cwd=HERE.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start: run `make demo` first") from None
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not answer within a minute")


def shoot(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/")
        page.screenshot(path=HERE / "home-phone.png")
        page.goto(f"{base}{FINDER}")
        page.wait_for_selector(".leaflet-container .leaflet-marker-pane, .leaflet-container .leaflet-overlay-pane path")
        # Every tile in view drawn (a tile not yet loaded lacks the class).
        page.wait_for_function("document.querySelectorAll('.leaflet-tile').length > 0 && "
                               "[...document.querySelectorAll('.leaflet-tile')].every(t => t.complete && "
                               "t.classList.contains('leaflet-tile-loaded'))")
        page.screenshot(path=HERE / "finder-phone.png")
        desk = browser.new_context(**DESK).new_page()
        desk.goto(f"{base}/accounts/login/?next=/")
        desk.fill("input[name=phone]", CITY_STAFF)
        desk.fill("input[name=password]", PASSWORD)
        desk.locator("main form button[type=submit]").click()
        desk.wait_for_selector("#mainnav .nav-group summary")
        desk.locator("#mainnav .nav-group summary").nth(3).click()
        desk.screenshot(path=HERE / "staff-menu.png", clip={"x": 0, "y": 0, "width": 1440, "height": 420})
        browser.close()


def main() -> None:
    tiles, tile_url = demo_tiles.serve()
    proc, base = _server(tile_url)
    try:
        shoot(base)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        tiles.shutdown()


if __name__ == "__main__":
    main()
