"""Every permission decision about family data is made here (DESIGN.md, "Access rules").

A professional sees a family only while an active member of its care team, or through an
unexpired break-glass grant. Anyone else is told the family does not exist (404), and the
attempt is audited.
"""
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access.emergency import note_grant
from oneplan.access.models import BASIC_CATEGORIES, AccessGrant, Category
from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.core.errors import AccessDenied, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.families.models import CareTeamMember, Family
from oneplan.families.teams import active_team, active_team_q  # noqa: F401 (used here and by other apps)

# What each kind of access allows. Break-glass is read-only.
TEAM_PERMISSIONS = frozenset({"family.read", "family.edit", "team.read", "referral.send"})
# Who changes the household, the informal network and the team: the coordinator, the
# co-coordinator and a team manager on the team; a plain member (a debt counsellor who
# joined through a handoff) does not.
MANAGE_PERMISSIONS = frozenset({"household.edit", "network.edit", "team.manage"})
# Consent is the family's: the coordinator (or co-coordinator) records and withdraws it on
# the family's behalf, the family itself in the portal.
COORDINATOR_PERMISSIONS = MANAGE_PERMISSIONS | {"family.close", "consent.manage"}
# A family without a coordinator must be able to get one from any team member.
NO_COORDINATOR_PERMISSIONS = frozenset({"team.manage", "family.close"})
BREAK_GLASS_PERMISSIONS = frozenset({"family.read", "team.read"})
# The front-door team registers a family for a coordinator, or to refer it from the front door.
REGISTER_ROLES = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.TEAM_MANAGER, Role.FRONT_DOOR})


def active_grants_q(now=None) -> Q:
    return Q(expires_at__gt=now or timezone.now())


def team_family_ids(professional: Professional) -> QuerySet:
    """Ids of the families whose active care team the professional is on (for an organisation's
    system client: whose team has one of its professionals)."""
    if professional.is_system_client:
        return CareTeamMember.objects.filter(active_team_q(), organisation_id=professional.acting_for_id) \
            .values("family_id")
    return CareTeamMember.objects.filter(active_team_q(), professional=professional).values("family_id")


def visible_families(professional: Professional) -> QuerySet[Family]:
    """Families the professional may open: on the team now, or an unexpired grant."""
    team_ids = team_family_ids(professional)
    grant_ids = AccessGrant.objects.filter(active_grants_q(), professional=professional).values(
        "family_id")
    return Family.objects.filter(Q(id__in=team_ids) | Q(id__in=grant_ids))


@dataclass
class FamilyAccess:
    """How the actor reaches this family; passed on to selectors and audit."""

    professional: Professional
    family: Family
    membership: CareTeamMember | None
    grant: AccessGrant | None
    permissions: frozenset

    @property
    def organisation(self) -> Organisation | None:
        if self.membership:
            return self.membership.organisation
        if self.grant and self.grant.organisation_id:
            return self.grant.organisation
        return self.professional.primary_organisation

    @property
    def via_break_glass(self) -> bool:
        return self.membership is None and self.grant is not None

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def can_see(self, category: str) -> bool:
        return category_visible(self, category)[0]


def _refusal(actor, action: str, *, family_id, reason: str, error_cls=NotFound, message=None):
    error = error_cls(message or "This family file does not exist or you have no access to it.")
    refused(error, actor=actor, action=action, family=family_id, reason=reason,
            object_type="families.family", object_id=family_id or "")
    return error


def _permissions_for(membership: CareTeamMember | None, grant, family: Family, day) -> frozenset:
    if membership is None:
        return BREAK_GLASS_PERMISSIONS if grant else frozenset()
    perms = set(TEAM_PERMISSIONS)
    if membership.is_coordinating:
        perms |= COORDINATOR_PERMISSIONS
    else:
        if membership.professional.has_role(Role.TEAM_MANAGER):
            perms |= MANAGE_PERMISSIONS
        if not active_team(family).filter(role__in=CareTeamMember.COORDINATING).exists():
            perms |= NO_COORDINATOR_PERMISSIONS
    return frozenset(perms)


