from django.urls import path

from . import views as v
from . import views_public as p

app_name = "heritage"
urlpatterns = [
    path("tourism/", p.home, name="home"),
    path("tourism/routes/<int:pk>/", p.route, name="public_route"),
    path("tourism/routes/<int:pk>/photo/", p.route_photo, name="route_photo"),
    path("staff/heritage/", v.route_list, name="routes"),
    path("staff/heritage/routes/new/", v.route_new, name="route_new"),
    path("staff/heritage/routes/<int:pk>/", v.route_detail, name="route"),
    path("staff/heritage/bases/", v.base_list, name="bases"),
    path("staff/heritage/bases/new/", v.base_new, name="base_new"),
    path("staff/heritage/bases/<int:pk>/", v.base_detail, name="base"),
    path("staff/heritage/events/", v.event_list, name="events"),
    path("staff/heritage/events/new/", v.event_new, name="event_new"),
    path("staff/heritage/events/<int:pk>/", v.event_detail, name="event"),
    path("staff/heritage/holders/", v.holder_list, name="holders"),
    path("staff/heritage/holders/new/", v.holder_new, name="holder_new"),
    path("staff/heritage/holders/<int:pk>/", v.holder_detail, name="holder"),
    path("staff/heritage/items/", v.item_list, name="items"),
    path("staff/heritage/items/new/", v.item_new, name="item_new"),
    path("staff/heritage/items/<int:pk>/", v.item_detail, name="item"),
    path("staff/heritage/items/<int:pk>/log/", v.item_log, name="item_log"),
    path("staff/heritage/items/<int:pk>/reveal/", v.item_reveal, name="item_reveal"),
    path("staff/heritage/items/import/", v.import_page, name="import"),
    path("staff/heritage/items/export.xlsx", v.export, name="export"),
    path("staff/heritage/figures/", v.figures_page, name="figures"),
]
