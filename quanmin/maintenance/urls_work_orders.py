"""Work-order pages under /staff/maintenance/ (namespace "maintenance")."""

from django.urls import path

from . import views_work_orders as v

urlpatterns = [
    path("", v.work_orders, name="work_orders"),
    path("export.xlsx", v.export, name="work_orders_export"),
    path("new/", v.work_order_new, name="work_order_new"),
    path("my-orders/", v.my_orders, name="my_orders"),
    path("work-orders/<int:order_id>/", v.work_order, name="work_order"),
    path("work-orders/<int:order_id>/assign/", v.assign, name="work_order_assign"),
    path("work-orders/<int:order_id>/start/", v.start, name="work_order_start"),
    path("work-orders/<int:order_id>/complete/", v.complete, name="work_order_complete"),
    path("work-orders/<int:order_id>/verify/", v.verify, name="work_order_verify"),
    path("work-orders/<int:order_id>/cancel/", v.cancel, name="work_order_cancel"),
    path("work-orders/<int:order_id>/photos/", v.upload_photos, name="work_order_photos"),
    # Photos are not public: served after the same scope check as the order (or the inspection check).
    path("photos/<int:photo_id>/", v.photo, name="work_order_photo"),
    path("checks/<int:check_id>/photo/", v.check_photo, name="check_photo"),
    path("units/", v.units, name="units"),
    path("units/new/", v.unit_new, name="unit_new"),
    path("units/<int:unit_id>/", v.unit, name="unit"),
    path("units/<int:unit_id>/active/", v.unit_active, name="unit_active"),
    path("units/<int:unit_id>/staff/", v.unit_staff_add, name="unit_staff_add"),
    path("units/<int:unit_id>/staff/remove/", v.unit_staff_remove, name="unit_staff_remove"),
    path("replacements/", v.replacements, name="replacements"),
    path("replacements/open/", v.replacements_open, name="replacements_open"),
]
