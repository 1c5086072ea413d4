"""Permission rows for sports tourism and heritage (G13): division staff of every level keep the
routes, demonstration bases, quality events, collection holders and items of their divisions
(supervisors read, donors' phones masked only); anyone reads the residents' tourism page. The path
parameters make a record in the role's own scope (its community, or the other county's) on first
use; a loan gets a fresh item each time."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.heritage import services

P = "/api/v1/heritage"
_n = itertools.count(1)


def _where(w, role):
    return w.other_community if role == "other_county" else w.community


def _cache(w) -> dict:
    if not hasattr(w, "heritage"):
        w.heritage = {}
    return w.heritage


def route_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": "环东昌湖健步走", "length_km": "12.5",
            "season": "春秋", "opened_on": "2023-05-01", "active": True,
            "stops": [{"name": "光岳楼", "lon": 115.9886, "lat": 36.4537}, {"name": "铁塔", "lon": 115.985, "lat": 36.44}]}


def base_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": f"东昌湖水上运动基地{next(_n)}",
            "unit": "东昌湖旅游度假区管委会", "level": "provincial", "year_awarded": 2022}


def event_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": f"东昌湖龙舟赛{next(_n)}", "first_day": "2026-06-19",
            "place": "东昌湖"}


def holder_body(w=None, role=None):
    return {"region": _where(w, role).code if w else "", "name": "聊城体育博物馆", "kind": "museum"}


def _made(w, role, key, save, body):
    cache = _cache(w)
    found = (key, role == "other_county")
    if found not in cache:
        cache[found] = save(w.users["superuser"], body(w, role))
    return cache[found]


def route(w, role=None):
    return _made(w, role, "route", services.save_route, route_body)


def photo_route(w, role=None):
    """A route with a photo (a 2×2 PNG), made once."""
    cache = _cache(w)
    if "photo_route" not in cache:
        from PIL import Image  # Pillow loads its plugins on import: only the rows that need a photo pay

        out = io.BytesIO()
        Image.new("RGB", (2, 2), "teal").save(out, "PNG")
        cache["photo_route"] = services.save_route(w.users["superuser"], {**route_body(w, role), "name": "古城定向"},
                                                   photo=SimpleUploadedFile("route.png", out.getvalue()))
    return cache["photo_route"]


def base(w, role=None):
    return _made(w, role, "base", services.save_base, base_body)


def event(w, role=None):
    return _made(w, role, "event", services.save_event, event_body)


def holder(w, role=None):
    return _made(w, role, "holder", services.save_holder, holder_body)


def item_body(w=None, role=None):
    return {"holder": holder(w, role).pk if w else 0, "catalogue_no": f"TY-{next(_n):04}", "title": "1959年全运会奖章",
            "kind": "medal", "era": "1959年", "donor": "王振华", "donor_phone": "13812345678",
            "acquired_on": "2024-03-01", "acquisition": "donation", "location": "二号库房"}


def item(w, role=None):
    cache = _cache(w)
    key = ("item", role == "other_county")
    if key not in cache:
        cache[key] = services.save_item(w.users["superuser"], item_body(w, role))
    return cache[key]


def fresh_item(w, role=None):
    return services.save_item(w.users["superuser"], item_body(w, role))


def pk_of(find):
    return lambda w, role=None: {"pk": find(w, role).pk}


def id_of(find, name):
    return lambda w, role=None: {name: find(w, role).pk}


LOAN = {"kind": "loan", "day": "2025-05-01", "borrower": "山东省体育博物馆"}
REVEAL = {"purpose": "核对捐赠人信息"}

WEB = {
    "heritage:home": ("public", None, "get", None),
    "heritage:public_route": ("public", pk_of(route), "get", None),
    "heritage:route_photo": ("public", pk_of(photo_route), "get", None),
    "heritage:routes": ("division_reader", None, "get", None),
    # A record of no division: 400 with the form again.
    "heritage:route_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:route": ("division_reader", pk_of(route), "get", None, {"post": ({}, 400, "division_writer")}),
    "heritage:bases": ("division_reader", None, "get", None),
    "heritage:base_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:base": ("division_reader", pk_of(base), "get", None, {"post": ({}, 400, "division_writer")}),
    "heritage:events": ("division_reader", None, "get", None),
    "heritage:event_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:event": ("division_reader", pk_of(event), "get", None, {"post": ({}, 400, "division_writer")}),
    "heritage:holders": ("division_reader", None, "get", None),
    "heritage:holder_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:holder": ("division_reader", pk_of(holder), "get", None, {"post": ({}, 400, "division_writer")}),
    "heritage:items": ("division_reader", None, "get", None),
    "heritage:item_new": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:item": ("division_reader", pk_of(item), "get", None, {"post": ({}, 400, "division_writer")}),
    "heritage:item_log": ("division_writer", pk_of(fresh_item), "post", LOAN),
    # Those who may change the item read its donor's whole phone (the page with it, not a redirect);
    # supervisors see it masked only, as for an instructor's numbers (least privilege).
    "heritage:item_reveal": ("division_writer", pk_of(item), "post", REVEAL, 200),
    "heritage:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "heritage:export": ("division_reader", None, "get", None),
    "heritage:figures": ("division_reader", None, "get", None),
}

API = {
    f"GET {P}/tourism/routes": ("public", None, None),
    f"GET {P}/tourism/bases": ("public", None, None),
    f"GET {P}/tourism/events": ("public", None, None),
    f"GET {P}/routes": ("division_reader", None, None),
    f"POST {P}/routes": ("division_writer", None, {**route_body(), "region": "000000000000"}, 400),
    f"PUT {P}/routes/{{route_id}}": ("division_writer", id_of(route, "route_id"), route_body),
    f"GET {P}/bases": ("division_reader", None, None),
    f"POST {P}/bases": ("division_writer", None, base_body),
    f"PUT {P}/bases/{{base_id}}": ("division_writer", id_of(base, "base_id"), base_body),
    f"GET {P}/events": ("division_reader", None, None),
    f"POST {P}/events": ("division_writer", None, event_body),
    f"PUT {P}/events/{{event_id}}": ("division_writer", id_of(event, "event_id"), event_body),
    f"GET {P}/holders": ("division_reader", None, None),
    f"POST {P}/holders": ("division_writer", None, {**holder_body(), "region": "000000000000"}, 400),
    f"PUT {P}/holders/{{holder_id}}": ("division_writer", id_of(holder, "holder_id"), holder_body),
    f"GET {P}/items": ("division_reader", None, None),
    f"POST {P}/items": ("division_writer", None, item_body),
    f"GET {P}/items/{{item_id}}": ("division_reader", id_of(item, "item_id"), None),
    f"PUT {P}/items/{{item_id}}": ("division_writer", id_of(item, "item_id"), lambda w=None, role=None: {
        **item_body(w, role), "catalogue_no": item(w, role).catalogue_no}),
    f"POST {P}/items/{{item_id}}/reveal": ("division_writer", id_of(item, "item_id"), REVEAL, 200),
    # Residents are refused (403) before the item is looked up, like the item's other endpoints
    # (tests/heritage/test_pages.py checks the status; the matrix takes any denial).
    f"GET {P}/items/{{item_id}}/log": ("division_reader", id_of(item, "item_id"), None),
    f"POST {P}/items/{{item_id}}/log": ("division_writer", id_of(fresh_item, "item_id"), LOAN),
    f"GET {P}/items/export.xlsx": ("division_reader", None, None),
    # No file: 400.
    f"POST {P}/items/import": ("division_writer", None, None, 400),
    f"GET {P}/figures": ("division_reader", None, None),
}

CROSS_COUNTY = [
    ("web", "heritage:item", pk_of(item), None, 200),
    ("api", f"GET {P}/items/{{item_id}}", id_of(item, "item_id"), None, 200),
    ("api", f"PUT {P}/bases/{{base_id}}", id_of(base, "base_id"), base_body, 200),
    ("api", f"POST {P}/items/{{item_id}}/reveal", id_of(item, "item_id"), REVEAL, 200),
]
