"""The front door: requests for help from families and from people worried about a family, and
the intake work behind it (first contact, safety screen, possible matches, outcome)."""
import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.directory.models import Service
from oneplan.families.models import Family, Membership, Person
from oneplan.referrals.models import Referral

STORY_MAX = 4000
MESSAGE_MAX = 2000


class Asker(models.TextChoices):
    FAMILY = "family", _("I ask for myself or my own family")
    SCHOOL = "school", _("A school or childcare")
    HEALTH = "health", _("A GP or health worker")
    PROFESSIONAL = "professional", _("Another professional")
    RELATIVE = "relative", _("A relative or friend")
    NEIGHBOUR = "neighbour", _("A neighbour")
    OTHER = "other", _("Someone else")


class Channel(models.TextChoices):
    WEB = "web", _("Online form")
    PHONE = "phone", _("Phone call")
    DESK = "desk", _("At the desk")
    EMAIL = "email", _("E-mail or letter")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent: today")
    SOON = "soon", _("Soon: within a few days")
    ROUTINE = "routine", _("It can wait a week or two")


PRIORITY = {Urgency.URGENT: 0, Urgency.SOON: 1, Urgency.ROUTINE: 2}


class ContactBy(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")


class FamilyKnows(models.TextChoices):
    YES = "yes", _("Yes, the family knows I ask for help")
    NO = "no", _("No, the family does not know")
    NOT_SURE = "not_sure", _("I am not sure")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_CONTACT = "in_contact", _("In contact")
    DONE = "done", _("Done")


class Outcome(models.TextChoices):
    ADVICE = "advice", _("Advice given")
    REFERRAL = "referral", _("Referred to a service")
    FAMILY_FILE = "family_file", _("New family file with a coordinator")
    PASSED_ON = "passed_on", _("Passed to another team")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    NO_HELP_WANTED = "no_help_wanted", _("The family does not want help now")
    NOT_REACHED = "not_reached", _("Could not reach the person who asked")
    DUPLICATE = "duplicate", _("The same request was made before")
    OUT_OF_AREA = "out_of_area", _("The family lives outside the area")
    SOLVED = "solved", _("Solved in the first contact")
    OTHER = "other", _("Other reason")


class HelpRequest(models.Model):
    """One request for help, public reference and code, intake and outcome.

    The reference is random (it says nothing about the request or how many there are); the
    code is kept only as a keyed hash. Contact details are kept only as long as the request
    (`pseudonymised_at`: retention ran; what is left counts for the figures only).
    """

    reference = models.CharField(max_length=12, unique=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    language = models.CharField(max_length=10, default="nl")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # Who asks and how to reach them.
    asker = models.CharField(_("who is asking"), max_length=20, choices=Asker.choices)
    asker_name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_by = models.CharField(_("contact by"), max_length=10, choices=ContactBy.choices)
    contact_when = models.CharField(_("best time to contact"), max_length=200, blank=True)
    family_knows = models.CharField(_("does the family know"), max_length=10,
                                    choices=FamilyKnows.choices, blank=True)
    family_name = models.CharField(_("the family's name"), max_length=120, blank=True)
    place = models.CharField(_("town or postcode"), max_length=120, blank=True)
    children = models.CharField(_("children and their ages"), max_length=200, blank=True)
    # What is going on, in their own words.
    story = models.TextField(_("what is going on"), max_length=STORY_MAX)
    domains = models.JSONField(_("life domains"), default=list, blank=True)
    urgency = models.CharField(_("how urgent"), max_length=10, choices=Urgency.choices)
    unsafe_now = models.BooleanField(_("someone is not safe now"), default=False)
    # The intake.
    priority = models.PositiveSmallIntegerField(default=2)  # 0 urgent, 1 soon, 2 routine
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    handler = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    first_contact_at = models.DateTimeField(null=True, blank=True)
    first_contact_how = models.CharField(max_length=10, blank=True)
    first_contact_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    safety = models.JSONField(default=dict, blank=True)  # answers of the safety screen
    safety_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    outcome_note = models.TextField(blank=True, max_length=MESSAGE_MAX)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    passed_to = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    # For limits and figures only: keyed hashes, never the address or the contact itself.
    source_hash = models.CharField(max_length=64, blank=True)
    contact_hash = models.CharField(max_length=64, blank=True)
    asked_before = models.BooleanField(default=False)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The queue: open requests by urgency, then due time.
            models.Index(fields=["priority", "due_at", "id"], name="helprequest_queue_idx",
                         condition=~models.Q(status="done")),
            models.Index(fields=["source_hash", "created_at"], name="helprequest_source_idx"),
            models.Index(fields=["contact_hash", "created_at"], name="helprequest_contact_idx"),
            models.Index(fields=["created_at"], name="helprequest_created_idx"),
            models.Index(fields=["status", "outcome_at"], name="helprequest_outcome_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != Status.DONE

    @property
    def by_family(self) -> bool:
        return self.asker == Asker.FAMILY

    @property
    def overdue(self) -> bool:
        return self.first_contact_at is None and self.is_open and self.due_at < timezone.now()

    def due_in(self) -> dt.timedelta:
        return self.due_at - timezone.now()


class RequestPerson(models.Model):
    """A member of the family, as the intake worker learnt in the first contact; `person` is set
    when the worker confirmed that oneplan knows this person already (never automatically)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="persons")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    relation = models.CharField(_("relation"), max_length=20, choices=Membership.Relation.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    not_the_same = models.JSONField(default=list, blank=True)  # Person ids the worker ruled out

    class Meta:
        ordering = ["id"]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class RequestMessage(models.Model):
    """A message between the person who asked (on the status page) and the front-door team."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(default=timezone.now)
    from_asker = models.BooleanField(default=True)
    author = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(max_length=MESSAGE_MAX)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="requestmessage_idx")]


class RequestStep(models.Model):
    """The request's history: what was done, by whom, when."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Request received")
        TAKEN = "taken", _("Taken on")
        CONTACTED = "contacted", _("First contact")
        SAFETY = "safety", _("Safety screen")
        PERSON = "person", _("Family member noted")
        MATCHED = "matched", _("Known person confirmed")
        NOT_MATCHED = "not_matched", _("Not the same person")
        MESSAGE = "message", _("Message")
        OUTCOME = "outcome", _("Outcome")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class LookupAttempt(models.Model):
    """A failed look-up of a request on the status page, per keyed source address: guessing a
    reference and code is slowed down to nothing."""

    source_hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["source_hash", "at"], name="lookupattempt_idx")]
