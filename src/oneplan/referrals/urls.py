from django.urls import path

from oneplan.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.incoming, name="incoming"),
    path("sent/", views.sent, name="sent"),
    path("family/<int:family_id>/new/", views.new, name="new"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/send/", views.send, name="send"),
    path("<int:referral_id>/step/", views.step, name="step"),
    path("<int:referral_id>/handoff/", views.handoff, name="handoff"),
    path("<int:referral_id>/handoff/held/", views.handoff_held, name="handoff_held"),
]
