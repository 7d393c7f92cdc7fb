"""The partnership, its members and representatives, the shared vision, roles and agreements: who
may do what (each refusal audited) and the rules of each."""
import pytest
from django.utils import translation

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from oneplan.partnership import rules, selectors, services
from oneplan.partnership.models import Agreement, VisionAgreement
from tests.directory.factories import ServiceFactory
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.partnership.factories import network_admin, partnership

pytestmark = pytest.mark.django_db


def _refused(actor, action) -> bool:
    return AuditEvent.objects.filter(actor_id=actor.user_id, action=action, outcome="denied").exists()


# ---- the partnership and its members -------------------------------------------------------------

def test_a_network_administrator_creates_a_partnership_and_it_is_audited():
    admin = network_admin()
    item = services.partnership_create(actor=admin, name="First thousand days", area="Noord")
    assert AuditEvent.objects.filter(actor_id=admin.user_id, action="partnership.create",
                                     object_id=str(item.pk), outcome="allowed").exists()


def test_a_professional_without_the_role_cannot_create_one_and_the_refusal_is_audited(professional):
    with pytest.raises(AccessDenied):
        services.partnership_create(actor=professional, name="Our own coalition")
    assert _refused(professional, "partnership.create")


def test_two_partnerships_cannot_share_a_name():
    setup = partnership(name="First thousand days")
    with pytest.raises(Conflict):
        services.partnership_create(actor=setup.admin, name="first thousand days")


def test_every_professional_of_a_member_sees_the_partnership():
    setup = partnership()
    view = selectors.overview(actor=setup.colleague(1), partnership_id=setup.partnership.pk)
    assert [m.organisation for m in view.members] == sorted(setup.organisations, key=lambda o: o.name)


def test_the_coordinator_sees_the_partnership_even_outside_the_members():
    setup = partnership()
    outsider = ProfessionalFactory()
    services.coordinator_set(actor=setup.admin, partnership_id=setup.partnership.pk, professional_id=outsider.pk)
    assert selectors.overview(actor=outsider, partnership_id=setup.partnership.pk).access.may_manage


def test_a_professional_outside_the_members_gets_not_found_and_it_is_audited(professional):
    setup = partnership()
    with pytest.raises(NotFound):
        selectors.overview(actor=professional, partnership_id=setup.partnership.pk)
    assert _refused(professional, "partnership.read")


def test_a_member_that_left_no_longer_sees_the_partnership():
    setup = partnership()
    colleague = setup.colleague(1)
    services.member_end(actor=setup.admin, member_id=setup.members[1].pk)
    with pytest.raises(NotFound):
        selectors.overview(actor=colleague, partnership_id=setup.partnership.pk)


def test_an_organisation_is_a_member_once():
    setup = partnership()
    with pytest.raises(Conflict):
        services.member_add(actor=setup.admin, partnership_id=setup.partnership.pk,
                            organisation_id=setup.organisations[0].pk)


def test_the_coordinator_cannot_add_members_and_the_refusal_is_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        services.member_add(actor=setup.coordinator, partnership_id=setup.partnership.pk,
                            organisation_id=OrganisationFactory().pk)
    assert _refused(setup.coordinator, "partnership.member.add")


def test_a_representative_works_for_the_organisation():
    setup = partnership()
    with pytest.raises(InvalidInput):
        services.representative_add(actor=setup.admin, member_id=setup.members[0].pk,
                                    professional_id=setup.reps[1].pk)


def test_a_removed_representative_no_longer_acts_for_the_organisation():
    setup = partnership()
    services.representative_remove(actor=setup.admin, member_id=setup.members[0].pk,
                                   professional_id=setup.reps[0].pk)
    assert not rules.represents(setup.reps[0], setup.members[0])


# ---- shared vision -------------------------------------------------------------------------------

def _vision(setup, text="Every child in Noord gets a good start, with one plan per family."):
    return services.vision_propose(actor=setup.coordinator, partnership_id=setup.partnership.pk, text=text)


def test_versions_of_the_vision_are_numbered():
    setup = partnership()
    _vision(setup)
    second = _vision(setup, "Every child in Noord gets a good start, with one plan and one coordinator.")
    assert second.number == 2


