from django.urls import path

from . import views

app_name = "physique"
urlpatterns = [
    path("physique/", views.index, name="index"),
    path("physique/sessions/", views.sessions, name="sessions"),
    path("physique/sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("physique/results/<int:pk>/", views.report, name="report"),
    path("physique/results/<int:pk>/prescription/", views.prescribe, name="prescribe"),
    path("physique/prescriptions/<int:pk>/", views.prescription, name="prescription"),
    path("me/physique/", views.me, name="me"),
    path("me/physique/consent/", views.consent, name="consent"),
    path("staff/physique/", views.staff_index, name="staff"),
    path("staff/physique/stations/new/", views.station_new, name="station_new"),
    path("staff/physique/stations/<int:pk>/", views.station, name="station"),
    path("staff/physique/sessions/<int:pk>/", views.session, name="session"),
    path("staff/physique/sessions/<int:pk>/open-booking/", views.session_open, name="session_open"),
    path("staff/physique/sessions/<int:pk>/record/", views.record, name="record"),
    path("staff/physique/sessions/<int:pk>/import/", views.import_view, name="import"),
    path("staff/physique/people/<int:pk>/", views.participant, name="participant"),
    path("staff/physique/figures/", views.figures_index, name="figures"),
    path("staff/physique/figures/<str:code>/", views.figures_region, name="figures_region"),
]
