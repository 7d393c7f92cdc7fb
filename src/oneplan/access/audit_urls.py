from django.urls import path

from oneplan.access import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("events/<int:event_id>/proof.json", views.proof, name="proof"),
    path("check-proof/", views.check_proof, name="check_proof"),
]
