"""The national export in the API (under /api/v1/opendata), for the systems that forward it to the
national platform with a bearer token: the same export as the staff page's JSON, scoped alike."""

from typing import Literal

from django.utils import timezone
from ninja import Router

from quanmin.accounts import audit
from quanmin.core.api import ErrorOut

from . import national, permissions

router = Router(tags=["opendata"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/national", response={200: dict, **ERRORS}, summary="The national export of a division and a period",
            description="Venues with free or low-fee opening and their visitors, fitness equipment, games and "
                        "events of a division of the caller's scope (default: the caller's own) for a year "
                        "(2026), a month (2026-03) or a quarter (2026-Q1; default: this year). Fields as "
                        "documented in quanmin/opendata/data/national_fields.csv; names=national writes the "
                        "national specification's field names where they are known.")
def national_export(request, region: str | None = None, period: str | None = None,
                    names: Literal["ours", "national"] = "ours"):
    tops = permissions.export_tops(request.user)
    division = permissions.export_region(request.user, region or tops[0].code)
    period = period or str(timezone.localdate().year)
    data = national.export(division, period, names=names)
    audit.record("export", request=request, region_code=division.code,
                 detail={"what": "national", "period": period, "format": "api"})
    return data
