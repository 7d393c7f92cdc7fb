"""The studies pages: an analyst asks, a privacy officer decides and downloads the export."""
import pytest
from django.urls import reverse

from oneplan.studies.models import Study
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db

ASK = {"title": "First thousand days", "purpose": "Do young families reach help sooner?",
       "period_start": "2026-01-01", "period_end": "2026-12-31", "fields": ["intensity", "days_to_first_plan"],
       "recipient": "GGD research unit"}


def test_analyst_asks_officer_approves_and_downloads(client):
    analyst, officer = ProfessionalFactory(roles=["analyst"]), ProfessionalFactory(roles=["privacy_officer"])
    family_with_team()
    client.force_login(analyst.user)
    assert client.post(reverse("studies:index"), ASK).status_code == 302
    study = Study.objects.get()
    client.force_login(officer.user)
    client.post(reverse("studies:detail", args=[study.pk]), {"decision": "approve", "note": ""})
    response = client.post(reverse("studies:export", args=[study.pk]))
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == "pseudonym,period,intensity,days_to_first_plan" and len(text.splitlines()) == 2
    dictionary = b"".join(client.get(reverse("studies:dictionary", args=[study.pk])).streaming_content).decode()
    assert "days_to_first_plan" in dictionary


def test_a_bad_request_shows_the_error_in_the_page(client):
    client.force_login(ProfessionalFactory(roles=["analyst"]).user)
    page = client.post(reverse("studies:index"), {**ASK, "period_end": "2025-01-01"})
    assert page.status_code == 400 and b"field-error" in page.content


def test_someone_elses_study_is_not_found_for_an_analyst(client):
    study_owner = ProfessionalFactory(roles=["analyst"])
    client.force_login(study_owner.user)
    client.post(reverse("studies:index"), ASK)
    client.force_login(ProfessionalFactory(roles=["analyst"]).user)
    assert client.get(reverse("studies:detail", args=[Study.objects.get().pk])).status_code == 404


def test_a_practitioner_is_refused(client):
    client.force_login(ProfessionalFactory(roles=["practitioner"]).user)
    assert client.get(reverse("studies:index")).status_code == 403
