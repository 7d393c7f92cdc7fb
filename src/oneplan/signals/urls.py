from django.urls import path

from oneplan.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:signal_id>/renew/", views.renew, name="renew"),
    path("<int:signal_id>/end/", views.end, name="end"),
    path("matches/<int:match_id>/", views.match, name="match"),
    path("matches/<int:match_id>/confirm/", views.match_decide, {"decision": "confirm"},
         name="match_confirm"),
    path("matches/<int:match_id>/reject/", views.match_decide, {"decision": "reject"},
         name="match_reject"),
    path("family/<int:family_id>/person/<int:person_id>/register/", views.register_person,
         name="register_person"),
]
