from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "quanmin.web"
    verbose_name = _("Web pages")
