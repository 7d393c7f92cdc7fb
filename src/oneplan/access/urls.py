from django.urls import path

from oneplan.access import views

app_name = "access"
urlpatterns = [
    path("emergency/", views.break_glass, name="break_glass"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:grant_id>/", views.review, name="review"),
    path("subjects/", views.subjects, name="subjects"),
    path("subjects/<int:person_id>/", views.subject, name="subject"),
    path("subjects/<int:person_id>/export.json", views.subject_json, name="subject_json"),
    path("subjects/<int:person_id>/erase/", views.subject_erase, name="subject_erase"),
    path("family/<int:family_id>/consents/new/", views.consent_new, name="consent_new"),
    path("family/<int:family_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
]
