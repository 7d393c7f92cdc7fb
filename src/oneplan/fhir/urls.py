from django.urls import path, re_path

from oneplan.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Task", views.task_search, name="task_search"),
    path("Task/<str:resource_id>", views.task_instance, name="task"),
    path("ServiceRequest", views.service_request_search, name="service_request_search"),
    path("ServiceRequest/<str:resource_id>", views.service_request_read, name="service_request"),
    path("Organization", views.organization_search, name="organization_search"),
    path("Organization/<str:resource_id>", views.organization_read, name="organization"),
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
