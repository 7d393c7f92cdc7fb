"""Dashboards per audience, one indicator's page, CSV of every table, the definitions."""
from django.urls import path

from oneplan.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("definitions/", views.definitions, name="definitions"),
    path("<slug:audience>/", views.dashboard, name="dashboard"),
    path("<slug:audience>/<slug:key>/", views.indicator, name="indicator"),
    path("<slug:audience>/<slug:key>/<slug:table>.csv", views.table_csv, name="csv"),
]
