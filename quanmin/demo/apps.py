from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "quanmin.demo"
