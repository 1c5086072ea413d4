"""Staff pages of the equipment register (namespace "facilities", under /staff/equipment/)."""

from django.urls import path

from . import views_equipment as v

urlpatterns = [
    path("staff/equipment/", v.equipment_list, name="equipment_list"),
    path("staff/equipment/new/", v.equipment_new, name="equipment_new"),
    path("staff/equipment/<int:pk>/", v.equipment_detail, name="equipment"),
    path("staff/equipment/<int:pk>/edit/", v.equipment_edit, name="equipment_edit"),
    path("staff/equipment/<int:pk>/status/", v.equipment_status, name="equipment_status"),
    path("staff/equipment/import/", v.import_page, name="equipment_import"),
    path("staff/equipment/import/apply/", v.import_apply, name="equipment_import_apply"),
    path("staff/equipment/import/template.xlsx", v.import_template, name="equipment_import_template"),
    path("staff/equipment/export.xlsx", v.export, name="equipment_export"),
]
