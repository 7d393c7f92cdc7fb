"""`oneplan roles`: the operator gives and takes roles; every change is audited."""
import pytest
from django.core.management import CommandError, call_command

from oneplan.audit.models import AuditEvent
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def test_grant_gives_the_role_and_is_audited():
    professional = ProfessionalFactory(user__username="noor", roles=["practitioner"])
    call_command("roles", "grant", "noor", "front_door")
    professional.refresh_from_db()
    assert professional.roles == ["practitioner", "front_door"]
    assert AuditEvent.objects.filter(action="role.grant", reason__startswith="front_door for noor").exists()


def test_revoke_takes_the_role():
    professional = ProfessionalFactory(user__username="noor", roles=["practitioner", "front_door"])
    call_command("roles", "revoke", "noor", "front_door")
    professional.refresh_from_db()
    assert professional.roles == ["practitioner"]


def test_an_unknown_role_is_a_readable_error():
    ProfessionalFactory(user__username="noor")
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("roles", "grant", "noor", "superuser")


def test_an_unknown_user_is_a_readable_error():
    with pytest.raises(CommandError, match="no professional called"):
        call_command("roles", "grant", "nobody", "front_door")
