"""Permission rows for the residents' finder and the public site page: public, no sign-in.

There are no CROSS_COUNTY rows: these pages are public, so the neighbouring county's staff see a
site like everyone else (200, not 404)."""


def site_pk(w, role=None):
    return {"pk": (w.other_site if role == "other_county" else w.site).pk}


WEB = {
    "facilities:finder": ("public", None, "get", None),
    "facilities:finder_map": ("public", None, "get", None),
    "facilities:site": ("public", site_pk, "get", None),
}
