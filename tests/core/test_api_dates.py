"""Dates and times sent to the API are real ones (issue 15, item 12): a number (`starts_at=0`, read
as 1970 by pydantic) or a year like 0128 is refused with 422 naming the field, in every request
body and query of every operation. The schemas are read from the API's own operations, so a new
app's inputs are checked as they land."""

import datetime
import types
import typing

import pytest
from pydantic import BaseModel, ValidationError

from tests.routes import _path_view, walk

BAD = {datetime.datetime: (0, 1e12, "0128-01-01T10:00:00", "1970-01-01T00:00:00", "9999-12-31T23:00:00"),
       datetime.date: (0, "0128-01-01", "9999-12-31")}
# A list's filter bounds (query parameters) may be any written-out date: 9999-12-31 means "no end".
BAD_BOUND = {datetime.datetime: (0, 1e12), datetime.date: (0, 20260301)}


def _kind(annotation):
    """datetime or date when the annotation is one (possibly optional or annotated), else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(a) for a in typing.get_args(annotation)} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    if annotation in (datetime.datetime, datetime.date):
        return annotation
    return None


def _fields(model, seen):
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        kind = _kind(info.annotation)
        if kind is not None:
            yield model, name, kind
        for arg in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _fields(arg, seen)


def date_inputs():
    found, seen = {}, set()
    for route in walk():
        path_view = _path_view(route.view)
        if path_view is None:
            continue
        for operation in path_view.operations:
            for params in operation.models:
                for model, name, kind in _fields(params, seen):
                    found[f"{model.__module__}.{model.__qualname__}.{name}"] = (model, name, kind)
    return found


def test_the_api_takes_dates():
    assert len(date_inputs()) > 10, "no date inputs found: the test would check nothing"


@pytest.mark.parametrize("key", sorted(date_inputs()))
def test_every_date_input_refuses_numbers_and_impossible_years(key):
    model, name, kind = date_inputs()[key]
    query = model.__module__ == "abc"  # django-ninja's model of a view's query parameters
    for bad in (BAD_BOUND if query else BAD)[kind]:
        with pytest.raises(ValidationError) as exc:
            model.model_validate({name: bad})
        assert any(err["loc"][:1] == (name,) for err in exc.value.errors()), (key, bad)
    good = "2026-03-01T09:00:00+08:00" if kind is datetime.datetime else "2026-03-01"
    try:
        model.model_validate({name: good})
    except ValidationError as exc:
        assert not [e for e in exc.errors() if e["loc"][:1] == (name,)], (key, good)
