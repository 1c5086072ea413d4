"""The residents' finder and the public site page (included at the site root, app "facilities")."""

from django.urls import path

from . import views_finder as v

urlpatterns = [
    path("find/", v.finder, name="finder"),
    path("find/map.json", v.finder_map, name="finder_map"),
    path("find/streets.json", v.streets_map, name="streets_map"),
    path("sites/<int:pk>/", v.site_page, name="site"),
    path("sites/<int:pk>/photos/<int:photo_id>/", v.site_photo, name="site_photo"),
]
