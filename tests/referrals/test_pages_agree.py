"""The referral pages tell one story: what is shared is what the receiver sees now, the eligibility
check names the assessment it used, a handoff's date says whether it was planned or held, and the
handoff form proposes what the referral says (issue: referral pages contradict themselves)."""
import datetime as dt
import re

import pytest
from django.utils import dateformat, timezone

from oneplan.assessments import services as assessments
from oneplan.families.models import CareTeamMember, Note
from oneplan.referrals import selectors, services
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.assessments.factories import life_domains
from tests.directory.factories import add_rule
from tests.factories import ProfessionalFactory, consent_for
from tests.referrals.factories import referral_consent, scene

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_started")]


def _page(client, professional, url: str) -> str:
    client.force_login(professional.user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _shared_row(page: str) -> str:
    """The text of the "Shared" line at the top of the referral page."""
    found = re.search(r"<dt>Shared</dt><dd>(.*?)</dd>", page, re.DOTALL)
    assert found, "no Shared line on the page"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _referrals_section(page: str) -> str:
    found = re.search(r'<section aria-labelledby="referrals-h">(.*?)</section>', page, re.DOTALL)
    assert found, "no referrals section in the family file"
    return found.group(1)


def _accepted(s) -> Referral:
    return s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)


# ---- 1. the receiver's page: "Shared" and "What the family shares with you" agree ---------------

def test_a_shared_category_without_data_says_nothing_recorded_yet_not_that_nothing_is_shared(client):
    s = scene()  # consent: identity and finance; the referral shares finance; no finance data at all
    referral = s.sent()
    page = _page(client, s.receiver, f"/referrals/{referral.pk}/")
    assert _shared_row(page) == "Identity, Finance"
    assert "Only who is referred and the question." not in page
    assert "Finance: nothing recorded yet." in page


def test_a_category_the_consent_no_longer_covers_is_not_listed_as_shared(client):
    s = scene()
    Note.objects.create(family=s.family, author=s.referrer, organisation=s.referrer.primary_organisation,
                        category="finance", visibility="team", text="Three debt collectors.")
    referral = s.sent()
    consent = s.family.consents.get(organisation=s.organisation)
    consent.withdrawn_at = timezone.now()
    consent.save()
    referral_consent(s.family, s.organisation, categories=["identity"])  # the family narrowed it
    page = _page(client, s.receiver, f"/referrals/{referral.pk}/")
    assert _shared_row(page) == "Identity"
    assert "Finance: asked, but not covered by the family&#x27;s consent." in page
    assert "Three debt collectors." not in page


def test_a_category_with_data_is_shown_and_not_called_empty(client):
    s = scene()
    Note.objects.create(family=s.family, author=s.referrer, organisation=s.referrer.primary_organisation,
                        category="finance", visibility="team", text="Three debt collectors.")
    referral = s.sent()
    page = _page(client, s.receiver, f"/referrals/{referral.pk}/")
    assert "Three debt collectors." in page and "nothing recorded yet" not in page


def test_only_identity_shared_says_only_who_is_referred(client):
    s = scene()
    referral = s.sent(shared_categories=[])
    page = _page(client, s.receiver, f"/referrals/{referral.pk}/")
    assert _shared_row(page) == "Identity"
    assert "Only who is referred and the question." in page


def test_the_referrer_sees_the_same_shared_line_as_the_receiver(client):
    s = scene()
    referral = s.sent()
    s.family.consents.filter(organisation=s.organisation).update(withdrawn_at=timezone.now())
    referral_consent(s.family, s.organisation, categories=["identity"])
    page = _page(client, s.referrer, f"/referrals/{referral.pk}/")
    assert _shared_row(page) == "Identity"
    assert "Finance: asked, but not covered by the family&#x27;s consent." in page
    assert f"No consent to share finance information about {s.parent.full_name}" in page  # how to fix it


