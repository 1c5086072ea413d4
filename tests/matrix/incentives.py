"""Permission rows for sports points and vouchers (the pages under /incentives/ and
/staff/incentives/, and /api/v1/incentives).

The world has none: the first call makes, for each staff role's division (the supervisor reads the
city's; residents, strangers and the superuser get the city's), a draft voucher campaign and an empty
settlement at its venue. Writes carry bodies the services refuse (an unknown fact, a budget too small,
an unknown venue, a draft without venues), so one role's calls leave the next role's objects as they
were. Venue operators are not among the matrix's roles: the counter pages and operations are
"nobody" here (every role is refused), and tests/incentives/test_pages.py covers the operators.
"""

import datetime

from django.utils import timezone

REGION_OF = {"community": "community", "township": "township", "county": "county", "other_county": "other_county",
             "city": "city", "supervisor": "city"}
API_ROOT = "/api/v1/incentives"


def _made(w):
    made = w.__dict__.get("_incentives_matrix")
    if made is not None:
        return made
    from quanmin.incentives import vouchers
    from quanmin.incentives.models import Settlement

    su = w.users["superuser"]
    now = timezone.now()
    made = {}
    # An open city campaign at the world's site, one voucher claimed by every signed-in role, and a
    # confirmed booking of each (nothing left to pay: a discount on it is refused).
    from quanmin.booking import services as bs
    from quanmin.facilities import services as fs
    from quanmin.facilities.models import Site

    # The facilities rows that run before these close the world's site (for repair): the bookings
    # below are taken while it is open, then it is left as those rows left it (later rows expect it).
    w.site.refresh_from_db()
    was = w.site.status
    fs.update_site(w.site, {"status": Site.Status.OPEN})
    shared = vouchers.create_campaign(su, w.city, {
        "name": "全市消费券", "budget": "3000", "face_value": "30", "threshold": "100", "total": 100,
        "claim_starts_at": now - datetime.timedelta(hours=1), "claim_ends_at": now + datetime.timedelta(days=7),
        "use_until": now + datetime.timedelta(days=30), "per_device": 100})
    vouchers.add_venue(su, shared, w.site)
    vouchers.publish(su, shared)
    slots = list(w.unit.slots.order_by("start")[60:60 + len(w.users)])
    made["open"] = shared
    made["vouchers"] = {role: vouchers.claim(user, shared.pk).code for role, user in w.users.items()}
    made["bookings"] = {role: bs.book(user, slot.pk).pk for (role, user), slot in zip(w.users.items(), slots)}
    fs.update_site(w.site, {"status": was})
    for key in ("community", "township", "county", "other_county", "city"):
        region = getattr(w, key)
        campaign = vouchers.create_campaign(su, region, {
            "name": f"{region.name}消费券", "budget": "300", "face_value": "30", "threshold": "100", "total": 10,
            "claim_starts_at": now, "claim_ends_at": now + datetime.timedelta(days=7),
            "use_until": now + datetime.timedelta(days=30)})
        site = w.other_site if key == "other_county" else w.site
        today = timezone.localdate()
        settlement = Settlement.objects.create(campaign=campaign, site=site, period_start=today, period_end=today)
        made[key] = {"campaign": campaign, "settlement": settlement}
    w._incentives_matrix = made
    return made


def _of(w, role):
    return _made(w)[REGION_OF.get(role, "city")]


def _region(w, role):
    return getattr(w, REGION_OF.get(role, "city"))


def campaign_pk(w, role=None):
    return {"pk": _of(w, role)["campaign"].pk}


def campaign_id(w, role=None):
    return {"campaign_id": _of(w, role)["campaign"].pk}


def settlement_pk(w, role=None):
    return {"pk": _of(w, role)["settlement"].pk}


def settlement_id(w, role=None):
    return {"settlement_id": _of(w, role)["settlement"].pk}


def own_booking(w, role=None):
    return {"pk": _made(w)["bookings"].get(role, w.booking.pk)}


def own_booking_id(w, role=None):
    return {"booking_id": _made(w)["bookings"].get(role, w.booking.pk)}


def own_voucher(w, role=None):
    return {"code": _made(w)["vouchers"].get(role, "NOSUCHCODE")}


def open_campaign(w, role=None):
    return {"pk": _made(w)["open"].pk}


def open_campaign_id(w, role=None):
    return {"campaign_id": _made(w)["open"].pk}


def _rule_body(w, role=None):
    return {"city": w.city.code, "fact": "no_such_fact", "points": 5}


def _campaign_form(w, role=None):
    return {"region": _region(w, role).code, "name": ""}


def _campaign_body(w, role=None):
    now = timezone.now()
    return {"region": _region(w, role).code, "name": "预算不足", "budget": "10", "face_value": "30", "total": 10,
            "claim_starts_at": now.isoformat(), "claim_ends_at": (now + datetime.timedelta(days=1)).isoformat(),
            "use_until": (now + datetime.timedelta(days=2)).isoformat()}


