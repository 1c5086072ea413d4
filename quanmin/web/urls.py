from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/regions/", views.regions, name="regions"),
    path("staff/regions/<str:code>/", views.regions, name="region"),
    path("staff/audit/", views.audit_log, name="audit"),
    # A person's own data, beside the account page (accounts/me/) whose buttons lead here.
    path("accounts/me/export/", views.my_data_export, name="my_data_export"),
    path("accounts/me/delete/", views.my_data_delete, name="my_data_delete"),
]
