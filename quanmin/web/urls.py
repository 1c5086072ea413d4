from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/regions/", views.regions, name="regions"),
    path("staff/regions/<str:code>/", views.regions, name="region"),
    path("staff/audit/", views.audit_log, name="audit"),
]
