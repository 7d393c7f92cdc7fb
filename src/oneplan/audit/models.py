"""The audit log: one row per read, write or refused attempt, in a keyed chain and a Merkle tree.

An event is written with one INSERT and no lock (its id comes from the database); the sealer
(`services.seal`, run by the worker every second and by `oneplan tick`) then gives the events
their place in the chain, in id order: `seq`, the previous event's link, its own link (an HMAC
under the audit key `key_id`, chain.py) and its leaf in the Merkle tree, whose right edge the
chain head keeps. Signed checkpoints of the tree are published outside the database
(checkpoints.py); the `Checkpoint` rows here are a copy for speed, never trusted by `verify`.
"""
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.audit import chain, merkle

GENESIS_HASH = chain.GENESIS
# Inner nodes of the tree from this level up (perfect subtrees of 256 leaves and more) are kept,
# so an inclusion proof reads a few rows and at most two blocks of events, not the whole log.
NODE_LEVEL = 8


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("refused")


class AuditEvent(models.Model):
    """Never updated or deleted (the model refuses, and database triggers refuse too).

    References are plain ids, not foreign keys: the log must outlive what it describes.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    category = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    reason = models.TextField(blank=True)
    # Set once by the sealer, never again (the database triggers refuse any other change).
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)
    # The audit key the link was made with; empty for the unkeyed links of before (chain.LEGACY).
    key_id = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["family_id", "id"], name="audit_family_idx"),
            # The family's timeline pages back by local day: a range of `at` within one family.
            models.Index(fields=["family_id", "at"], name="audit_family_at_idx"),
            models.Index(fields=["person_id", "id"], name="audit_person_idx"),
            models.Index(fields=["actor_id", "id"], name="audit_actor_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["outcome", "id"], name="audit_outcome_idx"),
            # The sealer's work list: small, whatever the size of the log.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"),
        ]

    HASHED_FIELDS = chain.CONTENT_FIELDS

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"

    def content(self) -> list:
        return chain.content({f: getattr(self, f) for f in self.HASHED_FIELDS})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")


class ChainHead(models.Model):
    """The last sealed link of the chain and the right edge of the Merkle tree; only the sealer
    locks it, so links never fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # Leaves in the tree: last_seq, except right after migration 0005 while the sealer adds the
    # events sealed before the tree existed.
    tree_size = models.BigIntegerField(default=0)
    # merkle.Frontier of tree_size leaves: hex roots of its perfect subtrees, largest first.
    frontier = models.JSONField(default=list)

    @classmethod
    def locked(cls) -> "ChainHead":
        """The head, locked until the transaction ends (made on first use)."""
        try:
            return cls.objects.select_for_update().get(pk=1)
        except cls.DoesNotExist:
            try:
                with transaction.atomic():
                    return cls.objects.create(pk=1)
            except IntegrityError:  # another transaction made it first
                return cls.objects.select_for_update().get(pk=1)

    def tree(self) -> merkle.Frontier:
        return merkle.Frontier.from_hex(self.tree_size, self.frontier)


class TreeNode(models.Model):
    """A perfect subtree of the Merkle tree (level >= NODE_LEVEL), written when it is complete.
    Only proofs read these; a wrong one makes a proof fail its check, it cannot fake one."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="audit_treenode_unique")]


class Checkpoint(models.Model):
    """A signed checkpoint as published (checkpoints.py): the database's copy, for speed only."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)  # of the signing key
    legacy_size = models.BigIntegerField(default=0)
    frontier = models.JSONField(default=list)  # of the tree at tree_size: the next one extends it
    file_name = models.CharField(max_length=100)
    document = models.JSONField()  # the published file's content
    mailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-tree_size"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size} {self.root_hash[:12]}"
