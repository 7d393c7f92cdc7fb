from django.urls import path

from oneplan.plans import views

app_name = "plans"
urlpatterns = [
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("family/<int:family_id>/", views.plan, name="plan"),
    path("family/<int:family_id>/draft/", views.draft, name="draft"),
    path("family/<int:family_id>/draft/vision/", views.vision, name="vision"),
    path("family/<int:family_id>/draft/goals/new/", views.goal, name="goal_new"),
    path("family/<int:family_id>/draft/goals/<int:goal_id>/", views.goal, name="goal"),
    path("family/<int:family_id>/draft/goals/<int:goal_id>/remove/", views.goal_remove, name="goal_remove"),
    path("family/<int:family_id>/agree/", views.agree, name="agree"),
    path("family/<int:family_id>/versions/<int:number>/", views.version, name="version"),
    path("family/<int:family_id>/actions/new/", views.action_add, name="action_add"),
    path("family/<int:family_id>/review/", views.review, name="review"),
    path("family/<int:family_id>/discussions/", views.discussion_list, name="discussions"),
    path("family/<int:family_id>/discussions/new/", views.discussion_new, name="discussion_new"),
]
