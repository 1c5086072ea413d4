"""Staff pages of booking under /staff/booking/ (namespace "booking"; every name starts with staff_)."""

from django.urls import path

from . import views_certs as certs
from . import views_console as console
from . import views_figures as figs
from . import views_staff as v

urlpatterns = [
    path("", v.home, name="staff_home"),
    path("sites/<int:site_id>/", v.site_detail, name="staff_site"),
    path("sites/<int:site_id>/units/new/", v.unit_new, name="staff_unit_new"),
    path("units/<int:unit_id>/", v.unit_detail, name="staff_unit"),
    path("units/<int:unit_id>/templates/add/", v.template_add, name="staff_template_add"),
    path("units/<int:unit_id>/templates/<int:template_id>/", v.template_edit, name="staff_template_edit"),
    path("units/<int:unit_id>/templates/<int:template_id>/delete/", v.template_delete, name="staff_template_delete"),
    path("units/<int:unit_id>/block/", v.block_time, name="staff_block_time"),
    path("units/<int:unit_id>/generate/", v.generate, name="staff_generate"),
    path("units/<int:unit_id>/block-booking/", v.block_booking, name="staff_block_booking"),
    # The console
    path("sites/<int:site_id>/day/", console.day, name="staff_day"),
    path("sites/<int:site_id>/list/", console.day_list, name="staff_day_list"),
    path("sites/<int:site_id>/export.xlsx", console.export, name="staff_export"),
    path("sites/<int:site_id>/visits/", console.visits, name="staff_visits"),
    path("sites/<int:site_id>/visits/count/", console.visit_count, name="staff_visit_count"),
    path("slots/<int:slot_id>/", console.slot_detail, name="staff_slot"),
    path("slots/<int:slot_id>/walk-in/", console.walk_in, name="staff_walk_in"),
    path("bookings/<int:booking_id>/cancel/", console.cancel, name="staff_cancel"),
    path("check-in/", console.check_in, name="staff_check_in"),
    # Eligibility certificates
    path("certificates/", certs.queue, name="staff_certificates"),
    path("certificates/<int:cert_id>/", certs.detail, name="staff_certificate"),
    path("certificates/<int:cert_id>/image/", certs.image, name="staff_certificate_image"),
    # Figures for the plans
    path("figures/", figs.index, name="staff_figures"),
    path("figures/<str:code>/", figs.region, name="staff_figures_region"),
]
