"""The front-door team's pages (the public /help pages are in oneplan/urls.py)."""
from django.urls import path

from oneplan.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.enter, name="enter"),
    path("figures/", views.figures, name="figures"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/take", views.take, name="take"),
    path("<int:request_id>/contact", views.contact, name="contact"),
    path("<int:request_id>/safety", views.safety, name="safety"),
    path("<int:request_id>/person", views.person, name="person"),
    path("<int:request_id>/match/<int:member_id>", views.match, name="match"),
    path("<int:request_id>/message", views.message, name="message"),
    path("<int:request_id>/advice", views.advice, name="advice"),
    path("<int:request_id>/family-file", views.family_file, name="family_file"),
    path("<int:request_id>/referral", views.referral, name="referral"),
    path("<int:request_id>/pass-on", views.pass_on, name="pass_on"),
    path("<int:request_id>/close", views.close, name="close"),
]
