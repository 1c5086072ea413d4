"""Permission rows for the planning analysis pages."""


def own_county(w, role=None):
    return {"code": (w.other_county if role == "other_county" else w.county).code}


def community(w, role=None):
    return {"code": (w.other_community if role == "other_county" else w.community).code}


def candidate(w, role=None):
    from quanmin.analytics.models import CandidateSite

    region = w.other_community if role == "other_county" else w.community
    c = CandidateSite.objects.filter(region=region).first() or CandidateSite.objects.create(
        name="桥下空地", lon=115.99, lat=36.46, region=region, area_m2=800)
    return {"pk": c.pk}


def layer(w, role=None):
    from quanmin.analytics import runs, services

    region = w.other_community if role == "other_county" else w.community
    run, _started = services.request_run(region, minutes=[10, 15])
    runs.execute_run(run.pk)
    return {"code": region.code, "run_id": run.pk}


WEB = {
    "analytics:circle_home": ("division_reader", None, "get", None, 302),
    "analytics:circle": ("division_reader", community, "get", None),
    "analytics:circle_start": ("division_writer", community, "post", {"minutes": "10 15", "speed_kmh": "3.6", "suggest_k": "0"}),
    "analytics:circle_layer": ("division_reader", layer, "get", None),
    "analytics:candidates": ("division_reader", None, "get", None),
    "analytics:candidate_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "analytics:candidate_edit": ("division_writer", candidate, "get", None, {"post": ({}, 200)}),
    "analytics:catalogue": ("public", None, "get", None),
}

CROSS_COUNTY = [
    ("web", "analytics:circle", lambda w, role=None: {"code": w.county.code}, None, 200),
    ("web", "analytics:candidate_edit", lambda w, role=None: candidate(w, "county"), None, 200),
]
