from django.urls import path

from oneplan.access import audit_views as views

app_name = "audit"
urlpatterns = [path("", views.search, name="search")]
