from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

from . import checks  # noqa: F401  (registers the deploy check of QUANMIN_FIELD_KEY)


class AccountsConfig(AppConfig):
    default = True
    name = "quanmin.accounts"
    verbose_name = _("Accounts and roles")


class QuanminAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "quanmin.accounts.admin_site.QuanminAdminSite"
