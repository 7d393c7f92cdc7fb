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
from oneplan.audit.models import AuditEvent
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
    assert "Emergency access Bram Visser, Police, on 1 November 2025." in page  # marked in words
    timeline = _text(parent.get(f"/portal/family/{family.pk}/who-looked/"))
    assert "Emergency access Bram Visser, Police, opened your file in an emergency once on 1 Nov" in timeline


def test_review_work_is_marked_in_words(parent, family):
    intruder = _professional("Bram", "Visser", "Police")
    officer = _professional("Olga", "Smit", "Municipality", roles=["privacy_officer"])
    grant = access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    access_services.grant_review(actor=officer, grant_id=grant.pk, justified=True)
    page = _family_page(parent, family)
    assert "Review work Olga Smit, Municipality, checked an emergency access" in page
    assert "Emergency access Bram Visser, Police, opened your file in an emergency" in page


def test_reads_during_an_emergency_access_are_marked_as_emergency(parent, family):
    intruder = _professional("Bram", "Visser", "Police")
    with clock(dt.datetime(2025, 11, 30, 2, 0)):
        access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
        _reads(intruder, family, 2, reason="break-glass")
    page = _family_page(parent, family)
    assert "Bram Visser, Police, opened your file in an emergency 3 times on 30 Nov" in page
    assert "Someone opened your file in an emergency 3 times in this period." in page


def test_days_are_the_local_days_of_the_site(parent, family, eva):
    # 23:30 UTC on 30 November is half past midnight on 1 December in Amsterdam.
    with clock(dt.datetime(2025, 11, 30, 23, 30, tzinfo=dt.UTC)):
        _reads(eva, family, 1)
    with clock(dt.datetime(2025, 11, 30, 22, 30, tzinfo=dt.UTC)):
        _reads(eva, family, 2)
    page = _family_page(parent, family)
    assert "Eva Lammers, Youth Protection, looked at your family file once on 1 Dec" in page
    assert "Eva Lammers, Youth Protection, looked at your family file 2 times on 30 Nov" in page
    assert "Monday 1 December 2025" in page and "Sunday 30 November 2025" in page


def test_one_line_per_person_organisation_and_kind(parent, family, eva):
    colleague = _professional("Sanne", "Bakker", "Debt Help")
    with clock(dt.datetime(2025, 11, 30, 10, 0)):
        _reads(eva, family, 2)
        _reads(eva, family, 1, action="plan.read")
        _reads(colleague, family, 3)
    page = _family_page(parent, family)
    assert "Eva Lammers, Youth Protection, looked at your family file 2 times on 30 Nov" in page
    assert "Eva Lammers, Youth Protection, worked on your plan once on 30 Nov" in page
    assert "Sanne Bakker, Debt Help, looked at your family file 3 times on 30 Nov" in page


def _pages(parent, family) -> list[str]:
    """Every page of the timeline, from the newest back to the start, following "Earlier"."""
    url, pages = f"/portal/family/{family.pk}/who-looked/", []
    while url:
        response = parent.get(url)
        pages.append(_text(response))
        found = re.search(r'href="([^"]*who-looked/\?before=[0-9-]+)" rel="next"', response.content.decode())
        url = found.group(1).replace("&amp;", "&") if found else None
        assert len(pages) < 50
    return pages


def test_paging_back_reaches_the_first_event_and_counts_every_event_once(parent, family, eva, monkeypatch):
    from oneplan.portal import timeline

    monkeypatch.setattr(timeline, "PAGE_EVENTS", 4)
    for day in range(1, 21):
        with clock(dt.datetime(2025, 10, day, 9, 0)):
            _reads(eva, family, day % 3 + 1)
    pages = _pages(parent, family)
    assert len(pages) > 3
    assert "This is where your file starts." in pages[-1] and "Earlier" not in pages[-1]
    assert "2 times on 1 Oct" in pages[-1] and "Wednesday 1 October 2025" in pages[-1]
    counts = [int(n) for page in pages
              for n in re.findall(r"looked at your family file (\d+) times on", page)]
    counts += [1 for page in pages for _ in re.findall(r"looked at your family file once on", page)]
    assert sum(counts) == sum(day % 3 + 1 for day in range(1, 21))
    days = [d for page in pages for d in re.findall(r"\w+day \d+ October 2025", page)]
    assert len(days) == len(set(days)) == 20  # every day on exactly one page


def test_old_emergency_access_is_on_its_own_page_marked(parent, family, eva, monkeypatch):
    from oneplan.portal import timeline

    monkeypatch.setattr(timeline, "PAGE_EVENTS", 5)
    intruder = _professional("Bram", "Visser", "Police")
    with clock(dt.datetime(2025, 10, 3, 2, 0)):
        access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    for day in range(4, 25):
        with clock(dt.datetime(2025, 10, day, 9, 0)):
            _reads(eva, family, 2)
    pages = _pages(parent, family)
    holding = [page for page in pages if "Bram Visser, Police, opened your file in an emergency" in page]
    assert len(holding) == 1 and holding[0] is not pages[0]
    assert "Emergency access Bram Visser, Police, opened your file in an emergency once on 3 Oct" in holding[0]


def test_family_never_sees_another_familys_events(parent, family, eva):
    other = family_with_team(members=1)
    stranger = _professional("Zoe", "Other", "Elsewhere")
    _reads(stranger, other, 3)
    _reads(eva, family, 1)
    page = _text(parent.get(f"/portal/family/{family.pk}/who-looked/"))
    assert "Eva Lammers" in page and "Zoe Other" not in page and "Elsewhere" not in page


