"""Residents' report pages under /r/ (short: they are printed on QR tags) and the staff queue under
/staff/reports/ (namespace "feedback")."""

from django.urls import path

from . import views as v
from . import views_tags

app_name = "feedback"
urlpatterns = [
    # The QR tag on each piece of equipment encodes /r/e/<tag>/ (facilities.equipment_services.PUBLIC_REPORT_PATH).
    path("r/e/<str:tag>/", v.report_equipment, name="report_equipment"),
    path("r/s/<int:site_pk>/", v.report_site, name="report_site"),
    path("r/new/", v.report_map, name="report_map"),
    path("r/mine/", v.my_reports, name="my_reports"),
    path("r/t/<str:token>/", v.report_page, name="report"),
    path("r/t/<str:token>/rate/", v.report_rate, name="report_rate"),
    path("r/t/<str:token>/photos/", v.report_photos_add, name="report_photos_add"),
    path("r/t/<str:token>/photos/<int:photo_id>/", v.report_photo, name="report_photo"),
    path("staff/reports/", v.reports, name="staff_reports"),
    path("staff/reports/settings/", v.report_settings, name="settings"),
    path("staff/reports/<int:pk>/", v.staff_report, name="staff_report"),
    path("staff/reports/<int:pk>/respond/", v.staff_respond, name="staff_respond"),
    path("staff/reports/<int:pk>/resolve/", v.staff_resolve, name="staff_resolve"),
    path("staff/reports/<int:pk>/reject/", v.staff_reject, name="staff_reject"),
    path("staff/reports/<int:pk>/note/", v.staff_note, name="staff_note"),
    path("staff/reports/<int:pk>/phone/", v.staff_phone, name="staff_phone"),
    path("staff/reports/photos/<int:photo_id>/", v.staff_photo, name="staff_photo"),
    # The equipment's printable QR tags: the report page's address and the hotline.
    path("staff/equipment/<int:pk>/tag/", views_tags.equipment_tag, name="equipment_tag"),
    path("staff/equipment/facility/<int:facility_id>/tags/", views_tags.facility_tags, name="equipment_facility_tags"),
]
