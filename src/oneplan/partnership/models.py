"""A partnership of organisations around families: its members and their representatives, the
shared vision, roles, cooperation agreements, funding, self-evaluation rounds and learning."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional, Sector
from oneplan.core.text import shipped_translation
from oneplan.directory import domains
from oneplan.directory.models import Service

# Self-evaluation results appear only when at least this many people answered (per group too).
MIN_RESPONDENTS = 5
VISION_MAX = 8000


class Partnership(models.Model):
    """E.g. a municipality's coalition for the first thousand days."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    coordinator = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="partnerships_coordinated")
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """An organisation in the partnership: what it does there, what it leads on, the directory
    services it brings, and the professionals who act for it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="partnership_memberships")
    representatives = models.ManyToManyField(Professional, blank=True,
                                             related_name="partnership_representations")
    role = models.TextField(_("what it does in the partnership"), max_length=2000, blank=True)
    lead_domains = models.JSONField(_("leads on"), default=list, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="partnership_members")
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "organisation"],
                                               condition=Q(left_on__isnull=True),
                                               name="partnership_member_once")]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def lead_labels(self) -> list[str]:
        names = domains.names()
        return [names.get(d, d) for d in self.lead_domains]


class VisionVersion(models.Model):
    """One version of the shared vision; never changed (a change is the next version)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="vision_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("vision"), max_length=VISION_MAX)
    note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="vision_number")]


class VisionAgreement(models.Model):
    """A member organisation agreed a version, by the hand of one of its representatives."""

    version = models.ForeignKey(VisionVersion, on_delete=models.PROTECT, related_name="agreements")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="vision_agreements")
    agreed_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "member"], name="vision_agreed_once")]


