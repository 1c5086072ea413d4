from django.urls import path

from . import views, views_exercise

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
    path("staff/physique/standard/", views_exercise.sessions, name="exercise_sessions"),
    path("staff/physique/standard/<int:pk>/", views_exercise.session, name="exercise_session"),
    path("staff/physique/standard/<int:pk>/grade/", views_exercise.grade, name="exercise_grade"),
    path("staff/physique/standard/<int:pk>/import/", views_exercise.import_view, name="exercise_import"),
    path("staff/physique/standard/<int:pk>/export/", views_exercise.export, name="exercise_export"),
    path("staff/physique/standard/grades/<int:pk>/annul/", views_exercise.annul, name="exercise_annul"),
    path("me/physique/certificates/<str:number>/", views_exercise.certificate, name="certificate"),
    path("physique/certificates/", views_exercise.certificate_check, name="certificate_lookup"),
    path("physique/certificates/<str:number>/", views_exercise.certificate_check, name="certificate_check"),
    path("staff/physique/figures/", views.figures_index, name="figures"),
    path("staff/physique/figures/<str:code>/", views.figures_region, name="figures_region"),
]
