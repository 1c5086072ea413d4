from django.urls import path

from . import views_resident as r
from . import views_staff as v

app_name = "surveys"
urlpatterns = [
    path("surveys/", r.open_list, name="open"),
    path("surveys/<int:pk>/", r.answer, name="answer"),
    path("staff/surveys/", v.survey_list, name="staff_list"),
    path("staff/surveys/new/", v.survey_new, name="staff_new"),
    path("staff/surveys/<int:pk>/", v.survey_detail, name="staff_survey"),
    path("staff/surveys/<int:pk>/questions/", v.question_add, name="staff_question_add"),
    path("staff/surveys/<int:pk>/questions/<int:question_pk>/delete/", v.question_delete,
         name="staff_question_delete"),
    path("staff/surveys/<int:pk>/quotas/", v.quota_add, name="staff_quota_add"),
    path("staff/surveys/<int:pk>/quotas/<int:quota_pk>/delete/", v.quota_delete, name="staff_quota_delete"),
    path("staff/surveys/<int:pk>/status/", v.status, name="staff_status"),
    path("staff/surveys/<int:pk>/results/", v.survey_results, name="staff_results"),
    path("staff/surveys/<int:pk>/export.xlsx", v.export, name="staff_export"),
]
