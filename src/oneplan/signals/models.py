"""Reference index: pseudonymised involvement signals and the matches between organisations.

A Signal says only "this organisation, through this professional, is involved with the
person behind this keyed hash, from/until these dates". It never holds the identifier, the
name, the date of birth or the reason for the involvement (docs/reference-index.md). When the
registration gave a name and date of birth it also holds their keyed similarity encoding
(signals.linkage): blocking keys, two keyed Bloom filters and a keyed birth-date digest.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional


class Basis(models.TextChoices):
    NATIONAL_ID = "national_id", _("national identifier")
    NAME_DOB = "name_dob", _("name and date of birth")


class Signal(models.Model):
    class EndedHow(models.TextChoices):
        ENDED = "ended", _("ended by the organisation")
        EXPIRED = "expired", _("expired")

    # HMAC-SHA256 of the identifier with the installation's index key (crypto.keyed_hash).
    subject_hash = models.CharField(max_length=64)
    # Which identifier was hashed: a name-and-birth-date match is less certain than a BSN one.
    basis = models.CharField(_("matched on"), max_length=20, choices=Basis.choices)
    # No index of its own: signal_org_idx starts with it (one index less to write per registration).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signals",
                                     db_index=False)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="signals")
    registered_on = models.DateField(_("registered on"))
    expires_on = models.DateField(_("expires on"))
    renewed_on = models.DateField(_("renewed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_how = models.CharField(max_length=20, choices=EndedHow.choices, blank=True)
    # Keyed similarity encoding of name + date of birth (linkage.encode); empty for a BSN-only
    # registration and for signals registered before it existed (names are not stored, so
    # they cannot be encoded afterwards: those keep matching on the exact hash only).
    name_filter = models.BinaryField(null=True, editable=False)
    dob_digest = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["-registered_on", "-id"]
        indexes = [
            # The one query behind matching: subject_hash = ? AND ended_on IS NULL AND expires_on >= ?
            # Two equalities and a range in one index, so even a planner without statistics
            # (SQLite before ANALYZE) prefers it to every other index.
            models.Index(fields=["subject_hash", "ended_on", "expires_on"], name="signal_hash_idx"),
            models.Index(fields=["organisation", "ended_on", "expires_on"], name="signal_org_idx"),
            # `oneplan tick`: open signals past their expiry date.
            models.Index(fields=["expires_on"], condition=Q(ended_on__isnull=True),
                         name="signal_open_expiry_idx"),
        ]
        constraints = [
            # One organisation has at most one open signal per person; renew it instead.
            models.UniqueConstraint(fields=["subject_hash", "organisation"],
                                    condition=Q(ended_on__isnull=True), name="signal_one_open_per_org"),
            models.CheckConstraint(condition=Q(expires_on__gte=models.F("registered_on")),
                                   name="signal_expires_after_registration"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """What professionals write in their own client record to recognise the signal."""
        return f"S-{self.pk}"

    def is_active_on(self, day) -> bool:
        return self.ended_on is None and self.expires_on >= day


class SignalKey(models.Model):
    """One keyed blocking key of a signal (linkage.blocking_keys): candidates share one."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=32)

    class Meta:
        # Unique, and the index of the candidate lookup: key first, covering the signal id
        # (SQLite names it sqlite_autoindex_signals_signalkey_1).
        constraints = [models.UniqueConstraint(fields=["key", "signal"], name="signal_key_idx")]


class Match(models.Model):
    """Two organisations registered the same person; the first is asked to contact the second.

    A match on a similar (not identical) name and date of birth below certainty is POSSIBLE:
    only the registering side sees it, and both sides are told only once it is confirmed.
    """

    class State(models.TextChoices):
        MATCHED = "matched", _("matched")
        POSSIBLE = "possible", _("possible match, to be checked")
        REJECTED = "rejected", _("not the same person")

    # No indexes of their own: match_once starts with first, match_second_state_idx with second.
    first = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="matches_as_first",
                              db_index=False)
    second = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="matches_as_second",
                               db_index=False)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    coordinator = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    note = models.TextField(_("agreement"), blank=True, max_length=1000)
    state = models.CharField(max_length=20, choices=State.choices, default=State.MATCHED)
    # None: the keyed hashes were identical. Otherwise the similarity score and its parts
    # (linkage.Score: given, family, dob, swapped), so the person who checks sees why.
    similarity = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "matches"
        indexes = [models.Index(fields=["second", "state"], name="match_second_state_idx")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="match_once"),
        ]

    def __str__(self) -> str:
        return f"M-{self.pk}"

    @property
    def number(self) -> str:
        return f"M-{self.pk}"

    def sides(self) -> tuple[Signal, Signal]:
        return self.first, self.second

    def own_and_other(self, organisation_ids) -> tuple[Signal, Signal]:
        """(the signal of the viewer's organisation, the other one)."""
        if self.first.organisation_id in organisation_ids:
            return self.first, self.second
        return self.second, self.first
