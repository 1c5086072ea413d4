"""The permission matrix's own checks fail where they should: an unnamed pattern, an API operation
hidden from the OpenAPI document, a method a page accepts that no row sends, and an allowed role
answered with another status than the row expects."""

import pytest
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_POST
from ninja import NinjaAPI

from . import routes
from .test_permissions import _judge, unnamed_patterns, web_methods_missing


def _form(request):
    return HttpResponse("saved" if request.POST.get("name") else "form")


def form_page(request):
    """Takes POST through a helper of its module, with no method decorator."""
    return _form(request)


def read_page(request):
    return HttpResponse("list")


@login_required
@require_POST
def action(request):
    return HttpResponse("done")


@require_http_methods(["GET", "POST"])
def declared(request):
    return HttpResponse("either")


PATTERNS = [
    path("pages/", include(([
        path("form/", form_page, name="form"),
        path("list/", read_page, name="list"),
        path("act/", action, name="act"),
        path("either/", declared, name="either"),
    ], "t"))),
    path("secret/", read_page),
]

api = NinjaAPI(urls_namespace="routes-test", docs_url=None)


@api.get("/shown/{item_id}", auth=None)
def shown(request, item_id: int):
    return {}


@api.api_operation(["GET", "DELETE"], "/hidden", include_in_schema=False, auth=None)
def hidden(request):
    return {}


urlpatterns = [*PATTERNS, path("x/", api.urls)]


def test_an_unnamed_pattern_is_found():
    assert unnamed_patterns(PATTERNS) == ["secret/"]


def test_the_methods_of_a_page_come_from_its_view():
    methods = {r.name: routes.page_methods(r.view) for r in routes.pages(PATTERNS) if r.name}
    assert methods == {"t:form": {"GET", "POST"}, "t:list": {"GET"}, "t:act": {"POST"},
                       "t:either": {"GET", "POST"}}


def test_a_method_no_row_sends_fails_the_matrix():
    rows = {
        "t:form": ("public", None, "get", None),  # POST missing
        "t:list": ("public", None, "get", None, {"post": ({}, 200)}),  # POST listed, not accepted
        "t:act": ("public", None, "post", {}),
        "t:either": ("public", None, "get", None, {"post": ({}, 302)}),
    }
    assert web_methods_missing(rows, PATTERNS[:1]) == [("t:form", "POST"), ("t:list", "POST")]


@pytest.mark.urls("tests.test_routes")
def test_an_operation_hidden_from_the_schema_is_listed():
    found = routes.api_operations(urlpatterns, "routes-test")
    assert {k: v for k, v in found.items() if v is not None} == {
        "GET /x/shown/{item_id}": True, "GET /x/hidden": False, "DELETE /x/hidden": False}
    # What the matrix went by before: the OpenAPI document, which does not show it.
    assert list(api.get_openapi_schema()["paths"]) == ["/x/shown/{item_id}"]


def test_allowed_means_the_status_the_row_expects():
    def expects_200(role):
        return (200,)

    assert _judge("county", "division_writer", "k", "post", HttpResponse(status=200), expects_200) is None
    for status in (400, 405, 422, 409):
        assert _judge("county", "division_writer", "k", "post", HttpResponse(status=status), expects_200)
    # Outside the audience only a denial will do.
    assert _judge("resident", "division_writer", "k", "post", HttpResponse(status=200), expects_200)
    assert _judge("resident", "division_writer", "k", "post", HttpResponse(status=403), expects_200) is None
