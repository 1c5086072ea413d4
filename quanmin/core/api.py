"""Pieces every ninja router shares: error bodies and paging (authentication: accounts.api_auth)."""

import datetime
from typing import Annotated

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = None


MAX_OFFSET = 2**53  # beyond any database's integers: refused with 422 instead of failing in the database
# The largest id a path or a body may name: the largest integer a JSON client (JavaScript) carries
# exactly, and below the 64-bit columns' limit, so that a larger one finds nothing instead of failing
# in the database driver.
MAX_ID = 2**53


def lookup_id(value: int) -> int:
    """The id to look a row up by: the one asked for, or past MAX_ID MAX_ID itself, so that a number
    the database cannot hold finds nothing (404) instead of failing in the driver (500), and every
    id a 64-bit column holds up to MAX_ID finds its own row, never another."""
    return min(value, MAX_ID)
MAX_PAGE = 500  # items in one page: a province has millions of rows, no request loads them all


LIMIT_HELP = f"Items per page, 1 to {MAX_PAGE}; outside that the list answers 422 (invalid_input)."
OFFSET_HELP = "Items to skip, from 0."


def Limit(default: int = 100):
    """A list's `limit` query parameter: the one rule of every list (1..MAX_PAGE, else 422)."""
    return Query(default, ge=1, le=MAX_PAGE, description=LIMIT_HELP)


def Offset():
    """A list's `offset` query parameter (0..MAX_OFFSET, else 422)."""
    return Query(0, ge=0, le=MAX_OFFSET, description=OFFSET_HELP)


class Paging(LimitOffsetPagination):
    """limit and offset, the one rule of every list (issue 15, item 12): limit 1 to MAX_PAGE and
    offset 0 to MAX_OFFSET, else 422 with the field named; lists that page by hand take `Limit()`
    and `Offset()`, the same bounds."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=LIMIT_HELP)
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=OFFSET_HELP)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class PagedRows:
    """A queryset that `Paging` cuts to one page before `rows(page)` turns it into what the list
    answers: the rows of the page alone are built (never every row of the list), in one go, and the
    count is the database's."""

    def __init__(self, queryset, rows):
        self.queryset, self.rows = queryset, rows

    def __getitem__(self, page: slice):
        return self.rows(self.queryset[page])

    def __len__(self) -> int:
        return self.queryset.count()


class ArrayPageIn(Schema):
    limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE, description=LIMIT_HELP)
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=OFFSET_HELP)


class ArrayPaging(PaginationBase):
    """The same limit and offset for a list that answers a bare array (reference lists, a site's
    units, a day's hours): `@paginate(ArrayPaging)` pages it without changing its shape. The
    default is the largest page, so a caller that never asked for a page gets what it got before
    while the list is short, and never more than one page once it is long."""

    Input = ArrayPageIn
    Output = None

    def paginate_queryset(self, queryset, pagination: ArrayPageIn, request=None, **params):
        if isinstance(queryset, HttpResponseBase):
            return queryset
        if not hasattr(queryset, "__getitem__"):
            queryset = list(queryset)
        return list(queryset[pagination.offset:pagination.offset + pagination.limit])


class ImportRowErrorOut(Schema):
    column: str
    code: str
    message: str


class ImportCountsOut(Schema):
    rows: int
    new: int
    updated: int
    unchanged: int
    rejected: int


# Dates and times the API takes (issue 15, item 12): written out (ISO 8601), never a number (pydantic
# reads 0 as 1970-01-01), in years a record can have; a time without a zone is the city's local time.
FIRST_YEAR_TIME, FIRST_YEAR_DAY, LAST_YEAR = 2000, 1900, 2100


def year_message(first: int) -> str:
    """The one message of a year out of range, for the API and the forms (core.forms) alike."""
    return _("Use a date between %(first)s and %(last)s.") % {"first": first, "last": LAST_YEAR}


def _written_out(value):
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()):
        raise PydanticCustomError("date_not_number", _(
            "Give a date (2026-03-01) or date and time (2026-03-01T09:00:00+08:00), not a number."))
    return value


def _moment(value: datetime.datetime) -> datetime.datetime:
    if not FIRST_YEAR_TIME <= value.year <= LAST_YEAR:
        raise PydanticCustomError("year_out_of_range", year_message(FIRST_YEAR_TIME))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _day(value: datetime.date) -> datetime.date:
    if not FIRST_YEAR_DAY <= value.year <= LAST_YEAR:
        raise PydanticCustomError("year_out_of_range", year_message(FIRST_YEAR_DAY))
    return value


Moment = Annotated[datetime.datetime, BeforeValidator(_written_out), AfterValidator(_moment)]
Day = Annotated[datetime.date, BeforeValidator(_written_out), AfterValidator(_day)]
# A bound of a list's filter (created_from, date_to…): written out, any year (9999-12-31 for "no end").
DayBound = Annotated[datetime.date, BeforeValidator(_written_out)]
