"""Permission rows for games and events (the pages under /events/ and /staff/events/, and
/api/v1/events).

The world has none: the first call makes, for each staff role, a published games at its own level
in its own division (the supervisor reads the city's; residents, strangers and the superuser get the
county's), each with a competition open to everyone, a delegation with a pending entry of the
resident, and a confirmed entry of the other county's resident with a result. The county games has
a second competition in which every signed-in role has an entry of its own (the "mine" rows).

Writes in the role rows carry bodies the services refuse or that change only the role's own
objects, so one role's calls leave the next role's objects as they were.
"""

import datetime

from django.utils import timezone

GAMES_OF = {"community": "community", "township": "township", "county": "county", "other_county": "other_county",
            "city": "city", "supervisor": "city"}
CHECKLIST = {"venue_capacity_checked": True, "medical_cover": True, "insurance": True, "emergency_plan": True,
             "organizer_responsible": "甲", "operator_responsible": "乙", "authority_responsible": "丙"}


def _at(days: int, hour: int = 9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _competition(services, su, games, name):
    return services.add_competition(su, games, {
        "sport": "running", "name": name, "capacity": 1000, "residents_only": False, "entries": "both",
        "starts_at": _at(60), "ends_at": _at(60, 12), "closes_at": _at(50)})


def _made(w):
    made = w.__dict__.get("_events_matrix")
    if made is not None:
        return made
    from quanmin.events import services, services_entries, services_results
    from quanmin.events.models import Delegation

    su = w.users["superuser"]
    made = {}
    for key, region in (("community", w.community), ("township", w.township), ("county", w.county),
                        ("other_county", w.other_county), ("city", w.city)):
        games = services.create_games(su, {"name": f"{region.name}运动会", "organizer": "体育局", **CHECKLIST}, region=region)
        competition = _competition(services, su, games, "健步走")
        services.publish(su, games)
        delegation = Delegation.objects.create(games=games, name=f"{region.name}代表团", kind="unit", region=region)
        pending = services_entries.enter(w.users["resident"], competition.pk, delegation_id=delegation.pk)
        entered = services_entries.enter(w.users["other_resident"], competition.pk)
        result = services_results.record_result(su, competition, entered.bib, value="100")
        made[key] = {"games": games, "competition": competition, "delegation": delegation, "pending": pending,
                     "result": result}
    mine = _competition(services, su, made["county"]["games"], "我的项目")
    made["mine"] = {role: services_entries.enter(user, mine.pk).pk for role, user in w.users.items()}
    w._events_matrix = made
    return made


def _of(w, role):
    return _made(w)[GAMES_OF.get(role, "county")]


def games_pk(w, role=None):
    return {"pk": _of(w, role)["games"].pk}


def games_id(w, role=None):
    return {"games_id": _of(w, role)["games"].pk}


def public_games(w, role=None):
    return {"pk": _made(w)["county"]["games"].pk}


def public_games_id(w, role=None):
    return {"games_id": _made(w)["county"]["games"].pk}


def public_competition(w, role=None):
    return {"pk": _made(w)["county"]["competition"].pk}


def competition_pk(w, role=None):
    return {"pk": _of(w, role)["competition"].pk}


def competition_id(w, role=None):
    return {"competition_id": _of(w, role)["competition"].pk}


def public_competition_id(w, role=None):
    return {"competition_id": _made(w)["county"]["competition"].pk}


def delegation_pk(w, role=None):
    return {"pk": _of(w, role)["delegation"].pk}


def pending_pk(w, role=None):
    return {"pk": _of(w, role)["pending"].pk}


def pending_id(w, role=None):
    return {"entry_id": _of(w, role)["pending"].pk}


def result_pk(w, role=None):
    return {"pk": _of(w, role)["result"].pk}


def delegation_id(w, role=None):
    return {"delegation_id": _of(w, role)["delegation"].pk}


def no_official(w, role=None):
    return {"pk": _of(w, role)["games"].pk, "membership": 0}


def _official(w, role, target):
    """A fresh membership of a person outside the world's roles, bound to `target`, for a role's
    DELETE to take away (each call makes a new one: a denied role leaves it, an allowed one removes it)."""
    from quanmin.accounts import services as accounts
    from quanmin.accounts.crypto import lookup_hash
    from quanmin.accounts.models import Membership, Role, User
    from quanmin.accounts.phones import normalise_phone

    phone = normalise_phone("13700000098")
    person = User.objects.filter(phone_hash=lookup_hash(phone)).first() or accounts.create_user(phone=phone,
                                                                                               password=None)
    kind = Role.JUDGE if target._meta.model_name == "games" else Role.DELEGATION_LEADER
    Membership.objects.filter(user=person, role=kind, target_id=target.pk).delete()
    return accounts.grant_membership(person, kind, target.region, target=target).pk


def official_id(w, role=None):
    games = _of(w, role)["games"]
    return {"games_id": games.pk, "membership_id": _official(w, role, games)}


def no_leader(w, role=None):
    return {"pk": _of(w, role)["delegation"].pk, "membership": 0}


def leader_id(w, role=None):
    delegation = _of(w, role)["delegation"]
    return {"delegation_id": delegation.pk, "membership_id": _official(w, role, delegation)}


UNKNOWN_PHONE = {"phone": "13999999999"}


def evidence_pk(w, role=None):
    """The role's result, with an evidence file."""
    result = _of(w, role)["result"]
    if not result.evidence:
        result.evidence.save("evidence.png", _png(), save=True)
    return {"pk": result.pk}


def _png():
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "PNG")
    return ContentFile(buf.getvalue(), name="photo.png")


