"""What the resident's and the staff's report API share: error answers, text checks, the timeline's
and photos' shapes, divisions by code."""

import datetime
from typing import Annotated

from django.http import Http404
from ninja import Schema
from pydantic import AfterValidator

from quanmin.core.api import ErrorOut
from quanmin.core.uploads import file_response
from quanmin.regions import codes
from quanmin.regions.models import Region

from .models import ReportPhoto

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 415: ErrorOut, 429: ErrorOut}


def no_nul(value):
    # NUL bytes cannot reach PostgreSQL text columns; nobody types them.
    return value.replace("\x00", "") if isinstance(value, str) else value


# Schemas bound lengths generously; the services hold the real limits and say them in words.
Text = Annotated[str, AfterValidator(no_nul)]


class ReportEventOut(Schema):
    kind: str
    kind_label: str
    at: datetime.datetime
    text: str


class ReportPhotoOut(Schema):
    id: int
    uploaded_at: datetime.datetime
    url: str


def region_or_404(code: str) -> Region:
    try:
        code = codes.normalise(no_nul(code))
    except ValueError:
        raise Http404 from None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise Http404
    return region


def default_region() -> str | None:
    return Region.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True).first()


def photo_response(photo: ReportPhoto):
    return file_response(photo.image)
