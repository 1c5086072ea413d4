from django.urls import path

from . import views as v

app_name = "funding"
urlpatterns = [
    path("staff/funding/", v.project_list, name="projects"),
    path("staff/funding/new/", v.project_new, name="project_new"),
    path("staff/funding/<int:pk>/", v.project_detail, name="project"),
    path("staff/funding/<int:pk>/delete/", v.project_delete, name="project_delete"),
    path("staff/funding/figures/", v.figures_page, name="figures"),
    path("staff/funding/lottery/", v.lottery_save, name="lottery"),
    path("staff/funding/import/", v.import_page, name="import"),
    path("staff/funding/export.xlsx", v.export, name="export"),
]
