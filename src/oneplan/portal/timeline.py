"""The family's "Who looked at our file": audit events grouped per person, organisation, kind of
access and local day, newest day first, paged back by day to the start of the file.

A page holds whole days: those of the newest PAGE_EVENTS events before the page's cursor (a
local date). Every event of those days is counted, so an emergency access is never pushed off
a list by newer reads: it is on the page of its day, marked. The grouping runs in SQL on the
(family_id, at) index, so a page costs the same with 2 million audit events as with 200.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from oneplan.access.models import AccessGrant
from oneplan.accounts.models import User
from oneplan.audit.models import AuditEvent, Outcome

PAGE_EVENTS = 150
SHORT_PAGE_EVENTS = 30  # the newest page on the family page, which has much else to show
GRANTS_SHOWN = 50

REVIEW, EMERGENCY = 0, 1
PLAIN = [  # (prefix of the audit action, what the family reads); the first match wins
    # A privacy officer checking an emergency access works for the family, not in an emergency.
    ("breakglass.review", _("checked an emergency access (privacy review)")),
    ("breakglass", _("opened your file in an emergency")),
    ("family.read", _("looked at your family file")),
    ("plan", _("worked on your plan")),
    ("assessment", _("worked on the assessment")),
    ("consent", _("recorded a consent")),
    ("team", _("changed your team")),
    ("person", _("updated your household")),
    ("network", _("updated your network")),
    ("note", _("wrote a note")),
    ("referral", _("worked on a referral")),
    ("portal.invite", _("invited someone to this portal")),
    ("portal", _("used your family's page")),
    ("subject", _("handled a privacy request")),
]
OTHER = len(PLAIN)
OTHER_TEXT = _("worked on your file")


def _kind() -> Case:
    """The PLAIN index of an event, in SQL: review work first, then anything done under
    break-glass (the grant itself, and reads whose reason says so), then by action prefix."""
    whens = [When(action__startswith=PLAIN[REVIEW][0], then=Value(REVIEW)),
             When(Q(action__startswith=PLAIN[EMERGENCY][0]) | Q(reason="break-glass"), then=Value(EMERGENCY))]
    whens += [When(action__startswith=prefix, then=Value(i))
              for i, (prefix, _text) in enumerate(PLAIN) if i > EMERGENCY]
    return Case(*whens, default=Value(OTHER), output_field=IntegerField())


@dataclass
class Line:
    who: str
    organisation: str
    what: str
    count: int
    day: dt.date
    emergency: bool
    review: bool


    @property
    def text(self) -> str:
        """"Eva Lammers, Youth Protection, looked at your family file 6 times on 30 Nov": built
        here rather than in the template, where a page of 150 lines took most of its time."""
        values = {"who": self.who, "org": self.organisation, "what": self.what, "counter": self.count,
                  "day": date_format(self.day, gettext("j M"))}
        if self.organisation:
            return ngettext("%(who)s, %(org)s, %(what)s once on %(day)s",
                            "%(who)s, %(org)s, %(what)s %(counter)s times on %(day)s", self.count) % values
        return ngettext("%(who)s %(what)s once on %(day)s",
                        "%(who)s %(what)s %(counter)s times on %(day)s", self.count) % values


@dataclass
class Day:
    day: dt.date
    lines: list[Line]


@dataclass
class Emergency:
    """One break-glass grant on the family, with the page of the timeline that holds its day."""
    who: str
    organisation: str
    day: dt.date
    review: str
    page: dt.date  # the `before` cursor of a page that starts with that day


@dataclass
class Timeline:
    days: list[Day]
    before: dt.date | None  # this page shows days before this one (None: up to today)
    earlier: dt.date | None  # the cursor of the next page back; None: this page reaches the start
    emergency_grants: list[Emergency]

    @property
    def emergencies(self) -> int:
        return sum(line.count for day in self.days for line in day.lines if line.emergency)


def _midnight(day: dt.date, tz) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)


def family_timeline(*, family_id: int, viewer_id: int, before: dt.date | None = None,
                    short: bool = False) -> Timeline:
    """One page of the timeline and every emergency access of the family (five queries whatever
    the size of the log). Only the access check is left to the caller: the portal's selectors."""
    tz = timezone.get_current_timezone()
    events = (AuditEvent.objects.filter(family_id=family_id, actor_id__isnull=False, outcome=Outcome.ALLOWED)
              .exclude(actor_id=viewer_id))
    if before is not None:
        events = events.filter(at__lt=_midnight(before, tz))
    newest = events.order_by("-at").values_list("at", flat=True)
    size = SHORT_PAGE_EVENTS if short else PAGE_EVENTS
    nth = list(newest[size - 1:size])
    first = events.order_by("at").values_list("at", flat=True).first()
    window, start_day = events, None
    if nth:
        start_day = timezone.localtime(nth[0], tz).date()
        window = events.filter(at__gte=_midnight(start_day, tz))
    rows = list(window.annotate(day=TruncDate("at", tzinfo=tz), kind=_kind())
                .values("day", "actor_id", "organisation_label", "kind")
                .annotate(n=Count("id"), last=Max("at"), label=Max("actor_label")).order_by("-day", "-last"))
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in={r["actor_id"] for r in rows})
             .only("username", "first_name", "last_name")}
    days: list[Day] = []
    for row in rows:
        if not days or days[-1].day != row["day"]:
            days.append(Day(row["day"], []))
        kind = row["kind"]
        days[-1].lines.append(Line(
            who=names.get(row["actor_id"], row["label"]),
            organisation=row["organisation_label"], what=str(PLAIN[kind][1] if kind < OTHER else OTHER_TEXT),
            count=row["n"], day=row["day"], emergency=kind == EMERGENCY, review=kind == REVIEW))
    earlier = start_day if start_day is not None and first < _midnight(start_day, tz) else None
    return Timeline(days, before, earlier, _emergencies(family_id, tz))


def _emergencies(family_id: int, tz) -> list[Emergency]:
    grants = (AccessGrant.objects.filter(family_id=family_id).select_related("professional__user", "organisation")
              .order_by("-granted_at")[:GRANTS_SHOWN])
    emergencies = []
    for grant in grants:
        day = timezone.localtime(grant.granted_at, tz).date()
        emergencies.append(Emergency(grant.professional.name, grant.organisation.name if grant.organisation else "",
                                     day, grant.review, day + dt.timedelta(days=1)))
    return emergencies
