"""Reading requests for help: the intake queue, one request with its possible matches, and the
asker's own view on the status page."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import NotFound
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.families.models import CareTeamMember, Membership, Person
from oneplan.frontdoor.matching import open_matches
from oneplan.frontdoor.models import HelpRequest, RequestPerson, Status
from oneplan.frontdoor.services import _require_front_door

QUEUE_PAGE = 50


@dataclass
class Queue:
    rows: list[HelpRequest]
    open_count: int
    overdue_count: int
    next_after: str
    first_page: bool


def _cursor(item: HelpRequest) -> str:
    return f"{item.priority}~{item.due_at.timestamp():.6f}~{item.pk}"


def _after_q(after: str) -> Q:
    """Keyset paging on (priority, due time, id): the same cost on the last page as the first."""
    try:
        priority, stamp, pk = after.split("~")
        priority_i, pk_i = int(priority), int(pk)
        due = dt.datetime.fromtimestamp(float(stamp), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return Q()
    return (Q(priority__gt=priority_i) | Q(priority=priority_i, due_at__gt=due)
            | Q(priority=priority_i, due_at=due, id__gt=pk_i))


@selector
def queue(*, actor: Professional, mine: bool = False, after: str = "") -> Queue:
    """Open requests, most urgent and soonest due first."""
    _require_front_door(actor, "helprequest.queue")
    open_requests = HelpRequest.objects.exclude(status=Status.DONE)
    if mine:
        open_requests = open_requests.filter(handler=actor)
    counts = open_requests.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(first_contact_at__isnull=True, due_at__lt=timezone.now())))
    page = open_requests.filter(_after_q(after)) if after else open_requests
    rows = list(page.select_related("handler__user").order_by("priority", "due_at", "id")[:QUEUE_PAGE + 1])
    more = len(rows) > QUEUE_PAGE
    rows = rows[:QUEUE_PAGE]
    record(actor, "helprequest.queue", object_type="frontdoor.helprequest", category="identity",
           reason=f"{len(rows)} requests listed")
    return Queue(rows=rows, open_count=counts["total"], overdue_count=counts["overdue"],
                 next_after=_cursor(rows[-1]) if more else "", first_page=not after)


@dataclass
class Candidate:
    person: Person
    teams: list[CareTeamMember]  # the coordinators of the person's open family files


@dataclass
class MemberMatches:
    member: RequestPerson
    candidates: list[Candidate]


@selector
def request_detail(*, actor: Professional, request_id) -> HelpRequest:
    item = HelpRequest.objects.select_related(
        "handler__user", "first_contact_by__user", "outcome_by__user", "entered_by__user", "family",
        "referral__service", "passed_to").filter(pk=request_id).first() if valid_id(request_id) else None
    if item is None:
        raise NotFound("No such request.")
    _require_front_door(actor, "helprequest.read", item)
    record(actor, "helprequest.read", item, family=item.family, category="identity")
    return item


def matches(item: HelpRequest) -> list[MemberMatches]:
    """Per family member not linked yet: persons oneplan may know, with the coordinators of
    their open family files (whom the worker may call instead of opening a second file)."""
    result = []
    for member in item.persons.select_related("person"):
        found = open_matches(member)
        homes = list(Membership.objects.filter(person__in=found, ended_on__isnull=True)
                     .exclude(family__status="closed").values_list("person_id", "family_id"))
        coordinators: dict[int, list[CareTeamMember]] = {}
        for row in CareTeamMember.objects.filter(
                family_id__in={f for _p, f in homes}, ended_on__isnull=True,
                role__in=[CareTeamMember.Role.COORDINATOR, CareTeamMember.Role.CO_COORDINATOR]
        ).select_related("professional__user", "organisation", "family"):
            coordinators.setdefault(row.family_id, []).append(row)
        result.append(MemberMatches(member, [
            Candidate(p, [c for person_id, f in homes if person_id == p.pk for c in coordinators.get(f, [])])
            for p in found]))
    return result


@selector
def matches_for(*, actor: Professional, item: HelpRequest) -> list[MemberMatches]:
    _require_front_door(actor, "helprequest.match", item)
    found = matches(item)
    ids = [c.person.pk for m in found for c in m.candidates]
    if ids:
        record(actor, "helprequest.match_read", item, category="identity",
               reason=f"possible matches shown: persons {', '.join(map(str, ids))}")
    return found


@dataclass
class AskerView:
    """What the person who asked sees on the status page: enough to know where it stands, and
    for someone worried about another family nothing of what happens with that family."""

    item: HelpRequest
    handler: str
    outcome_detail: str
    services: list
    messages: list


def _first_name_and_organisation(professional: Professional | None) -> str:
    if professional is None:
        return ""
    org = professional.primary_organisation
    first = professional.user.first_name or professional.name
    return f"{first} ({org.name})" if org else first


def asker_view(item: HelpRequest) -> AskerView:
    detail = ""
    if item.outcome and item.by_family:
        if item.outcome == "referral" and item.referral_id:
            detail = _("We referred you to %(service)s (%(org)s). They contact you.") % {
                "service": item.referral.service.name, "org": item.referral.organisation.name}
        elif item.outcome == "family_file" and item.family_id:
            lead = CareTeamMember.objects.filter(
                family_id=item.family_id, role=CareTeamMember.Role.COORDINATOR,
                ended_on__isnull=True).select_related("professional__user", "organisation").first()
            if lead:
                detail = _("Your care coordinator is %(name)s (%(org)s). She or he contacts you.") % {
                    "name": lead.professional.name, "org": lead.organisation.name}
        elif item.outcome == "passed_on" and item.passed_to_id:
            detail = _("We passed your request to %(org)s. They contact you.") % {"org": item.passed_to.name}
        elif item.outcome == "closed":
            detail = str(item.get_closed_reason_display())
    elif item.outcome and item.outcome != "advice":
        detail = _("The front-door team has handled your request. To protect the family's privacy "
                   "we do not share what happens with them.")
    return AskerView(
        item=item, handler=_first_name_and_organisation(item.handler), outcome_detail=detail,
        services=list(item.services.select_related("organisation")) if item.outcome == "advice" else [],
        messages=list(item.messages.all()))
