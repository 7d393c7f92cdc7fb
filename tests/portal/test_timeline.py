"""The family's "Who looked at our file": a timeline per person and day, paged back to the start."""
import datetime as dt
import re
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from oneplan.access import services as access_services
from oneplan.accounts.models import User
from oneplan.audit.services import record
from oneplan.portal.models import FamilyAccount
from tests.factories import OrganisationFactory, ProfessionalFactory, UserFactory, family_with_team
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REASON = "Crisis call from the police at night; child safety must be checked now."


@contextmanager
def clock(moment: dt.datetime):
    """Everything recorded inside happens at `moment` (Amsterdam time unless it has a zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _professional(first, last, organisation, **kwargs):
    user = UserFactory(first_name=first, last_name=last)
    return ProfessionalFactory(user=user, organisations=[OrganisationFactory(name=organisation)], **kwargs)


def _reads(professional, family, n, action="family.read", reason=""):
    for _ in range(n):
        record(professional, action, family, family=family, reason=reason)


@pytest.fixture
def eva():
    return _professional("Eva", "Lammers", "Youth Protection")


@pytest.fixture
def family(eva):
    return family_with_team(coordinator=eva, members=2)


@pytest.fixture
def parent(family):
    person = family.memberships.get(relation="parent").person
    user = User.objects.create(username=f"parent-{family.pk}", kind=User.Kind.FAMILY)
    FamilyAccount.objects.create(user=user, person=person)
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _family_page(parent, family) -> str:
    return _text(parent.get(f"/portal/family/{family.pk}/"))


def test_reads_by_one_person_on_one_day_are_one_line(parent, family, eva):
    with clock(dt.datetime(2025, 11, 30, 10, 0)):
        _reads(eva, family, 6)
    page = _family_page(parent, family)
    assert "Eva Lammers, Youth Protection, looked at your family file 6 times on 30 Nov" in page


def test_privacy_officers_review_is_labelled_review_work_not_an_emergency(parent, family):
    intruder = _professional("Bram", "Visser", "Police")
    officer = _professional("Olga", "Smit", "Municipality", roles=["privacy_officer"])
    with clock(dt.datetime(2025, 11, 29, 2, 0)):
        grant = access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    with clock(dt.datetime(2025, 11, 30, 9, 0)):
        access_services.grant_review(actor=officer, grant_id=grant.pk, justified=True)
    page = _family_page(parent, family)
    assert "Olga Smit, Municipality, checked an emergency access (privacy review) once on 30 Nov" in page
    assert "Olga Smit, Municipality, opened your file in an emergency" not in page
    assert "Bram Visser, Police, opened your file in an emergency once on 29 Nov" in page


def test_emergency_access_is_kept_after_many_newer_reads(parent, family, eva):
    intruder = _professional("Bram", "Visser", "Police")
    with clock(dt.datetime(2025, 11, 1, 3, 0)):
        access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    for day in range(2, 30):
        with clock(dt.datetime(2025, 11, day, 11, 0)):
            _reads(eva, family, 2)
    page = _family_page(parent, family)
    assert "Bram Visser, Police, opened your file in an emergency once on 1 Nov" in page
    assert "Emergency access" in page  # marked in words, not only by colour