def test_another_familys_timeline_is_not_found_and_the_attempt_is_audited(parent, family):
    other = family_with_team(members=1)
    assert parent.get(f"/portal/family/{other.pk}/who-looked/").status_code == 404
    assert AuditEvent.objects.filter(action="portal.timeline.read", family_id=other.pk,
                                     outcome="denied").exists()


def test_reading_the_timeline_is_audited(parent, family):
    parent.get(f"/portal/family/{family.pk}/who-looked/?before=2025-11-01")
    assert AuditEvent.objects.filter(action="portal.timeline.read", family_id=family.pk,
                                     outcome="allowed", reason="before=2025-11-01").exists()


def test_the_viewers_own_visits_are_not_listed(parent, family, eva):
    _reads(eva, family, 1)
    parent.get(f"/portal/family/{family.pk}/")
    page = _text(parent.get(f"/portal/family/{family.pk}/who-looked/"))
    assert "used your family's page" not in page and "Eva Lammers" in page


def test_a_bad_page_address_is_a_clear_error(parent, family):
    response = parent.get(f"/portal/family/{family.pk}/who-looked/?before=yesterday")
    assert response.status_code == 400 and "does not exist" in response.content.decode()


def test_no_events_before_a_day_says_so(parent, family, eva):
    with clock(dt.datetime(2025, 11, 30, 10, 0)):
        _reads(eva, family, 1)
    page = _text(parent.get(f"/portal/family/{family.pk}/who-looked/?before=2025-11-30"))
    assert "Nobody looked at your file before this day." in page and "Eva Lammers" not in page


def test_timeline_in_dutch(parent, family, eva):
    intruder = _professional("Bram", "Visser", "Police")
    with clock(dt.datetime(2025, 11, 30, 10, 0)):
        _reads(eva, family, 6)
        access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    page = _text(parent.get(f"/portal/family/{family.pk}/who-looked/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Eva Lammers, Youth Protection, heeft uw gezinsdossier bekeken: 6 keer op 30 nov" in page
    assert ("Elke noodtoegang tot uw dossier Noodtoegang Bram Visser, Police, op 30 november 2025. "
            "Een privacyfunctionaris gaat het controleren.") in page
    assert "Noodtoegang Bram Visser, Police, heeft uw dossier geopend in een noodsituatie: 1 keer op 30 nov" in page
    assert "zondag 30 november 2025" in page and "Hier begint uw dossier." in page


def _history(family, actors, days):
    for day in range(1, days + 1):
        with clock(dt.datetime(2025, 9, day, 9, 0)):
            for i, actor in enumerate(actors):
                _reads(actor, family, 1, action=["family.read", "plan.read", "breakglass.review"][i % 3])


def test_timeline_queries_do_not_grow_with_the_log(parent, family, eva, audit_chain_started, monkeypatch):
    from oneplan.portal import timeline

    monkeypatch.setattr(timeline, "PAGE_EVENTS", 10)
    url = f"/portal/family/{family.pk}/who-looked/"
    _history(family, [eva], 3)
    few = page_queries(parent, url)
    _history(family, [eva] + [_professional(f"P{i}", "Q", f"Org {i}") for i in range(5)], 20)
    assert page_queries(parent, url) == few
    assert page_queries(parent, url + "?before=2025-09-10") == few


def test_family_page_queries_do_not_grow_with_the_log(parent, family, eva, audit_chain_started):
    url = f"/portal/family/{family.pk}/"
    _history(family, [eva], 2)
    few = page_queries(parent, url)
    _history(family, [eva] + [_professional(f"P{i}", "Q", f"Org {i}") for i in range(4)], 30)
    assert page_queries(parent, url) == few


@pytest.mark.parametrize("before", ["0001-01-01", "8999-12-31", "2025-02-30", "2025-11-30T10:00"])
def test_odd_page_addresses_never_fail(parent, family, eva, before):
    _reads(eva, family, 1)
    response = parent.get(f"/portal/family/{family.pk}/who-looked/?before={before}")
    assert response.status_code == (200 if before == "8999-12-31" else 400)


def test_every_emergency_access_is_listed_with_its_review_and_a_link_to_its_day(parent, family, eva, monkeypatch):
    from oneplan.portal import timeline

    monkeypatch.setattr(timeline, "PAGE_EVENTS", 3)
    intruder = _professional("Bram", "Visser", "Police")
    officer = _professional("Olga", "Smit", "Municipality", roles=["privacy_officer"])
    with clock(dt.datetime(2025, 10, 2, 3, 0)):
        grant = access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    access_services.grant_review(actor=officer, grant_id=grant.pk, justified=False, note="No emergency.")
    for day in range(3, 20):
        with clock(dt.datetime(2025, 10, day, 9, 0)):
            _reads(eva, family, 2)
    response = parent.get(f"/portal/family/{family.pk}/who-looked/")
    page = _text(response)
    assert ("Every emergency access to your file Emergency access Bram Visser, Police, on 2 October 2025. "
            "A privacy officer checked it: it was not justified.") in page
    link = re.search(r'href="([^"]*\?before=2025-10-03)">Show 2 October 2025', response.content.decode())
    day_page = parent.get(link.group(1))
    assert re.search(r'class="timeline-day">([^<]+)<', day_page.content.decode()).group(1) == "Thursday 2 October 2025"
    assert "Bram Visser, Police, opened your file in an emergency once on 2 Oct" in _text(day_page)


def test_the_timeline_needs_a_login(client, family):
    response = client.get(f"/portal/family/{family.pk}/who-looked/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_professional_cannot_open_the_familys_timeline_and_is_audited(client, family, eva):
    client.force_login(eva.user)
    assert client.get(f"/portal/family/{family.pk}/who-looked/").status_code == 404
    assert AuditEvent.objects.filter(action="portal.read", actor_id=eva.user.pk, outcome="denied",
                                     reason="not a family account").exists()