def own_entry(w, role=None):
    return {"pk": _made(w)["mine"][role if role in w.users else "resident"]}


def own_entry_id(w, role=None):
    return {"entry_id": own_entry(w, role)["pk"]}


def award_code(w, role=None):
    from quanmin.events import services_results
    from quanmin.events.models import Award

    games = _made(w)["county"]["games"]
    if not Award.objects.filter(games=games).exists():
        services_results.issue_awards(w.users["superuser"], games)
    return {"code": Award.objects.filter(games=games).order_by("pk").first().code}


def new_games_body(w, role=None):
    region = {"community": w.community, "township": w.township, "other_county": w.other_county,
              "city": w.city}.get(role, w.county)
    return {"name": "矩阵运动会", "region": region.code, "organizer": "体育局"}


COMPETITION_BODY = {"sport": "running", "name": "矩阵项目", "capacity": 10,
                    "starts_at": "2031-05-01T09:00:00+08:00", "ends_at": "2031-05-01T12:00:00+08:00"}


def _own_region(w, role):
    """The division a role writes in (the city for roles without one)."""
    return {"community": w.community, "township": w.township, "county": w.county,
            "other_county": w.other_county}.get(role, w.city)


def own_alert_id(w, role=None):
    """An alert of the caller's own (the resident's for anonymous), so that removing it succeeds."""
    from quanmin.events import services_alerts
    from quanmin.events.models import Sport

    user = w.users[role if role in w.users else "resident"]
    area = services_alerts.areas(user)[-1]  # not the one the POST row asks for
    return {"alert_id": services_alerts.add_alert(user, sport=Sport.values[0], region_code=area.code).pk}


def promoted_id(w, role=None):
    """A sport promoted in the caller's own division, so that a writer there may remove it."""
    from quanmin.events import services
    from quanmin.events.models import Sport

    region = _own_region(w, role)
    writer = w.users["city"]
    return {"promoted_id": services.promote_sport(writer, region, 2026, Sport.values[0]).pk}


def promote_body(w, role=None):
    return {"region": _own_region(w, role).code, "year": 2026, "sport": "nope"}  # an unknown sport: 400


def _brand(w, role):
    """The brand of the caller's own division (the city's for roles without one), made once."""
    from quanmin.events import services_brands
    from quanmin.events.models import Brand

    region = _own_region(w, role)
    found = Brand.objects.filter(region=region, name=f"{region.name}品牌").first()
    return found or services_brands.register_brand(w.users["superuser"], {"name": f"{region.name}品牌"}, region=region)


def brand_pk(w, role=None):
    return {"pk": _brand(w, role).pk}


def brand_id(w, role=None):
    return {"brand_id": _brand(w, role).pk}


def new_brand_body(w, role=None):
    return {"name": "", "region": _own_region(w, role).code}  # no name: 400


