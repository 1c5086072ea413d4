from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "quanmin.feedback"
    verbose_name = _("Residents' reports")

    def ready(self):
        # A verified work order resolves the reports behind it (maintenance calls its ON_CLOSED hooks
        # explicitly; no signals).
        from quanmin.maintenance import services as maintenance

        from . import services

        if services.work_order_closed not in maintenance.ON_CLOSED:
            maintenance.ON_CLOSED.append(services.work_order_closed)
