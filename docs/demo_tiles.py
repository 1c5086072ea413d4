"""Map tiles of made-up streets around the demo city's county seats, drawn on request by a small
local tile server: the README's screenshots show a map with streets with no internet and no key,
through the setting an intranet's own tile server uses (QUANMIN_MAP_TILE_URL).

The streets are invented, as the demo city's places and addresses are: a grid named after the roads
of the demo's addresses (quanmin/demo/facilities.py ROADS), with a few parks. The tiles' credit says
so. Street names are drawn in Chinese: this needs a CJK font (Debian: fonts-noto-cjk).

    .venv/bin/python docs/demo_tiles.py 8765   # serves http://127.0.0.1:8765/{z}/{x}/{y}.png
"""

import functools
import io
import math
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_INDEX = 2  # Noto Sans CJK SC in Debian's collection
CREDIT = "演示底图：虚构街道"
TILE = 256
# The grid: from the south-west corner, a road every DLAT / DLON degrees (about 700 m), every
# third one a main road. It covers 东昌府区's seat, where the finder's screenshot looks.
LAT0, LON0, DLAT, DLON, ROWS, COLS = 36.36, 115.86, 0.0063, 0.0078, 34, 34
ROADS = ("建设路 振兴路 光明路 文化路 花园路 育新街 兴华路 东昌路 柳园路 湖滨路 站前街 利民路 新华路 "
         "向阳路 朝阳街 团结路 和平路 民主街 胜利路 卫育路").split()
LAND, PARK, CASING, MAIN, MINOR, TEXT = "#f2efe9", "#c2e5a0", "#b8b1a3", "#ffe49a", "#ffffff", "#262a30"


def world_px(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Web Mercator pixel of a WGS-84 point at zoom z."""
    size = TILE * 2 ** z
    siny = math.sin(math.radians(lat))
    return (lon + 180) / 360 * size, (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * size


def _name(i: int, north_south: bool) -> str:
    name = ROADS[(i * 7 + (3 if north_south else 0)) % len(ROADS)]
    return name if not north_south else name.replace("路", "大道") if i % 3 == 0 else name


@functools.cache
def _font(size: int):
    return ImageFont.truetype(str(FONT), size, index=FONT_INDEX)


def render(z: int, x: int, y: int) -> bytes:
    """One 256×256 PNG tile."""
    img = Image.new("RGB", (TILE, TILE), LAND)
    draw = ImageDraw.Draw(img)
    ox, oy = x * TILE, y * TILE
    lat1, lon1 = LAT0 + DLAT * (ROWS - 1), LON0 + DLON * (COLS - 1)
    # Parks: a few blocks, the same ones at every zoom.
    for i in range(ROWS - 1):
        for j in range(COLS - 1):
            if (i * 31 + j * 17) % 23 == 0:
                ax, ay = world_px(LON0 + DLON * j, LAT0 + DLAT * (i + 1), z)
                bx, by = world_px(LON0 + DLON * (j + 1), LAT0 + DLAT * i, z)
                if bx - ax > 12:  # else too small to see at this zoom
                    draw.rectangle([ax - ox + 4, ay - oy + 4, bx - ox - 4, by - oy - 4], fill=PARK)
    minor_shown = z >= 14
    roads = []  # (north_south, index, start px, end px, major)
    for i in range(ROWS):
        if i % 3 == 0 or minor_shown:
            roads.append((False, i, world_px(LON0, LAT0 + DLAT * i, z), world_px(lon1, LAT0 + DLAT * i, z), i % 3 == 0))
    for j in range(COLS):
        if j % 3 == 0 or minor_shown:
            roads.append((True, j, world_px(LON0 + DLON * j, lat1, z), world_px(LON0 + DLON * j, LAT0, z), j % 3 == 0))
    scale = max(0.5, min(2.0, 2 ** (z - 15)))
    for layer in ("casing", "fill"):
        for _ns, _i, a, b, major in roads:
            width = (7 if major else 4) * scale
            if layer == "casing":
                width, colour = width + 2, CASING
            else:
                colour = MAIN if major else MINOR
            draw.line([a[0] - ox, a[1] - oy, b[0] - ox, b[1] - oy], fill=colour, width=max(1, round(width)))
    if z >= 13:
        font = _font(14 if z >= 14 else 12)
        for north_south, i, _a, _b, major in roads:
            if z < 14 and not major:
                continue
            name = _name(i, north_south)
            for k in range((ROWS if north_south else COLS) - 1):
                # Mid-block, never on a crossing: every fourth block zoomed in, else mid-segment
                # of the main grid.
                if (z >= 14 and (k + i) % 4 != 1) or (z < 14 and (k % 3 != 1 or (k // 3 + i // 3) % 3)):
                    continue
                if north_south:
                    px, py = world_px(LON0 + DLON * i, LAT0 + DLAT * (k + 0.5), z)
                else:
                    px, py = world_px(LON0 + DLON * (k + 0.5), LAT0 + DLAT * i, z)
                px, py = px - ox, py - oy
                if -120 < px < TILE + 120 and -120 < py < TILE + 120:
                    _label(draw, font, name, px, py, north_south)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _label(draw, font, name: str, px: float, py: float, vertical: bool) -> None:
    """A road's name on the road: along it left to right, or down it character by character."""
    if vertical:
        h = font.size + 1
        top = py - h * len(name) / 2
        for k, ch in enumerate(name):
            draw.text((px, top + k * h), ch, font=font, fill=TEXT, anchor="mt", stroke_width=2, stroke_fill=LAND)
    else:
        draw.text((px, py), name, font=font, fill=TEXT, anchor="mm", stroke_width=2, stroke_fill=LAND)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            z, x, y = (int(p) for p in self.path.split("?")[0].removesuffix(".png").strip("/").split("/"))
            if not (0 <= z <= 19 and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
                raise ValueError
        except ValueError:
            self.send_error(404)
            return
        body = render(z, x, y)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the tile server in a thread; returns it and its URL template for QUANMIN_MAP_TILE_URL."""
    if not FONT.exists():
        raise SystemExit(f"{FONT} is missing: apt-get install fonts-noto-cjk")
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"


if __name__ == "__main__":
    srv, url = serve(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(f"QUANMIN_MAP_TILE_URL='{url}' QUANMIN_MAP_TILE_ATTRIBUTION='{CREDIT}'")
    threading.Event().wait()
