"""The partnership's pages; /partnership/respond/<token>/ is the personal answer link (no login)."""
from django.urls import path

from oneplan.partnership import views, views_work

app_name = "partnership"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("respond/<str:token>/", views_work.respond, name="respond"),
    path("<int:pk>/", views.page, name="page"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/add", views.member_add, name="member_add"),
    path("<int:pk>/members/coordinator", views.coordinator, name="coordinator"),
    path("<int:pk>/members/<int:member_id>/end", views.member_end, name="member_end"),
    path("<int:pk>/members/<int:member_id>/representatives", views.representative_add, name="representative_add"),
    path("<int:pk>/members/<int:member_id>/representatives/<int:professional_id>/remove",
         views.representative_remove, name="representative_remove"),
    path("<int:pk>/vision/", views.vision, name="vision"),
    path("<int:pk>/vision/<int:number>/", views.vision, name="vision_version"),
    path("<int:pk>/vision/agree/<int:version_id>", views.vision_agree, name="vision_agree"),
    path("<int:pk>/roles/", views.roles, name="roles"),
    path("<int:pk>/roles/<int:member_id>/", views.role_edit, name="role_edit"),
    path("<int:pk>/agreements/", views.agreements, name="agreements"),
    path("<int:pk>/agreements/new/", views.agreement_edit, name="agreement_new"),
    path("<int:pk>/agreements/<int:agreement_id>/", views.agreement, name="agreement"),
    path("<int:pk>/agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/agreements/<int:agreement_id>/end", views.agreement_end, name="agreement_end"),
    path("<int:pk>/funding/", views_work.funding, name="funding"),
    path("<int:pk>/funding/contribution", views_work.contribution, name="contribution"),
    path("<int:pk>/funding/budget", views_work.budget, name="budget"),
    path("<int:pk>/funding/spending", views_work.spending, name="spending"),
    path("<int:pk>/evaluation/", views_work.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/<int:round_id>/", views_work.round_view, name="round"),
    path("<int:pk>/evaluation/<int:round_id>/answer/", views_work.answer, name="answer"),
    path("<int:pk>/evaluation/<int:round_id>/invite", views_work.round_invite, name="invite"),
    path("<int:pk>/evaluation/<int:round_id>/close", views_work.round_close, name="round_close"),
    path("<int:pk>/learning/", views_work.learning, name="learning"),
    path("<int:pk>/learning/new/", views_work.session_new, name="session_new"),
    path("<int:pk>/learning/<int:session_id>/", views_work.session, name="session"),
    path("<int:pk>/learning/actions/<int:action_id>/done", views_work.action_done, name="action_done"),
]
