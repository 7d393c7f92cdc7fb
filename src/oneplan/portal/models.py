"""Portal accounts of family members and the one-time invitations that create them."""
import hashlib
import secrets

from django.db import models
from django.utils import timezone

from oneplan.accounts.models import Professional, User
from oneplan.families.models import Family, Person


class FamilyAccount(models.Model):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="family_account")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="portal_account")
    created_at = models.DateTimeField(default=timezone.now)


class Invitation(models.Model):
    """A one-time link; only the SHA-256 of its token is stored."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class Feedback(models.Model):
    """A family member's rating (1-5) and comment on a review or a team member."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="feedback")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feedback_given")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="feedback_received")
    review = models.ForeignKey("plans.Review", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                              name="feedback_rating_1_5")]


class GoalProgress(models.Model):
    """A family member's own note on how a goal is going (the goal key spans plan versions)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="goal_progress")
    goal_key = models.UUIDField(db_index=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="goal_progress")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
