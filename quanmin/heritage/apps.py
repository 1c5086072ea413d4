from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "quanmin.heritage"
    verbose_name = _("Sports tourism and sports heritage")