def test_without_consent_for_who_is_referred_nothing_is_listed_as_shared(client):
    s = scene()
    referral = s.sent()
    s.family.consents.filter(organisation=s.organisation).update(withdrawn_at=timezone.now())
    page = _page(client, s.receiver, f"/referrals/{referral.pk}/")
    assert _shared_row(page) == "none"
    assert "Identity: asked, but not covered by the family&#x27;s consent." in page
    assert "Finance: asked, but not covered by the family&#x27;s consent." in page
    assert s.parent.full_name not in page  # who is referred is no longer shared either


def test_a_draft_lists_what_it_will_share_and_leaves_the_missing_consent_to_the_send_box(client):
    s = scene(consent=False)
    referral = s.create()
    page = _page(client, s.referrer, f"/referrals/{referral.pk}/")
    found = re.search(r"<dt>To share</dt><dd>(.*?)</dd>", page, re.DOTALL)
    assert found and found.group(1) == "Identity, Finance"
    assert "<dt>Not shared</dt>" not in page
    assert page.count(f"No consent to share finance information about {s.parent.full_name}") == 1


# ---- 2. eligibility: the latest assessment, a draft included, and which kind it was -----------

def _assessment(s, score: int, *, complete: bool, held_on=None):
    item = assessments.assessment_start(actor=s.referrer, family_id=s.family.pk,
                                        instrument_id=life_domains().pk, held_on=held_on)
    assessments.score_set(actor=s.referrer, assessment_id=item.pk, domain_key="finances_debts",
                          person_id=None, professional_score=score)
    if complete:
        assessments.assessment_complete(actor=s.referrer, assessment_id=item.pk)
    return item


def _warnings(s, referral) -> list[str]:
    return selectors.referral_detail(actor=s.referrer, referral_id=referral.pk).warnings


def _day(value) -> str:
    return dateformat.format(value, "j M Y")


def test_a_score_in_a_draft_assessment_is_checked_and_named_as_a_draft():
    s = scene()
    consent_for(s.family)
    add_rule(s.service, "finances_debts", min_score=3)
    draft = _assessment(s, 1, complete=False)
    assert _warnings(s, s.create()) == [
        (f"Finances and debts: the service is for scores 3–5; scored 1 in a draft assessment of "
         f"{_day(draft.held_on)} (not completed yet).")]


def test_a_newer_draft_wins_over_an_older_completed_assessment():
    s = scene()
    consent_for(s.family)
    add_rule(s.service, "finances_debts", min_score=3)
    _assessment(s, 4, complete=True, held_on=timezone.localdate() - dt.timedelta(days=60))
    draft = _assessment(s, 2, complete=False)
    assert _warnings(s, s.create()) == [
        (f"Finances and debts: the service is for scores 3–5; scored 2 in a draft assessment of "
         f"{_day(draft.held_on)} (not completed yet).")]


def test_a_score_from_a_completed_assessment_says_completed_and_its_date():
    s = scene()
    consent_for(s.family)
    add_rule(s.service, "finances_debts", max_score=2)
    done = _assessment(s, 4, complete=True)
    assert _warnings(s, s.create()) == [
        (f"Finances and debts: the service is for scores 1–2; scored 4 in the completed assessment of "
         f"{_day(done.held_on)}.")]


def test_not_scored_yet_only_when_no_assessment_scored_the_domain():
    s = scene()
    consent_for(s.family)
    add_rule(s.service, "finances_debts", min_score=3)
    add_rule(s.service, "housing", min_score=3)
    _assessment(s, 3, complete=False)  # within the rule: no finance line
    assert _warnings(s, s.create()) == ["Housing: not checked, no assessment has scored it yet."]


# ---- 3. the family file: a planned handoff is planned, a held one held ------------------------

def test_the_family_file_shows_a_planned_handoff_as_planned_for_its_date(client):
    s = scene()
    referral = _accepted(s)
    when = timezone.now() + dt.timedelta(days=3)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=when)
    page = _referrals_section(_page(client, s.referrer, f"/families/{s.family.pk}/"))
    assert f"planned for {_day(timezone.localtime(when))}" in page
    assert "held on" not in page


