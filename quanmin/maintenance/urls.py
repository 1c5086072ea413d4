from django.urls import include, path

from . import views_work_orders

app_name = "maintenance"
# Each part of the capability keeps its own URL module.
urlpatterns = [
    path("", include("quanmin.maintenance.urls_inspections")),
    path("staff/maintenance/", include("quanmin.maintenance.urls_work_orders")),
    path("staff/maintenance/figures/", include("quanmin.maintenance.urls_figures")),
    # Sending a resident's report for repair, from the report's own page (feedback's).
    path("staff/reports/<int:pk>/work-order/", views_work_orders.report_work_order, name="report_work_order"),
]