WEB = {
    "events:evidence": ("division_reader", evidence_pk, "get", None),
    "events:list": ("public", None, "get", None),
    "events:calendar": ("public", None, "get", None),
    "events:near": ("public", None, "get", None),
    "events:games": ("public", public_games, "get", None),
    "events:ics": ("public", public_games, "get", None),
    "events:competition": ("public", public_competition, "get", None),
    "events:enter": ("signed_in", public_competition, "post", {}),
    "events:mine": ("signed_in", None, "get", None),
    "events:alerts": ("signed_in", None, "get", None, {"post": ({"sport": "nope"}, 302)}),
    "events:alert_delete": ("signed_in", lambda w, role=None: {"pk": 2**31 - 1}, "post", {}),
    "events:accept": ("signed_in", own_entry, "post", {}),
    "events:submit": ("signed_in", own_entry, "post", {"value": "1"}),
    "events:pay": ("signed_in", own_entry, "get", None, {"post": ({}, 302)}),
    "events:withdraw": ("signed_in", own_entry, "post", {}),
    "events:award": ("public", award_code, "get", None),
    "events:staff_list": ("backoffice", None, "get", None),
    "events:staff_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "events:figures": ("division_reader", None, "get", None),
    "events:figures_xlsx": ("division_reader", None, "get", None),
    "events:reports": ("division_reader", None, "get", None),
    "events:reports_xlsx": ("division_reader", None, "get", None),
    "events:promote": ("division_writer", None, "post", {"sport": "nope"}),
    "events:drop_promoted": ("division_writer", lambda w, role=None: {"pk": promoted_id(w, role)["promoted_id"]},
                             "post", {}, 302),
    "events:brands": ("division_reader", None, "get", None),
    "events:brand_new": ("division_writer", None, "get", None, {"post": ({"name": ""}, 200)}),
    "events:brands_import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    "events:brands_export": ("division_reader", None, "get", None),
    "events:brands_template": ("division_writer", None, "get", None),
    "events:brand_gaps": ("division_reader", None, "get", None),
    "events:brand": ("division_reader", brand_pk, "get", None, {"post": ({"name": ""}, 400, "division_writer")}),
    "events:brand_retire": ("division_writer", brand_pk, "post", {}, 302),
    "events:brand_reinstate": ("division_writer", brand_pk, "post", {}, 302),
    "events:staff_link_brand": ("division_writer", games_pk, "post", {"brand": "0"}, 302),
    "events:staff_games": ("division_reader", games_pk, "get", None),
    "events:staff_edit": ("division_writer", games_pk, "get", None, {"post": ({}, 200)}),
    "events:staff_cancel": ("division_writer", games_pk, "get", None, {"post": ({"reason": ""}, 200)}),
    "events:staff_safety": ("division_writer", games_pk, "post", {}),
    "events:staff_publish": ("division_writer", games_pk, "post", {}),
    "events:staff_add_competition": ("division_writer", games_pk, "post", {}),
    "events:staff_add_delegation": ("division_writer", games_pk, "post", {}),
    "events:staff_export": ("division_reader", games_pk, "get", None),
    "events:staff_awards": ("division_writer", games_pk, "post", {}),
    "events:staff_competition": ("division_reader", competition_pk, "get", None),
    "events:staff_competition_edit": ("division_writer", competition_pk, "get", None, {"post": ({}, 200)}),
    "events:staff_result": ("division_reader", competition_pk, "post", {}),
    "events:staff_template": ("division_reader", competition_pk, "get", None),
    "events:staff_import": ("division_writer", competition_pk, "post", {}),
    "events:staff_review": ("division_writer", result_pk, "post", {}),
    "events:delegation": ("division_reader", delegation_pk, "get", None),
    "events:delegation_enter": ("division_writer", delegation_pk, "post", {}),
    "events:staff_appoint_judge": ("division_writer", games_pk, "post", UNKNOWN_PHONE),
    "events:staff_dismiss": ("division_writer", no_official, "post", {}),
    "events:staff_appoint_leader": ("division_writer", delegation_pk, "post", UNKNOWN_PHONE),
    "events:staff_dismiss_leader": ("division_writer", no_leader, "post", {}),
    "events:decide": ("division_writer", pending_pk, "post", {}),
}