def test_the_family_file_shows_a_held_handoff_on_the_day_it_was_held_not_the_planned_day(client):
    s = scene()
    referral = _accepted(s)
    planned = timezone.now() - dt.timedelta(days=5)
    held = timezone.localdate() - dt.timedelta(days=1)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=planned)
    services.handoff_record(actor=s.receiver, referral_id=referral.pk, held_on=held)
    page = _referrals_section(_page(client, s.referrer, f"/families/{s.family.pk}/"))
    assert f"held on {_day(held)}" in page
    assert _day(timezone.localtime(planned)) not in page


def test_a_warm_start_still_says_when_the_handoff_was_held(client):
    s = scene()
    referral = _accepted(s)
    held = timezone.localdate() - dt.timedelta(days=2)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone",
                          planned_for=timezone.now() - dt.timedelta(days=4))
    services.handoff_record(actor=s.receiver, referral_id=referral.pk, held_on=held)
    s.step(referral, Status.IN_SERVICE)
    page = _referrals_section(_page(client, s.referrer, f"/families/{s.family.pk}/"))
    assert f"warm, held on {_day(held)}" in page


# ---- 4. the handoff form: short responsibilities, the accepted professional proposed ----------

def test_the_proposed_responsibilities_name_service_and_needs_not_the_question():
    s = scene()
    referral = _accepted(s)
    defaults = selectors.referral_detail(actor=s.receiver, referral_id=referral.pk).handoff_defaults
    assert defaults["responsibilities"] == (f"{s.service.name} ({s.organisation.name}): finances and debts")
    assert "Help with the debts" not in defaults["responsibilities"]


def test_a_handoff_planned_without_responsibilities_gives_the_family_readable_ones():
    s = scene()
    referral = _accepted(s)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=timezone.now())
    services.handoff_record(actor=s.receiver, referral_id=referral.pk, held_on=timezone.localdate())
    member = CareTeamMember.objects.get(family=s.family, professional=s.receiver, ended_on__isnull=True)
    assert member.responsibilities == f"{s.service.name} ({s.organisation.name}): finances and debts"


def _options(page: str, referral) -> str:
    form = page[page.index(f'action="/referrals/{referral.pk}/handoff/"'):]
    select = re.search(r'<select name="receiving_professional"[^>]*>(.*?)</select>', form, re.DOTALL)
    assert select, "no receiving professional in the handoff form"
    return select.group(1)


def _proposed(page: str, referral) -> str | None:
    chosen = re.search(r'<option value="(\d*)" selected>', _options(page, referral))
    return chosen.group(1) if chosen else None


def test_the_handoff_form_proposes_the_professional_who_took_it_on_to_a_colleague(client):
    s = scene()
    colleague = ProfessionalFactory(organisations=[s.organisation], roles=["org_admin"])
    referral = _accepted(s)
    page = _page(client, colleague, f"/referrals/{referral.pk}/")
    assert _proposed(page, referral) == str(s.receiver.pk)


def test_without_a_named_receiving_professional_the_one_who_accepted_is_proposed(client):
    s = scene()
    colleague = ProfessionalFactory(organisations=[s.organisation], roles=["org_admin"])
    referral = _accepted(s)  # accepted by s.receiver
    # A referral from before the acceptance named who takes it on (or a generated one).
    Referral.objects.filter(pk=referral.pk).update(receiving_professional=None)
    page = _page(client, colleague, f"/referrals/{referral.pk}/")
    assert _proposed(page, referral) == str(s.receiver.pk)
    planned = services.handoff_plan(actor=colleague, referral_id=referral.pk, mode="phone",
                                    planned_for=timezone.now())
    assert planned.receiving_professional == s.receiver


def test_the_referrer_is_never_proposed_as_the_receiving_professional(client):
    s = scene()
    referral = _accepted(s)
    Referral.objects.filter(pk=referral.pk).update(receiving_professional=None)
    referral.steps.filter(to_status=Status.ACCEPTED).update(actor=None)
    page = _page(client, s.referrer, f"/referrals/{referral.pk}/")
    # Nobody known: the form asks, rather than silently offering the first colleague in the list.
    assert _proposed(page, referral) == ""  # the blank choice
