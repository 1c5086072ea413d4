from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "quanmin.maintenance"
    verbose_name = _("Equipment maintenance")