def test_the_same_text_is_not_a_new_version():
    setup = partnership()
    _vision(setup)
    with pytest.raises(Conflict):
        _vision(setup)


def test_a_representative_cannot_write_the_vision_and_the_refusal_is_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        services.vision_propose(actor=setup.reps[1], partnership_id=setup.partnership.pk, text="Ours.")
    assert _refused(setup.reps[1], "partnership.vision.propose")


def test_a_representative_agrees_the_vision_for_their_organisation():
    setup = partnership()
    version = _vision(setup)
    agreement = services.vision_agree(actor=setup.reps[0], version_id=version.pk, member_id=setup.members[0].pk)
    assert (agreement.member, agreement.agreed_by) == (setup.members[0], setup.reps[0])


def test_nobody_agrees_for_another_organisation_and_the_refusal_is_audited():
    setup = partnership()
    version = _vision(setup)
    with pytest.raises(AccessDenied):
        services.vision_agree(actor=setup.reps[0], version_id=version.pk, member_id=setup.members[1].pk)
    assert _refused(setup.reps[0], "partnership.vision.agree")
    assert not VisionAgreement.objects.exists()


def test_a_member_agrees_a_version_once():
    setup = partnership()
    version = _vision(setup)
    services.vision_agree(actor=setup.reps[0], version_id=version.pk, member_id=setup.members[0].pk)
    with pytest.raises(Conflict):
        services.vision_agree(actor=setup.reps[0], version_id=version.pk, member_id=setup.members[0].pk)


def test_an_earlier_version_cannot_be_agreed_any_more():
    setup = partnership()
    first = _vision(setup)
    _vision(setup, "A new text.")
    with pytest.raises(Conflict):
        services.vision_agree(actor=setup.reps[0], version_id=first.pk, member_id=setup.members[0].pk)


