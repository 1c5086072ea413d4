from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "quanmin.booking"
    verbose_name = _("Online booking")
