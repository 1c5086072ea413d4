"""The base map under every Leaflet map of the platform: which tiles, in which datum, with what credit.

One setting chooses the provider (`QUANMIN_MAP_PROVIDER`, or guessed from the other settings):

- ``tianditu`` — 天地图, the national platform government sites use: vector and annotation layers
  (Web Mercator, CGCS2000 ≈ WGS-84, so no shift), key in `QUANMIN_TIANDITU_KEY`;
- ``amap`` / ``tencent`` — the GCJ-02 street maps of AutoNavi and Tencent: every point is shifted
  to GCJ-02 before it is drawn and a point picked on the map is shifted back;
- ``url`` — a tile server of one's own (an intranet's), `QUANMIN_MAP_TILE_URL` with
  `QUANMIN_MAP_TILE_CRS` (wgs84 or gcj02) and `QUANMIN_MAP_TILE_ATTRIBUTION`;
- ``offline`` — no tiles: the maps draw what the platform knows (division outlines with names, and
  the streets of a walking network when one is loaded).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from quanmin.regions import streets

from . import geo

PROVIDERS = ("tianditu", "amap", "tencent", "url", "offline")
TIANDITU = ("https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=%(layer)s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
            "&tk=%(key)s")
TIANDITU_CREDIT = '<a href="https://www.tianditu.gov.cn/" target="_blank" rel="noopener">天地图</a>'
AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
TENCENT = "https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&type=vector&styleid=0"
# Loaded streets come from OpenStreetMap (ODbL asks for the credit) or a file of one's own.
STREETS_CREDIT = '<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">© OpenStreetMap</a>'
# Leaflet's credit without the flag it has shown since 1.8 (a political symbol on a government page).
LEAFLET_PREFIX = '<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>'


def provider() -> str:
    chosen = (getattr(settings, "MAP_PROVIDER", "") or "").strip().lower()
    if chosen in PROVIDERS:
        if chosen == "tianditu" and not settings.TIANDITU_KEY:
            return "offline"
        if chosen == "url" and not settings.MAP_TILE_URL:
            return "offline"
        return chosen
    if settings.TIANDITU_KEY:
        return "tianditu"
    return "url" if settings.MAP_TILE_URL else "offline"


def crs() -> str:
    """The datum the tiles are drawn in: "wgs84" or "gcj02"."""
    p = provider()
    if p in ("amap", "tencent"):
        return "gcj02"
    if p == "url" and settings.MAP_TILE_CRS.strip().lower() == "gcj02":
        return "gcj02"
    return "wgs84"


def layers() -> list[dict]:
    """The tile layers, bottom first, as Leaflet's L.tileLayer takes them."""
    p = provider()
    if p == "tianditu":
        key = settings.TIANDITU_KEY
        # The annotation layer in the page's language: cva (Chinese) or eva (English).
        labels = "eva" if (get_language() or "").startswith("en") else "cva"
        return [
            {"url": TIANDITU % {"layer": "vec", "key": key}, "subdomains": "01234567", "attribution": TIANDITU_CREDIT},
            {"url": TIANDITU % {"layer": labels, "key": key}, "subdomains": "01234567", "attribution": ""},
        ]
    if p == "amap":
        return [{"url": AMAP, "subdomains": "1234", "attribution": "© 高德地图 AutoNavi"}]
    if p == "tencent":
        return [{"url": TENCENT, "subdomains": "0123", "attribution": "© 腾讯地图 Tencent"}]
    if p == "url":
        return [{"url": settings.MAP_TILE_URL, "subdomains": "abc", "attribution": settings.MAP_TILE_ATTRIBUTION}]
    return []


def settings_for_page() -> dict:
    """What basemap.js needs: the layers (empty: offline), the datum, Leaflet's credit, the zoom
    buttons' titles in the page's language and, offline with streets loaded, where to fetch them."""
    found = layers()
    conf = {"tiles": found[0]["url"] if found else "", "layers": found, "crs": crs(), "prefix": LEAFLET_PREFIX,
            "streets": "", "zoom_in": _("Zoom in"), "zoom_out": _("Zoom out")}
    if not found and streets.any_loaded():
        conf.update(streets=reverse("facilities:streets_map"), streets_credit=STREETS_CREDIT)
    return conf


def tile_origins() -> list[str]:
    """The hosts tiles come from (for a Content-Security-Policy's img-src)."""
    origins = []
    for layer in layers():
        url = layer["url"]
        scheme, _, rest = url.partition("://")
        host = rest.split("/", 1)[0]
        if "{s}" in host:
            origins += [f"{scheme}://{host.replace('{s}', s)}" for s in layer["subdomains"]]
        elif host:
            origins.append(f"{scheme}://{host}")
    return list(dict.fromkeys(origins))


def to_map(lat: float, lon: float) -> list[float]:
    """[lat, lon] as the tiles draw them (Leaflet's order)."""
    if crs() == "gcj02":
        lon, lat = geo.wgs84_to_gcj02(lon, lat)
    return [round(lat, 6), round(lon, 6)]


def from_map(lon: float, lat: float) -> tuple[float, float]:
    """A (lon, lat) picked on the map back to WGS-84."""
    return geo.gcj02_to_wgs84(lon, lat) if crs() == "gcj02" else (lon, lat)
