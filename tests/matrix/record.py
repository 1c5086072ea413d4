"""The resident's exercise-and-health record (quanmin.web.record): the person's own, for anyone signed in
(each sees their own record; there is no path naming another person)."""

WEB = {
    "web:my_record": ("signed_in", None, "get", None),
    "web:my_record_export": ("signed_in", None, "get", None),
}

API = {
    "GET /api/v1/me/record": ("signed_in", None, None),
    "GET /api/v1/me/record/lines": ("signed_in", None, None),
    "GET /api/v1/me/record/export.xlsx": ("signed_in", None, None),
}
