"""A person's own data over the API: the export and the erasure (see personal_data)."""

from django.contrib.auth import logout
from ninja import Router, Schema, Status

from quanmin.core.api import ErrorOut

from . import personal_data

router = Router(tags=["accounts"])


@router.get("/me/export", summary="Everything held about me (PIPL art. 45)")
def me_export(request):
    return personal_data.export_own_data(request.user, request=request)


class DeleteIn(Schema):
    password: str


@router.post("/me/delete", response={204: None, 429: ErrorOut},
             summary="Erase my personal data and close my account (my password confirms it)")
def me_delete(request, payload: DeleteIn):
    personal_data.delete_own_data(request.user, request=request, password=payload.password)
    logout(request)
    return Status(204, None)
