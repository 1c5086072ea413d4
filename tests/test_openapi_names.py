"""Issue 15, item 9: every schema class the API uses has a name of its own. The OpenAPI document keys
schemas by class name and keeps one of each: a second `UnitIn` replaced the first, and bodies valid
by the document were refused (422). A new app reusing a name fails here: rename the class
(prefix it with what it is about: `WorkOrderUnitIn`, `StaffUnitOut`)."""

import typing
from collections import defaultdict

import pydantic
import pytest

from quanmin import api as api_module
from quanmin.api import api


def _models(annotation):
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
    for arg in typing.get_args(annotation) or ():
        yield from _models(arg)


def schema_classes() -> dict[str, set[str]]:
    """Class name → the classes (module.qualname) of that name used by any operation, nested ones too."""
    names, seen = defaultdict(set), set()

    def walk(model):
        if model in seen:
            return
        seen.add(model)
        names[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
        for field in model.model_fields.values():
            for inner in _models(field.annotation):
                walk(inner)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    walk(model)
                for response in (operation.response_models or {}).values():
                    for model in _models(response):
                        walk(model)
    return names


def test_schema_class_names_are_unique():
    names = schema_classes()
    assert len(names) > 100  # the walk found the API's schemas
    reused = {name: sorted(classes) for name, classes in names.items() if len(classes) > 1}
    assert reused == {}, f"schema names used by more than one class (the document keeps one): {reused}"


def test_the_document_names_each_schema_once():
    document = api.get_openapi_schema()
    assert "StaffUnitIn" in document["components"]["schemas"] and "WorkOrderUnitIn" in document["components"]["schemas"]


def test_the_document_is_built_once_and_each_caller_gets_its_own_copy(monkeypatch):
    from ninja import NinjaAPI

    from quanmin.api import api

    first = api.get_openapi_schema()
    built = []
    monkeypatch.setattr(NinjaAPI, "get_openapi_schema", lambda *a, **k: built.append(1) or {})
    first["paths"].clear()  # a caller that changes its copy changes nobody else's
    again = api.get_openapi_schema()
    assert built == [] and len(again["paths"]) > 200


def test_openapi_json_serves_the_shared_document_without_a_copy(client, monkeypatch):
    document = api.openapi_document()
    monkeypatch.setattr(api_module.copy, "deepcopy", lambda *a: pytest.fail("the view copied the document"))
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["paths"].keys() == document["paths"].keys()