def family_access(actor: Professional, family_id, permission: str = "family.read") -> FamilyAccess:
    """The actor's access to one family, or NotFound/AccessDenied carrying the audit refusal."""
    if actor is None:
        raise _refusal(actor, permission, family_id=None, reason="not a professional")
    try:
        family_id = int(getattr(family_id, "pk", family_id))
    except (TypeError, ValueError):
        raise _refusal(actor, permission, family_id=None, reason=f"invalid family id {family_id!r}")
    if not 0 < family_id < 2**63:
        raise _refusal(actor, permission, family_id=None, reason="family id out of range")
    family = Family.objects.filter(pk=family_id).first()
    if family is None:
        raise _refusal(actor, permission, family_id=family_id, reason="no such family")
    day = timezone.localdate()
    grant = None
    if actor.is_system_client:
        # An organisation's own system: what its professionals on the team may do as members,
        # never managing the team or the consent, and no emergency access.
        membership = (CareTeamMember.objects.select_related("organisation")
                      .filter(active_team_q(day), family=family, organisation_id=actor.acting_for_id)
                      .first())
        permissions = TEAM_PERMISSIONS if membership is not None else frozenset()
    else:
        membership = (CareTeamMember.objects.select_related("organisation")
                      .filter(active_team_q(day), family=family, professional=actor).first())
        if membership is not None:
            membership.professional = actor
        if membership is None:
            grant = (AccessGrant.objects.select_related("organisation")
                     .filter(active_grants_q(), family=family, professional=actor)
                     .order_by("-expires_at").first())
        permissions = _permissions_for(membership, grant, family, day)
    if not permissions:
        raise _refusal(actor, permission, family_id=family_id, reason="not on the care team")
    if permission not in permissions:
        emergency = grant is not None and membership is None
        raise _refusal(actor, permission, family_id=family_id,
                       reason="break-glass access is read-only" if emergency else
                       f"team role does not allow {permission}", error_cls=AccessDenied,
                       message=_("Emergency access is read-only: nothing was changed.") if emergency
                       else _("Your role in this family's team does not allow this."))
    if membership is None:
        note_grant(grant)  # the emergency banner on whatever page shows this family
    return FamilyAccess(actor, family, membership, grant, permissions)


def family_object(actor: Professional, queryset: QuerySet, pk, permission: str, *,
                  family: str = "family_id", lock: bool = False):
    """(access, obj): the object with this id (locked for the rest of the transaction when
    `lock`), after checking the actor's access to its family. An unknown id is refused like a
    family the actor may not see (404, audited); `family` names the attribute that holds the
    family id ("plan.family_id" for a plan version)."""
    obj = None
    if valid_id(pk):
        obj = (queryset.select_for_update() if lock else queryset).filter(pk=pk).first()
    family_id = None
    if obj is not None:
        family_id = obj
        for part in family.split("."):
            family_id = getattr(family_id, part)
    return family_access(actor, family_id, permission), obj


# Set by the consent module: fn(access, category, person_id) -> (visible, reason). Without it
# team members see every category and break-glass only the basics.
CONSENT_CHECK = None


def category_visible(access: FamilyAccess, category: str, person_id=None) -> tuple[bool, str]:
    """(visible, reason). Basic categories are for the whole team; others need consent."""
    if category in BASIC_CATEGORIES:
        return True, ""
    label = Category(category).label if category in Category.values else category
    if access.membership is None:
        return False, f"Emergency access shows only identity, team and plan; not {label.lower()}."
    if CONSENT_CHECK is not None:
        return CONSENT_CHECK(access, category, person_id)
    return True, ""


def require_category(access: FamilyAccess, category: str, action: str, person_id=None) -> None:
    """Refuse (audited) when the actor's organisation may not see this category."""
    visible, reason = category_visible(access, category, person_id)
    if not visible:
        error = AccessDenied(reason)
        refused(error, actor=access.professional, action=action, reason=reason,
                family=access.family.pk, category=category, person=person_id)
        raise error


def require_role(actor: Professional | None, role: str, action: str) -> None:
    """For features that belong to a role (privacy officer, analyst...), not to a family."""
    if actor is None or not actor.has_role(role):
        error = AccessDenied("This page is only for the role: %s." % Role(role).label)
        refused(error, actor=actor, action=action, reason=f"missing role {role}")
        raise error


def can_register_family(actor: Professional | None) -> bool:
    return actor is not None and any(actor.has_role(r) for r in REGISTER_ROLES)


def home_route(request) -> str | None:
    """A privacy officer who is on no family's team starts at the emergency-access reviews."""
    professional = getattr(request.user, "professional", None)
    if professional is None or not professional.has_role(Role.PRIVACY_OFFICER):
        return None
    on_a_team = CareTeamMember.objects.filter(active_team_q(), professional=professional).exists()
    return None if on_a_team else "access:reviews"
