"""Form fields of dates and times in the years a record can have: the API's rule (core.api `Day`,
`Moment`) for the pages' forms, with the same message (issue 15). A staff form's date field that
took any year stored 0128-01-01 as an inspection plan's start or an event's day; every form date
field is one of these (tests/core/test_form_dates.py walks the forms)."""

from django import forms
from django.core.exceptions import ValidationError

from .api import FIRST_YEAR_DAY, FIRST_YEAR_TIME, LAST_YEAR, year_message


class _InYears:
    first_year = FIRST_YEAR_DAY

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not self.first_year <= value.year <= LAST_YEAR:
            raise ValidationError(year_message(self.first_year), code="year_out_of_range")
        return value


class DayField(_InYears, forms.DateField):
    """A date from 1900 to 2100, as the API's `Day`."""


class MomentField(_InYears, forms.DateTimeField):
    """A date and time from 2000 to 2100, as the API's `Moment` (the city's zone when no offset is given)."""

    first_year = FIRST_YEAR_TIME
