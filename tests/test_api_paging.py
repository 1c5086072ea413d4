"""Every paginated list of the API is bounded: a huge limit gives one bounded page (the shared Paging) or
a 422 (lists with their own limit), a huge offset a 422; never a 500 (the database cannot hold such
integers)."""

import pytest

from quanmin.api import api
from quanmin.core.api import MAX_PAGE

HUGE = 10**20


def paginated_lists():
    """GET operations with a `limit` parameter and no path parameters, read from the OpenAPI document."""
    schema = api.get_openapi_schema()
    found = []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if not op or "{" in path:
            continue
        names = {p["name"] for p in op.get("parameters", [])}
        if "limit" in names:
            found.append(path)
    return sorted(found)


def test_the_api_has_paginated_lists():
    # Guards the test below against finding nothing to check.
    assert "/api/v1/facilities/sites" in paginated_lists()
    assert "/api/v1/regions" in paginated_lists()


@pytest.mark.parametrize("path", paginated_lists())
def test_huge_limit_and_offset_are_bounded(client_for, path):
    client = client_for("superuser")
    page = client.get(path, {"limit": HUGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code in (200, 403, 422), page.content[:300]
    if page.status_code == 200:
        body = page.json()
        assert len(body["items"] if isinstance(body, dict) else body) <= MAX_PAGE
    far = client.get(path, {"offset": HUGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert far.status_code in (403, 422), far.content[:300]
