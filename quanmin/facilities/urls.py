from django.urls import include, path

app_name = "facilities"
# Each part of the capability keeps its own URL module.
urlpatterns = [
    path("", include("quanmin.facilities.urls_finder")),
    path("staff/facilities/", include("quanmin.facilities.urls_staff")),
    path("staff/facilities/", include("quanmin.facilities.urls_io")),
    path("staff/facilities/figures/", include("quanmin.facilities.urls_figures")),
    path("", include("quanmin.facilities.urls_equipment")),
]
