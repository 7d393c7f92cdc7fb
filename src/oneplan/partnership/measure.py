"""Each cooperation agreement measured against the real referrals on its pathway.

A referral is on the pathway when it was sent by the "from" organisation (or any organisation of
the "from" sector) to the "to" organisation (or sector), names the agreement's need among its
needs, and was sent while the agreement held, in the last 12 months. Then:

- kept: accepted within the agreed number of days after it was sent;
- late: accepted, but later;
- overdue: not accepted (nor declined or cancelled) and the agreed days have passed;
- pending: not accepted yet, still within the agreed days (not judged yet);
- declined: declined or cancelled before it was accepted (no acceptance to time).

The share kept is kept / (kept + late + overdue); the median is over the accepted referrals.
Counts below ONEPLAN["SMALL_NUMBER"] are shown as "<N", and a share or a median only when what it
is computed from is not a small number (core/smallnumbers.py).
"""
import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.core import smallnumbers
from oneplan.partnership.models import Agreement
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status

WINDOW_DAYS = 365
# An agreement counts as kept when at least this share of its judged referrals was accepted in time.
KEPT_AT = 0.9
NOT_ACCEPTED = (Status.DECLINED, Status.CANCELLED)


@dataclass
class Pair:
    """One referring and one receiving organisation on the pathway."""

    from_name: str
    to_name: str
    kept: int = 0
    breaches: int = 0


@dataclass
class Measure:
    agreement: Agreement
    sent: int = 0
    kept: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    declined: int = 0
    days: list[float] = field(default_factory=list)
    pairs: dict[tuple[str, str], Pair] = field(default_factory=dict)

    @property
    def breaches(self) -> int:
        return self.late + self.overdue

    @property
    def judged(self) -> int:
        return self.kept + self.breaches

    @property
    def share_kept(self) -> float | None:
        return self.kept / self.judged if self.judged else None

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def state(self) -> str:
        """kept | not_kept | too_few: too few judged referrals to say (a small number)."""
        if smallnumbers.one(self.judged) is None or not self.judged:
            return "too_few"
        return "kept" if self.share_kept >= KEPT_AT else "not_kept"

    # What the pages show: small numbers hidden.

    def shown_counts(self) -> dict[str, str]:
        names = ("kept", "late", "overdue", "pending", "declined")
        row = smallnumbers.suppress([[getattr(self, n) for n in names]])[0]
        return {"sent": smallnumbers.shown(smallnumbers.one(self.sent)),
                **{n: smallnumbers.shown(v) for n, v in zip(names, row)}}

    def shown_share(self) -> str:
        if self.state == "too_few":
            return "–"
        return f"{round(100 * self.share_kept)} %"

    def shown_median(self) -> str:
        if not self.days or smallnumbers.one(len(self.days)) is None:
            return "–"
        return str(self.median_days)

    def shown_pairs(self) -> list[tuple[str, str, str, str]]:
        """Where it is not kept: the organisation pairs with breaches, most first."""
        rows = sorted((p for p in self.pairs.values() if p.breaches),
                      key=lambda p: (-p.breaches, p.from_name, p.to_name))
        cells = smallnumbers.suppress([[p.kept, p.breaches] for p in rows])
        return [(p.from_name, p.to_name, smallnumbers.shown(c[0]), smallnumbers.shown(c[1]))
                for p, c in zip(rows, cells)]

    @property
    def state_label(self) -> str:
        return {"kept": _("Kept"), "not_kept": _("Not kept"),
                "too_few": _("Too few referrals to judge")}[self.state]


def _window(agreement: Agreement, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(agreement.valid_from, dt.time.min))
    end = now
    if agreement.ended_on:
        end = min(now, timezone.make_aware(dt.datetime.combine(agreement.ended_on, dt.time.max)))
    return max(start, now - dt.timedelta(days=WINDOW_DAYS)), end


def _referrals(agreement: Agreement, since: dt.datetime, until: dt.datetime):
    rows = Referral.objects.filter(sent_at__gte=since, sent_at__lte=until)
    rows = rows.filter(referrer_organisation_id=agreement.from_organisation_id) \
        if agreement.from_organisation_id else rows.filter(referrer_organisation__sector=agreement.from_sector)
    rows = rows.filter(organisation_id=agreement.to_organisation_id) \
        if agreement.to_organisation_id else rows.filter(organisation__sector=agreement.to_sector)
    # `needs` is a JSON list: matched here, the same on SQLite and PostgreSQL.
    return rows.values_list("needs", "sent_at", "accepted_at", "status", "referrer_organisation__name",
                            "organisation__name")


def measure(agreement: Agreement, *, now: dt.datetime | None = None) -> Measure:
    """One agreement against its referrals: one query."""
    now = now or timezone.now()
    since, until = _window(agreement, now)
    result = Measure(agreement)
    allowed = dt.timedelta(days=agreement.response_days)
    for needs, sent, accepted, status, from_name, to_name in _referrals(agreement, since, until):
        if agreement.need not in (needs or []):
            continue
        result.sent += 1
        pair = result.pairs.setdefault((from_name, to_name), Pair(from_name, to_name))
        if accepted is not None:
            result.days.append((accepted - sent).total_seconds() / 86400)
            if accepted - sent <= allowed:
                result.kept += 1
                pair.kept += 1
            else:
                result.late += 1
                pair.breaches += 1
        elif status in NOT_ACCEPTED:
            result.declined += 1
        elif now - sent > allowed:
            result.overdue += 1
            pair.breaches += 1
        else:
            result.pending += 1
    return result


def measure_all(agreements, *, now: dt.datetime | None = None) -> list[Measure]:
    now = now or timezone.now()
    return [measure(a, now=now) for a in agreements]
