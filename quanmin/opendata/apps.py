from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "quanmin.opendata"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Schema, not business logic: the change-noting triggers on the domain's tables are (re)made
        # after every migrate, because SQLite drops a table's triggers when a migration rebuilds it.
        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(using="default", **kwargs):
    from . import triggers  # lazy: models are not ready when the app config is imported

    triggers.install(using)
