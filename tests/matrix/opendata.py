"""Permission rows for open data: the RPDE feeds, items, the activity scheme, the catalogue and the
datasets are public (no sign-in, CORS, rate-limited per address); the national export is staff's.

No CROSS_COUNTY rows for the public ones: a feed is the same for everyone."""


def feed(w, role=None):
    return {"feed": "slots"}


def place(w, role=None):
    return {"feed": "places", "pk": w.site.pk}


def dataset(w, role=None):
    return {"name": "facilities", "fmt": "csv"}


WEB = {
    "opendata:index": ("public", None, "get", None),
    "opendata:catalog": ("public", None, "get", None),
    "opendata:dictionary": ("public", None, "get", None),
    # Not published in the matrix's world (the daily upkeep publishes): a clear 503 for everyone.
    "opendata:dataset": ("public", dataset, "get", None, 503),
    "opendata:national": ("division_reader", None, "get", None),
    "opendata:feed": ("public", feed, "get", None),
    "opendata:item": ("public", place, "get", None),
    "opendata:activity_list": ("public", None, "get", None),
}

API = {
    # The national export as JSON for another system (a bearer token or a session), scoped as the page.
    "GET /api/v1/opendata/national": ("division_reader", None, None),
}