API = {
    "GET /api/v1/events": ("public", None, None),
    "GET /api/v1/events/near": ("public", None, None),
    "GET /api/v1/events/{games_id}": ("public", public_games_id, None),
    "POST /api/v1/events/competitions/{competition_id}/entries": ("signed_in", public_competition_id, {},
                                                                 lambda role: 409 if role == "resident" else 201),
    "GET /api/v1/events/me/entries": ("signed_in", None, None),
    "GET /api/v1/events/me/alerts": ("signed_in", None, None),
    "GET /api/v1/events/me/alert-areas": ("signed_in", None, None),
    "POST /api/v1/events/me/alerts": ("signed_in", None, lambda w, role=None: {"region": w.city.code}, (201, 400)),
    "DELETE /api/v1/events/me/alerts/{alert_id}": ("signed_in", own_alert_id, None, 204),
    "POST /api/v1/events/entries/{entry_id}/accept": ("signed_in", own_entry_id, None, 409),
    "POST /api/v1/events/entries/{entry_id}/result": ("signed_in", own_entry_id,
                                                       {"value": 1, "evidence_url": "https://v.example/1"}, 409),
    "POST /api/v1/events/entries/{entry_id}/pay": ("signed_in", own_entry_id, None, 409),
    "POST /api/v1/events/entries/{entry_id}/withdraw": ("signed_in", own_entry_id, None, 200),
    "GET /api/v1/events/staff/games": ("division_reader", None, None),
    "POST /api/v1/events/staff/games": ("division_writer", None, new_games_body),
    "GET /api/v1/events/staff/games/{games_id}": ("division_reader", games_id, None),
    "PATCH /api/v1/events/staff/games/{games_id}": ("division_writer", games_id, {}),
    "PATCH /api/v1/events/staff/games/{games_id}/safety": ("division_writer", games_id, {}),
    "POST /api/v1/events/staff/games/{games_id}/cancel": ("division_writer", games_id, {"reason": " "}, 400),
    "POST /api/v1/events/staff/games/{games_id}/publish": ("division_writer", games_id, None, 200),
    "POST /api/v1/events/staff/games/{games_id}/competitions": ("division_writer", games_id, COMPETITION_BODY),
    "GET /api/v1/events/staff/games/{games_id}/medals": ("division_reader", games_id, None),
    "GET /api/v1/events/staff/games/{games_id}/participation": ("division_reader", games_id, None),
    "GET /api/v1/events/staff/games/{games_id}/entries.xlsx": ("division_reader", games_id, None),
    "PATCH /api/v1/events/staff/competitions/{competition_id}": ("division_writer", competition_id, {}),
    "POST /api/v1/events/staff/competitions/{competition_id}/results": ("division_writer", competition_id,
                                                                         {"bib": "NOBODY", "value": 1}, 400),
    "POST /api/v1/events/staff/entries/{entry_id}/decide": ("division_writer", pending_id, {"approve": True}, 200),
    "GET /api/v1/events/staff/figures": ("division_reader", None, None),
    "GET /api/v1/events/staff/reports": ("division_reader", None, None),
    "POST /api/v1/events/staff/promoted-sports": ("division_writer", None, promote_body, 400),
    "DELETE /api/v1/events/staff/promoted-sports/{promoted_id}": ("division_writer", promoted_id, None, 204),
    "GET /api/v1/events/staff/brands": ("division_reader", None, None),
    "POST /api/v1/events/staff/brands": ("division_writer", None, new_brand_body, 400),
    "GET /api/v1/events/staff/brands/missing": ("division_reader", None, None),
    "POST /api/v1/events/staff/brands/import": ("division_writer", None, None, 400),
    "GET /api/v1/events/staff/brands/{brand_id}": ("division_reader", brand_id, None),
    "PATCH /api/v1/events/staff/brands/{brand_id}": ("division_writer", brand_id, {"name": ""}, 400),
    "POST /api/v1/events/staff/brands/{brand_id}/retire": ("division_writer", brand_id, {"reason": ""}, (200, 409)),
    "POST /api/v1/events/staff/brands/{brand_id}/reinstate": ("division_writer", brand_id, None, (200, 409)),
    "PUT /api/v1/events/staff/games/{games_id}/brand": ("division_writer", games_id, {"brand": None}, 200),
    "GET /api/v1/events/staff/games/{games_id}/officials": ("division_reader", games_id, None),
    "POST /api/v1/events/staff/games/{games_id}/judges": ("division_writer", games_id, UNKNOWN_PHONE, 400),
    "DELETE /api/v1/events/staff/games/{games_id}/officials/{membership_id}": ("division_writer", official_id,
                                                                             None),
    "POST /api/v1/events/staff/delegations/{delegation_id}/leaders": ("division_writer", delegation_id,
                                                                      UNKNOWN_PHONE, 400),
    "DELETE /api/v1/events/staff/delegations/{delegation_id}/leaders/{membership_id}": ("division_writer", leader_id,
                                                                                      None),
}


def _county_games(w, role=None):
    return {"pk": _made(w)["county"]["games"].pk}


def _county_games_id(w, role=None):
    return {"games_id": _made(w)["county"]["games"].pk}


CROSS_COUNTY = [
    ("web", "events:evidence", lambda w, role=None: evidence_pk(w, "county"), None, 200),
    ("web", "events:staff_games", _county_games, None, 200),
    ("web", "events:staff_edit", _county_games, None, 200),
    ("web", "events:staff_cancel", _county_games, None, 200),
    ("api", "POST /api/v1/events/staff/games/{games_id}/cancel", _county_games_id, {"reason": ""}, 400),
    ("api", "PATCH /api/v1/events/staff/games/{games_id}", _county_games_id, {"description": "改"}, 200),
    ("web", "events:staff_competition", lambda w, role=None: {"pk": _made(w)["county"]["competition"].pk}, None, 200),
    ("api", "GET /api/v1/events/staff/games/{games_id}", _county_games_id, None, 200),
    ("web", "events:staff_competition_edit", lambda w, role=None: {"pk": _made(w)["county"]["competition"].pk},
     None, 200),
    ("api", "PATCH /api/v1/events/staff/competitions/{competition_id}",
     lambda w, role=None: {"competition_id": _made(w)["county"]["competition"].pk}, {"rules": "改"}, 200),
    ("api", "GET /api/v1/events/staff/games/{games_id}/medals", _county_games_id, None, 200),
]
