"""Every change to a partnership itself: creating it, its members, representatives and coordinator,
the shared vision and its agreement, the members' roles, and the cooperation agreements.

Funding, self-evaluation and learning have their own modules (services_funding,
services_evaluation, services_learning)."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Organisation, Professional, Sector
from oneplan.audit.services import record
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.directory import domains
from oneplan.directory.models import Service
from oneplan.partnership import rules
from oneplan.partnership.models import (
    VISION_MAX,
    Agreement,
    Member,
    Partnership,
    VisionAgreement,
    VisionVersion,
)


def _professional(professional_id, field: str) -> Professional:
    pro = Professional.objects.select_related("user").filter(
        pk=professional_id, acting_for__isnull=True, user__is_active=True).first() \
        if valid_id(professional_id) else None
    if pro is None:
        raise InvalidInput(_("Choose a professional from the list."), field=field)
    return pro


# ---- the partnership and its members ---------------------------------------------------------

@service
def partnership_create(*, actor: Professional, name: str, purpose: str = "", area: str = "",
                       coordinator_id=None) -> Partnership:
    rules.require_admin(actor, "partnership.create")
    name = clean_text(name, "name", _("Name"), limit=200)
    if Partnership.objects.filter(name__iexact=name).exists():
        raise Conflict(_("A partnership with this name exists already."), field="name")
    item = Partnership.objects.create(
        name=name, purpose=clean_text(purpose, "purpose", _("Purpose"), limit=2000, required=False),
        area=clean_text(area, "area", _("Area"), limit=200, required=False), created_by=actor,
        coordinator=_professional(coordinator_id, "coordinator") if coordinator_id else None)
    record(actor, "partnership.create", item, reason=name)
    return item


@service
def coordinator_set(*, actor: Professional, partnership_id, professional_id) -> Partnership:
    item = rules.get_visible(actor, partnership_id, "partnership.coordinator", for_update=True)
    rules.require_admin(actor, "partnership.coordinator", item)
    item.coordinator = _professional(professional_id, "coordinator")
    item.save(update_fields=["coordinator"])
    record(actor, "partnership.coordinator", item, reason=item.coordinator.name)
    return item


@service
def member_add(*, actor: Professional, partnership_id, organisation_id) -> Member:
    item = rules.get_visible(actor, partnership_id, "partnership.member.add", for_update=True)
    rules.require_admin(actor, "partnership.member.add", item)
    organisation = Organisation.objects.filter(pk=organisation_id).first() if valid_id(organisation_id) else None
    if organisation is None:
        raise InvalidInput(_("Choose an organisation from the list."), field="organisation")
    if item.members.filter(organisation=organisation, left_on__isnull=True).exists():
        raise Conflict(_("%(organisation)s is a member already.") % {"organisation": organisation.name},
                       field="organisation")
    member = Member.objects.create(partnership=item, organisation=organisation)
    record(actor, "partnership.member.add", member, reason=f"{item.name}: {organisation.name}")
    return member


@service
def member_end(*, actor: Professional, member_id, left_on: dt.date | None = None) -> Member:
    member = rules.get_member(actor, member_id, "partnership.member.end")
    rules.require_admin(actor, "partnership.member.end", member.partnership)
    member.left_on = left_on or timezone.localdate()
    member.save(update_fields=["left_on"])
    record(actor, "partnership.member.end", member, reason=member.organisation.name)
    return member


@service
def representative_add(*, actor: Professional, member_id, professional_id) -> Member:
    member = rules.get_member(actor, member_id, "partnership.representative.add")
    rules.require_admin(actor, "partnership.representative.add", member.partnership)
    pro = _professional(professional_id, "professional")
    if not pro.organisations.filter(pk=member.organisation_id).exists():
        raise InvalidInput(_("%(name)s does not work for %(organisation)s.")
                           % {"name": pro.name, "organisation": member.organisation.name}, field="professional")
    member.representatives.add(pro)
    record(actor, "partnership.representative.add", member, reason=f"{member.organisation.name}: {pro.name}")
    return member


@service
def representative_remove(*, actor: Professional, member_id, professional_id) -> Member:
    member = rules.get_member(actor, member_id, "partnership.representative.remove")
    rules.require_admin(actor, "partnership.representative.remove", member.partnership)
    pro = member.representatives.filter(pk=professional_id).first() if valid_id(professional_id) else None
    if pro is None:
        raise InvalidInput(_("This professional does not represent %(organisation)s.")
                           % {"organisation": member.organisation.name}, field="professional")
    member.representatives.remove(pro)
    record(actor, "partnership.representative.remove", member,
           reason=f"{member.organisation.name}: {pro.name}")
    return member


# ---- the shared vision -----------------------------------------------------------------------

@service
def vision_propose(*, actor: Professional, partnership_id, text: str, note: str = "") -> VisionVersion:
    """A new version of the vision; every member agrees it anew."""
    item = rules.get_visible(actor, partnership_id, "partnership.vision.propose", for_update=True)
    rules.require_manage(actor, item, "partnership.vision.propose")
    text = clean_text(text, "text", _("Vision"), limit=VISION_MAX)
    latest = item.vision_versions.order_by("-number").first()
    if latest and " ".join(latest.text.split()) == " ".join(text.split()):
        raise Conflict(_("This is the current version's text: change it first."), field="text")
    version = VisionVersion.objects.create(
        partnership=item, number=latest.number + 1 if latest else 1, text=text, created_by=actor,
        note=clean_text(note, "note", _("What changed and why"), limit=300, required=False))
    record(actor, "partnership.vision.propose", version, reason=f"{item.name}: version {version.number}")
    return version


@service
def vision_agree(*, actor: Professional, version_id, member_id) -> VisionAgreement:
    """A representative agrees the current version for their organisation."""
    version = VisionVersion.objects.filter(pk=version_id).first() if valid_id(version_id) else None
    if version is None:
        raise NotFound(_("No such version of the vision."))
    member = rules.get_member(actor, member_id, "partnership.vision.agree")
    if member.partnership_id != version.partnership_id:
        raise NotFound(_("No such version of the vision."))
    rules.require_representative(actor, member, "partnership.vision.agree")
    if version.partnership.vision_versions.filter(number__gt=version.number).exists():
        raise Conflict(_("A newer version of the vision exists: agree that one."))
    if version.agreements.filter(member=member).exists():
        raise Conflict(_("%(organisation)s agreed this version already.") % {"organisation": member.organisation.name})
    agreement = VisionAgreement.objects.create(version=version, member=member, agreed_by=actor)
    record(actor, "partnership.vision.agree", agreement,
           reason=f"{member.organisation.name} agreed version {version.number}")
    return agreement


# ---- roles and responsibilities --------------------------------------------------------------

@service
def member_role_save(*, actor: Professional, member_id, role: str, lead_domains: list[str],
                     service_ids: list) -> Member:
    """What the organisation does in the partnership, what it leads on and which of its directory
    services it brings. Its representatives or the partnership's managers."""
    member = rules.get_member(actor, member_id, "partnership.member.role")
    rules.require_representative(actor, member, "partnership.member.role", or_manager=True)
    lead_domains = list(dict.fromkeys(lead_domains or []))
    names = domains.names()
    if any(d not in names for d in lead_domains):
        raise InvalidInput(_("Choose the life domains from the list."), field="lead_domains")
    taken = {d: m for m in member.partnership.members.filter(left_on__isnull=True).exclude(pk=member.pk)
             .select_related("organisation") for d in m.lead_domains if d in lead_domains}
    if taken:
        domain, other = next(iter(taken.items()))
        raise Conflict(_("%(organisation)s leads on %(domain)s already: one lead per life domain.")
                       % {"organisation": other.organisation.name, "domain": names[domain]},
                       field="lead_domains")
    ids = [int(i) for i in service_ids or [] if valid_id(i)]
    chosen = list(Service.objects.filter(pk__in=ids, organisation=member.organisation_id))
    if len(chosen) != len(set(ids)):
        raise InvalidInput(_("Choose services of %(organisation)s.") % {"organisation": member.organisation.name},
                           field="services")
    member.role = clean_text(role, "role", _("What it does in the partnership"), limit=2000, required=False)
    member.lead_domains = lead_domains
    member.save(update_fields=["role", "lead_domains"])
    member.services.set(chosen)
    record(actor, "partnership.member.role", member,
           reason=f"{member.organisation.name}: leads {', '.join(lead_domains) or 'nothing'}, "
                  f"{len(chosen)} services")
    return member


