from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quanmin.core"
    label = "core"
    verbose_name = "Core"
