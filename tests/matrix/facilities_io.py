"""Permission rows for the register's Excel/CSV import and exports (no object URLs: no CROSS_COUNTY)."""

WEB = {
    "facilities:import": ("division_writer", None, "get", None, {"post": ({}, 400)}),
    # No token: writers are sent back to the import page, the others are refused.
    "facilities:import_apply": ("division_writer", None, "post", {}),
    "facilities:import_template": ("division_writer", None, "get", None),
    "facilities:export": ("division_reader", None, "get", None),
}

API = {
    # Without a file writers get 400 file_required; supervisors 403.
    "POST /api/v1/facilities/import": ("division_writer", None, None, 400),
    "GET /api/v1/facilities/import-template.xlsx": ("division_writer", None, None),
    "GET /api/v1/facilities/export.xlsx": ("division_reader", None, None),
    "GET /api/v1/facilities/export.csv": ("division_reader", None, None),
    "GET /api/v1/facilities/export.geojson": ("public", None, None),
}
