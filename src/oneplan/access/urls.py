from django.urls import path

from oneplan.access import views

app_name = "access"
urlpatterns = [
    path("emergency/", views.break_glass, name="break_glass"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:grant_id>/", views.review, name="review"),
    path("family/<int:family_id>/consents/new/", views.consent_new, name="consent_new"),
    path("family/<int:family_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
]
