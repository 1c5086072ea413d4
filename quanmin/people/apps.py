from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "quanmin.people"
    verbose_name = _("Social sports instructors")
