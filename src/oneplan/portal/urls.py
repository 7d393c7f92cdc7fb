from django.urls import path

from oneplan.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("invite/<str:token>/", views.accept, name="accept"),
    path("family/<int:family_id>/", views.family, name="family"),
    path("family/<int:family_id>/who-looked/", views.who_looked, name="who_looked"),
    path("family/<int:family_id>/feedback/", views.feedback, name="feedback"),
    path("family/<int:family_id>/plan/<int:version_id>/agree/", views.agree, name="agree"),
    path("family/<int:family_id>/goals/<uuid:goal_key>/progress/", views.progress, name="progress"),
    path("family/<int:family_id>/consents/", views.consent_give, name="consent_give"),
    path("family/<int:family_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
    path("family/<int:family_id>/scores/", views.scores, name="scores"),
    path("family/<int:family_id>/message/", views.message, name="message"),
    path("invite-member/<int:family_id>/<int:person_id>/", views.invite, name="invite"),
]
