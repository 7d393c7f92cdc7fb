from django.urls import path

from oneplan.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:signal_id>/renew/", views.renew, name="renew"),
    path("<int:signal_id>/end/", views.end, name="end"),
    path("matches/<int:match_id>/", views.match, name="match"),
    path("family/<int:family_id>/person/<int:person_id>/register/", views.register_person,
         name="register_person"),
]
