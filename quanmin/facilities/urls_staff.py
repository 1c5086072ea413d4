from django.urls import path

from . import views_staff as v

urlpatterns = [
    path("", v.site_list, name="staff_sites"),
    path("new/", v.site_edit, name="staff_site_new"),
    path("sites/<int:pk>/", v.site_detail, name="staff_site"),
    path("sites/<int:pk>/edit/", v.site_edit, name="staff_site_edit"),
    path("sites/<int:pk>/close/", v.site_close, name="staff_site_close"),
    path("sites/<int:pk>/hours/", v.site_hours, name="staff_site_hours"),
    path("sites/<int:pk>/facilities/new/", v.facility_edit, name="staff_facility_new"),
    path("sites/<int:pk>/facilities/<int:facility_pk>/", v.facility_edit, name="staff_facility_edit"),
    path("sites/<int:pk>/facilities/<int:facility_pk>/delete/", v.facility_delete, name="staff_facility_delete"),
]
