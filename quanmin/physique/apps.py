from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhysiqueConfig(AppConfig):
    name = "quanmin.physique"
    verbose_name = _("Physique monitoring")
