"""Permission rows for the register's staff pages."""


def site_pk(w, role=None):
    return {"pk": (w.other_site if role == "other_county" else w.site).pk}


def facility_pks(w, role=None):
    site, facility = (w.other_site, w.other_facility) if role == "other_county" else (w.site, w.facility)
    return {"pk": site.pk, "facility_pk": facility.pk}


WEB = {
    "facilities:staff_sites": ("division_reader", None, "get", None),
    "facilities:staff_site_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "facilities:staff_site": ("division_reader", site_pk, "get", None),
    "facilities:staff_site_edit": ("division_writer", site_pk, "get", None, {"post": ({}, 200)}),
    "facilities:staff_site_close": ("division_writer", site_pk, "post", {"status": "repair", "reason": "检修"}),
    "facilities:staff_site_hours": ("division_writer", site_pk, "get", None, {"post": ({}, 200)}),
    "facilities:staff_facility_new": ("division_writer", site_pk, "get", None, {"post": ({}, 200)}),
    "facilities:staff_facility_edit": ("division_writer", facility_pks, "get", None, {"post": ({}, 200)}),
    "facilities:staff_facility_delete": ("division_writer", facility_pks, "post", {}),
}

CROSS_COUNTY = [
    ("web", "facilities:staff_site", lambda w, role=None: {"pk": w.site.pk}, None, 200),
    ("web", "facilities:staff_site_edit", lambda w, role=None: {"pk": w.site.pk}, None, 200),
]
