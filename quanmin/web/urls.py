from django.urls import path

from . import health, metrics, views, views_record

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
    # 个人运动健康电子档案: the resident's own exercise-and-health record, and its Excel download.
    path("me/record/", views_record.record_page, name="my_record"),
    path("me/record/export.xlsx", views_record.record_export, name="my_record_export"),
]
