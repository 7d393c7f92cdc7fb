from django.urls import path

from oneplan.access import views

app_name = "access"
urlpatterns = [
    path("emergency/", views.break_glass, name="break_glass"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:grant_id>/", views.review, name="review"),
]
