"""A partnership of a few organisations, each with a representative, a coordinator and a network
administrator; referrals on a pathway between two members; self-evaluation answers."""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.partnership import services, services_evaluation
from oneplan.partnership.models import Member, Partnership, Round
from oneplan.referrals import services as referral_services
from oneplan.referrals.models import Referral
from tests.factories import OrganisationFactory, ProfessionalFactory, family_with_team, parent_of
from tests.referrals.factories import Scene, referral_consent


def network_admin(**kwargs) -> Professional:
    return ProfessionalFactory(roles=[Role.NETWORK_ADMIN, Role.ORG_ADMIN], **kwargs)


@dataclass
class Setup:
    admin: Professional
    partnership: Partnership
    coordinator: Professional
    members: list[Member]
    reps: list[Professional]

    @property
    def organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.members]

    def colleague(self, i: int = 0, **kwargs) -> Professional:
        """A professional of member i who is not its representative."""
        return ProfessionalFactory(organisations=[self.members[i].organisation], **kwargs)


def partnership(*, organisations: list[Organisation] | None = None, size: int = 2,
                name: str = "First thousand days") -> Setup:
    admin = network_admin()
    orgs = organisations or [OrganisationFactory() for _ in range(size)]
    coordinator = ProfessionalFactory(organisations=[orgs[0]])
    item = services.partnership_create(actor=admin, name=name, purpose="Every child a good start.",
                                       area="Noord", coordinator_id=coordinator.pk)
    members, reps = [], []
    for org in orgs:
        member = services.member_add(actor=admin, partnership_id=item.pk, organisation_id=org.pk)
        rep = ProfessionalFactory(organisations=[org])
        services.representative_add(actor=admin, member_id=member.pk, professional_id=rep.pk)
        members.append(member)
        reps.append(rep)
    item.refresh_from_db()
    return Setup(admin, item, coordinator, members, reps)


def for_scene(s: Scene, **kwargs) -> Setup:
    """A partnership of the referring and the receiving organisation of a referral scene."""
    return partnership(organisations=[s.referrer.organisations.first(), s.organisation], **kwargs)


def referral(s: Scene, *, sent_days_ago: float, accepted_after: float | None = None,
             declined: bool = False, needs=("finances_debts",)) -> Referral:
    """A referral from the scene's referring organisation to its service, sent `sent_days_ago`
    and accepted `accepted_after` days after sending (or declined, or left open)."""
    family = family_with_team(coordinator=s.referrer)
    referral_consent(family, s.organisation)
    item = referral_services.referral_create(
        actor=s.referrer, family_id=family.pk, service_id=s.service.pk, person_ids=[parent_of(family).pk],
        needs=list(needs), question="Help with the debts, please.", shared_categories=["finance"])
    referral_services.referral_send(actor=s.referrer, referral_id=item.pk)
    if accepted_after is not None or declined:
        s.step(item, "received")
    if accepted_after is not None:
        s.step(item, "accepted", receiving_professional_id=s.receiver.pk)
    if declined:
        s.step(item, "declined", decline_reason="other_service", note="Another service fits better.")
    sent = timezone.now() - dt.timedelta(days=sent_days_ago)
    accepted = sent + dt.timedelta(days=accepted_after) if accepted_after is not None else None
    Referral.objects.filter(pk=item.pk).update(sent_at=sent, accepted_at=accepted)
    return Referral.objects.get(pk=item.pk)


def open_round(setup: Setup, *, days: int = 14) -> Round:
    return services_evaluation.round_open(actor=setup.coordinator, partnership_id=setup.partnership.pk,
                                          closes_on=timezone.localdate() + dt.timedelta(days=days))


def answers(current: Round, score=4, **overrides) -> dict:
    """Every question of the round's questionnaire answered with `score` (or "dk")."""
    values = {key: str(score) for key in current.questionnaire.question_keys()}
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def respond(current: Round, group: str = "family", score=4, **overrides) -> None:
    """One person without an account answers through a personal link."""
    _invitation, token = services_evaluation.invitation_external(
        actor=current.partnership.coordinator, round_id=current.pk, group=group)
    services_evaluation.response_submit(token=token, answers=answers(current, score, **overrides))