class Agreement(models.Model):
    """A cooperation agreement: a referral pathway from an organisation (or a sector) to another
    for one need, with the agreed time to accept and a contact on each side."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agreements")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    from_sector = models.CharField(_("from sector"), max_length=40, choices=Sector.choices, blank=True)
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    to_sector = models.CharField(_("to sector"), max_length=40, choices=Sector.choices, blank=True)
    need = models.CharField(_("need (life domain)"), max_length=60)
    response_days = models.PositiveSmallIntegerField(
        _("days to accept"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    from_contact = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    to_contact = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    note = models.TextField(_("what else was agreed"), max_length=2000, blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["need", "id"]
        constraints = [
            # Each side is one organisation or one sector, never both, never neither.
            models.CheckConstraint(condition=Q(from_organisation__isnull=True, from_sector__gt="")
                                   | Q(from_organisation__isnull=False, from_sector=""),
                                   name="agreement_from_one_side"),
            models.CheckConstraint(condition=Q(to_organisation__isnull=True, to_sector__gt="")
                                   | Q(to_organisation__isnull=False, to_sector=""),
                                   name="agreement_to_one_side"),
        ]

    @property
    def need_label(self) -> str:
        return domains.names().get(self.need, self.need)

    @property
    def from_label(self) -> str:
        return self.from_organisation.name if self.from_organisation_id else str(Sector(self.from_sector).label)

    @property
    def to_label(self) -> str:
        return self.to_organisation.name if self.to_organisation_id else str(Sector(self.to_sector).label)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Purpose(models.TextChoices):
    POOLED = "pooled", _("Pooled budget")
    COORDINATION = "coordination", _("Paying the coordinators")


class Contribution(models.Model):
    """What a member puts in for a year: money and staff hours, into the pooled budget or for
    the coordinators."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="contributions")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="contributions")
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("for"), max_length=20, choices=Purpose.choices, default=Purpose.POOLED)
    money = models.DecimalField(_("money (euros)"), max_digits=12, decimal_places=2, default=0)
    staff_hours = models.PositiveIntegerField(_("staff hours"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "member__organisation__name", "purpose"]
        constraints = [models.UniqueConstraint(fields=["member", "year", "purpose"],
                                               name="contribution_once_a_year")]


class Category(models.TextChoices):
    """What the pooled budget is spent on."""

    COORDINATION = "coordination", _("Coordination")
    TRAINING = "training", _("Joint training")
    FAMILY_PARTICIPATION = "family_participation", _("Family participation")
    FLEXIBLE_SUPPORT = "flexible_support", _("Flexible support for families")
    COMMUNICATION = "communication", _("Communication and meetings")
    EVALUATION = "evaluation", _("Monitoring and evaluation")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """The pooled budget planned for one category in one year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    amount = models.DecimalField(_("planned (euros)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year", "category"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "category"],
                                               name="budget_line_once")]


class Spending(models.Model):
    """Money spent from the pooled budget."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="spending")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    amount = models.DecimalField(_("amount (euros)"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("what for"), max_length=300)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["partnership", "spent_on"], name="spending_year_idx")]


class Questionnaire(models.Model):
    """One version of the self-evaluation questionnaire, loaded from its YAML file; immutable
    (a changed file becomes the next version)."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    # {"scale": {1..5: label}, "aspects": [{key, name, questions: [{key, text}]}], "translations": {...}}
    definition = models.JSONField()
    checksum = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="questionnaire_version")]

    def _translation(self) -> dict:
        return shipped_translation(self.definition)

    @property
    def title(self) -> str:
        return self._translation().get("name") or self.name

    @property
    def description(self) -> str:
        return self._translation().get("description") or self.definition.get("description", "")

    @property
    def scale(self) -> list[tuple[int, str]]:
        own = self._translation().get("scale") or {}
        return [(int(k), own.get(k) or v) for k, v in sorted(self.definition["scale"].items())]

    @property
    def aspects(self) -> list[dict]:
        """The aspects and their questions in the reader's language."""
        texts = self._translation().get("aspects") or {}
        out = []
        for aspect in self.definition["aspects"]:
            own = texts.get(aspect["key"]) or {}
            questions = own.get("questions") or {}
            out.append({"key": aspect["key"], "name": own.get("name") or aspect["name"],
                        "questions": [{"key": q["key"], "text": questions.get(q["key"]) or q["text"]}
                                      for q in aspect["questions"]]})
        return out

    def question_keys(self) -> list[str]:
        return [q["key"] for a in self.definition["aspects"] for q in a["questions"]]


class Group(models.TextChoices):
    """Stakeholder groups whose results are shown apart: disagreement between them is a signal."""

    PROFESSIONAL = "professional", _("Professionals")
    MANAGER = "manager", _("Managers")
    POLICYMAKER = "policymaker", _("Policymakers")
    FAMILY = "family", _("Family representatives")


class Round(models.Model):
    """One self-evaluation round of a partnership."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="rounds")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField()
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="round_number"),
            models.UniqueConstraint(fields=["partnership"], condition=Q(status="open"),
                                    name="round_one_open"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Invitation(models.Model):
    """A personal one-time link to a round. Only the token's keyed hash is stored; once used, only
    `used` remains true: the answers are stored apart, without the token, the invitation or a time."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="invitations")
    group = models.CharField(max_length=20, choices=Group.choices)
    # A professional of a member; or someone without an account (a family representative, a
    # policymaker), by name and e-mail, both cleared when the round closes.
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "professional"],
                                               condition=Q(professional__isnull=False),
                                               name="invitation_once_per_professional")]


class Response(models.Model):
    """One respondent's answers: the group and the scores, nothing else. A random key (no order of
    arrival) and no time, so no answer can be put next to an invitation or a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    group = models.CharField(max_length=20, choices=Group.choices)
    answers = models.JSONField()  # {question key: 1..5, or None for "don't know"}


class LearningSession(models.Model):
    """A meeting where the partners look back and learn: who took part, what was learned."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("subject"), max_length=200)
    participants = models.ManyToManyField(Professional, blank=True, related_name="learning_sessions")
    others = models.CharField(_("other participants"), max_length=500, blank=True)
    learned = models.TextField(_("what we learned"), max_length=4000)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]


class LearningAction(models.Model):
    """An action from a learning session, followed up until done."""

    session = models.ForeignKey(LearningSession, on_delete=models.PROTECT, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="learning_actions")
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    done_note = models.CharField(_("how it was done"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["session", "done_on"], name="learning_action_open_idx")]

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
