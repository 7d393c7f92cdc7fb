from django.urls import path

from oneplan.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("import/", views.import_file, name="import"),
    path("services/<int:service_id>/", views.detail, name="detail"),
    path("services/<int:service_id>/edit/", views.edit, name="edit"),
    path("services/<int:service_id>/wait/", views.wait, name="wait"),
    path("organisations/<int:organisation_id>/services/new/", views.new, name="new"),
]
