"""Permission rows for sports points and vouchers (the pages under /incentives/ and
/staff/incentives/, and /api/v1/incentives).

The world has none: the first call makes a venue of its own with a court (other modules' rows close
the world's site), an open city campaign there with a voucher and a booking of every signed-in role,
a race with an entry fee that every signed-in role entered, and for each staff role's division (the
supervisor reads the city's; residents, strangers and the superuser get the city's) a draft voucher
campaign and an empty settlement. Writes carry bodies the services refuse (an unknown fact, a budget too small,
an unknown venue, a draft without venues), so one role's calls leave the next role's objects as they
were. Venue operators are not among the matrix's roles: the counter pages and operations are
"nobody" here (every role is refused), and tests/incentives/test_pages.py covers the operators.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

REGION_OF = {"community": "community", "township": "township", "county": "county", "other_county": "other_county",
             "city": "city", "supervisor": "city"}
API_ROOT = "/api/v1/incentives"


def _made(w):
    made = w.__dict__.get("_incentives_matrix")
    if made is not None:
        return made
    from quanmin.booking import services as bs
    from quanmin.events import services as events
    from quanmin.events import services_entries
    from quanmin.facilities import services as fs
    from quanmin.incentives import honours, vouchers
    from quanmin.incentives.models import Settlement
    from tests.conftest import make_court
    from tests.events.conftest import CHECKLIST, at

    su = w.users["superuser"]
    now = timezone.now()
    made = {}
    # A venue of its own (other modules' rows close and reopen the world's site), in an open city
    # campaign: one voucher claimed by every signed-in role, and a confirmed booking of each there
    # (nothing left to pay: a discount on it is refused).
    site = fs.create_site({"name": "积分兑换体育馆", "address": "东关街9号", "lon": 115.986, "lat": 36.458,
                           "region": w.community})
    unit = make_court(fs.add_facility(site, {"type": "basketball", "area_m2": "420"}))
    shared = vouchers.create_campaign(su, w.city, {
        "name": "全市消费券", "budget": "3000", "face_value": "30", "threshold": "100", "total": 100,
        "claim_starts_at": now - datetime.timedelta(hours=1), "claim_ends_at": now + datetime.timedelta(days=7),
        "use_until": now + datetime.timedelta(days=30), "per_device": 100})
    vouchers.add_venue(su, shared, site)
    vouchers.publish(su, shared)
    slots = list(unit.slots.order_by("start")[20:20 + len(w.users)])
    made["open"] = shared
    made["vouchers"] = {role: vouchers.claim(user, shared.pk).code for role, user in w.users.items()}
    made["bookings"] = {role: bs.book(user, slot.pk).pk for (role, user), slot in zip(w.users.items(), slots)}
    # A race with a 10-yuan fee paid on site that every signed-in role entered (no points yet: spending
    # some on the fee is refused).
    games = events.create_games(su, {"name": "积分赛事", "organizer": "体育局", **CHECKLIST}, region=w.county)
    race = events.add_competition(su, games, {
        "sport": "running", "name": "健步走（收费）", "capacity": 100, "residents_only": False, "fee": Decimal("10"),
        "starts_at": at(60), "ends_at": at(60, 12), "closes_at": at(50)})
    events.publish(su, games)
    made["entries"] = {role: services_entries.enter(user, race.pk).pk for role, user in w.users.items()}
    for key in ("community", "township", "county", "other_county", "city"):
        region = getattr(w, key)
        campaign = vouchers.create_campaign(su, region, {
            "name": f"{region.name}消费券", "budget": "300", "face_value": "30", "threshold": "100", "total": 10,
            "claim_starts_at": now, "claim_ends_at": now + datetime.timedelta(days=7),
            "use_until": now + datetime.timedelta(days=30)})
        today = timezone.localdate()
        settlement = Settlement.objects.create(campaign=campaign, site=w.other_site if key == "other_county" else site,
                                               period_start=today, period_end=today)
        # A selection in its public vote, with one nominee (staff put it forward: accepted).
        selection = honours.create(su, region, {"kind": "fitness_star", "name": f"{region.name}健身达人", "year": 2026})
        selection = honours.advance(su, selection)
        nominee = honours.nominate(su, selection, {"nominee": "王阿姨", "citation": "广场舞领队"})
        made[key] = {"campaign": campaign, "settlement": settlement, "selection": honours.advance(su, selection),
                     "nominee": nominee}
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


def own_entry(w, role=None):
    return {"pk": _made(w)["entries"].get(role, 999999)}


def own_entry_id(w, role=None):
    return {"entry_id": _made(w)["entries"].get(role, 999999)}


def _settings_body(w, role=None):
    return {"city": w.city.code, "points_per_yuan": 0, "max_share": 50}


def selection_pk(w, role=None):
    return {"pk": _of(w, role)["selection"].pk}


def selection_id(w, role=None):
    return {"selection_id": _of(w, role)["selection"].pk}


def nominee_pk(w, role=None):
    return {"pk": _of(w, role)["nominee"].pk}


def nominee_id(w, role=None):
    return {"nomination_id": _of(w, role)["nominee"].pk}


def _county_selection(w, role=None):
    return {"pk": _made(w)["county"]["selection"].pk}


def _county_selection_id(w, role=None):
    return {"selection_id": _made(w)["county"]["selection"].pk}


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
    "incentives:use_points_entry": ("signed_in", own_entry, "post", {"points": "10"}),
    "incentives:honours": ("public", None, "get", None),
    "incentives:honour": ("public", selection_pk, "get", None),
    "incentives:honour_nominate": ("signed_in", selection_pk, "post", {"nominee": ""}),
    "incentives:honour_vote": ("signed_in", nominee_pk, "post", {}),
    "incentives:staff_honours": ("division_reader", None, "get", None,
                                 {"post": (lambda w, role=None: {"region": _region(w, role).code, "name": ""}, 200,
                                           "division_writer")}),
    "incentives:staff_honour": ("division_reader", selection_pk, "get", None),
    "incentives:staff_honour_advance": ("division_writer", selection_pk, "post", {}),
    "incentives:staff_honour_nominate": ("division_writer", selection_pk, "post", {"nominee": ""}),
    "incentives:staff_honour_publish": ("division_writer", selection_pk, "post", {}),
    "incentives:staff_honour_xlsx": ("division_reader", selection_pk, "get", None),
    "incentives:staff_honour_review": ("division_writer", nominee_pk, "post", {"accept": "1"}),
    "incentives:counter": ("nobody", None, "get", None, {"post": ({"code": "X", "site": "1", "spend": "100"}, 403)}),
    "incentives:confirm": ("nobody", lambda w, role=None: {"pk": 999999}, "post", {}),
    "incentives:staff": ("division_reader", None, "get", None),
    "incentives:staff_rule": ("city_staff", None, "post", _rule_body),
    "incentives:staff_points_settings": ("city_staff", None, "post", _settings_body),
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
    f"POST {API_ROOT}/entries/{{entry_id}}/points": ("signed_in", own_entry_id, {"points": 10}, 409),
    f"GET {API_ROOT}/honours": ("public", None, None),
    f"GET {API_ROOT}/honours/{{selection_id}}/nominees": ("public", selection_id, None),
    f"POST {API_ROOT}/honours/{{selection_id}}/nominations": ("signed_in", selection_id,
                                                             {"nominee": "甲", "citation": "乙"}, 409),
    f"POST {API_ROOT}/honours/nominees/{{nomination_id}}/vote": ("signed_in", nominee_id, None),
    f"GET {API_ROOT}/staff/honours": ("division_reader", None, None),
    f"POST {API_ROOT}/staff/honours": ("division_writer", None,
                                       lambda w, role=None: {"region": _region(w, role).code, "kind": "nope", "name": "x",
                                                             "year": 2026}, 400),
    f"GET {API_ROOT}/staff/honours/{{selection_id}}/nominations": ("division_reader", selection_id, None),
    f"POST {API_ROOT}/staff/honours/{{selection_id}}/advance": ("division_writer", selection_id, None, 409),
    f"POST {API_ROOT}/staff/honours/nominations/{{nomination_id}}/review": ("division_writer", nominee_id,
                                                                           {"accept": True}, 409),
    f"POST {API_ROOT}/staff/honours/{{selection_id}}/publish": ("division_writer", selection_id, {"winners": [999999]}, 409),
    f"GET {API_ROOT}/staff/honours/{{selection_id}}/nominations.xlsx": ("division_reader", selection_id, None),
    f"POST {API_ROOT}/counter/redeem": ("nobody", None, {"code": "X", "site": 1, "spend": "100"}),
    f"POST {API_ROOT}/settlements/{{settlement_id}}/confirm": ("nobody", lambda w, role=None: {"settlement_id": 999999}, None),
    f"GET {API_ROOT}/staff/rules": ("division_reader", None, None),
    f"POST {API_ROOT}/staff/rules": ("city_staff", None, _rule_body, 400),
    f"GET {API_ROOT}/staff/points-settings": ("division_reader", None, None),
    f"POST {API_ROOT}/staff/points-settings": ("city_staff", None, _settings_body, 400),
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
    ("web", "incentives:staff_honour", _county_selection, None, 200),
    ("api", f"GET {API_ROOT}/staff/honours/{{selection_id}}/nominations", _county_selection_id, None, 200),
    ("web", "incentives:staff_campaign", _county_campaign, None, 200),
    ("web", "incentives:staff_settlement", _county_settlement, None, 200),
    ("api", f"GET {API_ROOT}/staff/campaigns/{{campaign_id}}/figures", _county_campaign_id, None, 200),
]
