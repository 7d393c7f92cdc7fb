from django.urls import path

from oneplan.families import views

app_name = "families"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.register, name="register"),
    path("<int:family_id>/", views.family_file, name="file"),
    path("<int:family_id>/status/", views.status, name="status"),
    path("<int:family_id>/members/add/", views.person_add, name="person_add"),
    path("<int:family_id>/members/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("<int:family_id>/network/add/", views.network_add, name="network_add"),
    path("<int:family_id>/network/<int:member_id>/end/", views.network_end, name="network_end"),
    path("<int:family_id>/team/add/", views.team_add, name="team_add"),
    path("<int:family_id>/notes/add/", views.note_add, name="note_add"),
    path("<int:family_id>/team/<int:member_id>/end/", views.team_end, name="team_end"),
]
