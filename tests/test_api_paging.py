"""One paging rule for every list of the API (issue 15, item 12): `limit` from 1 to MAX_PAGE and
`offset` from 0 to MAX_OFFSET, whether the list uses the shared Paging or pages by hand; outside
those bounds the same answer, 422 `invalid_input` naming the field; never a 500, never a silent
clamp. The lists are read from the OpenAPI document, so a new app's lists are checked as they land:
every GET that answers an array or a page ({items, count}) must take `limit` and `offset`."""

import functools
import re

import pytest

from quanmin.api import api
from quanmin.core.api import MAX_OFFSET, MAX_PAGE

HUGE = 10**20


@functools.cache
def document() -> dict:
    """The API's document, read once for the whole file (the tests only read it)."""
    return api.get_openapi_schema()


def _operations():
    schema = document()
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op:
            yield path, {p["name"]: p for p in op.get("parameters", [])}


def _answers_a_list(operation) -> bool:
    ok = operation["responses"].get(200) or operation["responses"].get("200") or {}
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema.get("type") == "array" or {"items", "count"} <= set(schema.get("properties", {}))


def list_operations() -> list[str]:
    """GET operations that answer a list (an array, or a page of items with their count)."""
    return sorted(path for path, ops in document()["paths"].items() if "get" in ops and _answers_a_list(ops["get"]))


def paged_lists(with_path_parameters=True):
    """GET operations with a `limit` parameter (those without path parameters when asked)."""
    return sorted(path for path, params in _operations()
                  if "limit" in params and (with_path_parameters or "{" not in path))


def test_the_api_has_paginated_lists():
    # Guards the tests below against finding nothing to check.
    assert "/api/v1/facilities/sites" in paged_lists()
    assert "/api/v1/feedback/staff/reports" in paged_lists()
    assert len(paged_lists()) > 20


def test_every_list_pages():
    # 28 lists answered their whole array with no `limit` at all (issue 15).
    lists = list_operations()
    assert len(lists) > 50 and "/api/v1/tokens" in lists and "/api/v1/booking/staff/sites/{site_id}/visits" in lists
    assert [path for path in lists if path not in paged_lists()] == []


@pytest.mark.parametrize("path", paged_lists())
def test_every_list_documents_the_same_bounds(path):
    params = dict(_operations())[path]
    limit, offset = params["limit"]["schema"], params["offset"]["schema"]
    assert (limit.get("minimum"), limit.get("maximum")) == (1, MAX_PAGE), path
    assert (offset.get("minimum"), offset.get("maximum")) == (0, MAX_OFFSET), path


@pytest.mark.parametrize("path", paged_lists())
def test_every_list_answers_the_same_error_outside_the_bounds(client_for, path):
    client = client_for("superuser")
    # A path parameter names no object here: the query is validated before any lookup.
    path = re.sub(r"\{[^}]+\}", "1", path)
    page = client.get(path, {"limit": MAX_PAGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code in (200, 403, 404), page.content[:300]
    if page.status_code == 200:
        body = page.json()
        assert len(body["items"] if isinstance(body, dict) else body) <= MAX_PAGE
    for query, field in (({"limit": MAX_PAGE + 1}, "limit"), ({"limit": HUGE}, "limit"), ({"limit": 0}, "limit"),
                         ({"offset": HUGE}, "offset"), ({"offset": -1}, "offset")):
        answer = client.get(path, query, HTTP_ACCEPT_LANGUAGE="en")
        if answer.status_code == 403:
            continue
        assert answer.status_code == 422, (path, query, answer.content[:300])
        body = answer.json()
        assert body["code"] == "invalid_input" and [e["field"] for e in body["errors"]] == [field], (path, body)
