from django.urls import include, path

app_name = "maintenance"
# Each part of the capability keeps its own URL module.
urlpatterns = [
    path("", include("quanmin.maintenance.urls_inspections")),
    path("staff/maintenance/", include("quanmin.maintenance.urls_work_orders")),
    path("staff/maintenance/figures/", include("quanmin.maintenance.urls_figures")),
]
