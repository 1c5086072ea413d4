from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "quanmin.youth"
    verbose_name = _("Youth sports in schools")
