from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentialConfig(AppConfig):
    name = "quanmin.residential"
    verbose_name = _("New residential areas' fitness facilities")
