"""Directory and referral pages: they answer, bad input gets a message in the page (never a 500),
and the key pages take a fixed number of queries whatever the data size."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access.models import Consent
from oneplan.families.models import CareTeamMember
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import CareTeamMemberFactory, ProfessionalFactory, family_with_team
from tests.queries import page_queries
from tests.referrals.factories import referral_consent, scene

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_started")]


def _login(client, professional):
    client.force_login(professional.user)
    return client


# ---- pages and forms ---------------------------------------------------------------------------

def test_the_directory_search_shows_matching_services_with_waiting_times(client):
    _login(client, ProfessionalFactory())
    ServiceFactory(name="Schuldhulp Noord", domains=["finances_debts"],
                   wait_updated_on=timezone.localdate() - dt.timedelta(days=45))
    ServiceFactory(name="Opvoedsteun", domains=["parenting"])
    page = client.get("/directory/?domain=finances_debts").content.decode()
    assert "Schuldhulp Noord" in page and "Opvoedsteun" not in page
    assert "Waiting time 4 weeks" in page and "not updated for 45 days" in page


def test_a_bad_search_gets_a_message_not_an_error(client):
    _login(client, ProfessionalFactory())
    response = client.get("/directory/?age=old&domain=astrology")
    assert response.status_code == 400
    assert "Enter a whole number." in response.content.decode()


def test_refer_from_the_family_file_to_a_draft(client):
    s = scene()
    _login(client, s.referrer)
    page = client.get(f"/families/{s.family.pk}/").content.decode()
    assert f"/directory/?family={s.family.pk}" in page
    response = client.post(f"/referrals/family/{s.family.pk}/new/?service={s.service.pk}", {
        "service": s.service.pk, "persons": [s.parent.pk], "needs": ["finances_debts"], "urgency": "soon",
        "question": "Overview of the debts, please.", "shared_categories": ["finance"]})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.status, referral.urgency, referral.shared_categories) == ("draft", "soon",
                                                                               ["identity", "finance"])


def test_a_bad_referral_form_keeps_the_input_and_says_what_is_wrong(client):
    s = scene()
    _login(client, s.referrer)
    response = client.post(f"/referrals/family/{s.family.pk}/new/", {
        "service": s.service.pk, "persons": [s.parent.pk], "needs": [], "urgency": "soon",
        "question": "Keep this text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page and "Keep this text" in page
    assert not Referral.objects.exists()


def test_a_second_referral_to_the_same_service_shows_the_conflict_in_the_form(client):
    s = scene()
    s.sent()
    _login(client, s.referrer)
    response = client.post(f"/referrals/family/{s.family.pk}/new/", {
        "service": s.service.pk, "persons": [s.parent.pk], "needs": ["finances_debts"], "urgency": "routine",
        "question": "Again"})
    assert response.status_code == 400 and "already has an open referral" in response.content.decode()


def test_the_draft_page_says_which_consent_is_missing_and_links_to_recording_it(client):
    s = scene(consent=False)
    referral = s.create()
    _login(client, s.referrer)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert f"No consent to share finance information about {s.parent.full_name}" in page
    assert "Send referral" not in page
    assert f"organisation={s.organisation.pk}&amp;purpose=referral" in page


def test_recording_the_referral_consent_for_an_organisation_outside_the_team(client):
    s = scene(consent=False)
    referral = s.create()
    _login(client, s.referrer)
    url = (f"/access/family/{s.family.pk}/consents/new/?organisation={s.organisation.pk}&purpose=referral"
           f"&next=/referrals/{referral.pk}/")
    assert s.organisation.name in client.get(url).content.decode()
    response = client.post(url, {"categories": ["identity", "finance"], "organisation": s.organisation.pk,
                                 "given_by": [s.parent.pk], "purpose": "referral", "how": "in_person",
                                 "valid_from": timezone.localdate().isoformat()})
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    consent = Consent.objects.get(organisation=s.organisation)
    assert consent.categories == ["identity", "finance"] and consent.purpose == "referral"
    response = client.post(f"/referrals/{referral.pk}/send/", {"version": referral.version})
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_a_consent_for_care_cannot_name_an_organisation_outside_the_team(client):
    s = scene(consent=False)
    _login(client, s.referrer)
    url = f"/access/family/{s.family.pk}/consents/new/?organisation={s.organisation.pk}"
    response = client.post(url, {"categories": ["finance"], "organisation": s.organisation.pk,
                                 "given_by": [s.parent.pk], "purpose": "care_coordination",
                                 "how": "in_person", "valid_from": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "purpose referral" in response.content.decode()


def test_sending_without_consent_shows_the_missing_consent(client):
    s = scene(consent=False)
    referral = s.create()
    _login(client, s.referrer)
    response = client.post(f"/referrals/{referral.pk}/send/", {"version": 0}, follow=True)
    assert "No consent to share identity information" in response.content.decode()


def test_the_receiver_works_the_referral_through_its_steps_in_the_page(client):
    s = scene()
    referral = s.sent()
    _login(client, s.receiver)
    assert referral.number in client.get("/referrals/").content.decode()
    for to, extra in (("received", {}), ("accepted", {"receiving_professional": s.receiver.pk})):
        referral.refresh_from_db()
        client.post(f"/referrals/{referral.pk}/step/", {"to_status": to, "version": referral.version, **extra})
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/referrals/{referral.pk}/handoff/", {
        "planned_for": when, "mode": "in_person", "place": "At home", "receiving_professional": s.receiver.pk,
        "role": "member", "focus": "parents", "responsibilities": "Debt settlement"})
    assert response.status_code == 302
    client.post(f"/referrals/{referral.pk}/handoff/held/", {"held_on": timezone.localdate().isoformat(),
                                                           "family_present": "on", "notes": "Good talk"})
    member = CareTeamMember.objects.get(family=s.family, professional=s.receiver)
    assert member.responsibilities == "Debt settlement"
    page = client.get(f"/families/{s.family.pk}/").content.decode()  # now on the team
    assert s.receiver.name in page


def test_a_stale_step_in_the_page_says_someone_else_changed_it(client):
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    s.step(referral, Status.ACCEPTED)
    _login(client, s.receiver)
    response = client.post(f"/referrals/{referral.pk}/step/", {
        "to_status": "declined", "version": referral.version, "decline_reason": "no_capacity"}, follow=True)
    assert "Someone else changed this referral meanwhile" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_a_garbled_step_is_a_message_not_an_error(client):
    s = scene()
    referral = s.sent()
    _login(client, s.receiver)
    response = client.post(f"/referrals/{referral.pk}/step/", {"to_status": "received", "version": "x"},
                           follow=True)
    assert response.status_code == 200 and "could not be read" in response.content.decode()


def test_a_stranger_gets_not_found_for_a_referral_page(client):
    referral = scene().sent()
    _login(client, ProfessionalFactory())
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404


def test_an_org_admin_edits_a_service_in_the_page(client):
    item = ServiceFactory(name="Budget")
    admin = ProfessionalFactory(organisations=[item.organisation], roles=["org_admin"])
    _login(client, admin)
    response = client.post(f"/directory/services/{item.pk}/edit/", {
        "name": "Budgetcoaching", "description": "Weekly coaching", "status": "active",
        "domains": ["finances_debts"], "minimum_age": "20", "maximum_age": "10", "wait_weeks": "2"})
    assert response.status_code == 400 and "maximum age is below" in response.content.decode()
    response = client.post(f"/directory/services/{item.pk}/edit/", {
        "name": "Budgetcoaching", "description": "Weekly coaching", "status": "active",
        "domains": ["finances_debts"], "wait_weeks": "2", "rule1_domain": "finances_debts", "rule1_max": "3"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Budgetcoaching" and item.rules.get().max_score == 3


def test_someone_else_cannot_open_the_service_editor(client):
    item = ServiceFactory()
    _login(client, ProfessionalFactory(roles=["org_admin"]))
    assert client.get(f"/directory/services/{item.pk}/edit/").status_code == 403


# ---- query counts at two data sizes ------------------------------------------------------------

def test_directory_search_queries_do_not_grow_with_services(client):
    _login(client, ProfessionalFactory())
    ServiceFactory(areas=["Noord"])
    few = page_queries(client, "/directory/?domain=finances_debts")
    for i in range(20):
        item = ServiceFactory(areas=["Noord", "Oost"], languages=["nl", "en"])
        add_contact(item, ProfessionalFactory(organisations=[item.organisation]))
    assert page_queries(client, "/directory/?domain=finances_debts") == few


def test_incoming_queue_queries_do_not_grow_with_referrals(client):
    s = scene()
    s.sent()
    _login(client, s.receiver)
    few = page_queries(client, "/referrals/")
    for _ in range(12):
        other = family_with_team(coordinator=s.referrer, members=3)
        referral_consent(other, s.organisation)
        parent = other.memberships.order_by("person__date_of_birth").first().person
        s.sent(family_id=other.pk, person_ids=[parent.pk])
    assert page_queries(client, "/referrals/") == few


def test_referral_page_queries_do_not_grow_with_history_or_persons(client):
    from oneplan.families.models import Membership
    from tests.factories import PersonFactory

    small, large = scene(), scene()
    a = small.step(small.step(small.sent(), Status.RECEIVED), Status.ACCEPTED)
    toddlers = [PersonFactory(date_of_birth=timezone.localdate() - dt.timedelta(days=400 * (i + 1)))
                for i in range(3)]
    for toddler in toddlers:
        Membership.objects.create(family=large.family, person=toddler, relation="child")
    b = large.sent(person_ids=[large.parent.pk] + [t.pk for t in toddlers])
    b = large.step(large.step(b, Status.RECEIVED), Status.INFO_REQUESTED, note="Q?")
    b = large.step(large.step(b, Status.RECEIVED, actor=large.referrer, note="A."), Status.ACCEPTED)
    _login(client, small.receiver)
    count_small = page_queries(client, f"/referrals/{a.pk}/")
    _login(client, large.receiver)
    assert page_queries(client, f"/referrals/{b.pk}/") == count_small


def test_family_file_queries_do_not_grow_with_referrals(client):
    s = scene()
    CareTeamMemberFactory(family=s.family)
    _login(client, s.referrer)
    s.sent()
    few = page_queries(client, f"/families/{s.family.pk}/")
    for _ in range(5):
        item = ServiceFactory(organisation=s.organisation)
        s.sent(service_id=item.pk)
    assert page_queries(client, f"/families/{s.family.pk}/") == few


def test_the_caseload_flags_a_referral_question_to_answer(client):
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    _login(client, s.referrer)
    assert "Referral: question to answer" not in client.get("/families/").content.decode()
    s.step(referral, Status.INFO_REQUESTED, note="Income overview?")
    assert "Referral: question to answer" in client.get("/families/").content.decode()
