from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusiveConfig(AppConfig):
    name = "quanmin.inclusive"
    verbose_name = _("Fitness for older people, children, disabled people and ethnic villages")
