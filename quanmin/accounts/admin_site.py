from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .scoping import is_backoffice


class QuanminAdminSite(admin.AdminSite):
    """Django admin for back-office roles; what each sees is cut by the scoping helper."""

    site_header = _("Quanmin administration")
    site_title = _("Quanmin administration")
    index_title = _("Registers")

    def has_permission(self, request):

        return request.user.is_active and is_backoffice(request.user)
