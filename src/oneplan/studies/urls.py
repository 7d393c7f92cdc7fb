from django.urls import path

from oneplan.studies import views

app_name = "studies"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:study_id>/", views.detail, name="detail"),
    path("<int:study_id>/export", views.download, name="export"),
    path("<int:study_id>/dictionary.csv", views.dictionary, name="dictionary"),
]
