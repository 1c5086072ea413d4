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
