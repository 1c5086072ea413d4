"""Permission rows for the facilities register's own API and staff pages."""


def site_id(w, role=None):
    return {"site_id": (w.other_site if role == "other_county" else w.site).pk}


def facility_id(w, role=None):
    return {"facility_id": (w.other_facility if role == "other_county" else w.facility).pk}


def new_site(w, role=None):
    region = w.other_community if role == "other_county" else w.community
    return {"name": "新建健身广场", "lon": 115.99, "lat": 36.46, "region_code": region.code}


API = {
    "GET /api/v1/facilities/types": ("public", None, None),
    "GET /api/v1/facilities/sites": ("public", None, None),
    "GET /api/v1/facilities/sites/{site_id}": ("public", site_id, None),
    "POST /api/v1/facilities/sites": ("division_writer", None, new_site),
    "PATCH /api/v1/facilities/sites/{site_id}": ("division_writer", site_id, {"manager": "区教体局"}),
    "POST /api/v1/facilities/sites/{site_id}/close": ("division_writer", site_id, {"status": "repair", "reason": "地面翻新"}, 200),
    "PUT /api/v1/facilities/sites/{site_id}/hours": ("division_writer", site_id,
                                                     {"rules": [{"kind": "regular", "weekday": 0, "opens": "06:00", "closes": "22:00", "price_note": ""}]}),
    "POST /api/v1/facilities/sites/{site_id}/exceptions": ("division_writer", site_id, {"date": "2026-12-01", "closed": True}),
    "POST /api/v1/facilities/sites/{site_id}/facilities": ("division_writer", site_id, {"type": "table_tennis", "area_m2": 40}),
    "GET /api/v1/facilities": ("public", None, None),
    "GET /api/v1/facilities/{facility_id}": ("public", facility_id, None),
    "PATCH /api/v1/facilities/{facility_id}": ("division_writer", facility_id, {"lit": True}),
    "DELETE /api/v1/facilities/{facility_id}": ("division_writer", facility_id, None, 409),
}

CROSS_COUNTY = [
    ("api", "PATCH /api/v1/facilities/sites/{site_id}", site_id, {"manager": "x"}, 200),
    ("api", "PATCH /api/v1/facilities/{facility_id}", facility_id, {"lit": True}, 200),
    ("api", "POST /api/v1/facilities/sites/{site_id}/facilities", site_id, {"type": "gym", "area_m2": 300}, 201),
]
