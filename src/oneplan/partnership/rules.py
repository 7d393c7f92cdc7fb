"""Who may see and do what in a partnership.

- Network administrators (the network coordinators) create partnerships and manage membership.
- The partnership's coordinator and the network administrators manage its shared work: vision
  versions, agreements, budget, self-evaluation rounds, learning sessions.
- A member's representatives act for their organisation: they agree the vision, describe its role
  and services, record its contribution and the agreements it is a side of.
- Every professional of an active member (and the coordinator) sees the partnership; to anyone
  else it does not exist (404), and the attempt is logged.
"""
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional, Role
from oneplan.core.errors import AccessDenied, Conflict, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.partnership.models import Member, Partnership

OBJECT = "partnership.partnership"


def is_admin(actor: Professional | None) -> bool:
    return actor is not None and actor.has_role(Role.NETWORK_ADMIN)


def visible(actor: Professional) -> QuerySet:
    """The partnerships this professional sees."""
    if is_admin(actor):
        return Partnership.objects.all()
    if actor.is_system_client:
        return Partnership.objects.none()
    ids = Member.objects.filter(left_on__isnull=True, organisation__professionals=actor) \
        .values("partnership_id")
    return Partnership.objects.filter(Q(coordinator=actor) | Q(pk__in=ids))


def is_member_professional(actor: Professional) -> bool:
    """Works for an active member of some partnership, coordinates one, or administers the network
    (the navigation shows the partnerships to them)."""
    return is_admin(actor) or visible(actor).exists()


def get_visible(actor: Professional, partnership_id, action: str, *, for_update: bool = False) -> Partnership:
    rows = visible(actor).select_related("coordinator__user")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    item = rows.filter(pk=partnership_id).first() if valid_id(partnership_id) else None
    if item is None:
        raise refused(NotFound(_("No such partnership.")), actor=actor, action=action,
                      reason="not a professional of a member", object_type=OBJECT,
                      object_id=partnership_id if valid_id(partnership_id) else "")
    return item


def get_member(actor: Professional, member_id, action: str) -> Member:
    """An active member of a partnership the actor sees (404 otherwise, audited)."""
    member = Member.objects.select_related("organisation", "partnership").filter(pk=member_id).first() \
        if valid_id(member_id) else None
    if member is None:
        raise refused(NotFound(_("No such member.")), actor=actor, action=action, reason="no such member",
                      object_type="partnership.member", object_id=member_id if valid_id(member_id) else "")
    get_visible(actor, member.partnership_id, action)
    if not member.is_active:
        raise Conflict(_("%(organisation)s has left the partnership.") % {"organisation": member.organisation.name})
    return member


def may_manage(actor: Professional, partnership: Partnership) -> bool:
    return is_admin(actor) or (partnership.coordinator_id is not None
                               and partnership.coordinator_id == actor.pk)


def require_admin(actor: Professional, action: str, partnership: Partnership | None = None) -> None:
    if not is_admin(actor):
        raise refused(AccessDenied(_("Only a network administrator does this.")), actor=actor,
                      action=action, reason="not a network administrator", object_type=OBJECT,
                      object_id=partnership.pk if partnership else "")


def require_manage(actor: Professional, partnership: Partnership, action: str) -> None:
    if not may_manage(actor, partnership):
        raise refused(AccessDenied(_("Only the partnership's coordinator or a network administrator "
                                     "does this.")), actor=actor, action=action,
                      reason="not the coordinator nor a network administrator", object_type=OBJECT,
                      object_id=partnership.pk)


def represents(actor: Professional, member: Member) -> bool:
    return member.is_active and member.representatives.filter(pk=actor.pk).exists()


def represented(actor: Professional, partnership: Partnership) -> list[Member]:
    """The active members this professional acts for."""
    return list(partnership.members.filter(left_on__isnull=True, representatives=actor)
                .select_related("organisation"))


def require_representative(actor: Professional, member: Member, action: str, *,
                           or_manager: bool = False) -> None:
    """Acting for an organisation: one of its representatives (or, where allowed, a manager)."""
    if represents(actor, member) or (or_manager and may_manage(actor, member.partnership)):
        return
    raise refused(AccessDenied(_("Only a representative of %(organisation)s does this.")
                               % {"organisation": member.organisation.name}),
                  actor=actor, action=action, reason="not a representative of the member",
                  object_type="partnership.member", object_id=member.pk)
