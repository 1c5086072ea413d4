"""Inspection pages (namespace "maintenance"): staff pages under /staff/maintenance/inspections/, the
inspector's phone pages under /inspect/."""

from django.urls import path

from . import views_inspections as v

urlpatterns = [
    path("staff/maintenance/inspections/", v.plans, name="inspection_plans"),
    path("staff/maintenance/inspections/new/", v.plan_new, name="inspection_plan_new"),
    path("staff/maintenance/inspections/<int:plan_id>/", v.plan, name="inspection_plan"),
    path("staff/maintenance/inspections/<int:plan_id>/edit/", v.plan_edit, name="inspection_plan_edit"),
    path("staff/maintenance/inspections/<int:plan_id>/active/", v.plan_active, name="inspection_plan_active"),
    path("staff/maintenance/inspections/rounds/", v.rounds, name="inspection_rounds"),
    path("staff/maintenance/inspections/rounds/<int:round_id>/", v.round_detail, name="inspection_round"),
    path("inspect/", v.my_rounds, name="my_rounds"),
    path("inspect/rounds/<int:round_id>/", v.walk, name="inspection_walk"),
    path("inspect/rounds/<int:round_id>/check/", v.walk_check, name="inspection_check"),
]