# ---- cooperation agreements ------------------------------------------------------------------

def _side(partnership: Partnership, organisation_id, sector: str, prefix: str) -> tuple:
    """(organisation, sector) of one side: exactly one of them, the organisation a member."""
    if organisation_id and sector:
        raise InvalidInput(_("Choose an organisation or a sector, not both."), field=f"{prefix}_organisation")
    if sector:
        if sector not in Sector.values:
            raise InvalidInput(_("Choose a sector from the list."), field=f"{prefix}_sector")
        return None, sector
    member = partnership.members.filter(organisation_id=organisation_id, left_on__isnull=True) \
        .select_related("organisation").first() if valid_id(organisation_id) else None
    if member is None:
        raise InvalidInput(_("Choose a member organisation or a sector."), field=f"{prefix}_organisation")
    return member.organisation, ""


def _contact(contact_id, organisation: Organisation | None, field: str) -> Professional | None:
    if not contact_id:
        return None
    pro = _professional(contact_id, field)
    if organisation is not None and not pro.organisations.filter(pk=organisation.pk).exists():
        raise InvalidInput(_("%(name)s does not work for %(organisation)s.")
                           % {"name": pro.name, "organisation": organisation.name}, field=field)
    return pro


def _require_agreement_side(actor: Professional, partnership: Partnership, organisations, action: str,
                            object_id="") -> None:
    """The managers, or a representative of an organisation on either side."""
    if rules.may_manage(actor, partnership):
        return
    if any(partnership.members.filter(organisation=o, left_on__isnull=True, representatives=actor).exists()
           for o in organisations if o is not None):
        return
    raise refused(AccessDenied(_("Only the coordinator, a network administrator or a "
                                       "representative of one of the two sides does this.")),
                  actor=actor, action=action, reason="not a manager nor a representative of a side",
                  object_type="partnership.agreement", object_id=object_id)


