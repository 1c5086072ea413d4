"""A person's own data over the API: the export and the erasure (see personal_data)."""

from django.contrib.auth import logout
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from quanmin.accounts.errors import AccountError

from . import personal_data

router = Router(tags=["accounts"])


@router.get("/me/export", summary="Everything held about me (PIPL art. 45)")
def me_export(request):
    return personal_data.export_own_data(request.user, request=request)


class DeleteIn(Schema):
    password: str


@router.post("/me/delete", response={204: None}, summary="Erase my personal data and close my account")
def me_delete(request, payload: DeleteIn):
    if not request.user.check_password(payload.password):
        raise AccountError("password_wrong", _("The password is wrong."), "password")
    personal_data.delete_own_data(request.user, request=request)
    logout(request)
    return Status(204, None)
