from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "quanmin.regions"
    verbose_name = _("Administrative divisions")

    def ready(self):
        from . import lookups  # noqa: F401  registers the __within lookup once the apps are loaded
