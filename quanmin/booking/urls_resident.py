"""The residents' booking pages, included under /booking/ (the app name "booking" comes from urls.py)."""

from django.urls import path

from . import views_resident as v

urlpatterns = [
    path("sites/<int:site_pk>/", v.site_page, name="site"),
    path("slots/<int:slot_pk>/", v.slot_page, name="slot"),
    path("slots/<int:slot_pk>/hold/", v.hold_view, name="hold"),
    path("slots/<int:slot_pk>/waitlist/", v.waitlist_view, name="waitlist"),
    path("bookings/<int:pk>/", v.booking_page, name="booking"),
    path("bookings/<int:pk>/confirm/", v.confirm_view, name="confirm"),
    path("bookings/<int:pk>/pay/", v.pay_view, name="pay"),
    path("bookings/<int:pk>/cancel/", v.cancel_view, name="cancel"),
    path("bookings/<int:pk>/booking.ics", v.ics_view, name="ics"),
    path("mine/", v.mine_page, name="mine"),
    path("certificates/", v.certificates_page, name="certificates"),
]
