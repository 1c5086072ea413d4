"""Staff pages for the register's Excel/CSV import and its exports (under /staff/facilities/)."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("import/", views_io.import_page, name="import"),
    path("import/apply/", views_io.import_apply, name="import_apply"),
    path("import/template.xlsx", views_io.import_template, name="import_template"),
    path("export/", views_io.export, name="export"),
]
