from django.urls import path

from . import views_departments, views_meetings, views_plans, views_tasks

app_name = "planning"
urlpatterns = [
    path("staff/plans/", views_plans.plan_list, name="plans"),
    path("staff/plans/new/", views_plans.plan_new, name="plan_new"),
    path("staff/plans/departments/", views_departments.department_list, name="departments"),
    path("staff/plans/departments/<int:pk>/staff/", views_departments.staff_add, name="department_staff_add"),
    path("staff/plans/departments/<int:pk>/staff/remove/", views_departments.staff_remove,
         name="department_staff_remove"),
    path("staff/plans/my-tasks/", views_tasks.my_tasks, name="my_tasks"),
    path("staff/plans/<slug:key>/", views_plans.plan_dashboard, name="plan"),
    path("staff/plans/<slug:key>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("staff/plans/<slug:key>/meetings/", views_meetings.meeting_list, name="meetings"),
    path("staff/plans/<slug:key>/meetings/<int:pk>/decisions/", views_meetings.meeting_decide, name="meeting_decide"),
    path("staff/plans/<slug:key>/export.xlsx", views_plans.plan_export, name="export"),
    path("staff/plans/<slug:key>/targets/<int:pk>/", views_plans.target_detail, name="target"),
    path("staff/plans/<slug:key>/targets/<int:pk>/indicator/", views_plans.target_indicator, name="target_indicator"),
    path("staff/plans/<slug:key>/targets/<int:pk>/figures/", views_plans.figure_add, name="figure_add"),
    path("staff/plans/<slug:key>/targets/<int:pk>/figures/<int:figure_pk>/evidence/", views_plans.figure_evidence,
         name="figure_evidence"),
    path("staff/plans/<slug:key>/targets/<int:pk>/figures/<int:figure_pk>/decision/", views_plans.figure_decide,
         name="figure_decide"),
    path("staff/plans/<slug:key>/tasks/import/", views_tasks.task_import, name="task_import"),
    path("staff/plans/<slug:key>/tasks/<int:pk>/", views_tasks.task_detail, name="task"),
    path("staff/plans/<slug:key>/tasks/<int:pk>/entries/<int:entry_pk>/evidence/", views_tasks.entry_evidence,
         name="entry_evidence"),
    path("staff/plans/<slug:key>/tasks/<int:pk>/periods/<int:period_pk>/report/", views_tasks.task_report,
         name="task_report"),
    path("staff/plans/<slug:key>/tasks/<int:pk>/periods/<int:period_pk>/comment/", views_tasks.task_comment,
         name="task_comment"),
    path("staff/plans/<slug:key>/tasks/<int:pk>/periods/<int:period_pk>/review/", views_tasks.task_review,
         name="task_review"),
]
