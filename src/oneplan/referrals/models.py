"""Referrals (closed loop: every status change kept with time and actor) and warm handoffs."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Family, Person
from oneplan.referrals.workflow import FHIR_TASK_STATUS, OPEN, TERMINAL, Status


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon (within two weeks)")
    URGENT = "urgent", _("Urgent (this week)")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Does not meet the eligibility criteria")
    NO_CAPACITY = "no_capacity", _("No capacity, not even a waiting list")
    OTHER_SERVICE = "other_service", _("Another service fits better")
    FAMILY_DECLINED = "family_declined", _("The family does not want this service")
    NO_CONTACT = "no_contact", _("Could not reach the family")
    INCOMPLETE = "incomplete", _("The referral lacks what we need")
    OTHER = "other", _("Other")


class Referral(models.Model):
    Status = Status

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="referrals")
    persons = models.ManyToManyField(Person, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    # The receiving organisation (the service's), kept on the row for its queue index.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="incoming_referrals")
    referrer = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="referrals_made")
    referrer_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                              related_name="outgoing_referrals")
    needs = models.JSONField(_("needs (life domains)"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               default=Urgency.ROUTINE)
    question = models.TextField(_("what is asked"), max_length=4000)
    shared_categories = models.JSONField(_("data shared"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every status change bumps it; a change based on an older one is refused.
    version = models.PositiveIntegerField(default=0)
    receiving_professional = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="referrals_received")
    decline_reason = models.CharField(_("reason"), max_length=30, choices=DeclineReason.choices,
                                      blank=True)
    decline_text = models.TextField(_("explanation"), blank=True, max_length=2000)
    expected_start_on = models.DateField(_("expected start"), null=True, blank=True)
    # Set when the service starts: True after a held warm handoff, False for a cold start.
    started_warm = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # When each milestone was first reached (waiting-time statistics and the queue order).
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    in_service_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "sent_at"], name="referral_queue_idx"),
            # The open queue (several statuses) in sent order, read up to the page and no further.
            models.Index(fields=["organisation", "sent_at", "id"], name="referral_queue_order_idx"),
            models.Index(fields=["family", "status"], name="referral_family_idx"),
            # The API's incoming queue with `modified_since`.
            models.Index(fields=["organisation", "status_changed_at"], name="referral_org_changed_idx"),
            models.Index(fields=["referrer", "status_changed_at"], name="referral_referrer_idx"),
            models.Index(fields=["service", "accepted_at"], name="referral_svc_accepted_idx"),
            models.Index(fields=["service", "in_service_at"], name="referral_svc_started_idx"),
        ]
        constraints = [
            # One open referral per family and service: a second one is a mistake or a duplicate.
            models.UniqueConstraint(fields=["family", "service"], condition=Q(status__in=OPEN),
                                    name="referral_one_open_per_service"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"R-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def fhir_status(self) -> str:
        return FHIR_TASK_STATUS[self.status]


class ReferralStep(models.Model):
    """One status change: the closed loop's history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_step_idx")]


class Handoff(models.Model):
    """A warm handoff: the referring and receiving professional meet the family together."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="handoff")
    planned_for = models.DateTimeField(_("when"))
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("where"), max_length=200, blank=True)
    receiving_professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                               related_name="handoffs_received")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PLANNED)
    # Filled from the referral when planned; the receiving professional joins the team with them.
    role = models.CharField(_("role in the care team"), max_length=20, choices=CareTeamMember.Role.choices,
                            default=CareTeamMember.Role.MEMBER)
    focus = models.CharField(_("focus"), max_length=20, choices=CareTeamMember.Focus.choices,
                             default=CareTeamMember.Focus.WHOLE_FAMILY)
    responsibilities = models.TextField(_("responsibilities"), max_length=2000)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    family_present = models.BooleanField(_("the family took part"), default=True)
    notes = models.TextField(_("what was agreed"), blank=True, max_length=2000)
    team_member = models.ForeignKey(CareTeamMember, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    planned_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["receiving_professional", "state", "planned_for"],
                                name="handoff_mine_idx")]
