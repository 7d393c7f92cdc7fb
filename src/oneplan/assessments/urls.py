from django.urls import path

from oneplan.assessments import views

app_name = "assessments"
urlpatterns = [
    path("instruments/", views.instruments, name="instruments"),
    path("family/<int:family_id>/start/", views.start, name="start"),
    path("family/<int:family_id>/chart/", views.chart, name="chart"),
    path("family/<int:family_id>/safety/<int:task_id>/", views.safety_done, name="safety_done"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/complete/", views.complete, name="complete"),
    path("<int:assessment_id>/score/<slug:domain_key>/", views.score, name="score"),
]
