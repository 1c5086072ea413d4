from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhysiqueConfig(AppConfig):
    name = "quanmin.physique"
    verbose_name = _("Physique monitoring")

    def ready(self):
        # A person's data export and erasure (PIPL art. 45, 47) include their physique tests and prescriptions.
        from quanmin.accounts.services import ERASERS, EXPORTERS

        from .services import erase_person, export_person

        EXPORTERS["physique"] = export_person
        ERASERS["physique"] = erase_person
