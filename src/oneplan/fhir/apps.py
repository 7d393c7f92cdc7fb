"""The FHIR R4 endpoint (/fhir/R4/): partners' systems read and move referrals in FHIR."""
from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "oneplan.fhir"
    label = "fhir"
