"""The pages' forms take dates in the years the API takes (issue 15): every date and date-time field
of every form the project declares refuses the year 0128 and 9999 with the API's message, and
takes a date of now. The forms are found by importing the apps' form and view modules, so a new
app's forms are checked as they land."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

import quanmin
from quanmin.core.api import FIRST_YEAR_DAY, FIRST_YEAR_TIME, LAST_YEAR


def _import_form_modules():
    for module in pkgutil.walk_packages(quanmin.__path__, "quanmin."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf.startswith(("forms", "views")) and ".migrations" not in module.name:
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def date_fields() -> dict[str, forms.Field]:
    _import_form_modules()
    found = {}
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("quanmin."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                found[f"{form.__module__}.{form.__qualname__}.{name}"] = field
    return found


def test_the_forms_have_date_fields():
    assert len(date_fields()) > 15, "no date fields found: the test would check nothing"


@pytest.mark.parametrize("key", sorted(date_fields()))
def test_every_form_date_refuses_impossible_years(key):
    field = date_fields()[key]
    moment = isinstance(field, forms.DateTimeField)
    first = FIRST_YEAR_TIME if moment else FIRST_YEAR_DAY
    with translation.override("zh-hans"):
        for bad in ("0128-01-01T10:00" if moment else "0128-01-01", "9999-12-31T10:00" if moment else "9999-12-31"):
            with pytest.raises(forms.ValidationError) as exc:
                field.clean(bad)
            assert exc.value.messages == [f"请使用 {first} 至 {LAST_YEAR} 之间的日期。"], (key, bad, exc.value.messages)
    good = "2026-03-01T09:00" if moment else "2026-03-01"
    assert field.clean(good).year == 2026
    assert isinstance(field.clean(good), datetime.datetime if moment else datetime.date)
