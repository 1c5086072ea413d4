from django.urls import path

from . import views_figures, views_me, views_programmes, views_public, views_staff, views_stations

app_name = "people"

urlpatterns = [
    path("instructors/", views_public.finder, name="finder"),
    path("instructors/stations/<int:pk>/", views_public.station, name="station"),
    path("instructors/card/<int:pk>/", views_public.card, name="card"),
    path("instructors/me/", views_me.me, name="me"),
    path("instructors/me/log/", views_me.log_new, name="log_new"),
    path("instructors/me/log/<int:pk>/", views_me.log_edit, name="log_edit"),
    path("instructors/staff/", views_staff.instructor_list, name="staff_list"),
    path("instructors/staff/new/", views_staff.instructor_new, name="staff_new"),
    path("instructors/staff/<int:pk>/", views_staff.instructor_detail, name="staff_detail"),
    path("instructors/staff/<int:pk>/<slug:action>/", views_staff.instructor_action, name="staff_action"),
    path("instructors/staff/export.xlsx", views_staff.export_xlsx, name="staff_export"),
    path("instructors/staff/template.xlsx", views_staff.template_xlsx, name="staff_template"),
    path("instructors/staff/import/", views_staff.import_page, name="staff_import"),
    path("instructors/staff/thresholds/", views_staff.rules_page, name="rules"),
    path("instructors/staff/logs/", views_staff.confirm_page, name="confirm"),
    path("instructors/staff/logs/<int:pk>/", views_staff.confirm_log, name="confirm_log"),
    path("instructors/logs/<int:pk>/photo/", views_me.log_photo, name="log_photo"),
    path("instructors/staff/stations/", views_stations.station_list, name="stations_staff"),
    path("instructors/staff/stations/new/", views_stations.station_new, name="station_new"),
    path("instructors/staff/stations/<int:pk>/", views_stations.station_detail, name="station_staff"),
    path("instructors/staff/stations/<int:pk>/sessions/", views_stations.session_add, name="session_add"),
    path("instructors/stations/<int:pk>/ask/", views_programmes.ask, name="ask"),
    path("instructors/staff/questions/", views_programmes.requests_page, name="requests"),
    path("instructors/staff/questions/<int:pk>/answer/", views_programmes.request_answer, name="request_answer"),
    path("instructors/staff/training/", views_programmes.trainings, name="trainings"),
    path("instructors/staff/training/<int:pk>/", views_programmes.training_detail, name="training"),
    path("instructors/staff/training/results/<int:pk>/", views_programmes.training_result, name="training_result"),
    path("instructors/staff/posts/", views_programmes.posts, name="posts"),
    path("instructors/staff/suppliers/", views_programmes.suppliers, name="suppliers"),
    path("instructors/staff/contests/", views_programmes.contests, name="contests"),
    path("instructors/staff/contests/<int:pk>/", views_programmes.contest_detail, name="contest"),
    path("instructors/figures/", views_figures.index, name="figures"),
    path("instructors/figures/<str:code>/", views_figures.region_page, name="figures_region"),
    path("instructors/figures/<str:code>/export.xlsx", views_figures.region_xlsx, name="figures_export"),
]
