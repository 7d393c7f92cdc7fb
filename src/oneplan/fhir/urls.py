from django.urls import path, re_path

from oneplan.fhir import views

app_name = "fhir"

urlpatterns = [
    path("", views.transaction, name="transaction"),
    path("metadata", views.metadata, name="metadata"),
    path("Task", views.task_search, name="task_search"),
    path("Task/<str:resource_id>", views.task_instance, name="task"),
    path("ServiceRequest", views.service_request_search, name="service_request_search"),
    path("ServiceRequest/<str:resource_id>", views.service_request_read, name="service_request"),
    path("Group", views.group_search, name="group_search"),
    path("Group/<str:resource_id>", views.group_read, name="group"),
    path("Patient", views.patient_search, name="patient_search"),
    path("CareTeam", views.care_team_search, name="care_team_search"),
    path("RelatedPerson", views.related_person_search, name="related_person_search"),
    path("PractitionerRole", views.practitioner_role_search, name="practitioner_role_search"),
    path("PractitionerRole/<str:resource_id>", views.practitioner_role_read, name="practitioner_role"),
    path("Goal", views.goal_search, name="goal_search"),
    path("Patient/<str:resource_id>", views.patient_read, name="patient"),
    path("CarePlan", views.care_plan_search, name="care_plan_search"),
    path("CarePlan/<str:resource_id>", views.care_plan_read, name="care_plan"),
    path("Goal/<str:resource_id>", views.goal_read, name="goal"),
    path("CareTeam/<str:resource_id>", views.care_team_read, name="care_team"),
    path("RelatedPerson/<str:resource_id>", views.related_person_read, name="related_person"),
    path("Practitioner", views.practitioner_search, name="practitioner_search"),
    path("Practitioner/<str:resource_id>", views.practitioner_read, name="practitioner"),
    path("Consent", views.consent_search, name="consent_search"),
    path("Consent/<str:resource_id>", views.consent_read, name="consent"),
    path("Observation", views.observation_search, name="observation_search"),
    path("Observation/<str:resource_id>", views.observation_read, name="observation"),
    path("HealthcareService", views.healthcare_service_search, name="healthcare_service_search"),
    path("HealthcareService/<str:resource_id>", views.healthcare_service_read, name="healthcare_service"),
    path("Organization", views.organization_search, name="organization_search"),
    path("Organization/<str:resource_id>", views.organization_read, name="organization"),
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
