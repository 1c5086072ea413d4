from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhysiqueConfig(AppConfig):
    name = "quanmin.physique"
    verbose_name = _("Physique monitoring")

    def ready(self):
        # A person's data export (PIPL art. 45) includes their physique tests and prescriptions.
        from quanmin.accounts.services import EXPORTERS

        from .services import export_person

        EXPORTERS["physique"] = export_person
