from django.urls import path

from . import views as v

app_name = "residential"
urlpatterns = [
    path("staff/residential/", v.project_list, name="projects"),
    path("staff/residential/new/", v.project_new, name="project_new"),
    path("staff/residential/<int:pk>/", v.project_detail, name="project"),
    path("staff/residential/<int:pk>/accept/", v.project_accept, name="project_accept"),
    path("staff/residential/figures/", v.figures_page, name="figures"),
    path("staff/residential/import/", v.import_page, name="import"),
    path("staff/residential/export.xlsx", v.export, name="export"),
]