def _county_campaign(w, role=None):
    return {"pk": _made(w)["county"]["campaign"].pk}


def _county_campaign_id(w, role=None):
    return {"campaign_id": _made(w)["county"]["campaign"].pk}


def _county_settlement(w, role=None):
    return {"pk": _made(w)["county"]["settlement"].pk}


TODAY = lambda w, role=None: timezone.localdate().isoformat()  # noqa: E731

WEB = {
    "incentives:mine": ("signed_in", None, "get", None),
    "incentives:campaigns": ("public", None, "get", None),
    "incentives:claim": ("signed_in", open_campaign, "post", {}),
    "incentives:voucher": ("signed_in", own_voucher, "get", None),
    "incentives:use_voucher": ("signed_in", own_booking, "post", {"voucher": "NOSUCHCODE"}),
    "incentives:use_points": ("signed_in", own_booking, "post", {"points": "10"}),
    "incentives:counter": ("nobody", None, "get", None, {"post": ({"code": "X", "site": "1", "spend": "100"}, 403)}),
    "incentives:confirm": ("nobody", lambda w, role=None: {"pk": 999999}, "post", {}),
    "incentives:staff": ("division_reader", None, "get", None),
    "incentives:staff_rule": ("city_staff", None, "post", _rule_body),
    "incentives:staff_new": ("division_writer", None, "get", None, {"post": (_campaign_form, 200)}),
    "incentives:staff_campaign": ("division_reader", campaign_pk, "get", None),
    "incentives:staff_venue": ("division_writer", campaign_pk, "post", {"site": ""}),
    "incentives:staff_publish": ("division_writer", campaign_pk, "post", {}),
    "incentives:staff_close": ("division_writer", campaign_pk, "post", {}),
    "incentives:staff_settle": ("division_writer", campaign_pk, "post", {"site": ""}),
    "incentives:staff_campaign_xlsx": ("division_reader", campaign_pk, "get", None),
    "incentives:staff_settlement": ("division_reader", settlement_pk, "get", None),
    "incentives:staff_settlement_xlsx": ("division_reader", settlement_pk, "get", None),
    "incentives:staff_approve": ("division_writer", settlement_pk, "post", {}),
}

API = {
    f"GET {API_ROOT}/me/points": ("signed_in", None, None),
    f"GET {API_ROOT}/me/points/history": ("signed_in", None, None),
    f"GET {API_ROOT}/campaigns": ("signed_in", None, None),
    f"POST {API_ROOT}/campaigns/{{campaign_id}}/claim": ("signed_in", open_campaign_id, None, 409),
    f"GET {API_ROOT}/me/vouchers": ("signed_in", None, None),
    f"POST {API_ROOT}/bookings/{{booking_id}}/voucher": ("signed_in", own_booking_id, {"voucher": "NOSUCHCODE"}, 409),
    f"POST {API_ROOT}/bookings/{{booking_id}}/points": ("signed_in", own_booking_id, {"points": 10}, 409),
    f"POST {API_ROOT}/counter/redeem": ("nobody", None, {"code": "X", "site": 1, "spend": "100"}),
    f"POST {API_ROOT}/settlements/{{settlement_id}}/confirm": ("nobody", lambda w, role=None: {"settlement_id": 999999}, None),
    f"GET {API_ROOT}/staff/rules": ("division_reader", None, None),
    f"POST {API_ROOT}/staff/rules": ("city_staff", None, _rule_body, 400),
    f"GET {API_ROOT}/staff/campaigns": ("division_reader", None, None),
    f"POST {API_ROOT}/staff/campaigns": ("division_writer", None, _campaign_body, 400),
    f"GET {API_ROOT}/staff/campaigns/{{campaign_id}}/figures": ("division_reader", campaign_id, None),
    f"POST {API_ROOT}/staff/campaigns/{{campaign_id}}/venues": ("division_writer", campaign_id, {"site": 999999}, 400),
    f"POST {API_ROOT}/staff/campaigns/{{campaign_id}}/publish": ("division_writer", campaign_id, None, 409),
    f"POST {API_ROOT}/staff/campaigns/{{campaign_id}}/settlements": (
        "division_writer", campaign_id, lambda w, role=None: {"site": 999999, "period_start": TODAY(w), "period_end": TODAY(w)}, 400),
    f"GET {API_ROOT}/staff/campaigns/{{campaign_id}}/settlements": ("division_reader", campaign_id, None),
    f"GET {API_ROOT}/staff/campaigns/{{campaign_id}}/settlements.xlsx": ("division_reader", campaign_id, None),
    f"POST {API_ROOT}/staff/settlements/{{settlement_id}}/approve": ("division_writer", settlement_id, None, 409),
}

CROSS_COUNTY = [
    ("web", "incentives:staff_campaign", _county_campaign, None, 200),
    ("web", "incentives:staff_settlement", _county_settlement, None, 200),
    ("api", f"GET {API_ROOT}/staff/campaigns/{{campaign_id}}/figures", _county_campaign_id, None, 200),
]
