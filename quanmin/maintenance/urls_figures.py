"""Maintenance figures per division, under /staff/maintenance/figures/ (namespace "maintenance")."""

from django.urls import path

from . import views_figures as views

urlpatterns = [
    path("", views.index, name="figures"),
    path("<str:code>/", views.region_figures, name="figures_region"),
    path("<str:code>/export.xlsx", views.region_export, name="figures_export"),
]
