""""Navigate there" (导航): links that open the phone's map app at a site, walking.

Each app takes its own datum: AMap and Tencent GCJ-02, Baidu BD-09 (geo.py converts from our
WGS-84). Each link is the app's documented web URI (it works on any device and offers the app),
with the app's own URI scheme beside it (`app`, and `ios` where iOS differs) for navigate.js to try
first: on a phone with the app, the app opens straight away.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

from . import geo

SOURCE = "quanmin"  # the caller's name, as each app's URI API asks for one
BAIDU_SOURCE = "webapp.quanmin.quanmin"  # Baidu's form: <platform>.<company>.<app>


@dataclass(frozen=True)
class NavLink:
    app: str
    label: str
    href: str  # the web URI (universal)
    scheme: str  # the app's URI scheme
    ios: str = ""  # the scheme on iOS when it differs


def _q(value: str) -> str:
    return quote(value, safe="")


def _f(value: float) -> str:
    return f"{value:.6f}"


def full_address(site, trail=None) -> str:
    """The address as one copies it: the divisions' names (city, county, township), the street
    address and the site's name ("聊城市东昌府区古楼街道东关街1号 东关社区文体广场"). `trail`: the
    site's divisions from the top, if the caller has them already."""
    trail = trail if trail is not None else [*site.region.ancestors(), site.region]
    place = "".join(r.name for r in trail if r.level in ("city", "county", "township")) + (site.address or "")
    return place if site.address == site.name else f"{place} {site.name}"


def links(site) -> list[NavLink]:
    name = site.name
    address = site.address or ""
    glon, glat = geo.wgs84_to_gcj02(site.lon, site.lat)
    blon, blat = geo.wgs84_to_bd09(site.lon, site.lat)
    g = f"{_f(glat)},{_f(glon)}"
    b = f"{_f(blat)},{_f(blon)}"
    amap = urlencode({"sourceApplication": SOURCE, "dlat": _f(glat), "dlon": _f(glon), "dname": name, "dev": 0, "t": 2})
    return [
        NavLink(
            "amap", _("Amap"),
            href="https://uri.amap.com/navigation?" + urlencode(
                {"to": f"{_f(glon)},{_f(glat)},{name}", "mode": "walk", "src": SOURCE, "coordinate": "gaode",
                 "callnative": 1}),
            scheme="amapuri://route/plan/?" + amap, ios="iosamap://path?" + amap),
        NavLink(
            "baidu", _("Baidu Maps"),
            href=f"https://api.map.baidu.com/marker?location={b}&title={_q(name)}&content={_q(address)}"
                 f"&output=html&coord_type=bd09ll&src={BAIDU_SOURCE}",
            scheme=f"baidumap://map/direction?destination=latlng:{b}|name:{_q(name)}&coord_type=bd09ll"
                   f"&mode=walking&src={BAIDU_SOURCE}"),
        NavLink(
            "tencent", _("Tencent Maps"),
            href=f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{g};title:{_q(name)};addr:{_q(address)}"
                 f"&referer={SOURCE}",
            scheme=f"qqmap://map/routeplan?type=walk&to={_q(name)}&tocoord={g}&referer={SOURCE}"),
    ]
