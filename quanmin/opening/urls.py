from django.urls import path

from . import views as v

app_name = "opening"
urlpatterns = [
    path("staff/opening/", v.rounds, name="rounds"),
    path("staff/opening/rounds/<int:pk>/", v.round_page, name="round"),
    path("staff/opening/rounds/<int:pk>/close/", v.round_close, name="round_close"),
    path("staff/opening/rounds/<int:pk>/export.xlsx", v.round_export, name="round_export"),
    path("staff/opening/evaluations/<int:pk>/", v.evaluation, name="evaluation"),
    path("staff/opening/evaluations/<int:pk>/rectify/", v.evaluation_rectify, name="evaluation_rectify"),
    path("staff/opening/rectifications/", v.rectifications, name="rectifications"),
    path("staff/opening/rectifications/<int:pk>/report/", v.rectification_report, name="rectification_report"),
    path("staff/opening/rectifications/<int:pk>/confirm/", v.rectification_confirm, name="rectification_confirm"),
]