def test_the_vision_is_agreed_when_every_member_agreed():
    setup = partnership()
    version = _vision(setup)
    services.vision_agree(actor=setup.reps[0], version_id=version.pk, member_id=setup.members[0].pk)
    _access, half = selectors.vision(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    services.vision_agree(actor=setup.reps[1], version_id=version.pk, member_id=setup.members[1].pk)
    _access, full = selectors.vision(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    assert (half.agreed_by_all, full.agreed_by_all, full.current_agreed) == (False, True, version)


def test_a_new_version_shows_what_changed_in_words():
    setup = partnership()
    _vision(setup, "Every child gets a good start.")
    _vision(setup, "Every child and parent gets a good start.")
    _access, view = selectors.vision(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    assert view.words == [("=", "Every child"), ("+", "and parent"), ("=", "gets a good start.")]


def test_a_new_version_is_agreed_anew():
    setup = partnership()
    first = _vision(setup)
    for rep, member in zip(setup.reps, setup.members):
        services.vision_agree(actor=rep, version_id=first.pk, member_id=member.pk)
    _vision(setup, "A sharper text.")
    _access, view = selectors.vision(actor=setup.reps[0], partnership_id=setup.partnership.pk)
    assert (view.agreed_by_all, view.current_agreed, view.can_agree) == (False, first, [setup.members[0]])


# ---- roles and responsibilities -----------------------------------------------------------------

def test_a_representative_describes_the_role_with_its_own_services():
    setup = partnership()
    own = ServiceFactory(organisation=setup.organisations[0], domains=["parenting"])
    services.member_role_save(actor=setup.reps[0], member_id=setup.members[0].pk, role="Parenting support.",
                              lead_domains=["parenting"], service_ids=[own.pk])
    setup.members[0].refresh_from_db()
    assert (setup.members[0].lead_domains, list(setup.members[0].services.all())) == (["parenting"], [own])


def test_another_organisations_service_cannot_be_linked():
    setup = partnership()
    theirs = ServiceFactory(organisation=setup.organisations[1])
    with pytest.raises(InvalidInput):
        services.member_role_save(actor=setup.reps[0], member_id=setup.members[0].pk, role="",
                                  lead_domains=[], service_ids=[theirs.pk])


def test_one_member_leads_on_a_life_domain():
    setup = partnership()
    services.member_role_save(actor=setup.reps[0], member_id=setup.members[0].pk, role="",
                              lead_domains=["housing"], service_ids=[])
    with pytest.raises(Conflict):
        services.member_role_save(actor=setup.reps[1], member_id=setup.members[1].pk, role="",
                                  lead_domains=["housing"], service_ids=[])


def test_a_representative_cannot_describe_another_members_role_and_it_is_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        services.member_role_save(actor=setup.reps[0], member_id=setup.members[1].pk, role="Theirs.",
                                  lead_domains=[], service_ids=[])
    assert _refused(setup.reps[0], "partnership.member.role")


def test_the_coordinator_may_describe_any_members_role():
    setup = partnership()
    member = services.member_role_save(actor=setup.coordinator, member_id=setup.members[1].pk,
                                       role="Debt counselling.", lead_domains=[], service_ids=[])
    assert member.role == "Debt counselling."


def test_life_domains_no_members_service_covers_are_flagged():
    setup = partnership()
    debts = ServiceFactory(organisation=setup.organisations[0], domains=["finances_debts", "housing"])
    ServiceFactory(organisation=setup.organisations[1], domains=["parenting"])  # not brought in
    services.member_role_save(actor=setup.reps[0], member_id=setup.members[0].pk, role="", lead_domains=[],
                              service_ids=[debts.pk])
    _access, view = selectors.roles(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    uncovered = {c.domain for c in view.uncovered}
    assert "parenting" in uncovered and not {"finances_debts", "housing"} & uncovered


def test_an_inactive_service_covers_nothing():
    setup = partnership()
    closed = ServiceFactory(organisation=setup.organisations[0], domains=["housing"], status="inactive")
    services.member_role_save(actor=setup.reps[0], member_id=setup.members[0].pk, role="", lead_domains=[],
                              service_ids=[closed.pk])
    _access, view = selectors.roles(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    assert "housing" in {c.domain for c in view.uncovered}


# ---- cooperation agreements ---------------------------------------------------------------------

def _agreement(setup, actor=None, **kwargs):
    values = {"actor": actor or setup.coordinator, "partnership_id": setup.partnership.pk,
              "from_organisation_id": setup.organisations[0].pk, "to_organisation_id": setup.organisations[1].pk,
              "need": "finances_debts", "response_days": 10}
    values.update(kwargs)
    return services.agreement_save(**values)


def test_the_coordinator_records_an_agreement_with_contacts():
    setup = partnership()
    item = _agreement(setup, from_contact_id=setup.reps[0].pk, to_contact_id=setup.reps[1].pk)
    assert (item.from_label, item.to_label, item.response_days, item.to_contact) == (
        setup.organisations[0].name, setup.organisations[1].name, 10, setup.reps[1])


def test_a_side_may_be_a_whole_sector():
    setup = partnership()
    item = _agreement(setup, from_organisation_id=None, from_sector="education")
    with translation.override("en"):
        assert (item.from_organisation, item.from_label) == (None, "Education")


def test_a_side_is_an_organisation_or_a_sector_not_both():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _agreement(setup, from_sector="education")


def test_the_organisation_of_a_side_is_a_member():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _agreement(setup, to_organisation_id=OrganisationFactory().pk)


def test_a_contact_works_for_their_side():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _agreement(setup, to_contact_id=setup.reps[0].pk)


def test_a_representative_of_a_side_records_an_agreement():
    setup = partnership()
    assert _agreement(setup, actor=setup.reps[1]).created_by == setup.reps[1]


def test_a_representative_of_neither_side_cannot_and_the_refusal_is_audited():
    setup = partnership(size=3)
    with pytest.raises(AccessDenied):
        _agreement(setup, actor=setup.reps[2])
    assert _refused(setup.reps[2], "partnership.agreement.save")
    assert not Agreement.objects.exists()


def test_an_agreement_can_be_changed_and_ended():
    setup = partnership()
    item = _agreement(setup)
    _agreement(setup, agreement_id=item.pk, response_days=5)
    services.agreement_end(actor=setup.coordinator, agreement_id=item.pk)
    item.refresh_from_db()
    assert (item.response_days, item.is_active) == (5, False)
    with pytest.raises(Conflict):
        _agreement(setup, agreement_id=item.pk, response_days=7)


def test_the_agreed_time_is_one_to_365_days():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _agreement(setup, response_days=0)