@service
def agreement_save(*, actor: Professional, partnership_id, need: str, response_days: int,
                   from_organisation_id=None, from_sector: str = "", to_organisation_id=None,
                   to_sector: str = "", from_contact_id=None, to_contact_id=None, note: str = "",
                   valid_from: dt.date | None = None, agreement_id=None) -> Agreement:
    """A new cooperation agreement, or a change to one (`agreement_id`)."""
    item = rules.get_visible(actor, partnership_id, "partnership.agreement.save")
    agreement = None
    if agreement_id:
        agreement = item.agreements.select_for_update().filter(pk=agreement_id).first() \
            if valid_id(agreement_id) else None
        if agreement is None:
            raise NotFound(_("No such agreement."))
        _require_agreement_side(actor, item, [agreement.from_organisation, agreement.to_organisation],
                                "partnership.agreement.save", agreement.pk)
    from_org, from_sector = _side(item, from_organisation_id, from_sector, "from")
    to_org, to_sector = _side(item, to_organisation_id, to_sector, "to")
    _require_agreement_side(actor, item, [from_org, to_org], "partnership.agreement.save",
                            agreement.pk if agreement else "")
    if (from_org, from_sector) == (to_org, to_sector):
        raise InvalidInput(_("An agreement is between two different sides."), field="to_organisation")
    if need not in domains.names():
        raise InvalidInput(_("Choose the need from the list of life domains."), field="need")
    try:
        days = int(response_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        raise InvalidInput(_("The time to accept is 1 to 365 days."), field="response_days")
    values = {"from_organisation": from_org, "from_sector": from_sector, "to_organisation": to_org,
              "to_sector": to_sector, "need": need, "response_days": days,
              "from_contact": _contact(from_contact_id, from_org, "from_contact"),
              "to_contact": _contact(to_contact_id, to_org, "to_contact"),
              "note": clean_text(note, "note", _("What else was agreed"), limit=2000, required=False),
              "valid_from": valid_from or timezone.localdate()}
    if agreement is None:
        agreement = Agreement.objects.create(partnership=item, created_by=actor, **values)
        action = "partnership.agreement.create"
    else:
        if not agreement.is_active:
            raise Conflict(_("This agreement has ended."))
        for field, value in values.items():
            setattr(agreement, field, value)
        agreement.save()
        action = "partnership.agreement.change"
    record(actor, action, agreement, reason=f"{agreement.from_label} → {agreement.to_label}: {need}, "
                                           f"{days} days")
    return agreement


@service
def agreement_end(*, actor: Professional, agreement_id, ended_on: dt.date | None = None) -> Agreement:
    agreement = Agreement.objects.select_related("partnership").filter(pk=agreement_id).first() \
        if valid_id(agreement_id) else None
    if agreement is None:
        raise NotFound(_("No such agreement."))
    rules.get_visible(actor, agreement.partnership_id, "partnership.agreement.end")
    _require_agreement_side(actor, agreement.partnership, [agreement.from_organisation, agreement.to_organisation],
                            "partnership.agreement.end", agreement.pk)
    if not agreement.is_active:
        raise Conflict(_("This agreement has ended already."))
    agreement.ended_on = ended_on or timezone.localdate()
    agreement.save(update_fields=["ended_on"])
    record(actor, "partnership.agreement.end", agreement, reason=f"{agreement.from_label} → {agreement.to_label}")
    return agreement
