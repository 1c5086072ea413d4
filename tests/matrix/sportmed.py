"""Permission rows for sport–medicine integration (体医融合): sites, practitioners, the prescription
library and referrals; and the helpers that make their objects (cached on the world).

Every staff page and operation is for division staff with a writing role in the site's or the
practitioner's division (the neighbouring county's staff get 404: CROSS_COUNTY); the library and the
public list of sites are public; a resident reads their own referrals."""

from tests.matrix.physique import _cache


def site(w, other=False):
    from quanmin.physique import sportmed

    key = f"health-site-{other}"
    cache = _cache(w)
    if key not in cache:
        cache[key] = sportmed.save_site(
            {"name": "新华社区运动健康促进站" if other else "东关社区运动健康促进站", "kind": "community_station",
             "pilot": "慢性病人群运动推广与处方库建设"},
            region=w.other_community if other else w.community, by=w.users["superuser"])
    return cache[key]


def practitioner(w, other=False):
    from quanmin.demo.accounts import make_id_number
    from quanmin.physique import sportmed

    key = f"practitioner-{other}"
    cache = _cache(w)
    if key not in cache:
        s = site(w, other)
        cache[key] = sportmed.register_practitioner(
            {"real_name": "赵医生", "id_number": make_id_number("371502", "19750101", 61 if other else 60, True),
             "phone": "13900000061" if other else "13900000060", "site": s}, region=s.region, by=w.users["superuser"])
    return cache[key]


def referral(w, user_key="resident", other=False, fresh=False):
    """A referral of a world user to a county's site (fresh: a new one each call, for decisions)."""
    from quanmin.physique import sportmed

    cache = _cache(w)
    key = f"referral-{user_key}-{other}"
    if fresh or key not in cache:
        user = w.users[user_key]
        made = sportmed.refer(site(w, other), {"real_name": user.real_name, "id_number": user.id_number,
                                               "source": "checkup", "referrer": "区人民医院体检中心",
                                               "condition": "hypertension", "note": "血压偏高"},
                              by=w.users["superuser"])
        if fresh:
            return made
        cache[key] = made
    return cache[key]


def scoped_site(w, role=None):
    return {"site_id": site(w, role == "other_county").pk}


def fresh_referral(w, role=None):
    other = role == "other_county"
    return {"referral_id": referral(w, "other_resident" if other else "resident", other, fresh=True).pk}


def accepted_referral(w, role=None):
    from quanmin.physique import sportmed

    found = fresh_referral(w, role)
    from quanmin.physique.models import Referral

    sportmed.accept(Referral.objects.get(pk=found["referral_id"]), by=w.users["superuser"])
    return found


def practitioner_body(w, role=None):
    from quanmin.demo.accounts import make_id_number

    cache = _cache(w)
    cache["practitioner_seq"] = cache.get("practitioner_seq", 500) + 1
    region = w.other_community if role == "other_county" else w.community
    return {"real_name": "钱医生", "id_number": make_id_number("371502", "19820101", cache["practitioner_seq"], True),
            "region_code": region.code}


def site_body(w, role=None):
    cache = _cache(w)
    cache["site_seq"] = cache.get("site_seq", 0) + 1
    region = w.other_community if role == "other_county" else w.community
    return {"name": f"运动健康促进站{cache['site_seq']}", "kind": "community_station", "region_code": region.code}


def referral_body(w, role=None):
    other = role == "other_county"
    user = w.users["other_resident" if other else "resident"]
    return {"site_id": site(w, other).pk, "real_name": user.real_name, "id_number": user.id_number,
            "source": "clinic", "referrer": "社区卫生服务中心", "condition": "obesity"}


def prescribe_body(w, role=None):
    from quanmin.physique import sportmed
    from quanmin.physique.models import PrescriptionTemplate

    sportmed.load_templates()
    other = role == "other_county"
    return {"practitioner_id": practitioner(w, other).pk,
            "template_id": PrescriptionTemplate.objects.get(key="acsm2009-weight").pk}


def _county_referral(w, role=None):
    return {"referral_id": referral(w, fresh=True).pk}


def _county_accepted(w, role=None):
    from quanmin.physique import sportmed

    found = _county_referral(w)
    from quanmin.physique.models import Referral

    sportmed.accept(Referral.objects.get(pk=found["referral_id"]), by=w.users["superuser"])
    return found


API = {
    "GET /api/v1/physique/sport-medicine/sites": ("public", None, None),
    "POST /api/v1/physique/sport-medicine/sites": ("division_writer", None, site_body),
    "GET /api/v1/physique/sport-medicine/practitioners": ("division_writer", None, None),
    "POST /api/v1/physique/sport-medicine/practitioners": ("division_writer", None, practitioner_body),
    "GET /api/v1/physique/sport-medicine/templates": ("public", None, None),
    "GET /api/v1/physique/sport-medicine/referrals": ("division_writer", None, None),
    "POST /api/v1/physique/sport-medicine/referrals": ("division_writer", None, referral_body),
    "POST /api/v1/physique/sport-medicine/referrals/{referral_id}/accept": ("division_writer", fresh_referral, None, 200),
    "POST /api/v1/physique/sport-medicine/referrals/{referral_id}/decline": ("division_writer", fresh_referral,
                                                                           {"reason": "满员"}, 200),
    "POST /api/v1/physique/sport-medicine/referrals/{referral_id}/prescribe": ("division_writer", accepted_referral,
                                                                             prescribe_body, 200),
    "GET /api/v1/physique/sport-medicine/me/referrals": ("signed_in", None, None),
}

CROSS_COUNTY = [
    ("api", "POST /api/v1/physique/sport-medicine/referrals/{referral_id}/accept", _county_referral, None, 200),
    ("api", "POST /api/v1/physique/sport-medicine/referrals/{referral_id}/decline", _county_referral,
     {"reason": "满员"}, 200),
]


def referral_pk(w, role=None):
    return {"pk": fresh_referral(w, role)["referral_id"]}


def accepted_referral_pk(w, role=None):
    return {"pk": accepted_referral(w, role)["referral_id"]}


def prescribe_form(w, role=None):
    body = prescribe_body(w, role)
    return {"practitioner": body["practitioner_id"], "template": body["template_id"], "advice": "循序渐进"}


WEB = {
    "physique:sportmed_sites": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "physique:sportmed_practitioners": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "physique:sportmed_referrals": ("division_writer", None, "get", None),
    "physique:sportmed_accept": ("division_writer", referral_pk, "post", {}, 302),
    "physique:sportmed_decline": ("division_writer", referral_pk, "post", {"reason": "满员"}, 302),
    "physique:sportmed_prescribe": ("division_writer", accepted_referral_pk, "post", prescribe_form, 302),
    "physique:sportmed_library": ("public", None, "get", None),
}
