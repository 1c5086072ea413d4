from django.urls import path

from . import health, metrics, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # For load balancers (issue 24): the process answers; this node can serve.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("staff/regions/", views.regions, name="regions"),
    path("staff/regions/<str:code>/", views.regions, name="region"),
    path("staff/audit/", views.audit_log, name="audit"),
    # A person's own data, beside the account page (accounts/me/) whose buttons lead here.
    path("accounts/me/export/", views.my_data_export, name="my_data_export"),
    path("accounts/me/delete/", views.my_data_delete, name="my_data_delete"),
]
