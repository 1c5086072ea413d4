from django.urls import include, path

app_name = "booking"
urlpatterns = [
    path("booking/", include("quanmin.booking.urls_resident")),
    path("staff/booking/", include("quanmin.booking.urls_staff")),
]
