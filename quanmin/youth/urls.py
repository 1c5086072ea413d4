from django.urls import path

from . import views as v

app_name = "youth"
urlpatterns = [
    path("staff/youth/", v.school_list, name="schools"),
    path("staff/youth/new/", v.school_new, name="school_new"),
    path("staff/youth/<int:pk>/", v.school_detail, name="school"),
    path("staff/youth/<int:pk>/return/", v.return_form, name="return"),
    path("staff/youth/returns/<int:pk>/delete/", v.return_delete, name="return_delete"),
    path("staff/youth/figures/", v.figures_page, name="figures"),
    path("staff/youth/import/", v.import_page, name="import"),
    path("staff/youth/export.xlsx", v.export, name="export"),
]
