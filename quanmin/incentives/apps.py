from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "quanmin.incentives"
    verbose_name = _("Sports points and vouchers")
    default_auto_field = "django.db.models.BigAutoField"
