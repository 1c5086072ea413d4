from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "quanmin.events"
    verbose_name = _("Games and events")
    default_auto_field = "django.db.models.BigAutoField"
