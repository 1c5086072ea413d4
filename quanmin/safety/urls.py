from django.urls import path

from . import views as v

app_name = "safety"
urlpatterns = [
    path("staff/safety/", v.register, name="register"),
    path("staff/safety/venues/<int:pk>/", v.venue, name="venue"),
    path("staff/safety/checks/", v.checks, name="checks"),
    path("staff/safety/venues/<int:pk>/check/", v.check_new, name="check_new"),
    path("staff/safety/checks/<int:pk>/", v.check, name="check"),
    path("staff/safety/hazards/", v.hazards, name="hazards"),
    path("staff/safety/hazards/<int:pk>/rectify/", v.hazard_rectify, name="hazard_rectify"),
    path("staff/safety/hazards/<int:pk>/confirm/", v.hazard_confirm, name="hazard_confirm"),
    path("staff/safety/hazards/<int:pk>/photo/", v.hazard_photo, name="hazard_photo"),
    path("staff/safety/my/", v.my_hazards, name="my_hazards"),
    path("staff/safety/import/", v.import_page, name="import"),
    path("staff/safety/export.xlsx", v.export, name="export"),
]
