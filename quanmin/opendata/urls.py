from django.urls import path

from . import views, views_datasets, views_national

app_name = "opendata"
urlpatterns = [
    path("opendata/", views_datasets.index, name="index"),
    path("opendata/catalog.json", views_datasets.catalog, name="catalog"),
    path("opendata/dictionary.json", views_datasets.dictionary, name="dictionary"),
    path("opendata/datasets/<slug:name>.<slug:fmt>", views_datasets.dataset, name="dataset"),
    path("opendata/feeds/<slug:feed>", views.feed, name="feed"),
    path("opendata/activity-list.jsonld", views.activity_list, name="activity_list"),
    path("opendata/<slug:feed>/<int:pk>", views.item, name="item"),
    path("staff/opendata/national/", views_national.export, name="national"),
]
